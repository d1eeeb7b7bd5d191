//! What is kept per account: its fills and its credit transfers.

use super::limits::{
    newest_first, push_bounded, FILLS_KEPT_PER_ACCOUNT, TRANSFERS_KEPT_PER_ACCOUNT,
};
use super::names;
use exchange_core::{AccountId, Credits, OrderId, Price, Quantity, Side, Symbol, TransferReason};
use serde::Serialize;
use std::collections::VecDeque;

/// Whether an order was resting (maker) or incoming (taker) when it traded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The resting order.
    Maker,
    /// The incoming order.
    Taker,
}

/// One side of a trade, as its account sees it: the API's `Fill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fill {
    /// The log record of the command that traded.
    pub seq: u64,
    /// When the sequencer accepted that command, in milliseconds since the epoch.
    pub time_ms: u64,
    /// The account's order that traded.
    pub order_id: OrderId,
    /// Where.
    pub symbol: Symbol,
    /// That order's side, `"buy"` or `"sell"`.
    #[serde(serialize_with = "names::side")]
    pub side: Side,
    /// The trade's price (the maker's), in credits per share.
    pub price: Price,
    /// Shares traded.
    pub quantity: Quantity,
    /// Maker or taker.
    pub role: Role,
}

/// Which way credits moved, seen from the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Credits came in.
    In,
    /// Credits went out.
    Out,
}

/// Why credits moved outside of trading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    /// One account paid another at its own request.
    Payment,
    /// An orchestrator funded an account it created.
    Funding,
    /// An orchestrator took back what an account it orchestrates held.
    Liquidation,
    /// New credits entered the exchange (an operator or admin deposit).
    Deposit,
}

impl From<TransferReason> for TransferKind {
    fn from(reason: TransferReason) -> Self {
        match reason {
            TransferReason::Payment => TransferKind::Payment,
            TransferReason::Funding => TransferKind::Funding,
            TransferReason::Liquidation => TransferKind::Liquidation,
        }
    }
}

/// Credits moving into or out of an account: the API's `Transfer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TransferEntry {
    /// The log record of the command that moved them.
    pub seq: u64,
    /// When the sequencer accepted that command, in milliseconds since the epoch.
    pub time_ms: u64,
    /// In or out.
    pub direction: Direction,
    /// The other account; `None` for deposits.
    pub counterparty: Option<AccountId>,
    /// How many credits.
    pub amount: Credits,
    /// Why.
    pub reason: TransferKind,
}

/// One account's history.
#[derive(Clone, Debug, Default)]
pub(super) struct AccountHistory {
    /// Fills, oldest first, at most [`FILLS_KEPT_PER_ACCOUNT`].
    fills: VecDeque<Fill>,
    /// Transfers, oldest first, at most [`TRANSFERS_KEPT_PER_ACCOUNT`].
    transfers: VecDeque<TransferEntry>,
}

impl AccountHistory {
    /// Records a fill, dropping the oldest beyond the limit.
    pub(super) fn push_fill(&mut self, fill: Fill) {
        assert!(fill.quantity.0 > 0, "invariant: fills have a quantity");
        push_bounded(&mut self.fills, fill, FILLS_KEPT_PER_ACCOUNT);
    }

    /// Records a transfer, dropping the oldest beyond the limit.
    pub(super) fn push_transfer(&mut self, transfer: TransferEntry) {
        assert!(transfer.amount.0 > 0, "invariant: transfers move credits");
        push_bounded(&mut self.transfers, transfer, TRANSFERS_KEPT_PER_ACCOUNT);
    }

    /// The newest `limit` fills, newest first.
    pub(super) fn fills(&self, limit: usize) -> Vec<Fill> {
        newest_first(&self.fills, limit)
    }

    /// The newest `limit` transfers, newest first.
    pub(super) fn transfers(&self, limit: usize) -> Vec<TransferEntry> {
        newest_first(&self.transfers, limit)
    }
}
