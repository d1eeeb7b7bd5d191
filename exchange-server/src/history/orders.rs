//! Order lifecycle tracking: every order from `OrderAccepted` until it is filled or
//! cancelled, and finished orders for a while after.
//!
//! An order is *incoming* while the command that placed it is being applied: trades fill
//! it, then it rests (`OrderRested`: open), is filled (its remaining reaches 0), or has its
//! remainder dropped (`RemainderCancelled`: cancelled). Nothing else can happen to it, and
//! the end of the record asserts that one of those did. A resting order is filled by
//! trades, changed by `OrderAmended` and cancelled by `OrderCancelled`.

use super::limits::{push_bounded, FINISHED_ORDERS_KEPT_PER_ACCOUNT};
use super::names;
use super::Stamp;
use crate::wire::WireOrderType;
use exchange_core::{
    AccountId, ClientOrderId, OrderId, OrderType, Price, Quantity, Side, Symbol, TickerId,
    TimeInForce,
};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};

/// Where an order stands, `"open"`, `"filled"` or `"cancelled"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// It rests on the book.
    Open,
    /// Its whole quantity traded.
    Filled,
    /// It was cancelled, or its remainder dropped, before its whole quantity traded.
    Cancelled,
}

/// An order as the API shows it: the API's `Order`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OrderRecord {
    /// Its id.
    pub id: OrderId,
    /// Whose (not serialized: the API shows an account only its own orders).
    #[serde(skip)]
    pub account: AccountId,
    /// Where (not serialized: `symbol` names it).
    #[serde(skip)]
    pub ticker: TickerId,
    /// Where, by symbol.
    pub symbol: Symbol,
    /// `"buy"` or `"sell"`.
    #[serde(serialize_with = "names::side")]
    pub side: Side,
    /// `"limit"` or `"market"`.
    #[serde(rename = "type")]
    pub order_type: WireOrderType,
    /// The limit price in credits per share (after amendments); `None` for market orders.
    pub price: Option<Price>,
    /// The order's total size: `filled + remaining`. An amendment sets the remaining
    /// quantity, so after one this is the amended quantity plus what traded before.
    pub quantity: Quantity,
    /// Shares not traded: still resting while open, 0 when filled, and what was dropped
    /// when cancelled.
    pub remaining: Quantity,
    /// Shares traded.
    pub filled: Quantity,
    /// Open, filled or cancelled.
    pub status: OrderState,
    /// The client's id for it, if any.
    pub client_order_id: Option<ClientOrderId>,
    /// `"gtc"`, `"ioc"`, `"fok"` or `"post_only"`; `None` for market orders.
    #[serde(serialize_with = "names::time_in_force")]
    pub time_in_force: Option<TimeInForce>,
    /// The log record that accepted it.
    pub created_seq: u64,
    /// The log record that last changed it.
    pub updated_seq: u64,
}

impl OrderRecord {
    /// Takes `quantity` traded shares off the remaining quantity.
    fn fill(&mut self, at: Stamp, quantity: Quantity) {
        assert!(quantity.0 > 0, "invariant: fills have a quantity");
        assert!(
            quantity <= self.remaining,
            "invariant: a fill never exceeds what remained"
        );
        self.remaining.0 -= quantity.0;
        self.filled.0 += quantity.0;
        self.updated_seq = at.seq;
        self.check();
    }

    /// Its size adds up.
    fn check(&self) {
        assert_eq!(
            self.quantity.0,
            self.filled.0 + self.remaining.0,
            "invariant: quantity = filled + remaining"
        );
    }
}

/// What `OrderAccepted` says about a new order.
#[derive(Clone, Copy, Debug)]
pub(super) struct Accepted {
    pub(super) order: OrderId,
    pub(super) account: AccountId,
    pub(super) ticker: TickerId,
    pub(super) symbol: Symbol,
    pub(super) side: Side,
    pub(super) order_type: OrderType,
    pub(super) quantity: Quantity,
    pub(super) client_order_id: Option<ClientOrderId>,
}

