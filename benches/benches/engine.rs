//! criterion benchmarks of exchange-core's hot operations, each through the full engine
//! (decide, events, evolve, holds): resting a limit order, matching across N price levels,
//! cancelling, and amending with and without loss of priority.
//!
//! Each measured command runs on a fresh clone of a prepared exchange, so every iteration
//! sees the same book; cloning (and warming the clone, see `Prepared::warmed_clone`) is
//! outside the measurement.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Exchange, NewOrder, OrderId, OrderRef, Price,
    Quantity, Side, Symbol, TickerId,
};
use std::hint::black_box;

/// Price of the best bid in every prepared book; asks start one tick above it.
const BEST_BID: u64 = 10_000;

/// A prepared exchange: one ticker, a buyer and a seller with ample funds, and a book.
struct Prepared {
    exchange: Exchange,
    ticker: TickerId,
    buyer: AccountId,
}

impl Prepared {
    /// `levels` price levels per side, `per_level` orders of 10 shares each.
    fn new(levels: u64, per_level: u64) -> Self {
        let mut exchange = Exchange::new();
        let symbol = Symbol::new("BENCH").unwrap();
        run(
            &mut exchange,
            Command::operator(Action::CreateTicker { symbol }),
        );
        let ticker = exchange.state().ticker_by_symbol(&symbol).unwrap();
        let (buyer, seller) = (AccountId(1), AccountId(2));
        for account in [buyer, seller] {
            run(
                &mut exchange,
                Command::operator(Action::CreateAccount {
                    kind: AccountKind::Standard,
                }),
            );
            let amount = Credits(1_000_000_000_000);
            run(
                &mut exchange,
                Command::operator(Action::DepositCredits { account, amount }),
            );
            let quantity = Quantity(1_000_000_000);
            run(
                &mut exchange,
                Command::operator(Action::IssueShares {
                    account,
                    ticker,
                    quantity,
                }),
            );
        }
        let mut prepared = Self {
            exchange,
            ticker,
            buyer,
        };
        for level in 0..levels {
            for _ in 0..per_level {
                prepared.limit(buyer, Side::Buy, BEST_BID - level, 10);
                prepared.limit(seller, Side::Sell, BEST_BID + 1 + level, 10);
            }
        }
        prepared
    }

    fn limit(&mut self, account: AccountId, side: Side, price: u64, quantity: u64) -> OrderId {
        let id = self.exchange.state().next_order_id();
        let command = self.order(account, side, price, quantity);
        run(&mut self.exchange, command);
        id
    }

    /// A clone with room to grow: a clone's vectors and tables are full to capacity, so
    /// the first insert would pay for a reallocation that a long-running engine never sees.
    /// Placing and cancelling an order on a new level makes that room and leaves the book
    /// as it was.
    fn warmed_clone(&self) -> Exchange {
        let mut exchange = self.exchange.clone();
        let spare = exchange.state().next_order_id();
        run(&mut exchange, self.order(self.buyer, Side::Buy, 1, 1));
        let cancel = Action::CancelOrder {
            order: OrderRef::Id(spare),
        };
        run(&mut exchange, Command::by(self.buyer, cancel));
        exchange
    }

    fn order(&self, account: AccountId, side: Side, price: u64, quantity: u64) -> Command {
        let order = NewOrder::limit(self.ticker, side, Price(price), Quantity(quantity));
        Command::by(account, Action::PlaceOrder(order))
    }
}

fn run(exchange: &mut Exchange, command: Command) {
    exchange
        .execute(&command)
        .expect("benchmark command accepted");
}

/// Measures `command` on a fresh, warmed clone of `prepared` each iteration.
fn bench_command(c: &mut Criterion, name: &str, prepared: &Prepared, command: Command) {
    c.bench_function(name, |b| {
        b.iter_batched_ref(
            || prepared.warmed_clone(),
            |exchange| black_box(exchange.execute(black_box(&command)).map(<[_]>::len)),
            BatchSize::SmallInput,
        );
    });
}

fn rest(c: &mut Criterion) {
    let prepared = Prepared::new(50, 4);
    let command = prepared.order(prepared.buyer, Side::Buy, BEST_BID - 10, 10);
    bench_command(c, "rest_limit_existing_level", &prepared, command);
    let command = prepared.order(prepared.buyer, Side::Buy, BEST_BID - 1000, 10);
    bench_command(c, "rest_limit_new_level", &prepared, command);
}

fn match_levels(c: &mut Criterion) {
    let mut group = c.benchmark_group("match_levels");
    for levels in [1u64, 10, 100] {
        let prepared = Prepared::new(levels, 1);
        let command = prepared.order(prepared.buyer, Side::Buy, BEST_BID + levels, 10 * levels);
        group.throughput(Throughput::Elements(levels));
        group.bench_with_input(
            BenchmarkId::from_parameter(levels),
            &command,
            |b, command| {
                b.iter_batched_ref(
                    || prepared.warmed_clone(),
                    |exchange| black_box(exchange.execute(command).map(<[_]>::len)),
                    BatchSize::SmallInput,
                );
            },
        );
    }
    group.finish();
}

fn cancel_and_amend(c: &mut Criterion) {
    let mut prepared = Prepared::new(50, 4);
    let target = prepared.limit(prepared.buyer, Side::Buy, BEST_BID - 5, 10);
    prepared.limit(prepared.buyer, Side::Buy, BEST_BID - 5, 10);
    let by_buyer = |action| Command::by(prepared.buyer, action);
    let order = OrderRef::Id(target);
    bench_command(
        c,
        "cancel",
        &prepared,
        by_buyer(Action::CancelOrder { order }),
    );
    let keep = Action::AmendOrder {
        order,
        price: Price(BEST_BID - 5),
        quantity: Quantity(5),
    };
    bench_command(c, "amend_keep_priority", &prepared, by_buyer(keep));
    let lose = Action::AmendOrder {
        order,
        price: Price(BEST_BID - 6),
        quantity: Quantity(10),
    };
    bench_command(c, "amend_lose_priority", &prepared, by_buyer(lose));
}

criterion_group!(benches, rest, match_levels, cancel_and_amend);
criterion_main!(benches);
