//! A small market for the hub's tests: an in-memory exchange whose accepted commands become
//! log records with increasing seqs, batched as the sequencer would publish them.

use super::{Connection, Published};
use crate::involvement::involves_account;
use exchange_core::limits::DEPTH_LEVELS_MAX;
use exchange_core::log::{Entry, Record, Seq};
use exchange_core::testing::MarketGenerator;
use exchange_core::{
    AccountId, AccountKind, Action, Command, Credits, Exchange, NewOrder, Price, Quantity, Side,
    State, Symbol, TickerId,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// An exchange plus the seq of its last record.
pub(crate) struct Market {
    pub(crate) exchange: Exchange,
    pub(crate) seq: Seq,
}

impl Market {
    /// An empty exchange.
    pub(crate) fn new() -> Self {
        Self {
            exchange: Exchange::new(),
            seq: 0,
        }
    }

    /// The market of [`MarketGenerator::setup`], published as one batch.
    pub(crate) fn generated() -> (Self, Published) {
        let mut market = Self::new();
        let batch = market.batch(MarketGenerator::setup());
        (market, batch)
    }

    /// Executes a command; if accepted, its record (the time is 1 ms per seq, plus a bit).
    pub(crate) fn record(&mut self, command: Command) -> Option<Record> {
        let events = self.exchange.execute(&command).ok()?.to_vec();
        self.seq += 1;
        Some(Record {
            seq: self.seq,
            timestamp_ns: self.seq * 1_000_000 + 999,
            entry: Entry::Command {
                command,
                events: events.into(),
            },
        })
    }

    /// Executes commands and publishes the accepted ones as one batch.
    pub(crate) fn batch(&mut self, commands: impl IntoIterator<Item = Command>) -> Published {
        let records = commands
            .into_iter()
            .filter_map(|command| self.record(command))
            .collect();
        self.published(records)
    }

    /// `commands` commands from `generator` (some rejected), as one batch.
    pub(crate) fn generate(
        &mut self,
        generator: &mut MarketGenerator,
        commands: usize,
    ) -> Published {
        let mut records = Vec::new();
        for _ in 0..commands {
            let command = generator.next_command(self.exchange.state());
            records.extend(self.record(command));
        }
        self.published(records)
    }

    /// Like [`Market::batch`] for one command that must be accepted.
    pub(crate) fn accept(&mut self, command: Command) -> Published {
        let batch = self.batch([command]);
        assert_eq!(batch.records.len(), 1, "{command:?} is accepted");
        batch
    }

    /// The batch of `records` with the balances of every account they touched.
    pub(crate) fn published(&self, records: Vec<Record>) -> Published {
        let state = self.exchange.state();
        let mut balances = Vec::new();
        for account in state.accounts() {
            let last = records
                .iter()
                .rev()
                .find(|r| involves_account(r, account.id));
            if let Some(record) = last {
                balances.push((record.seq, account));
            }
        }
        Published { records, balances }
    }
}

/// Lists MNAD; creates a seller (1) with 10 shares and a buyer (2) with 1000 credits.
pub(crate) fn two_traders() -> Vec<Command> {
    let create = Command::operator(Action::CreateAccount {
        kind: AccountKind::Standard,
    });
    let symbol = Symbol::new("MNAD").unwrap();
    vec![
        Command::operator(Action::CreateTicker { symbol }),
        create,
        create,
        Command::operator(Action::IssueShares {
            account: AccountId(1),
            ticker: TickerId(1),
            quantity: Quantity(10),
        }),
        Command::operator(Action::DepositCredits {
            account: AccountId(2),
            amount: Credits(1_000),
        }),
    ]
}

/// A GTC limit order on MNAD by `account`.
pub(crate) fn limit(account: u32, side: Side, price: u64, quantity: u64) -> Command {
    let order = NewOrder::limit(TickerId(1), side, Price(price), Quantity(quantity));
    Command::by(AccountId(account), Action::PlaceOrder(order))
}

/// Every message already queued for a connection, parsed.
pub(crate) fn drain(connection: &mut Connection) -> Vec<Value> {
    std::iter::from_fn(|| connection.try_next())
        .map(|text| serde_json::from_str(&text).unwrap())
        .collect()
}

/// The `type` of each message.
pub(crate) fn types(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect()
}

/// One side of a book as a client keeps it: price to (quantity, orders).
type LocalSide = BTreeMap<u64, (u64, u64)>;

/// Books and quotes as a client rebuilds them from `book_snapshot`, `book` and `quote`
/// messages, by symbol.
#[derive(Debug, Default)]
pub(crate) struct LocalBooks {
    books: BTreeMap<String, (LocalSide, LocalSide)>,
    quotes: BTreeMap<String, Value>,
}

impl LocalBooks {
    /// Applies one message (others than book and quote messages are ignored).
    pub(crate) fn apply(&mut self, message: &Value) {
        let channel = message["channel"].as_str().unwrap_or_default();
        let symbol = channel.split_once(':').map_or("", |(_, s)| s).to_owned();
        match message["type"].as_str().unwrap() {
            "book_snapshot" => {
                let side = |levels: &Value| {
                    let levels = levels.as_array().unwrap().iter();
                    levels
                        .map(|l| (l["price"].as_u64().unwrap(), level(l)))
                        .collect()
                };
                let book = (side(&message["bids"]), side(&message["asks"]));
                self.books.insert(symbol, book);
            }
            "book" => {
                let book = self.books.get_mut(&symbol).expect("a snapshot came first");
                let side = match message["side"].as_str().unwrap() {
                    "buy" => &mut book.0,
                    _ => &mut book.1,
                };
                let price = message["price"].as_u64().unwrap();
                match level(message) {
                    (0, orders) => {
                        assert_eq!(orders, 0, "an empty level has no orders");
                        assert!(side.remove(&price).is_some(), "only known levels empty");
                    }
                    totals => {
                        side.insert(price, totals);
                    }
                }
            }
            "quote" => {
                let mut quote = message.clone();
                let fields = quote.as_object_mut().unwrap();
                for key in ["type", "channel", "seq"] {
                    fields.remove(key);
                }
                self.quotes.insert(symbol, quote);
            }
            _ => {}
        }
    }

    /// Asserts that every book and quote followed equals the exchange's.
    pub(crate) fn check(&self, state: &State) {
        assert!(
            !self.books.is_empty() || !self.quotes.is_empty(),
            "something was followed"
        );
        for ticker in state.tickers() {
            let symbol = ticker.symbol.as_str();
            let quote = state.quote(ticker.id).unwrap();
            let depth = state.depth(ticker.id, DEPTH_LEVELS_MAX).unwrap();
            if let Some((bids, asks)) = self.books.get(symbol) {
                let view = |levels: &[exchange_core::LevelView]| -> Vec<_> {
                    let level = |l: &exchange_core::LevelView| {
                        (l.price.0, (l.quantity.0, u64::from(l.orders)))
                    };
                    levels.iter().map(level).collect()
                };
                let local_bids: Vec<_> = bids.iter().rev().map(|(p, l)| (*p, *l)).collect();
                let local_asks: Vec<_> = asks.iter().map(|(p, l)| (*p, *l)).collect();
                assert_eq!(local_bids, view(&depth.bids), "{symbol} bids");
                assert_eq!(local_asks, view(&depth.asks), "{symbol} asks");
            }
            if let Some(local) = self.quotes.get(symbol) {
                let expected = serde_json::json!({
                    "bid": quote.bid.map(crate::wire::Level::from),
                    "ask": quote.ask.map(crate::wire::Level::from),
                    "last_price": state.last_trade_price(ticker.id),
                });
                assert_eq!(local, &expected, "{symbol} quote");
            }
        }
    }
}

fn level(message: &Value) -> (u64, u64) {
    let field = |name: &str| message[name].as_u64().unwrap();
    (field("quantity"), field("orders"))
}
