//! The embedded durable log, on sled 0.34.
//!
//! Three trees in one sled database: `records` (big-endian sequence number to an encoded
//! [`Record`]), `snapshots` (big-endian sequence number to an encoded [`Snapshot`]) and
//! `meta` (the format version). sled's own background flushing is turned off: durability
//! comes only from [`EventLog::sync`].
//!
//! sled 0.34's flush is not enough on its own: on Linux it ends with `sync_file_range`,
//! which flushes neither the drive's write cache nor the file's size, and it writes large
//! values to blob files with no sync at all. So `sync` flushes sled, then `fdatasync`s its
//! data file and `fsync`s every blob file not yet synced and the blob directory. That makes
//! an acknowledged record survive a power loss, not just a killed process.

use super::{
    check_sequence, decode, encode, EventLog, LogError, Record, Seq, Snapshot, FORMAT_VERSION,
};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Key under which the `meta` tree stores the format version.
const VERSION_KEY: &[u8] = b"format_version";

/// A durable log in a directory.
pub struct SledLog {
    db: ::sled::Db,
    records: ::sled::Tree,
    snapshots: ::sled::Tree,
    last_seq: Seq,
    /// sled's data file (`DIR/db`), opened again to fsync what sled only `sync_file_range`s.
    data_file: File,
    /// sled's blob directory (`DIR/blobs`), where values too large for a page go.
    blobs: PathBuf,
    /// Blob files already made durable.
    blobs_synced: BTreeSet<OsString>,
}

impl From<::sled::Error> for LogError {
    fn from(error: ::sled::Error) -> Self {
        LogError::Storage(Box::new(error))
    }
}

impl SledLog {
    /// Opens the log in `dir`, creating an empty one if the directory holds none.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, LogError> {
        Self::open_with(dir.as_ref(), Create::IfMissing)
    }

    /// Opens the log in `dir`, failing if there is none (for tools that only read).
    pub fn open_existing(dir: impl AsRef<Path>) -> Result<Self, LogError> {
        Self::open_with(dir.as_ref(), Create::Never)
    }

    fn open_with(dir: &Path, create: Create) -> Result<Self, LogError> {
        if create == Create::Never && !dir.join("conf").is_file() {
            let message = format!("{} holds no event log", dir.display());
            return Err(LogError::Storage(message.into()));
        }
        // No background flusher: durability comes from explicit syncs, and the flusher
        // thread would keep the directory locked for a moment after the log is dropped.
        let db = open_locked(dir)?;
        let records = db.open_tree("records")?;
        let snapshots = db.open_tree("snapshots")?;
        let meta = db.open_tree("meta")?;
        match meta.get(VERSION_KEY)? {
            Some(stored) => check_version(&stored)?,
            None if records.is_empty() => {
                meta.insert(VERSION_KEY, &FORMAT_VERSION.to_le_bytes())?;
                db.flush()?;
            }
            None => return Err(LogError::Corrupt("records without a format version".into())),
        }
        let last_seq = match records.last()? {
            Some((key, _)) => seq_of(&key)?,
            None => 0,
        };
        let data_file = File::open(dir.join("db")).map_err(storage)?;
        let mut log = Self {
            db,
            records,
            snapshots,
            last_seq,
            data_file,
            blobs: dir.join("blobs"),
            blobs_synced: BTreeSet::new(),
        };
        log.flush_and_sync()?;
        Ok(log)
    }

    /// Flushes sled, then makes its data file and any new blob files durable.
    fn flush_and_sync(&mut self) -> Result<(), LogError> {
        self.db.flush()?;
        self.data_file.sync_data().map_err(storage)?;
        self.sync_new_blobs().map_err(storage)
    }

    /// Fsyncs every blob file not synced before, then the blob directory.
    fn sync_new_blobs(&mut self) -> std::io::Result<()> {
        let entries = match std::fs::read_dir(&self.blobs) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        let mut synced_any = false;
        let mut present = BTreeSet::new();
        for entry in entries {
            let name = entry?.file_name();
            if !self.blobs_synced.contains(&name) {
                File::open(self.blobs.join(&name))?.sync_all()?;
                synced_any = true;
            }
            present.insert(name);
        }
        // sled deletes blobs it no longer needs; forget those.
        self.blobs_synced = present;
        if synced_any {
            File::open(&self.blobs)?.sync_all()?;
        }
        Ok(())
    }
}

/// A read-only handle on a [`SledLog`]'s records that another thread may use while the log
/// appends (sled trees are shared, thread-safe handles). For exporters that must never make
/// the writer wait.
///
/// It sees every *appended* record, durable or not: only the writer knows how far
/// [`EventLog::sync`] has made the log durable, so a reader that must not act on records a
/// crash could lose reads only up to the durable sequence number the writer tells it.
#[derive(Clone)]
pub struct SledReader {
    records: ::sled::Tree,
}

impl SledReader {
    /// Every record from `from` on, in order, as far as they are appended now.
    pub fn read_from(&self, from: Seq) -> impl Iterator<Item = Result<Record, LogError>> + '_ {
        read_records(&self.records, from)
    }
}

impl SledLog {
    /// A read-only handle on the records, for another thread (see [`SledReader`]).
    pub fn reader(&self) -> SledReader {
        SledReader {
            records: self.records.clone(),
        }
    }
}

