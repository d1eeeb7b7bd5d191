//! A zero-intelligence random trader in the manner of ABIDES' noise and ZI agents.
//!
//! On each tick an order arrives with probability [`RandomTraderConfig::arrival_per_mille`].
//! Its size is drawn from [`RandomTraderConfig::size_mix`], its side at random (the other side
//! if it cannot fund the drawn one), and it is either marketable (a limit at the opposite
//! best price, whose remainder rests) or passive (a limit a random number of ticks behind the
//! best price on its own side). Orders still resting after
//! [`RandomTraderConfig::stale_after_ms`] are cancelled. It leaves after
//! [`RandomTraderConfig::funding_failures_max`] consecutive funding failures: refusals for
//! lack of credits or shares, or arrivals it could fund on neither side. Any order accepted
//! or filled resets the count.

use crate::strategies::noise::is_funding_failure;
use crate::strategy::{
    Action, ActionKind, Ctx, Input, InvalidConfig, MarketInputs, OrderDone, Strategy,
};
use exchange_core::{Side, TimeInForce};
use std::collections::BTreeMap;

/// One order size and its relative weight in the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeWeight {
    /// Shares.
    pub quantity: u64,
    /// Relative weight (any scale).
    pub weight: u64,
}

/// The random trader's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RandomTraderConfig {
    /// Time between ticks. Default 1000.
    pub tick_interval_ms: u64,
    /// Probability per tick that an order arrives, in thousandths. Default 300.
    pub arrival_per_mille: u64,
    /// Probability that an order is marketable rather than passive, in thousandths.
    /// Default 300.
    pub marketable_per_mille: u64,
    /// Order sizes and their weights. Default 1 share (weight 6), 2 (3), 5 (1).
    pub size_mix: Vec<SizeWeight>,
    /// The deepest a passive order rests behind the best price on its side. Default 3.
    pub passive_depth_max_ticks: u64,
    /// Age after which a resting order is cancelled. Default 10 000.
    pub stale_after_ms: u64,
    /// Consecutive funding failures after which it leaves. Default 5.
    pub funding_failures_max: u32,
}

impl Default for RandomTraderConfig {
    fn default() -> Self {
        let size = |quantity, weight| SizeWeight { quantity, weight };
        Self {
            tick_interval_ms: 1000,
            arrival_per_mille: 300,
            marketable_per_mille: 300,
            size_mix: vec![size(1, 6), size(2, 3), size(5, 1)],
            passive_depth_max_ticks: 3,
            stale_after_ms: 10_000,
            funding_failures_max: 5,
        }
    }
}

impl RandomTraderConfig {
    /// Whether a random trader can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.arrival_per_mille <= 1000,
            "the arrival rate must be at most 1,000 per mille",
        )?;
        check(
            self.marketable_per_mille <= 1000,
            "the marketable share must be at most 1,000 per mille",
        )?;
        check(
            self.funding_failures_max > 0,
            "the failures allowed for lack of funds must be at least 1",
        )?;
        check(
            self.size_mix.iter().all(|size| size.quantity > 0),
            "every order size must be at least 1 share",
        )?;
        check(
            self.size_mix.iter().any(|size| size.weight > 0),
            "the size mix must have a positive weight",
        )
    }
}

/// One of its orders that has not finished.
#[derive(Clone, Copy, Debug)]
struct Tracked {
    placed_at_ms: u64,
    acknowledged: bool,
    cancel_sent: bool,
}

/// How an arriving order meets the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Aggression {
    Marketable,
    Passive,
}

/// The ABIDES-like random trader.
#[derive(Clone, Debug)]
pub struct RandomTrader {
    config: RandomTraderConfig,
    size_weight_total: u64,
    orders: BTreeMap<u64, Tracked>,
    funding_failures: u32,
    exited: bool,
}

impl RandomTrader {
    /// A random trader.
    ///
    /// # Panics
    /// If the configuration is invalid ([`RandomTraderConfig::validate`]).
    pub fn new(config: RandomTraderConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        let size_weight_total = config.size_mix.iter().map(|size| size.weight).sum();
        Self {
            config,
            size_weight_total,
            orders: BTreeMap::new(),
            funding_failures: 0,
            exited: false,
        }
    }

    /// Consecutive funding failures so far.
    pub fn funding_failures(&self) -> u32 {
        self.funding_failures
    }

    /// Whether it has asked to leave.
    pub fn exited(&self) -> bool {
        self.exited
    }

