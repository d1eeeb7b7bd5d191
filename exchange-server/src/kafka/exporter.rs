//! The exporter: a tokio task that publishes every durable log record to the topic, in
//! order, exactly once.
//!
//! It never makes the sequencer wait: the sequencer only replaces a
//! [`watch`] value (the last durable sequence number), and the exporter reads the records
//! themselves from the log through a [`SledReader`], never past that number. Each session:
//!
//! 1. connects and opens the topic's partition (creating the topic if it is missing);
//! 2. reads the tail: the last record on the topic says which sequence number was
//!    published last (none: start from 1). A tail beyond the durable log, or one whose
//!    timestamp differs from the log's record of the same number, means the topic belongs
//!    to another log: the exporter refuses to write (and says so) rather than mix them;
//! 3. publishes the next records, at most [`KafkaConfig::batch_records_max`] and about
//!    [`BATCH_BYTES_MAX`] per produce request, one request at a time, until stopped.
//!
//! Any failure ends the session; the next one starts after a backoff (doubling up to
//! [`KafkaConfig::backoff_max`]) and reads the tail again, so a produce whose answer was
//! lost is never written twice. Progress and lag are in `/metrics`.

use super::config::{KafkaConfig, BATCH_RECORDS_LIMIT};
use super::format::{encode, Symbols};
use super::topic::{self, KafkaError};
use crate::server::metrics::Metrics;
use exchange_core::log::{LogError, Record, Seq, SledReader};
use rskafka::chrono::DateTime;
use rskafka::client::partition::{Compression, PartitionClient};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// A produce request is closed once its values reach this many bytes (Kafka's default
/// message limit is 1 MiB per batch).
pub const BATCH_BYTES_MAX: usize = 512 * 1024;

/// The client id the exporter gives the brokers.
pub const CLIENT_ID: &str = "exchange-exporter";

/// What the exporter reads: the log, how far it is durable, and the tickers listed so far.
pub struct ExportSource {
    /// The log's records.
    pub reader: SledReader,
    /// The last durable record's sequence number, from the sequencer.
    pub durable: watch::Receiver<Seq>,
    /// The symbols of the tickers listed up to the durable record at start.
    pub symbols: Symbols,
}

/// The running exporter.
pub struct Exporter {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    drain_timeout: Duration,
}

impl Exporter {
    /// Starts exporting as a task of the current tokio runtime.
    pub fn start(config: KafkaConfig, source: ExportSource, metrics: Arc<Metrics>) -> Self {
        let (stop, stopping) = watch::channel(false);
        let drain_timeout = config.drain_timeout;
        let worker = Worker {
            delay: config.backoff_initial,
            config,
            reader: source.reader,
            durable: source.durable,
            durable_closed: false,
            symbols: source.symbols,
            metrics,
            stopping,
            stop_requested: false,
            exported: 0,
        };
        Self {
            stop,
            task: tokio::spawn(worker.run()),
            drain_timeout,
        }
    }

    /// Publishes what is durable (waiting at most [`KafkaConfig::drain_timeout`]), then
    /// stops. What it could not publish is published by the next run.
    pub async fn stop(mut self) {
        self.stop.send_replace(true);
        if tokio::time::timeout(self.drain_timeout, &mut self.task)
            .await
            .is_err()
        {
            tracing::warn!("the Kafka exporter did not catch up before stopping");
            self.task.abort();
            let _ = self.task.await;
        }
    }
}

