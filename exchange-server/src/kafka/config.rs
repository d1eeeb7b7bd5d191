//! What the exporter is configured with (`exchange serve --kafka-brokers ...`).

use std::time::Duration;

/// The topic the exporter writes when none is named.
pub const TOPIC_DEFAULT: &str = "exchange.events";

/// The most records one produce request may ever carry.
pub const BATCH_RECORDS_LIMIT: usize = 10_000;

/// Where and how the exporter publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaConfig {
    /// Bootstrap brokers, `HOST:PORT` each.
    pub brokers: Vec<String>,
    /// The topic (one partition: see docs/kafka.md).
    pub topic: String,
    /// The replication factor the exporter creates the topic with if it is missing.
    pub replication_factor: i16,
    /// The most records in one produce request (at most [`BATCH_RECORDS_LIMIT`]).
    pub batch_records_max: usize,
    /// The first wait after a failure; doubled after each failure in a row.
    pub backoff_initial: Duration,
    /// The longest wait between two attempts.
    pub backoff_max: Duration,
    /// How long one request to the broker may take before it counts as failed.
    pub request_timeout: Duration,
    /// How long stopping the server waits for the exporter to publish what is durable.
    pub drain_timeout: Duration,
}

impl KafkaConfig {
    /// The defaults, publishing to `brokers`.
    pub fn new(brokers: Vec<String>) -> Self {
        assert!(!brokers.is_empty(), "the exporter needs a broker");
        Self {
            brokers,
            topic: TOPIC_DEFAULT.to_owned(),
            replication_factor: 1,
            batch_records_max: 1_000,
            backoff_initial: Duration::from_millis(100),
            backoff_max: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(5),
        }
    }

    /// Parses `HOST:PORT[,HOST:PORT...]`, refusing an empty list or an entry without a port.
    pub fn parse_brokers(text: &str) -> Result<Vec<String>, String> {
        let brokers: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|broker| !broker.is_empty())
            .map(str::to_owned)
            .collect();
        if brokers.is_empty() {
            return Err("no broker given (expected HOST:PORT[,HOST:PORT...])".to_owned());
        }
        for broker in &brokers {
            let port = broker.rsplit_once(':').map(|(_, port)| port.parse::<u16>());
            if !matches!(port, Some(Ok(_))) {
                return Err(format!("broker `{broker}` is not HOST:PORT"));
            }
        }
        Ok(brokers)
    }
}

/// A list of bootstrap brokers as given on the command line: `HOST:PORT[,HOST:PORT...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brokers(pub Vec<String>);

impl std::str::FromStr for Brokers {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        KafkaConfig::parse_brokers(text).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brokers_are_host_port_pairs() {
        assert_eq!(
            KafkaConfig::parse_brokers("127.0.0.1:9092, kafka-2:9093").unwrap(),
            ["127.0.0.1:9092", "kafka-2:9093"]
        );
        assert!(KafkaConfig::parse_brokers("").is_err());
        assert!(KafkaConfig::parse_brokers("localhost").is_err());
        assert!(KafkaConfig::parse_brokers("localhost:http").is_err());
        let parsed: Brokers = "127.0.0.1:1".parse().unwrap();
        assert_eq!(parsed, Brokers(vec!["127.0.0.1:1".into()]));
    }
}
