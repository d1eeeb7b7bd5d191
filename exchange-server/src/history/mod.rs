//! The server's read-side projections of the event log: what the core
//! [`State`](exchange_core::State) does not keep because deciding commands never needs it.
//!
//! [`History`] answers the API's history questions: a ticker's recent trades, candles and
//! 24-hour statistics; an account's fills, credit transfers, open and recently finished
//! orders; any kept order by id or client order id; the public activity feed
//! ([`crate::activity`]).
//!
//! ## How it is fed
//! The sequencer calls [`History::apply`] with every durable record, in log order: at
//! startup for the whole log from record 1, then live. Checkpoint records only advance
//! [`History::last_seq`]. Shares moved outside trading (issues, liquidations) are not
//! history: transfers are credits only, as in the API's `Transfer`.
//!
//! ## Determinism
//! Everything is a function of the records applied. Times come from
//! [`Record::timestamp_ns`] (reported as `time_ms`, whole milliseconds), never from a
//! clock; the hash maps are only looked up, never iterated into an answer, so the same log
//! always gives the same answers.
//!
//! ## Bounds
//! Every collection has a limit in [`limits`]: per ticker [`TRADES_KEPT_PER_TICKER`] trades
//! and [`CANDLES_1M_KEPT_PER_TICKER`] one-minute candles; per account
//! [`FILLS_KEPT_PER_ACCOUNT`] fills, [`TRANSFERS_KEPT_PER_ACCOUNT`] transfers and
//! [`FINISHED_ORDERS_KEPT_PER_ACCOUNT`] finished orders; the public activity feed
//! [`ACTIVITY_KEPT`] entries. Open orders, tickers and accounts
//! are bounded by the core's own limits. The oldest entries are dropped first; a dropped
//! finished order is forgotten by every lookup. Rings are allocated as they fill and never
//! grow past their limit; applying a record allocates only when a collection grows, never
//! for scratch work.
//!
//! ## Assertions
//! A record that contradicts what came before (an unknown ticker or account, an order that
//! does not rest, an incoming order left neither resting nor finished, a sequence number
//! that does not increase) panics: such a log could not have come from the core.

mod accounts;
mod candles;
pub mod limits;
mod names;
mod orders;
#[cfg(test)]
mod tests;
mod trades;

pub use accounts::{Fill, TransferEntry};
pub use candles::{Candle, DayStats, Interval};
pub use limits::{
    ACTIVITY_KEPT, CANDLES_1M_KEPT_PER_TICKER, FILLS_KEPT_PER_ACCOUNT,
    FINISHED_ORDERS_KEPT_PER_ACCOUNT, TRADES_KEPT_PER_TICKER, TRANSFERS_KEPT_PER_ACCOUNT,
};
pub use orders::{OrderRecord, OrderState};
pub use trades::TradePrint;

use crate::activity::{ActivityEntry, ActivityTracker};
use crate::wire::{WireRole, WireTransferDirection, WireTransferReason};
use accounts::AccountHistory;
use exchange_core::log::{Entry, Record};
use exchange_core::{AccountId, ClientOrderId, Event, OrderId, Symbol, TickerId};
use orders::{Accepted, OrderTracker};
use std::collections::VecDeque;
use trades::TickerHistory;

/// Which record an event belongs to, and when it was accepted.
#[derive(Clone, Copy, Debug)]
struct Stamp {
    /// The record's sequence number.
    seq: u64,
    /// The record's timestamp, in milliseconds since the epoch.
    time_ms: u64,
}

impl Stamp {
    /// A record's stamp.
    fn of(record: &Record) -> Self {
        Self {
            seq: record.seq,
            time_ms: record.timestamp_ns / 1_000_000,
        }
    }
}

/// The history projections, built by applying the log's records in order.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The last record applied (0 before the first).
    last_seq: u64,
    /// Tickers by id: ticker `n` at index `n - 1`.
    tickers: Vec<TickerHistory>,
    /// Accounts by id: account `n` at index `n - 1`.
    accounts: Vec<AccountHistory>,
    /// Order lifecycles.
    orders: OrderTracker,
    /// The public activity feed, oldest first, at most [`ACTIVITY_KEPT`].
    activity: VecDeque<ActivityEntry>,
    /// Derives the feed's entries from events.
    activity_tracker: ActivityTracker,
}

