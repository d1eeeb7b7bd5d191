//! The seal: a small file beside a durable log that records how far the log is known to be
//! durable, so that opening it can tell a log that lost records from a log that is whole.
//!
//! sled, like most log-structured stores, treats the first damaged entry it meets when it
//! recovers as the torn tail of an interrupted write: it keeps what comes before and drops
//! the rest, without an error. That is right after a crash, when only unacknowledged writes
//! can be torn, and silent data loss after damage to the disk or a deleted file. The seal
//! tells the two apart: records up to the sealed sequence number were durable when it was
//! written, so a log that opens shorter than that has lost acknowledged records.
//!
//! The file is `DIR/sealed`, two lines of text, replaced atomically (written beside it,
//! synced, renamed, and the directory synced). It is written every [`SEAL_EVERY_RECORDS`]
//! durable records and when the log is closed, so only damage within the records since the
//! last seal goes unnoticed, as it would after a crash.

use super::{LogError, Seq};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The seal is written again once this many more records are durable. Each seal costs three
/// syncs of small files: at one record per sync, one seal per ten thousand syncs.
pub(crate) const SEAL_EVERY_RECORDS: Seq = 10_000;

/// The seal's file name in the log's directory.
const FILE_NAME: &str = "sealed";

/// The name the next seal is written under before it replaces the old one.
const TEMPORARY_NAME: &str = "sealed.new";

/// The seal's first line, which says what the file is.
const HEADER: &str = "exchange event log seal";

/// The seal's file in `dir`.
pub(crate) fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Whether `dir` holds a seal.
pub(crate) fn exists(dir: &Path) -> bool {
    path(dir).is_file()
}

/// The sequence number sealed in `dir`, or 0 if the log was never sealed.
pub(crate) fn read(dir: &Path) -> Result<Seq, LogError> {
    let path = path(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => {
            let message = format!("cannot read {}: {error}", path.display());
            return Err(LogError::Storage(message.into()));
        }
    };
    parse(&text).ok_or_else(|| {
        LogError::Corrupt(format!(
            "{} is not a seal; if the log itself is whole, delete the file to open it",
            path.display()
        ))
    })
}

/// The sequence number in a seal's text.
fn parse(text: &str) -> Option<Seq> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let seq = lines.next()?.strip_prefix("last_seq ")?.parse().ok()?;
    lines.next().is_none().then_some(seq)
}

/// Seals `dir` at `seq`: every record up to it is durable.
pub(crate) fn write(dir: &Path, seq: Seq) -> std::io::Result<()> {
    let temporary = dir.join(TEMPORARY_NAME);
    let mut file = File::create(&temporary)?;
    write!(file, "{HEADER}\nlast_seq {seq}\n")?;
    file.sync_all()?;
    std::fs::rename(&temporary, path(dir))?;
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_seal_reads_back_and_a_missing_one_is_zero() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), 0);
        write(dir.path(), 12_345).unwrap();
        assert_eq!(read(dir.path()).unwrap(), 12_345);
        write(dir.path(), 20_000).unwrap();
        assert_eq!(read(dir.path()).unwrap(), 20_000);
        assert!(!dir.path().join(TEMPORARY_NAME).exists());
    }

    #[test]
    fn a_damaged_seal_is_corrupt_and_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "",
            "exchange event log seal\n",
            "exchange event log seal\nlast_seq x\n",
            "exchange event log seal\nlast_seq -1\n",
            "exchange event log seal\nlast_seq 5\nmore\n",
            "something else\nlast_seq 5\n",
        ] {
            std::fs::write(path(dir.path()), text).unwrap();
            match read(dir.path()) {
                Err(LogError::Corrupt(message)) => {
                    assert!(message.contains("delete the file"), "{message}")
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
}
