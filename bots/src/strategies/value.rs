//! The value trader, after ABIDES' fundamental-value agent, long-only: the one strategy that
//! knows what a share is worth.
//!
//! It holds a fixed value `v` ([`ValueConfig::value`]) and, on each tick, looks at the
//! book through a noisy estimate `e = v + U[−n, n]` ([`ValueConfig::noise`]). With a margin
//! `m` ([`ValueConfig::margin`]):
//! - if the best ask is at most `e − m`, it buys [`ValueConfig::order_quantity`] shares at
//!   that ask, no more than its credits pay for and never above
//!   [`ValueConfig::position_max_shares`];
//! - otherwise, if the best bid is at least `e + m`, it sells that many of the shares it
//!   holds at that bid.
//!
//! Orders are immediate-or-cancel at the best opposite price, so it only ever takes what is
//! offered below, or bid above, its estimate. The other strategies follow the book (the market
//! makers centre on it, the trend follower chases it), so nothing else pulls the price back
//! when it wanders; value traders do, from either side, as long as they hold shares and
//! credits.

use crate::strategy::{Ctx, Input, InvalidConfig, MarketInputs, Strategy};
use exchange_core::{Side, TimeInForce};

/// The value trader's parameters. Prices are in credits per share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueConfig {
    /// Time between ticks, at each of which it may trade once. Default 2,000.
    pub tick_interval_ms: u64,
    /// What it believes a share is worth (`v`). Default 1,000, the default population's
    /// starting price.
    pub value: u64,
    /// How far its estimate strays from the value, either way, at most (`n`). Default 5.
    pub noise: u64,
    /// How far on the right side of its estimate a price must be before it trades (`m`).
    /// Default 5.
    pub margin: u64,
    /// Shares per order. Default 1.
    pub order_quantity: u64,
    /// The most shares it holds. Default 50.
    pub position_max_shares: u64,
}

impl Default for ValueConfig {
    fn default() -> Self {
        Self {
            tick_interval_ms: 2_000,
            value: 1_000,
            noise: 5,
            margin: 5,
            order_quantity: 1,
            position_max_shares: 50,
        }
    }
}

impl ValueConfig {
    /// Whether a value trader can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.tick_interval_ms > 0,
            "the tick interval must be at least 1 ms",
        )?;
        check(
            self.noise
                .checked_add(self.margin)
                .is_some_and(|low| low < self.value),
            "the value must be above its noise plus its margin",
        )?;
        check(
            self.value.checked_add(self.noise + self.margin).is_some(),
            "the value plus its noise and margin must fit 64 bits",
        )?;
        check(
            self.order_quantity > 0,
            "the order quantity must be at least 1 share",
        )?;
        check(
            self.position_max_shares >= self.order_quantity,
            "the position limit must allow at least one order",
        )
    }
}

/// A long-only trader that buys below, and sells above, a fixed value.
#[derive(Clone, Debug)]
pub struct ValueTrader {
    config: ValueConfig,
}

impl ValueTrader {
    /// A value trader.
    ///
    /// # Panics
    /// If the configuration is invalid ([`ValueConfig::validate`]).
    pub fn new(config: ValueConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        Self { config }
    }

    fn tick(&mut self, ctx: &mut Ctx<'_>) {
        let config = &self.config;
        let noise = ctx.rng.between(0, 2 * config.noise);
        // `value > noise + margin` (validate), so neither bound goes below zero.
        let estimate = config.value - config.noise + noise;
        let portfolio = ctx.portfolio;
        if let Some(ask) = ctx
            .market
            .ask
            .filter(|ask| ask.price.saturating_add(config.margin) <= estimate)
        {
            let position = portfolio.shares_available + portfolio.shares_held;
            let room = config.position_max_shares.saturating_sub(position);
            let affordable = portfolio.credits_available / ask.price;
            let quantity = config.order_quantity.min(room).min(affordable);
            if quantity > 0 {
                ctx.limit(Side::Buy, ask.price, quantity, TimeInForce::Ioc);
            }
        } else if let Some(bid) = ctx
            .market
            .bid
            .filter(|bid| bid.price >= estimate + config.margin)
        {
            let quantity = config.order_quantity.min(portfolio.shares_available);
            if quantity > 0 {
                ctx.limit(Side::Sell, bid.price, quantity, TimeInForce::Ioc);
            }
        }
    }
}

