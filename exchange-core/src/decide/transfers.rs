//! Money entering the exchange (deposits, share issues) and moving between accounts.

use super::{acting_account, active_account, require_admin, ticker};
use crate::command::Actor;
use crate::event::{Event, TransferReason};
use crate::ids::{AccountId, TickerId};
use crate::limits::SHARES_TOTAL_MAX;
use crate::money::{Credits, Quantity};
use crate::rejection::Rejection;
use crate::state::State;

/// Adds new credits to an account (operator or admin only).
pub(super) fn deposit(
    state: &State,
    actor: Actor,
    account: AccountId,
    amount: Credits,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    require_admin(state, actor)?;
    active_account(state, account)?;
    if amount.0 == 0 {
        return Err(Rejection::InvalidAmount);
    }
    if amount > state.credits_headroom() {
        return Err(Rejection::Overflow);
    }
    out.push(Event::CreditsDeposited { account, amount });
    Ok(())
}

/// Creates new shares of a ticker in an account (operator or admin only).
pub(super) fn issue(
    state: &State,
    actor: Actor,
    account: AccountId,
    ticker_id: TickerId,
    quantity: Quantity,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    require_admin(state, actor)?;
    active_account(state, account)?;
    let listed = ticker(state, ticker_id)?;
    if quantity.0 == 0 {
        return Err(Rejection::InvalidQuantity(quantity));
    }
    let total = listed.shares_total.0.checked_add(quantity.0);
    if total.is_none_or(|total| total > SHARES_TOTAL_MAX) {
        return Err(Rejection::Overflow);
    }
    out.push(Event::SharesIssued {
        account,
        ticker: ticker_id,
        quantity,
    });
    Ok(())
}

/// Moves available credits from the acting account to another active account.
pub(super) fn transfer(
    state: &State,
    actor: Actor,
    to: AccountId,
    amount: Credits,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (from, sender) = acting_account(state, actor)?;
    active_account(state, to)?;
    if amount.0 == 0 {
        return Err(Rejection::InvalidAmount);
    }
    if to == from {
        return Err(Rejection::SelfTransfer);
    }
    if amount > sender.credits_available {
        let available = sender.credits_available;
        return Err(Rejection::InsufficientCredits {
            needed: amount,
            available,
        });
    }
    out.push(Event::CreditsTransferred {
        from,
        to,
        amount,
        reason: TransferReason::Payment,
    });
    Ok(())
}
