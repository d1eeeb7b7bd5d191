//! `evolve`: apply one event to the state.
//!
//! Applying an event makes no decision: every figure it needs is in the event. It asserts the
//! invariants an event relies on (an order it names rests, a balance it debits covers the
//! debit), because a failure there means the log or `decide` is wrong, never the client.

use crate::book::{RestingOrder, Slot};
use crate::command::Side;
use crate::event::Event;
use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::ledger::{alert_index, Account, AccountStatus, Alert};
use crate::limits::{CREDITS_TOTAL_MAX, SHARES_TOTAL_MAX};
use crate::money::{Credits, Price, Quantity};
use crate::state::State;
use crate::ticker::Ticker;

/// Applies one event to the state.
///
/// # Panics
/// If the event contradicts the state (names an order that does not rest, debits more than
/// an account has, reuses an id): such an event could not have come from [`crate::decide`]
/// on this state, so the log it came from is corrupt.
pub fn evolve(state: &mut State, event: &Event) {
    match *event {
        Event::AccountCreated {
            account,
            kind,
            orchestrated_by,
        } => {
            state
                .ledger
                .push(account, Account::new(kind, orchestrated_by));
        }
        Event::TickerCreated { ticker, symbol } => state.tickers.push(ticker, Ticker::new(symbol)),
        Event::TickerStatusChanged { ticker, status } => {
            state.tickers.get_mut(ticker).status = status
        }
        Event::CreditsDeposited { account, amount } => {
            let total = add(state.ledger.credits_total.0, amount.0);
            assert!(
                total <= CREDITS_TOTAL_MAX,
                "invariant: total credits within limit"
            );
            state.ledger.credits_total = Credits(total);
            let receiver = state.ledger.get_mut(account);
            receiver.credits_available.0 = add(receiver.credits_available.0, amount.0);
        }
        Event::SharesIssued {
            account,
            ticker,
            quantity,
        } => {
            let listed = state.tickers.get_mut(ticker);
            listed.shares_total.0 = add(listed.shares_total.0, quantity.0);
            assert!(
                listed.shares_total.0 <= SHARES_TOTAL_MAX,
                "invariant: shares within limit"
            );
            let position = state.ledger.get_mut(account).position_mut(ticker);
            position.available.0 = add(position.available.0, quantity.0);
        }
        Event::CreditsTransferred {
            from, to, amount, ..
        } => {
            let payer = state.ledger.get_mut(from);
            payer.credits_available.0 = sub(payer.credits_available.0, amount.0);
            let payee = state.ledger.get_mut(to);
            payee.credits_available.0 = add(payee.credits_available.0, amount.0);
        }
        Event::SharesTransferred {
            from,
            to,
            ticker,
            quantity,
            ..
        } => {
            let giver = state.ledger.get_mut(from).position_mut(ticker);
            giver.available.0 = sub(giver.available.0, quantity.0);
            let taker = state.ledger.get_mut(to).position_mut(ticker);
            taker.available.0 = add(taker.available.0, quantity.0);
        }
        Event::OrderAccepted {
            order,
            account,
            client_order_id,
            ..
        } => {
            accept(state, order, account, client_order_id);
        }
        Event::Trade { .. } => trade(state, event),
        Event::OrderRested { .. } => rest(state, event),
        Event::OrderCancelled {
            order,
            account,
            ticker,
            side,
            price,
            quantity,
            ..
        } => {
            let slot = state
                .orders
                .slot_of(order)
                .expect("invariant: the order rests");
            let removed = remove_order(state, slot, account, ticker);
            assert_eq!(
                removed,
                (side, price, quantity),
                "invariant: the event matches the order"
            );
            release(state.ledger.get_mut(account), ticker, side, price, quantity);
        }
        Event::RemainderCancelled { .. } => {}
        Event::OrderAmended { .. } => amend(state, event),
        Event::AccountClosed { account } => close(state.ledger.get_mut(account)),
        Event::AlertSet {
            account,
            direction,
            threshold,
        } => {
            let slot = &mut state.ledger.get_mut(account).alerts[alert_index(direction)];
            if slot.is_none() {
                state.alerts_set += 1;
            }
            *slot = Some(Alert {
                threshold,
                armed: true,
            });
        }
        Event::AlertCleared { account, direction } => {
            let slot = &mut state.ledger.get_mut(account).alerts[alert_index(direction)];
            assert!(slot.take().is_some(), "invariant: a cleared alert was set");
            state.alerts_set -= 1;
        }
        Event::AlertTriggered {
            account, direction, ..
        } => set_armed(state, account, direction, false),
        Event::AlertRearmed { account, direction } => set_armed(state, account, direction, true),
    }
}

fn add(a: u64, b: u64) -> u64 {
    a.checked_add(b)
        .expect("invariant: totals are bounded, so balances cannot overflow")
}

