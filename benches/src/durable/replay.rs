//! Replay speed: rebuilding the state from a log's records, from memory and from sled.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use exchange_core::log::{Entry, EventLog, LogError, MemoryLog, Record, SledLog};
use exchange_core::{
    apply_record, Journal, JournalConfig, JournalError, Recovery, State, Submission,
};

use super::seconds;
use super::throughput::submit_accepted;

/// What a log holds, counted once so that replays need not count as they go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogCounts {
    /// Command records.
    pub commands: u64,
    /// Checkpoint records.
    pub checkpoints: u64,
    /// Events in the command records.
    pub events: u64,
}

impl LogCounts {
    /// Counts `records`.
    pub fn of(records: &[Record]) -> Self {
        let mut counts = Self::default();
        for record in records {
            match &record.entry {
                Entry::Command { events, .. } => {
                    counts.commands += 1;
                    counts.events += events.len() as u64;
                }
                Entry::Checkpoint { .. } => counts.checkpoints += 1,
            }
        }
        counts
    }

    /// Every record, commands and checkpoints.
    pub fn records(&self) -> u64 {
        self.commands + self.checkpoints
    }
}

/// One replay's figures. Its `Display` is the `key=value` part of its output line.
#[derive(Clone, Debug)]
pub struct Replay {
    /// Where the records came from: `memory` (decoded records) or `sled` (opening the log:
    /// reading and decoding every record, then applying it).
    pub source: &'static str,
    /// What was replayed.
    pub counts: LogCounts,
    /// The whole replay.
    pub elapsed: Duration,
}

impl fmt::Display for Replay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = seconds(self.elapsed);
        let counts = &self.counts;
        write!(
            f,
            "source={} records={} commands={} checkpoints={} events={} seconds={seconds:.3} \
             records_per_s={:.0} events_per_s={:.0}",
            self.source,
            counts.records(),
            counts.commands,
            counts.checkpoints,
            counts.events,
            counts.records() as f64 / seconds,
            counts.events as f64 / seconds,
        )
    }
}

/// The journal of `setup` then `commands` in memory, submitted in batches of `batch`, with
/// default checkpoints and no snapshots.
///
/// # Panics
/// If a command is rejected.
pub fn journal_in_memory(
    setup: &[Submission],
    commands: &[Submission],
    batch: usize,
) -> Result<Journal<MemoryLog>, JournalError> {
    let (mut journal, _) = Journal::open(MemoryLog::new(), no_snapshots())?;
    submit_accepted(&mut journal, setup)?;
    for chunk in commands.chunks(batch) {
        submit_accepted(&mut journal, chunk)?;
    }
    Ok(journal)
}

/// Replays `records` onto an empty state exactly as [`Journal::open`] does (applying each
/// command's events, verifying each checkpoint), timing it, and returns the state.
pub fn replay_records(records: &[Record]) -> Result<(Replay, State), JournalError> {
    let counts = LogCounts::of(records);
    let mut state = State::default();
    let start = Instant::now();
    for record in records {
        apply_record(&mut state, record)?;
    }
    let elapsed = start.elapsed();
    let replay = Replay {
        source: "memory",
        counts,
        elapsed,
    };
    Ok((replay, state))
}

/// Writes `records` into a new sled log in `dir`, `chunk` records per sync.
pub fn copy_to_sled(records: &[Record], dir: &Path, chunk: usize) -> Result<(), LogError> {
    let mut log = SledLog::open(dir)?;
    assert_eq!(log.last_seq(), 0, "the copy starts from an empty log");
    for records in records.chunks(chunk) {
        log.append(records)?;
        log.sync()?;
    }
    Ok(())
}

/// A journal opened on a sled log, with how long opening took.
pub struct Opened {
    /// The journal, ready for more batches.
    pub journal: Journal<SledLog>,
    /// What the opening loaded and replayed.
    pub recovery: Recovery,
    /// Opening the sled database and its trees (sled's own recovery), before any record is
    /// read.
    pub sled_open: Duration,
    /// The whole opening: `sled_open`, then loading the newest snapshot, then reading,
    /// decoding and replaying every record after it.
    pub elapsed: Duration,
}

/// Opens the existing sled log in `dir` as a journal with `config`, timing it.
pub fn open_sled(dir: &Path, config: JournalConfig) -> Result<Opened, JournalError> {
    let start = Instant::now();
    let log = SledLog::open_existing(dir)?;
    let sled_open = start.elapsed();
    let (journal, recovery) = Journal::open(log, config)?;
    let elapsed = start.elapsed();
    Ok(Opened {
        journal,
        recovery,
        sled_open,
        elapsed,
    })
}

/// Default checkpoints, and snapshots only on demand.
pub fn no_snapshots() -> JournalConfig {
    JournalConfig {
        snapshot_every: 0,
        ..JournalConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::durable::stream::submissions;
    use crate::testing::w1_seed_42;

    #[test]
    fn memory_and_sled_replays_rebuild_the_journal_state() {
        let (setup, commands) = submissions(w1_seed_42(), 1);
        let commands: Vec<Submission> = commands.take(12_000).collect();
        let journal = journal_in_memory(&setup, &commands, 512).unwrap();
        let records = journal.log().records();
        let counts = LogCounts::of(records);
        assert_eq!(counts.commands, (setup.len() + commands.len()) as u64);
        assert_eq!(counts.checkpoints, 1, "one checkpoint per 10,000 records");
        assert_eq!(counts.records(), journal.last_seq());
        let (replay, state) = replay_records(records).unwrap();
        assert_eq!(replay.counts, counts);
        assert_eq!(state.state_hash(), journal.state().state_hash());

        let dir = tempfile::tempdir().unwrap();
        copy_to_sled(records, dir.path(), 1_000).unwrap();
        let opened = open_sled(dir.path(), no_snapshots()).unwrap();
        assert_eq!(opened.recovery.snapshot, None);
        assert_eq!(opened.recovery.replayed, counts.records());
        assert!(opened.sled_open <= opened.elapsed);
        assert_eq!(opened.journal.state().state_hash(), state.state_hash());
    }
}
