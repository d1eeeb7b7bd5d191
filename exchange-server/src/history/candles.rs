//! Candles: one-minute buckets of a ticker's trades, stored; coarser intervals are
//! aggregated from them when asked.

use super::limits::{push_bounded, CANDLES_1M_KEPT_PER_TICKER, DAY_MS, MINUTE_MS};
use exchange_core::{Price, Quantity};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;

/// A candle width, spelled `"1m"`, `"5m"`, `"15m"`, `"1h"`, `"4h"` or `"1d"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Interval {
    /// One minute, the stored resolution.
    #[serde(rename = "1m")]
    M1,
    /// Five minutes.
    #[serde(rename = "5m")]
    M5,
    /// Fifteen minutes.
    #[serde(rename = "15m")]
    M15,
    /// One hour.
    #[serde(rename = "1h")]
    H1,
    /// Four hours.
    #[serde(rename = "4h")]
    H4,
    /// One day (UTC days: buckets start at multiples of 24 hours since the epoch).
    #[serde(rename = "1d")]
    D1,
}

impl Interval {
    /// Every interval, shortest first.
    pub const ALL: [Interval; 6] = [
        Interval::M1,
        Interval::M5,
        Interval::M15,
        Interval::H1,
        Interval::H4,
        Interval::D1,
    ];

    /// The interval named `text` (`"1m"`, `"5m"`, `"15m"`, `"1h"`, `"4h"`, `"1d"`).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == text)
    }

    /// Its name in the API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Interval::M1 => "1m",
            Interval::M5 => "5m",
            Interval::M15 => "15m",
            Interval::H1 => "1h",
            Interval::H4 => "4h",
            Interval::D1 => "1d",
        }
    }

    /// Its width in milliseconds; always a whole number of minutes.
    pub const fn length_ms(self) -> u64 {
        match self {
            Interval::M1 => MINUTE_MS,
            Interval::M5 => 5 * MINUTE_MS,
            Interval::M15 => 15 * MINUTE_MS,
            Interval::H1 => 60 * MINUTE_MS,
            Interval::H4 => 240 * MINUTE_MS,
            Interval::D1 => DAY_MS,
        }
    }
}

