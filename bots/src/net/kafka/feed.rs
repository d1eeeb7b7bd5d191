//! [`TransferFeed`]: the transfers to one account, read from the exchange's topic by a task
//! of their own, deduplicated by sequence number, with the group's offset committed only
//! past transfers the runner has acted on.

use super::group::GroupClient;
use super::{FeedError, KafkaSource};
use exchange_core::AccountId;
use exchange_server::kafka::topic::{self, timed, PARTITION};
use exchange_server::kafka::ExportedRecord;
use exchange_server::wire::{WireEvent, WireTransferReason};
use rskafka::client::partition::{OffsetAt, PartitionClient, UnknownTopicHandling};
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long a fetch waits for new records on the broker (and so how often the task looks
/// at what the runner has acted on).
pub const FETCH_WAIT_MS: i32 = 200;

/// How long one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Transfers read but not yet taken by the runner, beyond which the reader waits.
pub const QUEUE_MAX: usize = 1_024;

/// The longest wait between two attempts to reach the broker.
pub const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// A payment to the account, as the topic has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KafkaTransfer {
    /// The record that made it.
    pub seq: u64,
    /// The record's offset on the topic.
    pub offset: i64,
    /// The payer.
    pub from: AccountId,
    /// The credits paid.
    pub amount: u64,
}

/// The transfers to one account, from the topic.
pub struct TransferFeed {
    transfers: mpsc::Receiver<KafkaTransfer>,
    acted: mpsc::UnboundedSender<i64>,
    pending: VecDeque<KafkaTransfer>,
    task: JoinHandle<()>,
}

impl TransferFeed {
    /// Starts reading the payments to `account` made after record `after_seq` (those up to
    /// it are already in the balance the runner read), from the group's committed offset
    /// (or the topic's start).
    pub fn start(source: KafkaSource, account: AccountId, after_seq: u64) -> Self {
        let (sender, transfers) = mpsc::channel(QUEUE_MAX);
        let (acted, acks) = mpsc::unbounded_channel();
        let reader = Reader {
            source,
            account,
            last_seq: after_seq,
            next_offset: None,
            committed: None,
            unacted: BTreeMap::new(),
            sender,
            acks,
        };
        Self {
            transfers,
            acted,
            pending: VecDeque::new(),
            task: tokio::spawn(reader.run()),
        }
    }

    /// The next transfer read; never resolves once the reader has stopped.
    pub async fn next(&mut self) -> KafkaTransfer {
        match self.transfers.recv().await {
            Some(transfer) => transfer,
            None => std::future::pending().await,
        }
    }

    /// Keeps a transfer until the runner's view shows its record.
    pub fn hold(&mut self, transfer: KafkaTransfer) {
        self.pending.push_back(transfer);
    }

    /// The held transfers whose records are at or before `through`, in order.
    pub fn take_through(&mut self, through: u64) -> Vec<KafkaTransfer> {
        let ready = self.pending.iter().take_while(|t| t.seq <= through).count();
        self.pending.drain(..ready).collect()
    }

    /// The runner has acted on `transfer`: its offset may be committed.
    pub fn acted(&self, transfer: &KafkaTransfer) {
        // The reader is gone only when the feed is being dropped.
        let _ = self.acted.send(transfer.offset);
    }
}

