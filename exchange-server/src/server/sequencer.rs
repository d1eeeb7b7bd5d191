//! The sequencer: the one thread that owns the journaled engine and the history.
//!
//! Handlers send [`Request`]s over a bounded channel. The thread takes whatever is queued
//! (up to [`BATCH_COMMANDS_MAX`]) as one batch and, in this order:
//! 1. runs the batch's reads on the state as the last batch left it, which is durable;
//! 2. stamps each command with the time and submits them to the journal, which decides
//!    and applies each command, appends the accepted ones and makes them durable once;
//! 3. applies the durable records to the history;
//! 4. answers each caller, running the answer it asked for (say, its order as the batch
//!    left it) on the state and history after the batch, so that a command and what it
//!    answers take one trip through the queue;
//! 5. hands the records and the touched accounts' balances to the publisher thread, which
//!    feeds the WebSocket hub.
//!
//! Reads run first so that a read queued behind a slow commit is not held up by it; a
//! caller that reads after its own command was answered sees that command's effects,
//! because its read is taken into a later batch.
//!
//! Nothing is answered or published before it is durable. If the log fails, the journal
//! refuses every later batch: commands are answered [`CommandError::Unavailable`] and reads
//! keep working on the last durable state.

use crate::history::History;
use crate::hub::{Hub, Published};
use crate::server::metrics::Metrics;
use exchange_core::log::{Entry, EventLog, Record, Seq};
use exchange_core::{AccountId, Command, Event, Journal, Outcome, Rejection, State, Submission};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver as StdReceiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, oneshot, watch};

/// At most this many requests are taken into one batch, so one batch's commit latency stays
/// bounded however long the queue is.
pub const BATCH_COMMANDS_MAX: usize = 4096;
/// Batches the publisher may lag behind before the sequencer waits for it.
pub const PUBLISH_QUEUE_MAX: usize = 64;

/// What the sequencer does with a command's durable outcome: the record (or why there is
/// none) and the state and history after the command's batch.
pub type Answer = Box<dyn FnOnce(Result<&Record, CommandError>, ReadSide<'_>) + Send>;

/// What the sequencer is asked to do.
pub enum Request {
    /// Decide, log and apply a command.
    Command {
        /// The command, its actor taken from the authenticated caller.
        command: Command,
        /// What to do with its outcome (typically: send it back to the caller).
        answer: Answer,
    },
    /// Run a read over the durable state, between batches.
    Read(Box<dyn FnOnce(ReadSide<'_>) + Send>),
}

/// What a read sees: the state, the history and the last durable sequence number.
#[derive(Clone, Copy)]
pub struct ReadSide<'a> {
    /// The engine's state after the last durable record.
    pub state: &'a State,
    /// The history after the last durable record.
    pub history: &'a History,
    /// The last durable record's sequence number.
    pub seq: Seq,
}

/// Why a command got no record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The engine refused it; nothing changed.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The log failed earlier; the server accepts no more commands.
    #[error("the event log failed; the exchange accepts no commands until it is restarted")]
    Unavailable,
}

/// The handle handlers use to reach the sequencer.
#[derive(Clone)]
pub struct SequencerHandle {
    sender: mpsc::Sender<Request>,
    failed: Arc<AtomicBool>,
}

/// Why a request could not be queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueError {
    /// The queue is full: the caller should retry shortly.
    Full,
    /// The sequencer has stopped.
    Closed,
}

impl SequencerHandle {
    /// Queues a command and waits for its durable outcome.
    pub async fn execute(
        &self,
        command: Command,
    ) -> Result<Result<Record, CommandError>, QueueError> {
        self.execute_then(command, |record, _| record.clone()).await
    }

    /// Queues a command and waits for `then` of its durable record, run on the sequencer
    /// with the state and history after the command's batch: what a handler would
    /// otherwise read in a second trip through the queue.
    pub async fn execute_then<T: Send + 'static>(
        &self,
        command: Command,
        then: impl FnOnce(&Record, ReadSide<'_>) -> T + Send + 'static,
    ) -> Result<Result<T, CommandError>, QueueError> {
        let (reply, outcome) = oneshot::channel();
        let answer: Answer = Box::new(move |record, side| {
            // The caller may have gone away (timeout, disconnect); nothing to do then.
            let _ = reply.send(record.map(|record| then(record, side)));
        });
        self.enqueue(Request::Command { command, answer })?;
        outcome.await.map_err(|_| QueueError::Closed)
    }

    /// Runs `read` on the sequencer between batches and returns its result. Unlike a
    /// command, a read waits for room in a full queue instead of failing: it changes
    /// nothing, and each waiting handler holds at most one. (A command's own answer is not
    /// a read: it comes with the command, see [`SequencerHandle::execute_then`].)
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(ReadSide<'_>) -> T + Send + 'static,
    ) -> Result<T, QueueError> {
        let (reply, outcome) = oneshot::channel();
        let request = Request::Read(Box::new(move |side| {
            // The caller may have gone away (client disconnected); nothing to do then.
            let _ = reply.send(read(side));
        }));
        self.sender
            .send(request)
            .await
            .map_err(|_| QueueError::Closed)?;
        outcome.await.map_err(|_| QueueError::Closed)
    }

