//! The Kafka exporter against a real Kafka-protocol broker: tansu on 127.0.0.1, started by
//! the test (`scripts/tansu.sh install` provides it; without it these tests fail and say
//! so). The topic is read back by an independent consumer (rskafka, JSON as plain values).
//!
//! No assertion is about timing: every wait is for a condition, with a generous limit only
//! so that a broken exporter fails instead of hanging.

use exchange_core::log::{EventLog, SledLog};
use exchange_server::kafka::tansu::{Storage, Tansu};
use exchange_server::kafka::KafkaConfig;
use exchange_server::server::{self, BootstrapSource, ServeConfig};
use rskafka::client::partition::{OffsetAt, PartitionClient, UnknownTopicHandling};
use rskafka::client::ClientBuilder;
use serde_json::{json, Value};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The longest any condition may take before the test fails (a hang guard).
const WAIT_MAX: Duration = Duration::from_secs(60);

/// The demo's two market makers, who trade with each other.
const MM1: &str = "d3e0000000000000000000000000000000000000000000000000000000000001";
const MM2: &str = "d3e0000000000000000000000000000000000000000000000000000000000002";

/// The topic the exporter writes by default.
const TOPIC: &str = "exchange.events";

async fn start_tansu(storage: Storage, dir: &Path) -> Tansu {
    match Tansu::start(storage, &dir.join("tansu.log")).await {
        Ok(tansu) => tansu,
        Err(error) => panic!("the Kafka tests need the tansu broker: {error}"),
    }
}

