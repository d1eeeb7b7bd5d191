//! The HTTP workload: many keep-alive clients placing and cancelling limit orders on one
//! ticker, closed-loop, as fast as the server answers.
//!
//! Client `i` trades as trader `i % TRADERS` on a connection of its own. It places GTC
//! limit orders of one share, alternately a buy at `BUY_PRICE_MIN + i % 100` and a sell at
//! `SELL_PRICE_MIN + i % 100` (they never trade), until it has [`OPEN_PER_CLIENT`] of its
//! own resting; from then on it cancels its oldest before each new one. So the server sees
//! an even mix of places (201) and cancels (200), every one a durable command.
//!
//! Every successful request's latency, from handing it to the connection to the last byte
//! of the answer, goes into one histogram. `orders` counts the requests answered as expected
//! (201 or 200), `orders_per_s` is `orders` over the time from the start to the last
//! client's last answer, and `errors` counts every other answer or failed request (the
//! first [`ERRORS_PRINTED_MAX`] are printed to stderr). After the measured window each
//! client cancels what it left resting; those cancels are not measured.
//!
//! The same clients can instead send a [`Floor`]: one `GET` over and over, expecting 200.
//! A floor costs what every request costs (loopback TCP, HTTP, a trip through the
//! sequencer) but writes nothing to the log, so comparing an order run with a floor
//! measured just before it, on the same cores, shows what the orders themselves cost.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::StatusCode;
use tokio::sync::Barrier;

use super::api::{limit_order_body, Answer, Side, Trader};
use super::bootstrap::{trader_token, BUY_PRICE_MIN, PRICES_PER_SIDE, SELL_PRICE_MIN, TRADERS};
use super::error::LoadgenError;
use super::join;
use super::server::Target;
use super::stats::Latencies;

/// Orders each client keeps resting before it starts cancelling its oldest.
pub const OPEN_PER_CLIENT: usize = 2;

/// Failed requests whose details are printed to stderr; later ones are only counted.
pub const ERRORS_PRINTED_MAX: usize = 5;

/// A request whose rate bounds what the orders could reach: every order costs at least as
/// much as it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Floor {
    /// A short name for the figure lines (`health`).
    pub name: &'static str,
    /// The path each client gets, over and over.
    pub path: &'static str,
}

/// The floors a full run measures before its orders, cheapest first.
pub const FLOORS: [Floor; 2] = [
    // No authentication: HTTP and a read through the sequencer.
    Floor {
        name: "health",
        path: "/health",
    },
    // What every order does besides its own work: the bearer token checked, a read of the
    // caller's account through the sequencer, a JSON answer (its alerts, none here).
    Floor {
        name: "auth",
        path: "/api/v1/alerts",
    },
];

/// What the HTTP clients send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requests {
    /// Limit orders and cancels: the measured workload.
    Orders,
    /// A floor's `GET`, for comparison.
    Floor(Floor),
}

/// When the HTTP clients stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Send no request after this long from the start.
    After(Duration),
    /// Send this many requests in all, over all clients.
    Orders(u64),
}

/// The HTTP workload's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpPlan {
    /// What they send.
    pub requests: Requests,
    /// Concurrent clients, one connection each.
    pub clients: usize,
    /// When they stop.
    pub stop: Stop,
}

/// An HTTP workload's figures. Its `Display` is its whole figure line.
#[derive(Clone, Debug)]
pub struct HttpReport {
    /// What was sent.
    pub requests: Requests,
    /// Concurrent clients.
    pub clients: usize,
    /// Requests answered as expected, in the measured window: 201 (place) or 200 (cancel,
    /// a floor's `GET`).
    pub answered: u64,
    /// Requests answered otherwise or failed, the final cancels included.
    pub errors: u64,
    /// From the start to the last client's last measured answer.
    pub elapsed: Duration,
    /// Every measured request's latency.
    pub latencies: Latencies,
}

impl HttpReport {
    /// Successful requests per second of `elapsed`.
    pub fn per_s(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64()
    }
}

