//! The orchestrator on Kafka, end to end on 127.0.0.1: a real tansu broker (from
//! `scripts/tansu.sh install`; without it these tests fail and say so), the server in this
//! process exporting its log to it, and the orchestrator taking its payments from the topic.
//!
//! No assertion is about timing: every wait is for a condition, with a generous limit only
//! so that a broken feed fails instead of hanging.

use bots::net::kafka::{GroupClient, KafkaSource, KafkaTransfer, TransferFeed};
use bots::net::{self, Bot, BotConfig, BotStatus, Rest, Server, TraderSpawner};
use bots::strategies::{Orchestrator, OrchestratorConfig};
use bots::{BotRng, Ctx, Input, Strategy};
use exchange_core::AccountId;
use exchange_server::kafka::tansu::{Storage, Tansu};
use exchange_server::kafka::{KafkaConfig, TOPIC_DEFAULT};
use exchange_server::server::{self, BootstrapSource, RunningServer, ServeConfig};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The longest any condition may take before the test fails (a hang guard).
const WAIT_MAX: Duration = Duration::from_secs(60);

/// The demo's market makers (payers) and orchestrator.
const MM1: &str = "d3e0000000000000000000000000000000000000000000000000000000000001";
const MM2: &str = "d3e0000000000000000000000000000000000000000000000000000000000002";
const ORCHESTRATOR: &str = "d3e0000000000000000000000000000000000000000000000000000000000003";
const ORCHESTRATOR_EMAIL: &str = "orchestrator@demo.exchange";

/// A broker and a server exporting to it.
struct Exchange {
    tansu: Tansu,
    running: RunningServer,
    url: Server,
    _dir: tempfile::TempDir,
}

impl Exchange {
    async fn start() -> Exchange {
        if std::env::var_os("RUST_LOG").is_some() {
            bots::net::cli::init_logging();
        }
        let dir = tempfile::tempdir().unwrap();
        let tansu = match Tansu::start(Storage::Memory, &dir.path().join("tansu.log")).await {
            Ok(tansu) => tansu,
            Err(error) => panic!("the Kafka tests need the tansu broker: {error}"),
        };
        let mut config = ServeConfig::new(dir.path().join("data"), "127.0.0.1:0".parse().unwrap());
        config.bootstrap = BootstrapSource::Demo;
        config.kafka = Some(KafkaConfig {
            backoff_max: Duration::from_millis(200),
            ..KafkaConfig::new(vec![tansu.broker()])
        });
        let running = server::start(config).await.expect("the server starts");
        Exchange {
            url: Server::at(running.addr),
            tansu,
            running,
            _dir: dir,
        }
    }

    fn rest(&self, token: &str) -> Rest {
        Rest::new(&self.url, token).expect("a client")
    }

    fn source(&self, group: &str) -> KafkaSource {
        KafkaSource {
            brokers: vec![self.tansu.broker()],
            topic: TOPIC_DEFAULT.to_owned(),
            group: group.to_owned(),
        }
    }

    /// The last durable record (a quote read's seq).
    async fn seq(&self) -> u64 {
        self.rest(MM1).quote("MNAD").await.expect("a quote").seq
    }

    async fn orchestrator_account(&self) -> AccountId {
        let account = self
            .rest(ORCHESTRATOR)
            .account()
            .await
            .expect("the account");
        AccountId(account.account_id)
    }

    /// `payer` pays the orchestrator `amount` credits.
    async fn pay(&self, payer: &str, amount: u64) {
        self.rest(payer)
            .transfer(ORCHESTRATOR_EMAIL, amount)
            .await
            .expect("the payment is accepted");
    }
}

