//! The living market in one command: the exchange server, started in this process with
//! the demo bootstrap, and the demo's bots as tasks beside it.
//!
//! - the two market makers, on the demo's tokens for `mm1` and `mm2`, sending their
//!   surplus to the orchestrator;
//! - the orchestrator, on the demo's orchestrator token, which funds noise traders
//!   ([`NoiseTrader`]s, in-process runner tasks) from its credits and from every payment it
//!   receives;
//! - a trend follower, as the user [`TREND_EMAIL`]: the demo bootstrap has no token for it,
//!   so it logs in with [`TREND_PASSWORD`] (signing up the first time) and creates one.
//!
//! Random numbers: market maker `i` (from 1) draws from stream `i` of the seed, the trend
//! follower from stream 3, the orchestrator from stream 4; the noise traders from streams
//! 1, 2, ... of the seed plus one.

use super::auth::user_token;
use super::error::NetError;
use super::rest::Server;
use super::runner::{spawn, Bot, BotConfig, BotHandle, Exit};
use super::traders::TraderSpawner;
use crate::rng::BotRng;
use crate::strategies::{
    MarketMaker, MarketMakerConfig, NoiseConfig, NoiseTrader, Orchestrator, OrchestratorConfig,
    TrendConfig, TrendFollower,
};
use exchange_server::server::{start, RunningServer, ServeConfig};

/// The demo's ticker.
pub const DEMO_TICKER: &str = "MNAD";
/// The demo market makers' API tokens (`exchange-server/bootstrap/demo.toml`).
pub const DEMO_MARKET_MAKER_TOKENS: [&str; 2] = [
    "d3e0000000000000000000000000000000000000000000000000000000000001",
    "d3e0000000000000000000000000000000000000000000000000000000000002",
];
/// The demo orchestrator's API token.
pub const DEMO_ORCHESTRATOR_TOKEN: &str =
    "d3e0000000000000000000000000000000000000000000000000000000000003";
/// The demo orchestrator's email, where the market makers send their surplus.
pub const DEMO_ORCHESTRATOR_EMAIL: &str = "orchestrator@demo.exchange";
/// The demo market makers' surplus threshold: their 20,000 credits (`demo.toml`) plus one
/// noise trader's stake. Credits above it go to the orchestrator, which funds more traders.
pub const DEMO_SURPLUS_THRESHOLD_CREDITS: u64 = 20_150;
/// The demo market makers' skew step: a tick of skew per 25 shares away from their 400.
/// The demo's traders hold twenty-odd shares between them at any time, which the market
/// makers cannot buy back; at the default step of 10 that kept them a tick or two short for
/// good, and the price climbed from 35 to about 75 in every simulated hour.
pub const DEMO_SKEW_STEP_SHARES: u64 = 25;
/// The demo market makers' target drift: their inventory target moves a share a minute
/// toward what they hold. A user who bought twenty shares and kept them left them short
/// for good, and their skew lifted the price from 33 to 85 within 20 minutes of a live run.
pub const DEMO_TARGET_DRIFT_MS: u64 = 60_000;
/// The trend follower's user.
pub const TREND_EMAIL: &str = "trend@demo.exchange";
/// The trend follower's password (public, like every demo password).
pub const TREND_PASSWORD: &str = "demo-trend-follower";
/// The name of the trend follower's API token.
pub const TREND_TOKEN_NAME: &str = "live-market trend follower";

/// Which bots a living market runs, and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Cast {
    /// How many of the demo's market makers run (0 to 2).
    pub market_makers: usize,
    /// The market makers' parameters.
    pub market_maker: MarketMakerConfig,
    /// Whether the orchestrator runs.
    pub orchestrator: bool,
    /// Its parameters.
    pub orchestrator_config: OrchestratorConfig,
    /// Its noise traders' parameters.
    pub noise: NoiseConfig,
    /// Whether the trend follower runs.
    pub trend_follower: bool,
    /// Its parameters.
    pub trend: TrendConfig,
    /// The seed of every bot's random numbers.
    pub seed: u64,
}

impl Default for Cast {
    /// Every bot, with the strategies' default parameters (the market makers' surplus
    /// threshold and skew step sized for the demo's endowments), seed 1.
    fn default() -> Self {
        Self {
            market_makers: DEMO_MARKET_MAKER_TOKENS.len(),
            market_maker: MarketMakerConfig {
                alert_threshold_credits: DEMO_SURPLUS_THRESHOLD_CREDITS,
                skew_step_shares: DEMO_SKEW_STEP_SHARES,
                target_drift_ms: DEMO_TARGET_DRIFT_MS,
                ..MarketMakerConfig::default()
            },
            orchestrator: true,
            orchestrator_config: OrchestratorConfig::default(),
            noise: NoiseConfig::default(),
            trend_follower: true,
            trend: TrendConfig::default(),
            seed: 1,
        }
    }
}

/// A bot of the cast, by name.
pub struct NamedBot {
    /// `market-maker-1`, `orchestrator`, ...
    pub name: String,
    /// Its handle.
    pub handle: BotHandle,
}

