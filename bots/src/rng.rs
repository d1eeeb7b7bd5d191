//! The bots' random numbers: ChaCha8 from an explicit seed, so a simulation replays exactly.

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

/// A seeded random number generator with the few draws strategies need.
#[derive(Clone, Debug)]
pub struct BotRng(ChaCha8Rng);

impl BotRng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(ChaCha8Rng::seed_from_u64(seed))
    }

    /// An independent generator for stream `stream` of the same seed (one per bot), so
    /// adding a bot does not change the draws of the others.
    pub fn fork(seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Self(rng)
    }

    /// A uniform draw from `0..n`. `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "a draw from an empty range");
        // Rejection sampling keeps the draw exactly uniform.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A uniform draw from `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        assert!(low <= high, "an empty range {low}..={high}");
        if high - low == u64::MAX {
            return self.0.next_u64();
        }
        low + self.below(high - low + 1)
    }

    /// True with probability `numerator / denominator`.
    pub fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        assert!(numerator <= denominator, "a probability above 1");
        self.below(denominator) < numerator
    }

    /// A uniform draw from `[0, 1)`, for strategies whose parameters are fractions.
    /// Strategies may use floats for decisions; the engine's state never holds them.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits: every value is exactly representable.
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_draws_and_streams_differ() {
        let draws = |mut rng: BotRng| (0..8).map(|_| rng.below(1000)).collect::<Vec<_>>();
        assert_eq!(draws(BotRng::new(7)), draws(BotRng::new(7)));
        assert_ne!(draws(BotRng::new(7)), draws(BotRng::new(8)));
        assert_ne!(draws(BotRng::fork(7, 1)), draws(BotRng::fork(7, 2)));
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = BotRng::new(1);
        for _ in 0..1000 {
            assert!(rng.below(6) < 6);
            assert!((3..=5).contains(&rng.between(3, 5)));
            let unit = rng.unit();
            assert!((0.0..1.0).contains(&unit));
        }
        assert!(!rng.chance(0, 5));
        assert!(rng.chance(5, 5));
    }
}
