//! The JSON the network runner reads and writes, as `docs/api.md` describes it: only the
//! fields it uses (the server may add others; they are ignored).

use crate::strategy::Level;
use exchange_core::{AlertDirection, Side, TimeInForce};
use serde::{Deserialize, Serialize};

/// `"buy"` or `"sell"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireSide {
    /// A bid.
    Buy,
    /// An ask.
    Sell,
}

impl From<WireSide> for Side {
    fn from(side: WireSide) -> Self {
        match side {
            WireSide::Buy => Side::Buy,
            WireSide::Sell => Side::Sell,
        }
    }
}

impl From<Side> for WireSide {
    fn from(side: Side) -> Self {
        match side {
            Side::Buy => WireSide::Buy,
            Side::Sell => WireSide::Sell,
        }
    }
}

/// `"below"` or `"above"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireDirection {
    /// Fires when the balance falls below the threshold.
    Below,
    /// Fires when the balance rises above the threshold.
    Above,
}

impl From<WireDirection> for AlertDirection {
    fn from(direction: WireDirection) -> Self {
        match direction {
            WireDirection::Below => AlertDirection::Below,
            WireDirection::Above => AlertDirection::Above,
        }
    }
}

/// The path segment of an alert route: `below` or `above`.
pub fn direction_path(direction: AlertDirection) -> &'static str {
    match direction {
        AlertDirection::Below => "below",
        AlertDirection::Above => "above",
    }
}

/// One price level: `{"price","quantity","orders"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct WireLevel {
    /// Credits per share.
    pub price: u64,
    /// Shares resting there.
    pub quantity: u64,
}

impl From<WireLevel> for Level {
    fn from(level: WireLevel) -> Self {
        Level {
            price: level.price,
            quantity: level.quantity,
        }
    }
}

/// `GET /tickers/{symbol}/quote`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct QuoteBody {
    /// The last durable record when it was read: the seq every read of the same moment
    /// reflects.
    pub seq: u64,
    /// The best bid.
    pub bid: Option<WireLevel>,
    /// The best ask.
    pub ask: Option<WireLevel>,
    /// The last trade's price.
    pub last_price: Option<u64>,
}

/// One position of an account: shares of one ticker.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PositionBody {
    /// The ticker.
    pub symbol: String,
    /// Shares free to sell.
    pub available: u64,
    /// Shares held by resting sells.
    pub held: u64,
}

/// `GET /account` (and each row of `GET /orchestrator/accounts`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AccountBody {
    /// Its id.
    pub account_id: u32,
    /// `active` or `closed`.
    pub status: String,
    /// Credits free to spend.
    pub credits_available: u64,
    /// Credits held by resting buys.
    pub credits_held: u64,
    /// Its non-empty positions.
    pub positions: Vec<PositionBody>,
}

/// `open`, `filled` or `cancelled`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Resting on the book.
    Open,
    /// Completely traded.
    Filled,
    /// Cancelled, or the unfilled remainder of a market or IOC order dropped.
    Cancelled,
}

/// An `Order` of the REST API.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OrderBody {
    /// The exchange's id.
    pub id: u64,
    /// The ticker.
    pub symbol: String,
    /// Buy or sell.
    pub side: WireSide,
    /// The limit price; `None` for market orders.
    pub price: Option<u64>,
    /// Shares not traded (still resting while open).
    pub remaining: u64,
    /// Open, filled or cancelled.
    pub status: OrderStatus,
    /// The client's id, if it gave one.
    pub client_order_id: Option<u64>,
    /// The record that last changed it.
    pub updated_seq: u64,
}

/// A `Fill` of the REST API (also the fields of the WebSocket `fill` message).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct FillBody {
    /// The record of the trade.
    pub seq: u64,
    /// The account's order that traded.
    pub order_id: u64,
    /// The ticker.
    pub symbol: String,
    /// That order's side.
    pub side: WireSide,
    /// Credits per share.
    pub price: u64,
    /// Shares.
    pub quantity: u64,
}

/// `"in"` or `"out"`, seen from the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferDirection {
    /// The account received.
    In,
    /// The account paid.
    Out,
}

/// Why credits moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferReason {
    /// One account paid another.
    Payment,
    /// An orchestrator funded an account it created.
    Funding,
    /// An orchestrator took back what one of its accounts held.
    Liquidation,
    /// Credits entered the exchange.
    Deposit,
}