impl Drop for TransferFeed {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The reading task's state; it outlives reconnections.
struct Reader {
    source: KafkaSource,
    account: AccountId,
    /// The last record looked at: later ones only (deduplication by sequence number).
    last_seq: u64,
    /// The next offset to fetch, once known.
    next_offset: Option<i64>,
    /// The offset last committed.
    committed: Option<i64>,
    /// Offsets of records whose transfers the runner has not acted on, with how many.
    unacted: BTreeMap<i64, usize>,
    sender: mpsc::Sender<KafkaTransfer>,
    acks: mpsc::UnboundedReceiver<i64>,
}

impl Reader {
    async fn run(mut self) {
        let mut delay = Duration::from_millis(100);
        while !self.sender.is_closed() {
            match self.session().await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?delay, "Kafka transfer feed failed; retrying");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(BACKOFF_MAX);
                }
            }
        }
    }

    /// Connects and reads until the runner goes away.
    async fn session(&mut self) -> Result<(), FeedError> {
        let source = self.source.clone();
        let client =
            topic::connect(&source.brokers, "exchange-orchestrator", REQUEST_TIMEOUT).await?;
        let opening =
            client.partition_client(source.topic.clone(), PARTITION, UnknownTopicHandling::Error);
        let partition = timed("opening the partition", REQUEST_TIMEOUT, opening).await?;
        let mut group =
            GroupClient::connect(&source.brokers, &source.group, REQUEST_TIMEOUT).await?;
        let mut next = match self.next_offset {
            Some(next) => next,
            None => self.starting_offset(&partition, &mut group).await?,
        };
        tracing::info!(
            topic = source.topic,
            group = source.group,
            next,
            "reading transfers from Kafka"
        );
        loop {
            self.commit(&mut group, next).await?;
            let fetch = topic::fetch_from(&partition, next, FETCH_WAIT_MS, REQUEST_TIMEOUT);
            let (records, _) = fetch.await?;
            for record in records {
                if record.offset != next {
                    // The exporter writes every record and nothing compacts the topic, so
                    // its offsets have no holes: a fetch that skips some is retried from
                    // `next` rather than losing a payment.
                    return Err(FeedError::Protocol(format!(
                        "a fetch from offset {next} began at offset {}",
                        record.offset
                    )));
                }
                next = record.offset + 1;
                self.next_offset = Some(next);
                let value = record.record.value.unwrap_or_default();
                let exported = ExportedRecord::parse(&value).map_err(|error| {
                    FeedError::Protocol(format!("record at offset {}: {error}", record.offset))
                })?;
                if !self.read(exported, record.offset).await {
                    return Ok(());
                }
            }
        }
    }

    /// The group's committed offset, or the topic's first.
    async fn starting_offset(
        &mut self,
        partition: &PartitionClient,
        group: &mut GroupClient,
    ) -> Result<i64, FeedError> {
        if let Some(committed) = group.committed(&self.source.topic, PARTITION).await? {
            self.committed = Some(committed);
            return Ok(committed);
        }
        let first = partition.get_offset(OffsetAt::Earliest);
        Ok(timed("reading the first offset", REQUEST_TIMEOUT, first).await?)
    }

    /// Hands over the payments to the account in a record after the last one read;
    /// returns false once the runner is gone.
    async fn read(&mut self, record: ExportedRecord, offset: i64) -> bool {
        let seq = record.seq();
        if seq <= self.last_seq {
            return true; // Already read, or in the balance the runner started from.
        }
        self.last_seq = seq;
        let ExportedRecord::Command { events, .. } = record else {
            return true;
        };
        for event in events {
            let WireEvent::CreditsTransferred {
                from,
                to,
                amount,
                reason: WireTransferReason::Payment,
            } = event
            else {
                continue;
            };
            if to != self.account {
                continue;
            }
            *self.unacted.entry(offset).or_default() += 1;
            let transfer = KafkaTransfer {
                seq,
                offset,
                from,
                amount: amount.0,
            };
            if self.sender.send(transfer).await.is_err() {
                return false;
            }
        }
        true
    }

    /// Commits the offset before the first transfer not acted on (or `next`), if it moved.
    async fn commit(&mut self, group: &mut GroupClient, next: i64) -> Result<(), FeedError> {
        while let Ok(offset) = self.acks.try_recv() {
            if let Some(count) = self.unacted.get_mut(&offset) {
                *count -= 1;
                if *count == 0 {
                    self.unacted.remove(&offset);
                }
            }
        }
        let safe = self.unacted.keys().next().copied().unwrap_or(next);
        if self.committed.is_some_and(|committed| committed >= safe) {
            return Ok(());
        }
        group.commit(&self.source.topic, PARTITION, safe).await?;
        self.committed = Some(safe);
        Ok(())
    }
}
