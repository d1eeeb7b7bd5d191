//! The benchmark workloads W1 and W2: command streams generated from a seed.
//!
//! Both are defined in `workloads.md`. Generation runs the reference
//! [`BaselineBook`] alongside the stream, so that every cancel names an order
//! that is resting at that point, and records the figures (crossing limits,
//! filled volume) that every engine replaying the stream must reproduce.

use std::collections::HashMap;

use crate::baseline::BaselineBook;
use crate::rng::SplitMix64;

/// Number of limit orders in every workload; generation stops at this count.
pub const LIMITS_PER_WORKLOAD: u64 = 1_000_000;

/// Percent chance that a step cancels a resting order rather than placing one.
const CANCEL_PERCENT: u64 = 20;

/// The price, in ticks, both workloads' prices are drawn around.
const MID_PRICE: u64 = 10_000;

/// Which side of the book an order is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// A bid: trades against sells priced at or below its limit.
    Buy,
    /// An ask: trades against buys priced at or above its limit.
    Sell,
}

/// One command of a workload's stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// A good-till-cancelled limit order: it trades at resting prices up to
    /// `price` and its remainder rests. `id` is the command's index in the stream.
    Limit {
        /// Order id, equal to the index of this command in the stream.
        id: u64,
        /// Buy or sell.
        side: Side,
        /// Limit price in ticks.
        price: u64,
        /// Quantity in lots, at least 1.
        qty: u64,
    },
    /// Cancels the resting order with this id; it is always resting.
    Cancel {
        /// Id of the order to cancel.
        id: u64,
    },
}

/// A generated command stream and the figures any correct engine reproduces on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// `W1` or `W2`, as printed in benchmark output.
    pub name: &'static str,
    /// The commands, in order.
    pub ops: Vec<Op>,
    /// Number of [`Op::Limit`] commands.
    pub limits: u64,
    /// Number of [`Op::Cancel`] commands.
    pub cancels: u64,
    /// Number of limit orders that traded at least partly on arrival.
    pub crossing_limits: u64,
    /// Total quantity traded over the whole stream.
    pub filled_volume: u64,
}

/// Draws a limit price for an order of the given side.
type PriceRule = fn(&mut SplitMix64, Side) -> u64;

/// W1, the shallow book with heavy crossing: prices uniform in 10,000 ± 50 for both sides.
pub fn w1(seed: u64) -> Workload {
    generate("W1", seed, w1_price)
}

/// W2, the deep book: buys at 10,000 + U[-50, +10], sells at 10,000 + U[-10, +50].
///
/// Buys mostly sit below sells, so few limits cross and the book grows to
/// hundreds of thousands of orders on a hundred or so levels.
pub fn w2(seed: u64) -> Workload {
    generate("W2", seed, w2_price)
}

/// W1's price rule: 10,000 - 50 + `below(101)` whatever the side.
fn w1_price(rng: &mut SplitMix64, _side: Side) -> u64 {
    uniform(rng, MID_PRICE - 50, MID_PRICE + 50)
}

/// W2's price rule: the two sides' ranges overlap only on 10,000 ± 10.
fn w2_price(rng: &mut SplitMix64, side: Side) -> u64 {
    match side {
        Side::Buy => uniform(rng, MID_PRICE - 50, MID_PRICE + 10),
        Side::Sell => uniform(rng, MID_PRICE - 10, MID_PRICE + 50),
    }
}

/// U[low, high], both ends included: `low + below(high - low + 1)`.
fn uniform(rng: &mut SplitMix64, low: u64, high: u64) -> u64 {
    low + rng.below(high - low + 1)
}

/// Runs the generator until [`LIMITS_PER_WORKLOAD`] limits have been emitted.
fn generate(name: &'static str, seed: u64, price_rule: PriceRule) -> Workload {
    let mut generator = Generator::new(name, seed);
    while generator.workload.limits < LIMITS_PER_WORKLOAD {
        generator.step(price_rule);
    }
    generator.workload
}

/// Ids of the resting orders, in the order the workload's cancels pick from.
///
/// A vector with swap-remove, as `workloads.md` specifies, plus each id's
/// index so a filled order can be removed without a scan.
#[derive(Debug, Default)]
struct LiveOrders {
    /// Resting ids; removal moves the last id into the hole.
    ids: Vec<u64>,
    /// Index of each resting id in `ids`.
    index_of: HashMap<u64, usize>,
}

impl LiveOrders {
    /// Adds a newly resting order at the end.
    fn push(&mut self, id: u64) {
        self.index_of.insert(id, self.ids.len());
        self.ids.push(id);
    }

    /// Swap-removes the id at `index` and returns it.
    fn remove_at(&mut self, index: usize) -> u64 {
        let id = self.ids.swap_remove(index);
        self.index_of.remove(&id);
        if let Some(&moved) = self.ids.get(index) {
            self.index_of.insert(moved, index);
        }
        id
    }

