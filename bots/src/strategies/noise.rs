//! The seed's noise trader (seed-spec 5.2), with its flap logic fixed.
//!
//! Every tick, when both sides of the book exist, it sends a market order of
//! [`NoiseConfig::order_quantity`] shares with probability `1/(min(spread, cap) + 1)`. After a
//! fill it flips its side with probability 1/2; after a refusal it always flips. It leaves
//! ([`Action::Exit`]) after [`NoiseConfig::funding_failures_max`] *consecutive* refusals for
//! lack of funds; any success resets the count. (The seed inverted the test and left on the
//! first failure.)

use crate::strategy::{
    Action, ActionKind, Ctx, Input, InvalidConfig, MarketInputs, OrderDone, Strategy,
};
use exchange_core::Side;

/// The noise trader's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoiseConfig {
    /// Time between ticks. Default 1000 (the seed's one-second loop).
    pub tick_interval_ms: u64,
    /// Shares per market order. Default 1.
    pub order_quantity: u64,
    /// The spread above which the trading probability stops falling. Default 5, so the
    /// probability per tick runs from 1 (spread 0) down to 1/6.
    pub spread_cap_ticks: u64,
    /// Consecutive refusals for lack of funds after which it leaves. Default 5.
    pub funding_failures_max: u32,
    /// How long it waits for the outcome of an order before forgetting it and trading
    /// again. Default 10 000.
    pub outcome_timeout_ms: u64,
}

impl Default for NoiseConfig {
    fn default() -> Self {
        Self {
            tick_interval_ms: 1000,
            order_quantity: 1,
            spread_cap_ticks: 5,
            funding_failures_max: 5,
            outcome_timeout_ms: 10_000,
        }
    }
}

impl NoiseConfig {
    /// Whether a noise trader can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.order_quantity > 0,
            "the order quantity must be at least 1 share",
        )?;
        check(
            self.funding_failures_max > 0,
            "the failures allowed for lack of funds must be at least 1",
        )
    }
}

/// An order whose outcome it is waiting for.
#[derive(Clone, Copy, Debug)]
struct Pending {
    client_id: u64,
    placed_at_ms: u64,
    filled: bool,
}

/// The seed's noise trader with consecutive-failure counting.
#[derive(Clone, Debug)]
pub struct NoiseTrader {
    config: NoiseConfig,
    side: Side,
    funding_failures: u32,
    pending: Option<Pending>,
    exited: bool,
}

impl NoiseTrader {
    /// A noise trader; it picks its first side on [`Input::Start`].
    ///
    /// # Panics
    /// If the configuration is invalid ([`NoiseConfig::validate`]).
    pub fn new(config: NoiseConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        Self {
            config,
            side: Side::Buy,
            funding_failures: 0,
            pending: None,
            exited: false,
        }
    }

    /// The side of its next order.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Consecutive refusals for lack of funds so far.
    pub fn funding_failures(&self) -> u32 {
        self.funding_failures
    }

    /// Whether it has asked to leave.
    pub fn exited(&self) -> bool {
        self.exited
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        let shares = ctx.portfolio.shares_available + ctx.portfolio.shares_held;
        self.side = if shares > 0 { Side::Sell } else { Side::Buy };
        if !ctx.portfolio.orders.is_empty() {
            ctx.act(Action::CancelAll);
        }
    }

    fn tick(&mut self, ctx: &mut Ctx<'_>) {
        if let Some(pending) = self.pending {
            if ctx.now_ms.saturating_sub(pending.placed_at_ms) < self.config.outcome_timeout_ms {
                return;
            }
            self.pending = None;
        }
        let Some(spread) = ctx.market.spread() else {
            return; // Trades only when both sides of the book exist.
        };
        let odds = spread.min(self.config.spread_cap_ticks) + 1;
        if ctx.rng.below(odds) != 0 {
            return;
        }
        let client_id = ctx.market(self.side, self.config.order_quantity);
        self.pending = Some(Pending {
            client_id,
            placed_at_ms: ctx.now_ms,
            filled: false,
        });
    }

    fn succeeded(&mut self, ctx: &mut Ctx<'_>) {
        self.funding_failures = 0;
        if ctx.rng.chance(1, 2) {
            self.side = self.side.opposite();
        }
    }

    fn refused(&mut self, code: &str, ctx: &mut Ctx<'_>) {
        self.side = self.side.opposite();
        if !is_funding_failure(code, ctx) {
            return;
        }
        self.funding_failures += 1;
        if self.funding_failures >= self.config.funding_failures_max {
            self.exited = true;
            ctx.act(Action::Exit);
        }
    }

