//! Durable throughput: a workload through the journaled engine, one group commit per batch.
//!
//! The driver is closed-loop and single-threaded: it submits a batch, waits for the journal
//! to make it durable and answer, then submits the next. Every command of a batch is taken
//! to arrive when the batch starts to be submitted, so a command's *ack latency* is the
//! time from the start of its batch's [`Journal::submit`] to that call's return, and every
//! command of a batch has the same one. (An open-loop server would add the time a command
//! waits for the batch to fill and for the previous one to finish.)

use std::fmt;
use std::time::{Duration, Instant};

use exchange_core::log::{EventLog, Seq};
use exchange_core::{Journal, JournalConfig, JournalError, Outcome, StateHash, Submission};

use super::timed_log::TimedLog;
use super::{filled_volume, seconds};

/// One batch size's figures. Its `Display` is the `key=value` part of its output line.
#[derive(Clone, Debug)]
pub struct Throughput {
    /// Commands per batch, so per sync (the last batch may be shorter).
    pub batch: usize,
    /// Workload commands submitted, all accepted and acknowledged (setup excluded).
    pub commands: u64,
    /// Batches submitted, each made durable with one sync.
    pub batches: u64,
    /// From the first batch's submission to the last one's acknowledgement.
    pub elapsed: Duration,
    /// Median ack latency over commands.
    pub ack_p50: Duration,
    /// 99th percentile of the ack latency over commands.
    pub ack_p99: Duration,
    /// Of `elapsed`, time spent in the log's `append` (encoding and inserting records).
    pub append: Duration,
    /// Of `elapsed`, time spent in the log's `sync` (flushing and fsyncing).
    pub sync: Duration,
    /// The last record's sequence number: setup, commands and checkpoints.
    pub last_seq: Seq,
    /// Shares traded on all tickers, setup included (none are).
    pub filled_volume: u64,
    /// The journal's state hash at the end.
    pub state_hash: StateHash,
}

impl Throughput {
    /// Commands acknowledged per second of `elapsed`.
    pub fn cmds_per_s(&self) -> f64 {
        self.commands as f64 / self.elapsed.as_secs_f64()
    }
}

impl fmt::Display for Throughput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let engine = self.elapsed.saturating_sub(self.append + self.sync);
        write!(
            f,
            "batch={} commands={} seconds={:.3} cmds_per_s={:.0} ack_p50_ms={:.3} \
             ack_p99_ms={:.3} append_s={:.3} sync_s={:.3} engine_s={:.3} syncs={}",
            self.batch,
            self.commands,
            seconds(self.elapsed),
            self.cmds_per_s(),
            millis(self.ack_p50),
            millis(self.ack_p99),
            seconds(self.append),
            seconds(self.sync),
            seconds(engine),
            self.batches,
        )
    }
}

/// Runs `setup` (one batch, untimed) then `commands` in batches of `batch` through a
/// journal on the empty `log`, without snapshots and with default checkpoints, timing the
/// commands.
///
/// # Panics
/// If the log is not empty, `batch` is 0, `commands` is empty, or a command is rejected
/// (every workload command must be accepted, or the stream is not the workload).
pub fn throughput<L: EventLog>(
    log: L,
    setup: &[Submission],
    commands: &[Submission],
    batch: usize,
) -> Result<Throughput, JournalError> {
    assert!(batch >= 1, "a batch holds at least one command");
    assert!(!commands.is_empty(), "a measurement needs commands");
    let config = JournalConfig {
        snapshot_every: 0,
        ..JournalConfig::default()
    };
    let (mut journal, _) = Journal::open(TimedLog::new(log), config)?;
    assert_eq!(
        journal.last_seq(),
        0,
        "the benchmark starts from an empty log"
    );
    submit_accepted(&mut journal, setup)?;
    let append_before = journal.log().append_time();
    let sync_before = journal.log().sync_time();
    let mut acks = Vec::with_capacity(commands.len().div_ceil(batch));
    let start = Instant::now();
    for chunk in commands.chunks(batch) {
        let submitted = Instant::now();
        let outcomes = journal.submit(chunk)?;
        let latency = submitted.elapsed();
        check_accepted(chunk, &outcomes);
        acks.push(Ack {
            latency,
            commands: chunk.len() as u64,
        });
    }
    let elapsed = start.elapsed();
    acks.sort_unstable_by_key(|ack| ack.latency);
    Ok(Throughput {
        batch,
        commands: commands.len() as u64,
        batches: acks.len() as u64,
        elapsed,
        ack_p50: quantile(&acks, 0.50),
        ack_p99: quantile(&acks, 0.99),
        append: journal.log().append_time() - append_before,
        sync: journal.log().sync_time() - sync_before,
        last_seq: journal.last_seq(),
        filled_volume: filled_volume(journal.state()),
        state_hash: journal.state().state_hash(),
    })
}

