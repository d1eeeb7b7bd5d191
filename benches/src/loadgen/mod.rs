//! The load generator: the live exchange server measured over loopback, through its real
//! HTTP and WebSocket API, with the real durability (sled, one `fdatasync` per batch).
//!
//! ```text
//! cargo run --release -p benches --bin loadgen [-- --quick]
//! http_floor name=health path=/health requests_per_s=... p50_ms=... p99_ms=... p999_ms=... clients=64 requests=... errors=0 seconds=...
//! http_floor name=auth path=/api/v1/alerts requests_per_s=... ...
//! http orders_per_s=... p50_ms=... p99_ms=... p999_ms=... clients=64 orders=... errors=0 seconds=...
//! http_ratio orders_vs_health=... orders_vs_auth=...
//! ws_fanout subscribers=1000 updates=400 p50_ms=... p99_ms=... max_ms=... deliveries=400000 missing=0 disconnects=0 ack_p50_ms=... ack_p99_ms=... interval_ms=50
//! ```
//!
//! The workloads run one after the other, each printing one `key=value` line:
//!
//! - the floors ([`http::FLOORS`]), 5 s each: the same clients `GET` a path over and over,
//!   `/health` (HTTP and a read through the sequencer) and `/api/v1/alerts` (the same with
//!   the bearer token checked and the caller's account read, as for every order). An order
//!   does all a floor does and more (parse its body, decide it, make it durable, publish
//!   it), so on the same cores no order can be answered faster; `--no-floors` skips them.
//! - [`http`]: many keep-alive clients (64 by default), each placing a one-share limit
//!   order and cancelling its oldest, closed-loop, for 20 s (or a number of orders).
//!   `orders_per_s` is the rate of requests answered 201/200 (places and cancels alike:
//!   each is one durable command), `p50_ms`/`p99_ms`/`p999_ms` are percentiles of their
//!   latencies (an HDR histogram, to 0.1%), and `errors` counts every other answer (the
//!   first few are printed to stderr): it should be 0. `http_ratio` then gives
//!   `orders_per_s` over each floor's `requests_per_s`: the share of the floor's rate the
//!   orders keep once each one is decided, made durable and published. Unlike the rates
//!   themselves, which vary by a third between runs on a shared machine, the ratios
//!   compare runs made a few seconds apart.
//! - [`fanout`]: 1,000 WebSocket subscribers of `quotes:LOAD`; a driver moves the best bid
//!   400 times, one command every 50 ms, and each quote's latency is its arrival at a
//!   subscriber minus the sending of the command that caused it. Percentiles are over all
//!   (subscriber, update) pairs; `missing` and `disconnects` should be 0.
//!
//! `--quick` runs both small (16 clients for 3 s; 100 subscribers, 100 updates every 20 ms),
//! as a smoke test.
//!
//! ## The server
//! By default the exchange is started in this process ([`InProcessServer`]) on
//! 127.0.0.1 with a free port, over a temporary data directory, bootstrapped with
//! [`bootstrap_toml`] and without order rate limits; it runs on its own tokio runtime, the
//! load generator on another. With `--url http://HOST:PORT` the load goes to a server
//! already running, which must have been started with the file `--write-bootstrap FILE`
//! writes and an order rate limit the load does not reach:
//!
//! ```text
//! cargo run --release -p benches --bin loadgen -- --write-bootstrap /tmp/loadgen.toml
//! exchange serve --data /tmp/loadgen-data --bootstrap /tmp/loadgen.toml --order-rate 1000000 \
//!     --connections-max 2000 --connections-per-client 2000
//! cargo run --release -p benches --bin loadgen -- --url http://127.0.0.1:7070
//! ```
//!
//! ## Reading the numbers
//! The machine has 2 cores, and the load generator shares them with the server (in process
//! or not): every figure is the server's cost *plus* the clients'. The clients are kept
//! cheap (one connection per client, reused; order bodies serialized once; answers read
//! for two fields), but 64 HTTP clients or 1,000 WebSocket clients still take CPU time
//! the server would otherwise have, so these are lower bounds on what the server does
//! alone. The HTTP latencies include waiting for the group commit's `fdatasync`, so they
//! follow the disk. The fan-out's latencies include that commit too (the driver's
//! `ack_p50_ms` shows how much) and the time a subscriber waits to be scheduled among
//! 1,000. Each update is a burst of 1,000 WebSocket writes by the server and 1,000 reads
//! by the subscribers on the same 2 cores, so the spread between `p50_ms` and `max_ms` is
//! mostly how long one burst takes to get through the CPU.

pub mod api;
pub mod bootstrap;
pub mod error;
pub mod fanout;
pub mod http;
pub mod server;
pub mod stats;
pub mod subscriber;

pub use bootstrap::{bootstrap_toml, write_bootstrap, TICKER, TRADERS};
pub use error::LoadgenError;
pub use fanout::{run_fanout, FanoutPlan, FanoutReport};
pub use http::{run_http, Floor, HttpPlan, HttpReport, Requests, Stop, FLOORS};
pub use server::{InProcessServer, Target};
pub use stats::Latencies;

