//! [`OwnOrders`]: the bot's own orders, kept from two sources that overlap.
//!
//! The runner learns about an order from the answers to its own commands (REST) and from
//! the account channel (WebSocket). A command's answer arrives before the runner reads
//! that record's messages, and it shows the order *as it is when the answer is built*,
//! which may already include later records. So each order remembers the last record its
//! state reflects (`seq`) and where that state came from:
//!
//! 1. An answer's order (its `updated_seq` at or after the order's `seq`) replaces the
//!    state, which then came from REST.
//! 2. A message of record `s` changes the state if `s` is newer than the state, or is the
//!    same record and the state came from messages (the record's earlier messages).
//!    Older or already answered records leave the state alone.
//! 3. Inputs are reported once per record: a fill message of a record whose fills an
//!    answer already reported is not reported again; any other fill is (it happened,
//!    even if the state already reflects it). An order's end ([`Input::Done`]) is
//!    reported once, by whichever source saw it first; so a fill may follow the `Done`
//!    that it caused.
//!
//! An ended order is forgotten once the account channel has delivered every record up to
//! its last one.

use super::wire::{OrderBody, OrderStatus};
use crate::strategy::{Input, OrderDone, OwnOrder, Portfolio};
use exchange_core::Side;
use std::collections::HashMap;

/// What a record did to one order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// It rests with this quantity.
    Rested {
        /// Shares resting.
        quantity: u64,
    },
    /// Some of it traded.
    Traded {
        /// Credits per share.
        price: u64,
        /// Shares.
        quantity: u64,
    },
    /// It was cancelled, or its remainder dropped.
    Cancelled,
    /// Its price and resting quantity changed.
    Amended {
        /// The new price.
        price: u64,
        /// The new quantity.
        quantity: u64,
    },
}

/// One order of the bot's.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tracked {
    client_id: u64,
    side: Side,
    price: Option<u64>,
    remaining: u64,
    resting: bool,
    ended: Option<OrderDone>,
    done_reported: bool,
    /// The last record the state reflects.
    seq: u64,
    /// Whether that state came from messages (else from an answer).
    from_messages: bool,
    /// Records whose fills and end an answer already reported.
    answered: Vec<u64>,
}

impl Tracked {
    /// Whether a message of record `seq` may change the state (rule 2).
    fn admits(&self, seq: u64) -> bool {
        seq > self.seq || (seq == self.seq && self.from_messages)
    }

    fn change(&mut self, change: Change) {
        match change {
            Change::Rested { quantity } => {
                self.remaining = quantity;
                self.resting = quantity > 0;
            }
            Change::Traded { quantity, .. } => {
                // The server's record is the truth; a fill larger than what this copy
                // thought remained means the copy was behind, not that the fill is wrong.
                debug_assert!(quantity <= self.remaining, "a fill exceeds what remained");
                self.remaining = self.remaining.saturating_sub(quantity);
                if self.remaining == 0 {
                    self.ended = Some(OrderDone::Filled);
                }
            }
            Change::Cancelled => self.ended = Some(OrderDone::Cancelled),
            Change::Amended { price, quantity } => {
                self.price = Some(price);
                self.remaining = quantity;
            }
        }
    }

    /// The resting order the portfolio shows, if it is one.
    fn own_order(&self) -> Option<OwnOrder> {
        match (self.resting, self.ended, self.price) {
            (true, None, Some(price)) => Some(OwnOrder {
                side: self.side,
                price,
                remaining: self.remaining,
            }),
            _ => None,
        }
    }
}

/// The bot's orders on its ticker, by exchange id, with the client ids strategies use.
#[derive(Clone, Debug, Default)]
pub struct OwnOrders {
    by_id: HashMap<u64, Tracked>,
    by_client_id: HashMap<u64, u64>,
    /// The last client order id handed out (the strategy's context counts on from it).
    pub next_client_id: u64,
}

impl OwnOrders {
    /// No orders; client ids are handed out after `client_id_base`.
    pub fn new(client_id_base: u64) -> Self {
        Self {
            next_client_id: client_id_base,
            ..Self::default()
        }
    }

    /// The exchange id of the order with this client id, if known.
    pub fn order_id(&self, client_id: u64) -> Option<u64> {
        self.by_client_id.get(&client_id).copied()
    }