/// A `Transfer` of the REST API (also the fields of the WebSocket `transfer` message).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TransferBody {
    /// Its record.
    pub seq: u64,
    /// In or out.
    pub direction: TransferDirection,
    /// The other account; `None` for deposits.
    pub counterparty: Option<u32>,
    /// Credits.
    pub amount: u64,
    /// Why.
    pub reason: TransferReason,
}

/// `OrderResult`: what a place, amend or cancel did.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OrderResultBody {
    /// The command's record.
    pub seq: u64,
    /// The order as it is now (it may already reflect later records).
    pub order: Option<OrderBody>,
    /// The caller's fills of this record.
    pub fills: Vec<FillBody>,
}

/// `DELETE /orders?ticker=`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CancelledBody {
    /// The record (`None` when nothing was open).
    pub seq: Option<u64>,
    /// The orders it cancelled.
    pub cancelled: Vec<OrderBody>,
}

/// `POST /orchestrator/accounts`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CreatedAccountBody {
    /// The record that created and funded it.
    pub seq: u64,
    /// The new account.
    pub account_id: u32,
    /// Its API token.
    pub token: String,
}

/// `POST /orchestrator/liquidate-all`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LiquidatedBody {
    /// The accounts closed.
    pub liquidated: Vec<u32>,
}

/// `POST /auth/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TokenBody {
    /// The token's id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// The secret (only when created).
    pub token: Option<String>,
}

/// The body of every error answer: `{"error":{"code","message"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The inside of [`ErrorBody`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ErrorDetail {
    /// The stable code.
    pub code: String,
    /// For people.
    pub message: String,
}

/// `POST /orders`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlaceOrderBody<'a> {
    /// The ticker.
    pub ticker: &'a str,
    /// Buy or sell.
    pub side: WireSide,
    /// `limit` or `market`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The limit price (absent for market orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<u64>,
    /// Shares.
    pub quantity: u64,
    /// `gtc`, `ioc` or `fok` (absent for market orders).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_in_force: Option<&'static str>,
    /// Post-only (only with `gtc`; absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_only: Option<bool>,
    /// The client's id.
    pub client_order_id: u64,
}

impl<'a> PlaceOrderBody<'a> {
    /// The body of an order on `ticker`; `price: None` is a market order (its time in
    /// force is ignored, as the strategy contract says).
    pub fn new(
        ticker: &'a str,
        side: Side,
        price: Option<u64>,
        time_in_force: TimeInForce,
        quantity: u64,
        client_order_id: u64,
    ) -> Self {
        let (kind, time_in_force, post_only) = match price {
            None => ("market", None, None),
            Some(_) => match time_in_force {
                TimeInForce::Gtc => ("limit", Some("gtc"), None),
                TimeInForce::Ioc => ("limit", Some("ioc"), None),
                TimeInForce::Fok => ("limit", Some("fok"), None),
                TimeInForce::PostOnly => ("limit", Some("gtc"), Some(true)),
            },
        };
        Self {
            ticker,
            side: side.into(),
            kind,
            price,
            quantity,
            time_in_force,
            post_only,
            client_order_id,
        }
    }
}

/// One of the account's own order events (the `event` of an `order` message).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OrderEvent {
    /// The order was accepted (it may trade and rest in the same record).
    OrderAccepted {
        /// Its id.
        order: u64,
        /// Its ticker.
        symbol: String,
        /// Buy or sell.
        side: WireSide,
        /// Its limit price; `None` for market orders.
        price: Option<u64>,
        /// Shares.
        quantity: u64,
        /// The client's id, if any.
        client_order_id: Option<u64>,
    },
    /// It rests on the book.
    OrderRested {
        /// Its id.
        order: u64,
        /// The quantity resting.
        quantity: u64,
    },
    /// It was cancelled (by its owner, self-trade prevention or liquidation).
    OrderCancelled {
        /// Its id.
        order: u64,
    },
    /// The rest of an incoming order was dropped.
    RemainderCancelled {
        /// Its id.
        order: u64,
    },
    /// Its price and quantity changed.
    OrderAmended {
        /// Its id.
        order: u64,
        /// The new price.
        price: u64,
        /// The new resting quantity.
        quantity: u64,
    },
    /// Any other event.
    #[serde(other)]
    Other,
}

