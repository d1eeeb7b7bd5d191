//! What the bot binaries share: the connection options ([`BotArgs`]), logging, and
//! running until Ctrl-C with the exit codes decided in one place (0 done, 2 error).

use super::error::NetError;
use super::rest::Server;
use super::runner::{spawn, Bot, BotConfig, BotHandle, Exit};
use super::traders::TraderSpawner;
use crate::rng::BotRng;
use crate::Strategy;
use clap::Args;
use std::process::ExitCode;

/// Where a bot connects and as whom. Every option can also be set by its environment
/// variable.
#[derive(Clone, Debug, Args)]
pub struct BotArgs {
    /// The exchange's base URL.
    #[arg(long, env = "BOT_URL", default_value = "http://127.0.0.1:7070")]
    pub url: String,
    /// The bot's API token (`POST /api/v1/auth/tokens`; the demo's are in
    /// exchange-server/bootstrap/demo.toml).
    #[arg(long, env = "BOT_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The ticker it trades.
    #[arg(long, env = "BOT_TICKER", default_value = "MNAD")]
    pub ticker: String,
    /// The seed of its random numbers.
    #[arg(long, env = "BOT_SEED", default_value_t = 1)]
    pub seed: u64,
}

impl BotArgs {
    /// The runner's configuration for a bot named `name`.
    pub fn config(&self, name: &str) -> Result<BotConfig, NetError> {
        let server = Server::parse(&self.url)?;
        Ok(BotConfig::new(name, server, &self.token, &self.ticker))
    }
}

/// Structured logs and the shutdown signal, exactly as `exchange serve` has them.
pub use exchange_server::cli::serve::{init_logging, shutdown_signal};

/// Runs one bot until Ctrl-C (then it cancels its orders and stops) or until it ends by
/// itself; the process's exit code: 0 when it stopped or exited, 2 on an error.
pub fn run_bot(
    name: &str,
    args: &BotArgs,
    strategy: Box<dyn Strategy>,
    configure: impl FnOnce(&mut BotConfig),
    traders: Option<TraderSpawner>,
) -> ExitCode {
    init_logging();
    let result = args.config(name).and_then(|mut config| {
        configure(&mut config);
        let bot = Bot {
            strategy,
            rng: BotRng::new(args.seed),
            config,
            traders,
        };
        block_on(async move { until_ctrl_c(spawn(bot)).await })
    });
    exit_code(name, result)
}

/// Runs `future` on a new multi-threaded runtime.
pub fn block_on<T>(
    future: impl std::future::Future<Output = Result<T, NetError>>,
) -> Result<T, NetError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| NetError::Task(format!("starting the runtime: {error}")))?;
    runtime.block_on(future)
}

/// Waits for the bot to end, stopping it on Ctrl-C or SIGTERM.
async fn until_ctrl_c(handle: BotHandle) -> Result<Exit, NetError> {
    let mut status = handle.status();
    tokio::select! {
        () = shutdown_signal() => {
            tracing::info!("stopping");
            handle.stop_and_join().await
        }
        // The status sender goes away only when the bot has ended.
        _ = status.wait_for(|_| false) => handle.join().await,
    }
}

/// The exit code for how a program ended, after saying why on stderr.
pub fn exit_code<T>(name: &str, result: Result<T, NetError>) -> ExitCode {
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{name}: {error}");
            ExitCode::from(2)
        }
    }
}
