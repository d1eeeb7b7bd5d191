//! Property tests over random command sequences.
//!
//! Every sequence starts with a fixed setup (an admin, an orchestrator and four standard
//! accounts, two tickers, generous random deposits and share issues), then up to 16 limit
//! orders that build the books, then up to 200 generated operations covering every
//! [`Action`], valid and invalid. Operations are abstract
//! ("the owner cancels the 3rd resting order", "a trader buys at 101"): they are resolved into
//! concrete [`Command`]s against the ids seen so far, so most of them name real accounts,
//! tickers and orders, and a good share succeed and trade.
//!
//! - `invariants_hold_after_every_command`: after every command the engine's own invariant
//!   check passes, an independent recount of money, shares and holds agrees, a rejection
//!   changes nothing, and applying the events with `evolve` gives the state `execute` gave.
//! - `engine_matches_reference_model`: the engine and a simple reference model
//!   (`tests/reference/mod.rs`) agree on every command's events (trades included) or
//!   rejection, and on every balance, book and ticker after every command.
//! - `runs_are_deterministic`: re-running, replaying the events and restoring from an image
//!   all give the same state and, afterwards, the same behaviour.
//! - `generated_sequences_cover_every_action`: the generator really exercises every action,
//!   accepted and rejected, and trades a lot (checked on a fixed seed).

mod reference;

