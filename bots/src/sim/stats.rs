//! Stylised facts of returns: the statistics by which simulated markets are compared with
//! real ones (returns barely autocorrelated, absolute returns clearly so, fat tails that
//! thin out over longer horizons).

use serde::Serialize;

/// Lags of the absolute returns' autocorrelation in the report: 1 to this.
pub const ABS_ACF_LAGS: usize = 10;

/// Horizons, in minutes, of the returns whose kurtosis is reported: 1 to this.
pub const KURTOSIS_HORIZONS: usize = 4;

/// The stylised facts of one-minute log returns. A figure is `None` when there are too few
/// returns, or they do not vary, to compute it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StylisedFacts {
    /// One-minute returns computed (minutes with a price before and after).
    pub returns: u64,
    /// Autocorrelation of one-minute log returns at lag 1.
    pub acf_lag1: Option<f64>,
    /// Autocorrelation of absolute one-minute log returns at lags 1 to [`ABS_ACF_LAGS`].
    pub abs_acf: Vec<Option<f64>>,
    /// Excess kurtosis of non-overlapping log returns over 1 to [`KURTOSIS_HORIZONS`]
    /// minutes.
    pub excess_kurtosis: Vec<Option<f64>>,
}

impl StylisedFacts {
    /// The facts of a series of per-minute prices (`None` before the first trade).
    pub fn of(prices: &[Option<u64>]) -> Self {
        let returns = log_returns(prices, 1);
        let absolute: Vec<f64> = returns.iter().map(|r| r.abs()).collect();
        Self {
            returns: returns.len() as u64,
            acf_lag1: autocorrelation(&returns, 1),
            abs_acf: (1..=ABS_ACF_LAGS)
                .map(|lag| autocorrelation(&absolute, lag))
                .collect(),
            excess_kurtosis: (1..=KURTOSIS_HORIZONS)
                .map(|horizon| excess_kurtosis(&log_returns(prices, horizon)))
                .collect(),
        }
    }
}

/// Non-overlapping log returns over `horizon` steps, from the first price on.
pub fn log_returns(prices: &[Option<u64>], horizon: usize) -> Vec<f64> {
    assert!(horizon > 0, "a return spans at least one step");
    let Some(first) = prices.iter().position(Option::is_some) else {
        return Vec::new();
    };
    let priced: Vec<f64> = prices[first..]
        .iter()
        .map(|p| p.expect("a price once traded stays known") as f64)
        .collect();
    priced
        .iter()
        .step_by(horizon)
        .zip(priced.iter().skip(horizon).step_by(horizon))
        .map(|(before, after)| (after / before).ln())
        .collect()
}

/// The sample autocorrelation of `xs` at `lag`.
pub fn autocorrelation(xs: &[f64], lag: usize) -> Option<f64> {
    if xs.len() <= lag + 1 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let variance: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    if variance == 0.0 {
        return None;
    }
    let covariance: f64 = xs
        .iter()
        .zip(&xs[lag..])
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    Some(covariance / variance)
}

/// The sample excess kurtosis of `xs`: the fourth central moment over the squared
/// second, minus 3 (0 for a normal distribution).
pub fn excess_kurtosis(xs: &[f64]) -> Option<f64> {
    if xs.len() < 4 {
        return None;
    }
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let moment = |k: i32| xs.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
    let m2 = moment(2);
    if m2 == 0.0 {
        return None;
    }
    Some(moment(4) / (m2 * m2) - 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    #[test]
    fn returns_start_at_the_first_price_and_do_not_overlap() {
        let prices = [None, Some(100), Some(110), Some(121), Some(110), Some(100)];
        let one = log_returns(&prices, 1);
        assert_eq!(one.len(), 4);
        assert!((one[0] - 1.1f64.ln()).abs() < 1e-12);
        let two = log_returns(&prices, 2);
        assert_eq!(two.len(), 2);
        assert!((two[0] - 1.21f64.ln()).abs() < 1e-12);
        assert!(log_returns(&[None, None], 1).is_empty());
    }

    #[test]
    fn alternating_returns_are_negatively_autocorrelated() {
        let xs = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0];
        assert!(close(autocorrelation(&xs, 1), -5.0 / 6.0));
        assert!(close(autocorrelation(&xs, 2), 4.0 / 6.0));
        assert_eq!(autocorrelation(&[1.0, 1.0, 1.0], 1), None);
        assert_eq!(autocorrelation(&[1.0, 2.0], 1), None);
    }

    #[test]
    fn kurtosis_of_known_samples() {
        // Two equal point masses: m4 / m2^2 = 1.
        assert!(close(excess_kurtosis(&[1.0, -1.0, 1.0, -1.0]), -2.0));
        // One outlier among zeros is heavy-tailed.
        let mut xs = vec![0.0; 99];
        xs.push(1.0);
        assert!(excess_kurtosis(&xs).unwrap() > 90.0);
        assert_eq!(excess_kurtosis(&[1.0; 5]), None);
    }

    #[test]
    fn facts_have_every_lag_and_horizon() {
        let prices: Vec<Option<u64>> = (0..50).map(|i| Some(100 + (i * 7) % 5)).collect();
        let facts = StylisedFacts::of(&prices);
        assert_eq!(facts.returns, 49);
        assert_eq!(facts.abs_acf.len(), ABS_ACF_LAGS);
        assert_eq!(facts.excess_kurtosis.len(), KURTOSIS_HORIZONS);
        assert!(facts.acf_lag1.is_some());
    }
}
