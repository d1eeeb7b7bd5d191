//! Restart time: opening a long sled log that has a recent snapshot.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use exchange_core::log::{Seq, SledLog};
use exchange_core::{Journal, JournalError, StateHash, Submission};

use super::replay::{no_snapshots, open_sled};
use super::seconds;
use super::stream::submissions;
use super::throughput::submit_accepted;
use crate::workload::Workload;

/// A log built for the restart measurement.
#[derive(Clone, Debug)]
pub struct RestartLog {
    /// Its last record's sequence number: how many records it holds.
    pub records: Seq,
    /// The record the snapshot was taken after.
    pub snapshot_at: Seq,
    /// Tickers the workload was repeated on.
    pub tickers: u32,
    /// Times the build closed and reopened the log (see [`build_restart_log`]).
    pub reopens: u32,
    /// The state after the last record.
    pub state_hash: StateHash,
    /// Building it: submitting every command, durably, and writing the snapshot.
    pub build: Duration,
}

/// Builds a log of at least `records` records in a new sled log in `dir`, with a snapshot
/// after about `records - snapshot_gap` of them: the workload's setup, then its commands
/// repeated on as many tickers as needed (see [`submissions`]), in batches of `batch`, with
/// default checkpoints. A checkpoint can make the log one record longer than asked.
///
/// sled 0.34 keeps memory for every key inserted since the database was opened: about
/// 2.7 KB per record when each record was a key of its own, so that a single session
/// writing ten million records ran out of memory on a 24 GB machine. The log now stores
/// chunks of records, a key per chunk, but the build still bounds a session's memory: it
/// closes and reopens the log every `reopen_every` records,
/// snapshotting first so the reopening replays nothing; the log then holds those
/// snapshots too (the journal keeps the newest three), as a log written with periodic
/// snapshots does.
///
/// # Panics
/// If `records` does not exceed `snapshot_gap`, `batch` or `reopen_every` is 0, or a
/// command is rejected.
pub fn build_restart_log(
    dir: &Path,
    workload: &Workload,
    records: Seq,
    snapshot_gap: Seq,
    batch: usize,
    reopen_every: Seq,
) -> Result<RestartLog, JournalError> {
    assert!(records > snapshot_gap, "the snapshot falls inside the log");
    assert!(batch >= 1, "a batch holds at least one command");
    assert!(reopen_every >= 1, "a session writes at least one record");
    let start = Instant::now();
    let ops = workload.ops.len() as u64;
    let tickers = u32::try_from(records.div_ceil(ops)).expect("ticker count fits u32");
    let (setup, commands) = submissions(workload, tickers);
    let (mut journal, _) = Journal::open(SledLog::open(dir)?, no_snapshots())?;
    assert_eq!(journal.last_seq(), 0, "the restart log starts empty");
    submit_accepted(&mut journal, &setup)?;
    let mut filler = Filler {
        dir,
        commands,
        buffer: Vec::with_capacity(batch),
        reopen_every,
        reopens: 0,
    };
    let mut journal = filler.fill(journal, records - snapshot_gap)?;
    let snapshot_at = journal.snapshot()?;
    let journal = filler.fill(journal, records)?;
    Ok(RestartLog {
        records: journal.last_seq(),
        snapshot_at,
        tickers,
        reopens: filler.reopens,
        state_hash: journal.state().state_hash(),
        build: start.elapsed(),
    })
}

/// Feeds a journal the workload's commands, reopening it every `reopen_every` records.
struct Filler<'a, C> {
    dir: &'a Path,
    commands: C,
    buffer: Vec<Submission>,
    reopen_every: Seq,
    reopens: u32,
}

