//! Crash consistency of the journal on the sled log, under SIGKILL.
//!
//! `crash_recovery_under_sigkill` runs this test binary again as a child process, selecting
//! the test `crash_child`, which submits random batches to a `Journal` on a `SledLog` and,
//! each time `submit` returns, prints one `ack <seq> <blake3 of the encoded record>` line per
//! accepted record. The parent kills the child with SIGKILL at a random moment and then, with
//! the child dead, checks that:
//! 1. the log's records are numbered 1, 2, 3, ... with no gap;
//! 2. every record ever acknowledged is present, byte for byte;
//! 3. the log only grows: every record an earlier cycle recovered is still there, unchanged;
//! 4. reopening the journal (which starts from its newest snapshot) gives the state that a
//!    clean full replay of the log gives, and that state keeps its invariants.
//!
//! All cycles share one directory, so each child recovers from its predecessor's crash.
//! Records written but not yet acknowledged may survive a crash; that is allowed and counted.
//! The seeds are printed on stderr and `EXCHANGE_CRASH_SEED` replays them; the kill moments
//! themselves depend on timing and differ from run to run. When a check fails, the log
//! directory is kept and its path printed.

#![cfg(unix)]

use exchange_core::log::{encode, Entry, EventLog, Record, Seq, SledLog};
use exchange_core::testing::{MarketGenerator, SplitMix64, VirtualClock};
use exchange_core::{apply_record, Journal, JournalConfig, State, StateHash, Submission};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::os::unix::process::ExitStatusExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Crash cycles per run; the issue asks for at least 20.
const CYCLES: u32 = 24;

/// The largest batch the child submits; each batch has 1 to this many commands.
const BATCH_COMMANDS_MAX: u64 = 256;

/// The shortest wait between a child's first acknowledgement and its kill.
const KILL_DELAY_MS_MIN: u64 = 5;

/// The longest wait between a child's first acknowledgement and its kill.
const KILL_DELAY_MS_MAX: u64 = 150;

/// How long the parent waits for a child's first acknowledgement before giving up.
const FIRST_ACK_TIMEOUT: Duration = Duration::from_secs(20);

/// The child exits by itself after this long, so a broken parent never leaves it running.
const CHILD_RUNTIME_MAX: Duration = Duration::from_secs(30);

/// The child's exit code when it stops itself after [`CHILD_RUNTIME_MAX`].
const CHILD_TIMED_OUT_EXIT: i32 = 3;

/// The signal `std::process::Child::kill` sends on Unix.
const SIGKILL: i32 = 9;

/// Tells the child test where the log is; without it `crash_child` does nothing.
const CHILD_DIR_VAR: &str = "EXCHANGE_CRASH_CHILD_DIR";

/// The seed of the child's batch sizes and commands.
const CHILD_SEED_VAR: &str = "EXCHANGE_CRASH_CHILD_SEED";

/// Replays a run's seeds (decimal), as printed on stderr.
const RUN_SEED_VAR: &str = "EXCHANGE_CRASH_SEED";

/// The run's seed when [`RUN_SEED_VAR`] is unset.
const RUN_SEED_DEFAULT: u64 = 0x00C0_FFEE_D15C_0001;

/// Snapshots and checkpoints often enough that kills also land while they are written.
const CONFIG: JournalConfig = JournalConfig {
    snapshot_every: 2_000,
    checkpoint_every: 300,
    snapshots_kept: 2,
};

/// One acknowledged record, as the child reported it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ack {
    /// The record's sequence number.
    seq: Seq,
    /// BLAKE3 of the record's encoded bytes.
    hash: blake3::Hash,
}

/// What the log held at one verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stored {
    /// BLAKE3 of the record's encoded bytes.
    hash: blake3::Hash,
    /// Whether it is a checkpoint record (never acknowledged to a client).
    checkpoint: bool,
}

/// What every cycle so far has seen.
#[derive(Default)]
struct History {
    /// Every record the last verification found, in order (index = seq - 1).
    stored: Vec<Stored>,
    /// Every acknowledgement of every cycle, in order.
    acks: Vec<Ack>,
    /// Command records found durable after the last acknowledgement of their cycle.
    unacked_recovered: u64,
    /// Cycles whose recovery started from a snapshot.
    from_snapshot: u32,
    /// Snapshots that recovery refused, over all cycles.
    refused_snapshots: usize,
}

/// The hash both sides use to compare a record: BLAKE3 of exactly what the log stores.
fn record_hash(record: &Record) -> blake3::Hash {
    blake3::hash(&encode(record))
}

