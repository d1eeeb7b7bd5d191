//! [`Journal`]: the engine on top of an [`EventLog`], with group commit and snapshots.
//!
//! The order of steps for a batch, which callers may rely on:
//! 1. each command is decided and applied in memory, in order; rejected ones are answered
//!    and not logged;
//! 2. the accepted records (and a checkpoint record when one is due) are appended together;
//! 3. the log is made durable once, for the whole batch (group commit);
//! 4. only then are the outcomes returned, so nothing is acknowledged before it is durable;
//! 5. a snapshot is written if one is due. The batch is durable by then, so a snapshot that
//!    fails does not fail it: the outcomes are returned, the failure is kept for
//!    [`Journal::take_snapshot_failure`], and the next snapshot is tried
//!    [`JournalConfig::snapshot_every`] records later.
//!
//! A record's timestamp is its submission's, or the previous record's if that is later:
//! timestamps in the log never go backwards, even when the clock that stamps submissions
//! steps back (or a restart brings a clock that is behind).
//!
//! If appending or syncing fails, the in-memory state is ahead of the log: the journal
//! refuses every later batch with [`JournalError::Failed`], and the caller recovers by
//! opening it again from the log.

use crate::command::Command;
use crate::evolve::evolve;
use crate::exchange::Exchange;
use crate::log::{Entry, EventLog, LogError, Record, Seq, Snapshot};
use crate::rejection::Rejection;
use crate::state::State;

/// When the journal writes checkpoints and snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JournalConfig {
    /// Write a snapshot once this many records follow the last one (0: only on demand).
    pub snapshot_every: u64,
    /// Append a checkpoint record once this many records follow the last one (0: never).
    pub checkpoint_every: u64,
    /// How many snapshots to keep; older ones are deleted. At least 1: [`Journal::open`]
    /// refuses 0 with [`JournalError::InvalidConfig`].
    pub snapshots_kept: usize,
}

impl Default for JournalConfig {
    fn default() -> Self {
        Self {
            snapshot_every: 100_000,
            checkpoint_every: 10_000,
            snapshots_kept: 3,
        }
    }
}

/// A command with the time its sequencer accepted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submission {
    /// Nanoseconds since the Unix epoch, as the sequencer's clock said.
    pub timestamp_ns: u64,
    /// The command.
    pub command: Command,
}

impl AsRef<Command> for Submission {
    fn as_ref(&self) -> &Command {
        &self.command
    }
}

/// What happened to one submitted command: its durable record, or why it was rejected.
pub type Outcome = Result<Record, Rejection>;

/// How opening went: which snapshot was used, which were refused and why, what was
/// replayed. Callers should log the refused snapshots.
#[derive(Debug, Default)]
pub struct Recovery {
    /// The snapshot the state was loaded from, if any.
    pub snapshot: Option<Seq>,
    /// Snapshots that could not be used, newest first, with the reason.
    pub refused_snapshots: Vec<(Seq, LogError)>,
    /// Records replayed after the snapshot.
    pub replayed: u64,
}