/// Submits one batch whose every command must be accepted.
///
/// # Panics
/// If a command is rejected.
pub fn submit_accepted<L: EventLog>(
    journal: &mut Journal<L>,
    batch: &[Submission],
) -> Result<(), JournalError> {
    let outcomes = journal.submit(batch)?;
    check_accepted(batch, &outcomes);
    Ok(())
}

/// Asserts that every submission was accepted, with increasing sequence numbers.
fn check_accepted(batch: &[Submission], outcomes: &[Outcome]) {
    assert_eq!(batch.len(), outcomes.len(), "one outcome per submission");
    let mut last_seq = 0;
    for (submission, outcome) in batch.iter().zip(outcomes) {
        match outcome {
            Ok(record) => {
                assert!(record.seq > last_seq, "records are numbered in order");
                last_seq = record.seq;
            }
            Err(rejection) => panic!("workload command rejected: {rejection} ({submission:?})"),
        }
    }
}

/// One batch's ack latency, shared by its commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ack {
    latency: Duration,
    commands: u64,
}

/// The `fraction` quantile (nearest rank) of the commands' ack latencies, where each batch's
/// latency counts once per command in it. `acks` must be sorted by latency.
fn quantile(acks: &[Ack], fraction: f64) -> Duration {
    assert!((0.0..=1.0).contains(&fraction), "a quantile is a fraction");
    let total: u64 = acks.iter().map(|ack| ack.commands).sum();
    assert!(total > 0, "a quantile of no commands");
    let rank = ((fraction * total as f64).ceil() as u64).clamp(1, total);
    let mut seen = 0;
    for ack in acks {
        seen += ack.commands;
        if seen >= rank {
            return ack.latency;
        }
    }
    unreachable!("the ranks of the commands end at their total")
}

/// Milliseconds, for printing.
fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::durable::stream::submissions;
    use crate::testing::w1_seed_42;
    use exchange_core::log::{Entry, SledLog};
    use exchange_core::{apply_record, State};

    fn ack(latency_ms: u64, commands: u64) -> Ack {
        Ack {
            latency: Duration::from_millis(latency_ms),
            commands,
        }
    }

    #[test]
    fn quantiles_weigh_each_batch_by_its_commands() {
        let acks = [ack(1, 98), ack(5, 1), ack(9, 1)];
        assert_eq!(quantile(&acks, 0.50), Duration::from_millis(1));
        assert_eq!(quantile(&acks, 0.98), Duration::from_millis(1));
        assert_eq!(quantile(&acks, 0.99), Duration::from_millis(5));
        assert_eq!(quantile(&acks, 1.0), Duration::from_millis(9));
        assert_eq!(quantile(&[ack(3, 1)], 0.0), Duration::from_millis(3));
    }

    /// The log holds exactly the acknowledged records, in order, and replaying it gives the
    /// state the journal ended with.
    #[test]
    fn the_log_holds_exactly_the_acknowledged_commands() {
        let (setup, commands) = submissions(w1_seed_42(), 1);
        let commands: Vec<Submission> = commands.take(200).collect();
        let dir = tempfile::tempdir().unwrap();
        let figures =
            throughput(SledLog::open(dir.path()).unwrap(), &setup, &commands, 16).unwrap();
        assert_eq!(figures.commands, 200);
        assert_eq!(figures.batches, 13);
        assert!(figures.ack_p50 <= figures.ack_p99);

        let log = SledLog::open_existing(dir.path()).unwrap();
        let records: Vec<_> = log.read_from(1).map(Result::unwrap).collect();
        let submitted: Vec<&Submission> = setup.iter().chain(&commands).collect();
        assert_eq!(records.len(), submitted.len(), "no checkpoint is due yet");
        assert_eq!(log.last_seq(), figures.last_seq);
        let mut state = State::default();
        for (at, (record, submission)) in records.iter().zip(submitted).enumerate() {
            assert_eq!(record.seq, at as u64 + 1);
            assert_eq!(record.timestamp_ns, submission.timestamp_ns);
            let Entry::Command { command, .. } = &record.entry else {
                panic!("record {} is not a command", record.seq);
            };
            assert_eq!(*command, submission.command);
            apply_record(&mut state, record).unwrap();
        }
        assert_eq!(state.state_hash(), figures.state_hash);
        assert_eq!(filled_volume(&state), figures.filled_volume);
    }
}
