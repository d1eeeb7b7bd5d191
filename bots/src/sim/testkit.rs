//! Small, predictable strategies for tests, benchmarks and examples of the runner: enough
//! to keep a book, trade through it, cancel and amend, and exercise orchestration, without
//! depending on the real strategies' tuning.

use crate::strategy::{Action, Ctx, Input, Strategy};
use exchange_core::{Side, TimeInForce};

/// Quotes a bid and an ask around a fixed mid every tick, replacing its previous quotes.
#[derive(Clone, Debug)]
pub struct Quoter {
    /// The price it quotes around.
    pub mid: u64,
    /// Distance of each quote from the mid.
    pub half_spread: u64,
    /// Shares per quote.
    pub size: u64,
    /// Milliseconds between requotes.
    pub interval_ms: u64,
}

impl Default for Quoter {
    fn default() -> Self {
        Self {
            mid: 100,
            half_spread: 1,
            size: 10,
            interval_ms: 1_000,
        }
    }
}

impl Strategy for Quoter {
    fn name(&self) -> &'static str {
        "quoter"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.interval_ms
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if !matches!(input, Input::Start | Input::Tick) {
            return;
        }
        if !ctx.portfolio.orders.is_empty() {
            ctx.act(Action::CancelAll);
        }
        let (bid, ask) = (self.mid - self.half_spread, self.mid + self.half_spread);
        let portfolio = ctx.portfolio;
        let credits = portfolio.credits_available + portfolio.credits_held;
        let shares = portfolio.shares_available + portfolio.shares_held;
        if credits >= bid * self.size {
            ctx.limit(Side::Buy, bid, self.size, TimeInForce::Gtc);
        }
        if shares >= self.size {
            ctx.limit(Side::Sell, ask, self.size, TimeInForce::Gtc);
        }
    }
}

/// Trades at random each tick: market orders, limit orders near the last price, and
/// cancels and amendments of its own resting orders (some of which the exchange refuses,
/// which is part of the test).
#[derive(Clone, Debug)]
pub struct Jumper {
    /// Most shares per order.
    pub quantity_max: u64,
    /// Milliseconds between ticks.
    pub interval_ms: u64,
}

impl Default for Jumper {
    fn default() -> Self {
        Self {
            quantity_max: 5,
            interval_ms: 700,
        }
    }
}

impl Strategy for Jumper {
    fn name(&self) -> &'static str {
        "jumper"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.interval_ms
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if *input != Input::Tick {
            return;
        }
        let side = if ctx.rng.chance(1, 2) {
            Side::Buy
        } else {
            Side::Sell
        };
        let quantity = ctx.rng.between(1, self.quantity_max);
        let reference = ctx.market.last_price.or(ctx.market.mid()).unwrap_or(100);
        let own = ctx.portfolio.orders.keys().next().copied();
        match (ctx.rng.below(10), own) {
            (0..=3, _) => {
                ctx.market(side, quantity);
            }
            (4..=6, _) => {
                let price = (reference + ctx.rng.between(0, 6)).saturating_sub(3).max(1);
                let time_in_force = [TimeInForce::Gtc, TimeInForce::Ioc, TimeInForce::PostOnly]
                    [ctx.rng.below(3) as usize];
                ctx.limit(side, price, quantity, time_in_force);
            }
            (7, Some(client_id)) => ctx.act(Action::Cancel { client_id }),
            (8, Some(client_id)) => {
                let order = ctx.portfolio.orders[&client_id];
                let price = order.price;
                ctx.act(Action::Amend {
                    client_id,
                    price,
                    quantity,
                });
            }
            _ => ctx.act(Action::Cancel { client_id: 999_999 }),
        }
    }
}

/// An orchestrator that keeps a number of traders running: it starts them at once, and
/// liquidates and replaces each one that exits.
#[derive(Clone, Debug)]
pub struct Launcher {
    /// Traders to keep running.
    pub traders: u32,
    /// Credits each trader starts with.
    pub credits: u64,
}

impl Default for Launcher {
    fn default() -> Self {
        Self {
            traders: 2,
            credits: 2_000,
        }
    }
}

impl Strategy for Launcher {
    fn name(&self) -> &'static str {
        "launcher"
    }

    fn tick_interval_ms(&self) -> u64 {
        0
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        let credits = self.credits;
        match *input {
            Input::Start => {
                for _ in 0..self.traders {
                    ctx.act(Action::StartTrader { credits });
                }
            }
            Input::TraderExited { account } => {
                ctx.act(Action::Liquidate { account });
                ctx.act(Action::StartTrader { credits });
            }
            _ => {}
        }
    }
}

/// A trader that buys or sells one share at the market each tick for a few ticks, pays
/// half its credits back to its orchestrator, and exits.
#[derive(Clone, Debug)]
pub struct Sprinter {
    /// Ticks before it exits.
    pub ticks: u32,
    /// Milliseconds between ticks.
    pub interval_ms: u64,
    done: u32,
}

impl Sprinter {
    /// A trader that exits after `ticks` ticks of `interval_ms`.
    pub fn new(ticks: u32, interval_ms: u64) -> Self {
        Self {
            ticks,
            interval_ms,
            done: 0,
        }
    }
}

impl Strategy for Sprinter {
    fn name(&self) -> &'static str {
        "sprinter"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.interval_ms
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if *input != Input::Tick {
            return;
        }
        self.done += 1;
        let side = if ctx.portfolio.shares_available > 0 && ctx.rng.chance(1, 2) {
            Side::Sell
        } else {
            Side::Buy
        };
        ctx.market(side, 1);
        if self.done >= self.ticks {
            let amount = ctx.portfolio.credits_available / 2;
            if amount > 0 {
                ctx.act(Action::TransferToOrchestrator { amount });
            }
            ctx.act(Action::Exit);
        }
    }
}
