//! The hub's copy of every order book: price levels per side, the last trade price, and
//! each resting order's remaining quantity (so a fill that empties an order lowers its
//! level's order count). Events keep it in step with the engine's state.

use crate::activity::{Activity, ActivityTracker};
use crate::wire::{Level, QuoteBody};
use exchange_core::{Event, OrderId, Price, Quantity, Side, State, Symbol, TickerId};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// One price level's totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Aggregate {
    /// Shares resting at the price.
    pub(crate) quantity: Quantity,
    /// Orders resting at the price.
    pub(crate) orders: u32,
}

/// Where a resting order rests and what remains of it.
#[derive(Clone, Copy, Debug)]
struct RestingOrder {
    ticker: TickerId,
    side: Side,
    price: Price,
    remaining: Quantity,
}

/// One ticker's book, by price.
#[derive(Clone, Debug)]
struct TickerBook {
    symbol: Symbol,
    bids: BTreeMap<Price, Aggregate>,
    asks: BTreeMap<Price, Aggregate>,
    last_price: Option<Price>,
}

impl TickerBook {
    fn new(symbol: Symbol, last_price: Option<Price>) -> Self {
        Self {
            symbol,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            last_price,
        }
    }

    fn side(&self, side: Side) -> &BTreeMap<Price, Aggregate> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn side_mut(&mut self, side: Side) -> &mut BTreeMap<Price, Aggregate> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }
}

/// A level, named by ticker, side and price. Its order (ticker, then buy before sell, then
/// price) is the order in which one record's `book` messages go out.
pub(crate) type LevelKey = (TickerId, Side, Price);

/// What one record touched, each with its value before the record, so that only real
/// changes are sent.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    levels: BTreeMap<LevelKey, Aggregate>,
    quotes: BTreeMap<TickerId, QuoteBody>,
}

/// Every book the exchange holds, as the hub sees it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mirror {
    tickers: FxHashMap<TickerId, TickerBook>,
    by_symbol: FxHashMap<Symbol, TickerId>,
    orders: FxHashMap<OrderId, RestingOrder>,
    /// Derives the public activity feed's entries.
    activity: ActivityTracker,
}

impl Mirror {
    /// The books of `state`: every level of every ticker, with the last prices.
    pub(crate) fn of_state(state: &State) -> Self {
        let mut mirror = Self {
            activity: ActivityTracker::of_state(state),
            ..Self::default()
        };
        for ticker in state.tickers() {
            let book = TickerBook::new(ticker.symbol, ticker.last_price);
            mirror.tickers.insert(ticker.id, book);
            mirror.by_symbol.insert(ticker.symbol, ticker.id);
            for side in [Side::Buy, Side::Sell] {
                for order in state.book_orders(ticker.id, side) {
                    let resting = RestingOrder {
                        ticker: ticker.id,
                        side,
                        price: order.price,
                        remaining: order.remaining,
                    };
                    mirror.orders.insert(order.id, resting);
                    mirror.add(None, (ticker.id, side, order.price), order.remaining);
                }
            }
        }
        mirror
    }