/// Why a session ended.
#[derive(Debug, thiserror::Error)]
enum ExportError {
    #[error(transparent)]
    Kafka(#[from] KafkaError),
    #[error("reading the log: {0}")]
    Log(#[from] LogError),
}

/// The exporter task's state.
struct Worker {
    config: KafkaConfig,
    reader: SledReader,
    durable: watch::Receiver<Seq>,
    /// The sequencer has stopped: no record will become durable any more.
    durable_closed: bool,
    symbols: Symbols,
    metrics: Arc<Metrics>,
    stopping: watch::Receiver<bool>,
    stop_requested: bool,
    /// The last sequence number the topic is known to hold.
    exported: Seq,
    /// The wait after the next failure.
    delay: Duration,
}

impl Worker {
    async fn run(mut self) {
        loop {
            match self.session().await {
                Ok(()) => {
                    tracing::info!(exported = self.exported, "the Kafka exporter stopped");
                    return;
                }
                Err(error) => {
                    self.metrics.kafka_errors.inc();
                    let retry_in = self.delay;
                    tracing::warn!(%error, ?retry_in, "Kafka export failed; retrying");
                    self.pause(retry_in).await;
                    self.delay = (self.delay * 2).min(self.config.backoff_max);
                }
            }
        }
    }

    /// Connects, reads the tail, and publishes until stopped and caught up.
    async fn session(&mut self) -> Result<(), ExportError> {
        let limit = self.config.request_timeout;
        let client = topic::connect(&self.config.brokers, CLIENT_ID, limit).await?;
        let partition = topic::partition(&client, &self.config).await?;
        self.exported = self.resume_point(&partition).await?;
        tracing::info!(
            topic = self.config.topic,
            exported = self.exported,
            "the Kafka exporter resumes"
        );
        loop {
            let durable = self.durable_seq();
            self.show_progress(durable);
            if durable > self.exported {
                self.export_batch(&partition, durable).await?;
                self.delay = self.config.backoff_initial;
            } else if self.stop_requested || self.durable_closed {
                return Ok(());
            } else {
                self.wait_for_change().await;
            }
        }
    }

    /// The last sequence number the topic holds, checked against the log.
    async fn resume_point(&mut self, partition: &PartitionClient) -> Result<Seq, ExportError> {
        let Some(last) = topic::tail(partition, self.config.request_timeout).await? else {
            return Ok(0);
        };
        let seq = last.seq();
        let durable = self.durable_seq();
        let refuse = |message: String| {
            ExportError::Kafka(KafkaError::Topic {
                topic: self.config.topic.clone(),
                message,
            })
        };
        if seq > durable {
            return Err(refuse(format!(
                "it holds record {seq} but this log's durable records end at {durable}: \
                 it belongs to another exchange"
            )));
        }
        let records = self.read(seq, seq).await?;
        let ours = records.first().map(|record| record.timestamp_ns);
        if ours != Some(last.timestamp_ns()) {
            return Err(refuse(format!(
                "its record {seq} is not this log's record {seq}: it belongs to another exchange"
            )));
        }
        Ok(seq)
    }

    /// Publishes the records after the last exported one, up to `durable` and the batch
    /// limits.
    async fn export_batch(
        &mut self,
        partition: &PartitionClient,
        durable: Seq,
    ) -> Result<(), ExportError> {
        let records = self.read(self.exported + 1, durable).await?;
        let mut batch = Vec::with_capacity(records.len());
        let mut bytes = 0;
        let mut last = self.exported;
        for record in &records {
            assert_eq!(record.seq, last + 1, "the log has no gaps");
            let encoded = encode(record, &mut self.symbols);
            bytes += encoded.key.len() + encoded.value.len();
            batch.push(rskafka::record::Record {
                key: Some(encoded.key.into_bytes()),
                value: Some(encoded.value),
                headers: BTreeMap::new(),
                timestamp: DateTime::from_timestamp_nanos(
                    i64::try_from(record.timestamp_ns).unwrap_or(i64::MAX),
                ),
            });
            last = record.seq;
            if bytes >= BATCH_BYTES_MAX {
                break;
            }
        }
        let count = batch.len();
        assert!(count > 0, "a durable record follows the last exported one");
        let produce = partition.produce(batch, Compression::NoCompression);
        let offsets = topic::timed("producing", self.config.request_timeout, produce).await?;
        assert_eq!(offsets.len(), count, "one offset per record produced");
        self.exported = last;
        self.metrics.kafka_exported_records.inc_by(count as u64);
        self.show_progress(self.durable_seq());
        Ok(())
    }

    /// Reads records `from..=to` (at most a batch) off the async threads.
    async fn read(&self, from: Seq, to: Seq) -> Result<Vec<Record>, ExportError> {
        let reader = self.reader.clone();
        let batch = self.config.batch_records_max.clamp(1, BATCH_RECORDS_LIMIT);
        let read = tokio::task::spawn_blocking(move || {
            reader
                .read_from(from)
                .take_while(|record| record.as_ref().map_or(true, |r| r.seq <= to))
                .take(batch)
                .collect::<Result<Vec<Record>, LogError>>()
        });
        let records = read
            .await
            .map_err(|error| LogError::Storage(error.to_string().into()))??;
        Ok(records)
    }

    fn durable_seq(&self) -> Seq {
        *self.durable.borrow()
    }

    /// Publishes the exported sequence number and the lag behind `durable` to the metrics.
    fn show_progress(&self, durable: Seq) {
        let gauge = |seq: Seq| i64::try_from(seq).unwrap_or(i64::MAX);
        self.metrics.kafka_exported_seq.set(gauge(self.exported));
        self.metrics
            .kafka_lag_records
            .set(gauge(durable.saturating_sub(self.exported)));
    }

    /// Waits until a record becomes durable or a stop is asked for.
    async fn wait_for_change(&mut self) {
        tokio::select! {
            changed = self.durable.changed(), if !self.durable_closed => {
                self.durable_closed = changed.is_err();
            }
            changed = self.stopping.changed(), if !self.stop_requested => {
                self.stop_requested = changed.is_err() || *self.stopping.borrow();
            }
        }
    }

    /// Waits `duration` before the next attempt, keeping the lag in the metrics current.
    async fn pause(&mut self, duration: Duration) {
        let until = Instant::now() + duration;
        self.show_progress(self.durable_seq());
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(until) => return,
                changed = self.durable.changed(), if !self.durable_closed => {
                    self.durable_closed = changed.is_err();
                    self.show_progress(self.durable_seq());
                }
                changed = self.stopping.changed(), if !self.stop_requested => {
                    self.stop_requested = changed.is_err() || *self.stopping.borrow();
                }
            }
        }
    }
}
