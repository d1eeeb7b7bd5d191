//! The report of a run: a deterministic summary (JSON) and per-minute series (CSV). Wall-clock
//! figures never appear here: the same seed gives byte-identical files.

use super::activity::Activity;
use super::runner::Simulation;
use super::stats::{StylisedFacts, KURTOSIS_HORIZONS};
use super::tape::MinuteBar;
use exchange_core::log::EventLog;
use exchange_core::AccountId;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The keys of the excess kurtosis at each horizon.
const KURTOSIS_KEYS: [&str; KURTOSIS_HORIZONS] = [
    "excess_kurtosis_1m",
    "excess_kurtosis_2m",
    "excess_kurtosis_3m",
    "excess_kurtosis_4m",
];

/// One of the cast's bots at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BotSummary {
    /// Its strategy's name.
    pub name: &'static str,
    /// Its account.
    pub account: u32,
    /// Its credits, available plus held.
    pub credits: u64,
    /// Its shares of the ticker, available plus held.
    pub shares: u64,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The run's seed.
    pub seed: u64,
    /// Virtual milliseconds simulated.
    pub duration_ms: u64,
    /// The ticker.
    pub symbol: String,
    /// Records in the log (commands and checkpoints, the setup's included).
    pub records: u64,
    /// The engine's state hash at the end.
    pub state_hash: String,
    /// What the bots did.
    pub activity: Activity,
    /// Actions by kind.
    pub actions: BTreeMap<&'static str, u64>,
    /// Trades on the ticker.
    pub trades: u64,
    /// Shares traded.
    pub volume: u64,
    /// The last trade's price.
    pub last_price: Option<u64>,
    /// The share of the time the book had both a bid and an ask.
    pub two_sided_fraction: f64,
    /// The spread, averaged over the time the book was two-sided.
    pub mean_spread: Option<f64>,
    /// Bots running at the end (orchestrated traders included).
    pub bots_running: u64,
    /// The cast's bots at the end.
    pub bots: Vec<BotSummary>,
    /// Stylised facts of the per-minute prices.
    pub stylised_facts: StylisedFacts,
    /// The per-minute series (in the CSV, not the JSON).
    #[serde(skip)]
    pub minutes: Vec<MinuteBar>,
}

impl<L: EventLog> Simulation<L> {
    /// The report of the run so far.
    pub fn report(&self) -> Report {
        let minutes = self.tape.bars();
        let prices: Vec<Option<u64>> = minutes.iter().map(|bar| bar.last_price).collect();
        let (trades, volume) = self.tape.totals();
        let state = self.journal.state();
        let bots = self
            .cast_bots
            .iter()
            .map(|&(account, name)| self.summary(account, name))
            .collect();
        Report {
            seed: self.config.seed,
            duration_ms: self.now_ms,
            symbol: self.symbol.to_string(),
            records: self.journal.last_seq(),
            state_hash: state.state_hash().to_string(),
            actions: self.activity.actions_by_kind(),
            activity: self.activity.clone(),
            trades,
            volume,
            last_price: self.tape.last_price(),
            two_sided_fraction: self.tape.two_sided_fraction(),
            mean_spread: self.tape.mean_spread(),
            bots_running: self.bots_running() as u64,
            bots,
            stylised_facts: StylisedFacts::of(&prices),
            minutes,
        }
    }

    /// One bot's balances.
    fn summary(&self, account: AccountId, name: &'static str) -> BotSummary {
        let view = self.journal.state().account(account);
        let view = view.expect("invariant: accounts are never deleted");
        let position = view.positions.iter().find(|p| p.ticker == self.ticker);
        BotSummary {
            name,
            account: account.0,
            credits: view.credits_available.0 + view.credits_held.0,
            shares: position.map_or(0, |p| p.available.0 + p.held.0),
        }
    }
}

impl Report {
    /// The summary as pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a report always serializes");
        json.push('\n');
        json
    }

    /// The per-minute series as CSV: one header line, then one line per minute. Missing
    /// figures are empty cells.
    pub fn minutes_csv(&self) -> String {
        let mut csv = String::from(
            "minute,last_price,bid,ask,spread,mean_spread,volume,trades,two_sided_fraction\n",
        );
        let cell = |value: Option<u64>| value.map_or_else(String::new, |v| v.to_string());
        for bar in &self.minutes {
            let mean_spread = bar
                .mean_spread
                .map_or_else(String::new, |s| format!("{s:.3}"));
            let two_sided = bar.two_sided_ms as f64 / bar.elapsed_ms.max(1) as f64;
            writeln!(
                csv,
                "{},{},{},{},{},{},{},{},{:.4}",
                bar.minute,
                cell(bar.last_price),
                cell(bar.bid),
                cell(bar.ask),
                cell(bar.spread),
                mean_spread,
                bar.volume,
                bar.trades,
                two_sided
            )
            .expect("writing to a String cannot fail");
        }
        csv
    }

    /// The report's figures as `key=value` lines, for scripts.
    pub fn key_values(&self) -> Vec<(&'static str, String)> {
        let figure =
            |value: Option<f64>| value.map_or_else(|| "none".into(), |v| format!("{v:.4}"));
        let facts = &self.stylised_facts;
        let mut lines = vec![
            ("agent_actions", self.activity.agent_actions.to_string()),
            ("commands", self.activity.commands.to_string()),
            ("rejected", self.activity.rejected.to_string()),
            ("records", self.records.to_string()),
            ("trades", self.trades.to_string()),
            ("volume", self.volume.to_string()),
            (
                "two_sided_fraction",
                format!("{:.4}", self.two_sided_fraction),
            ),
            ("mean_spread", figure(self.mean_spread)),
            ("acf_lag1", figure(facts.acf_lag1)),
            (
                "abs_acf_lag1",
                figure(facts.abs_acf.first().copied().flatten()),
            ),
        ];
        for (key, value) in KURTOSIS_KEYS.into_iter().zip(&facts.excess_kurtosis) {
            lines.push((key, figure(*value)));
        }
        lines.push(("traders_started", self.activity.traders_started.to_string()));
        lines.push(("traders_exited", self.activity.traders_exited.to_string()));
        lines.push((
            "traders_relaunched",
            self.activity.traders_relaunched.to_string(),
        ));
        lines
    }
}
