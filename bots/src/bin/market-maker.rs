//! `market-maker`: the market maker against a live exchange. It quotes both sides of its
//! ticker and sends its surplus credits to the orchestrator. Ctrl-C cancels its orders and
//! stops it.
//!
//! ```text
//! market-maker --token TOKEN [--url http://127.0.0.1:7070] [--ticker MNAD] [--seed 1]
//!              [--orchestrator-email EMAIL] [--spread 5] [--level-quantity 3] ...
//! ```

use bots::net::cli::{exit_code, run_bot, BotArgs};
use bots::net::market::{
    DEMO_SKEW_STEP_SHARES, DEMO_SURPLUS_THRESHOLD_CREDITS, DEMO_TARGET_DRIFT_MS,
};
use bots::strategies::{MarketMaker, MarketMakerConfig};
use clap::Parser;
use std::process::ExitCode;

/// The market maker. Every option can also be set by its environment variable.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bot: BotArgs,
    /// Where its surplus credits go (by email); without it, it keeps them.
    #[arg(long, env = "BOT_ORCHESTRATOR_EMAIL")]
    orchestrator_email: Option<String>,
    /// Milliseconds between its ticks.
    #[arg(long, env = "MARKET_MAKER_TICK_MS", default_value_t = MarketMakerConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Shares per order at each level.
    #[arg(long, env = "MARKET_MAKER_LEVEL_QUANTITY", default_value_t = MarketMakerConfig::default().level_quantity)]
    level_quantity: u64,
    /// Price levels per side.
    #[arg(long, env = "MARKET_MAKER_LEVELS", default_value_t = MarketMakerConfig::default().levels)]
    levels: u64,
    /// Its initial spread, in ticks.
    #[arg(long, env = "MARKET_MAKER_SPREAD", default_value_t = MarketMakerConfig::default().spread_ticks)]
    spread: u64,
    /// The narrowest spread it narrows to.
    #[arg(long, env = "MARKET_MAKER_SPREAD_FLOOR", default_value_t = MarketMakerConfig::default().spread_floor_ticks)]
    spread_floor: u64,
    /// The widest spread it widens to.
    #[arg(long, env = "MARKET_MAKER_SPREAD_MAX", default_value_t = MarketMakerConfig::default().spread_max_ticks)]
    spread_max: u64,
    /// Its bid on an empty book with no trade price known.
    #[arg(long, env = "MARKET_MAKER_FALLBACK_BID", default_value_t = MarketMakerConfig::default().fallback_bid_ticks)]
    fallback_bid: u64,
    /// Its ask on an empty book with no trade price known.
    #[arg(long, env = "MARKET_MAKER_FALLBACK_ASK", default_value_t = MarketMakerConfig::default().fallback_ask_ticks)]
    fallback_ask: u64,
    /// Credits (available plus held) above which it sends the surplus to the orchestrator.
    /// The default suits the demo's market makers (20,000 credits each).
    #[arg(long, env = "MARKET_MAKER_SURPLUS_THRESHOLD", default_value_t = DEMO_SURPLUS_THRESHOLD_CREDITS)]
    surplus_threshold: u64,
    /// The least surplus it sends on a tick, once an alert has fired.
    #[arg(long, env = "MARKET_MAKER_SURPLUS_MIN", default_value_t = MarketMakerConfig::default().surplus_min_credits)]
    surplus_min: u64,
    /// Shares away from its starting inventory per tick of skew. The default suits the
    /// demo's market makers (400 shares each).
    #[arg(long, env = "MARKET_MAKER_SKEW_STEP", default_value_t = DEMO_SKEW_STEP_SHARES)]
    skew_step: u64,
    /// Milliseconds between one-share moves of its inventory target toward what it holds
    /// (0: the target stays its starting inventory). The default is the demo's.
    #[arg(long, env = "MARKET_MAKER_TARGET_DRIFT_MS", default_value_t = DEMO_TARGET_DRIFT_MS)]
    target_drift_ms: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = MarketMakerConfig {
        tick_interval_ms: args.tick_ms,
        level_quantity: args.level_quantity,
        levels: args.levels,
        spread_ticks: args.spread,
        spread_floor_ticks: args.spread_floor,
        spread_max_ticks: args.spread_max,
        fallback_bid_ticks: args.fallback_bid,
        fallback_ask_ticks: args.fallback_ask,
        alert_threshold_credits: args.surplus_threshold,
        surplus_min_credits: args.surplus_min,
        skew_step_shares: args.skew_step,
        target_drift_ms: args.target_drift_ms,
        ..MarketMakerConfig::default()
    };
    if let Err(invalid) = config.validate() {
        return exit_code::<()>("market-maker", Err(invalid.into()));
    }
    let strategy = Box::new(MarketMaker::new(config));
    let email = args.orchestrator_email.clone();
    let configure = |config: &mut bots::net::BotConfig| config.orchestrator_email = email;
    run_bot("market-maker", &args.bot, strategy, configure, None)
}
