//! The embedded durable log, on sled 0.34.
//!
//! Three trees in one sled database: `records`, `snapshots` (big-endian sequence number to
//! an encoded [`Snapshot`]) and `meta` (the layout version, [`SLED_LAYOUT_VERSION`]). sled's own
//! background flushing is turned off: durability comes only from [`EventLog::sync`].
//!
//! `records` stores an appended batch in chunks: a chunk is one or more consecutive records,
//! each encoded in its own envelope, one after another, under the big-endian sequence number
//! of its first record. One sled insert per chunk rather than per record is what makes the
//! log cheap to append to: sled's cost is mostly per insert, not per byte, and a server
//! under load appends batches of tens of records. A chunk holds at most
//! [`SLED_CHUNK_BYTES_MAX`] bytes (or a single larger record), so sled never has to move a leaf
//! of chunks to a blob file. While the last chunk is small (under [`OPEN_CHUNK_BYTES_MAX`]),
//! the next append rewrites it with the new records added rather than starting another, so
//! a quiet server appending one record at a time still makes one key per kilobyte or so:
//! sled's memory and the time it takes to open grow with its keys. Reading from a sequence
//! number starts at the chunk that holds it.
//!
//! sled 0.34's flush is not enough on its own: on Linux it ends with `sync_file_range`,
//! which flushes neither the drive's write cache nor the file's size, and it writes large
//! values to blob files with no sync at all. So `sync` flushes sled, then `fdatasync`s its
//! data file and `fsync`s every blob file not yet synced and the blob directory. That makes
//! an acknowledged record survive a power loss, not just a killed process.

use super::seal::{self, SEAL_EVERY_RECORDS};
use super::{
    check_sequence, decode_front, encode_after, EventLog, LogError, Record, Seq, Snapshot,
};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

/// Key under which the `meta` tree stores the layout version.
const VERSION_KEY: &[u8] = b"format_version";

/// The layout this build writes. Version 1 stored one record per `records` value; version 2
/// stores chunks of records. A version 1 log is a log of one-record chunks, so this build
/// reads it, and marks it version 2 when it opens it to append; a build that knows only
/// version 1 refuses a version 2 log rather than misreading it.
pub const SLED_LAYOUT_VERSION: u16 = 2;

/// The oldest layout this build reads.
const SLED_LAYOUT_VERSION_MIN: u16 = 1;

/// The most bytes of records one chunk holds, unless it is a single larger record. sled
/// writes a page whose encoding exceeds a quarter of its segment (512 KiB by default) to a
/// blob file of its own, and a leaf page holds up to 17 values: 17 chunks of this size and
/// their keys stay well under that.
pub const SLED_CHUNK_BYTES_MAX: usize = 6 * 1024;

/// An append extends the last chunk only while it holds fewer bytes than this: small
/// enough that rewriting it costs little next to the append, large enough that a server
/// appending one record at a time makes one key per ten records or more.
const OPEN_CHUNK_BYTES_MAX: usize = 1024;

const _: () = assert!(OPEN_CHUNK_BYTES_MAX <= SLED_CHUNK_BYTES_MAX);

/// sled's default segment size, from which its blob threshold follows.
const SLED_SEGMENT_BYTES: usize = 512 * 1024;

/// The most values sled 0.34 keeps in one leaf page before it splits it.
const SLED_LEAF_VALUES_MAX: usize = 17;

const _: () = assert!(SLED_LEAF_VALUES_MAX * (SLED_CHUNK_BYTES_MAX + 64) < SLED_SEGMENT_BYTES / 4);

/// A durable log in a directory.
pub struct SledLog {
    db: ::sled::Db,
    records: ::sled::Tree,
    snapshots: ::sled::Tree,
    last_seq: Seq,
    /// The last chunk, while it is small enough to extend (see [`OPEN_CHUNK_BYTES_MAX`]):
    /// its first record's sequence number and its bytes, which the next append extends.
    open_chunk: Option<(Seq, Vec<u8>)>,
    /// sled's data file (`DIR/db`), opened again to fsync what sled only `sync_file_range`s.
    data_file: File,
    /// sled's blob directory (`DIR/blobs`), where values too large for a page go.
    blobs: PathBuf,
    /// Blob files already made durable.
    blobs_synced: BTreeSet<OsString>,
    /// The log's directory, where its seal is (see the `seal` module).
    dir: PathBuf,
    /// The last record sealed as durable.
    sealed: Seq,
    /// The last record made durable by a sync, sealed or not.
    synced: Seq,
}