use std::io::Write;
use std::time::Duration;

use tokio::task::JoinHandle;

/// Worker threads of the load generator's runtime (the machine has 2 cores).
pub const CLIENT_WORKERS: usize = 2;

/// The sizes of the workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// How long each of [`FLOORS`] runs, with the HTTP workload's clients, before it; `None`
    /// skips them.
    pub floors: Option<Duration>,
    /// The HTTP workload.
    pub http: HttpPlan,
    /// The fan-out workload.
    pub fanout: FanoutPlan,
}

impl Plan {
    /// The full run: floors of 5 s, then 64 clients for 20 s; 1,000 subscribers, 400
    /// updates every 50 ms.
    pub fn full() -> Plan {
        Plan {
            floors: Some(Duration::from_secs(5)),
            http: HttpPlan {
                requests: Requests::Orders,
                clients: 64,
                stop: Stop::After(Duration::from_secs(20)),
            },
            fanout: FanoutPlan {
                subscribers: 1_000,
                updates: 400,
                interval: Duration::from_millis(50),
            },
        }
    }

    /// The smoke test: floors of 1 s, then 16 clients for 3 s; 100 subscribers, 100 updates
    /// every 20 ms.
    pub fn quick() -> Plan {
        Plan {
            floors: Some(Duration::from_secs(1)),
            http: HttpPlan {
                requests: Requests::Orders,
                clients: 16,
                stop: Stop::After(Duration::from_secs(3)),
            },
            fanout: FanoutPlan {
                subscribers: 100,
                updates: 100,
                interval: Duration::from_millis(20),
            },
        }
    }
}

/// Which server to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerChoice {
    /// Start one in this process ([`InProcessServer`]).
    InProcess,
    /// One already running, started with [`bootstrap_toml`].
    At(Target),
}

/// The workloads' figures.
#[derive(Clone, Debug)]
pub struct Reports {
    /// The floors', in the order of [`FLOORS`] (none if they were skipped).
    pub floors: Vec<HttpReport>,
    /// The HTTP workload's.
    pub http: HttpReport,
    /// The fan-out's.
    pub fanout: FanoutReport,
}

/// Where the figures and the progress notes go.
pub struct Run<'a> {
    /// Figures: one `key=value` line each.
    pub out: &'a mut dyn Write,
    /// Progress notes for a person watching; write errors here are ignored.
    pub progress: &'a mut dyn Write,
}

impl Run<'_> {
    /// Runs the workloads of `plan` against `server`, printing a line for each. Call it
    /// from synchronous code: it makes the runtimes it needs.
    pub fn all(&mut self, plan: &Plan, server: ServerChoice) -> Result<Reports, LoadgenError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(CLIENT_WORKERS)
            .thread_name("loadgen")
            .enable_all()
            .build()
            .map_err(LoadgenError::Io)?;
        match server {
            ServerChoice::At(target) => runtime.block_on(self.measure(plan, &target)),
            ServerChoice::InProcess => {
                let server = InProcessServer::start()?;
                self.note(format_args!(
                    "server on {} (data in {})",
                    server.target.url("/"),
                    server.data_dir().display()
                ));
                let reports = runtime.block_on(self.measure(plan, &server.target));
                // Close every client connection before the server drains.
                drop(runtime);
                server.stop()?;
                reports
            }
        }
    }

    /// Runs the floors, the HTTP workload and the fan-out, printing each line as it is
    /// measured.
    pub async fn measure(&mut self, plan: &Plan, target: &Target) -> Result<Reports, LoadgenError> {
        let mut floors = Vec::new();
        if let Some(duration) = plan.floors {
            for floor in FLOORS {
                let floor_plan = HttpPlan {
                    requests: Requests::Floor(floor),
                    clients: plan.http.clients,
                    stop: Stop::After(duration),
                };
                floors.push(self.http(target, &floor_plan).await?);
            }
        }
        let http = self.http(target, &plan.http).await?;
        if !floors.is_empty() {
            self.figure(format_args!("http_ratio {}", Ratios(&http, &floors)))?;
        }
        let fanout = &plan.fanout;
        self.note(format_args!(
            "ws_fanout: {} subscribers, {} updates every {:?}",
            fanout.subscribers, fanout.updates, fanout.interval
        ));
        let fanout = run_fanout(target, fanout).await?;
        self.figure(format_args!("ws_fanout {fanout}"))?;
        Ok(Reports {
            floors,
            http,
            fanout,
        })
    }

    /// Runs one HTTP workload and prints its line.
    async fn http(&mut self, target: &Target, plan: &HttpPlan) -> Result<HttpReport, LoadgenError> {
        let what = match plan.requests {
            Requests::Orders => "orders".to_owned(),
            Requests::Floor(floor) => format!("GET {}", floor.path),
        };
        let until = match plan.stop {
            Stop::After(duration) => format!("for {duration:?}"),
            Stop::Orders(orders) => format!("for {orders} requests"),
        };
        self.note(format_args!(
            "http: {} clients, {what}, {until}",
            plan.clients
        ));
        let report = run_http(target, plan).await?;
        self.figure(format_args!("{report}"))?;
        Ok(report)
    }

    /// Writes one figure line and flushes it.
    fn figure(&mut self, line: std::fmt::Arguments<'_>) -> Result<(), LoadgenError> {
        writeln!(self.out, "{line}")
            .and_then(|()| self.out.flush())
            .map_err(LoadgenError::Output)
    }

    /// Writes one progress note.
    fn note(&mut self, line: std::fmt::Arguments<'_>) {
        // Progress is for a person watching; losing it must not stop the measurements.
        let _ = writeln!(self.progress, "loadgen: {line}");
    }
}