/// `http orders_per_s=... orders=...` for orders, `http_floor name=... path=...
/// requests_per_s=... requests=...` for a floor (the line's first word included).
impl fmt::Display for HttpReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = match self.requests {
            Requests::Orders => {
                f.write_str("http ")?;
                "orders"
            }
            Requests::Floor(floor) => {
                write!(f, "http_floor name={} path={} ", floor.name, floor.path)?;
                "requests"
            }
        };
        write!(
            f,
            "{noun}_per_s={:.0} p50_ms={:.3} p99_ms={:.3} p999_ms={:.3} clients={} {noun}={} \
             errors={} seconds={:.3}",
            self.per_s(),
            self.latencies.quantile_ms(0.50),
            self.latencies.quantile_ms(0.99),
            self.latencies.quantile_ms(0.999),
            self.clients,
            self.answered,
            self.errors,
            self.elapsed.as_secs_f64(),
        )
    }
}

/// What the clients share: the stop rule and the error reports.
struct Shared {
    stop: Stop,
    requests_claimed: AtomicU64,
    errors_printed: AtomicUsize,
}

impl Shared {
    /// Whether a client may send another measured request.
    fn claim(&self, deadline: Instant) -> bool {
        match self.stop {
            Stop::After(_) => Instant::now() < deadline,
            Stop::Orders(orders) => self.requests_claimed.fetch_add(1, Ordering::Relaxed) < orders,
        }
    }

    /// Prints a failed request's details, if not too many were printed already.
    fn report(&self, request: &str, detail: fmt::Arguments<'_>) {
        if self.errors_printed.fetch_add(1, Ordering::Relaxed) < ERRORS_PRINTED_MAX {
            eprintln!("loadgen: http: {request}: {detail}");
        }
    }
}

/// Runs an HTTP workload against `target`: opens every client's connection (checking its
/// token), starts them together, and waits for all of them.
pub async fn run_http(target: &Target, plan: &HttpPlan) -> Result<HttpReport, LoadgenError> {
    assert!(plan.clients >= 1, "the HTTP workload needs a client");
    let shared = Arc::new(Shared {
        stop: plan.stop,
        requests_claimed: AtomicU64::new(0),
        errors_printed: AtomicUsize::new(0),
    });
    let start = Arc::new(Barrier::new(plan.clients + 1));
    let mut tasks = Vec::with_capacity(plan.clients);
    for index in 0..plan.clients {
        let mut client = Client::connect(target, index).await?;
        client.trader.check_account().await?;
        tasks.push(tokio::spawn(client.run(
            plan.requests,
            Arc::clone(&shared),
            Arc::clone(&start),
        )));
    }
    start.wait().await;
    let started = Instant::now();
    let mut report = HttpReport {
        requests: plan.requests,
        clients: plan.clients,
        answered: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Latencies::new(),
    };
    for task in tasks {
        let done = join(task).await;
        report.answered += done.answered;
        report.errors += done.errors;
        report.latencies.merge(&done.latencies);
        report.elapsed = report.elapsed.max(done.finished.duration_since(started));
    }
    Ok(report)
}

/// One client's figures.
struct Done {
    answered: u64,
    errors: u64,
    latencies: Latencies,
    finished: Instant,
}

/// One HTTP client: a trader, its two order bodies, and its resting orders, oldest first.
struct Client {
    trader: Trader,
    bodies: [Bytes; 2],
    next_body: usize,
    open: VecDeque<u64>,
    answered: u64,
    errors: u64,
    latencies: Latencies,
}

impl Client {
    /// Client `index`, connected: trader `index % TRADERS`, prices spread by `index`.
    async fn connect(target: &Target, index: usize) -> Result<Client, LoadgenError> {
        let offset = index as u64 % PRICES_PER_SIDE;
        Ok(Client {
            trader: Trader::connect(target, &trader_token(index % TRADERS)).await?,
            bodies: [
                limit_order_body(Side::Buy, BUY_PRICE_MIN + offset),
                limit_order_body(Side::Sell, SELL_PRICE_MIN + offset),
            ],
            next_body: index % 2,
            open: VecDeque::with_capacity(OPEN_PER_CLIENT + 1),
            answered: 0,
            errors: 0,
            latencies: Latencies::new(),
        })
    }

