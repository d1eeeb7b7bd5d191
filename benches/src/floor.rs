//! The floor: the least a full engine does per command, and nothing more. A yardstick for
//! exchange-core's targets, not a product.
//!
//! It runs the very commands the exchange-core adapter prepares ([`Translator`]), and does
//! what they make exchange-core do: every order belongs to one of the same funded accounts,
//! its funds are checked against the same limits
//! and held, each fill is settled on both sides, and each command produces exchange-core's own
//! [`Event`]s. It drops everything else a real engine needs: more than one ticker; market,
//! IOC and FOK orders; client order ids, self-trade policies, alerts and rejection values (a
//! command it would refuse panics, and a workload has none); prices of [`PRICES`] and above;
//! and an id index that forgets departed orders (its own keeps an entry for every order ever
//! placed). And it decides and applies each command in one pass, over a price ladder indexed
//! directly by price: exchange-core's design rules that out, since live processing is
//! `decide` then `evolve`, one code path for every state change, so that replay cannot drift
//! from what happened live.
//!
//! It runs one command at a time. On W1, whose book stays in the caches, its time is the
//! least that this work costs, and so a bound on exchange-core's: a target the floor misses,
//! no engine that does what exchange-core does can meet. On W2 the time goes to cache misses
//! in a deep book, which exchange-core overlaps by looking ahead in a batch and the floor does
//! not: there compare it with `exchange-core-one-by-one`.

use exchange_core::limits::{ORDERS_OPEN_PER_ACCOUNT_MAX, QUANTITY_MAX};
use exchange_core::{
    AccountId, Action, Actor, CancelReason, Command, Event, NewOrder, OrderId, OrderRef, OrderType,
    Price, Quantity, SelfTrade, Side, TickerId, TimeInForce,
};

use crate::engine::Engine;
use crate::peers::exchange_core::{Setup, Translator, CREDITS_PER_BUYER, SHARES_PER_SELLER};
use crate::workload::Op;

/// One past the highest price the ladder has a level for. W1 and W2 trade within 50 of
/// 10,000.
pub const PRICES: u64 = 1 << 14;

/// The end of a linked list, and the index entry of an order that does not rest.
const NIL: u32 = u32::MAX;

/// All resting orders at one price on one side, oldest first.
#[derive(Clone, Copy, Debug)]
struct Level {
    head: u32,
    tail: u32,
    /// Orders in the level; the level is empty at 0.
    orders: u32,
    /// Their remaining shares.
    quantity: u64,
}

const EMPTY_LEVEL: Level = Level {
    head: NIL,
    tail: NIL,
    orders: 0,
    quantity: 0,
};

/// A resting order: one cache line, as in exchange-core.
#[derive(Clone, Copy, Debug)]
#[repr(align(64))]
struct Order {
    id: OrderId,
    account: u32,
    side: Side,
    price: u64,
    remaining: u64,
    filled: u64,
    prev: u32,
    next: u32,
    /// Where the order is in its account's list of resting orders.
    account_at: u32,
}

/// One account's credits and shares of the ticker, available and held, and its resting
/// orders (which cancel-all and liquidation need in a real engine).
#[derive(Clone, Debug, Default)]
struct Account {
    credits_available: u64,
    credits_held: u64,
    shares_available: u64,
    shares_held: u64,
    orders: Vec<u32>,
}

/// The floor engine; see the module documentation.
#[derive(Clone, Debug)]
pub struct FloorEngine {
    /// Levels by price, one ladder per side: bids at 0, asks at 1.
    ladders: [Vec<Level>; 2],
    /// The best bid's price (0 if none) and the best ask's ([`PRICES`] if none).
    best: [u64; 2],
    /// Resting orders by slot, and the slots free for reuse.
    orders: Vec<Order>,
    free: Vec<u32>,
    /// Slot of each order by order id, [`NIL`] unless it rests.
    index: Vec<u32>,
    /// By account id; the ids the benchmark setup created are funded as there.
    accounts: Vec<Account>,
    /// The only ticker.
    ticker: TickerId,
    /// The current command's events, reused.
    events: Vec<Event>,
    /// Turns workload operations into the commands exchange-core would run.
    translator: Translator,
    /// The translated stream, if prepared, and how much of it ran.
    prepared: Vec<Command>,
    executed: usize,
    /// The ticker's statistics, kept on every fill as exchange-core keeps them: volume,
    /// trades and last price.
    filled_volume: u64,
    trades: u64,
    last_price: u64,
}

