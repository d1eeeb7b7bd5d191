//! # exchange-server
//!
//! The exchange's server side, starting with its command-line tool, `exchange`, which works
//! on a data directory (an event log written by [`exchange_core::Journal`] on a
//! [`exchange_core::log::SledLog`]) without a server running.
//!
//! ## Commands
//! - `exchange audit DIR` replays the whole log and proves it: every sequence number in
//!   order from 1, every logged command re-decided to exactly its logged events, every
//!   invariant after every record, every checkpoint's and every stored snapshot's hash. It
//!   prints a summary, or names the first record or snapshot that is wrong
//!   (`audit: record 1234: logged events differ from re-decided events: …`). See [`audit`].
//! - `exchange inspect DIR [--at SEQ] [--account ID | --ticker SYMBOL] [--depth N] [--json]`
//!   shows the state after a record: a summary of every ticker and account, or one account
//!   (balances, positions, open orders), or one ticker (statistics, quote, depth).
//! - `exchange events DIR [--from SEQ] [--to SEQ] [--account ID] [--ticker SYMBOL]` prints
//!   records as JSON lines, one [`exchange_core::log::Record`] per line, for jq.
//! - `exchange snapshot DIR` writes a snapshot of the current state and prints its sequence
//!   number and state hash.
//!
//! The data directory may also be given as `EXCHANGE_DATA_DIR`. No command creates a log:
//! a directory without one is an error.
//!
//! ## Exit codes
//! Decided in one place, the binary's `main`:
//! - 0: done (including when stdout's reader went away, as with `exchange events DIR | head`);
//! - 1: the audit found a problem;
//! - 2: an error: bad arguments, no log in the directory, an unknown account or ticker, a
//!   failing disk.
//!
//! ## Stderr
//! Long replays (audit, inspect, and events with `--ticker`) draw a progress bar when
//! stderr is a terminal; snapshots that could not be used are reported as warnings
//! (`warning: snapshot at 40 refused: …; used snapshot at 30`). `--quiet` silences both.
//! Errors are always printed.
//!
//! ## Layout
//! [`cli`] holds the arguments and one module per subcommand; the work they share is in
//! [`audit`] (the audit as a function returning a structured outcome), [`replay`] (the
//! state at a sequence number, observably), [`involvement`] (which accounts and tickers a
//! record involves) and [`feedback`] (progress bars and warnings).

pub mod activity;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod feedback;
pub mod history;
pub mod http;
pub mod hub;
pub mod involvement;
pub mod kafka;
pub mod replay;
pub mod server;
#[cfg(test)]
mod test_support;
pub mod wire;