fn sub(a: u64, b: u64) -> u64 {
    a.checked_sub(b)
        .expect("invariant: decide never debits more than is there")
}

fn accept(
    state: &mut State,
    order: OrderId,
    account: AccountId,
    client_order_id: Option<ClientOrderId>,
) {
    assert_eq!(
        order, state.next_order_id,
        "invariant: order ids are sequential"
    );
    state.next_order_id = OrderId(order.0 + 1);
    if let Some(client_id) = client_order_id {
        let previous = state.client_ids.insert((account, client_id), order);
        assert!(
            previous.is_none(),
            "invariant: client order ids are unique per account"
        );
    }
}

/// A fill between a resting maker and the incoming taker, at the maker's price.
fn trade(state: &mut State, event: &Event) {
    let Event::Trade {
        ticker,
        price,
        quantity,
        maker_order,
        maker_account,
        taker_account,
        taker_side,
        ..
    } = *event
    else {
        unreachable!("called with a Trade")
    };
    // Price-time priority: every trade fills the oldest order at the best opposite price,
    // because the orders a walk passed over were filled or cancelled by earlier events.
    let slot = state
        .tickers
        .get(ticker)
        .and_then(|listed| listed.book.best(taker_side.opposite()))
        .map(|level| level.head)
        .expect("invariant: a trade fills a resting order");
    let maker = state.orders.get(slot);
    assert!(
        maker.id == maker_order,
        "invariant: a trade fills the oldest order at the best price"
    );
    assert!(
        maker.account == maker_account && maker.ticker == ticker,
        "invariant: maker matches"
    );
    assert!(
        maker.price == price,
        "invariant: trades execute at the maker's price"
    );
    assert!(
        quantity.0 > 0 && quantity <= maker.remaining,
        "invariant: fill within remaining"
    );
    if quantity == maker.remaining {
        remove_order(state, slot, maker_account, ticker);
    } else {
        let book = &mut state.tickers.get_mut(ticker).book;
        book.reduce(&mut state.orders, slot, quantity);
        let maker = state.orders.get_mut(slot);
        maker.filled.0 += quantity.0;
    }
    let listed = state.tickers.get_mut(ticker);
    listed.last_price = Some(price);
    listed.trades += 1;
    listed.volume.0 = add(listed.volume.0, quantity.0);
    let cost = price.cost(quantity);
    settle_maker(
        state.ledger.get_mut(maker_account),
        ticker,
        taker_side.opposite(),
        price,
        quantity,
    );
    settle_taker(
        state.ledger.get_mut(taker_account),
        ticker,
        taker_side,
        cost,
        quantity,
    );
}

/// The maker's hold pays for its side of the trade.
fn settle_maker(
    account: &mut Account,
    ticker: TickerId,
    side: Side,
    price: Price,
    quantity: Quantity,
) {
    let cost = price.cost(quantity);
    match side {
        Side::Buy => {
            account.credits_held.0 = sub(account.credits_held.0, cost.0);
            let position = account.position_mut(ticker);
            position.available.0 = add(position.available.0, quantity.0);
        }
        Side::Sell => {
            let position = account.position_mut(ticker);
            position.held.0 = sub(position.held.0, quantity.0);
            account.credits_available.0 = add(account.credits_available.0, cost.0);
        }
    }
}

/// The taker pays from, and is paid into, its available balances.
fn settle_taker(
    account: &mut Account,
    ticker: TickerId,
    side: Side,
    cost: Credits,
    quantity: Quantity,
) {
    match side {
        Side::Buy => {
            account.credits_available.0 = sub(account.credits_available.0, cost.0);
            let position = account.position_mut(ticker);
            position.available.0 = add(position.available.0, quantity.0);
        }
        Side::Sell => {
            let position = account.position_mut(ticker);
            position.available.0 = sub(position.available.0, quantity.0);
            account.credits_available.0 = add(account.credits_available.0, cost.0);
        }
    }
}

/// The remainder of an incoming order joins the back of its level and holds its funds.
fn rest(state: &mut State, event: &Event) {
    let Event::OrderRested {
        order,
        account,
        ticker,
        side,
        price,
        quantity,
        filled,
        client_order_id,
    } = *event
    else {
        unreachable!("called with an OrderRested")
    };
    assert!(
        order.0 > 0 && order < state.next_order_id,
        "invariant: a resting order was accepted"
    );
    let owner = state.ledger.get_mut(account);
    hold(owner, ticker, side, price, quantity);
    let mut resting = RestingOrder::new(order, account, ticker, side, price, quantity);
    resting.filled = filled;
    let slot = state.orders.insert(resting, client_order_id);
    state
        .tickers
        .get_mut(ticker)
        .book
        .push_back(&mut state.orders, slot);
    let owner = state.ledger.get_mut(account);
    state.orders.link_account(&mut owner.orders, slot);
}

