//! `durable`: W1 through the journaled engine on the sled event log. Prints one
//! `key=value` line per figure on stdout, progress on stderr:
//!
//! ```text
//! cargo run --release -p benches --bin durable [-- --quick] [--restart-records N] [--dir DIR]
//! disk syncs=500 write_bytes=4096 fdatasync_p50_ms=... fdatasync_p99_ms=...
//! durable batch=4096 commands=1250003 seconds=... cmds_per_s=... ack_p50_ms=... ack_p99_ms=...
//! journal log=memory batch=4096 ...
//! replay source=memory records=... events=... events_per_s=...
//! replay source=sled records=... events=... events_per_s=...
//! snapshot seq=... bytes=... write_ms=... load_ms=...
//! restart records=10000000 snapshot_at=... replayed=... seconds=...
//! ```
//!
//! Exit codes: 0 ok; 2 bad arguments, or a log, disk or output error. A failed check of a
//! result (a rejected workload command, a wrong filled volume, differing state hashes) is a
//! bug in the benchmark or the engine and panics.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use benches::durable::{Plan, Run, RunError, RESTART_RECORDS_DEFAULT, RESTART_SNAPSHOT_GAP};
use clap::Parser;

/// Durable throughput with group commit, replay, snapshot and restart times of the
/// journaled engine on sled, driven with W1 (seed 42).
#[derive(Parser, Debug)]
#[command(name = "durable")]
struct Args {
    /// Run every measurement at reduced sizes (a smoke test).
    #[arg(long)]
    quick: bool,
    /// Records in the restart log [default: 10000000, or 200000 with --quick].
    #[arg(long, value_name = "N")]
    restart_records: Option<u64>,
    /// Directory to make the temporary logs in [default: the system's temp directory].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    // clap prints usage errors and exits with code 2 itself.
    let args = Args::parse();
    let plan = match plan(&args) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("durable: {message}");
            return ExitCode::from(2);
        }
    };
    let dir = args.dir.unwrap_or_else(std::env::temp_dir);
    let mut run = Run {
        out: &mut io::stdout().lock(),
        progress: &mut io::stderr(),
        dir: &dir,
    };
    match run.all(&plan) {
        Ok(()) => ExitCode::SUCCESS,
        // `durable | head` closing the pipe early is not an error.
        Err(RunError::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("durable: {error}");
            ExitCode::from(2)
        }
    }
}

/// The sizes asked for, validated.
fn plan(args: &Args) -> Result<Plan, String> {
    let restart_records = match (args.restart_records, args.quick) {
        (Some(records), _) => records,
        (None, true) => Plan::QUICK_RESTART_RECORDS,
        (None, false) => RESTART_RECORDS_DEFAULT,
    };
    if restart_records <= RESTART_SNAPSHOT_GAP {
        return Err(format!(
            "--restart-records must exceed the {RESTART_SNAPSHOT_GAP} records after the snapshot"
        ));
    }
    Ok(if args.quick {
        Plan::quick(restart_records)
    } else {
        Plan::full(restart_records)
    })
}
