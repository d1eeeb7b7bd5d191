//! What the `durable` binary measures, at which sizes.

use exchange_core::log::Seq;

/// Records in the restart log by default.
pub const RESTART_RECORDS_DEFAULT: Seq = 10_000_000;

/// Records after the restart log's snapshot: a snapshot taken this recently.
pub const RESTART_SNAPSHOT_GAP: Seq = 10_000;

/// Records the restart log's build writes per session before closing and reopening the
/// log, to bound sled's memory (see [`build_restart_log`](super::build_restart_log)).
pub const RESTART_REOPEN_EVERY: Seq = 2_000_000;

/// Commands per batch wherever a batch size is not what is measured: building logs.
pub const BUILD_BATCH: usize = 4_096;

/// The sizes of every measurement of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Small appends, each followed by `fdatasync`, timed to calibrate the disk.
    pub disk_syncs: usize,
    /// `(batch size, commands at most)` for each durable throughput measurement. With one
    /// sync of about 4 ms per batch, small batches get fewer commands so each runs a
    /// bounded time; `usize::MAX` means the whole W1 stream.
    pub throughput: Vec<(usize, usize)>,
    /// Batch size of the diagnostic run of the journal on a memory log (no disk).
    pub memory_batch: usize,
    /// W1 commands in the replayed log (after the setup); the rest of W1 follows before the
    /// snapshot is taken.
    pub replay_commands: usize,
    /// Records in the restart log.
    pub restart_records: Seq,
    /// Records after the restart log's snapshot.
    pub restart_snapshot_gap: Seq,
    /// Records the restart log's build writes per session of the log.
    pub restart_reopen_every: Seq,
}

impl Plan {
    /// The full run: batches of 1 (10,000 commands), 64 (256,000 commands: 4,000 syncs),
    /// 1,024 and 4,096 (the whole W1 stream), a 1M-command replay, and a restart log of
    /// `restart_records` records.
    pub fn full(restart_records: Seq) -> Self {
        Self {
            disk_syncs: 500,
            throughput: vec![
                (1, 10_000),
                (64, 256_000),
                (1_024, usize::MAX),
                (4_096, usize::MAX),
            ],
            memory_batch: 4_096,
            replay_commands: 1_000_000,
            restart_records,
            restart_snapshot_gap: RESTART_SNAPSHOT_GAP,
            restart_reopen_every: RESTART_REOPEN_EVERY,
        }
    }

    /// A smoke test of every measurement at reduced sizes (a few seconds of disk time).
    pub fn quick(restart_records: Seq) -> Self {
        Self {
            disk_syncs: 50,
            throughput: vec![(1, 100), (64, 6_400), (1_024, 50_000), (4_096, 100_000)],
            memory_batch: 4_096,
            replay_commands: 100_000,
            restart_records,
            restart_snapshot_gap: RESTART_SNAPSHOT_GAP,
            restart_reopen_every: RESTART_REOPEN_EVERY,
        }
    }

    /// Records in the restart log of a quick run unless asked otherwise.
    pub const QUICK_RESTART_RECORDS: Seq = 200_000;
}
