//! [`Exchange::execute_all`] looks ahead in its batch to fetch what cancels and amendments
//! will read; it must decide exactly what running the commands one by one decides.

mod common;

use common::Market;
use exchange_core::testing::SplitMix64;
use exchange_core::{
    AccountId, Action, ClientOrderId, Command, Event, Exchange, NewOrder, OrderId, OrderRef, Price,
    Quantity, Rejection, Side, TickerId,
};

/// Resting orders placed before the mixed commands: more than the engine looks ahead from.
const RESTING: u64 = 100_000;

/// Mixed commands after the resting orders.
const MIXED: u64 = 60_000;

/// The most commands the server's sequencer puts in one batch.
const BATCH: usize = 4096;

type Outcome = Result<Vec<Event>, Rejection>;

#[test]
fn a_batch_on_a_deep_book_decides_what_one_command_after_another_decides() {
    let mut market = Market::new();
    let accounts: Vec<AccountId> = (0..12)
        .map(|_| market.account(100_000_000_000, 100_000_000))
        .collect();
    let first_id = market.exchange.state().next_order_id();
    let commands = commands(&accounts, market.ticker, first_id);

    let mut one_by_one = market.exchange.clone();
    let expected: Vec<Outcome> = commands
        .iter()
        .map(|command| one_by_one.execute(command).map(<[Event]>::to_vec))
        .collect();
    let mut batched = market.exchange;
    let outcomes = execute_in_batches(&mut batched, &commands);

    assert_eq!(outcomes.len(), commands.len());
    for (at, (outcome, expected)) in outcomes.iter().zip(&expected).enumerate() {
        assert_eq!(outcome, expected, "command {at}: {:?}", commands[at]);
    }
    assert_eq!(
        batched.state().state_hash(),
        one_by_one.state().state_hash()
    );
    batched.state().check_invariants().unwrap();
    // The stream exercised what it is about: a deep book, and cancels that succeed and fail.
    assert!(
        batched.state().orders_resting() > Exchange::LOOKAHEAD_RESTING_MIN,
        "{}",
        batched.state().orders_resting()
    );
    let rejected = expected.iter().filter(|outcome| outcome.is_err()).count();
    assert!(rejected > 1_000, "{rejected} rejections");
    let cancelled = expected
        .iter()
        .flatten()
        .flatten()
        .filter(|event| matches!(event, Event::OrderCancelled { .. }))
        .count();
    assert!(cancelled > 5_000, "{cancelled} cancellations");
}

/// Runs `commands` through `exchange` in batches, collecting each outcome in order.
fn execute_in_batches(exchange: &mut Exchange, commands: &[Command]) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(commands.len());
    for batch in commands.chunks(BATCH) {
        exchange.execute_all(batch, |_, outcome| {
            outcomes.push(outcome.map(<[Event]>::to_vec));
        });
    }
    outcomes
}

/// [`RESTING`] orders on both sides of 10,000 credits, then [`MIXED`] commands: resting and
/// crossing orders, cancels and amendments by id (mostly of the first orders, by their
/// owners; else of any id, by anyone), cancels by client order id, and market orders.
fn commands(accounts: &[AccountId], ticker: TickerId, first_id: OrderId) -> Vec<Command> {
    let mut rng = SplitMix64::new(7);
    let limit =
        |side, price, quantity| NewOrder::limit(ticker, side, Price(price), Quantity(quantity));
    let mut commands = Vec::new();
    // The owners of the first orders, which are all accepted: ids follow one another.
    let mut owners = Vec::new();
    for n in 0..RESTING + MIXED {
        let mut account = accounts[rng.below(accounts.len() as u64) as usize];
        let kind = if n < RESTING { 0 } else { rng.below(10) };
        let mut some_order = || {
            if rng.below(5) == 0 {
                let id = first_id.0 + rng.below(RESTING + MIXED);
                return (OrderRef::Id(OrderId(id)), account);
            }
            let at = rng.below(RESTING);
            (OrderRef::Id(OrderId(first_id.0 + at)), owners[at as usize])
        };
        let action = match kind {
            0..=3 => {
                let side = [Side::Buy, Side::Sell][rng.below(2) as usize];
                let price = match side {
                    Side::Buy => 9_950 + rng.below(50),
                    Side::Sell => 10_001 + rng.below(50),
                };
                let order = limit(side, price, 1 + rng.below(100));
                Action::PlaceOrder(order.with_client_order_id(ClientOrderId(n)))
            }
            4 => Action::PlaceOrder(limit(Side::Buy, 10_000 + rng.below(20), 1 + rng.below(30))),
            5 | 6 => {
                let (order, owner) = some_order();
                account = owner;
                Action::CancelOrder { order }
            }
            7 => {
                let (order, owner) = some_order();
                account = owner;
                Action::AmendOrder {
                    order,
                    price: Price(9_950 + rng.below(100)),
                    quantity: Quantity(1 + rng.below(150)),
                }
            }
            8 => Action::CancelOrder {
                order: OrderRef::Client(ClientOrderId(rng.below(n + 1))),
            },
            _ => Action::PlaceOrder(NewOrder::market(
                ticker,
                Side::Sell,
                Quantity(1 + rng.below(20)),
            )),
        };
        if n < RESTING {
            owners.push(account);
        }
        commands.push(Command::by(account, action));
    }
    commands
}
