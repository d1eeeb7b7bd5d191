//! The network runner end to end, on 127.0.0.1: a real server started in this process over
//! a temporary directory with the demo bootstrap, and bots talking to it over HTTP and
//! WebSocket.
//!
//! No assertion is about timing: every wait is for a condition, with a generous limit only
//! so that a broken runner fails instead of hanging.

use bots::net::auth::user_token;
use bots::net::market::{start_cast, stop_cast, Cast, DEMO_MARKET_MAKER_TOKENS};
use bots::net::wire::{AccountBody, PlaceOrderBody};
use bots::net::{self, Bot, BotConfig, BotStatus, Exit, Rest, Server};
use bots::strategies::{MarketMakerConfig, NoiseConfig, OrchestratorConfig};
use bots::{BotRng, Ctx, Input, Strategy};
use exchange_core::{Side, TimeInForce};
use exchange_server::server::{self, BootstrapSource, RunningServer, ServeConfig};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The longest any condition may take before the test fails (a hang guard, not a timing
/// assertion).
const WAIT_MAX: Duration = Duration::from_secs(90);

/// How long the living market runs at least.
const MARKET_RUN: Duration = Duration::from_secs(20);

/// A server on 127.0.0.1 over a temporary directory.
struct TestServer {
    running: RunningServer,
    url: Server,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// The demo market, after `adjust` changes the configuration.
    async fn start(adjust: impl FnOnce(&mut ServeConfig)) -> TestServer {
        if std::env::var_os("RUST_LOG").is_some() {
            bots::net::cli::init_logging();
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let listen = "127.0.0.1:0".parse().expect("an address");
        let mut config = ServeConfig::new(dir.path().join("data"), listen);
        config.bootstrap = BootstrapSource::Demo;
        adjust(&mut config);
        let running = server::start(config).await.expect("the server starts");
        TestServer {
            url: Server::at(running.addr),
            running,
            _dir: dir,
        }
    }

    /// The REST calls of the account with `token`.
    fn rest(&self, token: &str) -> Rest {
        Rest::new(&self.url, token).expect("a client")
    }

    /// `GET /api/v1/tickers/MNAD/trades`: how many trades the ticker has had (up to 1000).
    async fn trades(&self) -> usize {
        let url = self.url.url("/api/v1/tickers/MNAD/trades?limit=1000");
        let response = reqwest::get(url).await.expect("the trades answer");
        assert!(response.status().is_success(), "{response:?}");
        let trades: Vec<serde_json::Value> = response.json().await.expect("JSON trades");
        trades.len()
    }
}

/// Polls `check` until it gives a value.
async fn eventually<T, F: Future<Output = Option<T>>>(
    what: &str,
    mut check: impl FnMut() -> F,
) -> T {
    let deadline = Instant::now() + WAIT_MAX;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until a bot's status satisfies `condition`.
async fn status_until(
    status: &mut watch::Receiver<BotStatus>,
    what: &str,
    condition: impl FnMut(&BotStatus) -> bool,
) -> BotStatus {
    let waiting = status.wait_for(condition);
    match tokio::time::timeout(WAIT_MAX, waiting).await {
        Ok(Ok(status)) => status.clone(),
        Ok(Err(_)) => panic!("the bot ended while waiting for {what}"),
        Err(_) => panic!("gave up waiting for {what}"),
    }
}

/// A strategy that sells 5 shares at 40 when it starts and records every input.
struct Probe {
    inputs: Arc<Mutex<Vec<Input>>>,
}

impl Strategy for Probe {
    fn name(&self) -> &'static str {
        "probe"
    }

    fn tick_interval_ms(&self) -> u64 {
        0
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        // A poisoned lock means another test thread panicked; the test fails anyway.
        self.inputs.lock().expect("the inputs lock").push(*input);
        if *input == Input::Start {
            ctx.limit(Side::Sell, 40, 5, TimeInForce::Gtc);
        }
    }
}

/// Two market buys of `quantity` each by mm2, over REST.
async fn buy_twice(server: &TestServer, quantity: u64) {
    let buyer = server.rest(DEMO_MARKET_MAKER_TOKENS[1]);
    for client_id in [1, 2] {
        let order = PlaceOrderBody::new(
            "MNAD",
            Side::Buy,
            None,
            TimeInForce::Ioc,
            quantity,
            client_id,
        );
        let answer = buyer.place(&order).await.expect("the buy is accepted");
        assert_eq!(
            answer.fills.len(),
            1,
            "the buy trades with the probe's order"
        );
    }
}

/// Runs the probe on mm1, drops its WebSocket while mm2 buys from it and someone pays it,
/// reconnects it, and returns its final status, its inputs and the account as the server
/// saw it then.
async fn probe_across_a_gap(server: &TestServer) -> (BotStatus, Vec<Input>, AccountBody) {
    let inputs = Arc::new(Mutex::new(Vec::new()));
    let probe = Probe {
        inputs: Arc::clone(&inputs),
    };
    let config = BotConfig::new(
        "probe",
        server.url.clone(),
        DEMO_MARKET_MAKER_TOKENS[0],
        "MNAD",
    );
    let handle = net::spawn(Bot {
        strategy: Box::new(probe),
        rng: BotRng::new(7),
        config,
        traders: None,
    });
    let mut status = handle.status();
    status_until(&mut status, "the probe's order", |s| {
        !s.portfolio.orders.is_empty()
    })
    .await;
    handle.disconnect();
    status_until(&mut status, "the disconnection", |s| !s.connected).await;
    buy_twice(server, 1).await;
    let payer = user_token(&server.url, "payer@example.com", "password123", "test").await;
    let payer = server.rest(&payer.expect("a token for the payer"));
    payer
        .transfer("mm1@demo.exchange", 10)
        .await
        .expect("the payment");
    handle.reconnect();
    status_until(&mut status, "the fills after reconnecting", |s| {
        s.connections == 2 && s.portfolio.orders.values().map(|o| o.remaining).eq([3])
    })
    .await;
    // The payment's record comes after the fills.
    eventually("the payment", || async {
        let inputs = inputs.lock().expect("the inputs lock");
        (!payments(&inputs).is_empty()).then_some(())
    })
    .await;
    let account = server.rest(DEMO_MARKET_MAKER_TOKENS[0]).account().await;
    let account = account.expect("mm1's account");
    let done = status.borrow().clone();
    let exit = handle.stop_and_join().await.expect("the probe stops");
    assert_eq!(exit, Exit::Stopped);
    let inputs = inputs.lock().expect("the inputs lock").clone();
    (done, inputs, account)
}

fn filled(inputs: &[Input]) -> Vec<u64> {
    inputs
        .iter()
        .filter_map(|input| match input {
            Input::Filled { quantity, .. } => Some(*quantity),
            _ => None,
        })
        .collect()
}

fn payments(inputs: &[Input]) -> Vec<u64> {
    inputs
        .iter()
        .filter_map(|input| match input {
            Input::TransferReceived { amount, .. } => Some(*amount),
            _ => None,
        })
        .collect()
}

/// The bot's portfolio shows what the server says about the account.
fn assert_matches_account(status: &BotStatus, account: &AccountBody) {
    let portfolio = &status.portfolio;
    assert_eq!(portfolio.credits_available, account.credits_available);
    assert_eq!(portfolio.credits_held, account.credits_held);
    let position = account.positions.iter().find(|p| p.symbol == "MNAD");
    assert_eq!(
        portfolio.shares_available,
        position.map_or(0, |p| p.available)
    );
    assert_eq!(portfolio.shares_held, position.map_or(0, |p| p.held));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_resumes_with_since_and_misses_nothing() {
    let server = TestServer::start(|_| {}).await;
    let (status, inputs, account) = probe_across_a_gap(&server).await;
    assert_eq!(status.connections, 2);
    assert_eq!(status.resumes, 1, "the reconnection resumed");
    assert_eq!(status.resyncs, 0, "nothing had to be read again");
    assert!(status.last_since.is_some(), "it resubscribed with since");
    assert_eq!(filled(&inputs), [1, 1], "each fill once: {inputs:?}");
    assert_eq!(payments(&inputs), [10], "{inputs:?}");
    assert_matches_account(&status, &account);
    server.running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resync_reads_the_state_again_and_reports_what_was_missed() {
    // The server keeps the messages of one record only: resuming after three is impossible.
    let server = TestServer::start(|config| config.hub.ring_records_max = 1).await;
    let (status, inputs, account) = probe_across_a_gap(&server).await;
    assert_eq!(status.resyncs, 1, "the server answered resync");
    assert_eq!(
        filled(&inputs),
        [1, 1],
        "the missed fills, each once: {inputs:?}"
    );
    assert_eq!(payments(&inputs), [10], "the missed payment: {inputs:?}");
    assert_matches_account(&status, &account);
    server.running.stop().await;
}

/// A market maker and the orchestrator with its noise traders, all ticking every 100 ms.
fn quick_cast() -> Cast {
    Cast {
        market_makers: 1,
        market_maker: MarketMakerConfig {
            tick_interval_ms: 100,
            // Its surplus stays with it: the only payment to the orchestrator is the test's.
            alert_threshold_credits: 1_000_000,
            ..MarketMakerConfig::default()
        },
        orchestrator: true,
        orchestrator_config: OrchestratorConfig {
            tick_interval_ms: 100,
            ..OrchestratorConfig::default()
        },
        noise: NoiseConfig {
            tick_interval_ms: 100,
            // They keep trading (and so keep their accounts) for the whole test.
            funding_failures_max: 1_000_000,
            ..NoiseConfig::default()
        },
        trend_follower: false,
        seed: 11,
        ..Cast::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_market_maker_and_noise_traders_trade_and_a_payment_starts_a_trader() {
    let server = TestServer::start(|_| {}).await;
    let started = Instant::now();
    let bots = start_cast(&server.url, &quick_cast())
        .await
        .expect("the bots start");
    let orchestrator = server.rest(bots::net::market::DEMO_ORCHESTRATOR_TOKEN);
    let accounts = || async {
        orchestrator
            .orchestrated_accounts()
            .await
            .expect("the orchestrator's accounts")
            .len()
    };
    // 1,100 credits at 150 a trader: 7 traders, 50 credits left, no more launches.
    let before = eventually("the first seven traders", || async {
        let count = accounts().await;
        (count >= 7).then_some(count)
    })
    .await;
    assert_eq!(before, 7);
    eventually("trades", || async {
        (server.trades().await > 0).then_some(())
    })
    .await;
    let payer = user_token(&server.url, "patron@example.com", "password123", "test").await;
    let payer = server.rest(&payer.expect("a token for the payer"));
    payer
        .transfer("orchestrator@demo.exchange", 150)
        .await
        .expect("the payment");
    let after = eventually("a trader for the payment", || async {
        let count = accounts().await;
        (count > before).then_some(count)
    })
    .await;
    assert_eq!(after, before + 1, "one trader for one payment");
    let remaining = MARKET_RUN.saturating_sub(started.elapsed());
    tokio::time::sleep(remaining).await;
    let trades = server.trades().await;
    assert!(trades > 0);
    for (name, ended) in stop_cast(bots).await {
        assert_eq!(ended.expect(&name), Exit::Stopped, "{name}");
    }
    let depth = reqwest::get(server.url.url("/api/v1/tickers/MNAD/depth"))
        .await
        .expect("the depth")
        .json::<serde_json::Value>()
        .await
        .expect("JSON depth");
    assert_eq!(
        depth["bids"],
        serde_json::json!([]),
        "the bots cancelled their orders"
    );
    assert_eq!(
        depth["asks"],
        serde_json::json!([]),
        "the bots cancelled their orders"
    );
    server.running.stop().await;
}