    /// Marks orders the exchange accepted (they rest now) as successes.
    fn acknowledge(&mut self, ctx: &Ctx<'_>) {
        for (client_id, tracked) in &mut self.orders {
            if !tracked.acknowledged && ctx.portfolio.orders.contains_key(client_id) {
                tracked.acknowledged = true;
                self.funding_failures = 0;
            }
        }
    }

    fn cancel_stale(&mut self, ctx: &mut Ctx<'_>) {
        for (&client_id, tracked) in &mut self.orders {
            let age_ms = ctx.now_ms.saturating_sub(tracked.placed_at_ms);
            let resting = ctx.portfolio.orders.contains_key(&client_id);
            if resting && !tracked.cancel_sent && age_ms >= self.config.stale_after_ms {
                tracked.cancel_sent = true;
                ctx.act(Action::Cancel { client_id });
            }
        }
    }

    fn arrive(&mut self, ctx: &mut Ctx<'_>) {
        if !ctx.rng.chance(self.config.arrival_per_mille, 1000) {
            return;
        }
        let wanted = self.draw_size(ctx);
        let aggression = if ctx.rng.chance(self.config.marketable_per_mille, 1000) {
            Aggression::Marketable
        } else {
            Aggression::Passive
        };
        let first = if ctx.rng.chance(1, 2) {
            Side::Buy
        } else {
            Side::Sell
        };
        let mut priced = false;
        for side in [first, first.opposite()] {
            let Some(price) = self.price(side, aggression, ctx) else {
                continue;
            };
            priced = true;
            let quantity = wanted.min(affordable(side, price, ctx));
            if quantity > 0 {
                let client_id = ctx.limit(side, price, quantity, TimeInForce::Gtc);
                let tracked = Tracked {
                    placed_at_ms: ctx.now_ms,
                    acknowledged: false,
                    cancel_sent: false,
                };
                self.orders.insert(client_id, tracked);
                return;
            }
        }
        if priced {
            self.failed(ctx); // It could fund neither side.
        }
    }

    fn draw_size(&self, ctx: &mut Ctx<'_>) -> u64 {
        let mut draw = ctx.rng.below(self.size_weight_total);
        for size in &self.config.size_mix {
            if draw < size.weight {
                return size.quantity;
            }
            draw -= size.weight;
        }
        unreachable!("a draw below the total weight falls in some size")
    }

    /// The limit price of an order on `side`, or `None` when the market gives no reference.
    fn price(&self, side: Side, aggression: Aggression, ctx: &mut Ctx<'_>) -> Option<u64> {
        let market = ctx.market;
        let (bid, ask) = (market.bid.map(|l| l.price), market.ask.map(|l| l.price));
        let price = match (aggression, side) {
            (Aggression::Marketable, Side::Buy) => ask?,
            (Aggression::Marketable, Side::Sell) => bid?,
            (Aggression::Passive, Side::Buy) => {
                let reference = bid
                    .or(ask.map(|ask| ask.saturating_sub(1)))
                    .or(market.last_price)?;
                let depth = ctx.rng.between(0, self.config.passive_depth_max_ticks);
                let price = reference.saturating_sub(depth);
                ask.map_or(price, |ask| price.min(ask.saturating_sub(1)))
            }
            (Aggression::Passive, Side::Sell) => {
                let reference = ask
                    .or(bid.map(|bid| bid.saturating_add(1)))
                    .or(market.last_price)?;
                let depth = ctx.rng.between(0, self.config.passive_depth_max_ticks);
                let price = reference.saturating_add(depth);
                bid.map_or(price, |bid| price.max(bid.saturating_add(1)))
            }
        };
        (price > 0).then_some(price)
    }

    fn failed(&mut self, ctx: &mut Ctx<'_>) {
        self.funding_failures += 1;
        if self.funding_failures >= self.config.funding_failures_max {
            self.exited = true;
            ctx.act(Action::Exit);
        }
    }
}

/// Shares it can fund on `side` at `price`.
fn affordable(side: Side, price: u64, ctx: &Ctx<'_>) -> u64 {
    match side {
        Side::Buy => ctx.portfolio.credits_available / price,
        Side::Sell => ctx.portfolio.shares_available,
    }
}