    /// Swap-removes `id`, which must be resting.
    fn remove(&mut self, id: u64) {
        let index = self.index_of[&id];
        self.remove_at(index);
    }
}

/// The generator's state: the random stream, the reference book and the output so far.
struct Generator {
    /// The seeded random stream all choices are drawn from.
    rng: SplitMix64,
    /// The reference book, replaying the stream as it is produced.
    book: BaselineBook,
    /// The ids of the orders resting in `book`.
    live: LiveOrders,
    /// The stream and its figures so far.
    workload: Workload,
}

impl Generator {
    /// Starts an empty stream named `name` from `seed`.
    fn new(name: &'static str, seed: u64) -> Self {
        let workload = Workload {
            name,
            ops: Vec::new(),
            limits: 0,
            cancels: 0,
            crossing_limits: 0,
            filled_volume: 0,
        };
        Self {
            rng: SplitMix64::new(seed),
            book: BaselineBook::new(),
            live: LiveOrders::default(),
            workload,
        }
    }

    /// Emits one command: the cancel roll is drawn at every step, even when
    /// no order rests (the reading that reproduces the published W1 figures).
    fn step(&mut self, price_rule: PriceRule) {
        let id = self.workload.ops.len() as u64;
        let roll = self.rng.below(100);
        if roll < CANCEL_PERCENT && !self.live.ids.is_empty() {
            self.cancel();
        } else {
            self.limit(id, price_rule);
        }
    }

    /// Cancels a uniformly chosen resting order.
    fn cancel(&mut self) {
        let index = self.rng.below(self.live.ids.len() as u64) as usize;
        let id = self.live.remove_at(index);
        let cancelled = self.book.cancel(id);
        assert!(
            cancelled,
            "the generator cancelled order {id}, which is not resting"
        );
        self.workload.ops.push(Op::Cancel { id });
        self.workload.cancels += 1;
    }

    /// Places a limit order; side, price and quantity are drawn in that order.
    fn limit(&mut self, id: u64, price_rule: PriceRule) {
        let side = if self.rng.below(2) == 0 {
            Side::Buy
        } else {
            Side::Sell
        };
        let price = price_rule(&mut self.rng, side);
        let qty = 1 + self.rng.below(100);
        let live = &mut self.live;
        let placement = self
            .book
            .place_limit(id, side, price, qty, |maker| live.remove(maker));
        if placement.rested > 0 {
            live.push(id);
        }
        let workload = &mut self.workload;
        workload.ops.push(Op::Limit {
            id,
            side,
            price,
            qty,
        });
        workload.limits += 1;
        workload.crossing_limits += u64::from(placement.filled > 0);
        workload.filled_volume += placement.filled;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn w1_seed_42_reproduces_the_published_figures() {
        let workload = testing::w1_seed_42();
        assert_eq!(workload.name, "W1");
        assert_eq!(workload.ops.len(), 1_250_003);
        assert_eq!(workload.limits, 1_000_000);
        assert_eq!(workload.cancels, 250_003);
        // 42.6% of limits cross.
        assert_eq!(workload.crossing_limits, 425_606);
        assert_eq!(workload.filled_volume, 19_163_400);
    }

    #[test]
    fn ids_are_command_indices() {
        let workload = testing::w1_seed_42();
        for (index, op) in workload.ops.iter().enumerate().take(10_000) {
            if let Op::Limit { id, .. } = *op {
                assert_eq!(id, index as u64);
            }
        }
    }

    #[test]
    fn generation_is_deterministic_and_depends_on_the_seed() {
        let first = generate_prefix(w1_price, 7, 1_000);
        assert_eq!(first, generate_prefix(w1_price, 7, 1_000));
        assert_ne!(first, generate_prefix(w1_price, 8, 1_000));
    }

    #[test]
    fn w2_seed_42_grows_a_deep_book_on_few_levels() {
        let mut generator = Generator::new("W2", 42);
        let mut resting_orders_max = 0;
        while generator.workload.limits < LIMITS_PER_WORKLOAD {
            generator.step(w2_price);
            resting_orders_max = resting_orders_max.max(generator.book.resting_orders());
        }
        let workload = &generator.workload;
        assert_eq!(workload.ops.len(), 1_250_007);
        assert_eq!(workload.cancels, 250_007);
        // About 15% of limits cross ...
        assert_eq!(workload.crossing_limits, 151_043);
        assert_eq!(workload.filled_volume, 6_982_139);
        // ... and the book grows to about 470,000 orders on about 94 levels.
        assert_eq!(resting_orders_max, 473_602);
        assert_eq!(generator.book.resting_orders(), resting_orders_max);
        assert_eq!(generator.book.price_levels(), 94);
    }

    /// Generates the first `steps` commands of a stream; enough for cheap property checks.
    fn generate_prefix(price_rule: PriceRule, seed: u64, steps: usize) -> Vec<Op> {
        let mut generator = Generator::new("prefix", seed);
        (0..steps).for_each(|_| generator.step(price_rule));
        generator.workload.ops
    }
}