impl<C: Iterator<Item = Submission>> Filler<'_, C> {
    /// Submits commands until the log holds `records` records, snapshotting, closing and
    /// reopening the journal at each multiple of `reopen_every` on the way.
    fn fill(
        &mut self,
        mut journal: Journal<SledLog>,
        records: Seq,
    ) -> Result<Journal<SledLog>, JournalError> {
        loop {
            let session_end = (journal.last_seq() / self.reopen_every + 1) * self.reopen_every;
            self.submit_until(&mut journal, session_end.min(records))?;
            if journal.last_seq() >= records {
                return Ok(journal);
            }
            journal.snapshot()?;
            let last_seq = journal.last_seq();
            drop(journal);
            let (reopened, recovery) =
                Journal::open(SledLog::open_existing(self.dir)?, no_snapshots())?;
            assert_eq!(
                recovery.replayed, 0,
                "the reopening starts from the snapshot"
            );
            assert_eq!(reopened.last_seq(), last_seq);
            journal = reopened;
            self.reopens += 1;
        }
    }

    /// Submits commands, `buffer.capacity()` at a time, until the log holds `records`
    /// records.
    ///
    /// # Panics
    /// If the commands run out first.
    fn submit_until(
        &mut self,
        journal: &mut Journal<SledLog>,
        records: Seq,
    ) -> Result<(), JournalError> {
        while journal.last_seq() < records {
            let due = (records - journal.last_seq()).min(self.buffer.capacity() as u64);
            self.buffer.clear();
            self.buffer
                .extend(self.commands.by_ref().take(due as usize));
            assert!(
                !self.buffer.is_empty(),
                "the workload repeats enough to fill the log"
            );
            submit_accepted(journal, &self.buffer)?;
        }
        Ok(())
    }
}

/// The restart's figures. Its `Display` is the `key=value` part of its output line.
#[derive(Clone, Debug)]
pub struct Restart {
    /// Records in the log.
    pub records: Seq,
    /// The snapshot the state was loaded from.
    pub snapshot_at: Seq,
    /// Records replayed after it.
    pub replayed: u64,
    /// Opening the sled database (sled's own recovery).
    pub sled_open: Duration,
    /// The whole restart: opening sled, loading the snapshot, replaying what follows.
    pub elapsed: Duration,
}

impl fmt::Display for Restart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "records={} snapshot_at={} replayed={} seconds={:.3} sled_open_s={:.3}",
            self.records,
            self.snapshot_at,
            self.replayed,
            seconds(self.elapsed),
            seconds(self.sled_open),
        )
    }
}

/// Opens the journal on the log [`build_restart_log`] built in `dir`, timing it. Nothing of
/// the build is still open: only the directory (and the operating system's page cache)
/// carries over.
///
/// # Panics
/// If the opening does not use the snapshot or does not end in the built state.
pub fn restart(dir: &Path, built: &RestartLog) -> Result<Restart, JournalError> {
    let opened = open_sled(dir, no_snapshots())?;
    assert_eq!(opened.recovery.snapshot, Some(built.snapshot_at));
    assert!(opened.recovery.refused_snapshots.is_empty());
    assert_eq!(opened.journal.last_seq(), built.records);
    assert_eq!(opened.journal.state().state_hash(), built.state_hash);
    Ok(Restart {
        records: built.records,
        snapshot_at: built.snapshot_at,
        replayed: opened.recovery.replayed,
        sled_open: opened.sled_open,
        elapsed: opened.elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::w1_seed_42;

    #[test]
    fn a_restart_loads_the_snapshot_and_replays_the_rest() {
        let workload = w1_seed_42();
        let short = Workload {
            ops: workload.ops[..1_500].to_vec(),
            ..workload.clone()
        };
        let dir = tempfile::tempdir().unwrap();
        let built = build_restart_log(dir.path(), &short, 4_000, 700, 256, 1_500).unwrap();
        assert_eq!(built.records, 4_000);
        assert_eq!(built.snapshot_at, 3_300);
        assert_eq!(built.tickers, 3);
        assert_eq!(built.reopens, 2, "at 1,500 and 3,000 records");
        let restart = restart(dir.path(), &built).unwrap();
        assert_eq!(restart.replayed, 700);
    }
}
