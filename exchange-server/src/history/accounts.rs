//! What is kept per account: its fills and its credit transfers.

use super::limits::{
    newest_first, push_bounded, FILLS_KEPT_PER_ACCOUNT, TRANSFERS_KEPT_PER_ACCOUNT,
};
use super::names;
use crate::wire::{WireRole, WireTransferDirection, WireTransferReason};
use exchange_core::{AccountId, Credits, OrderId, Price, Quantity, Side, Symbol};
use serde::Serialize;
use std::collections::VecDeque;

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
    pub role: WireRole,
}

/// Credits moving into or out of an account: the API's `Transfer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TransferEntry {
    /// The log record of the command that moved them.
    pub seq: u64,
    /// When the sequencer accepted that command, in milliseconds since the epoch.
    pub time_ms: u64,
    /// In or out.
    pub direction: WireTransferDirection,
    /// The other account; `None` for deposits.
    pub counterparty: Option<AccountId>,
    /// How many credits.
    pub amount: Credits,
    /// Why.
    pub reason: WireTransferReason,
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
