//! # bots
//!
//! Trading bots for the exchange. A strategy is pure: it reacts to an [`Input`] (the market
//! moved, its order filled, a timer fired, a transfer arrived) by asking for [`Action`]s
//! through a [`Ctx`], with its randomness from the seeded [`BotRng`] it is given. It does no
//! I/O and reads no clock, so the same strategy code runs in two runners:
//! - the simulation runner, in-process against `exchange-core` with a virtual clock,
//!   deterministic for a given seed;
//! - the network runner, against a live server over HTTP and WebSocket.
//!
//! Strategies: the market maker, two noise traders, the trend follower, the value trader and
//! the orchestrator (see [`strategies`]).

pub mod net;
pub mod rng;
pub mod sim;
pub mod strategies;
pub mod strategy;

pub use rng::BotRng;
pub use strategy::{
    Action, ActionKind, Ctx, Input, InvalidConfig, Level, MarketInputs, MarketView, OrderDone,
    OwnOrder, Portfolio, Strategy,
};
