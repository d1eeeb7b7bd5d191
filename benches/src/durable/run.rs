//! One run of every durable measurement, in order, printing one `key=value` line per
//! figure: durable throughput per batch size, replay speed, snapshot times, restart time.

use std::fmt;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use exchange_core::log::{MemoryLog, SledLog};
use exchange_core::{JournalError, Submission};

use super::disk::sync_times;
use super::plan::{Plan, BUILD_BATCH};
use super::replay::Replay;
use super::replay::{copy_to_sled, journal_in_memory, no_snapshots, open_sled, replay_records};
use super::restart::{build_restart_log, restart};
use super::snapshot::snapshot_times;
use super::stream::submissions;
use super::throughput::{submit_accepted, throughput};
use super::{dir_bytes, filled_volume, seconds};
use crate::workload::{w1, Workload};

/// The seed `workloads.md` publishes W1's figures for.
pub const SEED: u64 = 42;

/// Why a run stopped.
#[derive(Debug)]
pub enum RunError {
    /// The journal or its log failed.
    Journal(JournalError),
    /// A temporary directory could not be made, measured or removed.
    Disk(io::Error),
    /// A figure could not be written out.
    Output(io::Error),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Journal(error) => write!(f, "journal: {error}"),
            RunError::Disk(error) => write!(f, "temporary directory: {error}"),
            RunError::Output(error) => write!(f, "cannot write results: {error}"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Journal(error) => Some(error),
            RunError::Disk(error) | RunError::Output(error) => Some(error),
        }
    }
}

impl From<JournalError> for RunError {
    fn from(error: JournalError) -> Self {
        RunError::Journal(error)
    }
}

impl From<exchange_core::log::LogError> for RunError {
    fn from(error: exchange_core::log::LogError) -> Self {
        RunError::Journal(error.into())
    }
}

/// Where the figures and the progress notes go, and where the logs are made.
pub struct Run<'a> {
    /// Figures: one `key=value` line each.
    pub out: &'a mut dyn Write,
    /// Progress notes for a person watching; write errors here are ignored.
    pub progress: &'a mut dyn Write,
    /// The directory the temporary logs are made in (each removed when measured).
    pub dir: &'a Path,
}