    /// Applies one event, noting in `changes` what it touched.
    pub(crate) fn apply(&mut self, event: &Event, changes: &mut Changes) {
        match *event {
            Event::TickerCreated { ticker, symbol } => {
                assert!(
                    !self.tickers.contains_key(&ticker),
                    "ticker {ticker} listed twice"
                );
                self.tickers.insert(ticker, TickerBook::new(symbol, None));
                self.by_symbol.insert(symbol, ticker);
            }
            Event::OrderRested {
                order,
                ticker,
                side,
                price,
                quantity,
                ..
            } => {
                let resting = RestingOrder {
                    ticker,
                    side,
                    price,
                    remaining: quantity,
                };
                let previous = self.orders.insert(order, resting);
                assert!(previous.is_none(), "order {order} rested twice");
                self.add(Some(changes), (ticker, side, price), quantity);
            }
            Event::Trade { .. } => self.trade(event, changes),
            Event::OrderCancelled {
                order,
                ticker,
                side,
                price,
                quantity,
                ..
            } => {
                let key = (ticker, side, price);
                let resting = self.leave(order, key, quantity);
                assert_eq!(
                    resting.remaining, quantity,
                    "order {order} cancels all it has"
                );
                self.take(Some(changes), key, quantity, 1);
            }
            Event::OrderAmended { .. } => self.amend(event, changes),
            Event::AccountCreated { .. }
            | Event::TickerStatusChanged { .. }
            | Event::CreditsDeposited { .. }
            | Event::SharesIssued { .. }
            | Event::CreditsTransferred { .. }
            | Event::SharesTransferred { .. }
            | Event::OrderAccepted { .. }
            | Event::RemainderCancelled { .. }
            | Event::AccountClosed { .. }
            | Event::AlertSet { .. }
            | Event::AlertCleared { .. }
            | Event::AlertTriggered { .. }
            | Event::AlertRearmed { .. } => {}
        }
    }

    /// A trade: the maker order, on the side opposite the taker's, at the trade's price,
    /// loses the traded quantity, and leaves its level when nothing remains.
    fn trade(&mut self, event: &Event, changes: &mut Changes) {
        let Event::Trade {
            ticker,
            price,
            quantity,
            maker_order,
            taker_side,
            ..
        } = *event
        else {
            unreachable!("Mirror::apply passes only trades here");
        };
        let key = (ticker, taker_side.opposite(), price);
        let resting = self.leave(maker_order, key, quantity);
        let remaining = Quantity(resting.remaining.0 - quantity.0);
        let emptied = remaining == Quantity::ZERO;
        if !emptied {
            let back = RestingOrder {
                remaining,
                ..resting
            };
            self.orders.insert(maker_order, back);
        }
        self.take(Some(changes), key, quantity, u32::from(emptied));
        self.touch_quote(changes, ticker);
        self.book_mut(ticker).last_price = Some(price);
    }

    /// An amendment: the order leaves its old level and joins its new one (the same level
    /// when only its quantity changed).
    fn amend(&mut self, event: &Event, changes: &mut Changes) {
        let Event::OrderAmended {
            order,
            ticker,
            side,
            old_price,
            old_quantity,
            price,
            quantity,
            ..
        } = *event
        else {
            unreachable!("Mirror::apply passes only amendments here");
        };
        let old = (ticker, side, old_price);
        let resting = self.leave(order, old, old_quantity);
        assert_eq!(
            resting.remaining, old_quantity,
            "order {order} amended from what rests"
        );
        self.take(Some(changes), old, old_quantity, 1);
        let moved = RestingOrder {
            price,
            remaining: quantity,
            ..resting
        };
        self.orders.insert(order, moved);
        self.add(Some(changes), (ticker, side, price), quantity);
    }

    /// Removes a resting order from the order map, checking that it rests where the event
    /// says and holds at least `quantity`.
    fn leave(&mut self, order: OrderId, key: LevelKey, quantity: Quantity) -> RestingOrder {
        let resting = self
            .orders
            .remove(&order)
            .unwrap_or_else(|| panic!("invariant: order {order} rests in the mirror"));
        assert_eq!(
            resting.ticker, key.0,
            "order {order} rests on its event's ticker"
        );
        assert_eq!(
            resting.side, key.1,
            "order {order} rests on its event's side"
        );
        assert_eq!(
            resting.price, key.2,
            "order {order} rests at its event's price"
        );
        assert!(
            resting.remaining >= quantity,
            "order {order} has what it gives"
        );
        resting
    }

    /// Adds one order of `quantity` shares to a level.
    fn add(&mut self, changes: Option<&mut Changes>, key: LevelKey, quantity: Quantity) {
        if let Some(changes) = changes {
            self.touch_level(changes, key);
        }
        let level = self
            .book_mut(key.0)
            .side_mut(key.1)
            .entry(key.2)
            .or_default();
        level.quantity = Quantity(level.quantity.0 + quantity.0);
        level.orders += 1;
    }