impl History {
    /// An empty history, before record 1.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one record. Checkpoints only advance [`History::last_seq`].
    ///
    /// # Panics
    /// If `record.seq` is not above the last applied one, or the record contradicts the
    /// records before it (see the module docs).
    pub fn apply(&mut self, record: &Record) {
        assert!(
            record.seq > self.last_seq,
            "records are applied in increasing seq: {} after {}",
            record.seq,
            self.last_seq
        );
        self.last_seq = record.seq;
        let Entry::Command { events, .. } = &record.entry else {
            return;
        };
        let at = Stamp::of(record);
        for event in events.iter() {
            self.apply_event(at, event);
            self.record_activity(at, event);
        }
        self.orders.end_record();
    }

    /// The sequence number of the last record applied (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// A ticker's symbol, once `TickerCreated` was applied.
    pub fn symbol(&self, ticker: TickerId) -> Option<Symbol> {
        self.ticker(ticker).map(|listed| listed.symbol)
    }

    /// A ticker's newest `limit` trades (at most [`TRADES_KEPT_PER_TICKER`]), newest first.
    pub fn trades(&self, ticker: TickerId, limit: usize) -> Vec<TradePrint> {
        self.ticker(ticker)
            .map_or_else(Vec::new, |listed| listed.trades(limit))
    }

    /// A ticker's candles of `interval` whose start lies in `[from_ms, to_ms]`, oldest
    /// first, without empty buckets: the newest `limit` if more match. Coarse candles are
    /// aggregated from the kept one-minute candles ([`CANDLES_1M_KEPT_PER_TICKER`]).
    pub fn candles(
        &self,
        ticker: TickerId,
        interval: Interval,
        from_ms: u64,
        to_ms: u64,
        limit: usize,
    ) -> Vec<Candle> {
        self.ticker(ticker).map_or_else(Vec::new, |listed| {
            listed.candles.query(interval, from_ms, to_ms, limit)
        })
    }

    /// A ticker's trading in the 24 hours up to `now_ms`, at one-minute resolution: the
    /// one-minute candles whose start lies in `(now_ms - 24h, now_ms]`.
    pub fn day_stats(&self, ticker: TickerId, now_ms: u64) -> DayStats {
        self.ticker(ticker)
            .map_or_else(DayStats::default, |listed| listed.candles.day_stats(now_ms))
    }

    /// An account's newest `limit` fills (at most [`FILLS_KEPT_PER_ACCOUNT`]), newest first.
    pub fn fills(&self, account: AccountId, limit: usize) -> Vec<Fill> {
        self.account(account)
            .map_or_else(Vec::new, |found| found.fills(limit))
    }

    /// An account's newest `limit` credit transfers (at most
    /// [`TRANSFERS_KEPT_PER_ACCOUNT`]), newest first.
    pub fn transfers(&self, account: AccountId, limit: usize) -> Vec<TransferEntry> {
        self.account(account)
            .map_or_else(Vec::new, |found| found.transfers(limit))
    }

    /// The public activity feed's newest `limit` entries (at most [`ACTIVITY_KEPT`]),
    /// newest first.
    pub fn activity(&self, limit: usize) -> Vec<ActivityEntry> {
        limits::newest_first(&self.activity, limit)
    }

    /// An account's open orders, optionally on one ticker only, in id order.
    pub fn open_orders(&self, account: AccountId, ticker: Option<TickerId>) -> Vec<OrderRecord> {
        self.orders.open_orders(account, ticker)
    }

    /// An account's newest `limit` finished (filled or cancelled) orders, optionally on one
    /// ticker only, newest-finished first; at most [`FINISHED_ORDERS_KEPT_PER_ACCOUNT`].
    pub fn recent_orders(
        &self,
        account: AccountId,
        ticker: Option<TickerId>,
        limit: usize,
    ) -> Vec<OrderRecord> {
        self.orders.recent_orders(account, ticker, limit)
    }

    /// An order that is open, or finished and still kept.
    pub fn order(&self, id: OrderId) -> Option<OrderRecord> {
        self.orders.order(id)
    }

