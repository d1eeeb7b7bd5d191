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

    /// Applies a run of consecutive commands, as the server's sequencer hands the engine a
    /// batch. By default one [`Engine::apply`] after another; an engine that runs a batch
    /// better than that (exchange-core looks ahead in it) does so here.
    fn apply_batch(&mut self, ops: &[Op]) {
        ops.iter().for_each(|op| self.apply(op));
    }

    /// Total quantity traded so far, counted once per fill (not per side).
    fn filled_volume(&self) -> u64;

    /// Sizes the adapter's own tables (workload id to engine order id) for `ops` before
    /// the timed replay, so that growing them is not counted as the engine's time. The
    /// engine itself is left as it is. By default, nothing.
    fn prepare(&mut self, ops: &[Op]) {
        let _ = ops;
    }
}

/// One past the highest workload order id in `ops`: the length of a table indexed by id.
pub fn id_table_len(ops: &[Op]) -> usize {
    let id = |op: &Op| match *op {
        Op::Limit { id, .. } | Op::Cancel { id } => id,
    };
    ops.iter().map(id).max().map_or(0, |max| {
        usize::try_from(max).expect("workload ids fit usize") + 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::Side;

    #[test]
    fn an_id_table_covers_the_highest_id() {
        let limit = |id| Op::Limit {
            id,
            side: Side::Buy,
            price: 100,
            qty: 1,
        };
        assert_eq!(id_table_len(&[]), 0);
        assert_eq!(id_table_len(&[limit(0)]), 1);
        assert_eq!(id_table_len(&[limit(3), Op::Cancel { id: 3 }, limit(7)]), 8);
    }
}