    /// Waits for the start, sends requests until the stop rule says no, then cancels what
    /// it left resting.
    async fn run(mut self, requests: Requests, shared: Arc<Shared>, start: Arc<Barrier>) -> Done {
        start.wait().await;
        let deadline = match shared.stop {
            Stop::After(duration) => Instant::now() + duration,
            Stop::Orders(_) => Instant::now(),
        };
        while shared.claim(deadline) {
            match requests {
                Requests::Floor(floor) => self.get(&shared, floor.path).await,
                Requests::Orders if self.open.len() < OPEN_PER_CLIENT => self.place(&shared).await,
                Requests::Orders => self.cancel_oldest(&shared, Measure::Yes).await,
            }
        }
        let finished = Instant::now();
        while !self.open.is_empty() {
            self.cancel_oldest(&shared, Measure::No).await;
        }
        Done {
            answered: self.answered,
            errors: self.errors,
            latencies: self.latencies,
            finished,
        }
    }

    /// Places the next order and remembers it.
    async fn place(&mut self, shared: &Shared) {
        const REQUEST: &str = "POST /api/v1/orders";
        let body = self.bodies[self.next_body].clone();
        self.next_body = 1 - self.next_body;
        let answer = self.trader.place(body).await;
        let Some(answer) = self.settle(shared, REQUEST, answer, StatusCode::CREATED) else {
            return;
        };
        match answer.order_result().and_then(|result| result.order) {
            Some(order) => {
                self.open.push_back(order.id);
                self.succeeded(&answer, Measure::Yes);
            }
            None => self.failed(
                shared,
                REQUEST,
                format_args!("201 without an order: {}", answer.body_text()),
            ),
        }
    }

    /// Gets a floor's path, which must answer 200.
    async fn get(&mut self, shared: &Shared, path: &'static str) {
        let answer = self.trader.get(path).await;
        if let Some(answer) = self.settle(shared, path, answer, StatusCode::OK) {
            self.succeeded(&answer, Measure::Yes);
        }
    }

    /// Cancels the oldest resting order (forgetting it even if the cancel fails).
    async fn cancel_oldest(&mut self, shared: &Shared, measure: Measure) {
        const REQUEST: &str = "DELETE /api/v1/orders/{id}";
        let Some(order) = self.open.pop_front() else {
            return;
        };
        let answer = self.trader.cancel(order).await;
        if let Some(answer) = self.settle(shared, REQUEST, answer, StatusCode::OK) {
            self.succeeded(&answer, measure);
        }
    }

    /// The answer if it has the expected status; otherwise counts and reports the error.
    fn settle(
        &mut self,
        shared: &Shared,
        request: &str,
        answer: Result<Answer, hyper::Error>,
        expected: StatusCode,
    ) -> Option<Answer> {
        match answer {
            Ok(answer) if answer.status == expected => Some(answer),
            Ok(answer) => {
                let status = answer.status.as_u16();
                self.failed(
                    shared,
                    request,
                    format_args!("{status} {}", answer.body_text()),
                );
                None
            }
            Err(error) => {
                self.failed(shared, request, format_args!("{error}"));
                None
            }
        }
    }

    /// Counts a measured success and its latency.
    fn succeeded(&mut self, answer: &Answer, measure: Measure) {
        if measure == Measure::Yes {
            self.answered += 1;
            self.latencies.record(answer.latency);
        }
    }

    /// Counts an error and reports it.
    fn failed(&mut self, shared: &Shared, request: &str, detail: fmt::Arguments<'_>) {
        self.errors += 1;
        shared.report(request, detail);
    }
}

/// Whether a request is part of the measurement (the final cancels are not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measure {
    Yes,
    No,
}