/// Every open order and the most recent finished ones of each account.
///
/// Bounds: open orders are bounded by the core
/// ([`exchange_core::limits::ORDERS_OPEN_PER_ACCOUNT_MAX`] per account), finished ones by
/// [`FINISHED_ORDERS_KEPT_PER_ACCOUNT`]; the indexes hold only kept orders.
#[derive(Clone, Debug, Default)]
pub(super) struct OrderTracker {
    /// Every kept order, open or finished, by id. Only looked up, never iterated.
    kept: FxHashMap<OrderId, OrderRecord>,
    /// Open orders by account, in id order.
    open: BTreeSet<(AccountId, OrderId)>,
    /// Finished orders of each account, oldest-finished first. Only looked up.
    finished: FxHashMap<AccountId, VecDeque<OrderId>>,
    /// Kept orders by client order id. Only looked up.
    by_client: FxHashMap<(AccountId, ClientOrderId), OrderId>,
    /// The order the current record is placing, until it rests or finishes.
    incoming: Option<OrderRecord>,
}

impl OrderTracker {
    /// `OrderAccepted`: the order the current record places.
    pub(super) fn accept(&mut self, at: Stamp, accepted: &Accepted) {
        assert!(
            self.incoming.is_none(),
            "invariant: a record places at most one order"
        );
        assert!(
            !self.kept.contains_key(&accepted.order),
            "invariant: order ids are never reused"
        );
        assert!(accepted.quantity.0 > 0, "invariant: orders have a quantity");
        let (order_type, price, time_in_force) = match accepted.order_type {
            OrderType::Market => (WireOrderType::Market, None, None),
            OrderType::Limit {
                price,
                time_in_force,
            } => (WireOrderType::Limit, Some(price), Some(time_in_force)),
        };
        self.incoming = Some(OrderRecord {
            id: accepted.order,
            account: accepted.account,
            ticker: accepted.ticker,
            symbol: accepted.symbol,
            side: accepted.side,
            order_type,
            price,
            quantity: accepted.quantity,
            remaining: accepted.quantity,
            filled: Quantity::ZERO,
            status: OrderState::Open,
            client_order_id: accepted.client_order_id,
            time_in_force,
            created_seq: at.seq,
            updated_seq: at.seq,
        });
    }

    /// `Trade`: fills the resting maker and the incoming taker; either may finish.
    pub(super) fn trade(&mut self, at: Stamp, maker: OrderId, taker: OrderId, quantity: Quantity) {
        let resting = self.open_mut(maker);
        resting.fill(at, quantity);
        let maker_side = resting.side;
        if resting.remaining.0 == 0 {
            let done = *resting;
            self.finish(at, done, OrderState::Filled);
        }
        let incoming = self.incoming_mut(taker);
        assert_eq!(
            incoming.side,
            maker_side.opposite(),
            "invariant: a trade crosses sides"
        );
        incoming.fill(at, quantity);
        if incoming.remaining.0 == 0 {
            let done = self.incoming.take().expect("checked just above");
            self.finish(at, done, OrderState::Filled);
        }
    }

    /// `OrderRested`: the incoming order's remainder joins the book.
    pub(super) fn rest(
        &mut self,
        at: Stamp,
        order: OrderId,
        price: Price,
        quantity: Quantity,
        filled: Quantity,
    ) {
        let incoming = self.incoming_mut(order);
        assert_eq!(
            incoming.price,
            Some(price),
            "invariant: orders rest at their limit"
        );
        assert_eq!(
            incoming.remaining, quantity,
            "invariant: the whole remainder rests"
        );
        assert_eq!(
            incoming.filled, filled,
            "invariant: rested orders report their fills"
        );
        let mut resting = self.incoming.take().expect("checked just above");
        resting.updated_seq = at.seq;
        self.keep(resting);
        self.open.insert((resting.account, resting.id));
    }

    /// `RemainderCancelled`: the incoming order's remainder is dropped.
    pub(super) fn drop_remainder(&mut self, at: Stamp, order: OrderId, quantity: Quantity) {
        let incoming = self.incoming_mut(order);
        assert_eq!(
            incoming.remaining, quantity,
            "invariant: the whole remainder drops"
        );
        let done = self.incoming.take().expect("checked just above");
        self.finish(at, done, OrderState::Cancelled);
    }

    /// `OrderCancelled`: a resting order leaves the book.
    pub(super) fn cancel(&mut self, at: Stamp, order: OrderId, price: Price, quantity: Quantity) {
        let resting = self.open_mut(order);
        assert_eq!(
            resting.price,
            Some(price),
            "invariant: the event matches the order"
        );
        assert_eq!(
            resting.remaining, quantity,
            "invariant: the event matches the order"
        );
        let done = *resting;
        self.finish(at, done, OrderState::Cancelled);
    }

