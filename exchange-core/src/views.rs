//! Read views: plain functions over [`State`] that allocate only what they return.

use crate::book::{OrderArena, RestingOrder, NIL};
use crate::command::{AccountKind, AlertDirection, Side, TickerStatus};
use crate::ids::{AccountId, ClientOrderId, OrderId, TickerId};
use crate::ledger::{Account, AccountStatus, ALERT_DIRECTIONS};
use crate::limits::{CREDITS_TOTAL_MAX, DEPTH_LEVELS_MAX};
use crate::money::{Credits, Price, Quantity};
use crate::state::State;
use crate::symbol::Symbol;
use serde::{Deserialize, Serialize};

/// One price level's aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelView {
    /// The level's price, in credits per share.
    pub price: Price,
    /// Shares resting at this price.
    pub quantity: Quantity,
    /// Orders resting at this price.
    pub orders: u32,
}

/// The best bid and ask. A side with no orders is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The highest bid.
    pub bid: Option<LevelView>,
    /// The lowest ask.
    pub ask: Option<LevelView>,
}

/// The top levels of both sides, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Depth {
    /// Bids, highest price first.
    pub bids: Vec<LevelView>,
    /// Asks, lowest price first.
    pub asks: Vec<LevelView>,
}

/// A listed ticker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickerView {
    /// Its id.
    pub id: TickerId,
    /// Its symbol.
    pub symbol: Symbol,
    /// Open or closed for trading.
    pub status: TickerStatus,
    /// The price of the last trade, if any.
    pub last_price: Option<Price>,
    /// Trades since listing.
    pub trades: u64,
    /// Shares traded since listing.
    pub volume: Quantity,
    /// Shares in existence.
    pub shares_total: Quantity,
}

/// An account's shares of one ticker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionView {
    /// Which ticker.
    pub ticker: TickerId,
    /// Shares free to sell or transfer.
    pub available: Quantity,
    /// Shares held by resting sell orders.
    pub held: Quantity,
}

/// An account's credits and its shares of one ticker: what a trading loop checks before
/// each decision, read without allocating (unlike [`AccountView`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holdings {
    /// Credits free to spend.
    pub credits_available: Credits,
    /// Credits held by resting buy orders.
    pub credits_held: Credits,
    /// Its shares of the ticker (zero if it never held any).
    pub shares: PositionView,
}

/// An account's standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Its id.
    pub id: AccountId,
    /// Its kind.
    pub kind: AccountKind,
    /// Active or closed.
    pub status: AccountStatus,
    /// The orchestrator that created it, if any.
    pub orchestrated_by: Option<AccountId>,
    /// Credits free to spend.
    pub credits_available: Credits,
    /// Credits held by resting buy orders.
    pub credits_held: Credits,
    /// Non-empty positions, in ticker order.
    pub positions: Vec<PositionView>,
    /// Resting orders.
    pub orders_open: u32,
    /// Balance alerts that are set, below before above.
    pub alerts: Vec<AlertView>,
}

/// A balance alert that is set on an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    /// Whether it watches for the balance falling below or rising above the threshold.
    pub direction: AlertDirection,
    /// The threshold, in credits.
    pub threshold: Credits,
    /// Whether it fires on the next crossing (it re-arms when the balance crosses back).
    pub armed: bool,
}

/// A resting order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// Its id.
    pub id: OrderId,
    /// Whose.
    pub account: AccountId,
    /// Where.
    pub ticker: TickerId,
    /// Buy or sell.
    pub side: Side,
    /// Its limit price.
    pub price: Price,
    /// Shares still resting.
    pub remaining: Quantity,
    /// Shares traded so far.
    pub filled: Quantity,
    /// The client's id for it, if any.
    pub client_order_id: Option<ClientOrderId>,
}

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// It rests on the book.
    Open(OrderView),
    /// It existed and no longer rests: it was filled, cancelled, or never rested (market,
    /// IOC). The events say which; the state keeps no history of closed orders.
    Closed,
    /// No order ever had this id.
    Unknown,
}

impl OrderView {
    /// The view of a resting order, with its client order id from the arena.
    fn of(arena: &OrderArena, order: &RestingOrder) -> Self {
        Self {
            id: order.id,
            account: order.account,
            ticker: order.ticker,
            side: order.side,
            price: order.price,
            remaining: order.remaining,
            filled: order.filled,
            client_order_id: arena.client_order_id(order),
        }
    }
}

fn level_view(level: &crate::book::Level) -> LevelView {
    LevelView {
        price: level.price,
        quantity: level.quantity,
        orders: level.orders,
    }
}

fn account_view(id: AccountId, account: &Account) -> AccountView {
    let positions = account.positions();
    AccountView {
        id,
        kind: account.kind,
        status: account.status,
        orchestrated_by: account.orchestrated_by,
        credits_available: account.credits_available,
        credits_held: account.credits_held,
        positions: positions
            .map(|(ticker, p)| PositionView {
                ticker,
                available: p.available,
                held: p.held,
            })
            .collect(),
        orders_open: account.orders_open(),
        alerts: ALERT_DIRECTIONS
            .iter()
            .filter_map(|&direction| {
                account.alert(direction).map(|alert| AlertView {
                    direction,
                    threshold: alert.threshold,
                    armed: alert.armed,
                })
            })
            .collect(),
    }
}

