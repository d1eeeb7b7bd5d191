//! The [matchcore](https://docs.rs/matchcore/0.4.0) 0.4.0 adapter.
//!
//! matchcore matches every crossing limit order as if it were a market order
//! (`match_order(.., None, ..)` in its `submit_crossable_order`), so a GTC or
//! IOC limit trades through its limit price when the liquidity at or better
//! than that price runs out. The adapter therefore splits a crossing limit in
//! two commands:
//!
//! 1. an IOC limit for exactly the quantity resting at prices no worse than
//!    the limit (summed from the public `LimitBook` levels), which can only fill
//!    within the limit;
//! 2. a GTC limit for the remainder, if any, which no longer crosses and rests.
//!
//! matchcore numbers orders by the sequence number of the command that
//! submitted them, so the adapter keeps a map from workload ids to its ids.

use ::matchcore::{
    CancelCmd, Command, CommandKind, CommandMeta, CommandOutcome, CommandReport, LimitBook,
    LimitOrder, NewOrder, OrderBook, OrderFlags, OrderId, OrderKind, Price, Quantity,
    QuantityPolicy, SequenceNumber, Side as McSide, SubmitCmd, TimeInForce, Timestamp,
};

use crate::engine::{id_table_len, Engine};
use crate::workload::{Op, Side};

/// A matchcore order book driven with workload commands.
#[derive(Debug)]
pub struct MatchcoreEngine {
    /// The peer's book, for one instrument.
    book: OrderBook,
    /// Sequence number of the next command; matchcore requires 0, 1, 2, ...
    next_sequence: u64,
    /// matchcore's id of each workload order's resting part, indexed by workload id.
    ///
    /// Workload ids are command indices, dense from 0, so a vector is the
    /// cheapest map and keeps the adapter's overhead out of the peer's figure.
    order_ids: Vec<Option<OrderId>>,
    /// Total quantity traded, summed from the submit reports.
    filled_volume: u64,
}

impl Default for MatchcoreEngine {
    fn default() -> Self {
        Self {
            book: OrderBook::new("W"),
            next_sequence: 0,
            order_ids: Vec::new(),
            filled_volume: 0,
        }
    }
}

impl MatchcoreEngine {
    /// Places a workload limit order: take what the limit allows, rest the remainder.
    fn place_limit(&mut self, id: u64, side: Side, price: u64, quantity: u64) {
        let side = match side {
            Side::Buy => McSide::Buy,
            Side::Sell => McSide::Sell,
        };
        let price = Price(price);
        let takeable = takeable_quantity(self.book.limit(), side, price, quantity);
        if takeable > 0 {
            let (_, filled) = self.submit(side, price, takeable, TimeInForce::Ioc);
            assert_eq!(
                filled, takeable,
                "the IOC part fills exactly what rests within its limit"
            );
            self.filled_volume += filled;
        }
        if takeable < quantity {
            let rest = quantity - takeable;
            let (order_id, filled) = self.submit(side, price, rest, TimeInForce::Gtc);
            assert_eq!(filled, 0, "the remainder no longer crosses");
            self.remember(id, order_id);
        }
    }

    /// Cancels the resting part of workload order `id`.
    fn cancel(&mut self, id: u64) {
        let slot = self.order_ids.get_mut(id as usize).and_then(Option::take);
        let order_id = slot.unwrap_or_else(|| panic!("cancel of order {id}, which is not resting"));
        let cancel = CancelCmd {
            order_id,
            order_kind: OrderKind::Limit,
        };
        let outcome = self.execute(CommandKind::Cancel(cancel));
        assert!(
            matches!(outcome, CommandOutcome::Applied(CommandReport::Cancel)),
            "matchcore refused to cancel order {id}: {outcome:?}"
        );
    }

    /// Submits a standard limit order; returns matchcore's id for it and the
    /// quantity it filled on arrival.
    fn submit(
        &mut self,
        side: McSide,
        price: Price,
        quantity: u64,
        tif: TimeInForce,
    ) -> (OrderId, u64) {
        let order = LimitOrder::new(
            price,
            QuantityPolicy::Standard {
                quantity: Quantity(quantity),
            },
            OrderFlags::new(side, /* post_only */ false, tif),
        );
        let submit = SubmitCmd {
            order: NewOrder::Limit(order),
        };
        match self.execute(CommandKind::Submit(submit)) {
            CommandOutcome::Applied(CommandReport::Submit(effects)) => {
                let target = effects.target_order();
                let result = target.match_result();
                let filled = result.map_or(0, |result| result.executed_quantity().0);
                (target.order_id(), filled)
            }
            outcome => panic!("matchcore did not apply a submit: {outcome:?}"),
        }
    }

