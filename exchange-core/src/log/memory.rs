//! An event log in memory, for tests and simulations. Records are kept decoded; snapshots
//! are kept encoded, exactly as a durable log stores them.

use super::{check_sequence, EventLog, LogError, Record, Seq, Snapshot};
use std::collections::BTreeMap;

/// A log that lives and dies with the process.
#[derive(Clone, Debug, Default)]
pub struct MemoryLog {
    records: Vec<Record>,
    snapshots: BTreeMap<Seq, Vec<u8>>,
}

impl MemoryLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every record, in order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }
}

impl EventLog for MemoryLog {
    fn append(&mut self, records: &[Record]) -> Result<(), LogError> {
        check_sequence(self.last_seq(), records)?;
        self.records.extend_from_slice(records);
        Ok(())
    }

    fn sync(&mut self) -> Result<(), LogError> {
        Ok(())
    }

    fn last_seq(&self) -> Seq {
        self.records.last().map_or(0, |record| record.seq)
    }

    fn read_from(&self, from: Seq) -> Box<dyn Iterator<Item = Result<Record, LogError>> + '_> {
        let skip = usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX);
        Box::new(self.records.iter().skip(skip).cloned().map(Ok))
    }

    fn write_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), LogError> {
        self.snapshots.insert(snapshot.seq, snapshot.encode());
        Ok(())
    }

    fn snapshot_seqs(&self) -> Result<Vec<Seq>, LogError> {
        Ok(self.snapshots.keys().rev().copied().collect())
    }

    fn read_snapshot(&self, seq: Seq) -> Result<Snapshot, LogError> {
        Snapshot::decode(self.snapshots.get(&seq).ok_or(LogError::NoSnapshot(seq))?)
    }

    fn delete_snapshot(&mut self, seq: Seq) -> Result<(), LogError> {
        self.snapshots.remove(&seq);
        Ok(())
    }
}
