//! The messages the hub sends, as `docs/api.md` lists them. Each is serialized once, to an
//! `Arc<str>` that every subscriber shares.

use crate::activity::ActivityEntry;
use crate::wire::{
    Level, QuoteBody, WireAlertDirection, WireEvent, WireRole, WireSide, WireTransferDirection,
    WireTransferReason,
};
use exchange_core::log::Seq;
use exchange_core::{AccountId, Credits, OrderId, Price, Quantity, Symbol};
use serde::Serialize;
use std::sync::Arc;

/// One position in a `balance` message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct WirePosition {
    /// The ticker.
    pub(crate) symbol: Symbol,
    /// Shares free to sell or transfer.
    pub(crate) available: Quantity,
    /// Shares held by resting sell orders.
    pub(crate) held: Quantity,
}

/// A server message. Every one carries `seq`: the record it reflects, or the hub's latest
/// for snapshots and replies. All but `error` and `pong` name their `channel`.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum ServerMessage<'a> {
    /// A subscription started; replays or a snapshot may follow.
    Subscribed { channel: &'a str, seq: Seq },
    /// A subscription ended.
    Unsubscribed { channel: &'a str, seq: Seq },
    /// The hub no longer holds what the client asked to resume from: refetch.
    Resync { channel: &'a str, seq: Seq },
    /// The best bid and ask and the last price of a ticker.
    Quote {
        channel: &'a str,
        seq: Seq,
        #[serde(flatten)]
        quote: QuoteBody,
    },
    /// Every level of a ticker's book, best first.
    BookSnapshot {
        channel: &'a str,
        seq: Seq,
        bids: Vec<Level>,
        asks: Vec<Level>,
    },
    /// One level's new totals; a quantity of 0 removes the level.
    Book {
        channel: &'a str,
        seq: Seq,
        side: WireSide,
        price: Price,
        quantity: Quantity,
        orders: u32,
    },
    /// One trade.
    Trade {
        channel: &'a str,
        seq: Seq,
        time_ms: u64,
        symbol: Symbol,
        price: Price,
        quantity: Quantity,
        taker_side: WireSide,
    },
    /// One entry of the public activity feed.
    Activity {
        channel: &'a str,
        #[serde(flatten)]
        entry: ActivityEntry,
    },
    /// One of the account's own order events.
    Order {
        channel: &'a str,
        seq: Seq,
        event: WireEvent,
    },
    /// One of the account's orders traded.
    Fill {
        channel: &'a str,
        seq: Seq,
        time_ms: u64,
        order_id: OrderId,
        symbol: Symbol,
        side: WireSide,
        price: Price,
        quantity: Quantity,
        role: WireRole,
    },
    /// The account's balances after a record.
    Balance {
        channel: &'a str,
        seq: Seq,
        credits_available: Credits,
        credits_held: Credits,
        positions: Vec<WirePosition>,
    },
    /// Credits moved into or out of the account.
    Transfer {
        channel: &'a str,
        seq: Seq,
        time_ms: u64,
        direction: WireTransferDirection,
        counterparty: Option<AccountId>,
        amount: Credits,
        reason: WireTransferReason,
    },
    /// One of the account's balance alerts fired.
    Alert {
        channel: &'a str,
        seq: Seq,
        direction: WireAlertDirection,
        threshold: Credits,
        balance: Credits,
    },
    /// A client message was refused.
    Error {
        code: &'static str,
        message: String,
        seq: Seq,
    },
    /// The answer to a ping.
    Pong { seq: Seq },
}

impl ServerMessage<'_> {
    /// The message as JSON text, ready to share between subscribers.
    pub(crate) fn to_text(&self) -> Arc<str> {
        // Every field is a string, a number, a sequence or a struct with string keys.
        let text = serde_json::to_string(self)
            .expect("invariant: server messages always serialize to JSON");
        Arc::from(text)
    }
}
