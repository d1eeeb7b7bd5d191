//! A run's output directory: `log/` (a sled log), `summary.json`, `minutes.csv` and the
//! charts. Everything in it is deterministic for a given seed.

use super::charts;
use super::error::SimError;
use super::persist::write_sled_log;
use super::report::Report;
use exchange_core::log::EventLog;
use std::path::{Path, PathBuf};

/// The log's directory inside an output directory.
pub const LOG_DIR: &str = "log";

/// The report file every run writes beside its log: a log without one was not written by
/// a simulation, so it may be a real exchange's, and is never deleted.
const SUMMARY_FILE: &str = "summary.json";

/// Creates `dir` and clears a log left in it by an earlier run, recognised by its report
/// beside it. Anything else that is not a log is left alone; a `log` directory that holds
/// anything else, or a log with no report beside it, is an error.
pub fn prepare_output(dir: &Path) -> Result<PathBuf, SimError> {
    let log = dir.join(LOG_DIR);
    std::fs::create_dir_all(dir).map_err(|source| io(dir, source))?;
    if log.join("conf").is_file() {
        if !dir.join(SUMMARY_FILE).is_file() {
            let message = format!(
                "holds an event log that no simulation wrote (there is no {SUMMARY_FILE} \
                 beside it); not deleting it: choose another --out directory"
            );
            let source = std::io::Error::new(std::io::ErrorKind::AlreadyExists, message);
            return Err(io(&log, source));
        }
        std::fs::remove_dir_all(&log).map_err(|source| io(&log, source))?;
    } else if log.exists() {
        let in_use = std::fs::read_dir(&log)
            .map_err(|source| io(&log, source))?
            .next()
            .is_some();
        if in_use {
            let message = "exists and holds no event log; not overwriting it";
            let source = std::io::Error::new(std::io::ErrorKind::AlreadyExists, message);
            return Err(io(&log, source));
        }
    }
    Ok(log)
}

/// Writes `summary.json`, `minutes.csv` and the charts into `dir`.
pub fn write_report(report: &Report, dir: &Path) -> Result<(), SimError> {
    write(&dir.join(SUMMARY_FILE), &report.to_json())?;
    write(&dir.join("minutes.csv"), &report.minutes_csv())?;
    charts::draw_all(report, dir)
}

/// Writes the run's log as a sled log in `dir/log`; returns the records written.
pub fn write_log(log: &impl EventLog, dir: &Path) -> Result<u64, SimError> {
    write_sled_log(log, &dir.join(LOG_DIR))
}

fn write(path: &Path, text: &str) -> Result<(), SimError> {
    std::fs::write(path, text).map_err(|source| io(path, source))
}

fn io(path: &Path, source: std::io::Error) -> SimError {
    SimError::Io {
        path: path.display().to_string(),
        source,
    }
}