/// Moves available funds into the hold backing a resting order.
fn hold(account: &mut Account, ticker: TickerId, side: Side, price: Price, quantity: Quantity) {
    let (available, held, amount) = hold_balances(account, ticker, side, price, quantity);
    shift(available, held, amount);
}

/// Returns a resting order's hold to available funds.
fn release(account: &mut Account, ticker: TickerId, side: Side, price: Price, quantity: Quantity) {
    let (available, held, amount) = hold_balances(account, ticker, side, price, quantity);
    shift(held, available, amount);
}

/// The available and held balances a resting order's hold moves between, and its size:
/// `price * quantity` credits for a buy, `quantity` shares for a sell.
fn hold_balances(
    account: &mut Account,
    ticker: TickerId,
    side: Side,
    price: Price,
    quantity: Quantity,
) -> (&mut u64, &mut u64, u64) {
    match side {
        Side::Buy => (
            &mut account.credits_available.0,
            &mut account.credits_held.0,
            price.cost(quantity).0,
        ),
        Side::Sell => {
            let position = account.position_mut(ticker);
            (&mut position.available.0, &mut position.held.0, quantity.0)
        }
    }
}

/// Moves `amount` from one balance to another of the same account.
fn shift(from: &mut u64, to: &mut u64, amount: u64) {
    *from = sub(*from, amount);
    *to = add(*to, amount);
}

/// Takes the order resting in `slot` off its book and its account's list, returning its
/// side, price and the quantity that was still resting.
fn remove_order(
    state: &mut State,
    slot: Slot,
    account: AccountId,
    ticker: TickerId,
) -> (Side, Price, Quantity) {
    let found = state.orders.get(slot);
    assert!(
        found.account == account && found.ticker == ticker,
        "invariant: event names the order's owner"
    );
    let removed = (found.side, found.price, found.remaining);
    state
        .tickers
        .get_mut(ticker)
        .book
        .unlink(&mut state.orders, slot);
    let owner = state.ledger.get_mut(account);
    state.orders.unlink_account(&mut owner.orders, slot);
    state.orders.remove(slot);
    removed
}

/// A new price or quantity for a resting order, with its hold adjusted to match.
fn amend(state: &mut State, event: &Event) {
    let Event::OrderAmended {
        order,
        account,
        ticker,
        side,
        old_price,
        old_quantity,
        price,
        quantity,
        priority,
    } = *event
    else {
        unreachable!("called with an OrderAmended")
    };
    let slot = state
        .orders
        .slot_of(order)
        .expect("invariant: the amended order rests");
    let current = state.orders.get(slot);
    assert!(
        current.account == account && current.side == side,
        "invariant: amended order matches"
    );
    assert_eq!(
        (current.price, current.remaining),
        (old_price, old_quantity)
    );
    let owner = state.ledger.get_mut(account);
    release(owner, ticker, side, old_price, old_quantity);
    hold(owner, ticker, side, price, quantity);
    let book = &mut state.tickers.get_mut(ticker).book;
    match priority {
        crate::event::Priority::Kept => {
            assert!(
                price == old_price && quantity < old_quantity,
                "invariant: only a reduction keeps priority"
            );
            book.reduce(
                &mut state.orders,
                slot,
                Quantity(old_quantity.0 - quantity.0),
            );
        }
        crate::event::Priority::Lost => {
            book.unlink(&mut state.orders, slot);
            let moved = state.orders.get_mut(slot);
            moved.price = price;
            moved.remaining = quantity;
            book.push_back(&mut state.orders, slot);
        }
    }
}

/// A closed account holds nothing; liquidation emptied it first.
fn close(account: &mut Account) {
    assert_eq!(
        account.status,
        AccountStatus::Active,
        "invariant: only active accounts close"
    );
    assert_eq!(
        account.credits_total(),
        Credits::ZERO,
        "invariant: closed accounts hold no credits"
    );
    assert_eq!(
        account.orders_open(),
        0,
        "invariant: closed accounts have no orders"
    );
    assert!(
        account.positions().next().is_none(),
        "invariant: closed accounts hold no shares"
    );
    assert!(
        !account.has_alerts(),
        "invariant: closed accounts have no alerts"
    );
    account.status = AccountStatus::Closed;
}

fn set_armed(
    state: &mut State,
    account: AccountId,
    direction: crate::command::AlertDirection,
    armed: bool,
) {
    let alert = state.ledger.get_mut(account).alerts[alert_index(direction)]
        .as_mut()
        .expect("invariant: a triggered or re-armed alert is set");
    assert_ne!(
        alert.armed, armed,
        "invariant: alerts alternate between armed and disarmed"
    );
    alert.armed = armed;
}
