//! Benchmarks of exchange-core against peer crates, on the same command
//! streams, in the same process.
//!
//! The machines these run on are shared and noisy, so an absolute time says
//! little; what this crate reports are times *and their ratios*, measured
//! side by side (see `workloads.md` in the design notes).
//!
//! - [`workload`] generates the W1 (shallow book, heavy crossing) and W2
//!   (deep book) command streams from a [`SplitMix64`] seed, with the figures
//!   a correct engine must reproduce on them.
//! - [`Engine`] is the interface every engine is driven through;
//!   [`BaselineBook`] is the straightforward reference book,
//!   [`peers`] holds the adapters for peer crates, and [`FloorEngine`] is
//!   the least a full engine does per command, the yardstick for the targets.
//! - [`measure()`] times an engine over a whole stream; the `peers` binary
//!   times every engine and prints one line per engine and per ratio:
//!
//! ```text
//! cargo run --release -p benches --bin peers -- W1
//! ```
//!
//! An engine's timing is only reported once its total filled volume equals
//! the workload's reference: an engine that trades differently is not
//! running the workload.
//!
//! [`durable`] measures the journaled engine on the sled event log: durable throughput
//! with group commit, replay, snapshot and restart times:
//!
//! ```text
//! cargo run --release -p benches --bin durable
//! ```

pub mod baseline;
pub mod durable;
pub mod engine;
pub mod floor;
pub mod loadgen;
pub mod measure;
pub mod peers;
pub mod rng;
pub mod workload;

#[cfg(test)]
mod testing;

pub use baseline::{BaselineBook, Placement};
pub use engine::Engine;
pub use floor::FloorEngine;
pub use measure::{measure, Measurement};
pub use peers::exchange_core::{ExchangeCoreEngine, OneByOne, Setup, Translator};
pub use peers::matchcore::MatchcoreEngine;
pub use rng::SplitMix64;
pub use workload::{w1, w2, Op, Side, Workload, LIMITS_PER_WORKLOAD};