// Coarse buckets are unions of whole one-minute buckets.
const _: () = {
    let mut i = 0;
    while i < Interval::ALL.len() {
        let length_ms = Interval::ALL[i].length_ms();
        assert!(length_ms / MINUTE_MS * MINUTE_MS == length_ms);
        i += 1;
    }
};

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The trades of one ticker in one bucket `[time_ms, time_ms + interval)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Candle {
    /// The bucket's start, in milliseconds since the epoch: a multiple of its interval.
    pub time_ms: u64,
    /// The first trade's price, in credits per share.
    pub open: Price,
    /// The highest trade price.
    pub high: Price,
    /// The lowest trade price.
    pub low: Price,
    /// The last trade's price.
    pub close: Price,
    /// Shares traded.
    pub volume: Quantity,
    /// Trades; never 0 (buckets without trades are left out).
    pub trades: u64,
}

impl Candle {
    /// The bucket starting at `time_ms` holding one trade.
    fn first(time_ms: u64, price: Price, quantity: Quantity) -> Self {
        Self {
            time_ms,
            open: price,
            high: price,
            low: price,
            close: price,
            volume: quantity,
            trades: 1,
        }
    }

    /// Adds a later trade.
    fn add_trade(&mut self, price: Price, quantity: Quantity) {
        self.high = self.high.max(price);
        self.low = self.low.min(price);
        self.close = price;
        self.volume = Quantity(add_volume(self.volume.0, quantity.0));
        self.trades += 1;
    }

    /// Adds an earlier bucket (aggregating newest to oldest).
    fn absorb_older(&mut self, older: &Candle) {
        assert!(
            older.time_ms >= self.time_ms,
            "invariant: an absorbed bucket lies inside the coarse bucket"
        );
        self.open = older.open;
        self.high = self.high.max(older.high);
        self.low = self.low.min(older.low);
        self.volume = Quantity(add_volume(self.volume.0, older.volume.0));
        self.trades += older.trades;
    }
}

/// Sums traded shares. Any sum of kept buckets is at most the ticker's total volume, which
/// the core already keeps in a `u64`, so it cannot overflow.
fn add_volume(a: u64, b: u64) -> u64 {
    a.checked_add(b)
        .expect("invariant: volumes are bounded by the core's total volume")
}

/// A ticker's trading over the last 24 hours, at one-minute resolution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DayStats {
    /// Shares traded.
    pub volume: u64,
    /// Trades.
    pub trades: u64,
    /// The first trade's price in the window, in credits per share.
    pub first_price: Option<u64>,
    /// The last trade's price in the window, in credits per share.
    pub last_price: Option<u64>,
}

/// A ticker's one-minute candles, oldest first, at most [`CANDLES_1M_KEPT_PER_TICKER`].
#[derive(Clone, Debug, Default)]
pub(super) struct CandleSeries {
    /// Buckets with at least one trade, in strictly increasing `time_ms`.
    buckets: VecDeque<Candle>,
}

impl CandleSeries {
    /// Counts a trade at `time_ms`. A trade stamped before the newest bucket (the
    /// sequencer's clock stepped back) counts in the newest bucket, so buckets stay in order.
    pub(super) fn record(&mut self, time_ms: u64, price: Price, quantity: Quantity) {
        assert!(price.0 > 0, "invariant: trades have a price");
        assert!(quantity.0 > 0, "invariant: trades have a quantity");
        let start = time_ms / MINUTE_MS * MINUTE_MS;
        if let Some(newest) = self.buckets.back_mut() {
            if start <= newest.time_ms {
                newest.add_trade(price, quantity);
                return;
            }
        }
        let candle = Candle::first(start, price, quantity);
        push_bounded(&mut self.buckets, candle, CANDLES_1M_KEPT_PER_TICKER);
    }

    /// Candles of `interval` whose start lies in `[from_ms, to_ms]`, oldest first: the
    /// newest `limit` of them if more match.
    pub(super) fn query(
        &self,
        interval: Interval,
        from_ms: u64,
        to_ms: u64,
        limit: usize,
    ) -> Vec<Candle> {
        let length_ms = interval.length_ms();
        if limit == 0 || from_ms > to_ms {
            return Vec::new();
        }
        // A coarse start in [from_ms, to_ms] is a minute start in [low, high).
        let Some(low) = from_ms.div_ceil(length_ms).checked_mul(length_ms) else {
            return Vec::new();
        };
        let high = (to_ms / length_ms * length_ms).saturating_add(length_ms);
        let begin = self.buckets.partition_point(|c| c.time_ms < low);
        let end = self.buckets.partition_point(|c| c.time_ms < high);
        let mut candles: Vec<Candle> = Vec::new();
        for minute in self.buckets.range(begin..end.max(begin)).rev() {
            let start = minute.time_ms / length_ms * length_ms;
            if let Some(candle) = candles.last_mut().filter(|c| c.time_ms == start) {
                candle.absorb_older(minute);
                continue;
            }
            if candles.len() == limit {
                break;
            }
            candles.push(Candle {
                time_ms: start,
                ..*minute
            });
        }
        candles.reverse();
        candles
    }

    /// Trading in the one-minute buckets whose start lies in `(now_ms - 24h, now_ms]`.
    pub(super) fn day_stats(&self, now_ms: u64) -> DayStats {
        let low = now_ms.saturating_add(1).saturating_sub(DAY_MS);
        let begin = self.buckets.partition_point(|c| c.time_ms < low);
        let end = self.buckets.partition_point(|c| c.time_ms <= now_ms);
        let window = self.buckets.range(begin..end.max(begin));
        let mut stats = DayStats::default();
        for candle in window {
            stats.volume = add_volume(stats.volume, candle.volume.0);
            stats.trades += candle.trades;
            stats.first_price.get_or_insert(candle.open.0);
            stats.last_price = Some(candle.close.0);
        }
        stats
    }

    /// How many one-minute buckets are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.buckets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candle(time_ms: u64, ohlc: [u64; 4], volume: u64, trades: u64) -> Candle {
        let [open, high, low, close] = ohlc.map(Price);
        Candle {
            time_ms,
            open,
            high,
            low,
            close,
            volume: Quantity(volume),
            trades,
        }
    }

    #[test]
    fn intervals_parse_and_serialize_by_name() {
        for interval in Interval::ALL {
            assert_eq!(Interval::parse(interval.as_str()), Some(interval));
            let json = serde_json::to_string(&interval).unwrap();
            assert_eq!(json, format!("\"{interval}\""));
        }
        assert_eq!(Interval::parse("2m"), None);
        assert_eq!(Interval::parse("1M"), None);
        assert_eq!(Interval::H4.length_ms(), 4 * 3_600_000);
    }

    #[test]
    fn aggregation_spans_whole_coarse_buckets() {
        let mut series = CandleSeries::default();
        series.record(4 * MINUTE_MS, Price(10), Quantity(1)); // 5m bucket 0
        series.record(5 * MINUTE_MS, Price(12), Quantity(2)); // 5m bucket 5
        series.record(9 * MINUTE_MS + 59_999, Price(8), Quantity(3));
        series.record(10 * MINUTE_MS, Price(11), Quantity(4)); // 5m bucket 10
        let five = |from, to, limit| series.query(Interval::M5, from, to, limit);
        let all = five(0, u64::MAX, 100);
        assert_eq!(
            all,
            vec![
                candle(0, [10, 10, 10, 10], 1, 1),
                candle(5 * MINUTE_MS, [12, 12, 8, 8], 5, 2),
                candle(10 * MINUTE_MS, [11, 11, 11, 11], 4, 1),
            ]
        );
        // Starts must lie in [from, to]: 1 ms after a start excludes that bucket.
        assert_eq!(five(1, u64::MAX, 100), all[1..].to_vec());
        assert_eq!(five(0, 10 * MINUTE_MS - 1, 100), all[..2].to_vec());
        assert_eq!(five(5 * MINUTE_MS, 5 * MINUTE_MS, 100), all[1..2].to_vec());
        // The newest `limit` are kept.
        assert_eq!(five(0, u64::MAX, 2), all[1..].to_vec());
        assert_eq!(five(0, u64::MAX, 0), vec![]);
        assert_eq!(five(10, 5, 100), vec![]);
        assert_eq!(
            series.query(Interval::D1, 0, 0, 5),
            vec![candle(0, [10, 12, 8, 11], 10, 4)]
        );
    }

    #[test]
    fn a_clock_stepping_back_counts_in_the_newest_bucket() {
        let mut series = CandleSeries::default();
        series.record(2 * MINUTE_MS, Price(10), Quantity(1));
        series.record(MINUTE_MS, Price(9), Quantity(1));
        assert_eq!(
            series.query(Interval::M1, 0, u64::MAX, 10),
            vec![candle(2 * MINUTE_MS, [10, 10, 9, 9], 2, 2)]
        );
    }

    #[test]
    fn the_oldest_minute_is_dropped_beyond_the_limit() {
        let mut series = CandleSeries::default();
        let minutes = CANDLES_1M_KEPT_PER_TICKER as u64 + 1;
        for minute in 0..minutes {
            series.record(minute * MINUTE_MS, Price(1 + minute), Quantity(1));
        }
        assert_eq!(series.len(), CANDLES_1M_KEPT_PER_TICKER);
        let oldest = series.query(Interval::M1, 0, u64::MAX, usize::MAX);
        assert_eq!(oldest.len(), CANDLES_1M_KEPT_PER_TICKER);
        assert_eq!(oldest[0].time_ms, MINUTE_MS);
        let last_day = series.day_stats((minutes - 1) * MINUTE_MS);
        assert_eq!(last_day.trades, 1_440);
        assert_eq!(last_day.first_price, Some(minutes - 1_440 + 1));
        assert_eq!(last_day.last_price, Some(minutes));
    }

    #[test]
    fn day_stats_cover_the_last_24_hours() {
        let mut series = CandleSeries::default();
        series.record(0, Price(5), Quantity(1));
        series.record(MINUTE_MS, Price(7), Quantity(2));
        series.record(DAY_MS, Price(9), Quantity(3));
        let at = |now_ms| series.day_stats(now_ms);
        assert_eq!(
            at(DAY_MS - 1),
            DayStats {
                volume: 3,
                trades: 2,
                first_price: Some(5),
                last_price: Some(7)
            }
        );
        // At DAY_MS, the bucket at 0 starts exactly 24 hours ago: outside (now - 24h, now].
        assert_eq!(
            at(DAY_MS),
            DayStats {
                volume: 5,
                trades: 2,
                first_price: Some(7),
                last_price: Some(9)
            }
        );
        assert_eq!(at(3 * DAY_MS), DayStats::default());
        assert_eq!(at(0).trades, 1);
    }
}
