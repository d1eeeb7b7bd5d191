//! `kafka`: the Kafka exporter against a local tansu broker on 127.0.0.1 (started here, on a
//! free port; `scripts/tansu.sh install` provides it). Prints one line on stdout, progress
//! on stderr:
//!
//! ```text
//! cargo run --release -p benches --bin kafka [-- --records 100000] [--orders 2000] [--storage sqlite]
//! kafka records_per_s=... lag_p50_ms=... lag_p99_ms=... records=... lag_samples=... storage=...
//! ```
//!
//! - Throughput: a log of `--records` records (workload W1, seed 42) is written first;
//!   then the server starts on it with the exporter on, and `records_per_s` is the whole
//!   log divided by the time from the server's start until the topic holds its last record
//!   (connecting and creating the topic included).
//! - Lag: on a second server (the demo market), one client places `--orders` orders in a
//!   row while an independent consumer polls the topic every millisecond (tansu answers an
//!   empty long-poll fetch only at its deadline). A record's lag is the
//!   time from its sequencer timestamp to the moment the consumer read it: the sequencer
//!   stamps a batch before making it durable, so this counts the commit's fsync too and is
//!   an upper bound of "durable to readable".
//!
//! Exit codes: 0 ok; 2 when tansu is missing or a step fails.

use benches::durable::{submissions, submit_accepted};
use benches::workload;
use clap::{Parser, ValueEnum};
use exchange_core::log::SledLog;
use exchange_core::{Journal, JournalConfig};
use exchange_server::kafka::tansu::{Storage, Tansu};
use exchange_server::kafka::{KafkaConfig, TOPIC_DEFAULT};
use exchange_server::server::{self, BootstrapSource, ServeConfig};
use rskafka::client::partition::{PartitionClient, UnknownTopicHandling};
use rskafka::client::ClientBuilder;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The Kafka exporter's throughput and end-to-end lag against a local tansu broker.
#[derive(Parser, Debug)]
#[command(name = "kafka")]
struct Args {
    /// Records in the log exported for the throughput figure.
    #[arg(long, default_value_t = 100_000)]
    records: u64,
    /// Orders placed for the lag figure.
    #[arg(long, default_value_t = 2_000)]
    orders: u64,
    /// Where the broker stores the topic.
    #[arg(long, value_enum, default_value_t = StorageKind::Sqlite)]
    storage: StorageKind,
}

/// The broker's storage engine.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum StorageKind {
    /// A SQLite file (durable across broker restarts).
    Sqlite,
    /// Memory.
    Memory,
}

/// How often the lag reader looks for new records.
const POLL: Duration = Duration::from_millis(1);

/// The longest one phase may take before the benchmark gives up.
const PHASE_MAX: Duration = Duration::from_secs(600);

/// The demo's market makers, who trade with each other in the lag phase.
const MM1: &str = "d3e0000000000000000000000000000000000000000000000000000000000001";
const MM2: &str = "d3e0000000000000000000000000000000000000000000000000000000000002";

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match runtime.block_on(run(&args)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kafka: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: &Args) -> Result<String, Failure> {
    let dir = tempfile::tempdir()?;
    let (records, records_per_s) = throughput(args, &dir.path().join("throughput")).await?;
    let lags_ms = lag(args, &dir.path().join("lag")).await?;
    let percentile = |p: f64| {
        let index = ((lags_ms.len() - 1) as f64 * p).round() as usize;
        lags_ms[index]
    };
    let storage = format!("{:?}", args.storage).to_lowercase();
    Ok(format!(
        "kafka records_per_s={records_per_s:.0} lag_p50_ms={:.2} lag_p99_ms={:.2} records={records} lag_samples={} storage={storage}",
        percentile(0.50),
        percentile(0.99),
        lags_ms.len()
    ))
}

fn storage(kind: StorageKind, dir: &Path) -> Storage {
    match kind {
        StorageKind::Sqlite => Storage::Sqlite(dir.join("kafka")),
        StorageKind::Memory => Storage::Memory,
    }
}

fn kafka_config(tansu: &Tansu) -> KafkaConfig {
    KafkaConfig {
        backoff_max: Duration::from_millis(200),
        ..KafkaConfig::new(vec![tansu.broker()])
    }
}

