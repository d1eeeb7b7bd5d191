//! `trend-follower`: the moving-average trend follower against a live exchange (long only,
//! with stop-loss and take-profit). Ctrl-C cancels its orders and stops it.
//!
//! ```text
//! trend-follower --token TOKEN [--url http://127.0.0.1:7070] [--ticker MNAD] [--seed 1]
//!                [--tick-ms 1000] [--short-window 5] [--long-window 20] ...
//! ```

use bots::net::cli::{exit_code, run_bot, BotArgs};
use bots::strategies::{TrendConfig, TrendFollower};
use clap::Parser;
use std::process::ExitCode;

/// The trend follower. Every option can also be set by its environment variable.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bot: BotArgs,
    /// Milliseconds between its ticks (one price sample each).
    #[arg(long, env = "TREND_TICK_MS", default_value_t = TrendConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Samples in the short moving average.
    #[arg(long, env = "TREND_SHORT_WINDOW", default_value_t = TrendConfig::default().short_window_samples)]
    short_window: usize,
    /// Samples in the long moving average.
    #[arg(long, env = "TREND_LONG_WINDOW", default_value_t = TrendConfig::default().long_window_samples)]
    long_window: usize,
    /// The trend strength that triggers a trade, in basis points.
    #[arg(long, env = "TREND_THRESHOLD_BP", default_value_t = TrendConfig::default().trend_threshold_bp)]
    threshold_bp: u64,
    /// Shares per trade.
    #[arg(long, env = "TREND_ORDER_QUANTITY", default_value_t = TrendConfig::default().order_quantity)]
    order_quantity: u64,
    /// The most shares it holds.
    #[arg(long, env = "TREND_POSITION_MAX", default_value_t = TrendConfig::default().position_max_shares)]
    position_max: u64,
    /// The least time between two of its trades, in milliseconds.
    #[arg(long, env = "TREND_TRADE_INTERVAL_MIN_MS", default_value_t = TrendConfig::default().trade_interval_min_ms)]
    trade_interval_min_ms: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = TrendConfig {
        tick_interval_ms: args.tick_ms,
        short_window_samples: args.short_window,
        long_window_samples: args.long_window,
        trend_threshold_bp: args.threshold_bp,
        order_quantity: args.order_quantity,
        position_max_shares: args.position_max,
        trade_interval_min_ms: args.trade_interval_min_ms,
        ..TrendConfig::default()
    };
    if let Err(invalid) = config.validate() {
        return exit_code::<()>("trend-follower", Err(invalid.into()));
    }
    let strategy = Box::new(TrendFollower::new(config));
    run_bot("trend-follower", &args.bot, strategy, |_| {}, None)
}