impl From<::sled::Error> for LogError {
    /// Damage sled finds while reading is damage to the log, not a failing disk.
    fn from(error: ::sled::Error) -> Self {
        match error {
            ::sled::Error::Corruption { at, .. } => LogError::Corrupt(format!(
                "the storage engine found damaged data (at {})",
                at.map_or("an unknown place".to_owned(), |at| format!("{at:?}"))
            )),
            error => LogError::Storage(Box::new(error)),
        }
    }
}

impl SledLog {
    /// Opens the log in `dir`, creating an empty one if the directory is new or empty. A
    /// directory that holds other files but no log is refused with [`LogError::Storage`].
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, LogError> {
        Self::open_with(dir.as_ref(), Create::IfMissing)
    }

    /// Opens the log in `dir`, failing if there is none (for tools that only read).
    pub fn open_existing(dir: impl AsRef<Path>) -> Result<Self, LogError> {
        Self::open_with(dir.as_ref(), Create::Never)
    }

    fn open_with(dir: &Path, create: Create) -> Result<Self, LogError> {
        let created = dir.join("conf").is_file();
        if create == Create::Never && !created {
            let message = format!("{} holds no event log", dir.display());
            return Err(LogError::Storage(message.into()));
        }
        if !created && holds_other_files(dir)? {
            let message = format!(
                "{} holds files but no event log: refusing to create a log among them \
                 (open a new or empty directory)",
                dir.display()
            );
            return Err(LogError::Storage(message.into()));
        }
        let data_path = dir.join("db");
        if created && !data_path.is_file() {
            let message = format!(
                "{} is missing: the log's records are gone",
                data_path.display()
            );
            return Err(LogError::Corrupt(message));
        }
        let sealed = seal::read(dir)?;
        // No background flusher: durability comes from explicit syncs, and the flusher
        // thread would keep the directory locked for a moment after the log is dropped.
        let db = open_sled(dir)?;
        let records = db.open_tree("records")?;
        let snapshots = db.open_tree("snapshots")?;
        let meta = db.open_tree("meta")?;
        let (last_seq, open_chunk) = match records.last()? {
            Some((key, value)) => {
                let chunk = decode_chunk(&key, &value)?;
                let first = chunk[0].seq;
                let last = chunk
                    .last()
                    .expect("invariant: a decoded chunk has records");
                let open = value.len() < OPEN_CHUNK_BYTES_MAX;
                (last.seq, open.then(|| (first, value.to_vec())))
            }
            None => (0, None),
        };
        if last_seq < sealed {
            return Err(LogError::Truncated {
                sealed,
                found: last_seq,
            });
        }
        let stored = match meta.get(VERSION_KEY)? {
            Some(stored) => Some(check_version(&stored)?),
            None if records.is_empty() => None,
            None => return Err(LogError::Corrupt("records without a format version".into())),
        };
        if create == Create::IfMissing && stored != Some(SLED_LAYOUT_VERSION) {
            meta.insert(VERSION_KEY, &SLED_LAYOUT_VERSION.to_le_bytes())?;
            db.flush()?;
        }
        let data_file = File::open(data_path).map_err(storage)?;
        let mut log = Self {
            db,
            records,
            snapshots,
            last_seq,
            open_chunk,
            data_file,
            blobs: dir.join("blobs"),
            blobs_synced: BTreeSet::new(),
            dir: dir.to_owned(),
            sealed,
            synced: 0,
        };
        log.flush_and_sync()?;
        Ok(log)
    }

    /// Flushes sled, then makes its data file and any new blob files durable.
    /// Every [`SEAL_EVERY_RECORDS`] records made durable, it seals the log again.
    fn flush_and_sync(&mut self) -> Result<(), LogError> {
        self.db.flush()?;
        self.data_file.sync_data().map_err(storage)?;
        self.sync_new_blobs().map_err(storage)?;
        self.synced = self.last_seq;
        if self.synced >= self.sealed.saturating_add(SEAL_EVERY_RECORDS) {
            self.seal().map_err(storage)?;
        }
        Ok(())
    }

