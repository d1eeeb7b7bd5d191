//! The public activity feed: what anyone watching the exchange may see happen, across every
//! ticker and account. Trades, credit transfers between accounts, deposits, and accounts
//! opening and closing (an orchestrated account opening is a noise trader joining; closing,
//! its liquidation). `GET /api/v1/activity` answers the newest entries from
//! [`crate::history::History`]; the WebSocket channel `activity` streams them live.
//!
//! Both derive their entries with one [`ActivityTracker`], so the REST answer and the live
//! stream always agree. Accounts are named by id only: the feed never shows an email.

use crate::wire::{WireAccountKind, WireSide, WireTransferReason};
use exchange_core::{AccountId, Credits, Event, Price, Quantity, State, Symbol, TickerId};
use serde::Serialize;

/// Something public that happened, without when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// A trade on a ticker.
    Trade {
        /// Where.
        symbol: Symbol,
        /// The maker's price, in credits per share.
        price: Price,
        /// Shares traded.
        quantity: Quantity,
        /// The incoming order's side.
        taker_side: WireSide,
    },
    /// Credits moved into an account: between two accounts, or deposited (`from` null).
    Transfer {
        /// The payer; `None` for a deposit.
        from: Option<AccountId>,
        /// The payee.
        to: AccountId,
        /// How many credits.
        amount: Credits,
        /// Why.
        reason: WireTransferReason,
    },
    /// An account was opened; with `orchestrated_by`, a noise trader joined.
    AccountOpened {
        /// The new account.
        account_id: AccountId,
        /// Its kind.
        account_kind: WireAccountKind,
        /// The orchestrator that created it, if any.
        orchestrated_by: Option<AccountId>,
    },
    /// An account was closed; with `orchestrated_by`, a noise trader was liquidated.
    AccountClosed {
        /// The closed account.
        account_id: AccountId,
        /// The orchestrator that created it, if any.
        orchestrated_by: Option<AccountId>,
    },
}

/// One feed entry: an [`Activity`] and the record it happened in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityEntry {
    /// The log record.
    pub seq: u64,
    /// When the sequencer accepted that record's command, in milliseconds since the epoch.
    pub time_ms: u64,
    /// What happened.
    #[serde(flatten)]
    pub activity: Activity,
}

/// Turns events into activity. It remembers which orchestrator created each account, so a
/// closing account can be shown as a liquidated trader.
#[derive(Clone, Debug, Default)]
pub struct ActivityTracker {
    /// The orchestrator of account `n` at index `n - 1`.
    orchestrated_by: Vec<Option<AccountId>>,
}

impl ActivityTracker {
    /// A tracker that knows every account of `state`.
    pub fn of_state(state: &State) -> Self {
        let orchestrated_by = state
            .accounts()
            .iter()
            .enumerate()
            .map(|(index, account)| {
                assert_eq!(
                    slot(account.id),
                    index,
                    "invariant: account ids are sequential from 1"
                );
                account.orchestrated_by
            })
            .collect();
        Self { orchestrated_by }
    }

    /// The activity `event` shows, if any. Must see every event in log order (it learns
    /// new accounts from them); `symbol_of` names a listed ticker.
    ///
    /// # Panics
    /// If an account is created out of sequence or an unknown account closes.
    pub fn observe(
        &mut self,
        event: &Event,
        symbol_of: impl Fn(TickerId) -> Symbol,
    ) -> Option<Activity> {
        match *event {
            Event::AccountCreated {
                account,
                kind,
                orchestrated_by,
            } => {
                assert_eq!(
                    slot(account),
                    self.orchestrated_by.len(),
                    "invariant: account ids are sequential"
                );
                self.orchestrated_by.push(orchestrated_by);
                Some(Activity::AccountOpened {
                    account_id: account,
                    account_kind: kind.into(),
                    orchestrated_by,
                })
            }
            Event::AccountClosed { account } => {
                let orchestrated_by = *self
                    .orchestrated_by
                    .get(slot(account))
                    .expect("invariant: only known accounts close");
                Some(Activity::AccountClosed {
                    account_id: account,
                    orchestrated_by,
                })
            }
            Event::Trade {
                ticker,
                price,
                quantity,
                taker_side,
                ..
            } => Some(Activity::Trade {
                symbol: symbol_of(ticker),
                price,
                quantity,
                taker_side: taker_side.into(),
            }),
            Event::CreditsTransferred {
                from,
                to,
                amount,
                reason,
            } => Some(Activity::Transfer {
                from: Some(from),
                to,
                amount,
                reason: reason.into(),
            }),
            Event::CreditsDeposited { account, amount } => Some(Activity::Transfer {
                from: None,
                to: account,
                amount,
                reason: WireTransferReason::Deposit,
            }),
            Event::TickerCreated { .. }
            | Event::TickerStatusChanged { .. }
            | Event::SharesIssued { .. }
            | Event::SharesTransferred { .. }
            | Event::OrderAccepted { .. }
            | Event::OrderRested { .. }
            | Event::OrderCancelled { .. }
            | Event::RemainderCancelled { .. }
            | Event::OrderAmended { .. }
            | Event::AlertSet { .. }
            | Event::AlertCleared { .. }
            | Event::AlertTriggered { .. }
            | Event::AlertRearmed { .. } => None,
        }
    }
}

/// Account `n`'s index in the tracker.
fn slot(account: AccountId) -> usize {
    let id = usize::try_from(account.0).expect("invariant: account ids fit in usize");
    assert!(id >= 1, "invariant: account ids start at 1");
    id - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::{AccountKind, TransferReason};

    fn mnad(_: TickerId) -> Symbol {
        Symbol::new("MNAD").unwrap()
    }

    #[test]
    fn a_trader_opened_by_an_orchestrator_is_shown_closed_by_it() {
        let mut tracker = ActivityTracker::default();
        let open = |account, orchestrated_by| Event::AccountCreated {
            account: AccountId(account),
            kind: AccountKind::Standard,
            orchestrated_by,
        };
        tracker.observe(&open(1, None), mnad);
        let joined = tracker.observe(&open(2, Some(AccountId(1))), mnad);
        assert_eq!(
            joined,
            Some(Activity::AccountOpened {
                account_id: AccountId(2),
                account_kind: WireAccountKind::Standard,
                orchestrated_by: Some(AccountId(1)),
            })
        );
        let closed = Event::AccountClosed {
            account: AccountId(2),
        };
        assert_eq!(
            tracker.observe(&closed, mnad),
            Some(Activity::AccountClosed {
                account_id: AccountId(2),
                orchestrated_by: Some(AccountId(1)),
            })
        );
    }

    #[test]
    fn entries_serialize_flat_with_their_kind() {
        let entry = ActivityEntry {
            seq: 9,
            time_ms: 1_000,
            activity: Activity::Transfer {
                from: Some(AccountId(3)),
                to: AccountId(4),
                amount: exchange_core::Credits(150),
                reason: TransferReason::Funding.into(),
            },
        };
        let json = serde_json::to_value(entry).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"seq":9,"time_ms":1000,"kind":"transfer","from":3,"to":4,"amount":150,"reason":"funding"})
        );
    }

    #[test]
    #[should_panic(expected = "only known accounts close")]
    fn closing_an_unknown_account_is_a_broken_log() {
        let closed = Event::AccountClosed {
            account: AccountId(5),
        };
        ActivityTracker::default().observe(&closed, mnad);
    }
}
