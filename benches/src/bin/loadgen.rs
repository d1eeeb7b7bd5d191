//! `loadgen`: the live exchange server under load over loopback, through its HTTP and
//! WebSocket API. Prints one `key=value` line per workload on stdout, progress on stderr:
//!
//! ```text
//! cargo run --release -p benches --bin loadgen [-- --quick] [--url http://HOST:PORT]
//! http_floor name=health path=/health requests_per_s=... p50_ms=... p99_ms=... ...
//! http_floor name=auth path=/api/v1/alerts requests_per_s=... ...
//! http orders_per_s=... p50_ms=... p99_ms=... p999_ms=... clients=64 orders=... errors=0 seconds=...
//! http_ratio orders_vs_health=... orders_vs_auth=...
//! ws_fanout subscribers=1000 updates=400 p50_ms=... p99_ms=... max_ms=... deliveries=400000 missing=0 ...
//! ```
//!
//! By default the server is started in this process over a temporary directory. To load a
//! server running elsewhere on this machine, write the bootstrap file, start the server
//! with it, and point the load generator at it:
//!
//! ```text
//! loadgen --write-bootstrap /tmp/loadgen.toml
//! exchange serve --data /tmp/loadgen-data --bootstrap /tmp/loadgen.toml --order-rate 1000000 \
//!     --connections-max 2000 --connections-per-client 2000
//! loadgen --url http://127.0.0.1:7070
//! ```
//!
//! See `benches::loadgen` for the workloads and how to read the numbers.
//!
//! Exit codes: 0 ok (the figures may still count errors); 2 bad arguments, or a failure to
//! start the server, set a workload up, or write the figures.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use benches::loadgen::{write_bootstrap, LoadgenError, Plan, Run, ServerChoice, Stop, Target};
use clap::Parser;

/// The exchange server under load over loopback: keep-alive HTTP clients placing and
/// cancelling orders, then a quote fanned out to many WebSocket subscribers.
///
/// The server is started in this process (on 127.0.0.1, over a temporary directory)
/// unless --url names one already running, which must have been started with the file
/// --write-bootstrap writes, e.g. `exchange serve --bootstrap FILE --order-rate 1000000
/// --connections-max 2000 --connections-per-client 2000`.
/// The load generator and the server share the machine's cores.
#[derive(Parser, Debug)]
#[command(name = "loadgen")]
struct Args {
    /// Run small (16 clients for 3 s; 100 subscribers, 100 updates), as a smoke test.
    #[arg(long)]
    quick: bool,
    /// Concurrent HTTP clients, one connection each [default: 64, or 16 with --quick].
    #[arg(long, value_name = "N")]
    clients: Option<usize>,
    /// How long the HTTP clients send orders, e.g. `20s` [default: 20s, or 3s with --quick].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, conflicts_with = "orders")]
    duration: Option<Duration>,
    /// Send this many order requests (places and cancels) in all instead of running for a
    /// duration; the floors still run for --floor-duration.
    #[arg(long, value_name = "N")]
    orders: Option<u64>,
    /// How long each floor (the same clients getting `/health`, then `/api/v1/alerts`)
    /// runs before the orders [default: 5s, or 1s with --quick].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    floor_duration: Option<Duration>,
    /// Measure no floors, and so print no `http_floor` and `http_ratio` lines.
    #[arg(long, conflicts_with = "floor_duration")]
    no_floors: bool,
    /// WebSocket subscribers of quotes:LOAD [default: 1000, or 100 with --quick].
    #[arg(long, value_name = "N")]
    subscribers: Option<usize>,
    /// Quote changes the fan-out driver makes [default: 400, or 100 with --quick].
    #[arg(long, value_name = "N")]
    updates: Option<usize>,
    /// Time between two of the driver's changes, e.g. `50ms` [default: 50ms, or 20ms with --quick].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    update_interval: Option<Duration>,
    /// Load this running server (http://HOST:PORT) instead of starting one.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Write the bootstrap file a --url server must be started with, then exit.
    #[arg(long, value_name = "FILE", conflicts_with = "url")]
    write_bootstrap: Option<PathBuf>,
}

fn main() -> ExitCode {
    // clap prints usage errors and exits with code 2 itself.
    let args = Args::parse();
    if let Some(path) = &args.write_bootstrap {
        return match write_bootstrap(path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail(format_args!("{}: {error}", path.display())),
        };
    }
    let (plan, server) = match plan(&args) {
        Ok(chosen) => chosen,
        Err(message) => return fail(format_args!("{message}")),
    };
    let mut run = Run {
        out: &mut io::stdout().lock(),
        progress: &mut io::stderr(),
    };
    match run.all(&plan, server) {
        Ok(_) => ExitCode::SUCCESS,
        // `loadgen | head` closing the pipe early is not an error.
        Err(LoadgenError::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => fail(format_args!("{error}")),
    }
}

/// Prints an error and returns exit code 2.
fn fail(message: std::fmt::Arguments<'_>) -> ExitCode {
    eprintln!("loadgen: {message}");
    ExitCode::from(2)
}

/// The sizes and the server asked for, validated.
fn plan(args: &Args) -> Result<(Plan, ServerChoice), String> {
    let mut plan = if args.quick {
        Plan::quick()
    } else {
        Plan::full()
    };
    plan.http.clients = positive("--clients", args.clients.unwrap_or(plan.http.clients))?;
    plan.http.stop = match (args.orders, args.duration) {
        (Some(0), _) => return Err("--orders must be at least 1".to_owned()),
        (Some(orders), _) => Stop::Orders(orders),
        (None, Some(duration)) if duration.is_zero() => {
            return Err("--duration must be longer than 0".to_owned())
        }
        (None, Some(duration)) => Stop::After(duration),
        (None, None) => plan.http.stop,
    };
    plan.floors = match (args.no_floors, args.floor_duration) {
        (true, _) => None,
        (false, Some(duration)) if duration.is_zero() => {
            return Err("--floor-duration must be longer than 0".to_owned())
        }
        (false, Some(duration)) => Some(duration),
        (false, None) => plan.floors,
    };
    let fanout = &mut plan.fanout;
    fanout.subscribers = positive(
        "--subscribers",
        args.subscribers.unwrap_or(fanout.subscribers),
    )?;
    fanout.updates = positive("--updates", args.updates.unwrap_or(fanout.updates))?;
    fanout.interval = args.update_interval.unwrap_or(fanout.interval);
    if fanout.interval.is_zero() {
        return Err("--update-interval must be longer than 0".to_owned());
    }
    let server = match &args.url {
        Some(url) => ServerChoice::At(Target::parse(url).map_err(|error| error.to_string())?),
        None => ServerChoice::InProcess,
    };
    Ok((plan, server))
}

/// `value`, if it is at least 1.
fn positive(option: &str, value: usize) -> Result<usize, String> {
    if value == 0 {
        return Err(format!("{option} must be at least 1"));
    }
    Ok(value)
}

/// mimalloc serves the server's many small, short-lived allocations (requests, JSON,
/// records) faster than the system allocator: about 8% more orders/s in `loadgen`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
