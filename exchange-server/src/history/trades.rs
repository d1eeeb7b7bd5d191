//! What is kept per ticker: its symbol, its recent trade prints and its candles.

use super::candles::CandleSeries;
use super::limits::{newest_first, push_bounded, TRADES_KEPT_PER_TICKER};
use super::names;
use super::Stamp;
use exchange_core::{Price, Quantity, Side, Symbol};
use serde::Serialize;
use std::collections::VecDeque;

/// One trade as the market sees it (no order ids, no accounts): the API's `Trade`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TradePrint {
    /// The log record of the command that traded.
    pub seq: u64,
    /// When the sequencer accepted that command, in milliseconds since the epoch.
    pub time_ms: u64,
    /// Where.
    pub symbol: Symbol,
    /// The resting order's price, in credits per share.
    pub price: Price,
    /// Shares traded.
    pub quantity: Quantity,
    /// The incoming order's side, `"buy"` or `"sell"`.
    #[serde(serialize_with = "names::side")]
    pub taker_side: Side,
}

/// One ticker's history.
#[derive(Clone, Debug)]
pub(super) struct TickerHistory {
    /// Its symbol, from `TickerCreated`.
    pub(super) symbol: Symbol,
    /// Recent trades, oldest first, at most [`TRADES_KEPT_PER_TICKER`].
    prints: VecDeque<TradePrint>,
    /// One-minute candles.
    pub(super) candles: CandleSeries,
}

impl TickerHistory {
    /// A newly listed ticker: no trades yet.
    pub(super) fn new(symbol: Symbol) -> Self {
        Self {
            symbol,
            prints: VecDeque::new(),
            candles: CandleSeries::default(),
        }
    }

    /// Records a trade in the prints and the candles.
    pub(super) fn record_trade(
        &mut self,
        at: Stamp,
        price: Price,
        quantity: Quantity,
        taker_side: Side,
    ) {
        let print = TradePrint {
            seq: at.seq,
            time_ms: at.time_ms,
            symbol: self.symbol,
            price,
            quantity,
            taker_side,
        };
        push_bounded(&mut self.prints, print, TRADES_KEPT_PER_TICKER);
        self.candles.record(at.time_ms, price, quantity);
    }

    /// The newest `limit` trades, newest first.
    pub(super) fn trades(&self, limit: usize) -> Vec<TradePrint> {
        newest_first(&self.prints, limit)
    }
}
