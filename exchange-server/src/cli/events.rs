//! `exchange events DIR`: records as JSON lines, one [`Record`] per line, for jq.
//!
//! ```text
//! {"seq":1,"timestamp_ns":1000,"entry":{"Command":{"command":{"actor":"Operator","action":{"CreateTicker":{"symbol":"ALFA"}}},"events":[{"TickerCreated":{"ticker":1,"symbol":"ALFA"}}]}}}
//! ```
//! `--from` and `--to` bound the sequence numbers (inclusive); `--account` and `--ticker`
//! keep the records that involve them (see [`crate::involvement`]). A ticker's symbol is
//! resolved in the state at the end of the log, so a replay (with a progress bar) comes
//! first.

use super::{CliError, EventsArgs, Verdict};
use crate::feedback::Feedback;
use crate::involvement::{involves_account, involves_ticker};
use crate::replay::replay_to;
use exchange_core::log::{EventLog, Record, Seq};
use exchange_core::{AccountId, Symbol, TickerId};
use std::io::Write;

/// Which records to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The first sequence number printed.
    pub from: Seq,
    /// The last sequence number printed.
    pub to: Seq,
    /// Only records involving this account.
    pub account: Option<AccountId>,
    /// Only records involving this ticker.
    pub ticker: Option<TickerId>,
}

impl Selection {
    /// Whether `record` is selected (its sequence number is checked by the caller).
    pub fn keeps(&self, record: &Record) -> bool {
        self.account.is_none_or(|a| involves_account(record, a))
            && self.ticker.is_none_or(|t| involves_ticker(record, t))
    }
}

/// Prints the selected records of the log in `args.data`.
pub fn run(
    args: &EventsArgs,
    feedback: &Feedback,
    out: &mut dyn Write,
) -> Result<Verdict, CliError> {
    let log = args.data.open()?;
    let selection = select(&log, args, feedback)?;
    write_records(&log, &selection, out)?;
    Ok(Verdict::Done)
}

/// Validates the arguments against the log.
fn select<L: EventLog>(
    log: &L,
    args: &EventsArgs,
    feedback: &Feedback,
) -> Result<Selection, CliError> {
    let from = args.from.unwrap_or(1).max(1);
    let to = args.to.unwrap_or_else(|| log.last_seq());
    if from > to && args.to.is_some() {
        return Err(CliError::EmptyRange { from, to });
    }
    let ticker = match args.ticker {
        Some(symbol) => Some(resolve_ticker(log, symbol, feedback)?),
        None => None,
    };
    Ok(Selection {
        from,
        to,
        account: args.account,
        ticker,
    })
}

/// The id of the ticker listed under `symbol` at the end of the log.
fn resolve_ticker<L: EventLog>(
    log: &L,
    symbol: Symbol,
    feedback: &Feedback,
) -> Result<TickerId, CliError> {
    let replayed = replay_to(log, log.last_seq(), feedback)?;
    replayed
        .state
        .ticker_by_symbol(&symbol)
        .ok_or(CliError::UnknownTicker {
            symbol,
            seq: replayed.seq,
        })
}

/// Writes each selected record as one line of JSON.
pub fn write_records<L: EventLog>(
    log: &L,
    selection: &Selection,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for record in log.read_from(selection.from) {
        let record = record?;
        if record.seq > selection.to {
            break;
        }
        if selection.keeps(&record) {
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