    /// Seals the log at its last durable record.
    fn seal(&mut self) -> std::io::Result<()> {
        seal::write(&self.dir, self.synced)?;
        self.sealed = self.synced;
        Ok(())
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
/// The first error ends the iteration.
fn read_records(tree: &::sled::Tree, from: Seq) -> Records {
    let (chunks, failed) = match chunk_holding(tree, from) {
        Ok(start) => {
            let start = start.map_or(::sled::IVec::from(&from.to_be_bytes()[..]), |(key, _)| key);
            (tree.range(start..), None)
        }
        Err(error) => (tree.range(from.to_be_bytes()..), Some(error.into())),
    };
    Records {
        chunks,
        chunk: Vec::new().into_iter(),
        from,
        next: from.max(1),
        failed,
        done: false,
    }
}

/// The records of a run of chunks, from a sequence number on.
struct Records {
    chunks: ::sled::Iter,
    /// What remains of the chunk being read.
    chunk: std::vec::IntoIter<Record>,
    /// Records before this one are skipped.
    from: Seq,
    /// The sequence number the next record must have: a chunk that sled lost to damage
    /// leaves a gap, which is an error rather than a shorter history.
    next: Seq,
    /// An error found before the first chunk was read, to report first.
    failed: Option<LogError>,
    done: bool,
}

impl Iterator for Records {
    type Item = Result<Record, LogError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(error) = self.failed.take() {
            self.done = true;
            return Some(Err(error));
        }
        loop {
            if let Some(record) = self.chunk.find(|record| record.seq >= self.from) {
                if record.seq != self.next {
                    self.done = true;
                    self.chunk = Vec::new().into_iter();
                    return Some(Err(LogError::Corrupt(format!(
                        "record {} is missing: the next stored record is {}",
                        self.next, record.seq
                    ))));
                }
                self.next += 1;
                return Some(Ok(record));
            }
            if self.done {
                return None;
            }
            let chunk = match self.chunks.next()? {
                Ok((key, value)) => decode_chunk(&key, &value),
                Err(error) => Err(error.into()),
            };
            match chunk {
                Ok(records) => self.chunk = records.into_iter(),
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

/// The stored chunk that holds record `seq` if the log reaches it: the last one that starts
/// at or before it.
fn chunk_holding(
    tree: &::sled::Tree,
    seq: Seq,
) -> Result<Option<(::sled::IVec, ::sled::IVec)>, ::sled::Error> {
    tree.range(..=seq.to_be_bytes()).next_back().transpose()
}

/// Encodes `records` as chunks of at most [`SLED_CHUNK_BYTES_MAX`] bytes each (a larger
/// record alone), each under its first record's sequence number, the first of them
/// continuing `open` (the last stored chunk, if it is still small). Returns the chunks in
/// order, as first sequence number and bytes; the last is the log's new last chunk.
fn encode_chunks(open: Option<(Seq, Vec<u8>)>, records: &[Record]) -> Vec<(Seq, Vec<u8>)> {
    let mut chunks = Vec::new();
    let Some(first_record) = records.first() else {
        return chunks;
    };
    let (mut first, mut chunk) = open.unwrap_or((first_record.seq, Vec::new()));
    for record in records {
        let start = chunk.len();
        chunk = encode_after(record, chunk);
        if chunk.len() > SLED_CHUNK_BYTES_MAX && start > 0 {
            let next = chunk.split_off(start);
            chunks.push((first, std::mem::replace(&mut chunk, next)));
            first = record.seq;
        }
    }
    chunks.push((first, chunk));
    chunks
}

/// Stores `chunks` under their first sequence numbers, all or none.
///
/// A single chunk, what almost every append makes, is one `insert`: atomic on its own.
/// Only several take a sled batch, because sled 0.34 records a batch's extent by writing
/// out its IO buffer twice more, each write waking its IO threads: taking a batch for every
/// append cost a server under load about an eighth of its orders per second.
fn store_chunks(tree: &::sled::Tree, chunks: &[(Seq, Vec<u8>)]) -> Result<(), ::sled::Error> {
    if let [(first, bytes)] = chunks {
        tree.insert(first.to_be_bytes(), bytes.as_slice())?;
        return Ok(());
    }
    let mut batch = ::sled::Batch::default();
    for (first, bytes) in chunks {
        batch.insert(&first.to_be_bytes(), bytes.as_slice());
    }
    tree.apply_batch(batch)
}

/// The records of the chunk stored under `key`: at least one, numbered on from the key.
fn decode_chunk(key: &[u8], value: &[u8]) -> Result<Vec<Record>, LogError> {
    let first = seq_of(key)?;
    let mut records: Vec<Record> = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let (record, after) = decode_front::<Record>(rest)?;
        let expected = first + records.len() as Seq;
        if record.seq != expected {
            let message = format!(
                "record stored as {expected} (in the chunk under {first}) says it is {}",
                record.seq
            );
            return Err(LogError::Corrupt(message));
        }
        records.push(record);
        rest = after;
    }
    if records.is_empty() {
        return Err(LogError::Corrupt(format!("empty chunk under {first}")));
    }
    Ok(records)
}

fn storage(error: std::io::Error) -> LogError {
    LogError::Storage(Box::new(error))
}

/// Whether `dir`, which holds no sled database, holds anything at all: a log is only ever
/// created in a new or empty directory, so that a mistyped path never scatters the log's
/// files among someone else's. A seal without a database is the remains of a log, which
/// opening reports as truncated, so it does not count.
fn holds_other_files(dir: &Path) -> Result<bool, LogError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => {
            let message = format!("cannot list {}: {error}", dir.display());
            return Err(LogError::Storage(message.into()));
        }
    };
    Ok(!seal::exists(dir) && entries.count() > 0)
}

/// Whether opening may create a log.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Create {
    IfMissing,
    Never,
}

/// The stored layout version, if this build reads it.
fn check_version(stored: &[u8]) -> Result<u16, LogError> {
    let bytes: [u8; 2] = stored
        .try_into()
        .map_err(|_| LogError::Corrupt(format!("format version of {} bytes", stored.len())))?;
    let found = u16::from_le_bytes(bytes);
    if !(SLED_LAYOUT_VERSION_MIN..=SLED_LAYOUT_VERSION).contains(&found) {
        return Err(LogError::UnknownVersion {
            found,
            supported: SLED_LAYOUT_VERSION,
        });
    }
    Ok(found)
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
        if records.is_empty() {
            return Ok(());
        }
        // Taken, so that a failed append leaves no open chunk: the next one starts afresh.
        let mut chunks = encode_chunks(self.open_chunk.take(), records);
        store_chunks(&self.records, &chunks)?;
        self.open_chunk = chunks
            .pop()
            .filter(|(_, bytes)| bytes.len() < OPEN_CHUNK_BYTES_MAX);
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

/// Every record in the `records` tree of a sled log's database, opened directly.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn raw_records(db: &::sled::Db) -> Result<Vec<Record>, LogError> {
    read_records(&db.open_tree("records")?, 1).collect()
}

/// Stores record `seq` again with `change` applied, in the database of a sled log opened
/// directly, as damage from outside the engine would: the record keeps its place.
#[cfg(any(test, feature = "testing"))]
pub(crate) fn rewrite_raw_record(
    db: &::sled::Db,
    seq: Seq,
    change: impl FnOnce(&mut Record),
) -> Result<(), LogError> {
    let tree = db.open_tree("records")?;
    let (key, value) = chunk_holding(&tree, seq)?
        .ok_or_else(|| LogError::Corrupt(format!("no chunk holds record {seq}")))?;
    let mut records = decode_chunk(&key, &value)?;
    let first = records[0].seq;
    let record = usize::try_from(seq - first)
        .ok()
        .and_then(|at| records.get_mut(at))
        .ok_or_else(|| LogError::Corrupt(format!("no chunk holds record {seq}")))?;
    change(record);
    store_chunks(&tree, &encode_chunks(None, &records))?;
    Ok(())
}

/// How many times opening tries to take the directory's lock, [`LOCK_RETRY_PAUSE`] apart
/// (about 2 s in all). sled's worker threads can hold the lock for a moment after the
/// previous handle in this process was dropped; another process holding it is still
/// refused, just not at once. Counted in attempts, not time: the core reads no clock.
const LOCK_ATTEMPTS_MAX: u32 = 100;

/// The pause between two attempts to take the lock.
const LOCK_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// Seals what is durable when the log is closed, so that a later open notices any record
/// lost since. A failure only leaves the previous seal, which still holds.
impl Drop for SledLog {
    fn drop(&mut self) {
        if self.synced > self.sealed {
            let _ = self.seal();
        }
    }
}

/// Opens sled in `dir` for a [`SledLog`], with errors that say what went wrong: the log in
/// use by another process, or damage that sled found or panicked on while recovering.
fn open_sled(dir: &Path) -> Result<::sled::Db, LogError> {
    match std::panic::catch_unwind(|| open_locked(dir)) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(::sled::Error::Io(error))) if is_lock_error(&error) => {
            Err(LogError::InUse(dir.to_owned()))
        }
        Ok(Err(error)) => Err(error.into()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(LogError::Corrupt(format!(
                "the storage engine failed on damaged data while recovering the log in {} \
                 ({message})",
                dir.display()
            )))
        }
    }
}

