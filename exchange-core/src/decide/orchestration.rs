//! Orchestrators: accounts that create, fund and liquidate the accounts they orchestrate.

use super::accounts::account_created;
use super::orders::{cancelled, open_orders};
use super::require_orchestrator;
use crate::command::{AccountKind, Actor};
use crate::event::{CancelReason, Event, TransferReason};
use crate::ids::AccountId;
use crate::ledger::{Account, AccountStatus, ALERT_DIRECTIONS};
use crate::money::{Credits, Quantity};
use crate::rejection::Rejection;
use crate::state::State;

/// Creates a standard account orchestrated by the actor and funds it from the actor's
/// available credits.
pub(super) fn create_account(
    state: &State,
    actor: Actor,
    initial_credits: Credits,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (orchestrator, account) = require_orchestrator(state, actor)?;
    let created = account_created(state, AccountKind::Standard, Some(orchestrator))?;
    if initial_credits > account.credits_available {
        let available = account.credits_available;
        return Err(Rejection::InsufficientCredits {
            needed: initial_credits,
            available,
        });
    }
    out.push(created);
    if initial_credits.0 > 0 {
        let Event::AccountCreated { account: to, .. } = created else {
            unreachable!("account_created returns AccountCreated")
        };
        out.push(Event::CreditsTransferred {
            from: orchestrator,
            to,
            amount: initial_credits,
            reason: TransferReason::Funding,
        });
    }
    Ok(())
}

/// Liquidates one account the actor orchestrates.
pub(super) fn liquidate(
    state: &State,
    actor: Actor,
    target: AccountId,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (orchestrator, _) = require_orchestrator(state, actor)?;
    let account = state
        .ledger
        .get(target)
        .ok_or(Rejection::UnknownAccount(target))?;
    if account.orchestrated_by != Some(orchestrator) {
        return Err(Rejection::NotYourOrchestratedAccount {
            account: target,
            orchestrator,
        });
    }
    if account.status == AccountStatus::Closed {
        return Err(Rejection::AccountClosed(target));
    }
    liquidation_events(state, target, account, orchestrator, out);
    Ok(())
}

/// Liquidates every active account the actor orchestrates, in id order. With none, it
/// succeeds and does nothing.
pub(super) fn liquidate_all(
    state: &State,
    actor: Actor,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (orchestrator, _) = require_orchestrator(state, actor)?;
    let targets = state.ledger.iter().filter(|(_, account)| {
        account.orchestrated_by == Some(orchestrator) && account.status == AccountStatus::Active
    });
    for (target, account) in targets {
        liquidation_events(state, target, account, orchestrator, out);
    }
    Ok(())
}

/// Clears the target's alerts, cancels its orders, moves everything it owns to the
/// orchestrator and closes it.
fn liquidation_events(
    state: &State,
    target: AccountId,
    account: &Account,
    orchestrator: AccountId,
    out: &mut Vec<Event>,
) {
    for direction in ALERT_DIRECTIONS {
        if account.alert(direction).is_some() {
            out.push(Event::AlertCleared {
                account: target,
                direction,
            });
        }
    }
    let orders = open_orders(state, account);
    out.extend(
        orders
            .into_iter()
            .map(|o| cancelled(o, CancelReason::Liquidation)),
    );
    let credits = account.credits_total();
    if credits.0 > 0 {
        let reason = TransferReason::Liquidation;
        out.push(Event::CreditsTransferred {
            from: target,
            to: orchestrator,
            amount: credits,
            reason,
        });
    }
    for (ticker, position) in account.positions() {
        let quantity = Quantity(position.available.0 + position.held.0);
        out.push(Event::SharesTransferred {
            from: target,
            to: orchestrator,
            ticker,
            quantity,
            reason: TransferReason::Liquidation,
        });
    }
    out.push(Event::AccountClosed { account: target });
}