impl Strategy for RandomTrader {
    fn name(&self) -> &'static str {
        "random_trader"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    /// It trades on its timer, reading the book from the view.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs::NONE
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        if self.exited {
            return;
        }
        self.acknowledge(ctx);
        match *input {
            Input::Start if !ctx.portfolio.orders.is_empty() => ctx.act(Action::CancelAll),
            Input::Tick => {
                self.cancel_stale(ctx);
                self.arrive(ctx);
            }
            Input::Filled { client_id, .. } if self.orders.contains_key(&client_id) => {
                self.funding_failures = 0;
            }
            Input::Done { client_id, why } => {
                let ours = self.orders.remove(&client_id).is_some();
                if ours && why == OrderDone::Filled {
                    self.funding_failures = 0;
                }
            }
            Input::Rejected {
                kind: ActionKind::Place,
                client_id: Some(client_id),
                code,
            } => {
                let ours = self.orders.remove(&client_id).is_some();
                if ours && is_funding_failure(code, ctx) {
                    self.failed(ctx);
                }
            }
            Input::Rejected {
                kind: ActionKind::Cancel,
                client_id: Some(client_id),
                ..
            } => {
                // Try again on a later tick if it still rests.
                if let Some(tracked) = self.orders.get_mut(&client_id) {
                    tracked.cancel_sent = false;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};
    use crate::strategy::OwnOrder;

    fn harness(seed: u64) -> Harness {
        let mut h = Harness::new(seed);
        h.portfolio.credits_available = 1_000_000;
        h.portfolio.shares_available = 1_000_000;
        h.book(Some((50, 10)), Some((55, 10)));
        h
    }

    fn config(arrival_per_mille: u64) -> RandomTraderConfig {
        RandomTraderConfig {
            arrival_per_mille,
            ..RandomTraderConfig::default()
        }
    }

    /// Ticks once; reports the order placed, if any, as finished.
    fn tick_and_finish(h: &mut Harness, t: &mut RandomTrader) -> Vec<Action> {
        let actions = h.run(t, Input::Tick);
        if !placements(&actions).is_empty() {
            let done = Input::Done {
                client_id: h.next_client_id,
                why: OrderDone::Cancelled,
            };
            h.run(t, done);
        }
        actions
    }

    #[test]
    fn orders_arrive_at_the_configured_rate_with_the_size_mix() {
        let mut h = harness(1);
        let mut t = RandomTrader::new(config(300));
        let (mut orders, mut marketable, mut sizes) = (0u32, 0u32, BTreeMap::new());
        let ticks = 20_000;
        for _ in 0..ticks {
            for (side, price, quantity) in placements(&tick_and_finish(&mut h, &mut t)) {
                orders += 1;
                let price = price.expect("limit orders");
                let crossing = match side {
                    Side::Buy => price >= 55,
                    Side::Sell => price <= 50,
                };
                marketable += u32::from(crossing);
                *sizes.entry(quantity).or_insert(0u32) += 1;
                assert!((47..=58).contains(&price), "{side:?} at {price}");
            }
        }
        let rate = f64::from(orders) / f64::from(ticks);
        assert!((rate - 0.3).abs() < 0.015, "arrival rate {rate}");
        let share = f64::from(marketable) / f64::from(orders);
        assert!((share - 0.3).abs() < 0.03, "marketable share {share}");
        assert_eq!(sizes.keys().copied().collect::<Vec<_>>(), vec![1, 2, 5]);
        let ones = f64::from(sizes[&1]) / f64::from(orders);
        assert!((ones - 0.6).abs() < 0.03, "size 1 share {ones}");
    }

    #[test]
    fn never_arrives_at_rate_zero_and_always_at_one_thousand() {
        let mut h = harness(2);
        let mut never = RandomTrader::new(config(0));
        let mut always = RandomTrader::new(config(1000));
        for _ in 0..200 {
            assert!(tick_and_finish(&mut h, &mut never).is_empty());
            assert_eq!(placements(&tick_and_finish(&mut h, &mut always)).len(), 1);
        }
    }

    #[test]
    fn cancels_its_stale_resting_orders_once() {
        let mut h = harness(3);
        let mut t = RandomTrader::new(config(1000));
        let placed = h.run(&mut t, Input::Tick);
        let Some(&(side, Some(price), remaining)) = placements(&placed).first() else {
            panic!("an order arrives at rate 1000: {placed:?}");
        };
        let client_id = h.next_client_id;
        let order = OwnOrder {
            side,
            price,
            remaining,
        };
        h.portfolio.orders.insert(client_id, order);
        let cancel = Action::Cancel { client_id };
        t.config.arrival_per_mille = 0;
        h.now_ms = 9_999;
        assert!(
            !h.run(&mut t, Input::Tick).contains(&cancel),
            "not stale yet"
        );
        h.now_ms = 10_000;
        assert_eq!(h.run(&mut t, Input::Tick), vec![cancel]);
        h.now_ms = 11_000;
        assert!(h.run(&mut t, Input::Tick).is_empty(), "cancel already sent");
        let refused = Input::Rejected {
            kind: ActionKind::Cancel,
            client_id: Some(client_id),
            code: "unknown_order",
        };
        h.run(&mut t, refused);
        assert_eq!(h.run(&mut t, Input::Tick), vec![cancel], "retried");
        h.portfolio.orders.clear();
        let why = OrderDone::Cancelled;
        h.run(&mut t, Input::Done { client_id, why });
        h.now_ms = 30_000;
        assert!(h.run(&mut t, Input::Tick).is_empty());
    }

    #[test]
    fn buys_only_when_it_holds_no_shares() {
        let mut h = harness(4);
        h.portfolio.shares_available = 0;
        let mut t = RandomTrader::new(config(1000));
        for _ in 0..100 {
            for (side, _, _) in placements(&tick_and_finish(&mut h, &mut t)) {
                assert_eq!(side, Side::Buy);
            }
        }
        assert_eq!(t.funding_failures(), 0);
    }

    #[test]
    fn leaves_after_five_consecutive_funding_failures() {
        let mut h = harness(5);
        let mut t = RandomTrader::new(config(1000));
        let refuse = |h: &mut Harness, t: &mut RandomTrader, code| {
            let actions = h.run(t, Input::Tick);
            assert_eq!(placements(&actions).len(), 1);
            let client_id = Some(h.next_client_id);
            let kind = ActionKind::Place;
            h.run(
                t,
                Input::Rejected {
                    kind,
                    client_id,
                    code,
                },
            )
        };
        for _ in 0..4 {
            assert!(refuse(&mut h, &mut t, "insufficient_credits").is_empty());
        }
        h.run(&mut t, Input::Tick);
        let client_id = h.next_client_id;
        h.run(
            &mut t,
            Input::Filled {
                client_id,
                side: Side::Buy,
                price: 55,
                quantity: 1,
            },
        );
        assert_eq!(t.funding_failures(), 0, "a fill resets the count");
        for _ in 0..4 {
            assert!(refuse(&mut h, &mut t, "insufficient_shares").is_empty());
        }
        refuse(&mut h, &mut t, "market_closed");
        assert_eq!(t.funding_failures(), 4, "other refusals do not count");
        assert_eq!(
            refuse(&mut h, &mut t, "insufficient_credits"),
            vec![Action::Exit]
        );
        assert!(t.exited());
        assert!(h.run(&mut t, Input::Tick).is_empty());
    }

    #[test]
    fn an_accepted_order_resets_the_count() {
        let mut h = harness(6);
        let mut t = RandomTrader::new(config(1000));
        h.portfolio.credits_available = 0;
        h.portfolio.shares_available = 0;
        for failures in 1..=4 {
            assert!(h.run(&mut t, Input::Tick).is_empty(), "it can fund nothing");
            assert_eq!(t.funding_failures(), failures);
        }
        h.portfolio.shares_available = 3;
        let placed = h.run(&mut t, Input::Tick);
        assert_eq!(placements(&placed).len(), 1);
        let order = OwnOrder {
            side: Side::Sell,
            price: 56,
            remaining: 1,
        };
        h.portfolio.orders.insert(h.next_client_id, order);
        h.run(&mut t, Input::Quote);
        assert_eq!(t.funding_failures(), 0);
        h.portfolio.shares_available = 0;
        for _ in 0..4 {
            assert!(h.run(&mut t, Input::Tick).is_empty());
        }
        assert_eq!(h.run(&mut t, Input::Tick), vec![Action::Exit]);
    }

    #[test]
    fn prices_stay_positive_on_thin_books() {
        let books = [
            (Some((1, 1)), Some((2, 1))),
            (None, Some((1, 1))),
            (Some((1, 1)), None),
            (None, None),
        ];
        for (bid, ask) in books {
            let mut h = harness(7);
            h.book(bid, ask);
            h.market.last_price = Some(1);
            let mut t = RandomTrader::new(config(1000));
            for _ in 0..200 {
                for (_, price, _) in placements(&tick_and_finish(&mut h, &mut t)) {
                    assert!(price.is_some_and(|price| price > 0), "{bid:?}/{ask:?}");
                }
            }
        }
    }
}
