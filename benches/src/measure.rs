//! Timing an engine over a whole command stream.

use std::hint::black_box;
use std::time::{Duration, Instant};

use exchange_server::server::sequencer::BATCH_COMMANDS_MAX;

use crate::engine::Engine;
use crate::workload::Op;

/// One engine's figures on one workload.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The engine's [`Engine::name`].
    pub engine: &'static str,
    /// Median over the runs of the time per command, in nanoseconds.
    pub ns_per_cmd: f64,
    /// Total filled volume of a run; every run must agree on it.
    pub filled_volume: u64,
}

/// Replays `ops` through a fresh `E` `runs` times and reports the median time per command.
///
/// Building, preparing and dropping each engine are outside the timed region, which
/// covers exactly the `apply_batch` loop. Every run must report the same filled
/// volume: engines are deterministic, so a difference is a bug, not noise.
pub fn measure<E: Engine + Default>(ops: &[Op], runs: usize) -> Measurement {
    assert!(runs > 0, "a measurement needs at least one run");
    assert!(!ops.is_empty(), "a measurement needs at least one command");
    let mut results: Vec<Run> = (0..runs).map(|_| time_run::<E>(ops)).collect();
    let first = results[0];
    for run in &results {
        assert_eq!(
            run.filled_volume, first.filled_volume,
            "{} is not deterministic",
            first.engine
        );
    }
    results.sort_unstable_by_key(|run| run.elapsed);
    let median = results[results.len() / 2].elapsed;
    Measurement {
        engine: first.engine,
        ns_per_cmd: median.as_nanos() as f64 / ops.len() as f64,
        filled_volume: first.filled_volume,
    }
}

/// What one timed replay produced.
#[derive(Clone, Copy, Debug)]
struct Run {
    /// The engine's name.
    engine: &'static str,
    /// Time spent in the `apply_batch` loop.
    elapsed: Duration,
    /// The engine's filled volume at the end.
    filled_volume: u64,
}

/// Replays every command through a fresh engine, timing only the `apply_batch` loop. The
/// commands go in batches as large as the server's sequencer makes them.
fn time_run<E: Engine + Default>(ops: &[Op]) -> Run {
    let mut engine = E::default();
    engine.prepare(ops);
    let start = Instant::now();
    for batch in ops.chunks(BATCH_COMMANDS_MAX) {
        engine.apply_batch(black_box(batch));
    }
    let elapsed = start.elapsed();
    Run {
        engine: engine.name(),
        elapsed,
        filled_volume: black_box(engine.filled_volume()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::BaselineBook;
    use crate::workload::Side;

    #[test]
    fn measure_reports_the_engine_and_its_volume() {
        let ops = [
            Op::Limit {
                id: 0,
                side: Side::Sell,
                price: 100,
                qty: 5,
            },
            Op::Limit {
                id: 1,
                side: Side::Buy,
                price: 100,
                qty: 3,
            },
            Op::Cancel { id: 0 },
        ];
        let measurement = measure::<BaselineBook>(&ops, 3);
        assert_eq!(measurement.engine, "btreemap-baseline");
        assert_eq!(measurement.filled_volume, 3);
        assert!(measurement.ns_per_cmd >= 0.0);
    }
}
