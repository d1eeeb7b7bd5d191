//! Placing, cancelling and amending orders.

use super::matching::{self, Budget, Limit, Stop, Taker, Walk};
use super::{acting_account, open_ticker, ticker};
use crate::book::RestingOrder;
use crate::command::{Actor, NewOrder, OrderRef, OrderType, Side, TimeInForce};
use crate::event::{CancelReason, Event, Priority, RemainderReason};
use crate::ids::{AccountId, TickerId};
use crate::ledger::Account;
use crate::limits::{ORDERS_OPEN_PER_ACCOUNT_MAX, PRICE_MAX, QUANTITY_MAX};
use crate::money::{Credits, Price, Quantity};
use crate::rejection::Rejection;
use crate::state::State;
use crate::ticker::Ticker;

/// Places an order: validate, check funds, walk the book, then rest or drop the remainder.
pub(super) fn place(
    state: &State,
    actor: Actor,
    order: &NewOrder,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (account_id, account) = acting_account(state, actor)?;
    let listed = open_ticker(state, order.ticker)?;
    let quantity = valid_quantity(order.quantity)?;
    let limit = match order.order_type {
        OrderType::Market => None,
        OrderType::Limit {
            price,
            time_in_force,
        } => Some((valid_price(price)?, time_in_force)),
    };
    if let Some(client_id) = order.client_order_id {
        if state.client_ids.contains_key(&(account_id, client_id)) {
            return Err(Rejection::DuplicateClientOrderId(client_id));
        }
    }
    let may_rest = matches!(limit, Some((_, TimeInForce::Gtc | TimeInForce::PostOnly)));
    if may_rest && account.orders_open() >= ORDERS_OPEN_PER_ACCOUNT_MAX {
        return Err(Rejection::TooManyOpenOrders);
    }
    let budget = check_funds(account, order, limit.map(|(price, _)| price))?;
    if let Some((price, TimeInForce::PostOnly)) = limit {
        if would_trade(listed, order.side, price) {
            return Err(Rejection::PostOnlyWouldTrade);
        }
    }
    let order_id = state.next_order_id;
    out.push(Event::OrderAccepted {
        order: order_id,
        account: account_id,
        ticker: order.ticker,
        side: order.side,
        order_type: order.order_type,
        quantity,
        client_order_id: order.client_order_id,
        self_trade: order.self_trade,
    });
    let taker = Taker {
        order: order_id,
        account: account_id,
        ticker: order.ticker,
        side: order.side,
        limit: limit.map_or(Limit::None, |(price, _)| Limit::At(price)),
        quantity,
        budget,
        self_trade: order.self_trade,
    };
    let walk = matching::walk(&listed.book, &state.orders, &taker, out);
    finish(listed, order, &taker, walk, out)
}

/// Quantities run from 1 to [`QUANTITY_MAX`].
fn valid_quantity(quantity: Quantity) -> Result<Quantity, Rejection> {
    if quantity.0 == 0 || quantity.0 > QUANTITY_MAX {
        return Err(Rejection::InvalidQuantity(quantity));
    }
    Ok(quantity)
}

/// Prices run from 1 to [`PRICE_MAX`].
fn valid_price(price: Price) -> Result<Price, Rejection> {
    if price.0 == 0 || price.0 > PRICE_MAX {
        return Err(Rejection::InvalidPrice(price));
    }
    Ok(price)
}

/// A limit buy needs `price * quantity` available credits and a sell needs `quantity`
/// available shares; a market buy spends whatever credits are available.
fn check_funds(
    account: &Account,
    order: &NewOrder,
    limit: Option<Price>,
) -> Result<Budget, Rejection> {
    match (order.side, limit) {
        (Side::Buy, Some(price)) => {
            let needed = price
                .checked_cost(order.quantity)
                .ok_or(Rejection::Overflow)?;
            let available = account.credits_available;
            if needed > available {
                return Err(Rejection::InsufficientCredits { needed, available });
            }
            Ok(Budget::Prechecked)
        }
        (Side::Buy, None) => Ok(Budget::Credits(account.credits_available)),
        (Side::Sell, _) => {
            let available = account.position(order.ticker).available;
            if order.quantity > available {
                return Err(Rejection::InsufficientShares {
                    needed: order.quantity,
                    available,
                });
            }
            Ok(Budget::Prechecked)
        }
    }
}

