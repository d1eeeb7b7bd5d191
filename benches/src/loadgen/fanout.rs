//! The WebSocket fan-out workload: how long a quote change takes to reach every one of
//! many subscribers.
//!
//! [`FanoutPlan::subscribers`] WebSocket clients subscribe to `quotes:LOAD`. Then a driver,
//! on its own connection, moves the best bid `updates` times, one command every
//! `interval` (or slower, if an answer takes longer): it places a buy at `FANOUT_PRICE`
//! (above every other bid: the bid changes), then cancels it (the bid changes back), and so
//! on. It notes when it sent each command, by the `seq` the answer carries; each
//! subscriber notes when each `quote` arrived, by its `seq`. A delivery's latency is the
//! arrival minus the sending of the command that caused it: the durable commit, the hub's
//! fan-out and the subscriber's own wake-up, all on the same 2 cores.
//!
//! Percentiles are over all (subscriber, update) pairs. `missing` counts the pairs that
//! never arrived (a subscriber waits at most [`DRAIN_MAX`] after the last update) and
//! `disconnects` the subscribers whose connection ended early (such as a slow consumer the
//! server dropped); both should be 0. `ack_p50_ms` and `ack_p99_ms` are the driver's own
//! request latencies, the part of every delivery's latency spent before the server
//! answered.

use std::fmt;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use http::StatusCode;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::api::{limit_order_body, Answer, OrderResult, Side, Trader};
use super::bootstrap::{driver_token, FANOUT_PRICE};
use super::error::LoadgenError;
use super::join;
use super::server::Target;
use super::stats::Latencies;
use super::subscriber::{listen, subscribe, Received, Socket, StopAt};

/// Subscribers connecting at once.
pub const CONNECTS_AT_ONCE: usize = 64;

/// How long subscribers may still wait for the last update once the driver is done.
pub const DRAIN_MAX: Duration = Duration::from_secs(10);

/// The fan-out workload's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FanoutPlan {
    /// WebSocket clients subscribed to `quotes:LOAD`.
    pub subscribers: usize,
    /// Quote changes the driver makes.
    pub updates: usize,
    /// The time between two of the driver's commands, at least.
    pub interval: Duration,
}

/// The fan-out workload's figures. Its `Display` is the `key=value` part of its line.
#[derive(Clone, Debug)]
pub struct FanoutReport {
    /// The plan measured.
    pub plan: FanoutPlan,
    /// The latency of every delivery.
    pub latencies: Latencies,
    /// (subscriber, update) pairs delivered.
    pub deliveries: u64,
    /// (subscriber, update) pairs never delivered.
    pub missing: u64,
    /// Subscribers whose connection ended before the last update.
    pub disconnects: usize,
    /// The driver's request latencies.
    pub acks: Latencies,
}

impl fmt::Display for FanoutReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "subscribers={} updates={} p50_ms={:.3} p99_ms={:.3} max_ms={:.3} deliveries={} missing={} \
             disconnects={} ack_p50_ms={:.3} ack_p99_ms={:.3} interval_ms={}",
            self.plan.subscribers,
            self.plan.updates,
            self.latencies.quantile_ms(0.50),
            self.latencies.quantile_ms(0.99),
            self.latencies.max_ms(),
            self.deliveries,
            self.missing,
            self.disconnects,
            self.acks.quantile_ms(0.50),
            self.acks.quantile_ms(0.99),
            self.plan.interval.as_millis(),
        )
    }
}

/// Runs the fan-out workload against `target`: subscribes everyone, drives the updates,
/// waits for the deliveries, and tallies them.
pub async fn run_fanout(target: &Target, plan: &FanoutPlan) -> Result<FanoutReport, LoadgenError> {
    assert!(plan.subscribers >= 1, "the fan-out needs a subscriber");
    assert!(plan.updates >= 1, "the fan-out needs an update");
    assert!(
        !plan.interval.is_zero(),
        "the driver's interval is longer than 0"
    );
    let mut driver = Trader::connect(target, &driver_token()).await?;
    driver.check_account().await?;
    let sockets = subscribe_all(&target.ws_url(), plan.subscribers).await?;
    let (stop, stop_watch) = watch::channel(None);
    let listeners: Vec<_> = sockets
        .into_iter()
        .map(|socket| tokio::spawn(listen(socket, stop_watch.clone(), plan.updates)))
        .collect();
    let driven = drive(&mut driver, plan).await;
    let last_seq = driven.as_ref().ok().map(Driven::last_seq);
    let received = collect(&stop, listeners, last_seq).await;
    let driven = driven?;
    if let Some(order) = driven.resting {
        expect(
            driver.cancel(order).await?,
            StatusCode::OK,
            "DELETE /api/v1/orders/{id}",
        )?;
    }
    let tally = tally(&driven.sent, &received);
    Ok(FanoutReport {
        plan: *plan,
        latencies: tally.latencies,
        deliveries: tally.deliveries,
        missing: tally.missing,
        disconnects: tally.disconnects,
        acks: driven.acks,
    })
}

/// Connects `subscribers` subscribers to `ws_url`, [`CONNECTS_AT_ONCE`] at a time.
async fn subscribe_all(ws_url: &str, subscribers: usize) -> Result<Vec<Socket>, LoadgenError> {
    futures_util::stream::iter(0..subscribers)
        .map(|_| subscribe(ws_url))
        .buffer_unordered(CONNECTS_AT_ONCE)
        .try_collect()
        .await
}

