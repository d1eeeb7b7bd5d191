//! `simulate`: runs the deterministic market simulation and writes its log, report and
//! charts.
//!
//! ```text
//! simulate --seed 7 --duration 6h --population default --out DIR
//! ```
//! writes `DIR/log` (a sled log: `exchange audit DIR/log` accepts it), `DIR/summary.json`,
//! `DIR/minutes.csv` and `DIR/{price,spread,volume}.png`, all deterministic for a seed, and
//! prints `key=value` lines on stdout, wall-clock speeds included (those are printed only).
//! The simulation runs on the in-memory log and is timed on its own
//! (`agent_actions_per_s`, `sim_seconds_per_wall_second`); its log is then copied to the
//! sled directory in large batches (`wall_log_write_s`, `agent_actions_per_s_with_log`).
//! Exit codes: 0 done, 2 error.

use bots::sim::{self, Population, SimConfig, Simulation};
use clap::Parser;
use exchange_core::log::MemoryLog;
use exchange_core::Journal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Runs the market simulation on a virtual clock.
#[derive(Debug, Parser)]
#[command(name = "simulate", version)]
struct Args {
    /// Seeds every random number of the run.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Virtual time to simulate (`90s`, `30m`, `6h`), from one minute (the report's unit)
    /// to seven days (the whole log is kept in memory until it is written).
    #[arg(long, default_value = "6h", value_parser = parse_duration)]
    duration: Duration,
    /// Which population trades.
    #[arg(long, default_value = "default", value_parser = Population::NAMES)]
    population: String,
    /// Where to write (default: target/simulate-SEED).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("simulate: {error}");
            ExitCode::from(2)
        }
    }
}

/// The shortest run: the report counts whole minutes.
const DURATION_MIN: Duration = Duration::from_secs(60);

/// The longest run: a week of the default population logs about 4.4 million records, all
/// held in memory until the run ends.
const DURATION_MAX: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// A `--duration` within [`DURATION_MIN`] and [`DURATION_MAX`].
fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|error| error.to_string())?;
    if !(DURATION_MIN..=DURATION_MAX).contains(&duration) {
        return Err(format!(
            "a run lasts from {} to {}",
            humantime::format_duration(DURATION_MIN),
            humantime::format_duration(DURATION_MAX)
        ));
    }
    Ok(duration)
}

fn run(args: &Args) -> Result<(), sim::SimError> {
    let population = Population::named(&args.population).expect("clap checked the name");
    let duration_ms = u64::try_from(args.duration.as_millis()).expect("at most seven days");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("target/simulate-{}", args.seed)));
    let config = SimConfig::new(args.seed, duration_ms);
    sim::prepare_output(&out)?;

    let started = Instant::now();
    let (journal, _) = Journal::open(MemoryLog::new(), config.journal)?;
    let mut simulation = Simulation::new(journal, population.cast(), config)?;
    simulation.run()?;
    let simulated = started.elapsed();
    simulation.snapshot()?;
    let report = simulation.report();

    sim::write_report(&report, &out)?;
    let writing = Instant::now();
    sim::write_log(simulation.journal().log(), &out)?;
    let written = writing.elapsed();

    let seconds = simulated.as_secs_f64().max(1e-9);
    let with_log = seconds + written.as_secs_f64();
    let actions = report.activity.agent_actions as f64;
    println!("out={}", out.display());
    println!("agent_actions_per_s={:.0}", actions / seconds);
    println!(
        "sim_seconds_per_wall_second={:.0}",
        duration_ms as f64 / 1000.0 / seconds
    );
    println!("wall_simulation_s={seconds:.3}");
    println!("wall_log_write_s={:.3}", written.as_secs_f64());
    println!("agent_actions_per_s_with_log={:.0}", actions / with_log);
    for (key, value) in report.key_values() {
        println!("{key}={value}");
    }
    Ok(())
}

/// The simulation allocates a record and its events for every command and keeps them all;
/// mimalloc serves those small allocations faster than the system allocator (about 15% of
/// the simulation's time, measured on the default population).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_between_a_minute_and_a_week() {
        assert_eq!(parse_duration("1m"), Ok(DURATION_MIN));
        assert_eq!(parse_duration("7days"), Ok(DURATION_MAX));
        assert_eq!(parse_duration("6h"), Ok(Duration::from_secs(6 * 3600)));
        for refused in ["0s", "59s", "7days 1s", "100000000h"] {
            let error = parse_duration(refused).unwrap_err();
            assert!(error.contains("from 1m to 7days"), "{refused}: {error}");
        }
        assert!(parse_duration("soon").is_err());
    }
}