/// A WebSocket message from the server (the types the runner reads; others are `Other`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// A subscription started.
    Subscribed {
        /// Which.
        channel: String,
    },
    /// The server no longer holds what was asked for: refetch.
    Resync {
        /// Which channel.
        channel: String,
    },
    /// The best bid and ask and the last price.
    Quote {
        /// The record.
        seq: u64,
        /// The best bid.
        bid: Option<WireLevel>,
        /// The best ask.
        ask: Option<WireLevel>,
        /// The last trade's price.
        last_price: Option<u64>,
    },
    /// A trade on the ticker.
    Trade {
        /// The record.
        seq: u64,
        /// Credits per share.
        price: u64,
        /// Shares.
        quantity: u64,
    },
    /// One of the account's order events.
    Order {
        /// The record.
        seq: u64,
        /// The event.
        event: OrderEvent,
    },
    /// One of the account's orders traded.
    Fill(FillBody),
    /// The account's balances after a record.
    Balance {
        /// The record.
        seq: u64,
        /// Credits free to spend.
        credits_available: u64,
        /// Credits held by resting buys.
        credits_held: u64,
        /// Its positions.
        positions: Vec<PositionBody>,
    },
    /// Credits moved in or out.
    Transfer(TransferBody),
    /// A balance alert fired.
    Alert {
        /// The record.
        seq: u64,
        /// Below or above.
        direction: WireDirection,
        /// The threshold.
        threshold: u64,
        /// The balance that crossed it.
        balance: u64,
    },
    /// A client message was refused.
    Error {
        /// The code.
        code: String,
        /// For people.
        message: String,
    },
    /// Anything else (`book`, `pong`, `unsubscribed`, ...).
    #[serde(other)]
    Other,
}

impl ServerMessage {
    /// The record a message reflects, for the messages that belong to one (snapshots,
    /// replies and errors do not).
    pub fn record_seq(&self) -> Option<u64> {
        match self {
            ServerMessage::Quote { seq, .. }
            | ServerMessage::Trade { seq, .. }
            | ServerMessage::Order { seq, .. }
            | ServerMessage::Balance { seq, .. }
            | ServerMessage::Alert { seq, .. } => Some(*seq),
            ServerMessage::Fill(fill) => Some(fill.seq),
            ServerMessage::Transfer(transfer) => Some(transfer.seq),
            ServerMessage::Subscribed { .. }
            | ServerMessage::Resync { .. }
            | ServerMessage::Error { .. }
            | ServerMessage::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn server_messages_parse_from_the_hub_shapes() {
        let fill = r#"{"type":"fill","channel":"account","seq":9,"time_ms":1,"order_id":4,"symbol":"MNAD","side":"sell","price":31,"quantity":2,"role":"maker"}"#;
        let ServerMessage::Fill(fill) = serde_json::from_str(fill).expect("a fill") else {
            panic!("not a fill");
        };
        assert_eq!((fill.seq, fill.order_id, fill.quantity), (9, 4, 2));
        let order = r#"{"type":"order","channel":"account","seq":3,"event":{"type":"order_rested","order":4,"account":2,"symbol":"MNAD","side":"buy","price":30,"quantity":5,"filled":0,"client_order_id":7}}"#;
        let message: ServerMessage = serde_json::from_str(order).expect("an order");
        assert_eq!(
            message,
            ServerMessage::Order {
                seq: 3,
                event: OrderEvent::OrderRested {
                    order: 4,
                    quantity: 5
                }
            }
        );
        let book = r#"{"type":"book","channel":"book:MNAD","seq":3,"side":"buy","price":30,"quantity":5,"orders":1}"#;
        let book: ServerMessage = serde_json::from_str(book).expect("a book message");
        assert_eq!(book, ServerMessage::Other);
        assert_eq!(book.record_seq(), None);
        let alert_set = json!({"type":"order","channel":"account","seq":5,"event":{"type":"alert_set","account":1,"direction":"below","threshold":3}});
        let message: ServerMessage = serde_json::from_value(alert_set).expect("an order");
        assert_eq!(message.record_seq(), Some(5));
    }

    #[test]
    fn order_bodies_follow_the_api() {
        let body = PlaceOrderBody::new("MNAD", Side::Buy, Some(30), TimeInForce::PostOnly, 3, 9);
        assert_eq!(
            serde_json::to_value(&body).expect("JSON"),
            json!({"ticker":"MNAD","side":"buy","type":"limit","price":30,"quantity":3,
                   "time_in_force":"gtc","post_only":true,"client_order_id":9})
        );
        let body = PlaceOrderBody::new("MNAD", Side::Sell, None, TimeInForce::Ioc, 1, 10);
        assert_eq!(
            serde_json::to_value(&body).expect("JSON"),
            json!({"ticker":"MNAD","side":"sell","type":"market","quantity":1,"client_order_id":10})
        );
    }
}