    fn is_pending(&self, client_id: u64) -> bool {
        self.pending.is_some_and(|p| p.client_id == client_id)
    }
}

/// Whether a refusal means the trader lacks funds: too few credits or shares, or no
/// liquidity while it could not afford anything anyway (no shares, and credits below the
/// best ask, or none at all when there is no ask).
pub(crate) fn is_funding_failure(code: &str, ctx: &Ctx<'_>) -> bool {
    match code {
        "insufficient_credits" | "insufficient_shares" => true,
        "no_liquidity" => {
            let cheapest = ctx.market.ask.map_or(1, |ask| ask.price);
            ctx.portfolio.shares_available == 0 && ctx.portfolio.credits_available < cheapest
        }
        _ => false,
    }
}

impl Strategy for NoiseTrader {
    fn name(&self) -> &'static str {
        "noise"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    /// It trades on its timer, reading the spread from the view.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs::NONE
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if self.exited {
            return;
        }
        match *input {
            Input::Start => self.start(ctx),
            Input::Tick => self.tick(ctx),
            Input::Filled { client_id, .. } if self.is_pending(client_id) => {
                if let Some(pending) = self.pending.as_mut() {
                    pending.filled = true;
                }
            }
            Input::Done { client_id, why } if self.is_pending(client_id) => {
                let filled = self.pending.is_some_and(|p| p.filled) || why == OrderDone::Filled;
                self.pending = None;
                if filled {
                    self.succeeded(ctx);
                } else {
                    self.refused("cancelled", ctx);
                }
            }
            Input::Rejected {
                kind: ActionKind::Place,
                client_id: Some(client_id),
                code,
            } if self.is_pending(client_id) => {
                self.pending = None;
                self.refused(code, ctx);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};

    fn trader(h: &mut Harness) -> NoiseTrader {
        let mut trader = NoiseTrader::new(NoiseConfig::default());
        h.run(&mut trader, Input::Start);
        trader
    }

    /// Places one order (spread 0 trades on every tick) and returns its client id.
    fn place(h: &mut Harness, trader: &mut NoiseTrader) -> u64 {
        h.book(Some((30, 5)), Some((30, 5)));
        let actions = h.run(trader, Input::Tick);
        assert_eq!(placements(&actions).len(), 1, "spread 0 always trades");
        h.next_client_id
    }

    fn reject(h: &mut Harness, trader: &mut NoiseTrader, code: &'static str) -> Vec<Action> {
        let client_id = place(h, trader);
        let input = Input::Rejected {
            kind: ActionKind::Place,
            client_id: Some(client_id),
            code,
        };
        h.run(trader, input)
    }

    fn fill(h: &mut Harness, trader: &mut NoiseTrader) {
        let client_id = place(h, trader);
        let why = OrderDone::Filled;
        assert!(h.run(trader, Input::Done { client_id, why }).is_empty());
    }

    /// The fraction of `ticks` seeded ticks on which it places an order at `spread`.
    fn trading_rate(spread: u64, ticks: u32) -> f64 {
        let mut h = Harness::new(spread + 11);
        h.portfolio.credits_available = 1_000_000;
        let mut trader = trader(&mut h);
        h.book(Some((100, 5)), Some((100 + spread, 5)));
        let mut placed = 0;
        for _ in 0..ticks {
            if !placements(&h.run(&mut trader, Input::Tick)).is_empty() {
                placed += 1;
                let client_id = h.next_client_id;
                let why = OrderDone::Filled;
                h.run(&mut trader, Input::Done { client_id, why });
            }
        }
        f64::from(placed) / f64::from(ticks)
    }

    #[test]
    fn trades_with_probability_one_over_capped_spread_plus_one() {
        for (spread, expected) in [(1, 0.5), (2, 1.0 / 3.0), (4, 0.2), (5, 1.0 / 6.0)] {
            let rate = trading_rate(spread, 20_000);
            assert!((rate - expected).abs() < 0.015, "spread {spread}: {rate}");
        }
        let rate = trading_rate(40, 20_000);
        assert!(
            (rate - 1.0 / 6.0).abs() < 0.015,
            "spread 40 is capped: {rate}"
        );
    }

    #[test]
    fn spread_zero_always_trades_with_size_one_market_orders() {
        let mut h = Harness::new(3);
        let mut trader = trader(&mut h);
        for _ in 0..50 {
            let client_id = place(&mut h, &mut trader);
            let actions = h.run(&mut trader, Input::Tick);
            assert!(actions.is_empty(), "waits for the outcome of {client_id}");
            h.run(
                &mut trader,
                Input::Done {
                    client_id,
                    why: OrderDone::Filled,
                },
            );
        }
        let actions = h.run(&mut trader, Input::Tick);
        assert_eq!(placements(&actions), vec![(trader.side(), None, 1)]);
    }

    #[test]
    fn trades_only_when_both_sides_exist() {
        let mut h = Harness::new(4);
        let mut trader = trader(&mut h);
        for (bid, ask) in [(None, Some((30, 1))), (Some((30, 1)), None), (None, None)] {
            h.book(bid, ask);
            for _ in 0..20 {
                assert!(h.run(&mut trader, Input::Tick).is_empty());
            }
        }
    }

    #[test]
    fn starts_selling_when_it_holds_shares_and_cancels_leftover_orders() {
        let mut h = Harness::new(5);
        assert_eq!(trader(&mut h).side(), Side::Buy);
        h.portfolio.shares_held = 2;
        let orders = &mut h.portfolio.orders;
        orders.insert(
            9,
            crate::strategy::OwnOrder {
                side: Side::Sell,
                price: 40,
                remaining: 2,
            },
        );
        let mut trader = NoiseTrader::new(NoiseConfig::default());
        assert_eq!(h.run(&mut trader, Input::Start), vec![Action::CancelAll]);
        assert_eq!(trader.side(), Side::Sell);
    }

    #[test]
    fn four_funding_failures_then_a_success_reset_the_count() {
        let mut h = Harness::new(6);
        let mut trader = trader(&mut h);
        for failures in 1..=4 {
            let side = trader.side();
            assert!(reject(&mut h, &mut trader, "insufficient_credits").is_empty());
            assert_eq!(trader.funding_failures(), failures);
            assert_eq!(trader.side(), side.opposite(), "a refusal flips the side");
        }
        fill(&mut h, &mut trader);
        assert_eq!(trader.funding_failures(), 0);
        for _ in 0..4 {
            assert!(reject(&mut h, &mut trader, "insufficient_shares").is_empty());
        }
        assert!(!trader.exited());
    }

    #[test]
    fn five_consecutive_funding_failures_exit_once() {
        let mut h = Harness::new(7);
        let mut trader = trader(&mut h);
        for _ in 0..4 {
            assert!(reject(&mut h, &mut trader, "insufficient_shares").is_empty());
        }
        let actions = reject(&mut h, &mut trader, "insufficient_credits");
        assert_eq!(actions, vec![Action::Exit]);
        assert!(trader.exited());
        assert!(h.run(&mut trader, Input::Tick).is_empty(), "it has left");
    }

    #[test]
    fn no_liquidity_counts_only_when_it_cannot_afford_anything() {
        let mut h = Harness::new(8);
        let mut trader = trader(&mut h);
        h.portfolio.credits_available = 100;
        for _ in 0..10 {
            reject(&mut h, &mut trader, "no_liquidity");
        }
        assert_eq!(
            trader.funding_failures(),
            0,
            "it could afford a share at 30"
        );
        h.portfolio.credits_available = 29;
        reject(&mut h, &mut trader, "no_liquidity");
        assert_eq!(trader.funding_failures(), 1);
        reject(&mut h, &mut trader, "market_closed");
        assert_eq!(trader.funding_failures(), 1, "other refusals do not count");
    }

    #[test]
    fn a_success_flips_the_side_about_half_the_time() {
        let mut h = Harness::new(9);
        let mut trader = trader(&mut h);
        let mut flips = 0;
        for _ in 0..2000 {
            let side = trader.side();
            fill(&mut h, &mut trader);
            flips += u32::from(trader.side() != side);
        }
        assert!((900..1100).contains(&flips), "{flips} flips");
    }

    #[test]
    fn outcomes_of_other_orders_are_ignored() {
        let mut h = Harness::new(10);
        let mut trader = trader(&mut h);
        let client_id = place(&mut h, &mut trader);
        let input = Input::Rejected {
            kind: ActionKind::Place,
            client_id: Some(client_id + 100),
            code: "insufficient_credits",
        };
        assert!(h.run(&mut trader, input).is_empty());
        assert_eq!(trader.funding_failures(), 0);
    }
}
