//! `value-trader`: the value trader against a live exchange. It buys asks below, and sells
//! bids above, the value it is given (long only). Ctrl-C cancels its orders and stops it.
//!
//! ```text
//! value-trader --token TOKEN --value 32 [--url http://127.0.0.1:7070] [--ticker MNAD]
//!              [--seed 1] [--tick-ms 2000] [--noise 5] [--margin 5] ...
//! ```

use bots::net::cli::{exit_code, run_bot, BotArgs};
use bots::strategies::{ValueConfig, ValueTrader};
use clap::Parser;
use std::process::ExitCode;

/// The value trader. Every option can also be set by its environment variable.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bot: BotArgs,
    /// What a share is worth, in credits. Required: it depends on the market (the demo's
    /// MNAD trades at about 30).
    #[arg(long, env = "VALUE_VALUE")]
    value: u64,
    /// How far its estimate of the value strays, either way, at most, in credits.
    #[arg(long, env = "VALUE_NOISE", default_value_t = ValueConfig::default().noise)]
    noise: u64,
    /// How far on the right side of its estimate a price must be before it trades.
    #[arg(long, env = "VALUE_MARGIN", default_value_t = ValueConfig::default().margin)]
    margin: u64,
    /// Milliseconds between its ticks, at each of which it may trade once.
    #[arg(long, env = "VALUE_TICK_MS", default_value_t = ValueConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Shares per order.
    #[arg(long, env = "VALUE_ORDER_QUANTITY", default_value_t = ValueConfig::default().order_quantity)]
    order_quantity: u64,
    /// The most shares it holds.
    #[arg(long, env = "VALUE_POSITION_MAX", default_value_t = ValueConfig::default().position_max_shares)]
    position_max: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = ValueConfig {
        tick_interval_ms: args.tick_ms,
        value: args.value,
        noise: args.noise,
        margin: args.margin,
        order_quantity: args.order_quantity,
        position_max_shares: args.position_max,
    };
    if let Err(invalid) = config.validate() {
        return exit_code::<()>("value-trader", Err(invalid.into()));
    }
    let strategy = Box::new(ValueTrader::new(config));
    run_bot("value-trader", &args.bot, strategy, |_| {}, None)
}
