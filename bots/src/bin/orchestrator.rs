//! `orchestrator`: the orchestrator against a live exchange. It funds noise traders from
//! its credits (and from every payment it receives), runs each in this process on the
//! account it created, and liquidates and replaces those that exit. Ctrl-C stops it and
//! its traders.
//!
//! ```text
//! orchestrator --token TOKEN [--url http://127.0.0.1:7070] [--ticker MNAD] [--seed 1]
//!              [--stake 150] [--tick-ms 1000] [--trader-tick-ms 1000] ...
//!              [--kafka-brokers HOST:PORT[,...] [--kafka-topic exchange.events]
//!               [--kafka-group orchestrator]]
//! ```
//!
//! With `--kafka-brokers` it learns of the payments it receives from the exchange's Kafka
//! topic (the server runs with `--kafka-brokers` too) instead of its WebSocket account
//! stream; see `bots::net::kafka`.

use bots::net::cli::{exit_code, run_bot, BotArgs};
use bots::net::kafka::KafkaArgs;
use bots::net::TraderSpawner;
use bots::strategies::{NoiseConfig, NoiseTrader, Orchestrator, OrchestratorConfig};
use clap::Parser;
use std::process::ExitCode;

/// The orchestrator. Every option can also be set by its environment variable.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    bot: BotArgs,
    #[command(flatten)]
    kafka: KafkaArgs,
    /// Milliseconds between its ticks (launches and sales).
    #[arg(long, env = "ORCHESTRATOR_TICK_MS", default_value_t = OrchestratorConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Credits each trader starts with.
    #[arg(long, env = "ORCHESTRATOR_STAKE", default_value_t = OrchestratorConfig::default().stake_credits)]
    stake: u64,
    /// The most launches between two ticks.
    #[arg(long, env = "ORCHESTRATOR_LAUNCHES_PER_TICK", default_value_t = OrchestratorConfig::default().launches_per_tick_max)]
    launches_per_tick: u32,
    /// Milliseconds between its traders' ticks.
    #[arg(long, env = "ORCHESTRATOR_TRADER_TICK_MS", default_value_t = NoiseConfig::default().tick_interval_ms, value_parser = clap::value_parser!(u64).range(1..))]
    trader_tick_ms: u64,
    /// Shares per market order of its traders.
    #[arg(long, env = "ORCHESTRATOR_TRADER_ORDER_QUANTITY", default_value_t = NoiseConfig::default().order_quantity)]
    trader_order_quantity: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = OrchestratorConfig {
        tick_interval_ms: args.tick_ms,
        stake_credits: args.stake,
        launches_per_tick_max: args.launches_per_tick,
        ..OrchestratorConfig::default()
    };
    let noise = NoiseConfig {
        tick_interval_ms: args.trader_tick_ms,
        order_quantity: args.trader_order_quantity,
        ..NoiseConfig::default()
    };
    if let Err(invalid) = config.validate().and_then(|()| noise.validate()) {
        return exit_code::<()>("orchestrator", Err(invalid.into()));
    }
    // The traders draw from their own seed, so they never share a stream with this bot.
    let traders = TraderSpawner::new(
        move |_| Box::new(NoiseTrader::new(noise.clone())),
        args.bot.seed.wrapping_add(1),
    );
    let strategy = Box::new(Orchestrator::new(config));
    let kafka = args.kafka.source();
    let configure = move |config: &mut bots::net::BotConfig| config.kafka = kafka;
    run_bot(
        "orchestrator",
        &args.bot,
        strategy,
        configure,
        Some(traders),
    )
}