impl Default for FloorEngine {
    fn default() -> Self {
        let buyer = Account {
            credits_available: CREDITS_PER_BUYER,
            ..Account::default()
        };
        let seller = Account {
            shares_available: SHARES_PER_SELLER,
            ..Account::default()
        };
        let (_, setup) = Setup::run(1);
        let funded = setup.buyers.iter().map(|&id| (id, &buyer));
        let funded = funded.chain(setup.sellers.iter().map(|&id| (id, &seller)));
        let mut accounts = Vec::new();
        for (AccountId(id), account) in funded {
            let at = id as usize;
            accounts.resize(accounts.len().max(at + 1), Account::default());
            accounts[at] = account.clone();
        }
        let ticker = setup.tickers[0];
        let ladder = vec![EMPTY_LEVEL; PRICES as usize];
        Self {
            ladders: [ladder.clone(), ladder],
            best: [0, PRICES],
            orders: Vec::new(),
            free: Vec::new(),
            // Order ids start at 1.
            index: vec![NIL],
            accounts,
            ticker,
            events: Vec::new(),
            translator: Translator::new(&setup, ticker),
            prepared: Vec::new(),
            executed: 0,
            filled_volume: 0,
            trades: 0,
            last_price: 0,
        }
    }
}

/// A ladder's place in [`FloorEngine::ladders`] and [`FloorEngine::best`].
fn ladder(side: Side) -> usize {
    match side {
        Side::Buy => 0,
        Side::Sell => 1,
    }
}

/// A command the floor would refuse. Workloads never make one.
#[cold]
fn refused(why: &str) -> ! {
    panic!("the floor refuses the command: {why}")
}

impl FloorEngine {
    /// Runs one command: a GTC limit order on the floor's ticker, or a cancel by order id.
    fn execute(&mut self, command: &Command) {
        let Actor::Account(AccountId(account)) = command.actor else {
            refused("the operator places no orders")
        };
        match command.action {
            Action::PlaceOrder(NewOrder {
                ticker,
                side,
                order_type:
                    OrderType::Limit {
                        price,
                        time_in_force: TimeInForce::Gtc,
                    },
                quantity,
                client_order_id: None,
                self_trade: SelfTrade::CancelResting,
            }) if ticker == self.ticker => self.place(account, side, price.0, quantity.0),
            Action::CancelOrder {
                order: OrderRef::Id(order),
            } => self.cancel(account, order),
            _ => refused("only GTC limit orders on its ticker and cancels by id"),
        }
    }

    /// Places a GTC limit order for account `account`: checks, holds funds, trades
    /// against the best opposite levels and rests the remainder.
    fn place(&mut self, account: u32, side: Side, price: u64, quantity: u64) {
        let Some(owner) = self.accounts.get(account as usize) else {
            refused("unknown account")
        };
        if quantity == 0 || quantity > QUANTITY_MAX {
            refused("invalid quantity");
        }
        if price == 0 || price >= PRICES {
            refused("price outside the ladder");
        }
        if owner.orders.len() >= ORDERS_OPEN_PER_ACCOUNT_MAX as usize {
            refused("too many open orders");
        }
        let enough = match side {
            Side::Buy => price
                .checked_mul(quantity)
                .is_some_and(|cost| cost <= owner.credits_available),
            Side::Sell => quantity <= owner.shares_available,
        };
        if !enough {
            refused("insufficient funds");
        }
        let id = OrderId(self.index.len() as u64);
        self.index.push(NIL);
        self.events.push(Event::OrderAccepted {
            order: id,
            account: AccountId(account),
            ticker: self.ticker,
            side,
            order_type: OrderType::Limit {
                price: Price(price),
                time_in_force: TimeInForce::Gtc,
            },
            quantity: Quantity(quantity),
            client_order_id: None,
            self_trade: SelfTrade::CancelResting,
        });
        let remaining = self.take(id, account, side, price, quantity);
        if remaining > 0 {
            self.rest(id, account, side, price, remaining, quantity - remaining);
        }
    }

