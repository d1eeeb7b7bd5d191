//! The bots' orders by exchange order id, learned from `OrderAccepted` events, so fills and
//! cancellations can be reported to their owners under their client order ids.

use super::bot::BotId;
use exchange_core::{OrderId, Side};
use rustc_hash::FxHashMap;

/// One tracked order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tracked {
    /// Whose.
    pub(super) bot: BotId,
    /// Its client order id.
    pub(super) client_id: u64,
    /// Buy or sell.
    pub(super) side: Side,
    /// Shares not yet traded, cancelled or dropped.
    pub(super) remaining: u64,
}

/// Every order of a bot that is not yet done. Looked up by id only, never iterated, so a
/// hash map's order cannot reach the output.
#[derive(Debug, Default)]
pub(super) struct OrderTracker {
    open: FxHashMap<OrderId, Tracked>,
}

impl OrderTracker {
    /// Starts tracking an accepted order.
    pub(super) fn accepted(&mut self, order: OrderId, tracked: Tracked) {
        assert!(tracked.remaining > 0, "the engine accepts no empty order");
        let previous = self.open.insert(order, tracked);
        assert!(previous.is_none(), "order ids are never reused");
    }

    /// Records a fill; returns the order and whether it is now completely filled (and no
    /// longer tracked). `None` for orders of no bot.
    pub(super) fn filled(&mut self, order: OrderId, quantity: u64) -> Option<(Tracked, bool)> {
        let tracked = self.open.get_mut(&order)?;
        assert!(
            quantity <= tracked.remaining,
            "a fill never exceeds what remained"
        );
        tracked.remaining -= quantity;
        let found = *tracked;
        let done = found.remaining == 0;
        if done {
            self.open.remove(&order);
        }
        Some((found, done))
    }

    /// A tracked order.
    pub(super) fn get(&self, order: OrderId) -> Option<Tracked> {
        self.open.get(&order).copied()
    }

    /// Records an amendment's new remaining quantity; returns the order. `None` for orders
    /// of no bot.
    pub(super) fn amended(&mut self, order: OrderId, quantity: u64) -> Option<Tracked> {
        let tracked = self.open.get_mut(&order)?;
        assert!(quantity > 0, "an amendment leaves a resting order");
        tracked.remaining = quantity;
        Some(*tracked)
    }

    /// Stops tracking a cancelled order (or dropped remainder); returns it.
    pub(super) fn closed(&mut self, order: OrderId) -> Option<Tracked> {
        self.open.remove(&order)
    }

    /// How many orders are tracked.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.open.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_done_when_its_fills_add_up() {
        let mut tracker = OrderTracker::default();
        let tracked = Tracked {
            bot: BotId(0),
            client_id: 7,
            side: Side::Buy,
            remaining: 5,
        };
        tracker.accepted(OrderId(1), tracked);
        assert_eq!(tracker.filled(OrderId(1), 2).map(|f| f.1), Some(false));
        tracker.amended(OrderId(1), 2);
        assert_eq!(tracker.filled(OrderId(1), 2).map(|f| f.1), Some(true));
        assert_eq!(tracker.len(), 0);
        assert_eq!(tracker.filled(OrderId(1), 1), None);
        assert_eq!(tracker.closed(OrderId(2)), None);
    }
}