/// The `http_ratio` line's `key=value` part: the orders' rate over each floor's.
struct Ratios<'a>(&'a HttpReport, &'a [HttpReport]);

impl std::fmt::Display for Ratios<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Ratios(orders, floors) = *self;
        for (at, floor) in floors.iter().enumerate() {
            let Requests::Floor(Floor { name, .. }) = floor.requests else {
                unreachable!("floors are floor runs");
            };
            let separator = if at == 0 { "" } else { " " };
            write!(f, "{separator}orders_vs_{name}=")?;
            if floor.answered == 0 {
                // Every floor request failed (counted in its line's `errors`): no rate to
                // compare with.
                f.write_str("none")?;
            } else {
                write!(f, "{:.3}", orders.per_s() / floor.per_s())?;
            }
        }
        Ok(())
    }
}

/// Waits for a task, passing its panic on.
async fn join<T>(task: JoinHandle<T>) -> T {
    match task.await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => unreachable!("no load generator task is ever cancelled: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(requests: Requests, answered: u64, seconds: u64) -> HttpReport {
        HttpReport {
            requests,
            clients: 1,
            answered,
            errors: 0,
            elapsed: Duration::from_secs(seconds),
            latencies: Latencies::new(),
        }
    }

    #[test]
    fn ratios_compare_rates_and_name_a_floor_that_answered_nothing() {
        let orders = report(Requests::Orders, 300, 10);
        let floors = [
            report(Requests::Floor(FLOORS[0]), 600, 5),
            report(Requests::Floor(FLOORS[1]), 0, 5),
        ];
        assert_eq!(
            Ratios(&orders, &floors).to_string(),
            "orders_vs_health=0.250 orders_vs_auth=none"
        );
    }

    /// The quick mode's logic, shortened, against the in-process server: every order
    /// answered as expected and every quote delivered (nothing about speed).
    #[test]
    fn loadgen_quick_run_measures_floors_completes_orders_and_delivers_every_quote() {
        let mut plan = Plan::quick();
        plan.http.stop = Stop::After(Duration::from_secs(1));
        plan.fanout.updates = 40;
        let mut out = Vec::new();
        let mut run = Run {
            out: &mut out,
            progress: &mut std::io::sink(),
        };
        let reports = run.all(&plan, ServerChoice::InProcess).expect("a load run");
        assert_eq!(reports.floors.len(), FLOORS.len());
        for (floor, report) in FLOORS.iter().zip(&reports.floors) {
            assert_eq!(report.requests, Requests::Floor(*floor));
            assert!(report.answered > 0, "{report:?}");
            assert_eq!(report.errors, 0, "{report:?}");
            assert_eq!(report.latencies.count(), report.answered);
        }
        assert!(reports.http.answered > 0, "{:?}", reports.http);
        assert_eq!(reports.http.errors, 0);
        assert_eq!(reports.http.latencies.count(), reports.http.answered);
        let fanout = &reports.fanout;
        assert_eq!(
            fanout.deliveries,
            (fanout.plan.subscribers * fanout.plan.updates) as u64
        );
        assert_eq!(fanout.missing, 0);
        assert_eq!(fanout.disconnects, 0);
        let out = String::from_utf8(out).expect("UTF-8 figures");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert!(
            lines[0].starts_with("http_floor name=health path=/health requests_per_s="),
            "{out}"
        );
        assert!(
            lines[1].starts_with("http_floor name=auth path=/api/v1/alerts requests_per_s="),
            "{out}"
        );
        assert!(lines[2].starts_with("http orders_per_s="), "{out}");
        let ratio = |key: &str| -> f64 {
            let value = lines[3]
                .split(' ')
                .find_map(|pair| pair.strip_prefix(key))
                .unwrap_or_else(|| panic!("{key} in {out}"));
            value.parse().expect("a ratio")
        };
        assert!(lines[3].starts_with("http_ratio "), "{out}");
        for (at, key) in ["orders_vs_health=", "orders_vs_auth="].iter().enumerate() {
            let expected = reports.http.per_s() / reports.floors[at].per_s();
            assert!((ratio(key) - expected).abs() < 0.001, "{key} in {out}");
        }
        assert!(
            lines[4].starts_with("ws_fanout subscribers=100 updates=40 "),
            "{out}"
        );
    }
}
