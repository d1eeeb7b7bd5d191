//! The runner's unit tests, with scripted probes and the test kit's strategies.

use super::testkit::{Jumper, Launcher, Quoter, Sprinter};
use super::*;
use crate::strategy::{ActionKind, Ctx, Input, MarketInputs, OrderDone, Strategy};
use exchange_core::log::MemoryLog;
use exchange_core::{AccountKind, Journal, JournalConfig, Side, Symbol, TimeInForce};
use std::sync::{Arc, Mutex};

type Script = Box<dyn FnMut(&Input, &mut Ctx<'_>) + Send>;

/// A strategy that records what it is given and acts by script.
struct Probe {
    seen: Arc<Mutex<Vec<Input>>>,
    script: Script,
    interval_ms: u64,
    market_inputs: MarketInputs,
}

impl Strategy for Probe {
    fn name(&self) -> &'static str {
        "probe"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.interval_ms
    }

    fn market_inputs(&self) -> MarketInputs {
        self.market_inputs
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        self.seen.lock().unwrap().push(*input);
        (self.script)(input, ctx);
    }
}

/// A probe and the inputs it will record.
fn probe(script: Script) -> (Box<dyn Strategy>, Arc<Mutex<Vec<Input>>>) {
    probe_of(script, MarketInputs::ALL)
}

/// A probe that wants only `market_inputs` of the market-wide inputs.
fn probe_of(
    script: Script,
    market_inputs: MarketInputs,
) -> (Box<dyn Strategy>, Arc<Mutex<Vec<Input>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let probe = Probe {
        seen: seen.clone(),
        script,
        interval_ms: 0,
        market_inputs,
    };
    (Box::new(probe), seen)
}

fn symbol() -> Symbol {
    Symbol::new("MNAD").unwrap()
}

fn simulation(cast: Cast, config: SimConfig) -> Simulation<MemoryLog> {
    let (journal, _) = Journal::open(MemoryLog::new(), config.journal).unwrap();
    Simulation::new(journal, cast, config).unwrap()
}

fn checked(seed: u64, duration_ms: u64) -> SimConfig {
    SimConfig::new(seed, duration_ms).with_checks(Checks::EveryCommand)
}

#[test]
fn fills_and_ends_reach_their_owners_under_client_ids() {
    let (buyer, bought) = probe(Box::new(|input, ctx| {
        if *input == Input::Start {
            ctx.limit(Side::Buy, 100, 5, TimeInForce::Gtc);
        }
    }));
    let (seller, sold) = probe(Box::new(|input, ctx| {
        if *input == Input::Start {
            ctx.limit(Side::Sell, 100, 3, TimeInForce::Gtc);
            ctx.act(crate::Action::Cancel { client_id: 42 });
        }
    }));
    let cast = Cast {
        symbol: symbol(),
        bots: vec![
            BotSpec::standard(1_000, 0, buyer),
            BotSpec::standard(0, 10, seller),
        ],
        trader: None,
    };
    let mut simulation = simulation(cast, checked(1, 1_000));
    simulation.run().unwrap();
    let trade = Input::Trade {
        price: 100,
        quantity: 3,
    };
    let bought = bought.lock().unwrap().clone();
    assert_eq!(
        bought,
        [
            Input::Start,
            Input::Quote,
            Input::Filled {
                client_id: 1,
                side: Side::Buy,
                price: 100,
                quantity: 3
            },
            trade,
        ]
    );
    let sold = sold.lock().unwrap().clone();
    let rejected = Input::Rejected {
        kind: ActionKind::Cancel,
        client_id: Some(42),
        code: "unknown_order",
    };
    let filled = Input::Filled {
        client_id: 1,
        side: Side::Sell,
        price: 100,
        quantity: 3,
    };
    let done = Input::Done {
        client_id: 1,
        why: OrderDone::Filled,
    };
    // The quote its own order caused was queued before its trade: by the time it is
    // delivered, it shows the book after the trade, so the second quote is not repeated.
    assert_eq!(
        sold,
        [Input::Start, Input::Quote, filled, done, trade, rejected]
    );
    assert_eq!(
        simulation.activity().rejections.get("unknown_order"),
        Some(&1)
    );
}

#[test]
fn market_inputs_reach_only_the_bots_that_want_them() {
    let (buyer, bought) = probe_of(
        Box::new(|input, ctx| {
            if *input == Input::Start {
                ctx.limit(Side::Buy, 100, 5, TimeInForce::Gtc);
            }
        }),
        MarketInputs::NONE,
    );
    let (seller, _) = probe(Box::new(|input, ctx| {
        if *input == Input::Start {
            ctx.limit(Side::Sell, 100, 3, TimeInForce::Gtc);
        }
    }));
    let trades_only = MarketInputs {
        quotes: false,
        trades: true,
    };
    let (watcher, watched) = probe_of(Box::new(|_, _| {}), trades_only);
    let cast = Cast {
        symbol: symbol(),
        bots: vec![
            BotSpec::standard(1_000, 0, buyer),
            BotSpec::standard(0, 10, seller),
            BotSpec::standard(0, 0, watcher),
        ],
        trader: None,
    };
    let mut simulation = simulation(cast, checked(1, 1_000));
    simulation.run().unwrap();
    let filled = Input::Filled {
        client_id: 1,
        side: Side::Buy,
        price: 100,
        quantity: 3,
    };
    assert_eq!(bought.lock().unwrap()[..], [Input::Start, filled]);
    let trade = Input::Trade {
        price: 100,
        quantity: 3,
    };
    assert_eq!(watched.lock().unwrap()[..], [Input::Start, trade]);
}

