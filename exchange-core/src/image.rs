//! The canonical image of a [`State`]: every fact in a fixed order, independent of how the
//! state was built (live, replayed, or restored). Its postcard encoding is what the state
//! hash covers and what a snapshot stores.

use crate::book::{OrderArena, RestingOrder, NIL};
use crate::command::{AccountKind, AlertDirection, Side, TickerStatus};
use crate::ids::{AccountId, ClientOrderId, OrderId};
use crate::ledger::{alert_index, Account, AccountStatus, Alert, ALERT_DIRECTIONS};
use crate::money::{Credits, Price, Quantity};
use crate::state::State;
use crate::symbol::Symbol;
use crate::ticker::Ticker;
use serde::{Deserialize, Serialize};

/// A 32-byte BLAKE3 hash of a state's canonical encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StateHash(pub [u8; 32]);

impl std::fmt::Display for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl std::fmt::Debug for StateHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StateHash({self})")
    }
}

/// Everything in a [`State`], in canonical order. Accounts and tickers are in id order, so
/// their ids are implied by position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateImage {
    accounts: Vec<AccountImage>,
    tickers: Vec<TickerImage>,
    /// Sorted by account, then client id.
    client_ids: Vec<(AccountId, ClientOrderId, OrderId)>,
    next_order_id: OrderId,
    credits_total: Credits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct AccountImage {
    kind: AccountKind,
    status: AccountStatus,
    orchestrated_by: Option<AccountId>,
    credits_available: Credits,
    credits_held: Credits,
    /// Non-empty positions, in ticker order: (ticker, available, held).
    positions: Vec<(crate::ids::TickerId, Quantity, Quantity)>,
    /// Set alerts, below first: (direction, threshold, armed).
    alerts: Vec<(AlertDirection, Credits, bool)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct TickerImage {
    symbol: Symbol,
    status: TickerStatus,
    shares_total: Quantity,
    last_price: Option<Price>,
    trades: u64,
    volume: Quantity,
    /// Resting bids in priority order.
    bids: Vec<OrderImage>,
    /// Resting asks in priority order.
    asks: Vec<OrderImage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct OrderImage {
    id: OrderId,
    account: AccountId,
    price: Price,
    remaining: Quantity,
    filled: Quantity,
    client_order_id: Option<ClientOrderId>,
}

impl State {
    /// The canonical image of this state.
    pub fn image(&self) -> StateImage {
        let mut client_ids: Vec<_> = self
            .client_ids
            .iter()
            .map(|(&(account, client), &order)| (account, client, order))
            .collect();
        // (account, client id) is unique, so it alone orders the list; packed into one
        // integer it compares in a single step, which matters for a list of every client
        // order id ever used.
        client_ids.sort_unstable_by_key(|&(account, client, _)| {
            (u128::from(account.0) << 64) | u128::from(client.0)
        });
        StateImage {
            accounts: self
                .ledger
                .iter()
                .map(|(_, account)| account_image(account))
                .collect(),
            tickers: self
                .tickers
                .iter()
                .map(|(_, ticker)| self.ticker_image(ticker))
                .collect(),
            client_ids,
            next_order_id: self.next_order_id,
            credits_total: self.ledger.credits_total,
        }
    }

    /// The canonical encoding: postcard bytes of [`State::image`].
    pub fn canonical_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(&self.image()).expect("invariant: encoding into a Vec cannot fail")
    }

    /// The BLAKE3 hash of [`State::canonical_bytes`]: equal for equal states, however built.
    pub fn state_hash(&self) -> StateHash {
        StateHash(*blake3::hash(&self.canonical_bytes()).as_bytes())
    }

    /// Rebuilds a state from its image, as if its events had been replayed.
    ///
    /// # Panics
    /// If the image is inconsistent (an order naming a missing account, a duplicate id):
    /// images come from [`State::image`], so such an image is corrupt.
    pub fn from_image(image: &StateImage) -> State {
        let mut state = State::default();
        for (at, account) in image.accounts.iter().enumerate() {
            let id = AccountId(u32::try_from(at + 1).expect("limit: account ids fit u32"));
            state.ledger.push(id, restore_account(account));
            state.alerts_set += account.alerts.len() as u32;
        }
        for (at, ticker) in image.tickers.iter().enumerate() {
            let id =
                crate::ids::TickerId(u32::try_from(at + 1).expect("limit: ticker ids fit u32"));
            let mut listed = Ticker::new(ticker.symbol);
            listed.status = ticker.status;
            listed.shares_total = ticker.shares_total;
            listed.last_price = ticker.last_price;
            listed.trades = ticker.trades;
            listed.volume = ticker.volume;
            state.tickers.push(id, listed);
            for (side, orders) in [(Side::Buy, &ticker.bids), (Side::Sell, &ticker.asks)] {
                orders
                    .iter()
                    .for_each(|order| restore_order(&mut state, id, side, order));
            }
        }
        for &(account, client, order) in &image.client_ids {
            state.client_ids.insert((account, client), order);
        }
        state.next_order_id = image.next_order_id;
        state.ledger.credits_total = image.credits_total;
        state
    }

    fn ticker_image(&self, ticker: &Ticker) -> TickerImage {
        let side = |side| {
            let mut orders = Vec::new();
            for level in ticker.book.levels(side) {
                let mut slot = level.head;
                while slot != NIL {
                    let order = self.orders.get(slot);
                    orders.push(order_image(&self.orders, order));
                    slot = order.level_next();
                }
            }
            orders
        };
        TickerImage {
            symbol: ticker.symbol,
            status: ticker.status,
            shares_total: ticker.shares_total,
            last_price: ticker.last_price,
            trades: ticker.trades,
            volume: ticker.volume,
            bids: side(Side::Buy),
            asks: side(Side::Sell),
        }
    }
}

fn account_image(account: &Account) -> AccountImage {
    AccountImage {
        kind: account.kind,
        status: account.status,
        orchestrated_by: account.orchestrated_by,
        credits_available: account.credits_available,
        credits_held: account.credits_held,
        positions: account
            .positions()
            .map(|(t, p)| (t, p.available, p.held))
            .collect(),
        alerts: ALERT_DIRECTIONS
            .iter()
            .filter_map(|&d| account.alert(d).map(|a| (d, a.threshold, a.armed)))
            .collect(),
    }
}

fn restore_account(image: &AccountImage) -> Account {
    let mut account = Account::new(image.kind, image.orchestrated_by);
    account.status = image.status;
    account.credits_available = image.credits_available;
    account.credits_held = image.credits_held;
    for &(ticker, available, held) in &image.positions {
        *account.position_mut(ticker) = crate::ledger::Position { available, held };
    }
    for &(direction, threshold, armed) in &image.alerts {
        account.alerts[alert_index(direction)] = Some(Alert { threshold, armed });
    }
    account
}

fn order_image(arena: &OrderArena, order: &RestingOrder) -> OrderImage {
    OrderImage {
        id: order.id,
        account: order.account,
        price: order.price,
        remaining: order.remaining,
        filled: order.filled,
        client_order_id: arena.client_order_id(order),
    }
}

/// Puts an order back at the end of its level, as it was in priority order.
fn restore_order(state: &mut State, ticker: crate::ids::TickerId, side: Side, image: &OrderImage) {
    let mut order = RestingOrder::new(
        image.id,
        image.account,
        ticker,
        side,
        image.price,
        image.remaining,
    );
    order.filled = image.filled;
    let slot = state.orders.insert(order, image.client_order_id);
    state
        .tickers
        .get_mut(ticker)
        .book
        .push_back(&mut state.orders, slot);
    let owner = state.ledger.get_mut(image.account);
    state.orders.link_account(&mut owner.orders, slot);
}
