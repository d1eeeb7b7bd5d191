//! The market's record for the report: per-minute bars and time-weighted figures of the top
//! of the book. Time is virtual: the top as it stands at the end of a virtual instant holds
//! until the next instant at which anything happens, so states that last no time weigh
//! nothing.

use serde::Serialize;

/// One virtual minute in milliseconds.
pub const MINUTE_MS: u64 = 60_000;

/// One virtual minute of the market.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MinuteBar {
    /// Its index: minute 0 starts at virtual time 0.
    pub minute: u64,
    /// The last trade's price at its end (carried over from earlier minutes), if any.
    pub last_price: Option<u64>,
    /// The best bid at its end.
    pub bid: Option<u64>,
    /// The best ask at its end.
    pub ask: Option<u64>,
    /// The spread at its end, when both sides were present.
    pub spread: Option<u64>,
    /// The spread averaged over the time in the minute that the book was two-sided.
    pub mean_spread: Option<f64>,
    /// Shares traded in it.
    pub volume: u64,
    /// Trades in it.
    pub trades: u64,
    /// Milliseconds of it accounted for (60,000 except for a last, partial minute).
    pub elapsed_ms: u64,
    /// Milliseconds of it with both a bid and an ask.
    pub two_sided_ms: u64,
}

/// What is accumulated for the minute in progress.
#[derive(Clone, Copy, Debug, Default)]
struct Accumulating {
    volume: u64,
    trades: u64,
    elapsed_ms: u64,
    two_sided_ms: u64,
    /// Sum of spread times milliseconds, while two-sided.
    spread_ms: u128,
}

/// The recorder.
#[derive(Clone, Debug, Default)]
pub(super) struct Tape {
    /// Time accounted for so far.
    now_ms: u64,
    bid: Option<u64>,
    ask: Option<u64>,
    last_price: Option<u64>,
    current: Accumulating,
    closed: Vec<MinuteBar>,
    two_sided_ms: u64,
    spread_ms: u128,
    trades: u64,
    volume: u64,
}

impl Tape {
    /// Accounts the time up to `to_ms` with the current top of the book, closing every
    /// minute it passes the end of.
    pub(super) fn advance(&mut self, to_ms: u64) {
        assert!(to_ms >= self.now_ms, "virtual time never goes back");
        while self.now_ms < to_ms {
            let minute_end = (self.now_ms / MINUTE_MS + 1) * MINUTE_MS;
            let until = to_ms.min(minute_end);
            self.account(until - self.now_ms);
            self.now_ms = until;
            if until == minute_end {
                let bar = self.bar();
                self.closed.push(bar);
                self.current = Accumulating::default();
            }
        }
    }

    /// Adds `ms` milliseconds of the current top to the minute in progress and the totals.
    fn account(&mut self, ms: u64) {
        self.current.elapsed_ms += ms;
        if let Some(spread) = self.spread() {
            let weighted = u128::from(spread) * u128::from(ms);
            self.current.two_sided_ms += ms;
            self.current.spread_ms += weighted;
            self.two_sided_ms += ms;
            self.spread_ms += weighted;
        }
    }

    /// The spread, when both sides are present.
    fn spread(&self) -> Option<u64> {
        Some(self.ask?.saturating_sub(self.bid?))
    }

    /// The minute in progress as a bar.
    fn bar(&self) -> MinuteBar {
        let current = self.current;
        MinuteBar {
            minute: self.closed.len() as u64,
            last_price: self.last_price,
            bid: self.bid,
            ask: self.ask,
            spread: self.spread(),
            mean_spread: mean(current.spread_ms, current.two_sided_ms),
            volume: current.volume,
            trades: current.trades,
            elapsed_ms: current.elapsed_ms,
            two_sided_ms: current.two_sided_ms,
        }
    }

    /// The top of the book from now on.
    pub(super) fn quote(&mut self, bid: Option<u64>, ask: Option<u64>) {
        self.bid = bid;
        self.ask = ask;
    }

    /// A trade now.
    pub(super) fn trade(&mut self, price: u64, quantity: u64) {
        self.last_price = Some(price);
        self.current.trades += 1;
        self.current.volume += quantity;
        self.trades += 1;
        self.volume += quantity;
    }

    /// Every minute so far: the closed ones, then the one in progress if any time of it
    /// has passed.
    pub(super) fn bars(&self) -> Vec<MinuteBar> {
        let mut bars = self.closed.clone();
        if self.current.elapsed_ms > 0 {
            bars.push(self.bar());
        }
        bars
    }

    /// The share of the time so far that the book was two-sided (0 before any time passed).
    pub(super) fn two_sided_fraction(&self) -> f64 {
        if self.now_ms == 0 {
            return 0.0;
        }
        self.two_sided_ms as f64 / self.now_ms as f64
    }

    /// The spread averaged over the time the book was two-sided.
    pub(super) fn mean_spread(&self) -> Option<f64> {
        mean(self.spread_ms, self.two_sided_ms)
    }

    /// Trades and shares traded so far.
    pub(super) fn totals(&self) -> (u64, u64) {
        (self.trades, self.volume)
    }

    /// The last trade's price.
    pub(super) fn last_price(&self) -> Option<u64> {
        self.last_price
    }
}

/// `weighted / ms`, or `None` over no time.
fn mean(weighted: u128, ms: u64) -> Option<f64> {
    (ms > 0).then(|| weighted as f64 / ms as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_is_weighted_and_split_at_minute_boundaries() {
        let mut tape = Tape::default();
        tape.advance(30_000); // one-sided for the first half minute
        tape.quote(Some(99), Some(101));
        tape.trade(100, 3);
        tape.advance(90_000); // two-sided, spread 2, across the boundary
        tape.quote(Some(99), Some(103));
        tape.advance(120_000); // spread 4 for the last half minute
        let bars = tape.bars();
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0].two_sided_ms, 30_000);
        assert_eq!(bars[0].volume, 3);
        assert_eq!(bars[0].last_price, Some(100));
        assert_eq!(bars[1].mean_spread, Some(3.0));
        assert_eq!(bars[1].spread, Some(4));
        assert_eq!(bars[1].trades, 0);
        assert_eq!(tape.two_sided_fraction(), 0.75);
        assert_eq!(tape.mean_spread(), Some(8.0 / 3.0));
    }

    #[test]
    fn a_partial_minute_is_reported() {
        let mut tape = Tape::default();
        tape.advance(61_000);
        let bars = tape.bars();
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[1].elapsed_ms, 1_000);
        assert_eq!(tape.two_sided_fraction(), 0.0);
    }
}
