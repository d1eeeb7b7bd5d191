//! The contract between strategies and runners.
//!
//! A runner keeps a [`MarketView`] (the top of the book of the bot's one ticker) and a
//! [`Portfolio`] (the bot's balances and open orders) up to date, and calls
//! [`Strategy::on`] for every [`Input`] with a [`Ctx`] that holds them, the time and the
//! bot's random number generator. The strategy asks for [`Action`]s through the context;
//! the runner carries them out in order after the call returns and reports what happened
//! as later inputs (fills, finished orders, rejections).
//!
//! Orders are named by the client order ids the context hands out, never by the exchange's
//! order ids, so a strategy needs no round trip to learn an id and behaves the same in both
//! runners.

use crate::rng::BotRng;
use exchange_core::{AccountId, AlertDirection, Side, TimeInForce};
use std::collections::BTreeMap;

/// One price level: a price in credits per share and the shares resting there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// Credits per share.
    pub price: u64,
    /// Shares resting at that price.
    pub quantity: u64,
}

/// What the bot sees of its ticker's market.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarketView {
    /// The best bid.
    pub bid: Option<Level>,
    /// The best ask.
    pub ask: Option<Level>,
    /// The last trade's price.
    pub last_price: Option<u64>,
}

impl MarketView {
    /// `ask - bid` when both sides are present.
    pub fn spread(&self) -> Option<u64> {
        match (self.bid, self.ask) {
            (Some(bid), Some(ask)) => Some(ask.price.saturating_sub(bid.price)),
            _ => None,
        }
    }

    /// The midpoint, rounded down, when both sides are present.
    pub fn mid(&self) -> Option<u64> {
        match (self.bid, self.ask) {
            (Some(bid), Some(ask)) => Some((bid.price + ask.price) / 2),
            _ => None,
        }
    }
}

/// One of the bot's own resting orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnOrder {
    /// Buy or sell.
    pub side: Side,
    /// Its limit price.
    pub price: u64,
    /// Shares still open.
    pub remaining: u64,
}

/// The bot's balances in its ticker, and its open orders by client order id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Portfolio {
    /// Its account.
    pub account: Option<AccountId>,
    /// Credits free to spend.
    pub credits_available: u64,
    /// Credits held by its resting buys.
    pub credits_held: u64,
    /// Shares free to sell.
    pub shares_available: u64,
    /// Shares held by its resting sells.
    pub shares_held: u64,
    /// Its resting orders, by client order id.
    pub orders: BTreeMap<u64, OwnOrder>,
}

/// Why one of the bot's orders is no longer open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderDone {
    /// Completely filled.
    Filled,
    /// Cancelled (by the bot, by self-trade prevention, or an unfilled market/IOC remainder).
    Cancelled,
}

/// Which kind of action a rejection answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// [`Action::Place`].
    Place,
    /// [`Action::Cancel`] or [`Action::CancelAll`].
    Cancel,
    /// [`Action::Amend`].
    Amend,
    /// [`Action::TransferToOrchestrator`].
    Transfer,
    /// [`Action::SetAlert`] or [`Action::ClearAlert`].
    Alert,
    /// An orchestrator's action.
    Orchestrate,
}

/// What a strategy reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// The bot starts (once, first).
    Start,
    /// Its timer fired (every [`Strategy::tick_interval_ms`]).
    Tick,
    /// The best bid or ask of its ticker changed (the view already shows it).
    Quote,
    /// A trade on its ticker (anyone's).
    Trade {
        /// Credits per share.
        price: u64,
        /// Shares.
        quantity: u64,
    },
    /// One of its orders traded.
    Filled {
        /// The order.
        client_id: u64,
        /// Its side.
        side: Side,
        /// Credits per share.
        price: u64,
        /// Shares.
        quantity: u64,
    },
    /// One of its orders is no longer open.
    Done {
        /// The order.
        client_id: u64,
        /// Why.
        why: OrderDone,
    },
    /// The exchange refused one of its actions.
    Rejected {
        /// What was refused.
        kind: ActionKind,
        /// The order concerned, if any.
        client_id: Option<u64>,
        /// The stable rejection code (`insufficient_credits`, `no_liquidity`, ...).
        code: &'static str,
    },
    /// Credits arrived from another account.
    TransferReceived {
        /// The payer.
        from: AccountId,
        /// How many.
        amount: u64,
    },
    /// One of its balance alerts fired.
    Alert {
        /// Below or above.
        direction: AlertDirection,
        /// The threshold.
        threshold: u64,
        /// The balance (available plus held credits) that crossed it.
        balance: u64,
    },
    /// Orchestrator only: a trader it asked for is funded and running.
    TraderStarted {
        /// The trader's account.
        account: AccountId,
    },
    /// Orchestrator only: one of its traders has exited (for any reason).
    TraderExited {
        /// The trader's account.
        account: AccountId,
    },
}

