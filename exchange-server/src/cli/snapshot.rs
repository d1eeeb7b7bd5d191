//! `exchange snapshot DIR`: write a snapshot of the current state now.
//!
//! Opens the journal on the log with the default configuration (which keeps the newest
//! three snapshots and deletes older ones), writes the snapshot, and prints one line:
//! ```text
//! snapshot at 5123: state hash 3fa1…
//! ```

use super::{CliError, SnapshotArgs, Verdict};
use crate::feedback::Feedback;
use exchange_core::{Journal, JournalConfig};
use std::io::Write;

/// Writes the snapshot and prints its sequence number and state hash.
pub fn run(
    args: &SnapshotArgs,
    feedback: &Feedback,
    out: &mut dyn Write,
) -> Result<Verdict, CliError> {
    let log = args.data.open()?;
    let (mut journal, recovery) = Journal::open(log, JournalConfig::default())?;
    feedback.recovery(&recovery);
    let seq = journal.snapshot()?;
    let state_hash = journal.state().state_hash();
    writeln!(out, "snapshot at {seq}: state hash {state_hash}")?;
    Ok(Verdict::Done)
}