/// Tells the listeners to stop once they have seen `last_seq` (or at once if the driver
/// failed and there is none), and waits for what they received.
async fn collect(
    stop: &watch::Sender<Option<StopAt>>,
    listeners: Vec<JoinHandle<Received>>,
    last_seq: Option<u64>,
) -> Vec<Received> {
    let stop_at = match last_seq {
        Some(last_seq) => StopAt {
            last_seq,
            deadline: Instant::now() + DRAIN_MAX,
        },
        None => StopAt {
            last_seq: 0,
            deadline: Instant::now(),
        },
    };
    // The listeners hold receivers until they are joined below, so this cannot fail.
    let _ = stop.send(Some(stop_at));
    let mut received = Vec::with_capacity(listeners.len());
    for listener in listeners {
        received.push(join(listener).await);
    }
    received
}

/// What the driver did.
struct Driven {
    /// Each command's seq and sending moment, in order.
    sent: Vec<(u64, Instant)>,
    /// Its request latencies.
    acks: Latencies,
    /// Its order still resting at the end, if the last command placed it.
    resting: Option<u64>,
}

impl Driven {
    /// The seq of the last command.
    fn last_seq(&self) -> u64 {
        self.sent.last().map_or(0, |&(seq, _)| seq)
    }
}

/// Places and cancels the driver's buy at `FANOUT_PRICE`, `plan.updates` commands in all,
/// each at least `plan.interval` after the previous one.
async fn drive(driver: &mut Trader, plan: &FanoutPlan) -> Result<Driven, LoadgenError> {
    let body = limit_order_body(Side::Buy, FANOUT_PRICE);
    let mut every = tokio::time::interval(plan.interval);
    every.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut driven = Driven {
        sent: Vec::with_capacity(plan.updates),
        acks: Latencies::new(),
        resting: None,
    };
    for _ in 0..plan.updates {
        every.tick().await;
        let (answer, result) = match driven.resting.take() {
            None => {
                let answer = driver.place(body.clone()).await?;
                let result = expect(answer.clone(), StatusCode::CREATED, "POST /api/v1/orders")?;
                driven.resting = result.order.map(|order| order.id);
                (answer, result)
            }
            Some(order) => {
                let answer = driver.cancel(order).await?;
                let result = expect(answer.clone(), StatusCode::OK, "DELETE /api/v1/orders/{id}")?;
                (answer, result)
            }
        };
        driven.acks.record(answer.latency);
        driven.sent.push((result.seq, answer.sent));
    }
    Ok(driven)
}

/// The answer's `OrderResult`, if it has the expected status and is one.
fn expect(answer: Answer, status: StatusCode, request: &str) -> Result<OrderResult, LoadgenError> {
    match answer.order_result() {
        Some(result) if answer.status == status => Ok(result),
        _ => Err(LoadgenError::Refused {
            request: format!("fan-out driver: {request}"),
            status: answer.status.as_u16(),
            body: answer.body_text(),
        }),
    }
}

/// The deliveries matched with the commands that caused them.
#[derive(Clone, Debug)]
pub struct Tally {
    /// The latency of every delivery.
    pub latencies: Latencies,
    /// (subscriber, update) pairs delivered.
    pub deliveries: u64,
    /// (subscriber, update) pairs never delivered.
    pub missing: u64,
    /// Subscribers disconnected early.
    pub disconnects: usize,
}

/// Matches every subscriber's quotes with the driver's commands by seq (quotes of other
/// commands, such as the subscription's snapshot, are ignored). `sent` is in seq order.
pub fn tally(sent: &[(u64, Instant)], received: &[Received]) -> Tally {
    assert!(
        sent.windows(2).all(|pair| pair[0].0 < pair[1].0),
        "commands are sent in seq order"
    );
    let mut tally = Tally {
        latencies: Latencies::new(),
        deliveries: 0,
        missing: 0,
        disconnects: 0,
    };
    for subscriber in received {
        let mut delivered = 0;
        let mut seq_last = 0;
        for &(seq, arrived) in &subscriber.quotes {
            let Ok(update) = sent.binary_search_by_key(&seq, |&(seq, _)| seq) else {
                continue;
            };
            if seq != seq_last {
                tally
                    .latencies
                    .record(arrived.saturating_duration_since(sent[update].1));
                delivered += 1;
                seq_last = seq;
            }
        }
        tally.deliveries += delivered;
        tally.missing += sent.len() as u64 - delivered;
        tally.disconnects += usize::from(subscriber.disconnected);
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadgen_fanout_tally_matches_quotes_with_commands_by_seq() {
        let start = Instant::now();
        let at = |ms: u64| start + Duration::from_millis(ms);
        let sent = [(10, at(0)), (12, at(100))];
        let everything = Received {
            quotes: vec![(3, at(0)), (10, at(2)), (12, at(104))],
            disconnected: false,
        };
        let cut_off = Received {
            quotes: vec![(10, at(8))],
            disconnected: true,
        };
        let tally = tally(&sent, &[everything, cut_off]);
        assert_eq!(tally.deliveries, 3);
        assert_eq!(tally.missing, 1);
        assert_eq!(tally.disconnects, 1);
        assert_eq!(tally.latencies.count(), 3);
        assert!((tally.latencies.quantile_ms(0.5) - 4.0).abs() < 0.01);
        assert!((tally.latencies.max_ms() - 8.0).abs() < 0.01);
    }
}