/// Waits until `condition` holds, polling; panics after [`WAIT_MAX`].
async fn wait_until<F: std::future::Future<Output = bool>>(what: &str, condition: impl Fn() -> F) {
    let deadline = Instant::now() + WAIT_MAX;
    while !condition().await {
        assert!(Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An independent reader of the topic.
struct Topic {
    partition: PartitionClient,
}

impl Topic {
    async fn open(broker: &str) -> Topic {
        let client = ClientBuilder::new(vec![broker.to_owned()])
            .build()
            .await
            .expect("a client of the broker");
        let partition = client
            .partition_client(TOPIC, 0, UnknownTopicHandling::Retry)
            .await
            .expect("the topic's partition");
        Topic { partition }
    }

    /// Every record on the topic, parsed as JSON, in offset order.
    async fn read_all(&self) -> Vec<Value> {
        let end = self.partition.get_offset(OffsetAt::Latest).await.unwrap();
        let mut values = Vec::new();
        let mut offset = 0;
        while offset < end {
            let (records, _) = self
                .partition
                .fetch_records(offset, 1..4_000_000, 1_000)
                .await
                .unwrap();
            for record in records {
                assert_eq!(record.offset, offset, "offsets have no gaps");
                let value = record.record.value.expect("a value");
                values.push(serde_json::from_slice(&value).expect("a JSON value"));
                offset += 1;
            }
        }
        values
    }

    /// The sequence number of the last record on the topic (0 if none).
    async fn last_seq(&self) -> u64 {
        let end = self.partition.get_offset(OffsetAt::Latest).await.unwrap();
        if end == 0 {
            return 0;
        }
        let (records, _) = self
            .partition
            .fetch_records(end - 1, 1..4_000_000, 1_000)
            .await
            .unwrap();
        let last = records.last().expect("the last record");
        let value: Value = serde_json::from_slice(last.record.value.as_ref().unwrap()).unwrap();
        value["seq"].as_u64().expect("a seq")
    }

    /// Waits until the topic holds record `seq`.
    async fn wait_for(broker: &str, seq: u64) {
        wait_until(&format!("the topic holds record {seq}"), || async {
            // A broker that just restarted may refuse for a moment: look again.
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                Topic::open(broker).await.last_seq().await
            });
            matches!(read.await, Ok(last) if last >= seq)
        })
        .await;
    }
}

/// Asserts that `values` are records 1, 2, ... `last`, each once, in order.
fn assert_exactly_once_in_order(values: &[Value], last: u64) {
    let seqs: Vec<u64> = values.iter().map(|v| v["seq"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = (1..=last).collect();
    if seqs != expected {
        let duplicates = seqs.windows(2).filter(|w| w[1] <= w[0]).count();
        panic!(
            "the topic holds {} records ({duplicates} out of order or repeated), \
             expected 1..={last}: {seqs:?}",
            seqs.len()
        );
    }
}

/// The trades the records on the topic carry.
fn trades(values: &[Value]) -> usize {
    values
        .iter()
        .flat_map(|v| v["events"].as_array().into_iter().flatten())
        .filter(|event| event["type"] == "trade")
        .count()
}

/// An HTTP client of a server.
struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(base: String) -> Api {
        Api {
            http: reqwest::Client::new(),
            base,
        }
    }

    /// Places a limit order of one share at 10 as `token`; returns its record's seq.
    async fn order(&self, token: &str, side: &str) -> u64 {
        let body = json!({"ticker":"MNAD","side":side,"type":"limit","price":10,"quantity":1});
        let response = self
            .http
            .post(format!("{}/api/v1/orders", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("the order is answered");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status.as_u16(), 201, "the order is accepted: {body}");
        body["seq"].as_u64().expect("a seq")
    }

    /// Two trades: mm1 sells to mm2, then mm2 sells back (balances end where they began).
    async fn round_trip(&self) {
        self.order(MM1, "sell").await;
        self.order(MM2, "buy").await;
        self.order(MM2, "sell").await;
        self.order(MM1, "buy").await;
    }

    /// The last durable record, from `/health`.
    async fn durable_seq(&self) -> u64 {
        let health: Value = self
            .http
            .get(format!("{}/health", self.base))
            .send()
            .await
            .expect("health answers")
            .json()
            .await
            .expect("JSON");
        health["seq"].as_u64().expect("a seq")
    }

    /// A metric's value from `/metrics` (0 when the server cannot be reached).
    async fn metric(&self, name: &str) -> u64 {
        let request = self.http.get(format!("{}/metrics", self.base)).send();
        let Ok(response) = request.await else {
            return 0;
        };
        let text = response.text().await.unwrap_or_default();
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    }
}

fn kafka_config(broker: &str) -> KafkaConfig {
    KafkaConfig {
        backoff_max: Duration::from_millis(200),
        ..KafkaConfig::new(vec![broker.to_owned()])
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trades_reach_the_topic_in_sequence_order_with_no_gap_or_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let tansu = start_tansu(Storage::Memory, dir.path()).await;
    let data = dir.path().join("data");
    let mut config = ServeConfig::new(data.clone(), "127.0.0.1:0".parse().unwrap());
    config.bootstrap = BootstrapSource::Demo;
    config.kafka = Some(kafka_config(&tansu.broker()));
    let running = server::start(config).await.expect("the server starts");
    let api = Api::new(format!("http://{}", running.addr));
    for _ in 0..10 {
        api.round_trip().await;
    }
    let last = api.durable_seq().await;
    Topic::wait_for(&tansu.broker(), last).await;
    assert_eq!(api.metric("exchange_kafka_exported_seq").await, last);
    running.stop().await;

    let values = Topic::open(&tansu.broker()).await.read_all().await;
    assert_exactly_once_in_order(&values, last);
    assert_eq!(trades(&values), 20, "every trade is on the topic");
    let log = SledLog::open_existing(data.join("log")).unwrap();
    assert_eq!(log.last_seq(), last);
    for (record, value) in log.read_from(1).zip(&values) {
        let record = record.unwrap();
        assert_eq!(value["timestamp_ns"].as_u64(), Some(record.timestamp_ns));
        let events = match &record.entry {
            exchange_core::log::Entry::Command { events, .. } => events.len(),
            exchange_core::log::Entry::Checkpoint { .. } => 0,
        };
        let on_topic = value["events"].as_array().map_or(0, Vec::len);
        assert_eq!(on_topic, events, "record {}: {value}", record.seq);
    }
}

/// `exchange serve` as a child process (so that it can be killed), logging to a file.
struct ServerProcess {
    child: Arc<Mutex<Child>>,
    api: Api,
}

impl ServerProcess {
    async fn start(data: &Path, broker: &str, log: &Path) -> ServerProcess {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_exchange"))
            .args([
                "serve",
                "--data",
                data.to_str().unwrap(),
                "--listen",
                &listen,
            ])
            .args(["--kafka-brokers", broker, "--kafka-batch-records", "10"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("exchange serve starts");
        let api = Api::new(format!("http://{listen}"));
        wait_until("the server answers", || async {
            let health = api.http.get(format!("{}/health", api.base)).send();
            health.await.is_ok()
        })
        .await;
        ServerProcess {
            child: Arc::new(Mutex::new(child)),
            api,
        }
    }

    fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().expect("the server is killed");
        child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap();
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_and_server_killed_mid_run_leave_every_record_once_on_the_topic() {
    let dir = tempfile::tempdir().unwrap();
    let mut tansu = start_tansu(Storage::Sqlite(dir.path().join("kafka")), dir.path()).await;
    let broker = tansu.broker();
    let data = dir.path().join("data");
    let server_log = dir.path().join("server.log");
    let server = ServerProcess::start(&data, &broker, &server_log).await;
    for _ in 0..5 {
        server.api.round_trip().await;
    }
    let before_outage = server.api.durable_seq().await;
    Topic::wait_for(&broker, before_outage).await;

    // The broker dies: the exchange goes on trading, and the lag shows in /metrics.
    tansu.kill();
    for _ in 0..100 {
        server.api.round_trip().await;
    }
    let after_outage = server.api.durable_seq().await;
    assert!(after_outage >= before_outage + 400);
    let outage = after_outage - before_outage;
    wait_until("the lag shows in /metrics", || async {
        server.api.metric("exchange_kafka_lag_records").await == outage
    })
    .await;
    assert!(server.api.metric("exchange_kafka_errors_total").await > 0);

    // The broker comes back (with what it had stored); the server is killed while it
    // catches up, in batches of 10 records.
    let watcher = {
        let child = Arc::clone(&server.child);
        let api = Api::new(server.api.base.clone());
        tokio::spawn(async move {
            let deadline = Instant::now() + WAIT_MAX;
            while api.metric("exchange_kafka_exported_seq").await <= before_outage {
                assert!(Instant::now() < deadline, "the exporter never resumed");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let mut child = child.lock().unwrap();
            child.kill().expect("the server is killed");
            child.wait().unwrap();
        })
    };
    tansu.restart().await.expect("the broker restarts");
    watcher.await.expect("the watcher killed the server");
    let at_kill = Topic::open(&broker).await.last_seq().await;
    assert!(
        before_outage < at_kill && at_kill < after_outage,
        "killed mid-export: the topic held {at_kill} of {before_outage}..{after_outage}"
    );

    // The server restarts, resumes from the topic's tail, and keeps trading.
    drop(server);
    let server = ServerProcess::start(&data, &broker, &server_log).await;
    for _ in 0..5 {
        server.api.round_trip().await;
    }
    let last = server.api.durable_seq().await;
    Topic::wait_for(&broker, last).await;
    server.kill();
    let values = Topic::open(&broker).await.read_all().await;
    assert_exactly_once_in_order(&values, last);
    assert_eq!(trades(&values), 2 * 110, "every trade is on the topic");
}
