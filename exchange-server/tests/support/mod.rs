//! What the command-line tests share: a seeded market written to a sled log in a temporary
//! directory, direct access to that log's sled trees (to damage it as a disk or an attacker
//! would), and running the real binary.
//!
//! sled locks its directory with `flock`, which a child process shares for as long as it
//! holds a copy of the descriptor. A child forked by one test while another test has a log
//! open in this process holds such a copy until it execs, and the other test's next open
//! of its own log then finds it locked. So every use of sled in this process, and every
//! spawn, happens under [`FILES`]: no child is ever forked while a log is open here.

use exchange_core::log::{Record, Seq, SledLog};
use exchange_core::testing::{MarketGenerator, VirtualClock};
use exchange_core::{Journal, JournalConfig, State};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Held while this process has a sled log open, and while it spawns a child.
static FILES: Mutex<()> = Mutex::new(());

/// Takes [`FILES`], whether or not a failed test poisoned it.
fn files() -> MutexGuard<'static, ()> {
    FILES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Commands the generated market runs after its setup.
pub const GENERATED_COMMANDS: usize = 5_000;

/// Writes checkpoints and snapshots often enough that every log has several of each.
pub const CONFIG: JournalConfig = JournalConfig {
    snapshot_every: 1_000,
    checkpoint_every: 500,
    snapshots_kept: 3,
};

/// What a generated log holds.
pub struct Generated {
    /// The state after the last record.
    pub state: State,
    /// The last record's sequence number.
    pub last_seq: Seq,
}

/// Runs the generator's setup and then `commands` generated commands through a journal on a
/// sled log in `dir`, in batches of 1 to 64 with increasing timestamps.
pub fn generate(dir: &Path, seed: u64, commands: usize) -> Generated {
    let _files = files();
    let log = SledLog::open(dir).unwrap();
    let (mut journal, _) = Journal::open(log, CONFIG).unwrap();
    let mut clock = VirtualClock::new(1_000, 1_000);
    let setup = MarketGenerator::setup_batch(&mut clock);
    assert!(journal.submit(&setup).unwrap().iter().all(Result::is_ok));
    let mut generator = MarketGenerator::new(seed);
    let (mut done, mut batch_len) = (0, 1);
    while done < commands {
        let len = batch_len.min(commands - done);
        let batch = generator.batch(journal.state(), len as u64, &mut clock);
        journal.submit(&batch).unwrap();
        done += len;
        batch_len = batch_len * 7 % 64 + 1;
    }
    Generated {
        state: journal.state().clone(),
        last_seq: journal.last_seq(),
    }
}

/// Runs `work` on the log's sled database, opened directly, and closes it.
pub fn with_raw_sled<T>(dir: &Path, work: impl FnOnce(&sled::Db) -> T) -> T {
    let _files = files();
    let db = exchange_core::testing::open_raw_sled(dir).unwrap();
    let result = work(&db);
    db.flush().unwrap();
    result
}

/// Runs `work` on the log opened as the engine opens it, and closes it.
pub fn with_log<T>(dir: &Path, work: impl FnOnce(&SledLog) -> T) -> T {
    let _files = files();
    work(&SledLog::open_existing(dir).unwrap())
}

/// Rewrites the record at `seq` with `change` applied, behind the engine's back.
pub fn tamper_record(dir: &Path, seq: Seq, change: impl FnOnce(&mut Record)) {
    with_raw_sled(dir, |db| {
        exchange_core::testing::tamper_raw_sled_record(db, seq, change).unwrap()
    });
}

/// Every record of the log, read directly.
pub fn records(dir: &Path) -> Vec<Record> {
    with_raw_sled(dir, |db| {
        exchange_core::testing::raw_sled_records(db).unwrap()
    })
}

/// Starts `exchange` with `args`, stdout and stderr piped.
pub fn spawn_exchange(args: &[&str]) -> Child {
    let _files = files();
    Command::new(env!("CARGO_BIN_EXE_exchange"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `exchange` with `args`, quietly, and waits for it.
pub fn exchange(args: &[&str]) -> Output {
    let mut quiet = vec!["--quiet"];
    quiet.extend(args);
    exchange_loud(&quiet)
}

/// Runs `exchange` with `args`, warnings and all, and waits for it.
pub fn exchange_loud(args: &[&str]) -> Output {
    spawn_exchange(args).wait_with_output().unwrap()
}

/// The process's stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The process's stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
