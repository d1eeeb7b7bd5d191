//! The event log: an append-only sequence of [`Record`]s plus [`Snapshot`]s of the state.
//!
//! [`EventLog`] is deliberately small so a storage engine is easy to swap: append a batch,
//! make it durable, read from a sequence number, and keep snapshots. [`MemoryLog`] serves
//! tests and simulations; [`SledLog`] (feature `sled`, on by default) is the embedded
//! durable default. [`crate::Journal`] runs the engine on top of either.

mod memory;
mod record;
#[cfg(feature = "sled")]
mod seal;
#[cfg(feature = "sled")]
pub(crate) mod sled;

#[cfg(feature = "sled")]
pub use self::sled::{
    is_lock_error, SledLog, SledReader, SLED_CHUNK_BYTES_MAX, SLED_LAYOUT_VERSION,
};
pub use memory::MemoryLog;
pub use record::{decode, encode, Entry, Record, Seq, Snapshot, FORMAT_VERSION};
#[cfg(feature = "sled")]
use record::{decode_front, encode_after};

/// Why the log could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The storage engine failed (disk full, permissions, I/O error).
    #[error("storage error: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The log, or a value in it, was written in a format this build does not read.
    #[error("log format version {found} is not supported (this build reads version {supported})")]
    UnknownVersion {
        /// The version found.
        found: u16,
        /// The version this build reads and writes.
        supported: u16,
    },
    /// A stored value cannot be decoded or does not match its checksum.
    #[error("corrupt log data: {0}")]
    Corrupt(String),
    /// Records must be appended in sequence, with no gap and no repeat.
    #[error("record {found} appended where record {expected} was due")]
    OutOfOrder {
        /// The sequence number due.
        expected: Seq,
        /// The one offered.
        found: Seq,
    },
    /// No snapshot was stored at this sequence number.
    #[error("no snapshot at record {0}")]
    NoSnapshot(Seq),
    /// The log opened shorter than it was known to be durable: records it acknowledged are
    /// gone (damaged or deleted storage). Nothing may be appended to it.
    #[error(
        "the log ends at record {found}, but records up to {sealed} were durable: \
         it lost records to damaged or deleted storage; restore it from a backup"
    )]
    Truncated {
        /// The last record known to be durable.
        sealed: Seq,
        /// The last record the log holds now.
        found: Seq,
    },
    /// Another process (a running server, another tool) has the log open.
    #[error(
        "the log in {0} is in use by another process (a running server or another \
         exchange tool); stop it first"
    )]
    InUse(std::path::PathBuf),
}

/// Storage for records and snapshots.
pub trait EventLog {
    /// Appends records after the last one, in order. They may not survive a crash until
    /// [`EventLog::sync`] returns.
    fn append(&mut self, records: &[Record]) -> Result<(), LogError>;

    /// Makes every appended record durable.
    fn sync(&mut self) -> Result<(), LogError>;

    /// The sequence number of the last appended record, or 0 when the log is empty.
    fn last_seq(&self) -> Seq;

    /// Every record from `from` on, in order.
    fn read_from(&self, from: Seq) -> Box<dyn Iterator<Item = Result<Record, LogError>> + '_>;

    /// Stores a snapshot durably, replacing any at the same sequence number.
    fn write_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), LogError>;

    /// The sequence numbers of the stored snapshots, newest first.
    fn snapshot_seqs(&self) -> Result<Vec<Seq>, LogError>;

    /// Reads a stored snapshot. A damaged one is an error, never a panic.
    fn read_snapshot(&self, seq: Seq) -> Result<Snapshot, LogError>;

    /// Deletes a stored snapshot (to keep only the newest few).
    fn delete_snapshot(&mut self, seq: Seq) -> Result<(), LogError>;
}

/// Checks that `records` continue a log whose last record is `last`.
fn check_sequence(last: Seq, records: &[Record]) -> Result<(), LogError> {
    for (expected, record) in (last + 1..).zip(records) {
        if record.seq != expected {
            return Err(LogError::OutOfOrder {
                expected,
                found: record.seq,
            });
        }
    }
    Ok(())
}