impl Run<'_> {
    /// Runs every measurement of `plan` on W1 (seed [`SEED`]).
    pub fn all(&mut self, plan: &Plan) -> Result<(), RunError> {
        let started = Instant::now();
        let workload = w1(SEED);
        self.note(format_args!(
            "workload=W1 seed={SEED} commands={} filled_volume={}",
            workload.ops.len(),
            workload.filled_volume
        ));
        let (setup, commands) = submissions(&workload, 1);
        let commands: Vec<Submission> = commands.collect();
        let disk = sync_times(self.dir, plan.disk_syncs).map_err(RunError::Disk)?;
        self.figure(format_args!("disk {disk}"))?;
        self.throughput(plan, &workload, &setup, &commands)?;
        self.replay_and_snapshot(plan, &workload, &setup, &commands)?;
        self.restart(plan, &workload)?;
        let total = seconds(started.elapsed());
        self.note(format_args!("all measurements took {total:.1} s"));
        Ok(())
    }

    /// Durable throughput per batch size on sled, then once on a memory log for comparison.
    fn throughput(
        &mut self,
        plan: &Plan,
        workload: &Workload,
        setup: &[Submission],
        commands: &[Submission],
    ) -> Result<(), RunError> {
        for &(batch, commands_max) in &plan.throughput {
            let started = Instant::now();
            let commands = &commands[..commands_max.min(commands.len())];
            let dir = self.temp_dir("durable")?;
            let figures = throughput(SledLog::open(dir.path())?, setup, commands, batch)?;
            check_volume(workload, commands.len(), figures.filled_volume);
            let bytes = dir_bytes(dir.path()).map_err(RunError::Disk)?;
            self.figure(format_args!("durable {figures} log_bytes={bytes}"))?;
            self.close(dir)?;
            let took = seconds(started.elapsed());
            self.note(format_args!("durable batch={batch} took {took:.1} s"));
        }
        let figures = throughput(MemoryLog::new(), setup, commands, plan.memory_batch)?;
        check_volume(workload, commands.len(), figures.filled_volume);
        self.figure(format_args!("journal log=memory {figures}"))
    }

    /// Replays a log of `plan.replay_commands` W1 commands from memory and from sled, then
    /// runs the rest of W1 on the reopened journal and snapshots its state.
    fn replay_and_snapshot(
        &mut self,
        plan: &Plan,
        workload: &Workload,
        setup: &[Submission],
        commands: &[Submission],
    ) -> Result<(), RunError> {
        let started = Instant::now();
        let (replayed, rest) = commands.split_at(plan.replay_commands.min(commands.len()));
        let journal = journal_in_memory(setup, replayed, BUILD_BATCH)?;
        let (replay, state) = replay_records(journal.log().records())?;
        let state_hash = state.state_hash();
        assert_eq!(state_hash, journal.state().state_hash());
        self.figure(format_args!("replay {replay}"))?;
        let dir = self.temp_dir("replay")?;
        copy_to_sled(journal.log().records(), dir.path(), BUILD_BATCH)?;
        drop((journal, state));
        let bytes = dir_bytes(dir.path()).map_err(RunError::Disk)?;
        let opened = open_sled(dir.path(), no_snapshots())?;
        assert_eq!(opened.recovery.replayed, replay.counts.records());
        assert_eq!(opened.journal.state().state_hash(), state_hash);
        let sled = Replay {
            source: "sled",
            counts: replay.counts,
            elapsed: opened.elapsed,
        };
        let sled_open = seconds(opened.sled_open);
        self.figure(format_args!(
            "replay {sled} sled_open_s={sled_open:.3} log_bytes={bytes}"
        ))?;
        let mut journal = opened.journal;
        for chunk in rest.chunks(BUILD_BATCH) {
            submit_accepted(&mut journal, chunk)?;
        }
        check_volume(workload, commands.len(), filled_volume(journal.state()));
        let times = snapshot_times(&mut journal)?;
        self.figure(format_args!("snapshot {times}"))?;
        drop(journal);
        self.close(dir)?;
        let took = seconds(started.elapsed());
        self.note(format_args!("replay and snapshot took {took:.1} s"));
        Ok(())
    }

    /// Builds the restart log, closes it, and times opening it.
    fn restart(&mut self, plan: &Plan, workload: &Workload) -> Result<(), RunError> {
        let dir = self.temp_dir("restart")?;
        let (records, gap) = (plan.restart_records, plan.restart_snapshot_gap);
        self.note(format_args!("building a restart log of {records} records"));
        let reopen_every = plan.restart_reopen_every;
        let built = build_restart_log(
            dir.path(),
            workload,
            records,
            gap,
            BUILD_BATCH,
            reopen_every,
        )?;
        let bytes = dir_bytes(dir.path()).map_err(RunError::Disk)?;
        let build = seconds(built.build);
        self.note(format_args!(
            "built {} records on {} tickers in {build:.1} s ({bytes} bytes, {} reopenings)",
            built.records, built.tickers, built.reopens
        ));
        let figures = restart(dir.path(), &built)?;
        self.figure(format_args!(
            "restart {figures} log_bytes={bytes} build_s={build:.1}"
        ))?;
        self.close(dir)
    }

    /// A new temporary directory in `self.dir`.
    fn temp_dir(&self, prefix: &str) -> Result<tempfile::TempDir, RunError> {
        tempfile::Builder::new()
            .prefix(&format!("{prefix}-"))
            .tempdir_in(self.dir)
            .map_err(RunError::Disk)
    }

    /// Removes a temporary directory, reporting failure rather than ignoring it.
    fn close(&mut self, dir: tempfile::TempDir) -> Result<(), RunError> {
        dir.close().map_err(RunError::Disk)
    }

    /// Writes one figure line and flushes it, so long runs show each figure as it comes.
    fn figure(&mut self, line: fmt::Arguments<'_>) -> Result<(), RunError> {
        writeln!(self.out, "{line}")
            .and_then(|()| self.out.flush())
            .map_err(RunError::Output)
    }

    /// Writes one progress note.
    fn note(&mut self, line: fmt::Arguments<'_>) {
        // Progress is for a person watching; losing it must not stop the measurements.
        let _ = writeln!(self.progress, "durable: {line}");
    }
}

/// Asserts that a run of the whole stream traded exactly the workload's reference volume.
fn check_volume(workload: &Workload, commands: usize, filled_volume: u64) {
    if commands == workload.ops.len() {
        assert_eq!(
            filled_volume, workload.filled_volume,
            "the journaled engine must trade exactly as the reference book on W1"
        );
    }
}
