//! Rebuilding the state at a sequence number, with a progress bar and a report of the
//! snapshots that could not be used.
//!
//! This is [`exchange_core::state_at`] made observable: the same choice of snapshot
//! ([`exchange_core::load_snapshot`]) and the same replay with [`exchange_core::apply_record`],
//! plus a [`Recovery`] report and progress on the way.

use crate::feedback::Feedback;
use exchange_core::log::{EventLog, Seq};
use exchange_core::{apply_record, load_snapshot, JournalError, Recovery, State};

/// A state rebuilt from the log.
#[derive(Debug)]
pub struct Replayed {
    /// The state after record `seq`.
    pub state: State,
    /// The last record the state includes (0 for the empty state).
    pub seq: Seq,
    /// The snapshot used, the snapshots refused, and how many records were replayed.
    pub recovery: Recovery,
}

/// The state after record `target` (or after the last record, if the log is shorter).
///
/// Refused snapshots are reported to `feedback` as warnings before the replay starts; a
/// checkpoint that disagrees with the replay, or an unreadable record, is an error.
pub fn replay_to<L: EventLog>(
    log: &L,
    target: Seq,
    feedback: &Feedback,
) -> Result<Replayed, JournalError> {
    let (mut state, from, mut recovery) = load_snapshot(log, target)?;
    feedback.recovery(&recovery);
    let end = target.min(log.last_seq());
    let bar = feedback.progress("replay", end.saturating_sub(from));
    let mut seq = from;
    for record in log.read_from(from + 1) {
        let record = record?;
        if record.seq > end {
            break;
        }
        apply_record(&mut state, &record)?;
        seq = record.seq;
        recovery.replayed += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(Replayed {
        state,
        seq,
        recovery,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::generated;
    use exchange_core::log::{MemoryLog, Snapshot};
    use exchange_core::{state_at, StateHash};

    fn replayed(log: &MemoryLog, target: Seq) -> Replayed {
        replay_to(log, target, &Feedback::silent()).unwrap()
    }

    #[test]
    fn replays_agree_with_state_at() {
        let journal = generated(21, 400);
        let log = journal.log();
        for target in [
            0,
            1,
            37,
            150,
            299,
            journal.last_seq(),
            journal.last_seq() + 9,
        ] {
            let expected = state_at(log, target).unwrap();
            let found = replayed(log, target);
            assert_eq!(
                found.state.state_hash(),
                expected.state_hash(),
                "at {target}"
            );
            assert_eq!(found.seq, target.min(journal.last_seq()));
        }
    }

    #[test]
    fn replays_start_from_the_newest_snapshot_at_or_before_the_target() {
        let journal = generated(22, 400);
        let seqs = journal.log().snapshot_seqs().unwrap();
        let (newest, older) = (seqs[0], seqs[1]);
        let found = replayed(journal.log(), newest - 1);
        assert_eq!(found.recovery.snapshot, Some(older));
        assert_eq!(found.recovery.replayed, newest - 1 - older);
        assert!(found.recovery.refused_snapshots.is_empty());
    }

    #[test]
    fn damaged_snapshots_are_refused_and_reported() {
        let journal = generated(23, 400);
        let mut log = crate::test_support::rewritten(journal.log(), |_| {});
        let good = Snapshot::of(&state_at(&log, 100).unwrap(), 100);
        log.write_snapshot(&good).unwrap();
        let mut damaged = Snapshot::of(&state_at(&log, 200).unwrap(), 200);
        damaged.state_hash = StateHash([7; 32]);
        log.write_snapshot(&damaged).unwrap();
        let found = replayed(&log, 250);
        assert_eq!(found.recovery.snapshot, Some(100));
        let refused: Vec<Seq> = found
            .recovery
            .refused_snapshots
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(refused, [200]);
        assert_eq!(
            found.state.state_hash(),
            state_at(&log, 250).unwrap().state_hash()
        );
    }
}
