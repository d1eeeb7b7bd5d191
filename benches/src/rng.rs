//! SplitMix64, the random number generator every workload is defined with.
//!
//! The workloads are specified in terms of this exact generator (see
//! `workloads.md`), so every engine, in every language, can regenerate the same
//! command stream from a seed.

/// The SplitMix64 generator: a 64-bit counter scrambled by a fixed mixing function.
///
/// Tiny, fast and fully determined by its seed, which is what a benchmark
/// workload needs; it is not meant for cryptography.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// The golden-ratio increment added to the state before every output.
    const INCREMENT: u64 = 0x9E37_79B9_7F4A_7C15;

    /// Creates a generator whose first output is derived from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Advances the state and returns the next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(Self::INCREMENT);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a value in `0..n` by multiply-shift: `(next_u64() * n) >> 64`.
    ///
    /// Consumes exactly one output whatever `n` is, so the stream of draws
    /// does not depend on the bounds asked for. `n` must not be zero.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0) has no value to return");
        let wide = u128::from(self.next_u64()) * u128::from(n);
        // The product of a u64 and a value below 2^64 shifted right by 64 is below n.
        (wide >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_u64_matches_the_reference_outputs_for_seed_0() {
        // First outputs of Vigna's reference splitmix64.c seeded with 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn below_scales_the_output_by_multiply_shift() {
        let mut raw = SplitMix64::new(42);
        let mut scaled = SplitMix64::new(42);
        for n in [1, 2, 100, 101, u64::MAX] {
            let expected = ((u128::from(raw.next_u64()) * u128::from(n)) >> 64) as u64;
            let got = scaled.below(n);
            assert_eq!(got, expected);
            assert!(got < n);
        }
    }
}
