//! The matching walk: an incoming order against the opposite side of the book.
//!
//! The walk only reads the book. It emits a `Trade` for every fill and an `OrderCancelled`
//! for every resting order that self-trade prevention removes; `evolve` then applies them.
//! Levels are visited best price first and orders within a level oldest first, so trades
//! follow price-time priority, always at the resting order's price.

use crate::book::{Book, OrderArena, NIL};
use crate::command::{SelfTrade, Side};
use crate::event::{CancelReason, Event};
use crate::ids::{AccountId, OrderId, TickerId};
use crate::money::{Credits, Price, Quantity};

/// The incoming order, as the walk needs it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Taker {
    pub(super) order: OrderId,
    pub(super) account: AccountId,
    pub(super) ticker: TickerId,
    pub(super) side: Side,
    pub(super) limit: Limit,
    pub(super) quantity: Quantity,
    pub(super) budget: Budget,
    pub(super) self_trade: SelfTrade,
}

/// The worst price the incoming order accepts.
#[derive(Clone, Copy, Debug)]
pub(super) enum Limit {
    /// Any price (a market order).
    None,
    /// This price or better.
    At(Price),
}

/// How many credits the incoming order may spend while walking.
#[derive(Clone, Copy, Debug)]
pub(super) enum Budget {
    /// Funds were checked before the walk (limit orders hold `price * quantity`; sells need
    /// shares, not credits).
    Prechecked,
    /// A market buy spends at most this many credits.
    Credits(Credits),
}

/// Why the walk stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// The whole quantity traded.
    Filled,
    /// No more resting orders within the limit.
    Exhausted,
    /// A market buy cannot pay for one more share.
    Budget,
    /// The self-trade policy stopped the order at its own resting order.
    SelfTrade,
}

/// What the walk did.
#[derive(Clone, Copy, Debug)]
pub(super) struct Walk {
    pub(super) remaining: Quantity,
    pub(super) stop: Stop,
    /// Whether any event (trade or self-trade cancel) was emitted.
    pub(super) acted: bool,
}

/// Whether an incoming order with this side and limit trades against a resting price.
pub(super) fn crosses(side: Side, limit: Price, resting: Price) -> bool {
    match side {
        Side::Buy => resting <= limit,
        Side::Sell => resting >= limit,
    }
}

/// Walks the opposite side of `book` for `taker`, appending events to `out`.
pub(super) fn walk(book: &Book, arena: &OrderArena, taker: &Taker, out: &mut Vec<Event>) -> Walk {
    let mut remaining = taker.quantity;
    let mut budget = taker.budget;
    let mut acted = false;
    for level in book.levels(taker.side.opposite()) {
        if let Limit::At(limit) = taker.limit {
            if !crosses(taker.side, limit, level.price) {
                return Walk {
                    remaining,
                    stop: Stop::Exhausted,
                    acted,
                };
            }
        }
        let mut slot = level.head;
        while slot != NIL {
            let maker = arena.get(slot);
            slot = maker.level_next();
            assert!(
                maker.price == level.price,
                "invariant: orders rest at their level's price"
            );
            if maker.account == taker.account {
                match taker.self_trade {
                    SelfTrade::CancelResting => {
                        out.push(Event::OrderCancelled {
                            order: maker.id,
                            account: maker.account,
                            ticker: taker.ticker,
                            side: maker.side,
                            price: maker.price,
                            quantity: maker.remaining,
                            reason: CancelReason::SelfTrade,
                        });
                        acted = true;
                        continue;
                    }
                    SelfTrade::CancelIncoming => {
                        return Walk {
                            remaining,
                            stop: Stop::SelfTrade,
                            acted,
                        };
                    }
                }
            }
            let wanted = remaining.min(maker.remaining);
            let mut fill = wanted;
            if let Budget::Credits(credits) = &mut budget {
                fill = fill.min(Quantity(credits.0 / level.price.0));
                if fill.0 == 0 {
                    return Walk {
                        remaining,
                        stop: Stop::Budget,
                        acted,
                    };
                }
                credits.0 -= level.price.cost(fill).0;
            }
            assert!(
                fill.0 > 0 && fill <= maker.remaining,
                "invariant: 0 < fill <= maker's remaining"
            );
            out.push(Event::Trade {
                ticker: taker.ticker,
                price: level.price,
                quantity: fill,
                maker_order: maker.id,
                maker_account: maker.account,
                taker_order: taker.order,
                taker_account: taker.account,
                taker_side: taker.side,
            });
            acted = true;
            remaining.0 -= fill.0;
            if remaining.0 == 0 {
                return Walk {
                    remaining,
                    stop: Stop::Filled,
                    acted,
                };
            }
            if fill < wanted {
                // The budget cut this fill short, so it cannot pay for another share at this
                // price or any worse one.
                return Walk {
                    remaining,
                    stop: Stop::Budget,
                    acted,
                };
            }
        }
    }
    Walk {
        remaining,
        stop: Stop::Exhausted,
        acted,
    }
}