impl State {
    /// The best bid and ask of a ticker, or `None` if there is no such ticker.
    pub fn quote(&self, ticker: TickerId) -> Option<Quote> {
        let book = &self.tickers.get(ticker)?.book;
        Some(Quote {
            bid: book.best(Side::Buy).map(level_view),
            ask: book.best(Side::Sell).map(level_view),
        })
    }

    /// Up to `levels` levels of each side (at most [`DEPTH_LEVELS_MAX`]), best first.
    pub fn depth(&self, ticker: TickerId, levels: usize) -> Option<Depth> {
        let book = &self.tickers.get(ticker)?.book;
        let levels = levels.min(DEPTH_LEVELS_MAX);
        let side = |side| book.levels(side).take(levels).map(level_view).collect();
        Some(Depth {
            bids: side(Side::Buy),
            asks: side(Side::Sell),
        })
    }

    /// The price of a ticker's last trade.
    pub fn last_trade_price(&self, ticker: TickerId) -> Option<Price> {
        self.tickers.get(ticker)?.last_price
    }

    /// A ticker's listing and statistics.
    pub fn ticker(&self, id: TickerId) -> Option<TickerView> {
        let t = self.tickers.get(id)?;
        Some(TickerView {
            id,
            symbol: t.symbol,
            status: t.status,
            last_price: t.last_price,
            trades: t.trades,
            volume: t.volume,
            shares_total: t.shares_total,
        })
    }

    /// Every listed ticker, in id order.
    pub fn tickers(&self) -> Vec<TickerView> {
        self.tickers
            .iter()
            .filter_map(|(id, _)| self.ticker(id))
            .collect()
    }

    /// The ticker listed under a symbol.
    pub fn ticker_by_symbol(&self, symbol: &Symbol) -> Option<TickerId> {
        self.tickers.by_symbol(symbol)
    }

    /// An account's balances and positions.
    pub fn account(&self, id: AccountId) -> Option<AccountView> {
        self.ledger.get(id).map(|account| account_view(id, account))
    }

    /// An account's credits and its shares of `ticker`, or `None` if there is no such
    /// account or no such ticker.
    pub fn holdings(&self, id: AccountId, ticker: TickerId) -> Option<Holdings> {
        self.tickers.get(ticker)?;
        let account = self.ledger.get(id)?;
        let position = account.position(ticker);
        Some(Holdings {
            credits_available: account.credits_available,
            credits_held: account.credits_held,
            shares: PositionView {
                ticker,
                available: position.available,
                held: position.held,
            },
        })
    }

    /// Every account, in id order.
    pub fn accounts(&self) -> Vec<AccountView> {
        self.ledger
            .iter()
            .map(|(id, account)| account_view(id, account))
            .collect()
    }

    /// An account's resting orders, optionally on one ticker only, in id order.
    pub fn open_orders(&self, account: AccountId, ticker: Option<TickerId>) -> Vec<OrderView> {
        let Some(found) = self.ledger.get(account) else {
            return Vec::new();
        };
        let mut orders: Vec<OrderView> = found
            .orders
            .iter()
            .map(|&slot| self.orders.get(slot))
            .filter(|order| ticker.is_none_or(|t| t == order.ticker))
            .map(|order| OrderView::of(&self.orders, order))
            .collect();
        orders.sort_unstable_by_key(|o| o.id);
        orders
    }

    /// Where an order stands.
    pub fn order(&self, id: OrderId) -> OrderStatus {
        match self.orders.by_id(id) {
            Some(order) => OrderStatus::Open(OrderView::of(&self.orders, order)),
            None if id.0 > 0 && id < self.next_order_id => OrderStatus::Closed,
            None => OrderStatus::Unknown,
        }
    }

    /// The order an account placed under a client order id.
    pub fn order_by_client_id(
        &self,
        account: AccountId,
        client_id: ClientOrderId,
    ) -> Option<OrderId> {
        self.client_ids.get(&(account, client_id)).copied()
    }

    /// A side's resting orders of a ticker in priority order: best price first, oldest first
    /// within a price.
    pub fn book_orders(&self, ticker: TickerId, side: Side) -> Vec<OrderView> {
        let Some(listed) = self.tickers.get(ticker) else {
            return Vec::new();
        };
        let mut orders = Vec::new();
        for level in listed.book.levels(side) {
            let mut slot = level.head;
            while slot != NIL {
                let order = self.orders.get(slot);
                orders.push(OrderView::of(&self.orders, order));
                slot = order.level_next();
            }
        }
        orders
    }

    /// All credits in the exchange: the sum of every deposit.
    pub fn credits_total(&self) -> Credits {
        self.ledger.credits_total
    }

    /// The most credits a deposit may still add: what is left below
    /// [`crate::limits::CREDITS_TOTAL_MAX`]. A larger deposit is rejected with
    /// [`crate::Rejection::Overflow`].
    pub fn credits_headroom(&self) -> Credits {
        Credits(CREDITS_TOTAL_MAX.saturating_sub(self.ledger.credits_total.0))
    }

    /// The id the next accepted order will get.
    pub fn next_order_id(&self) -> OrderId {
        self.next_order_id
    }

    /// How many orders rest, on all books.
    pub fn orders_resting(&self) -> usize {
        self.orders.len()
    }
}
