//! `decide`: validate a command against the state and compute its events, changing nothing.
//!
//! Each command family has its own file; this one dispatches and holds the checks they share
//! (who is acting, and which accounts and tickers exist). Checks run in the order the
//! [`Rejection`] variants are listed, so a command with several faults is rejected for the
//! first of them.

mod accounts;
mod alerts;
mod matching;
mod orchestration;
mod orders;
mod tickers;
mod transfers;

use crate::command::{AccountKind, Action, Actor, Command, TickerStatus};
use crate::event::Event;
use crate::ids::{AccountId, TickerId};
use crate::ledger::{Account, AccountStatus};
use crate::rejection::Rejection;
use crate::state::State;
use crate::ticker::Ticker;

/// Computes the events a command produces, or why it is rejected. Never changes `state`.
pub fn decide(state: &State, command: &Command) -> Result<Vec<Event>, Rejection> {
    let mut events = Vec::new();
    decide_into(state, command, &mut events)?;
    Ok(events)
}

/// Like [`decide`], but appends the events to `out`, so a caller can reuse one buffer and
/// keep the hot path free of allocation. On rejection `out` is left as it was.
pub fn decide_into(
    state: &State,
    command: &Command,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let start = out.len();
    match dispatch(state, command, out) {
        Ok(()) => {
            alerts::append_alert_events(state, command, out, start);
            Ok(())
        }
        Err(rejection) => {
            out.truncate(start);
            Err(rejection)
        }
    }
}

fn dispatch(state: &State, command: &Command, out: &mut Vec<Event>) -> Result<(), Rejection> {
    let actor = command.actor;
    match command.action {
        Action::PlaceOrder(ref order) => orders::place(state, actor, order, out),
        Action::CancelOrder { order } => orders::cancel(state, actor, order, out),
        Action::CancelAllOrders { ticker } => orders::cancel_all(state, actor, ticker, out),
        Action::AmendOrder {
            order,
            price,
            quantity,
        } => orders::amend(state, actor, order, price, quantity, out),
        Action::CreateAccount { kind } => accounts::create(state, actor, kind, out),
        Action::CreateTicker { symbol } => tickers::create(state, actor, symbol, out),
        Action::SetTickerStatus { ticker, status } => {
            tickers::set_status(state, actor, ticker, status, out)
        }
        Action::DepositCredits { account, amount } => {
            transfers::deposit(state, actor, account, amount, out)
        }
        Action::IssueShares {
            account,
            ticker,
            quantity,
        } => transfers::issue(state, actor, account, ticker, quantity, out),
        Action::TransferCredits { to, amount } => {
            transfers::transfer(state, actor, to, amount, out)
        }
        Action::CreateOrchestratedAccount { initial_credits } => {
            orchestration::create_account(state, actor, initial_credits, out)
        }
        Action::LiquidateAccount { account } => {
            orchestration::liquidate(state, actor, account, out)
        }
        Action::LiquidateAll => orchestration::liquidate_all(state, actor, out),
        Action::SetAlert {
            direction,
            threshold,
        } => alerts::set(state, actor, direction, threshold, out),
        Action::ClearAlert { direction } => alerts::clear(state, actor, direction, out),
    }
}

/// The account a command acts for: it must exist and be active.
fn acting_account(state: &State, actor: Actor) -> Result<(AccountId, &Account), Rejection> {
    match actor {
        Actor::Operator => Err(Rejection::AccountRequired),
        Actor::Account(id) => active_account(state, id).map(|account| (id, account)),
    }
}

/// An account a command names: it must exist and be active.
fn active_account(state: &State, id: AccountId) -> Result<&Account, Rejection> {
    let account = state.ledger.get(id).ok_or(Rejection::UnknownAccount(id))?;
    match account.status {
        AccountStatus::Active => Ok(account),
        AccountStatus::Closed => Err(Rejection::AccountClosed(id)),
    }
}

/// Administrative commands come from the operator or an active admin account.
fn require_admin(state: &State, actor: Actor) -> Result<(), Rejection> {
    match actor {
        Actor::Operator => Ok(()),
        Actor::Account(_) => {
            let (id, account) = acting_account(state, actor)?;
            match account.kind {
                AccountKind::Admin => Ok(()),
                AccountKind::Standard | AccountKind::Orchestrator => Err(Rejection::NotAdmin(id)),
            }
        }
    }
}

/// Orchestration commands come from an active orchestrator account.
fn require_orchestrator(state: &State, actor: Actor) -> Result<(AccountId, &Account), Rejection> {
    let (id, account) = acting_account(state, actor)?;
    match account.kind {
        AccountKind::Orchestrator => Ok((id, account)),
        AccountKind::Standard | AccountKind::Admin => Err(Rejection::NotOrchestrator(id)),
    }
}

/// A ticker a command names.
fn ticker(state: &State, id: TickerId) -> Result<&Ticker, Rejection> {
    state.tickers.get(id).ok_or(Rejection::UnknownTicker(id))
}

/// A ticker a command trades on: it must exist and be open.
fn open_ticker(state: &State, id: TickerId) -> Result<&Ticker, Rejection> {
    let found = ticker(state, id)?;
    match found.status {
        TickerStatus::Open => Ok(found),
        TickerStatus::Closed => Err(Rejection::MarketClosed(found.symbol)),
    }
}
