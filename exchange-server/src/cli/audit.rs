//! `exchange audit DIR`: audit the whole log and print a summary.
//!
//! On success stdout gets one `name value` line per figure:
//! ```text
//! audit: ok
//! records             5123
//! commands            5113
//! checkpoints         10
//! snapshots verified  3
//! accounts            12
//! tickers             2
//! trades              2211
//! volume              18734
//! state hash          3fa1…
//! ```
//! A violation is returned as [`Verdict::AuditFailed`] for the binary to report.

use super::{AuditArgs, CliError, Verdict};
use crate::audit::{audit, AuditOutcome, AuditSummary};
use crate::feedback::Feedback;
use std::io::Write;

/// Runs the audit on the log in `args.data`.
pub fn run(
    args: &AuditArgs,
    feedback: &Feedback,
    out: &mut dyn Write,
) -> Result<Verdict, CliError> {
    let log = args.data.open()?;
    match audit(&log, feedback)? {
        AuditOutcome::Passed(summary) => {
            write_summary(out, &summary)?;
            Ok(Verdict::Done)
        }
        AuditOutcome::Failed(violation) => Ok(Verdict::AuditFailed(violation)),
    }
}

/// Prints the summary of a passed audit.
pub fn write_summary(out: &mut dyn Write, summary: &AuditSummary) -> std::io::Result<()> {
    writeln!(out, "audit: ok")?;
    let figures = [
        ("records", summary.records.to_string()),
        ("commands", summary.commands.to_string()),
        ("checkpoints", summary.checkpoints.to_string()),
        ("snapshots verified", summary.snapshots_verified.to_string()),
        ("accounts", summary.accounts.to_string()),
        ("tickers", summary.tickers.to_string()),
        ("trades", summary.trades.to_string()),
        ("volume", summary.volume.to_string()),
        ("state hash", summary.state_hash.to_string()),
    ];
    for (name, value) in figures {
        writeln!(out, "{name:<20}{value}")?;
    }
    Ok(())
}