    /// The newest kept order of `account` with client order id `id` (the core keeps client
    /// order ids unique per account, so there is at most one).
    pub fn order_by_client_id(&self, account: AccountId, id: ClientOrderId) -> Option<OrderRecord> {
        self.orders.by_client_id(account, id)
    }

    /// Applies one event of the record stamped `at`.
    fn apply_event(&mut self, at: Stamp, event: &Event) {
        match *event {
            Event::AccountCreated { account, .. } => {
                let expected = self.accounts.len() + 1;
                let id = index(account.0);
                assert_eq!(id, expected, "invariant: account ids are sequential");
                self.accounts.push(AccountHistory::default());
            }
            Event::TickerCreated { ticker, symbol } => {
                let expected = self.tickers.len() + 1;
                let id = index(ticker.0);
                assert_eq!(id, expected, "invariant: ticker ids are sequential");
                self.tickers.push(TickerHistory::new(symbol));
            }
            Event::CreditsDeposited { account, amount } => {
                self.account_mut(account).push_transfer(TransferEntry {
                    seq: at.seq,
                    time_ms: at.time_ms,
                    direction: WireTransferDirection::In,
                    counterparty: None,
                    amount,
                    reason: WireTransferReason::Deposit,
                });
            }
            Event::CreditsTransferred { .. } => self.transfer(at, event),
            Event::Trade { .. } => self.trade(at, event),
            Event::OrderAccepted { .. }
            | Event::OrderRested { .. }
            | Event::OrderCancelled { .. }
            | Event::RemainderCancelled { .. }
            | Event::OrderAmended { .. } => self.order_event(at, event),
            // No history of these: the core's state answers for them.
            Event::TickerStatusChanged { .. }
            | Event::SharesIssued { .. }
            | Event::SharesTransferred { .. }
            | Event::AccountClosed { .. }
            | Event::AlertSet { .. }
            | Event::AlertCleared { .. }
            | Event::AlertTriggered { .. }
            | Event::AlertRearmed { .. } => {}
        }
    }

    /// Adds what `event` shows the public to the activity feed.
    fn record_activity(&mut self, at: Stamp, event: &Event) {
        let tickers = &self.tickers;
        let symbol_of = |ticker: TickerId| {
            let slot = index(ticker.0).checked_sub(1);
            slot.and_then(|slot| tickers.get(slot))
                .expect("invariant: events name listed tickers")
                .symbol
        };
        if let Some(activity) = self.activity_tracker.observe(event, symbol_of) {
            let entry = ActivityEntry {
                seq: at.seq,
                time_ms: at.time_ms,
                activity,
            };
            limits::push_bounded(&mut self.activity, entry, ACTIVITY_KEPT);
        }
    }

    /// An event of an order's lifecycle other than a trade.
    fn order_event(&mut self, at: Stamp, event: &Event) {
        match *event {
            Event::OrderAccepted {
                order,
                account,
                ticker,
                side,
                order_type,
                quantity,
                client_order_id,
                self_trade: _,
            } => {
                let symbol = self.ticker_mut(ticker).symbol;
                let accepted = Accepted {
                    order,
                    account,
                    ticker,
                    symbol,
                    side,
                    order_type,
                    quantity,
                    client_order_id,
                };
                self.orders.accept(at, &accepted);
            }
            Event::OrderRested {
                order,
                price,
                quantity,
                filled,
                ..
            } => self.orders.rest(at, order, price, quantity, filled),
            Event::OrderCancelled {
                order,
                price,
                quantity,
                ..
            } => self.orders.cancel(at, order, price, quantity),
            Event::RemainderCancelled {
                order, quantity, ..
            } => self.orders.drop_remainder(at, order, quantity),
            Event::OrderAmended {
                order,
                old_price,
                old_quantity,
                price,
                quantity,
                ..
            } => {
                let (old, new) = ((old_price, old_quantity), (price, quantity));
                self.orders.amend(at, order, old, new);
            }
            _ => unreachable!("called with an order lifecycle event"),
        }
    }

