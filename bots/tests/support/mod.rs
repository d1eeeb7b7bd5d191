//! Helpers for the simulation tests: runs on the in-memory log, and a replay that re-runs
//! the audit's checks through exchange-core.

use bots::sim::{Cast, Checks, Population, SimConfig, Simulation};
use exchange_core::log::{encode, Entry, EventLog, MemoryLog};
use exchange_core::{decide, evolve, Journal, State, StateHash};

/// One virtual minute.
pub const MINUTE_MS: u64 = 60_000;

/// A finished run of `population` on the in-memory log.
pub fn run(
    population: &Population,
    seed: u64,
    duration_ms: u64,
    checks: Checks,
) -> Simulation<MemoryLog> {
    run_with(
        population,
        SimConfig::new(seed, duration_ms).with_checks(checks),
    )
}

/// Runs `population` in memory with `config`.
pub fn run_with(population: &Population, config: SimConfig) -> Simulation<MemoryLog> {
    run_cast(population.cast(), config)
}

/// Runs `cast` in memory with `config`.
pub fn run_cast(cast: Cast, config: SimConfig) -> Simulation<MemoryLog> {
    let (journal, _) = Journal::open(MemoryLog::new(), config.journal).unwrap();
    let mut simulation = Simulation::new(journal, cast, config).unwrap();
    simulation.run().unwrap();
    simulation
}

/// Every record of a log, encoded as the log stores it.
pub fn encoded_records(log: &impl EventLog) -> Vec<Vec<u8>> {
    log.read_from(1)
        .map(|record| encode(&record.unwrap()))
        .collect()
}

/// What a replay found.
#[derive(Debug)]
pub struct Replayed {
    /// Command records re-decided.
    pub commands: u64,
    /// Checkpoints verified.
    pub checkpoints: u64,
    /// The final state.
    pub state: State,
}

/// The audit's checks through exchange-core: sequence numbers follow from 1, each logged
/// command re-decides to exactly its logged events, each checkpoint holds the replayed
/// state's hash; the whole-state invariants are checked every `invariants_every` records
/// and at the end (the audit checks them after every record, which costs time in
/// proportion to the state, too much for hours of a simulated market in a debug build).
pub fn replay(log: &impl EventLog, invariants_every: u64) -> Replayed {
    let mut state = State::default();
    let (mut commands, mut checkpoints) = (0, 0);
    for (expected, record) in (1..).zip(log.read_from(1)) {
        let record = record.unwrap();
        assert_eq!(record.seq, expected, "records follow each other");
        match &record.entry {
            Entry::Command { command, events } => {
                let decided = decide(&state, command).unwrap();
                assert_eq!(
                    decided[..],
                    events[..],
                    "record {expected} re-decides to its events"
                );
                events.iter().for_each(|event| evolve(&mut state, event));
                commands += 1;
            }
            Entry::Checkpoint { state_hash } => {
                assert_eq!(state.state_hash(), *state_hash, "checkpoint {expected}");
                checkpoints += 1;
            }
        }
        if expected % invariants_every == 0 {
            state.check_invariants().unwrap();
        }
    }
    state.check_invariants().unwrap();
    Replayed {
        commands,
        checkpoints,
        state,
    }
}

/// The state hash of a fresh journal opened on a copy of the log.
pub fn reopened_hash(log: &MemoryLog) -> StateHash {
    let (journal, _) = Journal::open(log.clone(), SimConfig::new(0, 0).journal).unwrap();
    journal.state().state_hash()
}
