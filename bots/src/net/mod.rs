//! The network runner: strategies against a live exchange, over its public HTTP and
//! WebSocket API (`docs/api.md`), as tokio tasks.
//!
//! ```text
//! strategy.on(input) -> actions --REST--> server --WebSocket--> messages -> inputs
//! ```
//!
//! - [`spawn`] runs one [`Bot`] (a strategy, its seeded random numbers and a
//!   [`BotConfig`]: server, API token, ticker) and returns a [`BotHandle`] to watch
//!   ([`BotStatus`]) and stop it. The steps of a run are listed in [`runner`].
//! - The bot's picture of the market and of its account is a [`BotView`], kept from REST
//!   reads, command answers and WebSocket messages; the rules that keep overlapping
//!   sources from reporting anything twice are in [`orders`], when inputs may go in
//!   [`inbox`], and the resumption after a dropped connection in [`cursor`]. The calls
//!   are in [`rest`] and [`socket`], the JSON in [`wire`].
//! - An orchestrator bot is given a [`TraderSpawner`]: each account it creates gets a
//!   trader, started as another runner task in the same process ([`traders`]).
//! - An orchestrator may read the payments it receives from the exchange's Kafka topic
//!   instead ([`kafka`]).
//! - [`market`] is the one-command living market: the server in-process plus the demo's
//!   bots (a user's token comes from [`auth`]). [`cli`] holds what the bot binaries share.
//!
//! A strategy never sees the network: the same strategies run in the deterministic
//! simulation. What differs is time (the runner's clock, from the bot's start) and
//! order: inputs arrive as the server's messages do.

pub mod actions;
pub mod auth;
pub mod cli;
pub mod codes;
pub mod connection;
pub mod cursor;
pub mod error;
pub mod inbox;
pub mod kafka;
pub mod market;
pub mod orders;
pub mod rest;
pub mod runner;
pub mod socket;
pub mod traders;
pub mod view;
pub mod wire;

pub use error::NetError;
pub use rest::{Rest, Server};
pub use runner::{spawn, Backoff, Bot, BotConfig, BotHandle, BotStatus, Exit, StrategyMaker};
pub use traders::TraderSpawner;
pub use view::BotView;