    /// Whether the log has failed.
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    /// Requests waiting in the queue.
    pub fn queued(&self) -> usize {
        self.sender.max_capacity() - self.sender.capacity()
    }

    fn enqueue(&self, request: Request) -> Result<(), QueueError> {
        self.sender.try_send(request).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => QueueError::Full,
            mpsc::error::TrySendError::Closed(_) => QueueError::Closed,
        })
    }
}

/// The running sequencer and publisher threads.
pub struct Sequencer {
    /// How handlers reach it.
    pub handle: SequencerHandle,
    /// The last durable record's sequence number, for readers of the log on other threads
    /// (the Kafka exporter), who must not read past it.
    pub durable: watch::Receiver<Seq>,
    threads: Vec<JoinHandle<()>>,
}

impl Sequencer {
    /// Starts the sequencer thread (owning `journal` and `history`) and the publisher
    /// thread (feeding `hub`), with a request queue of `queue_max`.
    pub fn start<L: EventLog + Send + 'static>(
        journal: Journal<L>,
        history: History,
        hub: Hub,
        metrics: Arc<Metrics>,
        queue_max: usize,
    ) -> std::io::Result<Self> {
        assert!(queue_max > 0, "the request queue needs room");
        let (sender, receiver) = mpsc::channel(queue_max);
        let (publish, published) = std::sync::mpsc::sync_channel(PUBLISH_QUEUE_MAX);
        let failed = Arc::new(AtomicBool::new(false));
        let (durable_sender, durable) = watch::channel(journal.last_seq());
        let worker = Worker {
            durable: durable_sender,
            journal,
            history,
            metrics,
            publish,
            failed: Arc::clone(&failed),
        };
        let sequencer = std::thread::Builder::new()
            .name("sequencer".into())
            .spawn(move || worker.run(receiver))?;
        let publisher = std::thread::Builder::new()
            .name("publisher".into())
            .spawn(move || publish_loop(&hub, &published))?;
        Ok(Self {
            handle: SequencerHandle { sender, failed },
            durable,
            threads: vec![sequencer, publisher],
        })
    }

    /// Waits for both threads to finish, which they do once every handle is dropped.
    pub fn join(self) {
        drop(self.handle);
        for thread in self.threads {
            if thread.join().is_err() {
                tracing::error!("a sequencer thread panicked");
            }
        }
    }
}

/// The publisher thread: hands each durable batch to the hub, in order.
fn publish_loop(hub: &Hub, published: &StdReceiver<Published>) {
    while let Ok(batch) = published.recv() {
        hub.publish(&batch);
    }
}

/// The sequencer thread's state.
struct Worker<L: EventLog> {
    journal: Journal<L>,
    history: History,
    metrics: Arc<Metrics>,
    publish: SyncSender<Published>,
    durable: watch::Sender<Seq>,
    failed: Arc<AtomicBool>,
}

impl<L: EventLog> Worker<L> {
    fn run(mut self, mut receiver: mpsc::Receiver<Request>) {
        let mut requests = Vec::with_capacity(BATCH_COMMANDS_MAX);
        while let Some(first) = receiver.blocking_recv() {
            requests.push(first);
            while requests.len() < BATCH_COMMANDS_MAX {
                match receiver.try_recv() {
                    Ok(request) => requests.push(request),
                    Err(_) => break,
                }
            }
            self.metrics.queue_depth.set(receiver.len() as i64);
            self.batch(&mut requests);
            assert!(requests.is_empty(), "every request of a batch is answered");
        }
        tracing::info!("sequencer stopped: every handle was dropped");
    }

    /// Processes one batch in the documented order.
    fn batch(&mut self, requests: &mut Vec<Request>) {
        let mut submissions = Vec::new();
        let mut answers = Vec::new();
        let mut reads = Vec::new();
        let timestamp_ns = now_ns();
        for request in requests.drain(..) {
            match request {
                Request::Command { command, answer } => {
                    submissions.push(Submission {
                        timestamp_ns,
                        command,
                    });
                    answers.push(answer);
                }
                Request::Read(read) => reads.push(read),
            }
        }
        for read in reads {
            read(self.read_side());
        }
        let records = if submissions.is_empty() {
            Vec::new()
        } else {
            self.commit(&submissions, answers)
        };
        if !records.is_empty() {
            self.publish(records);
        }
    }

