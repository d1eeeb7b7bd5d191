//! [`TimedLog`]: an [`EventLog`] that adds up the time spent appending and syncing, so a
//! journal's time per batch splits into engine, append and sync.

use std::time::{Duration, Instant};

use exchange_core::log::{EventLog, LogError, Record, Seq, Snapshot};

/// Another log, with the time spent in its [`EventLog::append`] and [`EventLog::sync`]
/// added up. Two clock reads per call: negligible next to a batch of records.
#[derive(Debug)]
pub struct TimedLog<L> {
    inner: L,
    append: Duration,
    sync: Duration,
}

impl<L: EventLog> TimedLog<L> {
    /// Wraps `inner`, with both totals at zero.
    pub fn new(inner: L) -> Self {
        Self {
            inner,
            append: Duration::ZERO,
            sync: Duration::ZERO,
        }
    }

    /// Total time spent in `append` so far (encoding and inserting records).
    pub fn append_time(&self) -> Duration {
        self.append
    }

    /// Total time spent in `sync` so far (flushing and fsyncing).
    pub fn sync_time(&self) -> Duration {
        self.sync
    }

    /// The wrapped log.
    pub fn inner(&self) -> &L {
        &self.inner
    }
}

impl<L: EventLog> EventLog for TimedLog<L> {
    fn append(&mut self, records: &[Record]) -> Result<(), LogError> {
        let start = Instant::now();
        let appended = self.inner.append(records);
        self.append += start.elapsed();
        appended
    }

    fn sync(&mut self) -> Result<(), LogError> {
        let start = Instant::now();
        let synced = self.inner.sync();
        self.sync += start.elapsed();
        synced
    }

    fn last_seq(&self) -> Seq {
        self.inner.last_seq()
    }

    fn read_from(&self, from: Seq) -> Box<dyn Iterator<Item = Result<Record, LogError>> + '_> {
        self.inner.read_from(from)
    }

    fn write_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), LogError> {
        self.inner.write_snapshot(snapshot)
    }

    fn snapshot_seqs(&self) -> Result<Vec<Seq>, LogError> {
        self.inner.snapshot_seqs()
    }

    fn read_snapshot(&self, seq: Seq) -> Result<Snapshot, LogError> {
        self.inner.read_snapshot(seq)
    }

    fn delete_snapshot(&mut self, seq: Seq) -> Result<(), LogError> {
        self.inner.delete_snapshot(seq)
    }
}