    /// `CreditsTransferred`: an "out" entry for the payer and an "in" entry for the payee.
    fn transfer(&mut self, at: Stamp, event: &Event) {
        let Event::CreditsTransferred {
            from,
            to,
            amount,
            reason,
        } = *event
        else {
            unreachable!("called with a CreditsTransferred")
        };
        assert_ne!(
            from, to,
            "invariant: transfers move credits between two accounts"
        );
        let entry = |direction, counterparty| TransferEntry {
            seq: at.seq,
            time_ms: at.time_ms,
            direction,
            counterparty: Some(counterparty),
            amount,
            reason: reason.into(),
        };
        self.account_mut(from)
            .push_transfer(entry(WireTransferDirection::Out, to));
        self.account_mut(to)
            .push_transfer(entry(WireTransferDirection::In, from));
    }

    /// `Trade`: a print and candle for the ticker, a fill for each side, and both orders
    /// filled by the traded quantity.
    fn trade(&mut self, at: Stamp, event: &Event) {
        let Event::Trade {
            ticker,
            price,
            quantity,
            maker_order,
            taker_order,
            taker_side,
            ..
        } = *event
        else {
            unreachable!("called with a Trade")
        };
        let listed = self.ticker_mut(ticker);
        listed.record_trade(at, price, quantity, taker_side);
        let symbol = listed.symbol;
        for (account, fill) in trade_fills(at, symbol, event) {
            self.account_mut(account).push_fill(fill);
        }
        self.orders.trade(at, maker_order, taker_order, quantity);
    }

    /// The fills a record's trades gave `account`, in event order: what an order command
    /// answers with, without copying the account's whole fill history.
    pub fn fills_of(&self, record: &Record, account: AccountId) -> Vec<Fill> {
        let Entry::Command { events, .. } = &record.entry else {
            return Vec::new();
        };
        let at = Stamp::of(record);
        let mut fills = Vec::new();
        for event in events.iter() {
            if let Event::Trade { ticker, .. } = *event {
                let Some(symbol) = self.symbol(ticker) else {
                    continue;
                };
                let sides = trade_fills(at, symbol, event);
                fills.extend(
                    sides
                        .into_iter()
                        .filter(|(a, _)| *a == account)
                        .map(|(_, f)| f),
                );
            }
        }
        fills
    }

    fn ticker(&self, id: TickerId) -> Option<&TickerHistory> {
        self.tickers.get(index(id.0).checked_sub(1)?)
    }

    fn account(&self, id: AccountId) -> Option<&AccountHistory> {
        self.accounts.get(index(id.0).checked_sub(1)?)
    }

    /// A ticker an event names, which `TickerCreated` listed earlier in the log.
    fn ticker_mut(&mut self, id: TickerId) -> &mut TickerHistory {
        let slot = index(id.0).checked_sub(1);
        slot.and_then(|slot| self.tickers.get_mut(slot))
            .expect("invariant: events name listed tickers (history applies the log from record 1)")
    }

    /// An account an event names, which `AccountCreated` created earlier in the log.
    fn account_mut(&mut self, id: AccountId) -> &mut AccountHistory {
        let slot = index(id.0).checked_sub(1);
        slot.and_then(|slot| self.accounts.get_mut(slot)).expect(
            "invariant: events name existing accounts (history applies the log from record 1)",
        )
    }
}

/// An id as an index; ids are `u32`, which always fits a `usize` on supported targets.
fn index(id: u32) -> usize {
    usize::try_from(id).expect("a u32 fits in usize")
}

/// The maker's and the taker's fill of a `Trade` event.
fn trade_fills(at: Stamp, symbol: Symbol, event: &Event) -> [(AccountId, Fill); 2] {
    let Event::Trade {
        price,
        quantity,
        maker_order,
        maker_account,
        taker_order,
        taker_account,
        taker_side,
        ..
    } = *event
    else {
        unreachable!("called with a Trade")
    };
    let fill = |order_id, side, role| Fill {
        seq: at.seq,
        time_ms: at.time_ms,
        order_id,
        symbol,
        side,
        price,
        quantity,
        role,
    };
    [
        (
            maker_account,
            fill(maker_order, taker_side.opposite(), WireRole::Maker),
        ),
        (
            taker_account,
            fill(taker_order, taker_side, WireRole::Taker),
        ),
    ]
}