/// The records of `tree` from `from` on, checked against the keys they are stored under.
fn read_records(
    tree: &::sled::Tree,
    from: Seq,
) -> impl Iterator<Item = Result<Record, LogError>> + '_ {
    tree.range(from.to_be_bytes()..).map(|entry| {
        let (key, value) = entry?;
        let record: Record = decode(&value)?;
        let seq = seq_of(&key)?;
        if record.seq != seq {
            let message = format!("record stored under {seq} says it is {}", record.seq);
            return Err(LogError::Corrupt(message));
        }
        Ok(record)
    })
}

fn storage(error: std::io::Error) -> LogError {
    LogError::Storage(Box::new(error))
}

/// Whether opening may create a log.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Create {
    IfMissing,
    Never,
}

fn check_version(stored: &[u8]) -> Result<(), LogError> {
    let bytes: [u8; 2] = stored
        .try_into()
        .map_err(|_| LogError::Corrupt(format!("format version of {} bytes", stored.len())))?;
    let found = u16::from_le_bytes(bytes);
    if found != FORMAT_VERSION {
        return Err(LogError::UnknownVersion {
            found,
            supported: FORMAT_VERSION,
        });
    }
    Ok(())
}

fn seq_of(key: &[u8]) -> Result<Seq, LogError> {
    let bytes: [u8; 8] = key
        .try_into()
        .map_err(|_| LogError::Corrupt(format!("key of {} bytes", key.len())))?;
    Ok(Seq::from_be_bytes(bytes))
}

impl EventLog for SledLog {
    fn append(&mut self, records: &[Record]) -> Result<(), LogError> {
        check_sequence(self.last_seq, records)?;
        let mut batch = ::sled::Batch::default();
        for record in records {
            batch.insert(&record.seq.to_be_bytes(), encode(record));
        }
        self.records.apply_batch(batch)?;
        self.last_seq += records.len() as Seq;
        Ok(())
    }

    fn sync(&mut self) -> Result<(), LogError> {
        self.flush_and_sync()
    }

    fn last_seq(&self) -> Seq {
        self.last_seq
    }

    fn read_from(&self, from: Seq) -> Box<dyn Iterator<Item = Result<Record, LogError>> + '_> {
        Box::new(read_records(&self.records, from))
    }

    fn write_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), LogError> {
        self.snapshots
            .insert(snapshot.seq.to_be_bytes(), snapshot.encode())?;
        self.flush_and_sync()
    }

    fn snapshot_seqs(&self) -> Result<Vec<Seq>, LogError> {
        let keys = self.snapshots.iter().keys().rev();
        keys.map(|key| seq_of(&key?)).collect()
    }

    fn read_snapshot(&self, seq: Seq) -> Result<Snapshot, LogError> {
        let bytes = self
            .snapshots
            .get(seq.to_be_bytes())?
            .ok_or(LogError::NoSnapshot(seq))?;
        Snapshot::decode(&bytes)
    }

    fn delete_snapshot(&mut self, seq: Seq) -> Result<(), LogError> {
        self.snapshots.remove(seq.to_be_bytes())?;
        self.flush_and_sync()
    }
}

/// How many times opening tries to take the directory's lock, [`LOCK_RETRY_PAUSE`] apart
/// (about 2 s in all). sled's worker threads can hold the lock for a moment after the
/// previous handle in this process was dropped; another process holding it is still
/// refused, just not at once. Counted in attempts, not time: the core reads no clock.
const LOCK_ATTEMPTS_MAX: u32 = 100;

/// The pause between two attempts to take the lock.
const LOCK_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// Opens sled in `dir`, retrying while its lock is still held (see [`LOCK_ATTEMPTS_MAX`]).
pub(crate) fn open_locked(dir: &Path) -> Result<::sled::Db, ::sled::Error> {
    let mut attempts = 1;
    loop {
        let opened = ::sled::Config::new().path(dir).flush_every_ms(None).open();
        match opened {
            Err(::sled::Error::Io(error))
                if error.to_string().contains("could not acquire lock")
                    && attempts < LOCK_ATTEMPTS_MAX =>
            {
                attempts += 1;
                std::thread::sleep(LOCK_RETRY_PAUSE);
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::StateHash;
    use crate::log::Entry;

    fn checkpoint(seq: Seq) -> Record {
        Record {
            seq,
            timestamp_ns: seq,
            entry: Entry::Checkpoint {
                state_hash: StateHash([seq as u8; 32]),
            },
        }
    }

    fn seqs(reader: &SledReader, from: Seq) -> Vec<Seq> {
        reader
            .read_from(from)
            .map(|record| record.expect("a readable record").seq)
            .collect()
    }

    #[test]
    fn a_reader_on_another_thread_sees_what_the_log_appends_later() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SledLog::open(dir.path()).unwrap();
        log.append(&[checkpoint(1), checkpoint(2)]).unwrap();
        let reader = log.reader();
        let (appended, seen) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let before = seqs(&reader, 1);
            seen.recv().unwrap();
            (before, seqs(&reader, 2), seqs(&reader, 4))
        });
        log.append(&[checkpoint(3)]).unwrap();
        log.sync().unwrap();
        appended.send(()).unwrap();
        let (before, from_two, past_the_end) = thread.join().unwrap();
        assert!(before == [1, 2] || before == [1, 2, 3], "{before:?}");
        assert_eq!(from_two, [2, 3]);
        assert!(past_the_end.is_empty());
        let read: Vec<Record> = log.read_from(1).map(Result::unwrap).collect();
        assert_eq!(read, [checkpoint(1), checkpoint(2), checkpoint(3)]);
    }
}