use exchange_core::limits::{CREDITS_TOTAL_MAX, PRICE_MAX, QUANTITY_MAX, SHARES_TOTAL_MAX};
use exchange_core::{
    decide, decide_into, evolve, AccountId, AccountKind, AccountStatus, Action, Actor,
    AlertDirection, CancelReason, ClientOrderId, Command, Credits, Event, Exchange, NewOrder,
    OrderId, OrderRef, OrderStatus, OrderType, PositionView, Price, Priority, Quantity, Rejection,
    RemainderReason, SelfTrade, Side, State, Symbol, TickerId, TickerStatus, TimeInForce,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use reference::{AccountSnapshot, Model, OrderSnapshot, TickerSnapshot};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

// ---------------------------------------------------------------------------------------
// Abstract operations and their generators
// ---------------------------------------------------------------------------------------

/// Who issues a command, resolved against the accounts created so far.
#[derive(Clone, Copy, Debug)]
enum Who {
    Operator,
    /// Account 1, the admin created by the setup.
    Admin,
    /// Account 2, the orchestrator created by the setup.
    Orchestrator,
    /// One of the four standard accounts of the setup (3 to 6), funded and holding shares.
    Core(usize),
    /// Any active account but the first two (standard, orchestrated, later created ones).
    Trader(usize),
    /// Any account.
    Any(usize),
    /// An account id that does not exist (0, or past the last one).
    Unknown(u32),
}

/// An account a command names.
#[derive(Clone, Copy, Debug)]
enum AccountPick {
    Any(usize),
    /// One created by `CreateOrchestratedAccount` (often closed later).
    Orchestrated(usize),
    Unknown(u32),
    /// The acting account itself.
    Actor,
}

#[derive(Clone, Copy, Debug)]
enum TickerPick {
    /// One of the two setup tickers.
    Main(usize),
    /// Any listed ticker (including ones created later).
    Any(usize),
    Unknown(u32),
}

/// Which order a cancel or amend names.
#[derive(Clone, Copy, Debug)]
enum Pick {
    /// One of the orders resting now.
    Resting(usize),
    /// One of the last accepted orders (often filled or cancelled since).
    Recent(usize),
    RawId(u64),
    RawClient(u64),
}

#[derive(Clone, Copy, Debug)]
struct Target {
    pick: Pick,
    /// Name the order by its client id when it has one.
    by_client: bool,
    /// `None`: the order's owner acts; otherwise someone else (often a non-owner).
    actor: Option<Who>,
}

/// A new value relative to an order's current price or quantity.
#[derive(Clone, Copy, Debug)]
enum Adjust {
    Same,
    Delta(i64),
    Abs(u64),
}

/// An alert threshold: a fixed number, or the actor's total credits now plus a little, so
/// that thresholds equal to a balance (the boundary of the condition) come up often.
#[derive(Clone, Copy, Debug)]
enum Threshold {
    Abs(u64),
    Balance(i64),
}

#[derive(Clone, Copy, Debug)]
enum ClientPick {
    None,
    Fresh(u64),
    /// A client id the actor used before (a duplicate).
    Reuse(usize),
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Market,
    Limit(TimeInForce),
}

#[derive(Clone, Copy, Debug)]
enum Op {
    CreateAccount {
        who: Who,
        kind: AccountKind,
    },
    CreateTicker {
        who: Who,
        symbol: usize,
    },
    SetTickerStatus {
        who: Who,
        ticker: TickerPick,
        open: bool,
    },
    Deposit {
        who: Who,
        account: AccountPick,
        amount: u64,
    },
    Issue {
        who: Who,
        account: AccountPick,
        ticker: TickerPick,
        quantity: u64,
    },
    Transfer {
        who: Who,
        to: AccountPick,
        amount: u64,
    },
    Place {
        who: Who,
        ticker: TickerPick,
        side: Side,
        kind: Kind,
        price: u64,
        quantity: u64,
        client: ClientPick,
        self_trade: SelfTrade,
    },
    Cancel {
        target: Target,
    },
    CancelAll {
        who: Who,
        ticker: Option<TickerPick>,
    },
    Amend {
        target: Target,
        price: Adjust,
        quantity: Adjust,
    },
    CreateOrchestrated {
        who: Who,
        credits: u64,
    },
    Liquidate {
        who: Who,
        account: AccountPick,
    },
    LiquidateAll {
        who: Who,
    },
    SetAlert {
        who: Who,
        direction: AlertDirection,
        threshold: Threshold,
    },
    ClearAlert {
        who: Who,
        direction: AlertDirection,
    },
}

/// Generous funding for the six setup accounts: credits, and shares of both tickers.
#[derive(Clone, Debug)]
struct Setup {
    credits: [u64; 6],
    shares: [[u64; 2]; 6],
}

const SYMBOLS: [&str; 5] = ["AAA", "BBB", "CCC", "DDD", "BRK.B"];

fn trader() -> BoxedStrategy<Who> {
    prop_oneof![
        65 => (0..4usize).prop_map(Who::Core),
        20 => (0..64usize).prop_map(Who::Trader),
        6 => (0..64usize).prop_map(Who::Any),
        3 => Just(Who::Admin),
        3 => Just(Who::Orchestrator),
        2 => Just(Who::Operator),
        1 => (0..3u32).prop_map(Who::Unknown),
    ]
    .boxed()
}

fn administrator() -> BoxedStrategy<Who> {
    prop_oneof![
        45 => Just(Who::Operator),
        35 => Just(Who::Admin),
        15 => (0..64usize).prop_map(Who::Any),
        5 => (0..3u32).prop_map(Who::Unknown),
    ]
    .boxed()
}

fn orchestrator() -> BoxedStrategy<Who> {
    prop_oneof![
        75 => Just(Who::Orchestrator),
        15 => (0..64usize).prop_map(Who::Any),
        5 => Just(Who::Operator),
        5 => (0..3u32).prop_map(Who::Unknown),
    ]
    .boxed()
}

fn account_pick() -> BoxedStrategy<AccountPick> {
    prop_oneof![
        85 => (0..64usize).prop_map(AccountPick::Any),
        5 => (0..16usize).prop_map(AccountPick::Orchestrated),
        5 => (0..3u32).prop_map(AccountPick::Unknown),
        5 => Just(AccountPick::Actor),
    ]
    .boxed()
}

fn ticker_pick() -> BoxedStrategy<TickerPick> {
    prop_oneof![
        92 => (0..2usize).prop_map(TickerPick::Main),
        4 => (0..8usize).prop_map(TickerPick::Any),
        4 => (0..3u32).prop_map(TickerPick::Unknown),
    ]
    .boxed()
}

fn side() -> BoxedStrategy<Side> {
    prop_oneof![Just(Side::Buy), Just(Side::Sell)].boxed()
}

fn direction() -> BoxedStrategy<AlertDirection> {
    prop_oneof![Just(AlertDirection::Below), Just(AlertDirection::Above)].boxed()
}

/// Prices mostly in a narrow band around 100, so that bids and asks cross often.
fn price() -> BoxedStrategy<u64> {
    prop_oneof![
        90 => 95u64..=105,
        4 => 1u64..=300,
        3 => Just(0u64),
        2 => (PRICE_MAX / 2)..=PRICE_MAX,
        1 => Just(PRICE_MAX + 1),
    ]
    .boxed()
}

fn quantity() -> BoxedStrategy<u64> {
    prop_oneof![
        85 => 1u64..=20,
        8 => 21u64..=200,
        4 => Just(0u64),
        2 => (QUANTITY_MAX / 2)..=QUANTITY_MAX,
        1 => Just(QUANTITY_MAX + 1),
    ]
    .boxed()
}

fn kind() -> BoxedStrategy<Kind> {
    prop_oneof![
        20 => Just(Kind::Market),
        50 => Just(Kind::Limit(TimeInForce::Gtc)),
        10 => Just(Kind::Limit(TimeInForce::Ioc)),
        10 => Just(Kind::Limit(TimeInForce::Fok)),
        10 => Just(Kind::Limit(TimeInForce::PostOnly)),
    ]
    .boxed()
}

fn client_pick() -> BoxedStrategy<ClientPick> {
    prop_oneof![
        55 => Just(ClientPick::None),
        35 => (1..=40u64).prop_map(ClientPick::Fresh),
        10 => (0..16usize).prop_map(ClientPick::Reuse),
    ]
    .boxed()
}

fn self_trade() -> BoxedStrategy<SelfTrade> {
    prop_oneof![
        60 => Just(SelfTrade::CancelResting),
        40 => Just(SelfTrade::CancelIncoming),
    ]
    .boxed()
}

fn target() -> BoxedStrategy<Target> {
    let pick = prop_oneof![
        70 => (0..64usize).prop_map(Pick::Resting),
        15 => (0..32usize).prop_map(Pick::Recent),
        8 => (0..300u64).prop_map(Pick::RawId),
        7 => (1..=40u64).prop_map(Pick::RawClient),
    ];
    let actor = prop_oneof![85 => Just(None), 15 => trader().prop_map(Some)];
    (pick, proptest::bool::weighted(0.35), actor)
        .prop_map(|(pick, by_client, actor)| Target {
            pick,
            by_client,
            actor,
        })
        .boxed()
}

fn adjust_price() -> BoxedStrategy<Adjust> {
    prop_oneof![
        35 => Just(Adjust::Same),
        45 => (-3i64..=3).prop_map(Adjust::Delta),
        15 => (0u64..=110).prop_map(Adjust::Abs),
        5 => ((PRICE_MAX / 2)..=PRICE_MAX + 1).prop_map(Adjust::Abs),
    ]
    .boxed()
}

fn adjust_quantity() -> BoxedStrategy<Adjust> {
    prop_oneof![
        30 => Just(Adjust::Same),
        50 => (-6i64..=6).prop_map(Adjust::Delta),
        15 => (0u64..=30).prop_map(Adjust::Abs),
        5 => ((QUANTITY_MAX / 2)..=QUANTITY_MAX + 1).prop_map(Adjust::Abs),
    ]
    .boxed()
}

fn big_credits() -> BoxedStrategy<u64> {
    prop_oneof![
        88 => 1u64..=20_000,
        6 => Just(0u64),
        4 => Just(1u64 << 52),
        2 => Just(CREDITS_TOTAL_MAX),
    ]
    .boxed()
}

fn big_shares() -> BoxedStrategy<u64> {
    prop_oneof![
        88 => 1u64..=200,
        6 => Just(0u64),
        4 => Just(1u64 << 52),
        2 => Just(SHARES_TOTAL_MAX),
    ]
    .boxed()
}

fn place() -> BoxedStrategy<Op> {
    (
        trader(),
        ticker_pick(),
        side(),
        kind(),
        price(),
        quantity(),
        client_pick(),
        self_trade(),
    )
        .prop_map(
            |(who, ticker, side, kind, price, quantity, client, self_trade)| Op::Place {
                who,
                ticker,
                side,
                kind,
                price,
                quantity,
                client,
                self_trade,
            },
        )
        .boxed()
}

/// A large order that walks several levels: market buys run out of credits, and price-time
/// priority across levels matters.
fn sweep() -> BoxedStrategy<Op> {
    let kinds = prop_oneof![
        50 => Just(Kind::Market),
        25 => Just(Kind::Limit(TimeInForce::Ioc)),
        25 => Just(Kind::Limit(TimeInForce::Fok)),
    ];
    (
        trader(),
        (0..2usize),
        side(),
        kinds,
        90u64..=110,
        20u64..=300,
        self_trade(),
    )
        .prop_map(
            |(who, ticker, side, kind, price, quantity, self_trade)| Op::Place {
                who,
                ticker: TickerPick::Main(ticker),
                side,
                kind,
                price,
                quantity,
                client: ClientPick::None,
                self_trade,
            },
        )
        .boxed()
}

/// Anyone at all, often someone who may not issue the command.
fn anyone() -> BoxedStrategy<Who> {
    prop_oneof![
        25 => Just(Who::Operator),
        25 => (0..3u32).prop_map(Who::Unknown),
        50 => (0..64usize).prop_map(Who::Any),
    ]
    .boxed()
}

fn op() -> BoxedStrategy<Op> {
    let kinds = prop_oneof![
        60 => Just(AccountKind::Standard),
        20 => Just(AccountKind::Orchestrator),
        20 => Just(AccountKind::Admin),
    ];
    let create_account =
        (administrator(), kinds).prop_map(|(who, kind)| Op::CreateAccount { who, kind });
    let create_ticker = (administrator(), 0..SYMBOLS.len())
        .prop_map(|(who, symbol)| Op::CreateTicker { who, symbol });
    let set_status = (
        administrator(),
        ticker_pick(),
        proptest::bool::weighted(0.85),
    )
        .prop_map(|(who, ticker, open)| Op::SetTickerStatus { who, ticker, open });
    let deposit =
        (administrator(), account_pick(), big_credits()).prop_map(|(who, account, amount)| {
            Op::Deposit {
                who,
                account,
                amount,
            }
        });
    let issue = (administrator(), account_pick(), ticker_pick(), big_shares()).prop_map(
        |(who, account, ticker, quantity)| Op::Issue {
            who,
            account,
            ticker,
            quantity,
        },
    );
    let amounts = prop_oneof![80 => 1u64..=3_000, 5 => Just(0u64), 15 => 3_001u64..=100_000];
    let transfer = (trader(), account_pick(), amounts).prop_map(|(who, to, amount)| Op::Transfer {
        who,
        to,
        amount,
    });
    let cancel = target().prop_map(|target| Op::Cancel { target });
    let only = prop_oneof![
        50 => Just(None),
        40 => (0..2usize).prop_map(|i| Some(TickerPick::Main(i))),
        10 => ticker_pick().prop_map(Some),
    ];
    let who = prop_oneof![85 => trader(), 15 => anyone()];
    let cancel_all = (who, only).prop_map(|(who, ticker)| Op::CancelAll { who, ticker });
    let amend =
        (target(), adjust_price(), adjust_quantity()).prop_map(|(target, price, quantity)| {
            Op::Amend {
                target,
                price,
                quantity,
            }
        });
    let funding = prop_oneof![
        20 => Just(0u64),
        70 => 1u64..=5_000,
        10 => 100_000u64..=1_000_000,
    ];
    let create_orchestrated = (orchestrator(), funding)
        .prop_map(|(who, credits)| Op::CreateOrchestrated { who, credits });
    let liquidated = prop_oneof![
        70 => (0..16usize).prop_map(AccountPick::Orchestrated),
        25 => (0..64usize).prop_map(AccountPick::Any),
        5 => (0..3u32).prop_map(AccountPick::Unknown),
    ];
    let liquidate =
        (orchestrator(), liquidated).prop_map(|(who, account)| Op::Liquidate { who, account });
    let liquidate_all = orchestrator().prop_map(|who| Op::LiquidateAll { who });
    let threshold = prop_oneof![
        50 => (0u64..=40_000).prop_map(Threshold::Abs),
        50 => (-2i64..=2).prop_map(Threshold::Balance),
    ];
    let set_alert =
        (trader(), direction(), threshold).prop_map(|(who, direction, threshold)| Op::SetAlert {
            who,
            direction,
            threshold,
        });
    let clear_alert =
        (trader(), direction()).prop_map(|(who, direction)| Op::ClearAlert { who, direction });
    proptest::strategy::Union::new_weighted(vec![
        (55, place()),
        (4, sweep()),
        (6, cancel.boxed()),
        (2, cancel_all.boxed()),
        (8, amend.boxed()),
        (4, deposit.boxed()),
        (3, issue.boxed()),
        (4, transfer.boxed()),
        (2, create_account.boxed()),
        (1, create_ticker.boxed()),
        (1, set_status.boxed()),
        (3, create_orchestrated.boxed()),
        (2, liquidate.boxed()),
        (1, liquidate_all.boxed()),
        (3, set_alert.boxed()),
        (2, clear_alert.boxed()),
    ])
    .boxed()
}

fn setup() -> impl Strategy<Value = Setup> {
    (
        prop::array::uniform6(prop_oneof![1 => 500u64..=3_000, 3 => 10_000u64..=50_000]),
        prop::array::uniform6(prop::array::uniform2(20u64..=300)),
    )
        .prop_map(|(credits, shares)| Setup { credits, shares })
}

/// A good-till-cancelled limit order by one of the funded accounts, to build up the books.
fn warm_up() -> BoxedStrategy<Op> {
    ((0..4usize), (0..2usize), side(), 95u64..=105, 1u64..=20)
        .prop_map(|(who, ticker, side, price, quantity)| Op::Place {
            who: Who::Core(who),
            ticker: TickerPick::Main(ticker),
            side,
            kind: Kind::Limit(TimeInForce::Gtc),
            price,
            quantity,
            client: ClientPick::None,
            self_trade: SelfTrade::CancelResting,
        })
        .boxed()
}

/// Up to 16 warm-up orders, then 1 to `max` operations of every kind.
fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    (
        prop::collection::vec(warm_up(), 0..=16),
        prop::collection::vec(op(), 1..=max),
    )
        .prop_map(|(mut ops, more)| {
            ops.extend(more);
            ops
        })
}

