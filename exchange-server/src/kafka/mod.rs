//! The Kafka exporter: every durable log record published to a Kafka topic, for consumers
//! on other machines (market data, risk, archives, bots), while the exchange itself needs
//! no broker at all. `exchange serve --kafka-brokers HOST:PORT[,...]` turns it on;
//! docs/kafka.md describes the format, the keys, the single partition and the guarantees.
//!
//! - [`format`](mod@format): the JSON of a record on the topic ([`ExportedRecord`]) and its key.
//! - [`exporter`]: the task that publishes, never making the sequencer wait, resuming from
//!   the topic's tail so the topic holds each record exactly once and in order.
//! - [`topic`]: connecting, creating the topic, reading its tail.
//! - [`tansu`]: a local tansu broker as a child process, for tests, benchmarks and local use.
//!
//! The client is rskafka (InfluxData's pure-Rust Kafka client): it produces to and fetches
//! from one partition with explicit offsets, which is all the exporter needs, with no C
//! library to build. Its built-in retries are turned off so that a produce whose answer
//! was lost is never repeated blindly: the exporter re-reads the tail instead.

pub mod config;
pub mod exporter;
pub mod format;
pub mod tansu;
pub mod topic;

pub use config::{Brokers, KafkaConfig, TOPIC_DEFAULT};
pub use exporter::{ExportSource, Exporter};
pub use format::{ExportedRecord, Symbols};