    /// Takes `quantity` shares and `orders` orders from a level, dropping it when empty.
    fn take(
        &mut self,
        changes: Option<&mut Changes>,
        key: LevelKey,
        quantity: Quantity,
        orders: u32,
    ) {
        if let Some(changes) = changes {
            self.touch_level(changes, key);
        }
        let side = self.book_mut(key.0).side_mut(key.1);
        let level = side
            .get_mut(&key.2)
            .unwrap_or_else(|| panic!("invariant: level {key:?} exists"));
        assert!(
            level.quantity >= quantity,
            "level {key:?} has the shares taken"
        );
        assert!(level.orders >= orders, "level {key:?} has the orders taken");
        level.quantity = Quantity(level.quantity.0 - quantity.0);
        level.orders -= orders;
        assert_eq!(
            level.quantity == Quantity::ZERO,
            level.orders == 0,
            "level {key:?} has shares exactly when it has orders"
        );
        if level.orders == 0 {
            side.remove(&key.2);
        }
    }

    /// Notes a level's and its ticker's quote's values before the record's first change.
    fn touch_level(&self, changes: &mut Changes, key: LevelKey) {
        changes.levels.entry(key).or_insert_with(|| self.level(key));
        self.touch_quote(changes, key.0);
    }

    fn touch_quote(&self, changes: &mut Changes, ticker: TickerId) {
        changes
            .quotes
            .entry(ticker)
            .or_insert_with(|| self.quote(ticker));
    }

    fn book(&self, ticker: TickerId) -> &TickerBook {
        self.tickers
            .get(&ticker)
            .unwrap_or_else(|| panic!("invariant: ticker {ticker} was listed before use"))
    }

    fn book_mut(&mut self, ticker: TickerId) -> &mut TickerBook {
        self.tickers
            .get_mut(&ticker)
            .unwrap_or_else(|| panic!("invariant: ticker {ticker} was listed before use"))
    }

    /// What `event` shows on the public activity feed. Called with every event in log
    /// order, after [`Mirror::apply`].
    pub(crate) fn activity(&mut self, event: &Event) -> Option<Activity> {
        let tickers = &self.tickers;
        self.activity.observe(event, |ticker| {
            tickers
                .get(&ticker)
                .expect("invariant: events name mirrored tickers")
                .symbol
        })
    }

    /// A listed ticker's symbol.
    pub(crate) fn symbol(&self, ticker: TickerId) -> Symbol {
        self.book(ticker).symbol
    }

    /// The ticker listed under `symbol`, if any.
    pub(crate) fn ticker_by_symbol(&self, symbol: &Symbol) -> Option<TickerId> {
        self.by_symbol.get(symbol).copied()
    }

    /// A level's totals (zero when nothing rests there).
    pub(crate) fn level(&self, (ticker, side, price): LevelKey) -> Aggregate {
        let levels = self.book(ticker).side(side);
        levels.get(&price).copied().unwrap_or_default()
    }

    /// A ticker's best bid and ask and last price.
    pub(crate) fn quote(&self, ticker: TickerId) -> QuoteBody {
        let book = self.book(ticker);
        let level = |(price, aggregate): (&Price, &Aggregate)| Level {
            price: *price,
            quantity: aggregate.quantity,
            orders: aggregate.orders,
        };
        QuoteBody {
            bid: book.bids.last_key_value().map(level),
            ask: book.asks.first_key_value().map(level),
            last_price: book.last_price,
        }
    }

    /// Every level of one side of a ticker's book, best first.
    pub(crate) fn levels(&self, ticker: TickerId, side: Side) -> Vec<Level> {
        let level = |(price, aggregate): (&Price, &Aggregate)| Level {
            price: *price,
            quantity: aggregate.quantity,
            orders: aggregate.orders,
        };
        let levels = self.book(ticker).side(side).iter();
        match side {
            Side::Buy => levels.rev().map(level).collect(),
            Side::Sell => levels.map(level).collect(),
        }
    }
}

