//! The audit: replay a whole log and prove it is what the engine would have written.
//!
//! For every record, in order, the audit checks:
//! 1. its sequence number is the next one (the log starts at 1 and has no gap), and its
//!    timestamp is not before the previous record's;
//! 2. a command record: [`decide`] on the state *before* the record accepts the logged
//!    command and returns exactly the logged events (compared before anything is applied,
//!    so a tampered record is reported rather than panicking inside [`evolve`]); the events
//!    are then applied;
//! 3. a checkpoint record: its hash is the replayed state's;
//! 4. the state after the record keeps every invariant ([`State::check_invariants`]);
//! 5. a snapshot stored at this sequence number holds exactly the replayed state (its
//!    stored hash and its image).
//!
//! A snapshot stored at 0 is checked against the empty state, and one stored past the
//! last record is a violation. The audit stops at the first violation.

mod violation;

pub use violation::{Problem, Violation};

use crate::feedback::Feedback;
use exchange_core::log::{Entry, EventLog, LogError, Record, Seq};
use exchange_core::{decide, evolve, Command, Event, Quantity, State, StateHash};

/// What a log that passed the audit holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditSummary {
    /// Records read: commands plus checkpoints.
    pub records: u64,
    /// Command records, each re-decided.
    pub commands: u64,
    /// Checkpoint records, each verified.
    pub checkpoints: u64,
    /// Stored snapshots, each compared with the replayed state.
    pub snapshots_verified: u64,
    /// Accounts in the final state.
    pub accounts: u64,
    /// Tickers in the final state.
    pub tickers: u64,
    /// Trades on all tickers since listing.
    pub trades: u64,
    /// Shares traded on all tickers since listing.
    pub volume: Quantity,
    /// The hash of the final state.
    pub state_hash: StateHash,
}

/// How an audit ended, when it could read the log.
#[derive(Debug)]
pub enum AuditOutcome {
    /// Every check passed.
    Passed(AuditSummary),
    /// The first check that failed.
    Failed(Violation),
}

/// Audits the whole log. Damaged records and snapshots are violations; only a failing
/// storage engine is an error.
pub fn audit<L: EventLog>(log: &L, feedback: &Feedback) -> Result<AuditOutcome, LogError> {
    let mut auditor = Auditor::new(log.snapshot_seqs()?);
    let bar = feedback.progress("audit", log.last_seq());
    let replayed = auditor.replay(log, || bar.inc(1));
    bar.finish_and_clear();
    match replayed.and_then(|()| auditor.finish()) {
        Ok(summary) => Ok(AuditOutcome::Passed(summary)),
        Err(Stop::Found(violation)) => Ok(AuditOutcome::Failed(violation)),
        Err(Stop::Failed(error)) => Err(error),
    }
}

/// Why an audit stopped early.
enum Stop {
    /// It found a violation.
    Found(Violation),
    /// The storage engine failed.
    Failed(LogError),
}

impl From<Violation> for Stop {
    fn from(violation: Violation) -> Self {
        Stop::Found(violation)
    }
}

/// A storage failure stops the audit as an error; anything else the log reports is damage
/// to its content, so a violation.
fn classify(error: LogError, violation: impl FnOnce(LogError) -> Violation) -> Stop {
    match error {
        LogError::Storage(_) | LogError::InUse(_) => Stop::Failed(error),
        LogError::UnknownVersion { .. }
        | LogError::Corrupt(_)
        | LogError::OutOfOrder { .. }
        | LogError::NoSnapshot(_)
        | LogError::Truncated { .. } => Stop::Found(violation(error)),
    }
}

/// The replayed state and what has been verified so far.
struct Auditor {
    state: State,
    /// The sequence number the next record must have.
    next: Seq,
    /// The previous record's timestamp, which the next one may not precede.
    last_timestamp_ns: u64,
    /// Stored snapshots not yet verified, newest first (so the next one is last).
    snapshots: Vec<Seq>,
    commands: u64,
    checkpoints: u64,
    snapshots_verified: u64,
}

impl Auditor {
    fn new(snapshots_newest_first: Vec<Seq>) -> Self {
        assert!(
            snapshots_newest_first.windows(2).all(|w| w[0] > w[1]),
            "invariant: the log lists its snapshots newest first"
        );
        Self {
            state: State::default(),
            next: 1,
            last_timestamp_ns: 0,
            snapshots: snapshots_newest_first,
            commands: 0,
            checkpoints: 0,
            snapshots_verified: 0,
        }
    }

    /// Checks every record and every snapshot up to the log's end, calling `step` after
    /// each record.
    fn replay<L: EventLog>(&mut self, log: &L, mut step: impl FnMut()) -> Result<(), Stop> {
        self.verify_snapshot_due(log, 0)?;
        for read in log.read_from(1) {
            let seq = self.next;
            let unreadable = |error| Violation {
                seq,
                problem: Problem::Unreadable(error),
            };
            let record = read.map_err(|error| classify(error, unreadable))?;
            self.verify_record(&record)?;
            self.verify_snapshot_due(log, seq)?;
            step();
        }
        Ok(())
    }