/// Whether an order on `side` at `price` would trade with the opposite best level.
fn would_trade(listed: &Ticker, side: Side, price: Price) -> bool {
    let best = listed.book.best(side.opposite());
    best.is_some_and(|level| matching::crosses(side, price, level.price))
}

/// Decides what happens to the quantity the walk left: rest it, drop it, or reject.
fn finish(
    listed: &Ticker,
    order: &NewOrder,
    taker: &Taker,
    walk: Walk,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    if walk.remaining.0 == 0 {
        return Ok(());
    }
    let drop = |reason| Event::RemainderCancelled {
        order: taker.order,
        account: taker.account,
        quantity: walk.remaining,
        reason,
    };
    let stopped_by_self_trade = walk.stop == Stop::SelfTrade;
    match order.order_type {
        OrderType::Market => {
            if !walk.acted && !stopped_by_self_trade {
                return Err(market_rejection(listed, taker, walk.stop));
            }
            out.push(drop(match walk.stop {
                Stop::Budget => RemainderReason::InsufficientCredits,
                Stop::SelfTrade => RemainderReason::SelfTrade,
                Stop::Exhausted | Stop::Filled => RemainderReason::NoLiquidity,
            }));
        }
        OrderType::Limit {
            time_in_force: TimeInForce::Fok,
            ..
        } => {
            return Err(Rejection::FokNotFillable);
        }
        OrderType::Limit {
            time_in_force: TimeInForce::Ioc,
            ..
        } => out.push(drop(if stopped_by_self_trade {
            RemainderReason::SelfTrade
        } else {
            RemainderReason::ImmediateOrCancel
        })),
        OrderType::Limit {
            price,
            time_in_force: TimeInForce::Gtc | TimeInForce::PostOnly,
        } => {
            if stopped_by_self_trade {
                out.push(drop(RemainderReason::SelfTrade));
            } else {
                out.push(Event::OrderRested {
                    order: taker.order,
                    account: taker.account,
                    ticker: taker.ticker,
                    side: taker.side,
                    price,
                    quantity: walk.remaining,
                    filled: Quantity(taker.quantity.0 - walk.remaining.0),
                    client_order_id: order.client_order_id,
                });
            }
        }
    }
    Ok(())
}

/// Why a market order that did nothing at all is rejected.
fn market_rejection(listed: &Ticker, taker: &Taker, stop: Stop) -> Rejection {
    match (stop, listed.book.best(taker.side.opposite())) {
        (Stop::Budget, Some(best)) => {
            let available = match taker.budget {
                Budget::Credits(credits) => credits,
                Budget::Prechecked => Credits::ZERO,
            };
            Rejection::InsufficientCredits {
                needed: best.price.cost(Quantity(1)),
                available,
            }
        }
        _ => Rejection::NoLiquidity,
    }
}

/// Cancels one of the acting account's resting orders.
pub(super) fn cancel(
    state: &State,
    actor: Actor,
    target: OrderRef,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (account_id, _) = acting_account(state, actor)?;
    let resting = own_resting_order(state, account_id, target)?;
    out.push(cancelled(resting, CancelReason::Requested));
    Ok(())
}

/// Cancels every resting order of the acting account, or those on one ticker.
pub(super) fn cancel_all(
    state: &State,
    actor: Actor,
    only: Option<TickerId>,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (_, account) = acting_account(state, actor)?;
    if let Some(id) = only {
        ticker(state, id)?;
    }
    let orders = open_orders(state, account);
    let wanted = orders
        .into_iter()
        .filter(|o| only.is_none_or(|id| o.ticker == id));
    out.extend(wanted.map(|o| cancelled(o, CancelReason::CancelAll)));
    Ok(())
}

