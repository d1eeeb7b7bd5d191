//! A straightforward price-time order book: the baseline and the reference.
//!
//! Price levels are a `BTreeMap<price, VecDeque<order>>` per side and a
//! `HashMap` locates each resting order's level; a cancel scans its level's
//! queue. Nothing clever, no accounts. It is the yardstick the peers are
//! compared with, and the workload generator runs it to decide which orders
//! are still resting.

use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::engine::Engine;
use crate::workload::{Op, Side};

/// An order waiting in a price level's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Resting {
    /// The order's id, as given by the command that placed it.
    id: u64,
    /// Quantity not yet filled.
    quantity: u64,
}

/// One side of the book: price to the queue of orders at that price, oldest first.
type Levels = BTreeMap<u64, VecDeque<Resting>>;

/// What became of an incoming limit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Quantity traded on arrival, at resting prices no worse than its limit.
    pub filled: u64,
    /// Quantity left resting in the book at its limit price.
    pub rested: u64,
}

/// The baseline book: a correct price-time book with no accounts.
#[derive(Clone, Debug, Default)]
pub struct BaselineBook {
    /// Buy orders by price; the best bid is the last key.
    bids: Levels,
    /// Sell orders by price; the best ask is the first key.
    asks: Levels,
    /// Side and price of every resting order, by id.
    locations: HashMap<u64, (Side, u64)>,
    /// Total quantity traded since the book was created.
    filled_volume: u64,
}

impl BaselineBook {
    /// Creates an empty book.
    pub fn new() -> Self {
        Self::default()
    }

    /// Places a GTC limit order: it trades against resting orders at prices up
    /// to its limit, best price then oldest first, and its remainder rests.
    ///
    /// `on_maker_filled` is called with the id of each resting order that the
    /// trade fills completely and so removes from the book.
    pub fn place_limit(
        &mut self,
        id: u64,
        side: Side,
        price: u64,
        quantity: u64,
        on_maker_filled: impl FnMut(u64),
    ) -> Placement {
        let filled = self.take(side, price, quantity, on_maker_filled);
        let rested = quantity - filled;
        if rested > 0 {
            self.rest(id, side, price, rested);
        }
        self.filled_volume += filled;
        Placement { filled, rested }
    }

    /// Cancels a resting order; returns false if no order with `id` rests.
    pub fn cancel(&mut self, id: u64) -> bool {
        let Some((side, price)) = self.locations.remove(&id) else {
            return false;
        };
        let levels = self.levels_mut(side);
        let queue = levels
            .get_mut(&price)
            .expect("a located order's level exists");
        let index = queue
            .iter()
            .position(|order| order.id == id)
            .expect("a located order is in its level's queue");
        queue.remove(index);
        if queue.is_empty() {
            levels.remove(&price);
        }
        true
    }

    /// Number of orders resting in the book.
    pub fn resting_orders(&self) -> usize {
        self.locations.len()
    }

    /// Number of non-empty price levels, both sides together.
    pub fn price_levels(&self) -> usize {
        self.bids.len() + self.asks.len()
    }

