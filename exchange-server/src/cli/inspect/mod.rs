//! `exchange inspect DIR`: the state after a record, as text or JSON.
//!
//! With `--account ID`, that account's balances, positions and open orders; with
//! `--ticker SYMBOL`, that ticker's statistics, quote and depth (`--depth` levels per
//! side, 10 by default); with neither, a summary of every ticker and account. `--at SEQ`
//! picks the state after record `SEQ` (default: the last record). `--json` prints the
//! report as one JSON document instead of text; the text forms are shown in [`text`].
//!
//! ```text
//! $ exchange inspect data --account 3 --json
//! {
//!   "seq": 5123,
//!   "account": { "id": 3, "kind": "Standard", "status": "Active", "orchestrated_by": null,
//!                "credits_available": 998000, "credits_held": 2000,
//!                "positions": [{ "ticker": 1, "available": 9990, "held": 10 }],
//!                "orders_open": 1 },
//!   "open_orders": [{ "id": 123, "account": 3, "ticker": 1, "side": "Buy", "price": 99,
//!                     "remaining": 5, "filled": 0, "client_order_id": null }]
//! }
//! ```

pub mod text;

use super::{CliError, InspectArgs, Verdict};
use crate::feedback::Feedback;
use crate::replay::replay_to;
use exchange_core::log::{EventLog, Seq};
use exchange_core::{
    AccountId, AccountView, Credits, Depth, OrderView, Quote, State, Symbol, TickerView,
};
use serde::Serialize;
use std::io::Write;

/// What to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Every ticker and account, briefly.
    Everything,
    /// One account in full.
    Account(AccountId),
    /// One ticker in full, with this many depth levels per side.
    Ticker {
        /// The ticker's symbol.
        symbol: Symbol,
        /// Depth levels per side.
        levels: u16,
    },
}

/// How to show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a person.
    Text,
    /// One pretty-printed JSON document.
    Json,
}

impl InspectArgs {
    /// What the arguments ask to show.
    pub fn focus(&self) -> Focus {
        match (self.account, self.ticker) {
            (Some(account), _) => Focus::Account(account),
            (None, Some(symbol)) => Focus::Ticker {
                symbol,
                levels: self.depth,
            },
            (None, None) => Focus::Everything,
        }
    }

    /// How the arguments ask to show it.
    pub const fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            Format::Text
        }
    }
}

/// A report on a state, as built for [`Focus`]. Serialized without a tag: the JSON is
/// the inner report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Report {
    /// [`Focus::Everything`].
    Summary(Summary),
    /// [`Focus::Account`].
    Account(AccountReport),
    /// [`Focus::Ticker`].
    Ticker(TickerReport),
}

/// Every ticker and account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The last record the state includes.
    pub seq: Seq,
    /// The state's hash, in hex.
    pub state_hash: String,
    /// All credits in the exchange.
    pub credits_total: Credits,
    /// Orders resting on all books.
    pub orders_resting: u64,
    /// Every ticker, in id order.
    pub tickers: Vec<TickerLine>,
    /// Every account, in id order.
    pub accounts: Vec<AccountView>,
}

/// One ticker in a [`Summary`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TickerLine {
    /// Its listing and statistics.
    #[serde(flatten)]
    pub ticker: TickerView,
    /// Its best bid and ask.
    pub quote: Quote,
}

/// One account in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountReport {
    /// The last record the state includes.
    pub seq: Seq,
    /// Balances and positions.
    pub account: AccountView,
    /// Resting orders, in id order.
    pub open_orders: Vec<OrderView>,
}

/// One ticker in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TickerReport {
    /// The last record the state includes.
    pub seq: Seq,
    /// Its listing and statistics.
    pub ticker: TickerView,
    /// Its best bid and ask.
    pub quote: Quote,
    /// Its top levels per side.
    pub depth: Depth,
}

/// Prints the report the arguments ask for.
pub fn run(
    args: &InspectArgs,
    feedback: &Feedback,
    out: &mut dyn Write,
) -> Result<Verdict, CliError> {
    let log = args.data.open()?;
    let last = log.last_seq();
    let at = args.at.unwrap_or(last);
    if at > last {
        return Err(CliError::PastEnd { seq: at, last });
    }
    let replayed = replay_to(&log, at, feedback)?;
    let report = report(&replayed.state, replayed.seq, args.focus())?;
    match args.format() {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        Format::Text => text::write(out, &report, &replayed.state)?,
    }
    Ok(Verdict::Done)
}

/// Builds the report on `state`, the state after record `seq`.
pub fn report(state: &State, seq: Seq, focus: Focus) -> Result<Report, CliError> {
    match focus {
        Focus::Everything => Ok(Report::Summary(summary(state, seq))),
        Focus::Account(account) => {
            let view = state
                .account(account)
                .ok_or(CliError::UnknownAccount { account, seq })?;
            Ok(Report::Account(AccountReport {
                seq,
                account: view,
                open_orders: state.open_orders(account, None),
            }))
        }
        Focus::Ticker { symbol, levels } => {
            let unknown = CliError::UnknownTicker { symbol, seq };
            let id = state.ticker_by_symbol(&symbol).ok_or(unknown)?;
            let listed = "invariant: a ticker found by symbol is listed";
            Ok(Report::Ticker(TickerReport {
                seq,
                ticker: state.ticker(id).expect(listed),
                quote: state.quote(id).expect(listed),
                depth: state.depth(id, usize::from(levels)).expect(listed),
            }))
        }
    }
}

fn summary(state: &State, seq: Seq) -> Summary {
    let line = |ticker: TickerView| TickerLine {
        quote: state
            .quote(ticker.id)
            .expect("invariant: a listed ticker has a quote"),
        ticker,
    };
    Summary {
        seq,
        state_hash: state.state_hash().to_string(),
        credits_total: state.credits_total(),
        orders_resting: state.orders_resting() as u64,
        tickers: state.tickers().into_iter().map(line).collect(),
        accounts: state.accounts(),
    }
}