/// Starts the cast's bots against `server`, which must know the demo's users and tokens.
pub async fn start_cast(server: &Server, cast: &Cast) -> Result<Vec<NamedBot>, NetError> {
    assert!(
        cast.market_makers <= DEMO_MARKET_MAKER_TOKENS.len(),
        "the demo has two market makers"
    );
    // The one step that can fail comes before any bot starts.
    let trend_token = match cast.trend_follower {
        true => Some(user_token(server, TREND_EMAIL, TREND_PASSWORD, TREND_TOKEN_NAME).await?),
        false => None,
    };
    let mut bots = Vec::new();
    for (index, token) in DEMO_MARKET_MAKER_TOKENS[..cast.market_makers]
        .iter()
        .enumerate()
    {
        let name = format!("market-maker-{}", index + 1);
        let mut config = BotConfig::new(&name, server.clone(), token, DEMO_TICKER);
        config.orchestrator_email = Some(DEMO_ORCHESTRATOR_EMAIL.to_owned());
        let strategy = Box::new(MarketMaker::new(cast.market_maker.clone()));
        let rng = BotRng::fork(cast.seed, index as u64 + 1);
        bots.push(launch(name, strategy, rng, config, None));
    }
    if let Some(token) = trend_token {
        let config = BotConfig::new("trend-follower", server.clone(), &token, DEMO_TICKER);
        let strategy = Box::new(TrendFollower::new(cast.trend.clone()));
        let rng = BotRng::fork(cast.seed, 3);
        bots.push(launch("trend-follower".into(), strategy, rng, config, None));
    }
    if cast.orchestrator {
        let config = BotConfig::new(
            "orchestrator",
            server.clone(),
            DEMO_ORCHESTRATOR_TOKEN,
            DEMO_TICKER,
        );
        let strategy = Box::new(Orchestrator::new(cast.orchestrator_config.clone()));
        let rng = BotRng::fork(cast.seed, 4);
        let noise = cast.noise.clone();
        let traders = TraderSpawner::new(
            move |_| Box::new(NoiseTrader::new(noise.clone())),
            cast.seed.wrapping_add(1),
        );
        bots.push(launch(
            "orchestrator".into(),
            strategy,
            rng,
            config,
            Some(traders),
        ));
    }
    Ok(bots)
}

fn launch(
    name: String,
    strategy: Box<dyn crate::Strategy>,
    rng: BotRng,
    config: BotConfig,
    traders: Option<TraderSpawner>,
) -> NamedBot {
    let handle = spawn(Bot {
        strategy,
        rng,
        config,
        traders,
    });
    NamedBot { name, handle }
}

/// Stops the bots, all at once, and waits for each; returns how each ended.
pub async fn stop_cast(bots: Vec<NamedBot>) -> Vec<(String, Result<Exit, NetError>)> {
    for bot in &bots {
        bot.handle.stop();
    }
    let mut ended = Vec::with_capacity(bots.len());
    for bot in bots {
        ended.push((bot.name, bot.handle.join().await));
    }
    ended
}

/// The exchange and its bots, in one process.
pub struct LiveMarket {
    /// The server.
    pub server: RunningServer,
    /// Its address.
    pub url: Server,
    /// The bots.
    pub bots: Vec<NamedBot>,
}

impl LiveMarket {
    /// Starts the server with `serve` (which should bootstrap the demo market), then the
    /// cast's bots against it.
    pub async fn start(serve: ServeConfig, cast: &Cast) -> Result<LiveMarket, NetError> {
        let server = start(serve).await?;
        let mut addr = server.addr;
        if addr.ip().is_unspecified() {
            // Listening on every interface: the bots use the loopback one.
            addr.set_ip(match addr {
                std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let url = Server::at(addr);
        let bots = match start_cast(&url, cast).await {
            Ok(bots) => bots,
            Err(error) => {
                server.stop().await;
                return Err(error);
            }
        };
        Ok(LiveMarket { server, url, bots })
    }

    /// Stops the bots (they cancel their orders), then the server.
    pub async fn stop(self) -> Vec<(String, Result<Exit, NetError>)> {
        let ended = stop_cast(self.bots).await;
        self.server.stop().await;
        ended
    }
}

/// Runs the living market until Ctrl-C or SIGTERM: starts it, logs the market every
/// `report_every`, then stops the bots and the server. Returns how each bot ended.
pub async fn run_until_signal(
    serve: ServeConfig,
    cast: &Cast,
    report_every: std::time::Duration,
) -> Result<Vec<(String, Result<Exit, NetError>)>, NetError> {
    let market = LiveMarket::start(serve, cast).await?;
    eprintln!(
        "live-market: exchange on {} with {} bots; Ctrl-C stops everything",
        market.url.base_url(),
        market.bots.len()
    );
    // The first report comes after one period: at once, the bots have not seen the market
    // yet, and it would show an empty one even over a log with a market in it.
    let first_report = tokio::time::Instant::now() + report_every;
    let mut report = tokio::time::interval_at(first_report, report_every);
    report.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let signal = super::cli::shutdown_signal();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            () = &mut signal => break,
            _ = report.tick() => market.report(),
        }
    }
    tracing::info!("stopping the bots, then the server");
    Ok(market.stop().await)
}

impl LiveMarket {
    /// Logs the market as the first bot sees it, and how many traders run.
    pub fn report(&self) {
        let statuses: Vec<_> = self
            .bots
            .iter()
            .map(|bot| bot.handle.status().borrow().clone())
            .collect();
        let Some(first) = statuses.first() else {
            return;
        };
        let market = first.market;
        let traders: usize = statuses.iter().map(|status| status.traders).sum();
        tracing::info!(
            last_price = ?market.last_price,
            bid = ?market.bid.map(|level| level.price),
            ask = ?market.ask.map(|level| level.price),
            traders,
            seq = first.last_seq,
            "market"
        );
    }
}
