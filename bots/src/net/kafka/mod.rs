//! Transfers from Kafka: an orchestrator can learn of the payments it receives from the
//! exchange's event topic (`exchange serve --kafka-brokers`, docs/kafka.md) instead of its
//! WebSocket account stream, with `--kafka-brokers` (and `--kafka-topic`, `--kafka-group`).
//!
//! Delivery is at least once, so the runner guards against repeats:
//! - the payments up to the record of its first read of the account are already in the
//!   balance its strategy starts from (an orchestrator liquidates and funds traders from
//!   it), so only later ones count;
//! - later ones are taken once each, by sequence number (the topic is in log order);
//! - a payment reaches the strategy as [`Input::TransferReceived`] once the view shows its
//!   record (its credits are in the portfolio), and the group's offset is committed past it
//!   only after the strategy has acted on it. A restart reads from the committed offset
//!   and skips, by the first rule, what it had acted on but not committed.
//!
//! The WebSocket's transfer messages then report nothing (the view still applies their
//! balances), so no payment is reported twice.

mod feed;
mod group;

pub use feed::{KafkaTransfer, TransferFeed};
pub use group::GroupClient;

use super::error::NetError;
use super::runner::Runner;
use crate::strategy::Input;
use clap::Args;
use exchange_server::kafka::topic::KafkaError;
use exchange_server::kafka::{Brokers, TOPIC_DEFAULT};

/// The consumer group an orchestrator commits its offsets in when none is named.
pub const GROUP_DEFAULT: &str = "orchestrator";

/// Where a bot reads its transfers from Kafka. Every option can also be set by its
/// environment variable.
#[derive(Clone, Debug, Args)]
pub struct KafkaArgs {
    /// Read the payments received from the exchange's Kafka topic (these bootstrap brokers)
    /// instead of the WebSocket account stream.
    #[arg(
        long = "kafka-brokers",
        value_name = "HOST:PORT[,...]",
        env = "BOT_KAFKA_BROKERS"
    )]
    pub brokers: Option<Brokers>,
    /// The topic the exchange exports to.
    #[arg(long = "kafka-topic", value_name = "TOPIC", env = "BOT_KAFKA_TOPIC", default_value = TOPIC_DEFAULT)]
    pub topic: String,
    /// The consumer group whose committed offsets it resumes from.
    #[arg(long = "kafka-group", value_name = "GROUP", env = "BOT_KAFKA_GROUP", default_value = GROUP_DEFAULT)]
    pub group: String,
}

impl KafkaArgs {
    /// The source these arguments describe, if brokers were given.
    pub fn source(&self) -> Option<KafkaSource> {
        self.brokers.as_ref().map(|brokers| KafkaSource {
            brokers: brokers.0.clone(),
            topic: self.topic.clone(),
            group: self.group.clone(),
        })
    }
}

/// A topic to read transfers from, and the consumer group to commit in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaSource {
    /// Bootstrap brokers, `HOST:PORT` each.
    pub brokers: Vec<String>,
    /// The exchange's topic.
    pub topic: String,
    /// The consumer group.
    pub group: String,
}

/// Why reading transfers from Kafka failed (it is retried with backoff).
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The topic could not be read.
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    /// The group coordinator could not be reached.
    #[error("kafka group coordinator: {0}")]
    Io(#[from] std::io::Error),
    /// A request or an answer did not make sense.
    #[error("kafka: {0}")]
    Protocol(String),
}

impl From<rskafka::client::error::Error> for FeedError {
    fn from(error: rskafka::client::error::Error) -> Self {
        Self::Kafka(error.into())
    }
}

impl Runner {
    /// Starts reading transfers from Kafka, if configured, once the first read of the
    /// account is applied (its record is the last one already in the balance).
    pub(super) fn start_kafka(&mut self) {
        let (Some(source), Some(account)) = (&self.config.kafka, self.view.portfolio.account)
        else {
            return;
        };
        let after_seq = self.view.cursor.last();
        tracing::info!(bot = %self.config.name, after_seq, "transfers come from Kafka");
        self.kafka = Some(TransferFeed::start(source.clone(), account, after_seq));
    }

    /// A transfer from Kafka: it waits until the view shows its record.
    pub(super) async fn on_kafka_transfer(
        &mut self,
        transfer: KafkaTransfer,
    ) -> Result<(), NetError> {
        if let Some(feed) = &mut self.kafka {
            feed.hold(transfer);
        }
        self.release_transfers().await
    }

    /// Delivers the held transfers the view shows (records delivered, balances applied),
    /// one at a time, and lets the feed commit past each once acted on.
    pub(super) async fn release_transfers(&mut self) -> Result<(), NetError> {
        let through = self.view.cursor.last();
        if !self.inbox.ready(through) {
            return Ok(());
        }
        let ready = match &mut self.kafka {
            Some(feed) => feed.take_through(through),
            None => return Ok(()),
        };
        for transfer in ready {
            let input = Input::TransferReceived {
                from: transfer.from,
                amount: transfer.amount,
            };
            self.deliver(vec![input]).await?;
            if let Some(feed) = &self.kafka {
                feed.acted(&transfer);
            }
        }
        Ok(())
    }
}

/// The next transfer from Kafka; never without a feed.
pub(super) async fn next_transfer(feed: &mut Option<TransferFeed>) -> KafkaTransfer {
    match feed {
        Some(feed) => feed.next().await,
        None => std::future::pending().await,
    }
}