// ---------------------------------------------------------------------------------------
// Resolving operations into commands
// ---------------------------------------------------------------------------------------

/// What the driver knows about ids, learned from events only (so it is deterministic).
#[derive(Clone, Debug, Default)]
struct Ctx {
    accounts: Vec<AccountId>,
    orchestrated: Vec<AccountId>,
    tickers: Vec<TickerId>,
    closed: BTreeSet<AccountId>,
    /// The last accepted orders: (id, owner, client id).
    recent: VecDeque<(OrderId, AccountId, Option<ClientOrderId>)>,
    /// The last client ids used: (account, client id).
    clients: VecDeque<(AccountId, ClientOrderId)>,
}

impl Ctx {
    fn observe(&mut self, events: &[Event]) {
        for event in events {
            match *event {
                Event::AccountCreated {
                    account,
                    orchestrated_by,
                    ..
                } => {
                    self.accounts.push(account);
                    if orchestrated_by.is_some() {
                        self.orchestrated.push(account);
                    }
                }
                Event::TickerCreated { ticker, .. } => self.tickers.push(ticker),
                Event::AccountClosed { account } => {
                    self.closed.insert(account);
                }
                Event::OrderAccepted {
                    order,
                    account,
                    client_order_id,
                    ..
                } => {
                    self.recent.push_back((order, account, client_order_id));
                    if self.recent.len() > 32 {
                        self.recent.pop_front();
                    }
                    if let Some(client) = client_order_id {
                        self.clients.push_back((account, client));
                        if self.clients.len() > 64 {
                            self.clients.pop_front();
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn unknown_account(&self, n: u32) -> AccountId {
        if n == 0 {
            AccountId(0)
        } else {
            AccountId(self.accounts.len() as u32 + n)
        }
    }

    fn actor(&self, who: Who) -> Actor {
        let n = self.accounts.len();
        let account = match who {
            Who::Operator => return Actor::Operator,
            Who::Admin if n > 0 => self.accounts[0],
            Who::Orchestrator if n > 1 => self.accounts[1],
            Who::Core(i) if n > 5 => self.accounts[2 + i % 4],
            Who::Trader(i) if n > 2 => {
                let active: Vec<AccountId> = self.accounts[2..]
                    .iter()
                    .copied()
                    .filter(|a| !self.closed.contains(a))
                    .collect();
                if active.is_empty() {
                    self.accounts[2 + i % (n - 2)]
                } else {
                    active[i % active.len()]
                }
            }
            Who::Any(i) if n > 0 => self.accounts[i % n],
            Who::Unknown(u) => self.unknown_account(u),
            _ => return Actor::Operator,
        };
        Actor::Account(account)
    }

    fn account(&self, pick: AccountPick, actor: Actor) -> AccountId {
        let n = self.accounts.len();
        match pick {
            AccountPick::Orchestrated(i) if !self.orchestrated.is_empty() => {
                self.orchestrated[i % self.orchestrated.len()]
            }
            AccountPick::Any(i) | AccountPick::Orchestrated(i) if n > 0 => self.accounts[i % n],
            AccountPick::Actor => match actor {
                Actor::Account(id) => id,
                Actor::Operator => AccountId(1),
            },
            AccountPick::Unknown(u) => self.unknown_account(u),
            _ => AccountId(1),
        }
    }

    fn ticker(&self, pick: TickerPick) -> TickerId {
        let n = self.tickers.len();
        match pick {
            TickerPick::Main(i) if n > 0 => self.tickers[i % n.min(2)],
            TickerPick::Any(i) if n > 0 => self.tickers[i % n],
            TickerPick::Unknown(0) => TickerId(0),
            TickerPick::Unknown(u) => TickerId(n as u32 + u),
            _ => TickerId(1),
        }
    }

    /// Resolves a target: who acts, how the order is named, and its current price and
    /// remaining quantity if it rests.
    fn target(&self, target: Target, state: &State) -> (Actor, OrderRef, Option<(u64, u64)>) {
        let mut pick = target.pick;
        let resting = all_open_orders(state);
        if let Pick::Resting(i) = pick {
            if resting.is_empty() {
                pick = Pick::Recent(i);
            }
        }
        if let Pick::Recent(i) = pick {
            if self.recent.is_empty() {
                pick = Pick::RawId(i as u64);
            }
        }
        let (id, owner, client) = match pick {
            Pick::Resting(i) => {
                let o = resting[i % resting.len()];
                (o.id, Some(o.account), o.client_order_id)
            }
            Pick::Recent(i) => {
                let (id, owner, client) = self.recent[i % self.recent.len()];
                (id, Some(owner), client)
            }
            Pick::RawId(n) => (OrderId(n), None, None),
            Pick::RawClient(n) => {
                let actor = self.actor(target.actor.unwrap_or(Who::Trader(n as usize)));
                return (actor, OrderRef::Client(ClientOrderId(n)), None);
            }
        };
        let actor = match (target.actor, owner) {
            (Some(who), _) => self.actor(who),
            (None, Some(owner)) => Actor::Account(owner),
            (None, None) => self.actor(Who::Trader(id.0 as usize)),
        };
        let reference = match client {
            Some(client) if target.by_client => OrderRef::Client(client),
            _ => OrderRef::Id(id),
        };
        let current = match state.order(id) {
            OrderStatus::Open(o) => Some((o.price.0, o.remaining.0)),
            OrderStatus::Closed | OrderStatus::Unknown => None,
        };
        (actor, reference, current)
    }

    fn resolve(&self, op: Op, state: &State) -> Command {
        match op {
            Op::CreateAccount { who, kind } => {
                command(self.actor(who), Action::CreateAccount { kind })
            }
            Op::CreateTicker { who, symbol } => {
                let symbol = Symbol::new(SYMBOLS[symbol]).expect("valid symbol");
                command(self.actor(who), Action::CreateTicker { symbol })
            }
            Op::SetTickerStatus { who, ticker, open } => {
                let status = if open {
                    TickerStatus::Open
                } else {
                    TickerStatus::Closed
                };
                let ticker = self.ticker(ticker);
                command(self.actor(who), Action::SetTickerStatus { ticker, status })
            }
            Op::Deposit {
                who,
                account,
                amount,
            } => {
                let actor = self.actor(who);
                let account = self.account(account, actor);
                let amount = Credits(amount);
                command(actor, Action::DepositCredits { account, amount })
            }
            Op::Issue {
                who,
                account,
                ticker,
                quantity,
            } => {
                let actor = self.actor(who);
                let account = self.account(account, actor);
                let (ticker, quantity) = (self.ticker(ticker), Quantity(quantity));
                command(
                    actor,
                    Action::IssueShares {
                        account,
                        ticker,
                        quantity,
                    },
                )
            }
            Op::Transfer { who, to, amount } => {
                let actor = self.actor(who);
                let to = self.account(to, actor);
                let amount = Credits(amount);
                command(actor, Action::TransferCredits { to, amount })
            }
            Op::Place {
                who,
                ticker,
                side,
                kind,
                price,
                quantity,
                client,
                self_trade,
            } => {
                let actor = self.actor(who);
                let order_type = match kind {
                    Kind::Market => OrderType::Market,
                    Kind::Limit(time_in_force) => OrderType::Limit {
                        price: Price(price),
                        time_in_force,
                    },
                };
                let client_order_id = match client {
                    ClientPick::None => None,
                    ClientPick::Fresh(c) => Some(ClientOrderId(c)),
                    ClientPick::Reuse(i) => {
                        let mine: Vec<ClientOrderId> = self
                            .clients
                            .iter()
                            .filter(|(a, _)| Actor::Account(*a) == actor)
                            .map(|&(_, c)| c)
                            .collect();
                        Some(if mine.is_empty() {
                            ClientOrderId(i as u64 % 40 + 1)
                        } else {
                            mine[i % mine.len()]
                        })
                    }
                };
                let order = NewOrder {
                    ticker: self.ticker(ticker),
                    side,
                    order_type,
                    quantity: Quantity(quantity),
                    client_order_id,
                    self_trade,
                };
                command(actor, Action::PlaceOrder(order))
            }
            Op::Cancel { target } => {
                let (actor, order, _) = self.target(target, state);
                command(actor, Action::CancelOrder { order })
            }
            Op::CancelAll { who, ticker } => {
                let ticker = ticker.map(|t| self.ticker(t));
                command(self.actor(who), Action::CancelAllOrders { ticker })
            }
            Op::Amend {
                target,
                price,
                quantity,
            } => {
                let (actor, order, current) = self.target(target, state);
                let (p, q) = current.unwrap_or((100, 10));
                let adjust = |base: u64, by: Adjust| match by {
                    Adjust::Same => base,
                    Adjust::Delta(d) => base.saturating_add_signed(d),
                    Adjust::Abs(v) => v,
                };
                let action = Action::AmendOrder {
                    order,
                    price: Price(adjust(p, price)),
                    quantity: Quantity(adjust(q, quantity)),
                };
                command(actor, action)
            }
            Op::CreateOrchestrated { who, credits } => command(
                self.actor(who),
                Action::CreateOrchestratedAccount {
                    initial_credits: Credits(credits),
                },
            ),
            Op::Liquidate { who, account } => {
                let actor = self.actor(who);
                let account = self.account(account, actor);
                command(actor, Action::LiquidateAccount { account })
            }
            Op::LiquidateAll { who } => command(self.actor(who), Action::LiquidateAll),
            Op::SetAlert {
                who,
                direction,
                threshold,
            } => {
                let actor = self.actor(who);
                let threshold = match threshold {
                    Threshold::Abs(credits) => credits,
                    Threshold::Balance(delta) => {
                        let total = actor_account(actor)
                            .and_then(|id| state.account(id))
                            .map_or(0, |a| a.credits_available.0 + a.credits_held.0);
                        total.saturating_add_signed(delta)
                    }
                };
                let action = Action::SetAlert {
                    direction,
                    threshold: Credits(threshold),
                };
                command(actor, action)
            }
            Op::ClearAlert { who, direction } => {
                command(self.actor(who), Action::ClearAlert { direction })
            }
        }
    }
}

fn command(actor: Actor, action: Action) -> Command {
    Command { actor, action }
}

/// The setup: accounts 1 (admin), 2 (orchestrator), 3 to 6 (standard), tickers 1 and 2,
/// deposits and share issues, by the operator and the admin in turn.
fn setup_commands(setup: &Setup) -> Vec<Command> {
    let op = Command::operator;
    let admin = |action| Command::by(AccountId(1), action);
    let mut commands = vec![
        op(Action::CreateAccount {
            kind: AccountKind::Admin,
        }),
        op(Action::CreateAccount {
            kind: AccountKind::Orchestrator,
        }),
    ];
    for _ in 0..4 {
        commands.push(admin(Action::CreateAccount {
            kind: AccountKind::Standard,
        }));
    }
    commands.push(op(Action::CreateTicker {
        symbol: Symbol::new(SYMBOLS[0]).unwrap(),
    }));
    commands.push(admin(Action::CreateTicker {
        symbol: Symbol::new(SYMBOLS[1]).unwrap(),
    }));
    for (at, (&credits, shares)) in setup.credits.iter().zip(&setup.shares).enumerate() {
        let account = AccountId(at as u32 + 1);
        let by = if at % 2 == 0 { op } else { admin };
        commands.push(by(Action::DepositCredits {
            account,
            amount: Credits(credits),
        }));
        for (t, &quantity) in shares.iter().enumerate() {
            if quantity > 0 {
                commands.push(by(Action::IssueShares {
                    account,
                    ticker: TickerId(t as u32 + 1),
                    quantity: Quantity(quantity),
                }));
            }
        }
    }
    commands
}

/// Every resting order, in id order.
fn all_open_orders(state: &State) -> Vec<exchange_core::OrderView> {
    let mut orders: Vec<_> = state
        .accounts()
        .iter()
        .flat_map(|a| state.open_orders(a.id, None))
        .collect();
    orders.sort_by_key(|o| o.id);
    orders
}

type Outcome = Result<Vec<Event>, Rejection>;

// ---------------------------------------------------------------------------------------
// Checks run after every command
// ---------------------------------------------------------------------------------------

/// What the test itself counts from the events, independently of the engine's state.
#[derive(Clone, Debug, Default)]
struct Tally {
    deposited: u128,
    issued: BTreeMap<TickerId, u128>,
    accepted: u64,
}

impl Tally {
    fn observe(&mut self, events: &[Event]) {
        for event in events {
            match *event {
                Event::CreditsDeposited { amount, .. } => self.deposited += u128::from(amount.0),
                Event::SharesIssued {
                    ticker, quantity, ..
                } => *self.issued.entry(ticker).or_default() += u128::from(quantity.0),
                Event::OrderAccepted { .. } => self.accepted += 1,
                _ => {}
            }
        }
    }
}

/// Runs one command through every per-command check and returns its outcome.
fn checked_step(
    exchange: &mut Exchange,
    tally: &mut Tally,
    command: &Command,
) -> Result<Outcome, TestCaseError> {
    let before = exchange.state().clone();
    let hash_before = before.state_hash();
    let image_before = before.image();

    let decided = decide(&before, command);
    // `decide_into` appends after what is in the buffer, and leaves it alone on rejection.
    let marker = Event::AccountClosed {
        account: AccountId(u32::MAX),
    };
    let mut buffer = vec![marker];
    let appended = decide_into(&before, command, &mut buffer);

    let outcome: Outcome = exchange.execute(command).map(<[Event]>::to_vec);
    prop_assert_eq!(
        &decided,
        &outcome,
        "decide and execute differ on {:?}",
        command
    );
    prop_assert_eq!(buffer[0], marker);
    match (&appended, &outcome) {
        (Ok(()), Ok(events)) => prop_assert_eq!(&buffer[1..], &events[..]),
        (Err(a), Err(b)) => {
            prop_assert_eq!(a, b);
            prop_assert_eq!(buffer.len(), 1, "a rejection left events in the buffer");
        }
        _ => prop_assert!(false, "decide_into and execute disagree on {:?}", command),
    }

    let after = exchange.state();
    match &outcome {
        Err(rejection) => {
            prop_assert_eq!(
                after.state_hash(),
                hash_before,
                "rejection {:?} of {:?} changed the state hash",
                rejection,
                command
            );
            prop_assert!(after.image() == image_before, "rejection changed the image");
        }
        Ok(events) => {
            let mut replayed = before.clone();
            for event in events {
                evolve(&mut replayed, event);
            }
            prop_assert_eq!(replayed.state_hash(), after.state_hash());
            prop_assert!(
                replayed.image() == after.image(),
                "evolve differs from execute"
            );
            check_events(&before, command, events)?;
            tally.observe(events);
        }
    }
    if let Err(violation) = after.check_invariants() {
        prop_assert!(false, "{} after {:?} -> {:?}", violation, command, outcome);
    }
    check_state(after, tally)?;
    Ok(outcome)
}

/// Checks the events of an accepted command against the state before it.
fn check_events(before: &State, command: &Command, events: &[Event]) -> Result<(), TestCaseError> {
    let mut taker: Option<(OrderId, Side, Option<u64>)> = None;
    let mut last_price: Option<u64> = None;
    for event in events {
        match *event {
            Event::OrderAccepted {
                order,
                side,
                order_type,
                ..
            } => {
                prop_assert_eq!(order, before.next_order_id(), "order ids are sequential");
                let limit = match order_type {
                    OrderType::Market => None,
                    OrderType::Limit { price, .. } => Some(price.0),
                };
                taker = Some((order, side, limit));
            }
            Event::Trade {
                ticker,
                price,
                quantity,
                maker_order,
                maker_account,
                taker_order,
                taker_side,
                ..
            } => {
                let Some((id, side, limit)) = taker else {
                    return Err(TestCaseError::fail("a trade before any accepted order"));
                };
                prop_assert_eq!(taker_order, id);
                prop_assert_eq!(taker_side, side);
                prop_assert!(quantity.0 > 0);
                // The maker rested before the command, and the trade is at its price.
                let OrderStatus::Open(maker) = before.order(maker_order) else {
                    return Err(TestCaseError::fail(format!(
                        "maker {maker_order} did not rest"
                    )));
                };
                prop_assert_eq!(maker.price, price, "trade not at the maker's price");
                prop_assert_eq!(maker.account, maker_account);
                prop_assert_eq!(maker.ticker, ticker);
                prop_assert_eq!(maker.side, side.opposite());
                prop_assert!(quantity <= maker.remaining);
                prop_assert!(maker_account != command_account(command).unwrap_or(AccountId(0)));
                if let Some(limit) = limit {
                    match side {
                        Side::Buy => prop_assert!(price.0 <= limit, "bought above the limit"),
                        Side::Sell => prop_assert!(price.0 >= limit, "sold below the limit"),
                    }
                }
                // Price priority: a taker walks from the best price outwards.
                if let Some(last) = last_price {
                    match side {
                        Side::Buy => prop_assert!(price.0 >= last),
                        Side::Sell => prop_assert!(price.0 <= last),
                    }
                }
                last_price = Some(price.0);
            }
            _ => {}
        }
    }
    Ok(())
}

fn command_account(command: &Command) -> Option<AccountId> {
    actor_account(command.actor)
}

fn actor_account(actor: Actor) -> Option<AccountId> {
    match actor {
        Actor::Operator => None,
        Actor::Account(id) => Some(id),
    }
}

/// Recounts money, shares, holds and books from the read views and the tally.
fn check_state(state: &State, tally: &Tally) -> Result<(), TestCaseError> {
    let accounts = state.accounts();
    let tickers = state.tickers();

    // Credits: what the accounts have is exactly what was deposited.
    let credits: u128 = accounts
        .iter()
        .map(|a| u128::from(a.credits_available.0) + u128::from(a.credits_held.0))
        .sum();
    prop_assert_eq!(credits, tally.deposited, "credits are not conserved");
    prop_assert_eq!(u128::from(state.credits_total().0), tally.deposited);
    prop_assert!(tally.deposited <= u128::from(CREDITS_TOTAL_MAX));
    prop_assert_eq!(state.next_order_id(), OrderId(tally.accepted + 1));

    // Shares: per ticker, what the accounts have is exactly what was issued.
    for ticker in &tickers {
        let held: u128 = accounts
            .iter()
            .flat_map(|a| a.positions.iter())
            .filter(|p| p.ticker == ticker.id)
            .map(|p| u128::from(p.available.0) + u128::from(p.held.0))
            .sum();
        let issued = tally.issued.get(&ticker.id).copied().unwrap_or(0);
        prop_assert_eq!(held, issued, "shares of {} are not conserved", ticker.id);
        prop_assert_eq!(u128::from(ticker.shares_total.0), issued);
    }

    // Holds: exactly what the open orders need.
    let mut resting = 0usize;
    for account in &accounts {
        let open = state.open_orders(account.id, None);
        resting += open.len();
        prop_assert_eq!(account.orders_open as usize, open.len());
        let bids: u128 = open
            .iter()
            .filter(|o| o.side == Side::Buy)
            .map(|o| u128::from(o.price.0) * u128::from(o.remaining.0))
            .sum();
        prop_assert_eq!(
            u128::from(account.credits_held.0),
            bids,
            "account {} holds credits its bids do not need",
            account.id
        );
        let mut asks: BTreeMap<TickerId, u64> = BTreeMap::new();
        for o in open.iter().filter(|o| o.side == Side::Sell) {
            *asks.entry(o.ticker).or_default() += o.remaining.0;
        }
        for p in &account.positions {
            prop_assert!(p.available.0 > 0 || p.held.0 > 0, "empty position listed");
            let needed = asks.remove(&p.ticker).unwrap_or(0);
            prop_assert_eq!(p.held.0, needed, "account {} share hold", account.id);
        }
        prop_assert!(asks.is_empty(), "asks without a share hold: {:?}", asks);
        for ticker in &tickers {
            let holdings = state
                .holdings(account.id, ticker.id)
                .expect("listed account");
            prop_assert_eq!(holdings.credits_available, account.credits_available);
            prop_assert_eq!(holdings.credits_held, account.credits_held);
            let position = account.positions.iter().find(|p| p.ticker == ticker.id);
            let zero = PositionView {
                ticker: ticker.id,
                available: Quantity(0),
                held: Quantity(0),
            };
            prop_assert_eq!(holdings.shares, position.copied().unwrap_or(zero));
        }
        prop_assert!(
            account
                .positions
                .windows(2)
                .all(|w| w[0].ticker < w[1].ticker),
            "positions out of ticker order"
        );
        for o in &open {
            prop_assert_eq!(o.account, account.id);
            prop_assert_eq!(state.order(o.id), OrderStatus::Open(*o));
        }
        if account.status == AccountStatus::Closed {
            prop_assert!(
                account.credits_available.0 == 0
                    && account.credits_held.0 == 0
                    && account.positions.is_empty()
                    && open.is_empty(),
                "closed account {} still holds something",
                account.id
            );
        }
    }
    prop_assert_eq!(state.orders_resting(), resting);

    // Books: sorted, not crossed, levels add up.
    let mut on_books = 0usize;
    for ticker in &tickers {
        let quote = state.quote(ticker.id).expect("listed ticker has a quote");
        if let (Some(bid), Some(ask)) = (quote.bid, quote.ask) {
            prop_assert!(bid.price < ask.price, "ticker {} is crossed", ticker.id);
        }
        let depth = state
            .depth(ticker.id, 1_000)
            .expect("listed ticker has depth");
        prop_assert_eq!(depth.bids.first().copied(), quote.bid);
        prop_assert_eq!(depth.asks.first().copied(), quote.ask);
        for (side, levels) in [(Side::Buy, &depth.bids), (Side::Sell, &depth.asks)] {
            let orders = state.book_orders(ticker.id, side);
            on_books += orders.len();
            let mut expected: Vec<(Price, u64, u32)> = Vec::new();
            for o in &orders {
                prop_assert!(o.remaining.0 > 0 && o.price.0 > 0 && o.price.0 <= PRICE_MAX);
                prop_assert_eq!((o.ticker, o.side), (ticker.id, side));
                match expected.last_mut() {
                    Some(level) if level.0 == o.price => {
                        level.1 += o.remaining.0;
                        level.2 += 1;
                    }
                    _ => {
                        if let Some(level) = expected.last() {
                            let sorted = match side {
                                Side::Buy => o.price < level.0,
                                Side::Sell => o.price > level.0,
                            };
                            prop_assert!(sorted, "{:?} book of {} out of order", side, ticker.id);
                        }
                        expected.push((o.price, o.remaining.0, 1));
                    }
                }
            }
            let seen: Vec<(Price, u64, u32)> = levels
                .iter()
                .map(|l| (l.price, l.quantity.0, l.orders))
                .collect();
            prop_assert_eq!(seen, expected, "levels disagree with orders");
        }
    }
    prop_assert_eq!(
        on_books,
        resting,
        "books and accounts disagree on resting orders"
    );
    Ok(())
}

/// Runs the setup and the operations with every check, returning the commands and outcomes.
fn run_checked(
    setup: &Setup,
    ops: &[Op],
) -> Result<(Exchange, Vec<(Command, Outcome)>), TestCaseError> {
    let mut exchange = Exchange::new();
    let mut ctx = Ctx::default();
    let mut tally = Tally::default();
    let mut log = Vec::new();
    for command in setup_commands(setup) {
        let outcome = checked_step(&mut exchange, &mut tally, &command)?;
        prop_assert!(
            outcome.is_ok(),
            "setup command {:?} failed: {:?}",
            command,
            outcome
        );
        ctx.observe(outcome.as_deref().unwrap_or_default());
        log.push((command, outcome));
    }
    for &op in ops {
        let command = ctx.resolve(op, exchange.state());
        let outcome = checked_step(&mut exchange, &mut tally, &command)?;
        if let Ok(events) = &outcome {
            ctx.observe(events);
        }
        log.push((command, outcome));
    }
    Ok((exchange, log))
}

// ---------------------------------------------------------------------------------------
// Differential comparison with the reference model
// ---------------------------------------------------------------------------------------

fn engine_accounts(state: &State) -> Vec<AccountSnapshot> {
    state
        .accounts()
        .into_iter()
        .map(|a| AccountSnapshot {
            id: a.id,
            kind: a.kind,
            status: a.status,
            orchestrated_by: a.orchestrated_by,
            credits_available: a.credits_available.0,
            credits_held: a.credits_held.0,
            positions: a
                .positions
                .iter()
                .map(|p| (p.ticker, p.available.0, p.held.0))
                .collect(),
            orders_open: a.orders_open,
        })
        .collect()
}

fn engine_tickers(state: &State) -> Vec<TickerSnapshot> {
    let side = |ticker, side| {
        state
            .book_orders(ticker, side)
            .into_iter()
            .map(|o| OrderSnapshot {
                id: o.id,
                account: o.account,
                price: o.price.0,
                remaining: o.remaining.0,
                filled: o.filled.0,
                client_order_id: o.client_order_id,
            })
            .collect()
    };
    state
        .tickers()
        .into_iter()
        .map(|t| TickerSnapshot {
            id: t.id,
            symbol: t.symbol,
            status: t.status,
            shares_total: t.shares_total.0,
            last_price: t.last_price.map(|p| p.0),
            trades: t.trades,
            volume: t.volume.0,
            bids: side(t.id, Side::Buy),
            asks: side(t.id, Side::Sell),
        })
        .collect()
}

/// Trades as (price, quantity, maker order, taker order, maker account, taker account).
type TradeRow = (u64, u64, OrderId, OrderId, AccountId, AccountId);

fn trades(outcome: &Outcome) -> Vec<TradeRow> {
    outcome
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| match *e {
            Event::Trade {
                price,
                quantity,
                maker_order,
                taker_order,
                maker_account,
                taker_account,
                ..
            } => Some((
                price.0,
                quantity.0,
                maker_order,
                taker_order,
                maker_account,
                taker_account,
            )),
            _ => None,
        })
        .collect()
}

/// Runs one command on the engine and the model and compares everything.
fn differential_step(
    exchange: &mut Exchange,
    model: &mut Model,
    command: &Command,
    step: usize,
) -> Result<Outcome, TestCaseError> {
    let before = exchange.state().state_hash();
    let engine: Outcome = exchange.execute(command).map(<[Event]>::to_vec);
    let expected = model.execute(command);
    prop_assert_eq!(
        engine.is_ok(),
        expected.is_ok(),
        "step {}: {:?}: engine {:?}, model {:?}",
        step,
        command,
        engine,
        expected
    );
    prop_assert_eq!(
        trades(&engine),
        trades(&expected),
        "step {}: trades differ for {:?}",
        step,
        command
    );
    prop_assert_eq!(
        &engine,
        &expected,
        "step {}: outcome of {:?}",
        step,
        command
    );
    if engine.is_err() {
        prop_assert_eq!(exchange.state().state_hash(), before);
    }
    let state = exchange.state();
    prop_assert_eq!(
        engine_accounts(state),
        model.accounts(),
        "step {}: accounts after {:?}",
        step,
        command
    );
    prop_assert_eq!(
        engine_tickers(state),
        model.tickers(),
        "step {}: books after {:?}",
        step,
        command
    );
    prop_assert_eq!(state.next_order_id(), model.next_order_id());
    prop_assert_eq!(state.credits_total().0, model.credits_total());
    let client_ids = model.client_ids();
    for &((account, client), order) in &client_ids {
        prop_assert_eq!(state.order_by_client_id(account, client), Some(order));
    }
    // And no client id the model has not seen, among those the generator uses.
    let known: BTreeSet<_> = client_ids.iter().map(|&(k, _)| k).collect();
    for account in state.accounts() {
        for c in 1..=40 {
            let key = (account.id, ClientOrderId(c));
            if !known.contains(&key) {
                prop_assert_eq!(state.order_by_client_id(key.0, key.1), None);
            }
        }
    }
    Ok(engine)
}

fn run_differential(setup: &Setup, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut exchange = Exchange::new();
    let mut model = Model::new();
    let mut ctx = Ctx::default();
    let commands = setup_commands(setup);
    for (step, command) in commands.iter().enumerate() {
        let outcome = differential_step(&mut exchange, &mut model, command, step)?;
        ctx.observe(outcome.as_deref().unwrap_or_default());
    }
    for (step, &op) in ops.iter().enumerate() {
        let command = ctx.resolve(op, exchange.state());
        let outcome =
            differential_step(&mut exchange, &mut model, &command, commands.len() + step)?;
        ctx.observe(outcome.as_deref().unwrap_or_default());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------

/// Resolves and runs `ops` without checks, appending each command and its outcome to `log`.
fn run_plain(
    exchange: &mut Exchange,
    ctx: &mut Ctx,
    ops: &[Op],
    log: &mut Vec<(Command, Outcome)>,
) {
    for &op in ops {
        let command = ctx.resolve(op, exchange.state());
        let outcome = exchange.execute(&command).map(<[Event]>::to_vec);
        ctx.observe(outcome.as_deref().unwrap_or_default());
        log.push((command, outcome));
    }
}

fn check_determinism(
    setup: &Setup,
    ops: &[Op],
    split: Index,
    suffix: &[Op],
) -> Result<(), TestCaseError> {
    // First run: the setup, then the operations; keep the state at the split point.
    let mut first = Exchange::new();
    let mut ctx = Ctx::default();
    let mut log: Vec<(Command, Outcome)> = Vec::new();
    for command in setup_commands(setup) {
        let outcome = first.execute(&command).map(<[Event]>::to_vec);
        ctx.observe(outcome.as_deref().unwrap_or_default());
        log.push((command, outcome));
    }
    let at = split.index(ops.len() + 1);
    run_plain(&mut first, &mut ctx, &ops[..at], &mut log);
    let middle = first.state().clone();
    let middle_log = log.len();
    run_plain(&mut first, &mut ctx, &ops[at..], &mut log);
    let state = first.state();

    // Same commands on a fresh exchange: same outcomes, same hash.
    let mut second = Exchange::new();
    for (step, (command, outcome)) in log.iter().enumerate() {
        let again = second.execute(command).map(<[Event]>::to_vec);
        prop_assert_eq!(&again, outcome, "step {} differs on a second run", step);
    }
    prop_assert_eq!(second.state().state_hash(), state.state_hash());
    prop_assert_eq!(second.state().canonical_bytes(), state.canonical_bytes());

    // Replaying every event with `evolve` alone rebuilds the same state.
    let mut replayed = State::default();
    for (_, outcome) in &log {
        for event in outcome.as_deref().unwrap_or_default() {
            evolve(&mut replayed, event);
        }
    }
    prop_assert_eq!(replayed.state_hash(), state.state_hash());
    prop_assert_eq!(replayed.canonical_bytes(), state.canonical_bytes());
    prop_assert!(replayed.check_invariants().is_ok());

    // A state restored from the image at the split point behaves as the live one did.
    let restored = State::from_image(&middle.image());
    prop_assert_eq!(restored.state_hash(), middle.state_hash());
    prop_assert!(restored.image() == middle.image());
    prop_assert!(restored.check_invariants().is_ok());
    let mut resumed = Exchange::from_state(restored);
    for (step, (command, outcome)) in log.iter().enumerate().skip(middle_log) {
        let again = resumed.execute(command).map(<[Event]>::to_vec);
        prop_assert_eq!(&again, outcome, "step {} differs after restoring", step);
    }
    prop_assert_eq!(resumed.state().state_hash(), state.state_hash());

    // And so does a state restored from the final image, on a further random suffix.
    let restored = State::from_image(&state.image());
    prop_assert_eq!(restored.state_hash(), state.state_hash());
    prop_assert_eq!(restored.canonical_bytes(), state.canonical_bytes());
    let mut original = Exchange::from_state(state.clone());
    let mut copy = Exchange::from_state(restored);
    for (step, &op) in suffix.iter().enumerate() {
        let command = ctx.resolve(op, original.state());
        let a = original.execute(&command).map(<[Event]>::to_vec);
        let b = copy.execute(&command).map(<[Event]>::to_vec);
        prop_assert_eq!(
            &a,
            &b,
            "suffix step {} differs after restoring: {:?}",
            step,
            command
        );
        ctx.observe(a.as_deref().unwrap_or_default());
        prop_assert_eq!(original.state().state_hash(), copy.state().state_hash());
    }
    prop_assert!(copy.state().check_invariants().is_ok());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_shrink_iters: 4_096,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_after_every_command(setup in setup(), ops in ops(200)) {
        run_checked(&setup, &ops)?;
    }

    #[test]
    fn engine_matches_reference_model(setup in setup(), ops in ops(200)) {
        run_differential(&setup, &ops)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        max_shrink_iters: 4_096,
        ..ProptestConfig::default()
    })]

    #[test]
    fn runs_are_deterministic(
        setup in setup(),
        ops in ops(150),
        split in any::<Index>(),
        suffix in ops(50),
    ) {
        check_determinism(&setup, &ops, split, &suffix)?;
    }
}

// ---------------------------------------------------------------------------------------
// The generator exercises what it should
// ---------------------------------------------------------------------------------------

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::CreateAccount { .. } => "CreateAccount",
        Action::CreateTicker { .. } => "CreateTicker",
        Action::SetTickerStatus { .. } => "SetTickerStatus",
        Action::DepositCredits { .. } => "DepositCredits",
        Action::IssueShares { .. } => "IssueShares",
        Action::TransferCredits { .. } => "TransferCredits",
        Action::PlaceOrder(o) => match o.order_type {
            OrderType::Market => "PlaceOrder(Market)",
            OrderType::Limit {
                time_in_force: TimeInForce::Gtc,
                ..
            } => "PlaceOrder(Gtc)",
            OrderType::Limit {
                time_in_force: TimeInForce::Ioc,
                ..
            } => "PlaceOrder(Ioc)",
            OrderType::Limit {
                time_in_force: TimeInForce::Fok,
                ..
            } => "PlaceOrder(Fok)",
            OrderType::Limit {
                time_in_force: TimeInForce::PostOnly,
                ..
            } => "PlaceOrder(PostOnly)",
        },
        Action::CancelOrder {
            order: OrderRef::Id(_),
        } => "CancelOrder(Id)",
        Action::CancelOrder {
            order: OrderRef::Client(_),
        } => "CancelOrder(Client)",
        Action::CancelAllOrders { ticker: None } => "CancelAllOrders(all)",
        Action::CancelAllOrders { ticker: Some(_) } => "CancelAllOrders(ticker)",
        Action::AmendOrder { .. } => "AmendOrder",
        Action::CreateOrchestratedAccount { .. } => "CreateOrchestratedAccount",
        Action::LiquidateAccount { .. } => "LiquidateAccount",
        Action::LiquidateAll => "LiquidateAll",
        Action::SetAlert { .. } => "SetAlert",
        Action::ClearAlert { .. } => "ClearAlert",
    }
}

/// On a fixed seed, generated sequences accept and reject every kind of command, trade a
/// lot, and reach every self-trade, remainder, cancel and priority outcome.
#[test]
fn generated_sequences_cover_every_action() {
    let mut runner = TestRunner::deterministic();
    let strategy = (setup(), ops(200));
    let mut accepted: BTreeMap<&str, u32> = BTreeMap::new();
    let mut rejected: BTreeMap<&str, u32> = BTreeMap::new();
    let mut codes: BTreeMap<&str, u32> = BTreeMap::new();
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    let (mut commands, mut ok, mut trade_count, mut traded_sequences) = (0u32, 0u32, 0u32, 0u32);
    let sequences = 48;
    for _ in 0..sequences {
        let (setup, ops) = strategy.new_tree(&mut runner).unwrap().current();
        let mut exchange = Exchange::new();
        let mut ctx = Ctx::default();
        let mut log = Vec::new();
        for command in setup_commands(&setup) {
            let outcome = exchange.execute(&command).map(<[Event]>::to_vec);
            ctx.observe(outcome.as_deref().unwrap_or_default());
        }
        run_plain(&mut exchange, &mut ctx, &ops, &mut log);
        let mut traded = false;
        for (command, outcome) in &log {
            let name = action_name(&command.action);
            commands += 1;
            match outcome {
                Ok(events) => {
                    ok += 1;
                    *accepted.entry(name).or_default() += 1;
                    for event in events {
                        let key = match event {
                            Event::Trade { .. } => {
                                trade_count += 1;
                                traded = true;
                                continue;
                            }
                            Event::OrderCancelled { reason, .. } => format!("cancel:{reason:?}"),
                            Event::RemainderCancelled { reason, .. } => {
                                format!("remainder:{reason:?}")
                            }
                            Event::OrderAmended { priority, .. } => format!("amend:{priority:?}"),
                            Event::OrderRested { filled, .. } if filled.0 > 0 => {
                                "rested after a fill".to_string()
                            }
                            Event::AlertTriggered { .. } => "alert triggered".to_string(),
                            Event::AlertRearmed { .. } => "alert rearmed".to_string(),
                            Event::AccountClosed { .. } => "account closed".to_string(),
                            _ => continue,
                        };
                        *outcomes.entry(key).or_default() += 1;
                    }
                }
                Err(rejection) => {
                    *rejected.entry(name).or_default() += 1;
                    *codes.entry(rejection.code()).or_default() += 1;
                }
            }
        }
        traded_sequences += u32::from(traded);
    }
    eprintln!("{commands} commands, {ok} accepted, {trade_count} trades");
    eprintln!("accepted: {accepted:?}");
    eprintln!("rejected: {rejected:?}");
    eprintln!("rejection codes: {codes:?}");
    eprintln!("outcomes: {outcomes:?}");

    let names = [
        "CreateAccount",
        "CreateTicker",
        "SetTickerStatus",
        "DepositCredits",
        "IssueShares",
        "TransferCredits",
        "PlaceOrder(Market)",
        "PlaceOrder(Gtc)",
        "PlaceOrder(Ioc)",
        "PlaceOrder(Fok)",
        "PlaceOrder(PostOnly)",
        "CancelOrder(Id)",
        "CancelOrder(Client)",
        "CancelAllOrders(all)",
        "CancelAllOrders(ticker)",
        "AmendOrder",
        "CreateOrchestratedAccount",
        "LiquidateAccount",
        "LiquidateAll",
        "SetAlert",
        "ClearAlert",
    ];
    for name in names {
        assert!(
            accepted.get(name).copied().unwrap_or(0) > 0,
            "{name} never accepted"
        );
        assert!(
            rejected.get(name).copied().unwrap_or(0) > 0,
            "{name} never rejected"
        );
    }
    assert!(ok * 2 > commands, "fewer than half the commands succeed");
    assert!(trade_count > commands / 8, "too few trades");
    assert!(
        traded_sequences * 10 >= sequences * 9,
        "too many sequences without a trade"
    );
    for reason in [
        CancelReason::Requested,
        CancelReason::CancelAll,
        CancelReason::SelfTrade,
        CancelReason::Liquidation,
    ] {
        assert!(
            outcomes.contains_key(&format!("cancel:{reason:?}")),
            "no {reason:?} cancel"
        );
    }
    for reason in [
        RemainderReason::NoLiquidity,
        RemainderReason::InsufficientCredits,
        RemainderReason::ImmediateOrCancel,
        RemainderReason::SelfTrade,
    ] {
        assert!(
            outcomes.contains_key(&format!("remainder:{reason:?}")),
            "no {reason:?} remainder"
        );
    }
    for priority in [Priority::Kept, Priority::Lost] {
        assert!(
            outcomes.contains_key(&format!("amend:{priority:?}")),
            "no {priority:?} amend"
        );
    }
    for key in [
        "rested after a fill",
        "alert triggered",
        "alert rearmed",
        "account closed",
    ] {
        assert!(outcomes.contains_key(key), "never saw: {key}");
    }
    for code in [
        "unknown_account",
        "account_closed",
        "account_required",
        "not_admin",
        "not_orchestrator",
        "not_your_orchestrated_account",
        "unknown_ticker",
        "duplicate_symbol",
        "ticker_status_unchanged",
        "market_closed",
        "invalid_quantity",
        "invalid_price",
        "invalid_amount",
        "self_transfer",
        "unknown_order",
        "order_not_open",
        "not_owner",
        "amendment_unchanged",
        "amendment_would_trade",
        "duplicate_client_order_id",
        "overflow",
        "insufficient_credits",
        "insufficient_shares",
        "post_only_would_trade",
        "no_liquidity",
        "fok_not_fillable",
        "alert_not_set",
    ] {
        assert!(codes.contains_key(code), "rejection {code} never happened");
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: engine defects the differential test found, as minimal reproductions. Both
// came from one defect in the matching walk, fixed in commit f43f333 (the walk now stops
// with `Budget` as soon as the budget cuts a fill short).
// ---------------------------------------------------------------------------------------

/// Accounts 1 and 2 (standard), ticker 1; account 1 holds `shares` shares, account 2 holds
/// `credits` credits and `own_shares` shares.
fn two_traders(shares: u64, credits: u64, own_shares: u64) -> Exchange {
    let mut exchange = Exchange::new();
    let commands = [
        Action::CreateAccount {
            kind: AccountKind::Standard,
        },
        Action::CreateAccount {
            kind: AccountKind::Standard,
        },
        Action::CreateTicker {
            symbol: Symbol::new("AAA").unwrap(),
        },
        Action::IssueShares {
            account: AccountId(1),
            ticker: TickerId(1),
            quantity: Quantity(shares),
        },
        Action::DepositCredits {
            account: AccountId(2),
            amount: Credits(credits),
        },
        Action::IssueShares {
            account: AccountId(2),
            ticker: TickerId(1),
            quantity: Quantity(own_shares),
        },
    ];
    for action in commands {
        let zero = matches!(action, Action::IssueShares { quantity, .. } if quantity.0 == 0);
        if !zero {
            exchange.execute(&Command::operator(action)).unwrap();
        }
    }
    exchange
}

/// A market buy whose budget pays for only part of a resting order fills that part and
/// stops: its remainder ran out of credits (5 shares still rest at a price it cannot pay).
/// Before the fix, the walk skipped the rest of that order as if it had been consumed and,
/// finding nothing after it, reported the remainder as `NoLiquidity`.
#[test]
fn market_buy_out_of_credits_reports_insufficient_credits() {
    let mut exchange = two_traders(10, 550, 0);
    let ask = NewOrder::limit(TickerId(1), Side::Sell, Price(100), Quantity(10));
    exchange
        .execute(&Command::by(AccountId(1), Action::PlaceOrder(ask)))
        .unwrap();
    let buy = NewOrder::market(TickerId(1), Side::Buy, Quantity(20));
    let events = exchange
        .execute(&Command::by(AccountId(2), Action::PlaceOrder(buy)))
        .unwrap()
        .to_vec();
    assert!(matches!(
        events[1],
        Event::Trade {
            quantity: Quantity(5),
            ..
        }
    ));
    // 5 shares are still offered at 100; the buyer has 50 credits left.
    assert_eq!(
        exchange
            .state()
            .quote(TickerId(1))
            .unwrap()
            .ask
            .unwrap()
            .quantity,
        Quantity(5)
    );
    assert_eq!(
        events[2],
        Event::RemainderCancelled {
            order: OrderId(2),
            account: AccountId(2),
            quantity: Quantity(15),
            reason: RemainderReason::InsufficientCredits,
        },
        "engine emitted {events:?}"
    );
}

/// A market buy that has run out of credits stops at the partly filled order and does not
/// reach the buyer's own ask queued behind it, so self-trade prevention leaves that ask
/// alone. Before the fix, the walk skipped past the partly filled order and cancelled it.
#[test]
fn market_buy_out_of_credits_does_not_cancel_own_orders_it_cannot_reach() {
    let mut exchange = two_traders(10, 550, 5);
    let ask = NewOrder::limit(TickerId(1), Side::Sell, Price(100), Quantity(10));
    exchange
        .execute(&Command::by(AccountId(1), Action::PlaceOrder(ask)))
        .unwrap();
    let own_ask = NewOrder::limit(TickerId(1), Side::Sell, Price(100), Quantity(5));
    exchange
        .execute(&Command::by(AccountId(2), Action::PlaceOrder(own_ask)))
        .unwrap();
    let buy = NewOrder::market(TickerId(1), Side::Buy, Quantity(20));
    let events = exchange
        .execute(&Command::by(AccountId(2), Action::PlaceOrder(buy)))
        .unwrap()
        .to_vec();
    let cancelled: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::OrderCancelled { .. }))
        .collect();
    assert!(cancelled.is_empty(), "engine emitted {events:?}");
    assert!(matches!(
        exchange.state().order(OrderId(2)),
        OrderStatus::Open(_)
    ));
}
