//! What an audit can find wrong, and where.

use exchange_core::log::{LogError, Seq};
use exchange_core::{Event, InvariantViolation, Rejection, StateHash};
use std::fmt;

/// The first problem an audit found: where, and what.
#[derive(Debug)]
pub struct Violation {
    /// The sequence number of the record, or of the snapshot, that is wrong.
    pub seq: Seq,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a record or a snapshot, in the order the audit checks it.
#[derive(Debug)]
pub enum Problem {
    /// The record cannot be read (damaged bytes, unknown format, wrong key).
    Unreadable(LogError),
    /// A record with another sequence number was found where this one was due.
    OutOfSequence {
        /// The sequence number found.
        found: Seq,
    },
    /// The record is stamped earlier than the record before it: the journal never does that.
    TimeWentBack {
        /// The previous record's timestamp, in nanoseconds since the Unix epoch.
        previous_ns: u64,
        /// This record's.
        found_ns: u64,
    },
    /// The logged command is rejected when decided again on the state before it.
    Rejected(Rejection),
    /// The logged command decides to other events than the ones logged.
    EventsDiffer {
        /// The events in the log.
        logged: Vec<Event>,
        /// The events `decide` returns on the state before the record.
        decided: Vec<Event>,
    },
    /// A checkpoint's hash differs from the replayed state's.
    CheckpointMismatch {
        /// The hash in the checkpoint record.
        logged: StateHash,
        /// The replayed state's hash.
        replayed: StateHash,
    },
    /// The state after the record breaks an invariant.
    Invariant(InvariantViolation),
    /// A stored snapshot cannot be read.
    SnapshotUnreadable(LogError),
    /// A snapshot stored under this sequence number says it is of another.
    SnapshotMislabelled {
        /// The sequence number the snapshot itself names.
        found: Seq,
    },
    /// A snapshot's stored hash differs from the replayed state's.
    SnapshotHashMismatch {
        /// The hash stored with the snapshot.
        stored: StateHash,
        /// The replayed state's hash after the same record.
        replayed: StateHash,
    },
    /// A snapshot's stored hash is right but its image is not the replayed state's.
    SnapshotImageMismatch,
    /// A snapshot is stored for a record the log does not have.
    SnapshotPastEnd {
        /// The log's last record.
        last: Seq,
    },
}

impl Problem {
    /// Whether the problem is with a snapshot rather than a record.
    pub const fn is_snapshot(&self) -> bool {
        match self {
            Problem::SnapshotUnreadable(_)
            | Problem::SnapshotMislabelled { .. }
            | Problem::SnapshotHashMismatch { .. }
            | Problem::SnapshotImageMismatch
            | Problem::SnapshotPastEnd { .. } => true,
            Problem::Unreadable(_)
            | Problem::OutOfSequence { .. }
            | Problem::TimeWentBack { .. }
            | Problem::Rejected(_)
            | Problem::EventsDiffer { .. }
            | Problem::CheckpointMismatch { .. }
            | Problem::Invariant(_) => false,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let subject = if self.problem.is_snapshot() {
            "snapshot at"
        } else {
            "record"
        };
        write!(f, "{subject} {}: {}", self.seq, self.problem)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable(error) => write!(f, "unreadable: {error}"),
            Problem::OutOfSequence { found } => write!(f, "found record {found} in its place"),
            Problem::TimeWentBack {
                previous_ns,
                found_ns,
            } => write!(
                f,
                "stamped {found_ns} ns after the epoch, before the previous record's \
                 {previous_ns}"
            ),
            Problem::Rejected(rejection) => write!(
                f,
                "logged command is rejected when re-decided: {rejection} ({})",
                rejection.code()
            ),
            Problem::EventsDiffer { logged, decided } => {
                write!(f, "logged events differ from re-decided events: ")?;
                describe_difference(f, logged, decided)
            }
            Problem::CheckpointMismatch { logged, replayed } => write!(
                f,
                "checkpoint hash {logged} differs from the replayed state's {replayed}"
            ),
            Problem::Invariant(violation) => write!(f, "{violation}"),
            Problem::SnapshotUnreadable(error) => write!(f, "unreadable: {error}"),
            Problem::SnapshotMislabelled { found } => {
                write!(f, "stored here but says it is at {found}")
            }
            Problem::SnapshotHashMismatch { stored, replayed } => write!(
                f,
                "stored hash {stored} differs from the replayed state's {replayed}"
            ),
            Problem::SnapshotImageMismatch => {
                write!(f, "stored state differs from the replayed state")
            }
            Problem::SnapshotPastEnd { last } => {
                write!(f, "past the log's last record {last}")
            }
        }
    }
}

/// Names the first event that differs, or the counts if one list is a prefix of the other.
fn describe_difference(
    f: &mut fmt::Formatter<'_>,
    logged: &[Event],
    decided: &[Event],
) -> fmt::Result {
    let pairs = logged.iter().zip(decided).enumerate();
    match pairs.into_iter().find(|(_, (l, d))| l != d) {
        Some((at, (l, d))) => write!(
            f,
            "event {} of {}: logged {l:?}, re-decided {d:?}",
            at + 1,
            logged.len()
        ),
        None => write!(
            f,
            "{} events logged, {} re-decided",
            logged.len(),
            decided.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use exchange_core::{AccountId, Credits};

    fn deposit(amount: u64) -> Event {
        Event::CreditsDeposited {
            account: AccountId(1),
            amount: Credits(amount),
        }
    }

    #[test]
    fn record_problems_name_the_record() {
        let violation = Violation {
            seq: 1234,
            problem: Problem::EventsDiffer {
                logged: vec![deposit(5)],
                decided: vec![deposit(6)],
            },
        };
        let text = violation.to_string();
        assert!(
            text.starts_with(
                "record 1234: logged events differ from re-decided events: event 1 of 1"
            ),
            "{text}"
        );
    }

    #[test]
    fn snapshot_problems_name_the_snapshot() {
        let violation = Violation {
            seq: 40,
            problem: Problem::SnapshotPastEnd { last: 30 },
        };
        assert_eq!(
            violation.to_string(),
            "snapshot at 40: past the log's last record 30"
        );
    }

    #[test]
    fn a_missing_event_is_described_by_counts() {
        let problem = Problem::EventsDiffer {
            logged: vec![deposit(5)],
            decided: vec![deposit(5), deposit(6)],
        };
        assert!(problem
            .to_string()
            .ends_with("1 events logged, 2 re-decided"));
    }
}