/// The child side: appends random batches to the journal in `EXCHANGE_CRASH_CHILD_DIR` until
/// it is killed, printing each record once it is acknowledged.
///
/// In a normal `cargo test` run the variable is unset and this test returns at once, a
/// trivial pass. `crash_recovery_under_sigkill` runs it by name in a child process.
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR_VAR) else {
        return;
    };
    let seed: u64 = std::env::var(CHILD_SEED_VAR)
        .expect("the parent passes a seed")
        .parse()
        .expect("the seed is a decimal u64");
    thread::spawn(|| {
        thread::sleep(CHILD_RUNTIME_MAX);
        std::process::exit(CHILD_TIMED_OUT_EXIT);
    });
    let log = SledLog::open(&dir).expect("the child opens the log");
    let (mut journal, _) = Journal::open(log, CONFIG).expect("the child recovers the journal");
    let mut out = std::io::stdout().lock();
    // End whatever line the test harness started, so every ack starts a line.
    out.write_all(b"\n").expect("the parent reads stdout");
    let mut clock = VirtualClock::new(0, 1_000);
    if journal.last_seq() == 0 {
        let setup = MarketGenerator::setup_batch(&mut clock);
        submit_and_acknowledge(&mut journal, &setup, &mut out);
    }
    let mut sizes = SplitMix64::new(seed);
    let mut generator = MarketGenerator::new(sizes.next_u64());
    loop {
        let count = 1 + sizes.below(BATCH_COMMANDS_MAX);
        let batch = generator.batch(journal.state(), count, &mut clock);
        submit_and_acknowledge(&mut journal, &batch, &mut out);
    }
}

/// Submits a batch and, once `submit` has returned, prints an ack line per accepted record.
fn submit_and_acknowledge(
    journal: &mut Journal<SledLog>,
    batch: &[Submission],
    out: &mut impl std::io::Write,
) {
    let outcomes = journal.submit(batch).expect("the child's journal commits");
    let mut lines = String::new();
    for record in outcomes.iter().filter_map(|outcome| outcome.as_ref().ok()) {
        let hash = record_hash(record).to_hex();
        writeln!(lines, "ack {} {hash}", record.seq).expect("writing to a String cannot fail");
    }
    out.write_all(lines.as_bytes())
        .and_then(|()| out.flush())
        .expect("the parent reads the acks");
}

/// The parent side: at least 20 SIGKILLs at random moments, each followed by a full check.
#[test]
fn crash_recovery_under_sigkill() {
    let seed = match std::env::var(RUN_SEED_VAR) {
        Ok(text) => text.parse().expect("EXCHANGE_CRASH_SEED is a decimal u64"),
        Err(_) => RUN_SEED_DEFAULT,
    };
    eprintln!("crash test: {CYCLES} cycles, {RUN_SEED_VAR}={seed}");
    let dir = tempfile::Builder::new()
        .prefix("exchange-crash-")
        .tempdir()
        .unwrap();
    let mut history = History::default();
    let cycles = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = SplitMix64::new(seed);
        for cycle in 0..CYCLES {
            let delay_ms = KILL_DELAY_MS_MIN + rng.below(KILL_DELAY_MS_MAX - KILL_DELAY_MS_MIN + 1);
            let acks = run_child_until_killed(dir.path(), rng.next_u64(), delay_ms);
            verify_cycle(dir.path(), cycle, delay_ms, &acks, &mut history);
        }
    }));
    if let Err(failure) = cycles {
        eprintln!(
            "crash test: failed; the log is kept in {}",
            dir.keep().display()
        );
        panic::resume_unwind(failure);
    }
    eprintln!(
        "crash test: {CYCLES} cycles, {} records acknowledged, {} records in the log, \
         {} command records durable but not acknowledged, {} recoveries from a snapshot, \
         {} snapshots refused",
        history.acks.len(),
        history.stored.len(),
        history.unacked_recovered,
        history.from_snapshot,
        history.refused_snapshots,
    );
    assert!(
        history.stored.len() as u64 > u64::from(CYCLES),
        "the children made progress"
    );
}

/// Runs a child on the log in `dir`, kills it `delay_ms` after its first ack, and returns
/// every ack it printed on a complete line.
fn run_child_until_killed(dir: &Path, seed: u64, delay_ms: u64) -> Vec<Ack> {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let mut child = Process::new(exe)
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .arg("--quiet")
        .env(CHILD_DIR_VAR, dir)
        .env(CHILD_SEED_VAR, seed.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the child starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (first_ack_tx, first_ack) = mpsc::channel();
    let reader = thread::spawn(move || read_acks(stdout, &first_ack_tx));
    if let Err(error) = first_ack.recv_timeout(FIRST_ACK_TIMEOUT) {
        let _ = child.kill();
        let status = child.wait();
        panic!("the child acknowledged nothing ({error}); it ended with {status:?}");
    }
    thread::sleep(Duration::from_millis(delay_ms));
    child.kill().expect("the child can be killed");
    let status = child.wait().expect("the child can be waited for");
    assert_eq!(
        status.signal(),
        Some(SIGKILL),
        "the child ended by itself ({status}) instead of being killed"
    );
    reader.join().expect("the ack reader does not panic")
}

/// Reads ack lines until the child's stdout closes; signals the first one. Lines that are
/// not acks (from the test harness) are skipped, and so is an incomplete last line.
fn read_acks(stdout: impl Read, first_ack: &mpsc::Sender<()>) -> Vec<Ack> {
    let mut reader = BufReader::new(stdout);
    let mut acks = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .expect("the child's stdout is text");
        if read == 0 || !line.ends_with('\n') {
            return acks;
        }
        let Some(ack) = line.trim_end().strip_prefix("ack ") else {
            continue;
        };
        let (seq, hash) = ack
            .split_once(' ')
            .expect("an ack line has a seq and a hash");
        acks.push(Ack {
            seq: seq.parse().expect("an acked seq is a number"),
            hash: blake3::Hash::from_hex(hash).expect("an acked hash is 64 hex digits"),
        });
        if acks.len() == 1 {
            let _ = first_ack.send(());
        }
    }
}