impl Strategy for ValueTrader {
    fn name(&self) -> &'static str {
        "value"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    /// It decides on its timer, reading the best prices from the view.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs::NONE
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if *input == Input::Tick {
            self.tick(ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};

    /// A trader whose estimate is exactly its value of 100, trading 2 shares at a margin
    /// of 3, with 1,000 credits and 10 shares.
    fn exact() -> (ValueTrader, Harness) {
        let config = ValueConfig {
            value: 100,
            noise: 0,
            margin: 3,
            order_quantity: 2,
            ..ValueConfig::default()
        };
        let mut h = Harness::new(1);
        h.portfolio.credits_available = 1_000;
        h.portfolio.shares_available = 10;
        (ValueTrader::new(config), h)
    }

    #[test]
    fn takes_a_price_beyond_its_value_by_the_margin() {
        let (buy, sell) = (
            Some((Side::Buy, Some(97), 2)),
            Some((Side::Sell, Some(103), 2)),
        );
        let cases = [
            ((90, 97), buy),
            ((90, 98), None),
            ((103, 110), sell),
            ((102, 110), None),
        ];
        for ((bid, ask), expected) in cases {
            let (mut trader, mut h) = exact();
            h.book(Some((bid, 5)), Some((ask, 5)));
            let actions = h.run(&mut trader, Input::Tick);
            assert_eq!(
                placements(&actions),
                Vec::from_iter(expected),
                "{bid}/{ask}"
            );
        }
    }

    #[test]
    fn stays_within_its_funds_shares_and_position_limit() {
        let (mut trader, mut h) = exact();
        h.book(Some((103, 5)), Some((97, 5)));
        h.portfolio.credits_available = 150;
        let actions = h.run(&mut trader, Input::Tick);
        assert_eq!(
            placements(&actions),
            [(Side::Buy, Some(97), 1)],
            "one share paid for"
        );
        h.portfolio.credits_available = 1_000;
        h.portfolio.shares_held = 40;
        let actions = h.run(&mut trader, Input::Tick);
        assert_eq!(placements(&actions), [], "50 shares already");
        h.book(Some((103, 5)), None);
        h.portfolio.shares_available = 1;
        let actions = h.run(&mut trader, Input::Tick);
        assert_eq!(
            placements(&actions),
            [(Side::Sell, Some(103), 1)],
            "long-only"
        );
        h.portfolio.shares_available = 0;
        assert_eq!(h.run(&mut trader, Input::Tick), []);
    }

    #[test]
    fn acts_only_on_its_timer() {
        let (mut trader, mut h) = exact();
        h.book(Some((103, 5)), Some((97, 5)));
        assert_eq!(h.run(&mut trader, Input::Quote), []);
        assert_eq!(h.run(&mut trader, Input::Start), []);
        assert_eq!(trader.market_inputs(), MarketInputs::NONE);
    }

    #[test]
    fn its_estimate_strays_by_the_noise_at_most() {
        let config = ValueConfig {
            value: 100,
            noise: 4,
            margin: 1,
            ..ValueConfig::default()
        };
        let mut trader = ValueTrader::new(config);
        let mut h = Harness::new(7);
        h.portfolio.credits_available = 1_000_000;
        // An ask of 94 is below every estimate less the margin (at least 96 − 1): always a
        // buy. An ask of 100 is above every estimate less the margin (at most 104 − 1) only
        // sometimes: some ticks buy and some do not.
        h.book(None, Some((94, 1_000)));
        for _ in 0..50 {
            assert_eq!(placements(&h.run(&mut trader, Input::Tick)).len(), 1);
        }
        h.book(None, Some((100, 1_000)));
        let buys = (0..200)
            .filter(|_| !h.run(&mut trader, Input::Tick).is_empty())
            .count();
        assert!(buys > 0 && buys < 200, "{buys} buys of 200");
        h.book(None, Some((104, 1_000)));
        for _ in 0..50 {
            assert_eq!(h.run(&mut trader, Input::Tick), [], "above every estimate");
        }
    }
}
