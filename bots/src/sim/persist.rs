//! Copying a finished run's log to a durable log directory, in large batches and with one
//! sync at the end, so the result is a real data directory (`exchange audit DIR` accepts it)
//! whose records are byte for byte those of the in-memory run.

use super::error::SimError;
use exchange_core::log::{EventLog, SledLog};
use std::path::Path;

/// Records appended to the target per batch.
pub const COPY_BATCH_RECORDS: usize = 4_096;

/// Appends every record and snapshot of `from` to the empty log `to`, then syncs it once.
pub fn copy_log(from: &impl EventLog, to: &mut impl EventLog) -> Result<u64, SimError> {
    assert_eq!(to.last_seq(), 0, "copying into an empty log");
    let mut batch = Vec::with_capacity(COPY_BATCH_RECORDS);
    let mut copied = 0;
    for record in from.read_from(1) {
        batch.push(record?);
        if batch.len() == COPY_BATCH_RECORDS {
            to.append(&batch)?;
            copied += batch.len() as u64;
            batch.clear();
        }
    }
    to.append(&batch)?;
    copied += batch.len() as u64;
    to.sync()?;
    for seq in from.snapshot_seqs()?.into_iter().rev() {
        to.write_snapshot(&from.read_snapshot(seq)?)?;
    }
    assert_eq!(to.last_seq(), from.last_seq(), "every record copied");
    Ok(copied)
}

/// Writes `from` as a new sled log in `dir`, which must not hold a log yet. Returns the
/// records written.
pub fn write_sled_log(from: &impl EventLog, dir: &Path) -> Result<u64, SimError> {
    let mut log = SledLog::open(dir)?;
    if log.last_seq() != 0 {
        return Err(SimError::JournalNotEmpty(log.last_seq()));
    }
    copy_log(from, &mut log)
}