/// Checks the log in `dir` after a crash against everything acknowledged and recovered so
/// far, then records this cycle in `history`.
fn verify_cycle(dir: &Path, cycle: u32, delay_ms: u64, acks: &[Ack], history: &mut History) {
    let (stored, replayed) = scan_log(dir);
    let previous_last_seq = history.stored.len() as Seq;
    check_acks_are_new(acks, previous_last_seq);
    check_log_only_grows(&history.stored, &stored);
    history.acks.extend_from_slice(acks);
    check_acks_are_stored(&history.acks, &stored);
    let (journal, recovery) =
        Journal::open(SledLog::open(dir).unwrap(), CONFIG).expect("the journal recovers");
    assert_eq!(
        journal.last_seq(),
        stored.len() as Seq,
        "recovered last seq"
    );
    assert_eq!(
        journal.state().state_hash(),
        replayed,
        "cycle {cycle}: the recovered state (from snapshot {:?}) differs from a full replay",
        recovery.snapshot
    );
    journal.state().check_invariants().unwrap();
    let last_ack = acks.last().expect("every cycle has an ack").seq;
    let unacked = stored[last_ack as usize..]
        .iter()
        .filter(|s| !s.checkpoint)
        .count() as u64;
    eprintln!(
        "cycle {cycle:2}: killed {delay_ms:3} ms after the first ack; acked {:5} records up to \
         seq {last_ack:6}; recovered last seq {:6} ({unacked} unacked commands) from snapshot \
         {:?} + {} replayed, {} snapshots refused",
        acks.len(),
        stored.len(),
        recovery.snapshot,
        recovery.replayed,
        recovery.refused_snapshots.len(),
    );
    history.stored = stored;
    history.unacked_recovered += unacked;
    history.from_snapshot += u32::from(recovery.snapshot.is_some());
    history.refused_snapshots += recovery.refused_snapshots.len();
}

/// Reads the whole log: each record's hash, checking the numbering, and the state hash of a
/// clean full replay from the empty state (which also verifies every checkpoint).
fn scan_log(dir: &Path) -> (Vec<Stored>, StateHash) {
    let log = SledLog::open(dir).expect("the log opens after a crash");
    let mut stored = Vec::new();
    let mut state = State::default();
    for (expected, record) in (1..).zip(log.read_from(1)) {
        let record = record.expect("every record reads back");
        assert_eq!(record.seq, expected, "records are numbered without gaps");
        apply_record(&mut state, &record).expect("a full replay verifies every checkpoint");
        stored.push(Stored {
            hash: record_hash(&record),
            checkpoint: matches!(record.entry, Entry::Checkpoint { .. }),
        });
    }
    assert_eq!(log.last_seq(), stored.len() as Seq, "the log's last seq");
    state.check_invariants().unwrap();
    (stored, state.state_hash())
}

/// A cycle's acks are increasing and follow what the previous cycle recovered: the child
/// started from that log.
fn check_acks_are_new(acks: &[Ack], previous_last_seq: Seq) {
    let mut last = previous_last_seq;
    for ack in acks {
        assert!(
            ack.seq > last,
            "ack {} follows {last}: acks increase from the recovered log's end",
            ack.seq
        );
        last = ack.seq;
    }
}

/// Every record recovered before is still there, unchanged, acknowledged or not.
fn check_log_only_grows(before: &[Stored], after: &[Stored]) {
    assert!(
        after.len() >= before.len(),
        "the log shrank from {} to {} records",
        before.len(),
        after.len()
    );
    for (seq, (old, new)) in (1..).zip(before.iter().zip(after)) {
        assert_eq!(old, new, "record {seq} changed after it was recovered");
    }
}

/// Every acknowledged record is stored, byte for byte.
fn check_acks_are_stored(acks: &[Ack], stored: &[Stored]) {
    for ack in acks {
        let index = usize::try_from(ack.seq - 1).expect("seq fits in memory");
        let found = stored.get(index).unwrap_or_else(|| {
            panic!(
                "acknowledged record {} is lost: the log ends at {}",
                ack.seq,
                stored.len()
            )
        });
        assert_eq!(
            found.hash, ack.hash,
            "acknowledged record {} differs from what was acknowledged",
            ack.seq
        );
    }
}
