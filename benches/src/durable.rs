//! Durable benchmarks: W1 through the journaled engine ([`exchange_core::Journal`]) on the
//! sled event log, with group commit.
//!
//! The `durable` binary runs every measurement and prints one `key=value` line per figure:
//!
//! ```text
//! cargo run --release -p benches --bin durable
//! durable batch=4096 commands=1250003 seconds=... cmds_per_s=... ack_p50_ms=... ack_p99_ms=...
//! replay source=memory records=... events=... events_per_s=...
//! snapshot seq=... bytes=... write_ms=... load_ms=...
//! restart records=10000000 snapshot_at=... replayed=... seconds=...
//! ```
//!
//! - [`sync_times`]: what one small append plus `fdatasync` costs on the same disk, the
//!   cost group commit amortizes, to read the log's figures against.
//! - [`throughput`]: W1 in batches of a given size, one sync per batch, on a fresh log;
//!   commands/s and ack latency (defined there) p50/p99, with the time split into append,
//!   sync and engine. The same run on a [`MemoryLog`](exchange_core::log::MemoryLog) shows
//!   what the journal costs without a disk.
//! - [`replay_records`] and [`open_sled`]: rebuilding the state from a log, from decoded
//!   records in memory and by opening a sled log (read, decode, apply).
//! - [`snapshot_times`]: writing and loading a snapshot of the state after W1.
//! - [`build_restart_log`] and [`restart`]: opening a long log with a recent snapshot.
//!
//! Every measurement checks its result (all commands accepted, the reference filled
//! volume, equal state hashes after replay and restart), so a fast wrong answer is never
//! reported. Timestamps are fixed, not read from a clock, so every run writes the same
//! records.

mod disk;
mod plan;
mod replay;
mod restart;
mod run;
mod snapshot;
mod stream;
mod throughput;
mod timed_log;

pub use disk::{sync_times, SyncTimes, SYNC_WRITE_BYTES};
pub use plan::{
    Plan, BUILD_BATCH, RESTART_RECORDS_DEFAULT, RESTART_REOPEN_EVERY, RESTART_SNAPSHOT_GAP,
};
pub use replay::{
    copy_to_sled, journal_in_memory, no_snapshots, open_sled, replay_records, LogCounts, Opened,
    Replay,
};
pub use restart::{build_restart_log, restart, Restart, RestartLog};
pub use run::{Run, RunError, SEED};
pub use snapshot::{snapshot_times, SnapshotTimes};
pub use stream::{submissions, Commands, EPOCH_NS, TIMESTAMP_STEP_NS};
pub use throughput::{submit_accepted, throughput, Throughput};
pub use timed_log::TimedLog;

use std::path::Path;
use std::time::Duration;

use exchange_core::State;

/// Shares traded so far on every ticker of `state`.
pub fn filled_volume(state: &State) -> u64 {
    state.tickers().iter().map(|ticker| ticker.volume.0).sum()
}

/// The total size of the files under `dir`, in bytes (apparent sizes, not blocks).
pub fn dir_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let metadata = entry.metadata()?;
        bytes += if metadata.is_dir() {
            dir_bytes(&entry.path())?
        } else {
            metadata.len()
        };
    }
    Ok(bytes)
}

/// Seconds, for printing.
fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}