/// An account's resting orders in id order, so the events that cancel them do not depend on
/// the order of the account's list.
pub(super) fn open_orders<'a>(state: &'a State, account: &Account) -> Vec<&'a RestingOrder> {
    let mut orders: Vec<_> = account
        .orders
        .iter()
        .map(|&slot| state.orders.get(slot))
        .collect();
    orders.sort_unstable_by_key(|o| o.id);
    orders
}

/// The event cancelling a resting order.
pub(super) fn cancelled(order: &RestingOrder, reason: CancelReason) -> Event {
    Event::OrderCancelled {
        order: order.id,
        account: order.account,
        ticker: order.ticker,
        side: order.side,
        price: order.price,
        quantity: order.remaining,
        reason,
    }
}

/// Finds a resting order of `account` by id or client id.
fn own_resting_order(
    state: &State,
    account: AccountId,
    target: OrderRef,
) -> Result<&RestingOrder, Rejection> {
    let id = match target {
        OrderRef::Id(id) => id,
        OrderRef::Client(client_id) => *state
            .client_ids
            .get(&(account, client_id))
            .ok_or(Rejection::UnknownOrder)?,
    };
    let Some(order) = state.orders.by_id(id) else {
        return Err(if id.0 > 0 && id < state.next_order_id {
            Rejection::OrderNotOpen(id)
        } else {
            Rejection::UnknownOrder
        });
    };
    if order.account != account {
        return Err(Rejection::NotOwner(id));
    }
    Ok(order)
}

/// Changes a resting order's price and quantity, adjusting its hold.
pub(super) fn amend(
    state: &State,
    actor: Actor,
    target: OrderRef,
    price: Price,
    quantity: Quantity,
    out: &mut Vec<Event>,
) -> Result<(), Rejection> {
    let (account_id, account) = acting_account(state, actor)?;
    let resting = own_resting_order(state, account_id, target)?;
    let listed = open_ticker(state, resting.ticker)?;
    let quantity = valid_quantity(quantity)?;
    let price = valid_price(price)?;
    if price == resting.price && quantity == resting.remaining {
        return Err(Rejection::AmendmentUnchanged);
    }
    if price != resting.price && would_trade(listed, resting.side, price) {
        return Err(Rejection::AmendmentWouldTrade(price));
    }
    check_amendment_funds(account, resting, price, quantity)?;
    let priority = if price == resting.price && quantity < resting.remaining {
        Priority::Kept
    } else {
        Priority::Lost
    };
    out.push(Event::OrderAmended {
        order: resting.id,
        account: account_id,
        ticker: resting.ticker,
        side: resting.side,
        old_price: resting.price,
        old_quantity: resting.remaining,
        price,
        quantity,
        priority,
    });
    Ok(())
}

/// An amendment may grow a hold only by what is available.
fn check_amendment_funds(
    account: &Account,
    resting: &RestingOrder,
    price: Price,
    quantity: Quantity,
) -> Result<(), Rejection> {
    match resting.side {
        Side::Buy => {
            let new_hold = price.checked_cost(quantity).ok_or(Rejection::Overflow)?;
            let old_hold = resting.price.cost(resting.remaining);
            let needed = Credits(new_hold.0.saturating_sub(old_hold.0));
            let available = account.credits_available;
            if needed > available {
                return Err(Rejection::InsufficientCredits { needed, available });
            }
        }
        Side::Sell => {
            let needed = Quantity(quantity.0.saturating_sub(resting.remaining.0));
            let available = account.position(resting.ticker).available;
            if needed > available {
                return Err(Rejection::InsufficientShares { needed, available });
            }
        }
    }
    Ok(())
}