    /// Trades the incoming order against the opposite side, best price then oldest first,
    /// settling each fill; returns the quantity left.
    fn take(&mut self, id: OrderId, account: u32, side: Side, limit: u64, quantity: u64) -> u64 {
        let opposite = ladder(side.opposite());
        let mut remaining = quantity;
        while remaining > 0 {
            let best = self.best[opposite];
            let crosses = match side {
                Side::Buy => best <= limit,
                Side::Sell => best >= limit,
            };
            // An empty side's best (0 or PRICES) crosses no valid limit.
            if !crosses {
                break;
            }
            let slot = self.ladders[opposite][best as usize].head;
            let maker = self.orders[slot as usize];
            if maker.account == account {
                refused("self-trade");
            }
            let fill = remaining.min(maker.remaining);
            let cost = fill * maker.price;
            self.events.push(Event::Trade {
                ticker: self.ticker,
                price: Price(maker.price),
                quantity: Quantity(fill),
                maker_order: maker.id,
                maker_account: AccountId(maker.account),
                taker_order: id,
                taker_account: AccountId(account),
                taker_side: side,
            });
            remaining -= fill;
            self.filled_volume += fill;
            self.trades += 1;
            self.last_price = maker.price;
            let (buyer, seller) = match side {
                Side::Buy => (account, maker.account),
                Side::Sell => (maker.account, account),
            };
            let buyer = &mut self.accounts[buyer as usize];
            match side {
                Side::Buy => buyer.credits_available -= cost,
                Side::Sell => buyer.credits_held -= cost,
            }
            buyer.shares_available += fill;
            let seller = &mut self.accounts[seller as usize];
            match side {
                Side::Buy => seller.shares_held -= fill,
                Side::Sell => seller.shares_available -= fill,
            }
            seller.credits_available += cost;
            if fill == maker.remaining {
                self.remove(slot);
            } else {
                let maker = &mut self.orders[slot as usize];
                maker.remaining -= fill;
                maker.filled += fill;
                self.ladders[opposite][best as usize].quantity -= fill;
            }
        }
        remaining
    }

    /// Holds the remainder's funds and puts it at the back of its level.
    fn rest(
        &mut self,
        id: OrderId,
        account: u32,
        side: Side,
        price: u64,
        quantity: u64,
        filled: u64,
    ) {
        let owner = &mut self.accounts[account as usize];
        match side {
            Side::Buy => {
                let cost = price * quantity;
                owner.credits_available -= cost;
                owner.credits_held += cost;
            }
            Side::Sell => {
                owner.shares_available -= quantity;
                owner.shares_held += quantity;
            }
        }
        let at = ladder(side);
        let tail = self.ladders[at][price as usize].tail;
        let order = Order {
            id,
            account,
            side,
            price,
            remaining: quantity,
            filled,
            prev: tail,
            next: NIL,
            account_at: owner.orders.len() as u32,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.orders[slot as usize] = order;
                slot
            }
            None => {
                self.orders.push(order);
                (self.orders.len() - 1) as u32
            }
        };
        owner.orders.push(slot);
        let level = &mut self.ladders[at][price as usize];
        if tail == NIL {
            level.head = slot;
        } else {
            self.orders[tail as usize].next = slot;
        }
        level.tail = slot;
        level.orders += 1;
        level.quantity += quantity;
        self.index[id.0 as usize] = slot;
        let improves = match side {
            Side::Buy => price > self.best[at],
            Side::Sell => price < self.best[at],
        };
        if improves {
            self.best[at] = price;
        }
        self.events.push(Event::OrderRested {
            order: id,
            account: AccountId(account),
            ticker: self.ticker,
            side,
            price: Price(price),
            quantity: Quantity(quantity),
            filled: Quantity(filled),
            client_order_id: None,
        });
    }

    /// Cancels resting order `id` of account `account` and releases its hold.
    fn cancel(&mut self, account: u32, id: OrderId) {
        let slot = match self.index.get(id.0 as usize) {
            Some(&slot) if slot != NIL => slot,
            _ => refused("the order does not rest"),
        };
        let order = self.orders[slot as usize];
        if order.account != account {
            refused("not the owner");
        }
        self.remove(slot);
        let owner = &mut self.accounts[account as usize];
        match order.side {
            Side::Buy => {
                let cost = order.price * order.remaining;
                owner.credits_held -= cost;
                owner.credits_available += cost;
            }
            Side::Sell => {
                owner.shares_held -= order.remaining;
                owner.shares_available += order.remaining;
            }
        }
        self.events.push(Event::OrderCancelled {
            order: id,
            account: AccountId(account),
            ticker: self.ticker,
            side: order.side,
            price: Price(order.price),
            quantity: Quantity(order.remaining),
            reason: CancelReason::Requested,
        });
    }

    /// Takes the order in `slot` off its level, the index and its account's list, and moves
    /// the best price on if its level emptied.
    fn remove(&mut self, slot: u32) {
        let order = self.orders[slot as usize];
        let at = ladder(order.side);
        let level = &mut self.ladders[at][order.price as usize];
        if order.prev == NIL {
            level.head = order.next;
        } else {
            self.orders[order.prev as usize].next = order.next;
        }
        if order.next == NIL {
            level.tail = order.prev;
        } else {
            self.orders[order.next as usize].prev = order.prev;
        }
        level.orders -= 1;
        level.quantity -= order.remaining;
        if level.orders == 0 && self.best[at] == order.price {
            self.best[at] = self.next_best(order.side, order.price);
        }
        self.index[order.id.0 as usize] = NIL;
        self.free.push(slot);
        let orders = &mut self.accounts[order.account as usize].orders;
        let place = order.account_at as usize;
        orders.swap_remove(place);
        if let Some(&moved) = orders.get(place) {
            self.orders[moved as usize].account_at = place as u32;
        }
    }

    /// The best price after `emptied`, the best, emptied: the next level outwards that has
    /// orders, or the side's empty mark.
    fn next_best(&self, side: Side, emptied: u64) -> u64 {
        let levels = &self.ladders[ladder(side)];
        let busy = |price: &u64| levels[*price as usize].orders > 0;
        match side {
            Side::Buy => (1..emptied).rev().find(busy).unwrap_or(0),
            Side::Sell => (emptied + 1..PRICES).find(busy).unwrap_or(PRICES),
        }
    }
}

