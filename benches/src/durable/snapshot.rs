//! Snapshot write and load times.

use std::fmt;
use std::time::{Duration, Instant};

use exchange_core::log::{EventLog, Seq};
use exchange_core::{Journal, JournalError};

/// One snapshot's figures. Its `Display` is the `key=value` part of its output line.
#[derive(Clone, Debug)]
pub struct SnapshotTimes {
    /// The last record the snapshot includes.
    pub seq: Seq,
    /// Its encoded size, as stored.
    pub bytes: u64,
    /// Orders resting in the snapshotted books.
    pub orders_resting: u64,
    /// [`Journal::snapshot`]: imaging and hashing the state, encoding and sealing it,
    /// storing it durably, and listing the stored snapshots.
    pub write: Duration,
    /// Reading it back from the log, checking and decoding it, rebuilding the state from
    /// it and checking the state's hash.
    pub load: Duration,
}

impl fmt::Display for SnapshotTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "seq={} bytes={} orders_resting={} write_ms={:.3} load_ms={:.3}",
            self.seq,
            self.bytes,
            self.orders_resting,
            self.write.as_secs_f64() * 1_000.0,
            self.load.as_secs_f64() * 1_000.0,
        )
    }
}

/// Writes a snapshot of the journal's state now, then loads it back, timing both.
///
/// # Panics
/// If the loaded state's hash differs from the journal's.
pub fn snapshot_times<L: EventLog>(
    journal: &mut Journal<L>,
) -> Result<SnapshotTimes, JournalError> {
    let start = Instant::now();
    let seq = journal.snapshot()?;
    let write = start.elapsed();
    let start = Instant::now();
    let snapshot = journal.log().read_snapshot(seq)?;
    let state = snapshot.restore()?;
    let load = start.elapsed();
    assert_eq!(
        state.state_hash(),
        journal.state().state_hash(),
        "the snapshot restores the journal's state"
    );
    Ok(SnapshotTimes {
        seq,
        bytes: snapshot.encode().len() as u64,
        orders_resting: state.orders_resting() as u64,
        write,
        load,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::durable::replay::journal_in_memory;
    use crate::durable::stream::submissions;
    use crate::testing::w1_seed_42;
    use exchange_core::Submission;

    #[test]
    fn a_snapshot_is_stored_and_restores_the_state() {
        let (setup, commands) = submissions(w1_seed_42(), 1);
        let commands: Vec<Submission> = commands.take(3_000).collect();
        let mut journal = journal_in_memory(&setup, &commands, 100).unwrap();
        let times = snapshot_times(&mut journal).unwrap();
        assert_eq!(times.seq, journal.last_seq());
        assert_eq!(journal.log().snapshot_seqs().unwrap(), vec![times.seq]);
        assert!(times.bytes > 0);
        assert!(times.orders_resting > 0);
    }
}
