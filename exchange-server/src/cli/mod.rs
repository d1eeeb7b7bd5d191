//! The `exchange` command line: its arguments (parsed with clap), one module per
//! subcommand, and the errors they report.
//!
//! Each subcommand's `run` takes its parsed arguments, a [`Feedback`] for progress and
//! warnings, and the writer for its results (stdout in the binary, a buffer in tests). It
//! returns a [`Verdict`] or a [`CliError`]; the binary turns those into exit codes.
//!
//! [`Feedback`]: crate::feedback::Feedback

pub mod admin;
pub mod audit;
mod error;
pub mod events;
pub mod inspect;
pub mod serve;
pub mod snapshot;

pub use error::CliError;

use crate::audit::Violation;
use crate::feedback::Verbosity;
use clap::{Args, Parser, Subcommand};
use exchange_core::log::{Seq, SledLog};
use exchange_core::{AccountId, Symbol};
use std::path::PathBuf;

/// Tools for an exchange's data directory, used without a server.
#[derive(Debug, Parser)]
#[command(name = "exchange", version)]
pub struct Cli {
    /// No progress bars and no warnings on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// How much non-essential output was asked for.
    pub const fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else {
            Verbosity::Normal
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the exchange: HTTP and WebSocket API on the event log in the data directory.
    Serve(serve::ServeArgs),
    /// Administer a data directory while no server runs on it.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Replay the whole log, re-deciding every command and checking every invariant,
    /// checkpoint and snapshot; exit 1 at the first problem.
    Audit(AuditArgs),
    /// Show the state at a sequence number: balances, positions, books, open orders.
    Inspect(InspectArgs),
    /// Print records as JSON lines, for jq.
    Events(EventsArgs),
    /// Write a snapshot of the current state now.
    Snapshot(SnapshotArgs),
}

/// The data directory every subcommand works on.
#[derive(Debug, Args)]
pub struct DataDir {
    /// The server's data directory, or the event log directory inside it (`DIR/log`).
    #[arg(value_name = "DIR", env = "EXCHANGE_DATA_DIR")]
    pub dir: PathBuf,
}

impl DataDir {
    /// Opens the log, refusing a directory that holds none (it is never created here).
    pub fn open(&self) -> Result<SledLog, CliError> {
        let inside = crate::server::log_dir(&self.dir);
        let dir = if inside.join("conf").is_file() {
            inside
        } else {
            self.dir.clone()
        };
        Ok(SledLog::open_existing(dir)?)
    }
}

/// Arguments of `exchange audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Where the log is.
    #[command(flatten)]
    pub data: DataDir,
}

/// Arguments of `exchange inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Where the log is.
    #[command(flatten)]
    pub data: DataDir,
    /// The state after this record (default: the last one; 0 is the empty state).
    #[arg(long, value_name = "SEQ")]
    pub at: Option<Seq>,
    /// Show one account: balances, positions and open orders.
    #[arg(long, value_name = "ID", value_parser = parse_account, conflicts_with = "ticker")]
    pub account: Option<AccountId>,
    /// Show one ticker: quote, depth and statistics.
    #[arg(long, value_name = "SYMBOL", value_parser = parse_symbol)]
    pub ticker: Option<Symbol>,
    /// Price levels per side shown with --ticker.
    #[arg(long, value_name = "LEVELS", default_value_t = 10)]
    pub depth: u16,
    /// Machine-readable JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `exchange events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Where the log is.
    #[command(flatten)]
    pub data: DataDir,
    /// The first record to print (default: 1).
    #[arg(long, value_name = "SEQ")]
    pub from: Option<Seq>,
    /// The last record to print (default: the last one).
    #[arg(long, value_name = "SEQ")]
    pub to: Option<Seq>,
    /// Only records whose command or events involve this account.
    #[arg(long, value_name = "ID", value_parser = parse_account)]
    pub account: Option<AccountId>,
    /// Only records whose command or events involve this ticker.
    #[arg(long, value_name = "SYMBOL", value_parser = parse_symbol)]
    pub ticker: Option<Symbol>,
}

/// Arguments of `exchange snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where the log is.
    #[command(flatten)]
    pub data: DataDir,
}

/// How a subcommand that ran to its end came out.
#[derive(Debug)]
pub enum Verdict {
    /// It did what was asked.
    Done,
    /// The audit found a problem.
    AuditFailed(Violation),
}

fn parse_account(text: &str) -> Result<AccountId, String> {
    text.parse()
        .map(AccountId)
        .map_err(|error| format!("an account id is a whole number: {error}"))
}

fn parse_symbol(text: &str) -> Result<Symbol, String> {
    Symbol::new(text).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn inspect_takes_an_account_or_a_ticker_but_not_both() {
        let both = [
            "exchange",
            "inspect",
            "d",
            "--account",
            "3",
            "--ticker",
            "ALFA",
        ];
        assert!(Cli::try_parse_from(both).is_err());
        let cli =
            Cli::try_parse_from(["exchange", "-q", "inspect", "d", "--account", "3"]).unwrap();
        assert_eq!(cli.verbosity(), Verbosity::Quiet);
        match cli.command {
            Command::Inspect(args) => assert_eq!(args.account, Some(AccountId(3))),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn bad_symbols_are_usage_errors() {
        let parsed = Cli::try_parse_from(["exchange", "events", "d", "--ticker", "alfa"]);
        assert!(parsed.is_err());
    }
}
