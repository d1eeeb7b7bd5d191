//! The deterministic simulation runner: strategies trading in-process against
//! `exchange-core`'s [`Journal`](exchange_core::Journal), on a virtual clock.
//!
//! ## A run
//! [`Simulation::new`] takes an empty journal (on a
//! [`MemoryLog`](exchange_core::log::MemoryLog), or any other [`EventLog`](exchange_core::log::EventLog)), a [`Cast`]
//! (the ticker and the bots; [`Population`] builds the standard ones) and a [`SimConfig`].
//! The operator lists the ticker, creates an admin account and one account per bot, and
//! deposits and issues their endowments, all at virtual time 0. [`Simulation::run`] then
//! runs the virtual clock to the configured duration, and [`Simulation::report`] summarises
//! the market ([`Report`]).
//!
//! ## The order of steps
//! The clock is a queue of bot timers ordered by (virtual time, order set). For each timer:
//! 1. the clock moves to its time and the bot gets [`Input::Tick`](crate::Input::Tick); a
//!    new bot gets [`Input::Start`](crate::Input::Start) first, at the instant it is made;
//! 2. the bot's actions become commands (orders carry the bot's client order ids), which
//!    are submitted through the journal in the order asked for, with the virtual time as
//!    timestamp (`(start_unix_ms + virtual ms) * 10^6` ns). One call's consecutive commands
//!    go in one batch; an action that is not a command ([`Action::Exit`](crate::Action::Exit))
//!    ends the batch before it;
//! 3. every event is routed back: fills and finished orders to their owner (exchange order
//!    ids are mapped to client ids from `OrderAccepted`), trades to every bot, transfers and
//!    alerts to the account's bot, a started or stopped trader to its orchestrator, a
//!    rejection to the bot that asked (with [`Rejection::code`](exchange_core::Rejection));
//!    when the top of the book changed, a quote to every bot that has not seen it;
//! 4. those inputs are delivered in order at the same virtual instant, and the actions they
//!    cause are carried out the same way, until none is left;
//! 5. the bot's next tick is set: its interval, plus or minus a seeded jitter of up to a
//!    twentieth of it. The first tick comes after a seeded phase of up to one interval.
//!
//! A bot's [`Portfolio`](crate::Portfolio) balances are re-read from the engine
//! ([`State::holdings`](exchange_core::State::holdings)) before any call that follows a
//! command touching its account; its orders are kept from their events as they are routed
//! (rested, traded, amended, cancelled), and [`Checks::EveryCommand`] compares them with the
//! engine's open orders after every command. Its [`MarketView`](crate::MarketView) is the
//! engine's quote and last price.
//!
//! ## Orchestrators
//! [`Action::StartTrader`](crate::Action::StartTrader) becomes `CreateOrchestratedAccount` by
//! the orchestrator's account; on the new account the runner starts the cast's trader
//! strategy, seeded with [`BotRng::fork`](crate::BotRng::fork)`(seed, account id)` like
//! every bot, and tells the orchestrator `TraderStarted`. A trader that exits, or whose
//! account is liquidated, is stopped and its orchestrator is told `TraderExited`.
//!
//! ## Determinism
//! Every random number comes from the run's seed: a bot's strategy draws from stream
//! `account id` and its timer from stream `2^32 + account id`. Maps that are iterated are
//! ordered (the one hash map, of orders by id, is only looked up), bots and deliveries go in
//! a fixed order, and nothing reads a clock. The same cast, seed and
//! configuration give byte-identical logs and reports. [`Report`] keeps wall-clock figures
//! out: only a caller measures them.
//!
//! ## Output
//! [`write_sled_log`] copies a finished run's log into a sled log directory, records and
//! snapshots unchanged, for `exchange audit`, `inspect` and `events`; [`charts`] draws the
//! per-minute series.

mod activity;
mod bot;
mod cast;
pub mod charts;
mod config;
mod error;
mod orders;
mod output;
mod persist;
mod population;
mod report;
mod route;
mod runner;
mod stats;
mod tape;
pub mod testkit;
#[cfg(test)]
mod tests;
mod timers;
mod translate;

pub use activity::Activity;
pub use cast::{BotSpec, Cast, TraderFactory};
pub use config::{Checks, SimConfig, SIM_JOURNAL, START_UNIX_MS};
pub use error::SimError;
pub use output::{prepare_output, write_log, write_report, LOG_DIR};
pub use persist::{copy_log, write_sled_log, COPY_BATCH_RECORDS};
pub use population::{Endowment, Group, Population};
pub use report::{BotSummary, Report};
pub use runner::{Simulation, DELIVERIES_PER_INSTANT_MAX};
pub use stats::{
    autocorrelation, excess_kurtosis, log_returns, StylisedFacts, ABS_ACF_LAGS, KURTOSIS_HORIZONS,
};
pub use tape::{MinuteBar, MINUTE_MS};
pub use translate::ACTION_NAMES;
