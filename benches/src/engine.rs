//! The interface every benchmarked engine is driven through.

use crate::workload::Op;

/// A matching engine that can replay a workload's command stream.
///
/// Adapters implement this thinly over each engine so that all of them see the
/// same pre-generated commands, and their total filled volume can be checked
/// against the workload's reference before their timings are believed.
/// Engines also implement `Default`, which [`measure`](crate::measure()) uses
/// to build a fresh, empty engine for every timed run.
pub trait Engine {
    /// A short, stable name used in the benchmark's output, e.g. `matchcore`.
    fn name(&self) -> &'static str;

    /// Applies one command. Every cancel in a workload names a resting order,
    /// so an engine that cannot find it has diverged and should panic.
    fn apply(&mut self, op: &Op);

    /// Total quantity traded so far, counted once per fill (not per side).
    fn filled_volume(&self) -> u64;
}
