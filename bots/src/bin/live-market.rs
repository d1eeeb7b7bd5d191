//! `live-market`: a living market in one command. It starts the exchange in this process
//! (the demo market on ./data by default, with the flags of `exchange serve`), then the
//! demo's bots beside it: two market makers, the orchestrator with its noise traders, and a
//! trend follower. Ctrl-C stops the bots (they cancel their orders), then the server.
//!
//! ```text
//! cargo run --release -p bots --bin live-market [-- --data DIR --listen ADDR --seed N]
//! ```

use bots::net::cli::{block_on, exit_code, init_logging};
use bots::net::market::{run_until_signal, Cast};
use clap::Parser;
use exchange_server::cli::serve::ServeArgs;
use std::process::ExitCode;
use std::time::Duration;

/// The exchange and the demo's bots. Every option can also be set by its environment
/// variable. The bots use the demo's users: a bootstrap other than the demo must have them.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    /// The seed of every bot's random numbers.
    #[arg(long, env = "BOT_SEED", default_value_t = 1)]
    seed: u64,
    /// Seconds between the market summaries it logs.
    #[arg(
        long,
        value_name = "SECONDS",
        env = "LIVE_MARKET_REPORT_S",
        default_value_t = 5
    )]
    report_every: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    init_logging();
    let cast = Cast {
        seed: args.seed,
        ..Cast::default()
    };
    let every = Duration::from_secs(args.report_every.max(1));
    let result = block_on(run_until_signal(args.serve.config(), &cast, every));
    if let Ok(ended) = &result {
        for (name, result) in ended {
            if let Err(error) = result {
                eprintln!("live-market: {name}: {error}");
            }
        }
    }
    exit_code("live-market", result)
}

/// mimalloc serves the server's many small, short-lived allocations (requests, JSON,
/// records) faster than the system allocator: about 8% more orders/s in `loadgen`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