    /// The exchange ids of the orders not known to have ended.
    pub fn live_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .by_id
            .iter()
            .filter(|(_, order)| order.ended.is_none())
            .map(|(&id, _)| id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// How many orders are tracked (ended ones until they are forgotten).
    pub fn tracked(&self) -> usize {
        self.by_id.len()
    }

    /// Record `seq` accepted order `id` (from the account channel). An order the runner
    /// did not place itself is adopted; one without a client id gets one.
    pub fn accepted(
        &mut self,
        seq: u64,
        id: u64,
        client_id: Option<u64>,
        side: Side,
        price: Option<u64>,
        quantity: u64,
    ) {
        if self.by_id.contains_key(&id) {
            return;
        }
        let client_id = self.client_id_for(client_id);
        self.insert(
            id,
            Tracked {
                client_id,
                side,
                price,
                remaining: quantity,
                resting: false,
                ended: None,
                done_reported: false,
                seq,
                from_messages: true,
                answered: Vec::new(),
            },
        );
    }

    /// A message of record `seq` changed order `id` (rule 2 and 3). Orders the bot does not
    /// know (another ticker's) are ignored.
    pub fn message(
        &mut self,
        seq: u64,
        id: u64,
        change: Change,
        portfolio: &mut Portfolio,
        inputs: &mut Vec<Input>,
    ) {
        let Some(order) = self.by_id.get_mut(&id) else {
            return;
        };
        if let Change::Traded { price, quantity } = change {
            if !order.answered.contains(&seq) {
                inputs.push(Input::Filled {
                    client_id: order.client_id,
                    side: order.side,
                    price,
                    quantity,
                });
            }
        }
        if order.admits(seq) {
            order.seq = seq;
            order.from_messages = true;
            order.change(change);
        }
        Self::settle(order, portfolio, inputs);
    }

    /// The answer to a command of record `seq` showed `order`, after these fills of its
    /// own record (rules 1 and 3).
    pub fn answered(
        &mut self,
        seq: u64,
        order: &OrderBody,
        fills: &[(u64, u64)],
        portfolio: &mut Portfolio,
        inputs: &mut Vec<Input>,
    ) {
        let tracked = self.snapshot(order);
        if !tracked.answered.contains(&seq) {
            tracked.answered.push(seq);
            for &(price, quantity) in fills {
                inputs.push(Input::Filled {
                    client_id: tracked.client_id,
                    side: tracked.side,
                    price,
                    quantity,
                });
            }
        }
        Self::settle(tracked, portfolio, inputs);
    }

    /// A fresh read of `order` (a resynchronisation): it replaces the state (rule 1).
    pub fn refreshed(
        &mut self,
        order: &OrderBody,
        portfolio: &mut Portfolio,
        inputs: &mut Vec<Input>,
    ) {
        let tracked = self.snapshot(order);
        Self::settle(tracked, portfolio, inputs);
    }

    /// Forgets ended orders whose records have all been delivered (through `seq`).
    pub fn forget_through(&mut self, seq: u64) {
        let by_client_id = &mut self.by_client_id;
        self.by_id.retain(|_, order| {
            let keep = order.ended.is_none() || order.seq > seq;
            if !keep {
                by_client_id.remove(&order.client_id);
            }
            keep
        });
    }

    /// Applies an order snapshot if it is at least as new as the state; returns the order.
    fn snapshot(&mut self, body: &OrderBody) -> &mut Tracked {
        if !self.by_id.contains_key(&body.id) {
            let client_id = self.client_id_for(body.client_order_id);
            self.insert(
                body.id,
                Tracked {
                    client_id,
                    side: body.side.into(),
                    price: body.price,
                    remaining: body.remaining,
                    resting: false,
                    ended: None,
                    done_reported: false,
                    seq: 0,
                    from_messages: false,
                    answered: Vec::new(),
                },
            );
        }
        let order = self
            .by_id
            .get_mut(&body.id)
            .expect("invariant: the order was inserted above");
        if body.updated_seq >= order.seq {
            order.seq = body.updated_seq;
            order.from_messages = false;
            order.price = body.price;
            order.remaining = body.remaining;
            order.resting = body.status == OrderStatus::Open;
            order.ended = match body.status {
                OrderStatus::Open => None,
                OrderStatus::Filled => Some(OrderDone::Filled),
                OrderStatus::Cancelled => Some(OrderDone::Cancelled),
            };
        }
        order
    }

    /// Shows the order in the portfolio (or not), and reports its end once.
    fn settle(order: &mut Tracked, portfolio: &mut Portfolio, inputs: &mut Vec<Input>) {
        match order.own_order() {
            Some(own) => {
                portfolio.orders.insert(order.client_id, own);
            }
            None => {
                portfolio.orders.remove(&order.client_id);
            }
        }
        if let (Some(why), false) = (order.ended, order.done_reported) {
            order.done_reported = true;
            inputs.push(Input::Done {
                client_id: order.client_id,
                why,
            });
        }
    }

    fn insert(&mut self, id: u64, order: Tracked) {
        self.by_client_id.insert(order.client_id, id);
        self.by_id.insert(id, order);
    }

    /// The client id of an order: its own, or a new one if it has none.
    fn client_id_for(&mut self, client_id: Option<u64>) -> u64 {
        match client_id {
            Some(id) => {
                self.next_client_id = self.next_client_id.max(id);
                id
            }
            None => {
                self.next_client_id += 1;
                self.next_client_id
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(
        id: u64,
        client: u64,
        remaining: u64,
        status: OrderStatus,
        updated_seq: u64,
    ) -> OrderBody {
        OrderBody {
            id,
            symbol: "MNAD".into(),
            side: super::super::wire::WireSide::Sell,
            price: Some(40),
            remaining,
            status,
            client_order_id: Some(client),
            updated_seq,
        }
    }

    fn fills(inputs: &[Input]) -> Vec<u64> {
        inputs
            .iter()
            .filter_map(|input| match input {
                Input::Filled { quantity, .. } => Some(*quantity),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_answered_record_is_not_reported_again_by_its_messages() {
        let (mut orders, mut portfolio, mut inputs) =
            (OwnOrders::new(0), Portfolio::default(), Vec::new());
        // Placed at 10, traded 2 on arrival, rests with 3.
        orders.answered(
            10,
            &body(7, 1, 3, OrderStatus::Open, 10),
            &[(40, 2)],
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(fills(&inputs), [2]);
        assert_eq!(portfolio.orders[&1].remaining, 3);
        inputs.clear();
        // The account channel then delivers record 10: accepted, the fill, rested.
        orders.accepted(10, 7, Some(1), Side::Sell, Some(40), 5);
        orders.message(
            10,
            7,
            Change::Traded {
                price: 40,
                quantity: 2,
            },
            &mut portfolio,
            &mut inputs,
        );
        orders.message(
            10,
            7,
            Change::Rested { quantity: 3 },
            &mut portfolio,
            &mut inputs,
        );
        assert!(inputs.is_empty(), "{inputs:?}");
        assert_eq!(portfolio.orders[&1].remaining, 3);
        // A later record trades the rest.
        orders.message(
            12,
            7,
            Change::Traded {
                price: 40,
                quantity: 3,
            },
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(fills(&inputs), [3]);
        assert_eq!(
            inputs[1],
            Input::Done {
                client_id: 1,
                why: OrderDone::Filled
            }
        );
        assert!(portfolio.orders.is_empty());
        orders.forget_through(12);
        assert_eq!(orders.tracked(), 0);
    }

    #[test]
    fn an_answer_that_already_shows_a_later_fill_still_reports_that_fill_once() {
        let (mut orders, mut portfolio, mut inputs) =
            (OwnOrders::new(0), Portfolio::default(), Vec::new());
        // Placed at 10 (rested 5); someone bought 5 at 11 before the answer was built.
        orders.answered(
            10,
            &body(7, 1, 0, OrderStatus::Filled, 11),
            &[],
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(
            inputs,
            [Input::Done {
                client_id: 1,
                why: OrderDone::Filled
            }]
        );
        inputs.clear();
        orders.accepted(10, 7, Some(1), Side::Sell, Some(40), 5);
        orders.message(
            10,
            7,
            Change::Rested { quantity: 5 },
            &mut portfolio,
            &mut inputs,
        );
        orders.message(
            11,
            7,
            Change::Traded {
                price: 40,
                quantity: 5,
            },
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(fills(&inputs), [5]);
        assert_eq!(inputs.len(), 1, "the end was reported once: {inputs:?}");
        assert!(portfolio.orders.is_empty());
    }

    #[test]
    fn orders_placed_elsewhere_are_adopted_with_a_client_id() {
        let (mut orders, mut portfolio, mut inputs) =
            (OwnOrders::new(100), Portfolio::default(), Vec::new());
        orders.accepted(3, 9, None, Side::Buy, Some(30), 2);
        orders.message(
            3,
            9,
            Change::Rested { quantity: 2 },
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(orders.order_id(101), Some(9));
        assert_eq!(portfolio.orders[&101].price, 30);
        orders.message(
            4,
            9,
            Change::Amended {
                price: 31,
                quantity: 1,
            },
            &mut portfolio,
            &mut inputs,
        );
        assert_eq!(
            portfolio.orders[&101],
            OwnOrder {
                side: Side::Buy,
                price: 31,
                remaining: 1
            }
        );
        orders.message(5, 9, Change::Cancelled, &mut portfolio, &mut inputs);
        assert_eq!(
            inputs,
            [Input::Done {
                client_id: 101,
                why: OrderDone::Cancelled
            }]
        );
        assert_eq!(orders.live_ids(), Vec::<u64>::new());
    }
}