    /// Steps 1 to 4 of the audit for one record.
    fn verify_record(&mut self, record: &Record) -> Result<(), Violation> {
        let seq = self.next;
        let at = |problem| Violation { seq, problem };
        if record.seq != seq {
            return Err(at(Problem::OutOfSequence { found: record.seq }));
        }
        if record.timestamp_ns < self.last_timestamp_ns {
            return Err(at(Problem::TimeWentBack {
                previous_ns: self.last_timestamp_ns,
                found_ns: record.timestamp_ns,
            }));
        }
        self.last_timestamp_ns = record.timestamp_ns;
        match &record.entry {
            Entry::Command { command, events } => self.redecide(command, events).map_err(at)?,
            Entry::Checkpoint { state_hash } => self.checkpoint(*state_hash).map_err(at)?,
        }
        self.state
            .check_invariants()
            .map_err(|broken| at(Problem::Invariant(broken)))?;
        self.next += 1;
        Ok(())
    }

    /// Decides the command again and applies its events if they are the logged ones.
    fn redecide(&mut self, command: &Command, logged: &[Event]) -> Result<(), Problem> {
        let decided = decide(&self.state, command).map_err(Problem::Rejected)?;
        if decided != logged {
            return Err(Problem::EventsDiffer {
                logged: logged.to_vec(),
                decided,
            });
        }
        decided
            .iter()
            .for_each(|event| evolve(&mut self.state, event));
        self.commands += 1;
        Ok(())
    }

    fn checkpoint(&mut self, logged: StateHash) -> Result<(), Problem> {
        let replayed = self.state.state_hash();
        if logged != replayed {
            return Err(Problem::CheckpointMismatch { logged, replayed });
        }
        self.checkpoints += 1;
        Ok(())
    }

    /// Step 5: verifies the snapshot stored at `seq`, if there is one.
    fn verify_snapshot_due<L: EventLog>(&mut self, log: &L, seq: Seq) -> Result<(), Stop> {
        if self.snapshots.last() != Some(&seq) {
            return Ok(());
        }
        self.snapshots.pop();
        let at = |problem| Violation { seq, problem };
        let snapshot = log
            .read_snapshot(seq)
            .map_err(|error| classify(error, |error| at(Problem::SnapshotUnreadable(error))))?;
        if snapshot.seq != seq {
            let found = snapshot.seq;
            return Err(at(Problem::SnapshotMislabelled { found }).into());
        }
        let replayed = self.state.state_hash();
        if snapshot.state_hash != replayed {
            let stored = snapshot.state_hash;
            return Err(at(Problem::SnapshotHashMismatch { stored, replayed }).into());
        }
        if snapshot.image != self.state.image() {
            return Err(at(Problem::SnapshotImageMismatch).into());
        }
        self.snapshots_verified += 1;
        Ok(())
    }