/// Writes a log of about `args.records` records, then times its export.
async fn throughput(args: &Args, dir: &Path) -> Result<(u64, f64), Failure> {
    eprintln!("kafka: writing a log of {} records", args.records);
    let data = dir.join("data");
    let last = write_log(&data.join("log"), args.records)?;
    let tansu = Tansu::start(storage(args.storage, dir), &dir.join("tansu.log")).await?;
    eprintln!("kafka: exporting {last} records");
    let mut config = ServeConfig::new(data, "127.0.0.1:0".parse()?);
    config.bootstrap = BootstrapSource::Empty;
    config.kafka = Some(kafka_config(&tansu));
    let started = Instant::now();
    let running = server::start(config).await?;
    let topic = Topic::open(&tansu.broker()).await?;
    let mut offset = 0;
    let mut seen = 0;
    while seen < last {
        if started.elapsed() > PHASE_MAX {
            return Err(format!("the export stopped at {seen} of {last}").into());
        }
        let records = topic.read(&mut offset).await?;
        if records.is_empty() {
            tokio::time::sleep(POLL).await;
        }
        for (seq, _) in records {
            seen = seen.max(seq);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    running.stop().await;
    Ok((last, last as f64 / seconds))
}

/// Writes W1's first commands to a new log until it holds `records` records.
fn write_log(dir: &Path, records: u64) -> Result<u64, Failure> {
    let workload = workload::w1(42);
    let (setup, mut commands) = submissions(&workload, 1);
    let config = JournalConfig::default();
    let (mut journal, _) = Journal::open(SledLog::open(dir)?, config)?;
    submit_accepted(&mut journal, &setup)?;
    while journal.last_seq() < records {
        let batch: Vec<_> = commands.by_ref().take(1_000).collect();
        if batch.is_empty() {
            break;
        }
        submit_accepted(&mut journal, &batch)?;
    }
    Ok(journal.last_seq())
}

/// Places orders one after another and measures each record's lag to the topic.
async fn lag(args: &Args, dir: &Path) -> Result<Vec<f64>, Failure> {
    let tansu = Tansu::start(storage(args.storage, dir), &dir.join("tansu.log")).await?;
    let mut config = ServeConfig::new(dir.join("data"), "127.0.0.1:0".parse()?);
    config.bootstrap = BootstrapSource::Demo;
    config.kafka = Some(kafka_config(&tansu));
    let running = server::start(config).await?;
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();
    let topic = Topic::open(&tansu.broker()).await?;
    let (stop_at, mut stop) = tokio::sync::watch::channel(None::<u64>);
    eprintln!("kafka: placing {} orders", args.orders);
    let reader = tokio::spawn(async move {
        let mut lags_ms: BTreeMap<u64, f64> = BTreeMap::new();
        let mut offset = 0;
        loop {
            let records = topic.read(&mut offset).await?;
            if records.is_empty() {
                // tansu holds a fetch that finds nothing for its whole wait, even when
                // records arrive meanwhile: poll instead of waiting on the broker.
                tokio::time::sleep(POLL).await;
                continue;
            }
            let now_ns = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos() as f64;
            for (seq, timestamp_ns) in records {
                lags_ms.insert(seq, (now_ns - timestamp_ns as f64) / 1e6);
            }
            let last = lags_ms.keys().next_back().copied();
            if let (Some(stop), Some(last)) = (*stop.borrow_and_update(), last) {
                if last >= stop {
                    return Ok::<_, Failure>(lags_ms);
                }
            }
        }
    });
    let sides = [(MM1, "sell"), (MM2, "buy"), (MM2, "sell"), (MM1, "buy")];
    let mut seqs = Vec::new();
    for (token, side) in sides.iter().cycle().take(usize::try_from(args.orders)?) {
        let body = json!({"ticker":"MNAD","side":side,"type":"limit","price":10,"quantity":1});
        let response = http
            .post(format!("{base}/api/v1/orders"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        let answer: Value = response.json().await?;
        seqs.push(
            answer["seq"]
                .as_u64()
                .ok_or_else(|| format!("an order was refused: {answer}"))?,
        );
    }
    stop_at.send_replace(Some(health_seq(&http, &base).await?));
    let read_at = tokio::time::timeout(PHASE_MAX, reader).await???;
    running.stop().await;
    let mut lags: Vec<f64> = seqs
        .iter()
        .filter_map(|seq| read_at.get(seq).copied())
        .collect();
    if lags.len() != seqs.len() {
        return Err(format!(
            "{} of {} orders never reached the topic",
            seqs.len() - lags.len(),
            seqs.len()
        )
        .into());
    }
    lags.sort_by(f64::total_cmp);
    Ok(lags)
}

async fn health_seq(http: &reqwest::Client, base: &str) -> Result<u64, Failure> {
    let health: Value = http
        .get(format!("{base}/health"))
        .send()
        .await?
        .json()
        .await?;
    Ok(health["seq"].as_u64().ok_or("no seq in /health")?)
}

/// An independent reader of the exporter's topic.
struct Topic {
    partition: PartitionClient,
}

impl Topic {
    async fn open(broker: &str) -> Result<Topic, Failure> {
        let client = ClientBuilder::new(vec![broker.to_owned()]).build().await?;
        let partition = client
            .partition_client(TOPIC_DEFAULT, 0, UnknownTopicHandling::Retry)
            .await?;
        Ok(Topic { partition })
    }

    /// The records from `offset` on, without waiting, as (seq, timestamp_ns); moves
    /// `offset` past them.
    async fn read(&self, offset: &mut i64) -> Result<Vec<(u64, u64)>, Failure> {
        let (records, _) = self
            .partition
            .fetch_records(*offset, 1..8_000_000, 0)
            .await?;
        let mut read = Vec::with_capacity(records.len());
        for record in records {
            *offset = record.offset + 1;
            let value: Value = serde_json::from_slice(&record.record.value.unwrap_or_default())?;
            let seq = value["seq"].as_u64().ok_or("a record without seq")?;
            let timestamp_ns = value["timestamp_ns"]
                .as_u64()
                .ok_or("a record without timestamp")?;
            read.push((seq, timestamp_ns));
        }
        Ok(read)
    }
}