impl Engine for FloorEngine {
    fn name(&self) -> &'static str {
        "floor"
    }

    fn apply(&mut self, op: &Op) {
        let command = match self.prepared.get(self.executed) {
            Some(command) => *command,
            None => {
                let next_order_id = OrderId(self.index.len() as u64);
                self.translator.command(op, next_order_id)
            }
        };
        self.executed += 1;
        self.events.clear();
        self.execute(&command);
        // Nobody reads the events; the compiler must not leave them out for that.
        std::hint::black_box(&self.events);
    }

    fn filled_volume(&self) -> u64 {
        self.filled_volume
    }

    /// Translates the whole stream before the clock starts and sizes the order storage for
    /// it, as the exchange-core adapter does.
    fn prepare(&mut self, ops: &[Op]) {
        assert_eq!(self.executed, 0, "prepare comes before the first command");
        self.index.reserve(ops.len());
        self.orders.reserve(ops.len());
        let next_order_id = OrderId(self.index.len() as u64);
        self.prepared = self.translator.commands(ops, next_order_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::exchange_core::ACCOUNTS_PER_SIDE;
    use crate::{testing, workload};

    /// Checks that no credit or share was made or lost, and that every hold is exactly what
    /// the resting orders need.
    fn check_ledger(floor: &FloorEngine) {
        let per_side = u64::from(ACCOUNTS_PER_SIDE);
        let credits: u64 = floor
            .accounts
            .iter()
            .map(|a| a.credits_available + a.credits_held)
            .sum();
        let shares: u64 = floor
            .accounts
            .iter()
            .map(|a| a.shares_available + a.shares_held)
            .sum();
        assert_eq!(credits, per_side * CREDITS_PER_BUYER);
        assert_eq!(shares, per_side * SHARES_PER_SELLER);
        for (at, account) in floor.accounts.iter().enumerate() {
            let (mut credits_held, mut shares_held) = (0, 0);
            for &slot in &account.orders {
                let order = floor.orders[slot as usize];
                assert_eq!(order.account as usize, at);
                assert_eq!(floor.index[order.id.0 as usize], slot);
                assert_eq!(account.orders[order.account_at as usize], slot);
                match order.side {
                    Side::Buy => credits_held += order.price * order.remaining,
                    Side::Sell => shares_held += order.remaining,
                }
            }
            assert_eq!(
                (account.credits_held, account.shares_held),
                (credits_held, shares_held)
            );
        }
    }

    #[test]
    fn replaying_w1_and_w2_reproduces_the_reference_volumes_and_keeps_the_ledger() {
        for workload in [testing::w1_seed_42(), testing::w2_seed_42()] {
            let mut floor = FloorEngine::default();
            floor.prepare(&workload.ops);
            floor.apply_batch(&workload.ops);
            assert_eq!(floor.filled_volume(), workload.filled_volume);
            check_ledger(&floor);
        }
    }

    #[test]
    fn a_crossing_order_trades_at_resting_prices_best_first_and_emits_its_events() {
        let mut floor = FloorEngine::default();
        let limit = |id, side, price, qty| Op::Limit {
            id,
            side,
            price,
            qty,
        };
        floor.apply(&limit(0, workload::Side::Sell, 101, 5));
        floor.apply(&limit(1, workload::Side::Sell, 100, 5));
        floor.apply(&limit(2, workload::Side::Buy, 101, 12));
        let kinds: Vec<_> = floor
            .events
            .iter()
            .map(|event| match event {
                Event::OrderAccepted { .. } => "accepted".to_owned(),
                Event::Trade {
                    price, quantity, ..
                } => format!("trade {}x{}", quantity.0, price.0),
                Event::OrderRested { quantity, .. } => format!("rested {}", quantity.0),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            ["accepted", "trade 5x100", "trade 5x101", "rested 2"]
        );
        assert_eq!(floor.best, [101, PRICES]);
        floor.apply(&Op::Cancel { id: 2 });
        assert!(matches!(
            floor.events[..],
            [Event::OrderCancelled { quantity, .. }] if quantity == Quantity(2)
        ));
        assert_eq!(floor.best, [0, PRICES]);
        check_ledger(&floor);
    }
}