    /// Fails on a snapshot past the end, or summarizes.
    fn finish(self) -> Result<AuditSummary, Stop> {
        let last = self.next - 1;
        if let Some(&seq) = self.snapshots.last() {
            let problem = Problem::SnapshotPastEnd { last };
            return Err(Violation { seq, problem }.into());
        }
        let tickers = self.state.tickers();
        Ok(AuditSummary {
            records: last,
            commands: self.commands,
            checkpoints: self.checkpoints,
            snapshots_verified: self.snapshots_verified,
            accounts: self.state.accounts().len() as u64,
            tickers: tickers.len() as u64,
            trades: tickers.iter().map(|t| t.trades).sum(),
            volume: Quantity(tickers.iter().map(|t| t.volume.0).sum()),
            state_hash: self.state.state_hash(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{generated, rewritten};
    use exchange_core::log::{MemoryLog, Snapshot};
    use exchange_core::{AccountId, Actor};

    fn audited(log: &impl EventLog) -> AuditOutcome {
        audit(log, &Feedback::silent()).unwrap()
    }

    fn violation(log: &impl EventLog) -> Violation {
        match audited(log) {
            AuditOutcome::Failed(violation) => violation,
            AuditOutcome::Passed(summary) => panic!("audit passed: {summary:?}"),
        }
    }

    /// The sequence number of the first command record after `from` that logs an event
    /// `matches` accepts.
    fn first_with(log: &MemoryLog, from: Seq, matches: impl Fn(&Event) -> bool) -> Seq {
        let found = log.records().iter().find(|r| {
            r.seq > from
                && matches!(&r.entry, Entry::Command { events, .. } if events.iter().any(&matches))
        });
        found.expect("the generated market logs such an event").seq
    }

    #[test]
    fn a_journaled_market_passes_and_is_summarized() {
        let journal = generated(11, 600);
        let AuditOutcome::Passed(summary) = audited(journal.log()) else {
            panic!("an honest log fails its audit");
        };
        assert_eq!(summary.records, journal.last_seq());
        assert_eq!(summary.commands + summary.checkpoints, summary.records);
        assert!(summary.checkpoints >= 10, "{summary:?}");
        assert_eq!(summary.snapshots_verified, 3);
        assert_eq!(summary.state_hash, journal.state().state_hash());
        assert_eq!(summary.tickers, 2);
        assert!(summary.trades > 0 && summary.volume.0 >= summary.trades);
    }

    #[test]
    fn an_empty_log_passes() {
        let AuditOutcome::Passed(summary) = audited(&MemoryLog::new()) else {
            panic!("an empty log fails its audit");
        };
        assert_eq!(summary.records, 0);
        assert_eq!(summary.state_hash, State::default().state_hash());
    }

    #[test]
    fn a_changed_trade_is_named_by_its_record() {
        let journal = generated(12, 400);
        let seq = first_with(journal.log(), 100, |e| matches!(e, Event::Trade { .. }));
        let tampered = rewritten(journal.log(), |record| {
            let Entry::Command { events, .. } = &mut record.entry else {
                return;
            };
            for event in std::sync::Arc::make_mut(events)
                .iter_mut()
                .filter(|_| record.seq == seq)
            {
                if let Event::Trade { quantity, .. } = event {
                    quantity.0 += 1;
                }
            }
        });
        let found = violation(&tampered);
        assert_eq!(found.seq, seq);
        assert!(
            matches!(found.problem, Problem::EventsDiffer { .. }),
            "{found}"
        );
    }

    #[test]
    fn a_command_from_someone_else_is_rejected_on_redecision() {
        let journal = generated(13, 300);
        let seq = first_with(journal.log(), 50, |e| {
            matches!(e, Event::OrderAccepted { .. })
        });
        let tampered = rewritten(journal.log(), |record| {
            if let Entry::Command { command, .. } = &mut record.entry {
                if record.seq == seq {
                    command.actor = Actor::Account(AccountId(9_999));
                }
            }
        });
        let found = violation(&tampered);
        assert_eq!(found.seq, seq);
        assert!(matches!(found.problem, Problem::Rejected(_)), "{found}");
    }

    #[test]
    fn a_wrong_checkpoint_is_named_by_its_record() {
        let journal = generated(14, 300);
        let checkpoint = |r: &&Record| matches!(r.entry, Entry::Checkpoint { .. });
        let seq = journal.log().records().iter().find(checkpoint).unwrap().seq;
        let tampered = rewritten(journal.log(), |record| {
            if let Entry::Checkpoint { state_hash } = &mut record.entry {
                if record.seq == seq {
                    state_hash.0[0] ^= 1;
                }
            }
        });
        let found = violation(&tampered);
        assert_eq!(found.seq, seq);
        assert!(
            matches!(found.problem, Problem::CheckpointMismatch { .. }),
            "{found}"
        );
    }

    #[test]
    fn snapshots_must_hold_the_replayed_state() {
        let journal = generated(15, 300);
        let mut log = rewritten(journal.log(), |_| {});
        let wrong = Snapshot::of(&State::default(), 120);
        log.write_snapshot(&wrong).unwrap();
        let found = violation(&log);
        assert_eq!(found.seq, 120);
        assert!(
            matches!(found.problem, Problem::SnapshotHashMismatch { .. }),
            "{found}"
        );
    }

    #[test]
    fn a_snapshot_past_the_end_is_a_violation() {
        let journal = generated(16, 100);
        let mut log = rewritten(journal.log(), |_| {});
        let past = journal.last_seq() + 5;
        log.write_snapshot(&Snapshot::of(journal.state(), past))
            .unwrap();
        let found = violation(&log);
        assert_eq!(found.seq, past);
        assert!(
            matches!(found.problem, Problem::SnapshotPastEnd { .. }),
            "{found}"
        );
    }

    #[test]
    fn a_gap_in_the_sequence_is_named() {
        let journal = generated(17, 100);
        let gappy = Gappy {
            log: rewritten(journal.log(), |_| {}),
            missing: 30,
        };
        let found = violation(&gappy);
        assert_eq!(found.seq, 30);
        assert!(
            matches!(found.problem, Problem::OutOfSequence { found: 31 }),
            "{found}"
        );
    }

    /// A log that lost one record.
    struct Gappy {
        log: MemoryLog,
        missing: Seq,
    }

    impl EventLog for Gappy {
        fn append(&mut self, records: &[Record]) -> Result<(), LogError> {
            self.log.append(records)
        }

        fn sync(&mut self) -> Result<(), LogError> {
            self.log.sync()
        }

        fn last_seq(&self) -> Seq {
            self.log.last_seq()
        }

        fn read_from(&self, from: Seq) -> Box<dyn Iterator<Item = Result<Record, LogError>> + '_> {
            let missing = self.missing;
            let read = self.log.read_from(from);
            Box::new(read.filter(move |r| r.as_ref().map_or(true, |r| r.seq != missing)))
        }

        fn write_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), LogError> {
            self.log.write_snapshot(snapshot)
        }

        fn snapshot_seqs(&self) -> Result<Vec<Seq>, LogError> {
            self.log.snapshot_seqs()
        }

        fn read_snapshot(&self, seq: Seq) -> Result<Snapshot, LogError> {
            self.log.read_snapshot(seq)
        }

        fn delete_snapshot(&mut self, seq: Seq) -> Result<(), LogError> {
            self.log.delete_snapshot(seq)
        }
    }
}