    /// Executes one command with the next sequence number; the time is the sequence too.
    fn execute(&mut self, kind: CommandKind) -> CommandOutcome {
        let meta = CommandMeta {
            sequence_number: SequenceNumber(self.next_sequence),
            timestamp: Timestamp(self.next_sequence),
        };
        self.next_sequence += 1;
        self.book.execute(&Command { meta, kind })
    }

    /// Records that workload order `id` rests in matchcore as `order_id`.
    fn remember(&mut self, id: u64, order_id: OrderId) {
        let index = id as usize;
        if index >= self.order_ids.len() {
            self.order_ids.resize(index + 1, None);
        }
        self.order_ids[index] = Some(order_id);
    }
}

/// Quantity, up to `wanted`, resting on the opposite side at prices no worse than `limit`.
fn takeable_quantity(book: &LimitBook, side: McSide, limit: Price, wanted: u64) -> u64 {
    if !book.has_crossable_order(side, limit) {
        return 0;
    }
    let mut total = 0;
    let mut add_level = |level_id: &usize| {
        total += book.levels()[*level_id].total_quantity().0;
        total >= wanted
    };
    match side {
        McSide::Buy => book
            .asks()
            .range(..=limit)
            .map(|(_, id)| id)
            .any(&mut add_level),
        McSide::Sell => book
            .bids()
            .range(limit..)
            .rev()
            .map(|(_, id)| id)
            .any(&mut add_level),
    };
    total.min(wanted)
}

impl Engine for MatchcoreEngine {
    fn name(&self) -> &'static str {
        "matchcore"
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Limit {
                id,
                side,
                price,
                qty,
            } => self.place_limit(id, side, price, qty),
            Op::Cancel { id } => self.cancel(id),
        }
    }

    fn prepare(&mut self, ops: &[Op]) {
        self.order_ids.resize(id_table_len(ops), None);
    }

    fn filled_volume(&self) -> u64 {
        self.filled_volume
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// Applies limit orders given as (id, side, price, quantity).
    fn place_all(engine: &mut MatchcoreEngine, orders: &[(u64, Side, u64, u64)]) {
        for &(id, side, price, qty) in orders {
            engine.apply(&Op::Limit {
                id,
                side,
                price,
                qty,
            });
        }
    }

    #[test]
    fn a_plain_matchcore_ioc_limit_trades_through_its_limit() {
        // Why the adapter sizes its IOC: matchcore on its own fills at 105 a buy limited to 100.
        let mut engine = MatchcoreEngine::default();
        place_all(
            &mut engine,
            &[(0, Side::Sell, 100, 5), (1, Side::Sell, 105, 5)],
        );
        let (_, filled) = engine.submit(McSide::Buy, Price(100), 10, TimeInForce::Ioc);
        assert_eq!(filled, 10);
    }

    #[test]
    fn a_crossing_limit_fills_within_its_limit_and_rests_the_rest() {
        let mut engine = MatchcoreEngine::default();
        place_all(
            &mut engine,
            &[
                (0, Side::Sell, 100, 5),
                (1, Side::Sell, 105, 5),
                (2, Side::Buy, 100, 8),
            ],
        );
        assert_eq!(engine.filled_volume(), 5);
        assert_eq!(engine.book.best_bid(), Some((Price(100), Quantity(3))));
        assert_eq!(engine.book.best_ask(), Some((Price(105), Quantity(5))));
        engine.apply(&Op::Cancel { id: 2 });
        assert_eq!(engine.book.best_bid(), None);
    }

    #[test]
    fn a_limit_with_enough_liquidity_within_its_limit_is_one_command() {
        let mut engine = MatchcoreEngine::default();
        place_all(
            &mut engine,
            &[
                (0, Side::Buy, 100, 5),
                (1, Side::Buy, 99, 5),
                (2, Side::Sell, 99, 7),
            ],
        );
        assert_eq!(engine.filled_volume(), 7);
        assert_eq!(engine.next_sequence, 3);
        assert_eq!(engine.book.best_bid(), Some((Price(99), Quantity(3))));
        engine.apply(&Op::Cancel { id: 1 });
        assert_eq!(engine.book.best_bid(), None);
    }

    #[test]
    fn replaying_w1_reproduces_the_reference_volume() {
        let workload = testing::w1_seed_42();
        let mut engine = MatchcoreEngine::default();
        workload.ops.iter().for_each(|op| engine.apply(op));
        assert_eq!(engine.filled_volume(), workload.filled_volume);
        assert_eq!(engine.filled_volume(), 19_163_400);
    }
}