#[test]
fn the_portfolio_shows_the_engine_s_balances_and_orders() {
    let (bot, _) = probe(Box::new(|input, ctx| match input {
        Input::Start => {
            ctx.limit(Side::Buy, 90, 4, TimeInForce::Gtc);
        }
        Input::Quote => {
            let portfolio = ctx.portfolio;
            assert_eq!(portfolio.credits_held, 360);
            assert_eq!(portfolio.credits_available, 640);
            assert_eq!(portfolio.shares_available, 7);
            assert_eq!(portfolio.orders[&1].remaining, 4);
            assert_eq!(ctx.market.bid.map(|l| (l.price, l.quantity)), Some((90, 4)));
        }
        _ => unreachable!("nothing else happens"),
    }));
    let cast = Cast {
        symbol: symbol(),
        bots: vec![BotSpec::standard(1_000, 7, bot)],
        trader: None,
    };
    simulation(cast, checked(2, 10)).run().unwrap();
}

fn orchestrated(traders: u32) -> Cast {
    let launcher = Launcher {
        traders,
        credits: 1_000,
    };
    Cast {
        symbol: symbol(),
        bots: vec![
            BotSpec::standard(1_000_000, 10_000, Box::new(Quoter::default())),
            BotSpec {
                kind: AccountKind::Orchestrator,
                credits: 100_000,
                shares: 0,
                strategy: Box::new(launcher),
            },
        ],
        trader: Some(Box::new(|| Box::new(Sprinter::new(3, 1_000)))),
    }
}

#[test]
fn orchestrators_start_traders_and_relaunch_those_that_exit() {
    let mut simulation = simulation(orchestrated(2), checked(3, 20_000));
    simulation.run().unwrap();
    let activity = simulation.activity();
    assert!(activity.traders_started >= 8, "{activity:?}");
    assert!(activity.traders_exited >= 6, "{activity:?}");
    assert_eq!(activity.traders_relaunched, activity.traders_exited);
    assert_eq!(simulation.bots_running(), 2 + 2);
    let report = simulation.report();
    assert!(report.trades > 0);
    assert!(report.two_sided_fraction > 0.9, "{report:?}");
}

#[test]
fn an_exiting_bot_stops_and_nobody_is_told() {
    let (quitter, seen) = probe(Box::new(|input, ctx| {
        if *input == Input::Start {
            ctx.act(crate::Action::Exit);
            ctx.limit(Side::Buy, 1, 1, TimeInForce::Gtc); // after its exit: dropped
        }
    }));
    let cast = Cast {
        symbol: symbol(),
        bots: vec![BotSpec::standard(10, 0, quitter)],
        trader: None,
    };
    let mut simulation = simulation(cast, checked(4, 5_000));
    simulation.run().unwrap();
    assert_eq!(*seen.lock().unwrap(), [Input::Start]);
    assert_eq!(simulation.bots_running(), 0);
    assert_eq!(simulation.activity().agent_actions, 2);
    assert_eq!(simulation.activity().commands, 0);
}

fn busy(seed: u64, duration_ms: u64) -> (Vec<exchange_core::log::Record>, Report) {
    let mut cast = orchestrated(3);
    cast.bots
        .extend((0..3).map(|_| BotSpec::standard(50_000, 200, Box::new(Jumper::default()))));
    let mut config = SimConfig::new(seed, duration_ms);
    config.journal = JournalConfig {
        snapshot_every: 500,
        checkpoint_every: 100,
        snapshots_kept: 2,
    };
    let mut simulation = simulation(cast, config);
    simulation.run().unwrap();
    let report = simulation.report();
    (simulation.journal().log().records().to_vec(), report)
}

#[test]
fn the_same_seed_gives_the_same_log_and_report() {
    let (records, report) = busy(5, 60_000);
    assert!(records.len() > 300, "{}", records.len());
    assert_eq!(busy(5, 60_000), (records.clone(), report.clone()));
    let (other, _) = busy(6, 60_000);
    assert_ne!(other, records);
}

#[test]
fn a_livelock_is_an_error_not_a_hang() {
    let (echo, _) = probe(Box::new(|input, ctx| {
        if matches!(input, Input::Start | Input::Rejected { .. }) {
            ctx.act(crate::Action::Cancel { client_id: 7 });
        }
    }));
    let cast = Cast {
        symbol: symbol(),
        bots: vec![BotSpec::standard(10, 0, echo)],
        trader: None,
    };
    let mut simulation = simulation(cast, SimConfig::new(7, 10));
    let error = simulation.run().unwrap_err();
    assert!(
        matches!(error, SimError::Livelock { at_ms: 0, .. }),
        "{error}"
    );
}
