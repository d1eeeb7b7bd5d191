//! `noise-trader`: the noise trader against a live exchange. Now and then it sends a small
//! market order, flipping sides; it leaves after repeated refusals for lack of funds.
//! Ctrl-C stops it.
//!
//! ```text
//! noise-trader --token TOKEN [--url http://127.0.0.1:7070] [--ticker MNAD] [--seed 1]
//!              [--tick-ms 1000] [--order-quantity 1] ...
//! ```

use bots::net::cli::{exit_code, run_bot, BotArgs};
use bots::strategies::{NoiseConfig, NoiseTrader};
use clap::Parser;
use std::process::ExitCode;

/// The noise trader. Every option can also be set by its environment variable.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bot: BotArgs,
    /// Milliseconds between its ticks (one chance to trade each).
    #[arg(long, env = "NOISE_TICK_MS", default_value_t = NoiseConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Shares per market order.
    #[arg(long, env = "NOISE_ORDER_QUANTITY", default_value_t = NoiseConfig::default().order_quantity)]
    order_quantity: u64,
    /// The spread above which its trading probability stops falling.
    #[arg(long, env = "NOISE_SPREAD_CAP", default_value_t = NoiseConfig::default().spread_cap_ticks)]
    spread_cap: u64,
    /// Consecutive refusals for lack of funds after which it leaves.
    #[arg(long, env = "NOISE_FUNDING_FAILURES_MAX", default_value_t = NoiseConfig::default().funding_failures_max)]
    funding_failures_max: u32,
}

impl Args {
    fn noise(&self) -> NoiseConfig {
        NoiseConfig {
            tick_interval_ms: self.tick_ms,
            order_quantity: self.order_quantity,
            spread_cap_ticks: self.spread_cap,
            funding_failures_max: self.funding_failures_max,
            ..NoiseConfig::default()
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = args.noise();
    if let Err(invalid) = config.validate() {
        return exit_code::<()>("noise-trader", Err(invalid.into()));
    }
    let strategy = Box::new(NoiseTrader::new(config));
    run_bot("noise-trader", &args.bot, strategy, |_| {}, None)
}
