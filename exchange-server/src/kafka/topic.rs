//! The topic as the exporter sees it: a connection, the partition it writes (creating the
//! topic when missing), and the last record it holds.

use super::config::KafkaConfig;
use super::format::ExportedRecord;
use rskafka::client::error::{Error as ClientError, ProtocolError};
use rskafka::client::partition::{OffsetAt, PartitionClient, UnknownTopicHandling};
use rskafka::client::{Client, ClientBuilder};
use rskafka::record::RecordAndOffset;
use rskafka::BackoffConfig;
use std::future::Future;
use std::time::Duration;

/// The one partition the exporter writes.
pub const PARTITION: i32 = 0;

/// Bytes one fetch of the tail may return (a batch holds at most this much).
pub const FETCH_BYTES_MAX: i32 = 4 * 1024 * 1024;

/// Why talking to Kafka failed. Every one of these is retried with backoff.
#[derive(Debug, thiserror::Error)]
pub enum KafkaError {
    /// The client or the broker reported an error.
    #[error("kafka: {0}")]
    Client(#[from] ClientError),
    /// A request got no answer in time.
    #[error("kafka: {0} timed out")]
    Timeout(&'static str),
    /// The topic holds something the exporter did not write, or does not fit this log.
    #[error("topic {topic}: {message}")]
    Topic {
        /// The topic.
        topic: String,
        /// What is wrong.
        message: String,
    },
}

/// Runs `request`, failing with [`KafkaError::Timeout`] after `limit`.
pub async fn timed<T, E: Into<KafkaError>>(
    what: &'static str,
    limit: Duration,
    request: impl Future<Output = Result<T, E>>,
) -> Result<T, KafkaError> {
    match tokio::time::timeout(limit, request).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(KafkaError::Timeout(what)),
    }
}

/// A client of `brokers` that tries each request once: retrying a produce whose answer was
/// lost could write it twice, so every failure goes back to the caller, who re-reads the
/// tail before writing again.
pub async fn connect(
    brokers: &[String],
    client_id: &str,
    limit: Duration,
) -> Result<Client, KafkaError> {
    let once = BackoffConfig {
        init_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(1),
        base: 2.0,
        deadline: Some(Duration::ZERO),
    };
    let builder = ClientBuilder::new(brokers.to_vec())
        .client_id(client_id.to_owned())
        .backoff_config(once);
    timed("connecting", limit, builder.build()).await
}

/// The partition the exporter writes, creating the topic (one partition) if it is missing.
pub async fn partition(
    client: &Client,
    config: &KafkaConfig,
) -> Result<PartitionClient, KafkaError> {
    let limit = config.request_timeout;
    let topic = config.topic.clone();
    let existing = client.partition_client(topic.clone(), PARTITION, UnknownTopicHandling::Error);
    match timed("opening the partition", limit, existing).await {
        Ok(partition) => return Ok(partition),
        Err(KafkaError::Client(ClientError::ServerError {
            protocol_error: ProtocolError::UnknownTopicOrPartition,
            ..
        })) => {}
        Err(error) => return Err(error),
    }
    tracing::info!(topic, "creating the topic");
    let controller = client.controller_client()?;
    let timeout_ms = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX);
    let created = controller.create_topic(topic.clone(), 1, config.replication_factor, timeout_ms);
    match timed("creating the topic", limit, created).await {
        Ok(()) => {}
        Err(KafkaError::Client(ClientError::ServerError {
            protocol_error: ProtocolError::TopicAlreadyExists,
            ..
        })) => {}
        Err(error) => return Err(error),
    }
    let created = client.partition_client(topic, PARTITION, UnknownTopicHandling::Retry);
    timed("opening the partition", limit, created).await
}

/// How far [`fetch_from`] steps back at most to find the batch that holds its offset.
pub const REWIND_MAX: i64 = 65_536;

/// The records at and after `offset` (and the high watermark), as a consumer expects them.
/// A fetch from the middle of a record batch should return that whole batch; tansu 0.6 was
/// seen to answer with the batches after it instead, silently skipping records. So when the
/// answer does not start at `offset` although the topic holds it, this asks again from
/// earlier offsets (doubling the step back, up to [`REWIND_MAX`]) and drops the records
/// before `offset`. The caller must still check that the first record is at `offset`.
pub async fn fetch_from(
    partition: &PartitionClient,
    offset: i64,
    max_wait_ms: i32,
    limit: Duration,
) -> Result<(Vec<RecordAndOffset>, i64), KafkaError> {
    let mut back = 0;
    loop {
        let from = offset.saturating_sub(back).max(0);
        let fetch = partition.fetch_records(from, 1..FETCH_BYTES_MAX, max_wait_ms);
        let (records, high_watermark) = timed("fetching", limit, fetch).await?;
        let records: Vec<RecordAndOffset> = records
            .into_iter()
            .filter(|record| record.offset >= offset)
            .collect();
        let complete = match records.first() {
            Some(first) => first.offset == offset,
            None => high_watermark <= offset,
        };
        if complete || from == 0 || back >= REWIND_MAX {
            return Ok((records, high_watermark));
        }
        back = (back * 2).max(1);
    }
}

/// The last record on the partition, or `None` when it holds none.
pub async fn tail(
    partition: &PartitionClient,
    limit: Duration,
) -> Result<Option<ExportedRecord>, KafkaError> {
    let end = timed(
        "reading the end offset",
        limit,
        partition.get_offset(OffsetAt::Latest),
    )
    .await?;
    if end == 0 {
        return Ok(None);
    }
    let last = end - 1;
    let (records, _) = fetch_from(partition, last, 0, limit).await?;
    let topic = || partition.topic().to_owned();
    let record = records
        .into_iter()
        .find(|record| record.offset == last)
        .ok_or_else(|| KafkaError::Topic {
            topic: topic(),
            message: format!("its last record (offset {last}) cannot be read"),
        })?;
    let value = record.record.value.unwrap_or_default();
    ExportedRecord::parse(&value)
        .map(Some)
        .map_err(|error| KafkaError::Topic {
            topic: topic(),
            message: format!("its last record (offset {last}) is not an exported record: {error}"),
        })
}
