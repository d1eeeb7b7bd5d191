//! How a simulation runs: its seed, its length, its clock's origin and its checks.

use exchange_core::JournalConfig;

/// 2026-01-01T00:00:00Z in milliseconds since the Unix epoch: where virtual time 0 falls, so
/// the log's timestamps read as ordinary dates.
pub const START_UNIX_MS: u64 = 1_767_225_600_000;

/// The journal's settings for simulations: a checkpoint every 100,000 records and no
/// periodic snapshots. A simulation is never restarted from its log, and the engine's state
/// grows with every order (client order ids are remembered forever), so hashing or imaging
/// it as often as a server does would take most of a long run's time.
/// [`crate::sim::Simulation::snapshot`] writes one snapshot at the end instead.
pub const SIM_JOURNAL: JournalConfig = JournalConfig {
    snapshot_every: 0,
    checkpoint_every: 100_000,
    snapshots_kept: 1,
};

/// What the runner checks as it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// Nothing beyond the engine's own assertions: the fast setting.
    Off,
    /// Submits every command on its own and runs the whole-state
    /// [`exchange_core::State::check_invariants`] after each one, and checks that every
    /// bot's portfolio lists exactly its resting orders. Slow; for tests.
    EveryCommand,
}

/// The parameters of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimConfig {
    /// Seeds every bot's random numbers (and their timers' jitter).
    pub seed: u64,
    /// How long the run lasts, in virtual milliseconds.
    pub duration_ms: u64,
    /// The Unix time of virtual time 0, in milliseconds; log timestamps are
    /// `(start_unix_ms + virtual ms) * 1_000_000` nanoseconds.
    pub start_unix_ms: u64,
    /// What to check after commands.
    pub checks: Checks,
    /// Checkpoints and snapshots of the journal.
    pub journal: JournalConfig,
}

impl SimConfig {
    /// A run of `duration_ms` virtual milliseconds with `seed`, unchecked, with
    /// [`SIM_JOURNAL`]'s checkpoints and no snapshots.
    pub fn new(seed: u64, duration_ms: u64) -> Self {
        Self {
            seed,
            duration_ms,
            start_unix_ms: START_UNIX_MS,
            checks: Checks::Off,
            journal: SIM_JOURNAL,
        }
    }

    /// The same run with other checks.
    pub fn with_checks(mut self, checks: Checks) -> Self {
        self.checks = checks;
        self
    }

    /// The log timestamp of virtual time `now_ms`, in nanoseconds since the Unix epoch.
    pub fn timestamp_ns(&self, now_ms: u64) -> u64 {
        let unix_ms = self.start_unix_ms + now_ms;
        assert!(
            unix_ms <= u64::MAX / 1_000_000,
            "virtual time {now_ms} ms overflows a nanosecond timestamp"
        );
        unix_ms * 1_000_000
    }
}