impl Changes {
    /// The levels whose totals differ from before the record, in [`LevelKey`] order, with
    /// their totals now.
    pub(crate) fn levels<'a>(
        &'a self,
        mirror: &'a Mirror,
    ) -> impl Iterator<Item = (LevelKey, Aggregate)> + 'a {
        self.levels.iter().filter_map(|(&key, &before)| {
            let now = mirror.level(key);
            (now != before).then_some((key, now))
        })
    }

    /// The tickers whose quote differs from before the record, in ticker order, with their
    /// quotes now.
    pub(crate) fn quotes<'a>(
        &'a self,
        mirror: &'a Mirror,
    ) -> impl Iterator<Item = (TickerId, QuoteBody)> + 'a {
        self.quotes.iter().filter_map(|(&ticker, before)| {
            let now = mirror.quote(ticker);
            (now != *before).then_some((ticker, now))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::fixture::Market;
    use exchange_core::log::Entry;
    use exchange_core::testing::MarketGenerator;

    /// The mirror's levels and quote of every ticker equal the state's.
    fn assert_mirrors(mirror: &Mirror, state: &State) {
        for ticker in state.tickers() {
            let depth = state
                .depth(ticker.id, exchange_core::limits::DEPTH_LEVELS_MAX)
                .unwrap();
            let levels = |levels: Vec<exchange_core::LevelView>| -> Vec<Level> {
                levels.into_iter().map(Level::from).collect()
            };
            assert_eq!(mirror.levels(ticker.id, Side::Buy), levels(depth.bids));
            assert_eq!(mirror.levels(ticker.id, Side::Sell), levels(depth.asks));
            let quote = state.quote(ticker.id).unwrap();
            let expected = QuoteBody {
                bid: quote.bid.map(Level::from),
                ask: quote.ask.map(Level::from),
                last_price: ticker.last_price,
            };
            assert_eq!(mirror.quote(ticker.id), expected);
            assert_eq!(mirror.ticker_by_symbol(&ticker.symbol), Some(ticker.id));
        }
    }

    #[test]
    fn events_keep_the_mirror_equal_to_the_state_it_starts_from() {
        let (mut market, setup) = Market::generated();
        let mut mirror = Mirror::default();
        let mut generator = MarketGenerator::new(3);
        let mut batches = vec![setup];
        for _ in 0..2_000 {
            batches.push(market.generate(&mut generator, 1));
        }
        for record in batches.iter().flat_map(|b| &b.records) {
            let Entry::Command { events, .. } = &record.entry else {
                continue;
            };
            for event in events.iter() {
                mirror.apply(event, &mut Changes::default());
            }
        }
        let state = market.exchange.state();
        assert!(state.orders_resting() > 10);
        assert_mirrors(&mirror, state);
        assert_mirrors(&Mirror::of_state(state), state);
        assert_eq!(Mirror::of_state(state).orders.len(), state.orders_resting());
        assert_eq!(mirror.orders.len(), state.orders_resting());
    }

    #[test]
    #[should_panic(expected = "rests in the mirror")]
    fn a_trade_with_an_unknown_maker_breaks_an_invariant() {
        let mut mirror = Mirror::default();
        let symbol = Symbol::new("MNAD").unwrap();
        let mut changes = Changes::default();
        mirror.apply(
            &Event::TickerCreated {
                ticker: TickerId(1),
                symbol,
            },
            &mut changes,
        );
        let trade = Event::Trade {
            ticker: TickerId(1),
            price: Price(1),
            quantity: Quantity(1),
            maker_order: OrderId(5),
            maker_account: exchange_core::AccountId(1),
            taker_order: OrderId(6),
            taker_account: exchange_core::AccountId(2),
            taker_side: Side::Buy,
        };
        mirror.apply(&trade, &mut changes);
    }
}
