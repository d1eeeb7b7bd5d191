//! `peers`: times every engine on one workload, in one process, and prints
//! each engine's ns/command and the ratios between engines.
//!
//! ```text
//! cargo run --release -p benches --bin peers -- W1
//! workload=W1 engine=btreemap-baseline ns_per_cmd=153.2 filled_volume=19163400
//! workload=W1 ratio engine=matchcore baseline=btreemap-baseline ratio=1.45
//! ```
//!
//! Exit codes: 0 ok; 1 an engine's filled volume differs from the workload's
//! reference, so its timing measures something else; 2 usage or output error.

use std::io::{self, Write};
use std::process::ExitCode;

use benches::{
    measure, w1, w2, BaselineBook, ExchangeCoreEngine, FloorEngine, MatchcoreEngine, Measurement,
    OneByOne, Op, Workload,
};

/// The seed `workloads.md` publishes figures for.
const SEED: u64 = 42;

/// Timed replays per engine; the median is reported.
const RUNS: usize = 5;

/// Times one engine over a stream, `runs` times.
type Bench = fn(&[Op], usize) -> Measurement;

/// The engines, in output order: adding an engine is one line here.
const ENGINES: &[Bench] = &[
    measure::<BaselineBook>,
    measure::<MatchcoreEngine>,
    measure::<ExchangeCoreEngine>,
    measure::<OneByOne>,
    measure::<FloorEngine>,
];

/// `(engine, baseline)` pairs whose ratio of ns/command is printed.
const RATIOS: &[(&str, &str)] = &[
    ("matchcore", "btreemap-baseline"),
    ("exchange-core", "btreemap-baseline"),
    ("exchange-core", "matchcore"),
    ("exchange-core", "exchange-core-one-by-one"),
    ("floor", "matchcore"),
    ("exchange-core", "floor"),
];

/// Printed with every usage error.
const USAGE: &str = "usage: peers W1|W2";

/// Why the run failed; each kind has its own exit code.
enum Failure {
    /// The arguments were not a single workload name.
    Usage(String),
    /// An engine disagreed with the reference on the filled volume.
    VolumeMismatch(Measurement, u64),
    /// Writing the results failed.
    Output(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_args(&args).and_then(run);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("peers: {message}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::VolumeMismatch(measurement, expected)) => {
            eprintln!(
                "peers: {} filled {} but the reference fills {expected}; its timing is not comparable",
                measurement.engine, measurement.filled_volume
            );
            ExitCode::from(1)
        }
        // `peers W1 | head` closing the pipe early is not an error.
        Err(Failure::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(Failure::Output(error)) => {
            eprintln!("peers: cannot write results: {error}");
            ExitCode::from(2)
        }
    }
}

/// Maps the single argument to its workload generator.
fn parse_args(args: &[String]) -> Result<fn(u64) -> Workload, Failure> {
    match args {
        [name] if name == "W1" => Ok(w1),
        [name] if name == "W2" => Ok(w2),
        _ => Err(Failure::Usage(format!(
            "expected one workload name, got {args:?}"
        ))),
    }
}

/// Generates the workload (untimed), times every engine on it and prints the results.
fn run(generate: fn(u64) -> Workload) -> Result<(), Failure> {
    let workload = generate(SEED);
    eprintln!(
        "workload={} commands={} limits={} cancels={} crossing_limits={} filled_volume={}",
        workload.name,
        workload.ops.len(),
        workload.limits,
        workload.cancels,
        workload.crossing_limits,
        workload.filled_volume
    );
    let mut out = io::stdout().lock();
    let mut measurements = Vec::with_capacity(ENGINES.len());
    for bench in ENGINES {
        let measurement = bench(&workload.ops, RUNS);
        if measurement.filled_volume != workload.filled_volume {
            return Err(Failure::VolumeMismatch(measurement, workload.filled_volume));
        }
        writeln!(
            out,
            "workload={} engine={} ns_per_cmd={:.1} filled_volume={}",
            workload.name, measurement.engine, measurement.ns_per_cmd, measurement.filled_volume
        )?;
        measurements.push(measurement);
    }
    for &(engine, baseline) in RATIOS {
        let ratio = ns_per_cmd(&measurements, engine) / ns_per_cmd(&measurements, baseline);
        let name = workload.name;
        writeln!(
            out,
            "workload={name} ratio engine={engine} baseline={baseline} ratio={ratio:.2}"
        )?;
    }
    Ok(())
}

/// The median ns/command measured for the engine named `engine`.
fn ns_per_cmd(measurements: &[Measurement], engine: &str) -> f64 {
    let found = measurements
        .iter()
        .find(|measurement| measurement.engine == engine);
    let found = found.unwrap_or_else(|| panic!("RATIOS names {engine}, which ENGINES lacks"));
    found.ns_per_cmd
}