/// What a strategy asks the runner to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Place an order on the bot's ticker. `price: None` is a market order.
    Place {
        /// The client order id the context assigned.
        client_id: u64,
        /// Buy or sell.
        side: Side,
        /// Limit price, or `None` for a market order.
        price: Option<u64>,
        /// GTC, IOC, FOK or post-only (ignored for market orders).
        time_in_force: TimeInForce,
        /// Shares.
        quantity: u64,
    },
    /// Cancel one of its orders.
    Cancel {
        /// The order.
        client_id: u64,
    },
    /// Cancel all its orders on its ticker.
    CancelAll,
    /// Change an order's price and quantity.
    Amend {
        /// The order.
        client_id: u64,
        /// The new price.
        price: u64,
        /// The new quantity.
        quantity: u64,
    },
    /// Send credits to the orchestrator the runner knows of.
    TransferToOrchestrator {
        /// How many.
        amount: u64,
    },
    /// Set a balance alert.
    SetAlert {
        /// Below or above.
        direction: AlertDirection,
        /// The threshold.
        threshold: u64,
    },
    /// Clear a balance alert.
    ClearAlert {
        /// Below or above.
        direction: AlertDirection,
    },
    /// Orchestrator only: fund a new orchestrated account with `credits` and start a noise
    /// trader on it.
    StartTrader {
        /// Its initial credits.
        credits: u64,
    },
    /// Orchestrator only: liquidate one of its accounts.
    Liquidate {
        /// The account.
        account: AccountId,
    },
    /// Orchestrator only: liquidate all its accounts.
    LiquidateAll,
    /// The bot stops. The runner reports [`Input::TraderExited`] to its orchestrator, if any.
    Exit,
}

/// What a strategy gets in each call: the time, its view and portfolio, its random numbers,
/// and the place its actions go.
pub struct Ctx<'a> {
    /// Milliseconds since the start of the run (virtual in simulations).
    pub now_ms: u64,
    /// The top of its ticker's book.
    pub market: &'a MarketView,
    /// Its balances and orders.
    pub portfolio: &'a Portfolio,
    /// Its random numbers.
    pub rng: &'a mut BotRng,
    next_client_id: &'a mut u64,
    actions: &'a mut Vec<Action>,
}

impl<'a> Ctx<'a> {
    /// A context over the runner's state for this bot.
    pub fn new(
        now_ms: u64,
        market: &'a MarketView,
        portfolio: &'a Portfolio,
        rng: &'a mut BotRng,
        next_client_id: &'a mut u64,
        actions: &'a mut Vec<Action>,
    ) -> Self {
        Self {
            now_ms,
            market,
            portfolio,
            rng,
            next_client_id,
            actions,
        }
    }

    /// Places a limit order; returns its client order id.
    pub fn limit(
        &mut self,
        side: Side,
        price: u64,
        quantity: u64,
        time_in_force: TimeInForce,
    ) -> u64 {
        assert!(price > 0, "a strategy never asks for a non-positive price");
        self.place(side, Some(price), quantity, time_in_force)
    }

    /// Places a market order; returns its client order id.
    pub fn market(&mut self, side: Side, quantity: u64) -> u64 {
        self.place(side, None, quantity, TimeInForce::Ioc)
    }

    fn place(
        &mut self,
        side: Side,
        price: Option<u64>,
        quantity: u64,
        time_in_force: TimeInForce,
    ) -> u64 {
        *self.next_client_id += 1;
        let client_id = *self.next_client_id;
        self.actions.push(Action::Place {
            client_id,
            side,
            price,
            time_in_force,
            quantity,
        });
        client_id
    }

    /// Asks for any other action.
    pub fn act(&mut self, action: Action) {
        assert!(
            !matches!(action, Action::Place { .. }),
            "orders go through `limit` or `market`, which assign client ids"
        );
        self.actions.push(action);
    }

    /// The actions asked for so far in this call.
    pub fn actions(&self) -> &[Action] {
        self.actions
    }
}

/// Which market-wide inputs a strategy reacts to. Both runners call a strategy with
/// [`Input::Quote`] and [`Input::Trade`] only if it asks for them: a strategy that trades on
/// its own timer is not woken for every trade of a busy market. Its view of the market is
/// kept current either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketInputs {
    /// Whether it wants [`Input::Quote`].
    pub quotes: bool,
    /// Whether it wants [`Input::Trade`].
    pub trades: bool,
}

impl MarketInputs {
    /// Quotes and trades.
    pub const ALL: Self = Self {
        quotes: true,
        trades: true,
    };

    /// Neither: the strategy reads the view when its timer fires.
    pub const NONE: Self = Self {
        quotes: false,
        trades: false,
    };

    /// Whether a strategy with these wants is called with `input`. Inputs about its own
    /// orders, account and lifecycle always reach it.
    pub fn admit(self, input: &Input) -> bool {
        match input {
            Input::Quote => self.quotes,
            Input::Trade { .. } => self.trades,
            _ => true,
        }
    }
}

/// A strategy's configuration that cannot run, with the rule it breaks. Each configuration's
/// `validate` says so before a strategy is built from it, so that a command line with a bad
/// flag ends with this message rather than a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct InvalidConfig(pub &'static str);

impl InvalidConfig {
    /// `Ok` if `holds`, else the broken `rule`.
    pub(crate) fn unless(holds: bool, rule: &'static str) -> Result<(), InvalidConfig> {
        if holds {
            Ok(())
        } else {
            Err(InvalidConfig(rule))
        }
    }
}

/// A trading strategy.
pub trait Strategy: Send {
    /// Its name, for logs and reports.
    fn name(&self) -> &'static str;

    /// How often it wants [`Input::Tick`], in milliseconds (0: never).
    fn tick_interval_ms(&self) -> u64;

    /// The market-wide inputs it reacts to; all of them unless it says otherwise. Runners
    /// ask once, when they start the strategy.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs::ALL
    }

    /// Reacts to one input. The context's view and portfolio already reflect it.
    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>);
}