    /// Submits the commands, applies their records to the history, answers every caller,
    /// and returns the records.
    fn commit(&mut self, submissions: &[Submission], answers: Vec<Answer>) -> Vec<Record> {
        let started = Instant::now();
        let outcomes = match self.journal.submit(submissions) {
            Ok(outcomes) => outcomes,
            Err(error) => {
                if !self.failed.swap(true, Ordering::Relaxed) {
                    tracing::error!(%error, "the event log failed; refusing further commands");
                }
                for answer in answers {
                    answer(Err(CommandError::Unavailable), self.read_side());
                }
                return Vec::new();
            }
        };
        if let Some(error) = self.journal.take_snapshot_failure() {
            tracing::warn!(%error, "writing a snapshot failed; a restart replays more records");
        }
        self.metrics
            .observe_batch(submissions.len(), started.elapsed());
        self.durable.send_replace(self.journal.last_seq());
        let mut records = Vec::with_capacity(outcomes.len());
        let results: Vec<Result<usize, CommandError>> = outcomes
            .into_iter()
            .map(|outcome| self.apply(outcome, &mut records))
            .collect();
        let side = self.read_side();
        for (result, answer) in results.into_iter().zip(answers) {
            answer(result.map(|at| &records[at]), side);
        }
        records
    }

    /// Counts an outcome; applies an accepted record to the history and keeps it (for its
    /// caller's answer and for publishing), returning where in `records` it is.
    fn apply(
        &mut self,
        outcome: Outcome,
        records: &mut Vec<Record>,
    ) -> Result<usize, CommandError> {
        self.metrics.count_outcome(&outcome);
        let record = outcome?;
        self.history.apply(&record);
        records.push(record);
        Ok(records.len() - 1)
    }

    /// What reads and answers see: the state and history after the last durable batch.
    fn read_side(&self) -> ReadSide<'_> {
        ReadSide {
            state: self.journal.state(),
            history: &self.history,
            seq: self.journal.last_seq(),
        }
    }

    /// Sends the batch's records and its touched accounts' balances to the publisher.
    fn publish(&mut self, records: Vec<Record>) {
        let mut touched: BTreeSet<(AccountId, Seq)> = BTreeSet::new();
        let mut last_touch = rustc_hash::FxHashMap::default();
        for record in &records {
            if let Entry::Command { events, .. } = &record.entry {
                let accounts = events.iter().flat_map(Event::accounts);
                for account in accounts.flatten() {
                    last_touch.insert(account, record.seq);
                }
            }
        }
        touched.extend(last_touch);
        let state = self.journal.state();
        let balances = touched
            .into_iter()
            .filter_map(|(account, seq)| state.account(account).map(|view| (seq, view)))
            .collect();
        if self.publish.send(Published { records, balances }).is_err() {
            tracing::error!("the publisher thread is gone; live data stops");
        }
    }
}

/// Now, in nanoseconds since the Unix epoch. The journal stamps a record no earlier than
/// the one before it, should the clock step back.
fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::HubConfig;
    use crate::test_support::CONFIG;
    use exchange_core::log::MemoryLog;
    use exchange_core::{AccountKind, Action, Credits};

    fn started() -> Sequencer {
        let (journal, _) = Journal::open(MemoryLog::new(), CONFIG).unwrap();
        let hub = Hub::new(journal.state(), journal.last_seq(), HubConfig::default());
        let metrics = Arc::new(Metrics::new());
        Sequencer::start(journal, History::new(), hub, metrics, 16).unwrap()
    }

    fn create_account() -> Command {
        Command::operator(Action::CreateAccount {
            kind: AccountKind::Standard,
        })
    }

    #[tokio::test]
    async fn a_commands_answer_runs_on_the_state_and_history_after_its_record() {
        let sequencer = started();
        let (seq, durable, account, known) = sequencer
            .handle
            .execute_then(create_account(), |record, side| {
                let Entry::Command { events, .. } = &record.entry else {
                    panic!("a command record");
                };
                let Event::AccountCreated { account, .. } = events[0] else {
                    panic!("an account created");
                };
                (
                    record.seq,
                    side.seq,
                    account,
                    side.state.account(account).is_some(),
                )
            })
            .await
            .expect("queued")
            .expect("accepted");
        assert!(durable >= seq, "the answer sees its own record as durable");
        assert!(known, "the answer sees the account its command created");
        let deposit = Command::operator(Action::DepositCredits {
            account,
            amount: Credits(5),
        });
        let balance = sequencer
            .handle
            .execute_then(deposit, move |_, side| {
                side.state
                    .account(account)
                    .map(|view| view.credits_available)
            })
            .await
            .expect("queued")
            .expect("accepted");
        assert_eq!(balance, Some(Credits(5)));
        sequencer.join();
    }

    #[tokio::test]
    async fn a_refused_command_is_answered_with_its_rejection_without_running_its_answer() {
        let sequencer = started();
        let deposit = Command::operator(Action::DepositCredits {
            account: AccountId(99),
            amount: Credits(5),
        });
        let answer = sequencer
            .handle
            .execute_then(deposit, |_, _| panic!("no answer runs for a rejection"))
            .await
            .expect("queued");
        assert_eq!(
            answer,
            Err(CommandError::Rejected(Rejection::UnknownAccount(
                AccountId(99)
            )))
        );
        sequencer.join();
    }
}