    /// `OrderAmended`: a resting order's price and remaining quantity change.
    pub(super) fn amend(
        &mut self,
        at: Stamp,
        order: OrderId,
        old: (Price, Quantity),
        new: (Price, Quantity),
    ) {
        let resting = self.open_mut(order);
        assert_eq!(
            (resting.price, resting.remaining),
            (Some(old.0), old.1),
            "invariant: the event matches the order"
        );
        assert!(new.1 .0 > 0, "invariant: amended orders keep a quantity");
        resting.price = Some(new.0);
        resting.remaining = new.1;
        resting.quantity = Quantity(resting.filled.0 + new.1 .0);
        resting.updated_seq = at.seq;
        resting.check();
    }

    /// The end of a record: the order it placed, if any, rested or finished.
    pub(super) fn end_record(&self) {
        if let Some(incoming) = &self.incoming {
            panic!(
                "invariant: incoming order {} neither rested, filled nor had its remainder cancelled",
                incoming.id
            );
        }
    }

    /// An account's open orders, optionally on one ticker, in id order.
    pub(super) fn open_orders(
        &self,
        account: AccountId,
        ticker: Option<TickerId>,
    ) -> Vec<OrderRecord> {
        let range = (account, OrderId(0))..=(account, OrderId(u64::MAX));
        self.open
            .range(range)
            .map(|(_, id)| self.kept[id])
            .filter(|order| ticker.is_none_or(|t| t == order.ticker))
            .collect()
    }

    /// An account's finished orders, optionally on one ticker, newest-finished first.
    pub(super) fn recent_orders(
        &self,
        account: AccountId,
        ticker: Option<TickerId>,
        limit: usize,
    ) -> Vec<OrderRecord> {
        let Some(finished) = self.finished.get(&account) else {
            return Vec::new();
        };
        finished
            .iter()
            .rev()
            .map(|id| self.kept[id])
            .filter(|order| ticker.is_none_or(|t| t == order.ticker))
            .take(limit)
            .collect()
    }

    /// A kept order.
    pub(super) fn order(&self, id: OrderId) -> Option<OrderRecord> {
        self.kept.get(&id).copied()
    }

    /// The kept order of `account` with client id `client_id`.
    pub(super) fn by_client_id(
        &self,
        account: AccountId,
        client_id: ClientOrderId,
    ) -> Option<OrderRecord> {
        let id = self.by_client.get(&(account, client_id))?;
        self.order(*id)
    }

    /// The open order `id`, which an event names as resting.
    fn open_mut(&mut self, id: OrderId) -> &mut OrderRecord {
        let order = self
            .kept
            .get_mut(&id)
            .expect("invariant: an order named as resting is kept (it is open)");
        assert_eq!(order.status, OrderState::Open, "invariant: the order rests");
        order
    }

    /// The incoming order, which an event names as `id`.
    fn incoming_mut(&mut self, id: OrderId) -> &mut OrderRecord {
        let incoming = self
            .incoming
            .as_mut()
            .expect("invariant: the event follows its order's OrderAccepted");
        assert_eq!(
            incoming.id, id,
            "invariant: the event names the incoming order"
        );
        incoming
    }

    /// Puts an order (open, or finishing on arrival) into the by-id and by-client indexes.
    fn keep(&mut self, order: OrderRecord) {
        self.kept.insert(order.id, order);
        if let Some(client_id) = order.client_order_id {
            self.by_client.insert((order.account, client_id), order.id);
        }
    }

    /// Marks an order finished, keeps it among its account's recent orders, and forgets the
    /// account's oldest finished order beyond the limit.
    fn finish(&mut self, at: Stamp, mut order: OrderRecord, status: OrderState) {
        assert!(
            status != OrderState::Open,
            "invariant: finishing is filled or cancelled"
        );
        assert_eq!(
            status == OrderState::Filled,
            order.remaining.0 == 0,
            "invariant: filled exactly when nothing remains"
        );
        order.status = status;
        order.updated_seq = at.seq;
        self.open.remove(&(order.account, order.id));
        self.keep(order);
        let finished = self.finished.entry(order.account).or_default();
        let Some(forgotten) = push_bounded(finished, order.id, FINISHED_ORDERS_KEPT_PER_ACCOUNT)
        else {
            return;
        };
        let old = self
            .kept
            .remove(&forgotten)
            .expect("invariant: finished orders are kept");
        assert!(
            old.status != OrderState::Open,
            "invariant: only finished orders are forgotten"
        );
        if let Some(client_id) = old.client_order_id {
            let key = (old.account, client_id);
            if self.by_client.get(&key) == Some(&forgotten) {
                self.by_client.remove(&key);
            }
        }
    }
}
