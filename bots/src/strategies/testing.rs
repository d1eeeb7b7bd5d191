//! A harness for the strategies' unit tests: a market view, a portfolio, a seeded generator
//! and a clock, and one call that drives a strategy with an input and returns its actions.

use crate::rng::BotRng;
use crate::strategy::{Action, Ctx, Input, Level, MarketView, Portfolio, Strategy};

/// The state a runner would keep for one bot.
pub(crate) struct Harness {
    pub(crate) now_ms: u64,
    pub(crate) market: MarketView,
    pub(crate) portfolio: Portfolio,
    pub(crate) rng: BotRng,
    pub(crate) next_client_id: u64,
}

impl Harness {
    /// An empty book, an empty portfolio, time 0 and seed `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            now_ms: 0,
            market: MarketView::default(),
            portfolio: Portfolio::default(),
            rng: BotRng::new(seed),
            next_client_id: 0,
        }
    }

    /// Calls the strategy with `input` and returns what it asked for.
    pub(crate) fn run(&mut self, strategy: &mut dyn Strategy, input: Input) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut ctx = Ctx::new(
            self.now_ms,
            &self.market,
            &self.portfolio,
            &mut self.rng,
            &mut self.next_client_id,
            &mut actions,
        );
        strategy.on(&input, &mut ctx);
        actions
    }

    /// Sets the best bid and ask (price, quantity); `None` for an empty side.
    pub(crate) fn book(&mut self, bid: Option<(u64, u64)>, ask: Option<(u64, u64)>) {
        let level = |(price, quantity)| Level { price, quantity };
        self.market.bid = bid.map(level);
        self.market.ask = ask.map(level);
    }
}

/// The orders among `actions`: (side, price, quantity), price `None` for market orders.
pub(crate) fn placements(actions: &[Action]) -> Vec<(exchange_core::Side, Option<u64>, u64)> {
    actions
        .iter()
        .filter_map(|action| match *action {
            Action::Place {
                side,
                price,
                quantity,
                ..
            } => Some((side, price, quantity)),
            _ => None,
        })
        .collect()
}
