//! Balance alerts: set, clear, and the check that fires or re-arms them after each command.
//!
//! An alert watches an account's total credits (available plus held). It fires once when its
//! condition becomes true and re-arms when the condition becomes false again; both are
//! events, so replay needs no alert logic. The check runs on the state as it will be after
//! the command, and only for accounts whose credits the command moves or whose alerts it sets.

use super::acting_account;
use crate::command::{Action, Actor, AlertDirection, Command, Side};
use crate::event::Event;
use crate::ids::AccountId;
use crate::ledger::{Alert, ALERT_DIRECTIONS};
use crate::money::Credits;
use crate::rejection::Rejection;
use crate::state::State;

/// Sets or replaces the acting account's alert in one direction, armed. If its condition
/// already holds, the same command fires it.
pub(super) fn set(
    state: &State,
    actor: Actor,
    direction: AlertDirection,
    threshold: Credits,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (account, _) = acting_account(state, actor)?;
    out.push(Event::AlertSet {
        account,
        direction,
        threshold,
    });
    Ok(())
}

/// Removes the acting account's alert in one direction.
pub(super) fn clear(
    state: &State,
    actor: Actor,
    direction: AlertDirection,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (account, found) = acting_account(state, actor)?;
    if found.alert(direction).is_none() {
        return Err(Rejection::AlertNotSet(direction));
    }
    out.push(Event::AlertCleared { account, direction });
    Ok(())
}

/// Appends `AlertTriggered` and `AlertRearmed` events for the accounts that `out[start..]`
/// touches. Costs nothing when no alert is set anywhere.
pub(super) fn append_alert_events(
    state: &State,
    command: &Command,
    out: &mut Vec<Event>,
    start: usize,
) {
    let setting = matches!(command.action, Action::SetAlert { .. });
    if state.alerts_set == 0 && !setting {
        return;
    }
    let mut touched: Vec<AccountId> = Vec::new();
    for event in &out[start..] {
        touched.extend(
            credit_deltas(event)
                .iter()
                .flatten()
                .map(|(account, _)| *account),
        );
        if let Event::AlertSet { account, .. } = event {
            touched.push(*account);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    for account in touched {
        let Some(balance) = balance_after(state, account, &out[start..]) else {
            continue;
        };
        for direction in ALERT_DIRECTIONS {
            let Some(alert) = alert_after(state, account, direction, &out[start..]) else {
                continue;
            };
            let holds = Alert::condition(direction, alert.threshold, balance);
            if alert.armed && holds {
                let threshold = alert.threshold;
                out.push(Event::AlertTriggered {
                    account,
                    direction,
                    threshold,
                    balance,
                });
            } else if !alert.armed && !holds {
                out.push(Event::AlertRearmed { account, direction });
            }
        }
    }
}

/// How an event changes accounts' total credits: at most two (account, signed change) pairs.
fn credit_deltas(event: &Event) -> [Option<(AccountId, i128)>; 2] {
    match *event {
        Event::CreditsDeposited { account, amount } => {
            [Some((account, i128::from(amount.0))), None]
        }
        Event::CreditsTransferred {
            from, to, amount, ..
        } => {
            let amount = i128::from(amount.0);
            [Some((from, -amount)), Some((to, amount))]
        }
        Event::Trade {
            price,
            quantity,
            maker_account,
            taker_account,
            taker_side,
            ..
        } => {
            let cost = i128::from(price.cost(quantity).0);
            let (buyer, seller) = match taker_side {
                Side::Buy => (taker_account, maker_account),
                Side::Sell => (maker_account, taker_account),
            };
            [Some((buyer, -cost)), Some((seller, cost))]
        }
        _ => [None, None],
    }
}

/// An account's total credits after `events`, or `None` if they close it.
fn balance_after(state: &State, account: AccountId, events: &[Event]) -> Option<Credits> {
    let mut balance = i128::from(state.ledger.get(account)?.credits_total().0);
    for event in events {
        if matches!(event, Event::AccountClosed { account: closed } if *closed == account) {
            return None;
        }
        for (who, delta) in credit_deltas(event).into_iter().flatten() {
            if who == account {
                balance += delta;
            }
        }
    }
    let balance = u64::try_from(balance).expect("invariant: decide never makes a balance negative");
    Some(Credits(balance))
}

/// An account's alert in one direction after `events` set or clear it.
fn alert_after(
    state: &State,
    account: AccountId,
    direction: AlertDirection,
    events: &[Event],
) -> Option<Alert> {
    let mut alert = state.ledger.get(account)?.alert(direction);
    for event in events {
        match *event {
            Event::AlertSet {
                account: who,
                direction: d,
                threshold,
            } if who == account && d == direction => {
                alert = Some(Alert {
                    threshold,
                    armed: true,
                });
            }
            Event::AlertCleared {
                account: who,
                direction: d,
            } if who == account && d == direction => {
                alert = None;
            }
            _ => {}
        }
    }
    alert
}