/// Why the journal could not open or commit.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The log failed.
    #[error(transparent)]
    Log(#[from] LogError),
    /// A checkpoint's hash differs from the replayed state's: the log and the engine disagree.
    #[error("checkpoint at record {seq} does not match the replayed state")]
    CheckpointMismatch {
        /// The checkpoint record.
        seq: Seq,
    },
    /// An earlier append or sync failed; reopen the journal from its log.
    #[error("an earlier write failed; reopen the journal")]
    Failed,
    /// The [`JournalConfig`] asks for something the journal cannot do.
    #[error("invalid journal configuration: {0}")]
    InvalidConfig(&'static str),
}

/// The engine, journaled.
pub struct Journal<L: EventLog> {
    log: L,
    exchange: Exchange,
    config: JournalConfig,
    last_seq: Seq,
    /// The last record's timestamp: no later record is stamped before it.
    last_timestamp_ns: u64,
    last_checkpoint: Seq,
    last_snapshot: Seq,
    /// A due snapshot that failed after its batch was made durable, not yet taken.
    snapshot_failure: Option<JournalError>,
    failed: bool,
}

impl<L: EventLog> Journal<L> {
    /// Loads the newest usable snapshot, replays the records after it, and is ready. A
    /// damaged or missing snapshot only means an older one, or a full replay, is used.
    pub fn open(log: L, config: JournalConfig) -> Result<(Self, Recovery), JournalError> {
        if config.snapshots_kept == 0 {
            // Deleting every snapshot after writing it would leave restarts nothing to load.
            return Err(JournalError::InvalidConfig(
                "snapshots_kept must be at least 1",
            ));
        }
        let (mut state, from, mut recovery) = load_snapshot(&log, Seq::MAX)?;
        let mut last_seq = from;
        for record in log.read_from(from + 1) {
            let record = record?;
            apply_record(&mut state, &record)?;
            last_seq = record.seq;
            recovery.replayed += 1;
        }
        let last_timestamp_ns = match log.read_from(last_seq.max(1)).next() {
            Some(last) => last?.timestamp_ns,
            None => 0,
        };
        let journal = Self {
            log,
            exchange: Exchange::from_state(state),
            config,
            last_seq,
            last_timestamp_ns,
            last_checkpoint: last_seq,
            last_snapshot: from,
            snapshot_failure: None,
            failed: false,
        };
        Ok((journal, recovery))
    }

    /// Decides and applies each command, appends the accepted ones, makes them durable
    /// once, and returns one outcome per submission, in order.
    pub fn submit(&mut self, batch: &[Submission]) -> Result<Vec<Outcome>, JournalError> {
        if self.failed {
            return Err(JournalError::Failed);
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut records = Vec::with_capacity(batch.len() + 1);
        let mut last_seq = self.last_seq;
        let mut last_timestamp_ns = self.last_timestamp_ns;
        self.exchange
            .execute_all(batch, |submission, outcome| match outcome {
                Ok(events) => {
                    let entry = Entry::Command {
                        command: submission.command,
                        events: events.into(),
                    };
                    last_seq += 1;
                    last_timestamp_ns = last_timestamp_ns.max(submission.timestamp_ns);
                    let record = Record {
                        seq: last_seq,
                        timestamp_ns: last_timestamp_ns,
                        entry,
                    };
                    // The log and the caller share the record's events.
                    records.push(record.clone());
                    outcomes.push(Ok(record));
                }
                Err(rejection) => outcomes.push(Err(rejection)),
            });
        self.last_seq = last_seq;
        self.last_timestamp_ns = last_timestamp_ns;
        if let Some(checkpoint) = self.checkpoint_due() {
            records.push(checkpoint);
        }
        self.commit(&records)?;
        if self.config.snapshot_every > 0
            && self.last_seq - self.last_snapshot >= self.config.snapshot_every
        {
            if let Err(failure) = self.snapshot() {
                // The batch is durable; only the restart shortcut is missing.
                self.last_snapshot = self.last_seq;
                self.snapshot_failure = Some(failure);
            }
        }
        Ok(outcomes)
    }

    /// The failure of a due snapshot that [`Journal::submit`] tried after a batch it made
    /// durable, if one failed since the last call. The batch stood and its outcomes were
    /// returned; callers should report the failure (a restart replays more records without
    /// the snapshot, nothing is lost).
    pub fn take_snapshot_failure(&mut self) -> Option<JournalError> {
        self.snapshot_failure.take()
    }

    /// A checkpoint record after the batch's records, if one is due, stamped with the last
    /// record's time.
    fn checkpoint_due(&mut self) -> Option<Record> {
        let every = self.config.checkpoint_every;
        if every == 0 || self.last_seq - self.last_checkpoint < every {
            return None;
        }
        let timestamp_ns = self.last_timestamp_ns;
        self.last_seq += 1;
        self.last_checkpoint = self.last_seq;
        let state_hash = self.exchange.state().state_hash();
        Some(Record {
            seq: self.last_seq,
            timestamp_ns,
            entry: Entry::Checkpoint { state_hash },
        })
    }

    /// Appends and syncs, or marks the journal failed.
    fn commit(&mut self, records: &[Record]) -> Result<(), JournalError> {
        if records.is_empty() {
            return Ok(());
        }
        let written = self.log.append(records).and_then(|()| self.log.sync());
        if let Err(error) = written {
            self.failed = true;
            return Err(error.into());
        }
        Ok(())
    }

    /// Writes a snapshot of the current state now and deletes the oldest beyond the limit.
    pub fn snapshot(&mut self) -> Result<Seq, JournalError> {
        if self.failed {
            return Err(JournalError::Failed);
        }
        self.log
            .write_snapshot(&Snapshot::of(self.exchange.state(), self.last_seq))?;
        self.last_snapshot = self.last_seq;
        let seqs = self.log.snapshot_seqs()?;
        for old in seqs.into_iter().skip(self.config.snapshots_kept) {
            self.log.delete_snapshot(old)?;
        }
        Ok(self.last_seq)
    }

    /// The current state, for read views.
    pub fn state(&self) -> &State {
        self.exchange.state()
    }

    /// The sequence number of the last durable record (0 for an empty log).
    pub fn last_seq(&self) -> Seq {
        self.last_seq
    }

    /// The log underneath, for reading.
    pub fn log(&self) -> &L {
        &self.log
    }
}

#[cfg(feature = "sled")]
impl Journal<crate::log::SledLog> {
    /// Opens (or creates) the durable log in `dir` and the journal on it.
    pub fn open_dir(
        dir: impl AsRef<std::path::Path>,
        config: JournalConfig,
    ) -> Result<(Self, Recovery), JournalError> {
        Self::open(crate::log::SledLog::open(dir)?, config)
    }
}

/// The newest snapshot at or before record `at_most` that loads and matches its hash, or
/// the empty state, with the sequence number it includes and a report of the snapshots
/// refused on the way (damaged ones, and ones past the log's last record).
pub fn load_snapshot<L: EventLog>(
    log: &L,
    at_most: Seq,
) -> Result<(State, Seq, Recovery), JournalError> {
    let mut recovery = Recovery::default();
    let last = log.last_seq();
    for seq in log.snapshot_seqs()? {
        let loaded = if seq > last {
            Err(LogError::Corrupt(format!(
                "snapshot at {seq} is past the log's last record {last}"
            )))
        } else if seq > at_most {
            continue;
        } else {
            log.read_snapshot(seq)
                .and_then(|snapshot| snapshot.restore())
        };
        match loaded {
            Ok(state) => {
                recovery.snapshot = Some(seq);
                return Ok((state, seq, recovery));
            }
            Err(error) => recovery.refused_snapshots.push((seq, error)),
        }
    }
    Ok((State::default(), 0, recovery))
}

/// Applies one record during replay, verifying checkpoints.
///
/// # Panics
/// If the record's events contradict the state (name an account or order that does not
/// exist, debit more than is there): [`evolve`] asserts what every event from `decide`
/// satisfies, so such a record did not come from the engine. `exchange audit` re-decides
/// every command instead, and reports such a record without panicking.
pub fn apply_record(state: &mut State, record: &Record) -> Result<(), JournalError> {
    match &record.entry {
        Entry::Command { events, .. } => events.iter().for_each(|event| evolve(state, event)),
        Entry::Checkpoint { state_hash } => {
            if state.state_hash() != *state_hash {
                return Err(JournalError::CheckpointMismatch { seq: record.seq });
            }
        }
    }
    Ok(())
}

/// The state after record `seq` (or after the last record, if the log is shorter), starting
/// from the newest usable snapshot at or before it.
pub fn state_at<L: EventLog>(log: &L, seq: Seq) -> Result<State, JournalError> {
    let (mut state, from, _) = load_snapshot(log, seq)?;
    for record in log.read_from(from + 1) {
        let record = record?;
        if record.seq > seq {
            break;
        }
        apply_record(&mut state, &record)?;
    }
    Ok(state)
}
