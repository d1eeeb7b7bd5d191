//! [`Latencies`]: an HDR histogram of durations, in microseconds, with 3 significant
//! digits (so every percentile printed is within 0.1% of the exact one).

use std::time::Duration;

use hdrhistogram::Histogram;

/// The longest latency recorded exactly, in microseconds (an hour); longer ones are
/// recorded as this.
pub const LATENCY_US_MAX: u64 = 3_600_000_000;

/// Significant decimal digits the histogram keeps.
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// A histogram of latencies.
#[derive(Clone, Debug)]
pub struct Latencies {
    histogram: Histogram<u64>,
}

impl Default for Latencies {
    fn default() -> Self {
        Latencies::new()
    }
}

impl Latencies {
    /// An empty histogram.
    pub fn new() -> Latencies {
        // 1 us to an hour with 3 significant digits are valid bounds (the lowest
        // discernible value is at least 1, the highest at least twice it).
        let histogram = Histogram::new_with_bounds(1, LATENCY_US_MAX, SIGNIFICANT_DIGITS)
            .expect("invariant: the histogram's bounds are valid");
        Latencies { histogram }
    }

    /// Records one latency (rounded down to a microsecond, at least 1, at most an hour).
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.histogram.saturating_record(micros.max(1));
    }

    /// Adds every latency of `other`.
    pub fn merge(&mut self, other: &Latencies) {
        // Both histograms have the same bounds, so every value of `other` fits.
        self.histogram
            .add(&other.histogram)
            .expect("invariant: histograms with equal bounds always add");
    }

    /// How many latencies were recorded.
    pub fn count(&self) -> u64 {
        self.histogram.len()
    }

    /// The `quantile` (from 0 to 1) in milliseconds; 0 if nothing was recorded.
    pub fn quantile_ms(&self, quantile: f64) -> f64 {
        assert!((0.0..=1.0).contains(&quantile), "a quantile is a fraction");
        micros_to_ms(self.histogram.value_at_quantile(quantile))
    }

    /// The largest latency in milliseconds; 0 if nothing was recorded.
    pub fn max_ms(&self) -> f64 {
        micros_to_ms(self.histogram.max())
    }
}

/// Milliseconds, for printing.
fn micros_to_ms(micros: u64) -> f64 {
    micros as f64 / 1_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadgen_latency_quantiles_come_from_every_merged_record() {
        let mut fast = Latencies::new();
        for _ in 0..990 {
            fast.record(Duration::from_micros(500));
        }
        let mut slow = Latencies::new();
        for _ in 0..10 {
            slow.record(Duration::from_millis(20));
        }
        fast.merge(&slow);
        assert_eq!(fast.count(), 1_000);
        assert!((fast.quantile_ms(0.5) - 0.5).abs() < 0.001);
        assert!((fast.quantile_ms(0.99) - 0.5).abs() < 0.001);
        assert!((fast.quantile_ms(0.999) - 20.0).abs() < 0.02);
        assert!((fast.max_ms() - 20.0).abs() < 0.02);
        assert_eq!(Latencies::new().max_ms(), 0.0);
    }
}
