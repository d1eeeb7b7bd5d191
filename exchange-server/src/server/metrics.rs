//! Prometheus metrics, served as text at `/metrics`.

use crate::hub::HubStats;
use exchange_core::Outcome;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Mutex;
use std::time::Duration;

/// A command's outcome: `accepted` or its rejection code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    /// `accepted`, or the rejection's stable code.
    pub outcome: &'static str,
}

/// An HTTP response's status class and error code, for errors only.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabel {
    /// The error body's code.
    pub code: &'static str,
}

/// Every metric the server keeps.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// Commands decided, by outcome.
    pub commands: Family<OutcomeLabel, Counter>,
    /// Commands per durable batch.
    pub batch_commands: Histogram,
    /// Seconds from submitting a batch to the journal until it is durable.
    pub commit_seconds: Histogram,
    /// Requests waiting for the sequencer.
    pub queue_depth: Gauge,
    /// HTTP error responses, by code.
    pub http_errors: Family<ErrorLabel, Counter>,
    /// Open connections, HTTP and WebSocket (read when scraped).
    pub connections_open: Gauge,
    /// Connected WebSocket clients (read from the hub when scraped).
    pub ws_clients: Gauge,
    /// WebSocket messages queued to clients.
    pub ws_messages: Gauge,
    /// WebSocket clients disconnected for falling behind.
    pub ws_slow_disconnects: Gauge,
    /// Invalid WebSocket client messages.
    pub ws_invalid_messages: Gauge,
    /// Records the Kafka exporter published.
    pub kafka_exported_records: Counter,
    /// The last sequence number on the Kafka topic.
    pub kafka_exported_seq: Gauge,
    /// Durable records not yet on the Kafka topic.
    pub kafka_lag_records: Gauge,
    /// Failed Kafka export attempts (each retried after a backoff).
    pub kafka_errors: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Creates and registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("exchange");
        let metrics = Self {
            registry: Mutex::new(Registry::default()),
            commands: Family::default(),
            batch_commands: Histogram::new(exponential_buckets(1.0, 2.0, 13)),
            commit_seconds: Histogram::new(exponential_buckets(0.000_1, 2.0, 16)),
            queue_depth: Gauge::default(),
            http_errors: Family::default(),
            connections_open: Gauge::default(),
            ws_clients: Gauge::default(),
            ws_messages: Gauge::default(),
            ws_slow_disconnects: Gauge::default(),
            ws_invalid_messages: Gauge::default(),
            kafka_exported_records: Counter::default(),
            kafka_exported_seq: Gauge::default(),
            kafka_lag_records: Gauge::default(),
            kafka_errors: Counter::default(),
        };
        registry.register(
            "commands",
            "Commands decided, by outcome",
            metrics.commands.clone(),
        );
        registry.register(
            "batch_commands",
            "Commands per durable batch",
            metrics.batch_commands.clone(),
        );
        registry.register(
            "commit_seconds",
            "Seconds from submitting a batch until it is durable",
            metrics.commit_seconds.clone(),
        );
        registry.register(
            "queue_depth",
            "Requests waiting for the sequencer",
            metrics.queue_depth.clone(),
        );
        registry.register(
            "http_errors",
            "HTTP error responses, by code",
            metrics.http_errors.clone(),
        );
        registry.register(
            "connections_open",
            "Open connections, HTTP and WebSocket",
            metrics.connections_open.clone(),
        );
        registry.register(
            "ws_clients",
            "Connected WebSocket clients",
            metrics.ws_clients.clone(),
        );
        registry.register(
            "ws_messages",
            "WebSocket messages queued to clients",
            metrics.ws_messages.clone(),
        );
        registry.register(
            "ws_slow_disconnects",
            "WebSocket clients disconnected for falling behind",
            metrics.ws_slow_disconnects.clone(),
        );
        registry.register(
            "ws_invalid_messages",
            "Invalid WebSocket client messages",
            metrics.ws_invalid_messages.clone(),
        );
        registry.register(
            "kafka_exported_records",
            "Records the Kafka exporter published",
            metrics.kafka_exported_records.clone(),
        );
        registry.register(
            "kafka_exported_seq",
            "The last sequence number on the Kafka topic",
            metrics.kafka_exported_seq.clone(),
        );
        registry.register(
            "kafka_lag_records",
            "Durable records not yet on the Kafka topic",
            metrics.kafka_lag_records.clone(),
        );
        registry.register(
            "kafka_errors",
            "Failed Kafka export attempts, each retried after a backoff",
            metrics.kafka_errors.clone(),
        );
        *metrics
            .registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = registry;
        metrics
    }

    /// Records one durable batch.
    pub fn observe_batch(&self, commands: usize, commit: Duration) {
        self.batch_commands.observe(commands as f64);
        self.commit_seconds.observe(commit.as_secs_f64());
    }

    /// Counts one command's outcome.
    pub fn count_outcome(&self, outcome: &Outcome) {
        let outcome = match outcome {
            Ok(_) => "accepted",
            Err(rejection) => rejection.code(),
        };
        self.commands.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    /// Counts one HTTP error response.
    pub fn count_error(&self, code: &'static str) {
        self.http_errors.get_or_create(&ErrorLabel { code }).inc();
    }

    /// The Prometheus text exposition, with the hub's figures as of now.
    pub fn render(&self, hub: HubStats) -> String {
        self.ws_clients
            .set(i64::try_from(hub.clients).unwrap_or(i64::MAX));
        self.ws_messages
            .set(i64::try_from(hub.messages_sent).unwrap_or(i64::MAX));
        self.ws_slow_disconnects
            .set(i64::try_from(hub.slow_disconnects).unwrap_or(i64::MAX));
        self.ws_invalid_messages
            .set(i64::try_from(hub.invalid_messages).unwrap_or(i64::MAX));
        let mut text = String::new();
        let registry = self
            .registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &registry);
        text
    }
}