/// The next transfer of a feed; panics after [`WAIT_MAX`].
async fn next(feed: &mut TransferFeed) -> KafkaTransfer {
    tokio::time::timeout(WAIT_MAX, feed.next())
        .await
        .expect("a transfer arrives")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_hands_over_each_payment_once_and_resumes_past_what_was_acted_on() {
    let exchange = Exchange::start().await;
    let account = exchange.orchestrator_account().await;
    let start = exchange.seq().await;
    let source = exchange.source("feed-test");
    let mut feed = TransferFeed::start(source.clone(), account, start);
    exchange.pay(MM1, 10).await;
    exchange.pay(MM2, 20).await;
    let first = next(&mut feed).await;
    let second = next(&mut feed).await;
    assert_eq!((first.amount, second.amount), (10, 20));
    assert!(first.seq > start && second.seq > first.seq);

    // Acted on the first only, then the process dies: the group's offset stops before
    // the second.
    feed.acted(&first);
    let mut group = GroupClient::connect(&source.brokers, &source.group, WAIT_MAX)
        .await
        .expect("the coordinator");
    let deadline = Instant::now() + WAIT_MAX;
    while group.committed(TOPIC_DEFAULT, 0).await.unwrap() != Some(second.offset) {
        assert!(
            Instant::now() < deadline,
            "the offset past the first payment is committed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(feed);

    // At least once: a new reader of the group gets the second payment again...
    let mut again = TransferFeed::start(source.clone(), account, start);
    exchange.pay(MM1, 30).await;
    assert_eq!(next(&mut again).await, second);
    let third = next(&mut again).await;
    assert_eq!(third.amount, 30, "and each later payment once");
    drop(again);

    // ...unless its balance already holds it (a restarted orchestrator reads its balance
    // first): then only later payments come, each once.
    let mut resumed = TransferFeed::start(source, account, third.seq);
    exchange.pay(MM2, 40).await;
    exchange.pay(MM1, 50).await;
    let amounts = [
        next(&mut resumed).await.amount,
        next(&mut resumed).await.amount,
    ];
    assert_eq!(amounts, [40, 50]);
    exchange.running.stop().await;
}

/// A trader that does nothing, so that its credits stay as funded.
struct Idle;

impl Strategy for Idle {
    fn name(&self) -> &'static str {
        "idle"
    }

    fn tick_interval_ms(&self) -> u64 {
        0
    }

    fn on(&mut self, _input: &Input, _ctx: &mut Ctx<'_>) {}
}

/// The orchestrator, recording the payments it is told of.
struct Recording {
    inner: Orchestrator,
    transfers: Arc<Mutex<Vec<(AccountId, u64)>>>,
}

impl Strategy for Recording {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn tick_interval_ms(&self) -> u64 {
        self.inner.tick_interval_ms()
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if let Input::TransferReceived { from, amount } = *input {
            self.transfers.lock().unwrap().push((from, amount));
        }
        self.inner.on(input, ctx);
    }
}

/// Credits each trader gets.
const STAKE: u64 = 100;

/// Starts the orchestrator on Kafka in consumer group `group`, with idle traders.
fn orchestrator(
    exchange: &Exchange,
    group: &str,
    transfers: &Arc<Mutex<Vec<(AccountId, u64)>>>,
) -> net::BotHandle {
    let config = OrchestratorConfig {
        tick_interval_ms: 100,
        stake_credits: STAKE,
        ..OrchestratorConfig::default()
    };
    let mut bot_config = BotConfig::new("orchestrator", exchange.url.clone(), ORCHESTRATOR, "MNAD");
    bot_config.kafka = Some(exchange.source(group));
    net::spawn(Bot {
        strategy: Box::new(Recording {
            inner: Orchestrator::new(config),
            transfers: Arc::clone(transfers),
        }),
        rng: BotRng::new(1),
        config: bot_config,
        traders: Some(TraderSpawner::new(|_| Box::new(Idle), 2)),
    })
}

/// Waits until the orchestrator runs `count` traders.
async fn traders(status: &mut watch::Receiver<BotStatus>, count: usize) {
    let waiting = status.wait_for(|status| status.traders == count);
    match tokio::time::timeout(WAIT_MAX, waiting).await {
        Ok(Ok(_)) => {}
        Ok(Err(_)) => panic!("the orchestrator ended while waiting for {count} traders"),
        Err(_) => panic!("gave up waiting for {count} traders"),
    }
}

/// Waits until the recorded payments are `expected` (they only grow, in order).
async fn recorded(transfers: &Arc<Mutex<Vec<(AccountId, u64)>>>, expected: &[(AccountId, u64)]) {
    let deadline = Instant::now() + WAIT_MAX;
    loop {
        let seen = transfers.lock().unwrap().clone();
        if seen.len() >= expected.len() {
            assert_eq!(seen, expected, "each payment is reported once, in order");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "gave up waiting for {expected:?}: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_orchestrator_on_kafka_starts_one_trader_per_payment_across_a_restart() {
    let exchange = Exchange::start().await;
    let mm1 = AccountId(exchange.rest(MM1).account().await.unwrap().account_id);
    let mm2 = AccountId(exchange.rest(MM2).account().await.unwrap().account_id);
    let transfers = Arc::new(Mutex::new(Vec::new()));

    // Its credits pay for `n` traders. Each payment of two stakes starts one more (and
    // leaves a stake spare, which a repeated payment would spend on a trader too many).
    let credits = exchange
        .rest(ORCHESTRATOR)
        .account()
        .await
        .unwrap()
        .credits_available;
    let n = usize::try_from(credits / STAKE).unwrap();
    let bot = orchestrator(&exchange, "orchestrator", &transfers);
    let mut status = bot.status();
    traders(&mut status, n).await;
    exchange.pay(MM1, 2 * STAKE).await;
    recorded(&transfers, &[(mm1, 2 * STAKE)]).await;
    traders(&mut status, n + 1).await;
    exchange.pay(MM2, 2 * STAKE).await;
    recorded(&transfers, &[(mm1, 2 * STAKE), (mm2, 2 * STAKE)]).await;
    traders(&mut status, n + 2).await;
    bot.stop_and_join().await.expect("the orchestrator stops");

    // Restarted, it liquidates its traders and funds `n + 4` from its credits; the
    // payments it had seen are in that balance and are not reported again, even in a new
    // group with nothing committed, which reads the whole topic again (the worst case of
    // at-least-once). A payment of two stakes then starts one trader, and one of a stake
    // another: any repeat of the first would come before the second and have started a
    // trader of its own.
    transfers.lock().unwrap().clear();
    let bot = orchestrator(&exchange, "orchestrator-restarted", &transfers);
    let mut status = bot.status();
    traders(&mut status, n + 4).await;
    exchange.pay(MM1, 2 * STAKE).await;
    exchange.pay(MM2, STAKE).await;
    recorded(&transfers, &[(mm1, 2 * STAKE), (mm2, STAKE)]).await;
    traders(&mut status, n + 6).await;
    let orchestrated = exchange
        .rest(ORCHESTRATOR)
        .orchestrated_accounts()
        .await
        .unwrap();
    let open = orchestrated.iter().filter(|a| a.status == "active").count();
    assert_eq!(
        open,
        n + 6,
        "one trader per stake, none for a repeated payment"
    );
    bot.stop_and_join().await.expect("the orchestrator stops");
    exchange.running.stop().await;
}
