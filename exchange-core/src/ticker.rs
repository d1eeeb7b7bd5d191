//! Listed tickers: symbol, trading status, book and running statistics.

use crate::book::Book;
use crate::command::TickerStatus;
use crate::ids::TickerId;
use crate::money::{Price, Quantity};
use crate::symbol::Symbol;
use std::collections::BTreeMap;

/// One listed ticker.
#[derive(Clone, Debug)]
pub(crate) struct Ticker {
    pub(crate) symbol: Symbol,
    pub(crate) status: TickerStatus,
    pub(crate) book: Book,
    /// Sum of all issues: every share of this ticker in the exchange.
    pub(crate) shares_total: Quantity,
    pub(crate) last_price: Option<Price>,
    pub(crate) trades: u64,
    /// Shares traded since listing.
    pub(crate) volume: Quantity,
}

impl Ticker {
    pub(crate) fn new(symbol: Symbol) -> Self {
        Self {
            symbol,
            status: TickerStatus::Open,
            book: Book::default(),
            shares_total: Quantity::ZERO,
            last_price: None,
            trades: 0,
            volume: Quantity::ZERO,
        }
    }
}

/// Every ticker, by id and by symbol.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tickers {
    list: Vec<Ticker>,
    by_symbol: BTreeMap<Symbol, TickerId>,
}

impl Tickers {
    pub(crate) fn get(&self, id: TickerId) -> Option<&Ticker> {
        id.0.checked_sub(1)
            .and_then(|at| self.list.get(at as usize))
    }

    /// A ticker that decide already found to exist.
    ///
    /// # Panics
    /// If it does not exist, which means an event names a ticker it should not.
    pub(crate) fn get_mut(&mut self, id: TickerId) -> &mut Ticker {
        let at =
            id.0.checked_sub(1)
                .expect("invariant: ticker ids start at 1");
        self.list
            .get_mut(at as usize)
            .expect("invariant: events name existing tickers")
    }

    pub(crate) fn by_symbol(&self, symbol: &Symbol) -> Option<TickerId> {
        self.by_symbol.get(symbol).copied()
    }

    /// The id the next ticker will get.
    pub(crate) fn next_id(&self) -> TickerId {
        TickerId(u32::try_from(self.list.len() + 1).expect("limit: TICKERS_MAX fits u32"))
    }

    pub(crate) fn push(&mut self, id: TickerId, ticker: Ticker) {
        assert_eq!(id, self.next_id(), "invariant: ticker ids are sequential");
        let previous = self.by_symbol.insert(ticker.symbol, id);
        assert!(previous.is_none(), "invariant: symbols are unique");
        self.list.push(ticker);
    }

    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Every ticker with its id, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (TickerId, &Ticker)> + '_ {
        self.list.iter().enumerate().map(|(at, t)| {
            (
                TickerId(u32::try_from(at + 1).expect("limit: TICKERS_MAX fits u32")),
                t,
            )
        })
    }
}