    /// The levels holding orders of `side`.
    fn levels_mut(&mut self, side: Side) -> &mut Levels {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// Matches an incoming order against the opposite side; returns the quantity filled.
    fn take(
        &mut self,
        side: Side,
        limit: u64,
        quantity: u64,
        mut on_maker_filled: impl FnMut(u64),
    ) -> u64 {
        let makers = match side {
            Side::Buy => &mut self.asks,
            Side::Sell => &mut self.bids,
        };
        let mut remaining = quantity;
        while remaining > 0 {
            let best = match side {
                Side::Buy => makers.first_entry().filter(|level| *level.key() <= limit),
                Side::Sell => makers.last_entry().filter(|level| *level.key() >= limit),
            };
            let Some(mut level) = best else {
                break;
            };
            let queue = level.get_mut();
            remaining -=
                take_from_queue(queue, remaining, &mut self.locations, &mut on_maker_filled);
            if queue.is_empty() {
                level.remove();
            }
        }
        quantity - remaining
    }

    /// Appends an order to the back of its price level.
    fn rest(&mut self, id: u64, side: Side, price: u64, quantity: u64) {
        let previous = self.locations.insert(id, (side, price));
        assert!(previous.is_none(), "order id {id} is already resting");
        let queue = self.levels_mut(side).entry(price).or_default();
        queue.push_back(Resting { id, quantity });
    }
}

/// Fills up to `wanted` from the front of one level's queue; returns the quantity filled.
fn take_from_queue(
    queue: &mut VecDeque<Resting>,
    wanted: u64,
    locations: &mut HashMap<u64, (Side, u64)>,
    on_maker_filled: &mut impl FnMut(u64),
) -> u64 {
    let mut taken = 0;
    while let Some(maker) = queue.front_mut() {
        let fill = maker.quantity.min(wanted - taken);
        maker.quantity -= fill;
        taken += fill;
        if maker.quantity > 0 {
            break;
        }
        let maker_id = maker.id;
        queue.pop_front();
        locations.remove(&maker_id);
        on_maker_filled(maker_id);
        if taken == wanted {
            break;
        }
    }
    taken
}

impl Engine for BaselineBook {
    fn name(&self) -> &'static str {
        "btreemap-baseline"
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Limit {
                id,
                side,
                price,
                qty,
            } => {
                self.place_limit(id, side, price, qty, |_| {});
            }
            Op::Cancel { id } => {
                let cancelled = self.cancel(id);
                assert!(cancelled, "cancel of order {id}, which is not resting");
            }
        }
    }

    fn filled_volume(&self) -> u64 {
        self.filled_volume
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn crossing_limit_trades_at_resting_prices_up_to_its_limit_then_rests() {
        let mut book = BaselineBook::new();
        book.place_limit(1, Side::Sell, 101, 5, |_| {});
        book.place_limit(2, Side::Sell, 100, 5, |_| {});
        book.place_limit(3, Side::Sell, 102, 5, |_| {});
        let mut makers_filled = Vec::new();
        let placement = book.place_limit(4, Side::Buy, 101, 12, |id| makers_filled.push(id));
        assert_eq!(
            placement,
            Placement {
                filled: 10,
                rested: 2
            }
        );
        assert_eq!(makers_filled, [2, 1]);
        assert_eq!(book.filled_volume(), 10);
        assert_eq!(book.resting_orders(), 2);
        assert_eq!(book.price_levels(), 2);
    }

    #[test]
    fn orders_at_one_price_fill_oldest_first_and_partial_makers_stay() {
        let mut book = BaselineBook::new();
        book.place_limit(1, Side::Buy, 100, 5, |_| {});
        book.place_limit(2, Side::Buy, 100, 5, |_| {});
        let mut makers_filled = Vec::new();
        let placement = book.place_limit(3, Side::Sell, 99, 7, |id| makers_filled.push(id));
        assert_eq!(
            placement,
            Placement {
                filled: 7,
                rested: 0
            }
        );
        assert_eq!(makers_filled, [1]);
        assert!(book.cancel(2), "the partly filled maker still rests");
        assert!(!book.cancel(1), "the filled maker left the book");
        assert_eq!(book.price_levels(), 0);
    }

    #[test]
    fn cancel_removes_only_the_named_order() {
        let mut book = BaselineBook::new();
        book.place_limit(1, Side::Sell, 100, 5, |_| {});
        book.place_limit(2, Side::Sell, 100, 5, |_| {});
        assert!(book.cancel(1));
        assert!(!book.cancel(1));
        let placement = book.place_limit(3, Side::Buy, 100, 10, |_| {});
        assert_eq!(
            placement,
            Placement {
                filled: 5,
                rested: 5
            }
        );
    }

    #[test]
    fn replaying_w1_reproduces_the_reference_volume() {
        let workload = testing::w1_seed_42();
        let mut book = BaselineBook::new();
        workload.ops.iter().for_each(|op| book.apply(op));
        assert_eq!(book.filled_volume(), workload.filled_volume);
    }
}
