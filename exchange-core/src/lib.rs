//! # exchange-core
//!
//! A stock exchange as a pure, deterministic state machine: a matching engine with
//! price-time priority and a ledger that holds funds for resting orders.
//!
//! ## The model
//! - A [`Command`] is a request made by an [`Actor`]: the operator, or an account.
//! - [`decide`] validates a command against the [`State`] and returns the [`Event`]s it
//!   produces, or a [`Rejection`] with a stable [`Rejection::code`]. It changes nothing.
//! - [`evolve`] applies one event. It makes no decision, so replaying a log of events is
//!   always exactly what happened live. Live processing is `decide` then `evolve`; replay is
//!   `evolve` alone.
//! - [`Exchange`] wraps both for in-memory use; the read views on [`State`] (quote, depth,
//!   account, open orders, order status) answer questions.
//!
//! ## Determinism
//! The core reads no clock, draws no random number, keeps no floats, and never lets hash
//! iteration order reach an output. Ids are assigned sequentially from state. The same
//! commands in the same order therefore give byte-identical events and states on every
//! machine; [`State::state_hash`] (BLAKE3 over a canonical encoding, see [`StateImage`])
//! proves it. Timestamps and sequence numbers belong to whoever sequences the commands and
//! are recorded beside them in the log, not in the core.
//!
//! ## Money
//! Credits, prices and shares are whole numbers ([`Credits`], [`Price`], [`Quantity`]).
//! Each account's credits and shares are split into available and held: a resting buy
//! holds `price * remaining` credits, a resting sell holds `remaining` shares, and fills,
//! cancels and amendments release exactly what is no longer needed. The exchange is
//! long-only. Total credits and shares are bounded (see [`limits`]), so no balance can
//! overflow, and a command whose arithmetic would overflow is rejected.
//!
//! ## Orders
//! Market orders trade immediately and drop what remains; a market buy spends at most the
//! buyer's available credits. Limit orders trade at their price or better, at the resting
//! order's price, then rest (GTC), drop the rest (IOC), trade in full or not at all (FOK), or
//! refuse to trade at all (post-only). An incoming order never trades with its own
//! account's resting orders: by default the resting one is cancelled ([`SelfTrade`]).
//!
//! ## The log
//! [`log::EventLog`] stores [`log::Record`]s (an accepted command with its events and the
//! sequencer's timestamp, or a checkpoint carrying the state hash) and [`log::Snapshot`]s.
//! [`log::SledLog`] is the embedded durable default (feature `sled`, on by default);
//! [`log::MemoryLog`] serves tests and simulations. Every stored record and snapshot is
//! postcard in an envelope that starts with the format version ([`log::FORMAT_VERSION`]);
//! the sled log stores an appended batch's records as a few chunks of such envelopes, one
//! after another, and records its layout version ([`log::SLED_LAYOUT_VERSION`]). A log or
//! value of another version is refused with [`log::LogError::UnknownVersion`], never
//! guessed at.
//! Enums only gain variants at the end, so old logs stay readable.
//!
//! [`Journal`] runs the engine on a log. For each batch it (1) decides and applies every
//! command in memory, answering rejections without logging them, (2) appends the accepted
//! records, with a checkpoint when one is due, (3) makes them durable with one sync (group
//! commit), (4) only then returns the outcomes, and (5) writes a snapshot when one is due.
//! [`Journal::open`] loads the newest snapshot that decodes and matches its hash, replays
//! the rest, and reports in [`Recovery`] any snapshot it had to refuse.
//!
//! ## Example
//! ```
//! use exchange_core::{
//!     AccountKind, Action, Command, Credits, Exchange, NewOrder, Price, Quantity, Side, Symbol,
//! };
//!
//! let mut exchange = Exchange::new();
//! let create = Command::operator(Action::CreateAccount { kind: AccountKind::Standard });
//! exchange.execute(&create).unwrap(); // account 1
//! exchange.execute(&create).unwrap(); // account 2
//! let listing = Action::CreateTicker { symbol: Symbol::new("MNAD").unwrap() };
//! exchange.execute(&Command::operator(listing)).unwrap();
//! let mnad = exchange.state().tickers()[0].id;
//! let (seller, buyer) = (exchange_core::AccountId(1), exchange_core::AccountId(2));
//! exchange.execute(&Command::operator(Action::IssueShares {
//!     account: seller, ticker: mnad, quantity: Quantity(10),
//! })).unwrap();
//! exchange.execute(&Command::operator(Action::DepositCredits {
//!     account: buyer, amount: Credits(1_000),
//! })).unwrap();
//!
//! let ask = NewOrder::limit(mnad, Side::Sell, Price(30), Quantity(5));
//! exchange.execute(&Command::by(seller, Action::PlaceOrder(ask))).unwrap();
//! let bid = NewOrder::limit(mnad, Side::Buy, Price(32), Quantity(3));
//! let events = exchange.execute(&Command::by(buyer, Action::PlaceOrder(bid))).unwrap();
//! assert_eq!(events.len(), 2); // accepted, then one trade at the resting price of 30
//!
//! let account = exchange.state().account(buyer).unwrap();
//! assert_eq!(account.credits_available, Credits(1_000 - 3 * 30));
//! assert_eq!(exchange.state().quote(mnad).unwrap().ask.unwrap().quantity, Quantity(2));
//! exchange.state().check_invariants().unwrap();
//! ```

#![deny(clippy::float_arithmetic)]

mod book;
mod command;
mod decide;
mod event;
mod evolve;
mod exchange;
mod ids;
mod image;
mod invariants;
mod journal;
mod ledger;
pub mod limits;
pub mod log;
mod lookahead;
mod money;
mod order_index;
mod rejection;
mod state;
mod symbol;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod ticker;
pub mod views;

pub use command::{
    AccountKind, Action, Actor, AlertDirection, Command, NewOrder, OrderRef, OrderType, SelfTrade,
    Side, TickerStatus, TimeInForce,
};
pub use decide::{decide, decide_into};
pub use event::{CancelReason, Event, Priority, RemainderReason, TransferReason};
pub use evolve::evolve;
pub use exchange::Exchange;
pub use ids::{AccountId, ClientOrderId, OrderId, TickerId};
pub use image::{StateHash, StateImage};
pub use invariants::InvariantViolation;
pub use journal::{
    apply_record, load_snapshot, state_at, Journal, JournalConfig, JournalError, Outcome, Recovery,
    Submission,
};
pub use ledger::AccountStatus;
pub use money::{Credits, Price, Quantity};
pub use rejection::Rejection;
pub use state::State;
pub use symbol::{Symbol, SymbolError};
pub use views::{
    AccountView, AlertView, Depth, Holdings, LevelView, OrderStatus, OrderView, PositionView,
    Quote, TickerView,
};

/// README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