/// Whether sled failed to open a database because another handle holds its directory's
/// lock: for every sled store an embedder opens (the server's auth store too), so that each
/// can say the store is in use rather than pass on sled's raw error.
pub fn is_lock_error(error: &std::io::Error) -> bool {
    error.to_string().contains("could not acquire lock")
}

/// Opens sled in `dir`, retrying while its lock is still held (see [`LOCK_ATTEMPTS_MAX`]).
pub(crate) fn open_locked(dir: &Path) -> Result<::sled::Db, ::sled::Error> {
    let mut attempts = 1;
    loop {
        let opened = ::sled::Config::new().path(dir).flush_every_ms(None).open();
        match opened {
            Err(::sled::Error::Io(error))
                if is_lock_error(&error) && attempts < LOCK_ATTEMPTS_MAX =>
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
    use crate::log::encode;
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

    /// A command record whose encoding is larger than a whole chunk.
    fn large(seq: Seq) -> Record {
        let account = crate::ids::AccountId(1);
        let events = (0..2_000)
            .map(|n| crate::Event::CreditsDeposited {
                account,
                amount: crate::money::Credits(n),
            })
            .collect();
        Record {
            seq,
            timestamp_ns: seq,
            entry: Entry::Command {
                command: crate::Command::operator(crate::Action::CreateAccount {
                    kind: crate::AccountKind::Standard,
                }),
                events,
            },
        }
    }

    /// The first sequence number and the number of records of every stored chunk.
    fn chunks(log: &SledLog) -> Vec<(Seq, usize)> {
        let chunks = log.records.iter().map(|entry| {
            let (key, value) = entry.unwrap();
            let records = decode_chunk(&key, &value).unwrap();
            assert!(records.len() == 1 || value.len() <= SLED_CHUNK_BYTES_MAX);
            (records[0].seq, records.len())
        });
        chunks.collect()
    }

    #[test]
    fn a_batch_is_stored_in_bounded_chunks_and_read_from_any_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SledLog::open(dir.path()).unwrap();
        let mut batch: Vec<Record> = (1..=400).map(checkpoint).collect();
        batch.push(large(401));
        batch.extend((402..=410).map(checkpoint));
        assert!(encode(&batch[400]).len() > SLED_CHUNK_BYTES_MAX);
        log.append(&batch).unwrap();
        log.append(&[checkpoint(411)]).unwrap();
        log.sync().unwrap();

        let stored = chunks(&log);
        let counted: usize = stored.iter().map(|(_, records)| records).sum();
        assert_eq!(counted, 411);
        assert!(stored.len() > 3, "400 checkpoints fill several chunks");
        assert!(stored.contains(&(401, 1)), "the large record is alone");
        assert_eq!(
            stored.last(),
            Some(&(402, 10)),
            "a later append extends the last chunk"
        );
        let reader = log.reader();
        for from in [1, 2, 150, 399, 400, 401, 402, 410, 411] {
            assert_eq!(seqs(&reader, from), (from..=411).collect::<Vec<_>>());
        }
        assert!(seqs(&reader, 412).is_empty());
        drop((reader, log));
        let reopened = SledLog::open(dir.path()).unwrap();
        assert_eq!(reopened.last_seq(), 411);
        let read: Vec<Record> = reopened.read_from(1).map(Result::unwrap).collect();
        let mut expected = batch;
        expected.push(checkpoint(411));
        assert_eq!(read, expected);
    }

    #[test]
    fn appends_of_one_record_fill_chunks_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let records_per_chunk = OPEN_CHUNK_BYTES_MAX / encode(&checkpoint(1)).len();
        let appended = 3 * records_per_chunk as Seq;
        for half in [1..=appended / 2, appended / 2 + 1..=appended] {
            let mut log = SledLog::open(dir.path()).unwrap();
            for seq in half {
                log.append(&[checkpoint(seq)]).unwrap();
                log.sync().unwrap();
            }
        }
        let log = SledLog::open(dir.path()).unwrap();
        assert_eq!(log.last_seq(), appended);
        let stored = chunks(&log);
        assert!(
            stored.len() <= 4,
            "{} chunks for 3 chunks' worth",
            stored.len()
        );
        let reader = log.reader();
        for from in [1, appended / 2, appended / 2 + 1, appended] {
            assert_eq!(seqs(&reader, from), (from..=appended).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_log_of_one_record_per_value_is_read_and_marked_as_chunked_when_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = open_locked(dir.path()).unwrap();
            let meta = db.open_tree("meta").unwrap();
            meta.insert(VERSION_KEY, &1u16.to_le_bytes()).unwrap();
            let records = db.open_tree("records").unwrap();
            for seq in 1..=3u64 {
                records
                    .insert(seq.to_be_bytes(), encode(&checkpoint(seq)))
                    .unwrap();
            }
            db.flush().unwrap();
        }
        let version = |log: &SledLog| {
            let meta = log.db.open_tree("meta").unwrap();
            meta.get(VERSION_KEY).unwrap().unwrap().to_vec()
        };
        let reading = SledLog::open_existing(dir.path()).unwrap();
        assert_eq!(seqs(&reading.reader(), 2), [2, 3]);
        assert_eq!(
            version(&reading),
            1u16.to_le_bytes(),
            "reading changes nothing"
        );
        drop(reading);

        let mut log = SledLog::open(dir.path()).unwrap();
        assert_eq!(log.last_seq(), 3);
        assert_eq!(version(&log), SLED_LAYOUT_VERSION.to_le_bytes());
        log.append(&[checkpoint(4), checkpoint(5)]).unwrap();
        log.sync().unwrap();
        assert_eq!(seqs(&log.reader(), 1), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn a_chunk_whose_records_are_not_consecutive_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SledLog::open(dir.path()).unwrap();
        log.append(&[checkpoint(1)]).unwrap();
        let mut value = encode(&checkpoint(2));
        value.extend(encode(&checkpoint(4)));
        log.records.insert(2u64.to_be_bytes(), value).unwrap();
        let read: Vec<Result<Record, LogError>> = log.read_from(1).collect();
        assert_eq!(
            read.len(),
            2,
            "the good chunk, then the error, then nothing"
        );
        assert_eq!(read[0].as_ref().unwrap().seq, 1);
        match &read[1] {
            Err(LogError::Corrupt(message)) => assert_eq!(
                message,
                "record stored as 3 (in the chunk under 2) says it is 4"
            ),
            other => panic!("expected a corrupt chunk, got {other:?}"),
        }
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

    /// A log of `records` checkpoints, appended `per_sync` at a time and closed.
    fn closed_log(dir: &Path, records: Seq, per_sync: Seq) {
        let mut log = SledLog::open(dir).unwrap();
        let mut next = 1;
        while next <= records {
            let last = records.min(next + per_sync - 1);
            let batch: Vec<Record> = (next..=last).map(checkpoint).collect();
            log.append(&batch).unwrap();
            log.sync().unwrap();
            next = last + 1;
        }
    }

    #[test]
    fn a_log_is_sealed_every_so_many_durable_records_and_when_closed() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SledLog::open(dir.path()).unwrap();
        let batch: Vec<Record> = (1..=SEAL_EVERY_RECORDS - 1).map(checkpoint).collect();
        log.append(&batch).unwrap();
        log.sync().unwrap();
        assert_eq!(seal::read(dir.path()).unwrap(), 0, "not yet due");
        log.append(&[checkpoint(SEAL_EVERY_RECORDS)]).unwrap();
        assert_eq!(
            seal::read(dir.path()).unwrap(),
            0,
            "appended is not durable"
        );
        log.sync().unwrap();
        assert_eq!(seal::read(dir.path()).unwrap(), SEAL_EVERY_RECORDS);
        log.append(&[checkpoint(SEAL_EVERY_RECORDS + 1)]).unwrap();
        log.sync().unwrap();
        log.append(&[checkpoint(SEAL_EVERY_RECORDS + 2)]).unwrap();
        drop(log);
        assert_eq!(
            seal::read(dir.path()).unwrap(),
            SEAL_EVERY_RECORDS + 1,
            "closing seals what was synced, not what was only appended"
        );
    }

    #[test]
    fn a_log_that_lost_sealed_records_refuses_to_open() {
        let dir = tempfile::tempdir().unwrap();
        closed_log(dir.path(), 300, 100);
        assert_eq!(seal::read(dir.path()).unwrap(), 300);
        // Storage damage that sled takes for a torn tail: the last chunks vanish.
        let db = open_locked(dir.path()).unwrap();
        let records = db.open_tree("records").unwrap();
        let (last, _) = chunk_holding(&records, 300).unwrap().unwrap();
        records.remove(last).unwrap();
        db.flush().unwrap();
        drop((records, db));

        for opened in [
            SledLog::open(dir.path()),
            SledLog::open_existing(dir.path()),
        ] {
            match opened {
                Err(LogError::Truncated { sealed, found }) => {
                    assert_eq!(sealed, 300);
                    assert!(found < 300, "{found}");
                }
                Err(other) => panic!("expected a truncated log, got {other}"),
                Ok(_) => panic!("a log that lost records opened"),
            }
        }
        assert_eq!(
            seal::read(dir.path()).unwrap(),
            300,
            "refusing changes no seal"
        );
    }

    #[test]
    fn a_chunk_lost_from_the_middle_of_a_log_is_a_gap_that_reading_reports() {
        let dir = tempfile::tempdir().unwrap();
        closed_log(dir.path(), 300, 100);
        let db = open_locked(dir.path()).unwrap();
        let records = db.open_tree("records").unwrap();
        let (middle, _) = chunk_holding(&records, 150).unwrap().unwrap();
        let first_lost = seq_of(&middle).unwrap();
        records.remove(middle).unwrap();
        db.flush().unwrap();
        drop((records, db));

        let log = SledLog::open_existing(dir.path()).unwrap();
        assert_eq!(log.last_seq(), 300, "the log still ends where it did");
        for from in [1, first_lost - 1] {
            let read: Vec<Result<Record, LogError>> = log.read_from(from).collect();
            let (last, readable) = read.split_last().unwrap();
            assert_eq!(readable.len() as Seq, first_lost - from, "from {from}");
            match last {
                Err(LogError::Corrupt(message)) => {
                    assert!(message.starts_with(&format!("record {first_lost} is missing")))
                }
                other => panic!("expected the gap to be reported, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_log_whose_data_file_is_cut_short_or_missing_refuses_to_open() {
        let dir = tempfile::tempdir().unwrap();
        closed_log(dir.path(), 2_000, 50);
        let data = dir.path().join("db");
        let length = std::fs::metadata(&data).unwrap().len();
        let file = std::fs::OpenOptions::new().write(true).open(&data).unwrap();
        file.set_len(length / 2).unwrap();
        drop(file);
        match SledLog::open_existing(dir.path()) {
            Err(LogError::Truncated { .. } | LogError::Corrupt(_)) => {}
            Err(other) => panic!("expected damage to be reported, got {other}"),
            Ok(log) => panic!("opened with {} of 2000 records", log.last_seq()),
        }

        std::fs::remove_file(&data).unwrap();
        for opened in [
            SledLog::open(dir.path()),
            SledLog::open_existing(dir.path()),
        ] {
            match opened {
                Err(LogError::Corrupt(message)) => assert!(message.contains("is missing")),
                Err(other) => panic!("expected a missing data file, got {other}"),
                Ok(_) => panic!("a log without its data file opened"),
            }
        }
        assert!(!data.exists(), "refusing creates no empty log in its place");
    }

    #[test]
    fn a_log_is_never_created_among_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "not a log").unwrap();
        match SledLog::open(dir.path()) {
            Err(LogError::Storage(message)) => {
                assert!(message.to_string().contains("holds files but no event log"))
            }
            Err(other) => panic!("expected the directory to be refused, got {other}"),
            Ok(_) => panic!("a log was created among other files"),
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "refusing writes nothing");

        std::fs::remove_file(&notes).unwrap();
        let mut log = SledLog::open(dir.path()).unwrap();
        log.append(&[checkpoint(1)]).unwrap();
        log.sync().unwrap();
        drop(log);
        assert_eq!(
            SledLog::open(dir.path()).unwrap().last_seq(),
            1,
            "its own files are a log"
        );
    }

    #[test]
    fn a_log_open_in_another_handle_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let _open = SledLog::open(dir.path()).unwrap();
        match SledLog::open_existing(dir.path()) {
            Err(error @ LogError::InUse(_)) => {
                assert!(error.to_string().contains("in use by another process"))
            }
            Err(other) => panic!("expected the log to be in use, got {other}"),
            Ok(_) => panic!("opened twice"),
        }
    }
}
