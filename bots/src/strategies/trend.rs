//! The trend follower (seed-spec 5.4, designed but never built in the seed), long-only.
//!
//! Each tick it samples the market: the last trade price since the previous tick, else the
//! mid. With `SMA_s` and `SMA_l` the means of the last [`TrendConfig::short_window_samples`]
//! and [`TrendConfig::long_window_samples`] samples, the trend strength is
//! `τ = (SMA_s − SMA_l) / SMA_l`. It trades at most once per
//! [`TrendConfig::trade_interval_min_ms`]:
//! - risk first: holding shares bought at an average `p_avg`, with `π = (p − p_avg)/p_avg`,
//!   it sells everything when `π ≤ −stop` (stop-loss) or `π ≥ target` (take-profit);
//! - otherwise, when `rng.unit() > φ`: if `τ > θ` it buys `min(q_std, pos_max − pos)` (and
//!   no more than its credits pay for); if `τ < −θ` it sells `min(q_std, pos)`, never going
//!   short.
//!
//! Orders are immediate-or-cancel limits at the opposite best price, so a buy never costs more
//! than it checked it could pay. `p_avg` follows `(pos·p_avg + q·p)/(pos + q)` on each buy
//! fill, kept as an integer cost basis.

use crate::strategy::{Ctx, Input, InvalidConfig, MarketInputs, Strategy};
use exchange_core::{Side, TimeInForce};
use std::collections::VecDeque;

/// Basis points in one.
const BP_PER_UNIT: f64 = 10_000.0;

/// The trend follower's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendConfig {
    /// Time between ticks (one price sample each). Default 1000.
    pub tick_interval_ms: u64,
    /// Samples in the short moving average (`s`). Default 5.
    pub short_window_samples: usize,
    /// Samples in the long moving average (`l`). Default 20.
    pub long_window_samples: usize,
    /// The trend strength that triggers a trade (`θ`), in basis points. Default 10 (0.1 %).
    pub trend_threshold_bp: u64,
    /// Shares per trade (`q_std`). Default 2.
    pub order_quantity: u64,
    /// The most shares it holds (`pos_max`). Default 10.
    pub position_max_shares: u64,
    /// The loss from the average entry price that sells everything (`π_stop`), in basis
    /// points. Default 200 (2 %).
    pub stop_loss_bp: u64,
    /// The gain from the average entry price that sells everything (`π_target`), in basis
    /// points. Default 400 (4 %).
    pub take_profit_bp: u64,
    /// The least time between two of its trades (`Δt_min`). Default 5000.
    pub trade_interval_min_ms: u64,
    /// The probability of letting a signal pass (`φ`), in basis points. Default 7000 (0.7).
    pub skip_bp: u64,
}

impl Default for TrendConfig {
    fn default() -> Self {
        Self {
            tick_interval_ms: 1000,
            short_window_samples: 5,
            long_window_samples: 20,
            trend_threshold_bp: 10,
            order_quantity: 2,
            position_max_shares: 10,
            stop_loss_bp: 200,
            take_profit_bp: 400,
            trade_interval_min_ms: 5000,
            skip_bp: 7000,
        }
    }
}

impl TrendConfig {
    /// Whether a trend follower can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.short_window_samples > 0,
            "the short window must be at least 1 sample",
        )?;
        check(
            self.short_window_samples < self.long_window_samples,
            "the short window must be shorter than the long window",
        )?;
        check(
            self.order_quantity > 0,
            "the order quantity must be at least 1 share",
        )?;
        check(
            self.skip_bp <= 10_000,
            "the chance to skip a trade must be at most 10,000 basis points",
        )
    }
}

/// A long-only moving-average trend follower with stop-loss and take-profit.
#[derive(Clone, Debug)]
pub struct TrendFollower {
    config: TrendConfig,
    samples: VecDeque<u64>,
    trade_price: Option<u64>,
    /// Shares it holds, from its fills (and its portfolio at start).
    held_shares: u64,
    /// What the held shares cost, in credits; 0 while unknown.
    cost_credits: u128,
    traded_at_ms: Option<u64>,
}

impl TrendFollower {
    /// A trend follower.
    ///
    /// # Panics
    /// If the configuration is invalid ([`TrendConfig::validate`]).
    pub fn new(config: TrendConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        let samples = VecDeque::with_capacity(config.long_window_samples);
        Self {
            config,
            samples,
            trade_price: None,
            held_shares: 0,
            cost_credits: 0,
            traded_at_ms: None,
        }
    }

    /// The average entry price of the shares it holds, if known.
    pub fn average_entry_price(&self) -> Option<f64> {
        (self.held_shares > 0 && self.cost_credits > 0)
            .then(|| self.cost_credits as f64 / self.held_shares as f64)
    }

    /// The trend strength `τ` over its samples, once it has a full long window.
    pub fn trend_strength(&self) -> Option<f64> {
        if self.samples.len() < self.config.long_window_samples {
            return None;
        }
        let mean = |n: usize| {
            let sum: u64 = self.samples.iter().rev().take(n).sum();
            sum as f64 / n as f64
        };
        let long = mean(self.config.long_window_samples);
        let short = mean(self.config.short_window_samples);
        (long > 0.0).then(|| (short - long) / long)
    }

    fn sample(&mut self, ctx: &Ctx<'_>) -> Option<u64> {
        let price = self.trade_price.take().or(ctx.market.mid())?;
        if self.samples.len() == self.config.long_window_samples {
            self.samples.pop_front();
        }
        self.samples.push_back(price);
        if self.held_shares > 0 && self.cost_credits == 0 {
            // Shares it held at start: count them at the first price it sees.
            self.cost_credits = u128::from(self.held_shares) * u128::from(price);
        }
        Some(price)
    }

    fn tick(&mut self, ctx: &mut Ctx<'_>) {
        let Some(price) = self.sample(ctx) else {
            return;
        };
        let since_ms = self.traded_at_ms.map(|at| ctx.now_ms.saturating_sub(at));
        if since_ms.is_some_and(|since| since <= self.config.trade_interval_min_ms) {
            return;
        }
        if self.should_exit(price) {
            let shares = ctx.portfolio.shares_available;
            self.sell(shares, ctx);
            return;
        }
        let Some(tau) = self.trend_strength() else {
            return;
        };
        let theta = self.config.trend_threshold_bp as f64 / BP_PER_UNIT;
        let phi = self.config.skip_bp as f64 / BP_PER_UNIT;
        if tau > theta && ctx.rng.unit() > phi {
            self.buy(ctx);
        } else if tau < -theta && ctx.rng.unit() > phi {
            let shares = self
                .config
                .order_quantity
                .min(ctx.portfolio.shares_available);
            self.sell(shares, ctx);
        }
    }

    /// Whether the price calls for a stop-loss or take-profit.
    fn should_exit(&self, price: u64) -> bool {
        let Some(entry) = self.average_entry_price() else {
            return false;
        };
        let pi = (price as f64 - entry) / entry;
        let stop = self.config.stop_loss_bp as f64 / BP_PER_UNIT;
        let target = self.config.take_profit_bp as f64 / BP_PER_UNIT;
        pi <= -stop || pi >= target
    }

    fn buy(&mut self, ctx: &mut Ctx<'_>) {
        let Some(ask) = ctx.market.ask else {
            return;
        };
        let portfolio = ctx.portfolio;
        let position = portfolio.shares_available + portfolio.shares_held;
        let room = self.config.position_max_shares.saturating_sub(position);
        let affordable = portfolio.credits_available / ask.price;
        let quantity = self.config.order_quantity.min(room).min(affordable);
        if quantity == 0 {
            return;
        }
        assert!(ask.price * quantity <= portfolio.credits_available);
        ctx.limit(Side::Buy, ask.price, quantity, TimeInForce::Ioc);
        self.traded_at_ms = Some(ctx.now_ms);
    }

    fn sell(&mut self, quantity: u64, ctx: &mut Ctx<'_>) {
        let Some(bid) = ctx.market.bid else {
            return;
        };
        if quantity == 0 {
            return;
        }
        assert!(quantity <= ctx.portfolio.shares_available, "long-only");
        ctx.limit(Side::Sell, bid.price, quantity, TimeInForce::Ioc);
        self.traded_at_ms = Some(ctx.now_ms);
    }

    /// Updates its holdings and cost basis with one of its fills.
    fn filled(&mut self, side: Side, price: u64, quantity: u64) {
        match side {
            Side::Buy => {
                self.held_shares += quantity;
                self.cost_credits += u128::from(price) * u128::from(quantity);
            }
            Side::Sell => {
                let sold = quantity.min(self.held_shares);
                let share = self.cost_credits * u128::from(sold);
                self.cost_credits -= share / u128::from(self.held_shares.max(1));
                self.held_shares -= sold;
                if self.held_shares == 0 {
                    self.cost_credits = 0;
                }
            }
        }
    }
}

impl Strategy for TrendFollower {
    fn name(&self) -> &'static str {
        "trend"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    /// It follows trade prices and decides on its timer; quotes do not concern it.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs {
            quotes: false,
            trades: true,
        }
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        match *input {
            Input::Start => {
                self.held_shares = ctx.portfolio.shares_available + ctx.portfolio.shares_held;
            }
            Input::Tick => self.tick(ctx),
            Input::Trade { price, .. } => self.trade_price = Some(price),
            Input::Filled {
                side,
                price,
                quantity,
                ..
            } => self.filled(side, price, quantity),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};
    use crate::strategy::{Action, OrderDone};

    /// Passes every signal (`φ = 0`) and trades at most every 5 s.
    fn eager() -> TrendConfig {
        TrendConfig {
            skip_bp: 0,
            ..TrendConfig::default()
        }
    }

    /// Reacts to risk only: no trend is strong enough.
    fn risk_only() -> TrendConfig {
        TrendConfig {
            trend_threshold_bp: 10_000,
            ..eager()
        }
    }

    fn harness(credits: u64, shares: u64) -> Harness {
        let mut h = Harness::new(1);
        h.portfolio.credits_available = credits;
        h.portfolio.shares_available = shares;
        h
    }

    fn start(h: &mut Harness, config: TrendConfig) -> TrendFollower {
        let mut t = TrendFollower::new(config);
        assert!(h.run(&mut t, Input::Start).is_empty());
        t
    }

    /// Fills its order completely at `price`, as the runner would report it.
    fn fill(h: &mut Harness, t: &mut TrendFollower, side: Side, price: u64, quantity: u64) {
        let p = &mut h.portfolio;
        if side == Side::Buy {
            p.shares_available += quantity;
            p.credits_available -= price * quantity;
        } else {
            p.shares_available -= quantity;
            p.credits_available += price * quantity;
        }
        let client_id = h.next_client_id;
        h.run(
            t,
            Input::Filled {
                client_id,
                side,
                price,
                quantity,
            },
        );
        let why = OrderDone::Filled;
        h.run(t, Input::Done { client_id, why });
    }

    /// One tick one second later with the book at `mid ± 1`; its orders fill completely.
    fn tick_at(h: &mut Harness, t: &mut TrendFollower, mid: u64) -> Vec<Action> {
        h.now_ms += 1000;
        h.book(Some((mid - 1, 10)), Some((mid + 1, 10)));
        let actions = h.run(t, Input::Tick);
        for (side, price, quantity) in placements(&actions) {
            fill(h, t, side, price.expect("limit orders"), quantity);
        }
        actions
    }

    /// The orders of `ticks` ticks with the mid at `mid(i)`.
    fn run(
        h: &mut Harness,
        t: &mut TrendFollower,
        ticks: u64,
        mid: impl Fn(u64) -> u64,
    ) -> Vec<(Side, Option<u64>, u64)> {
        (0..ticks)
            .flat_map(|i| placements(&tick_at(h, t, mid(i))))
            .collect()
    }

    #[test]
    fn buys_on_an_up_trend_once_the_window_is_full() {
        let mut h = harness(10_000, 0);
        let mut t = start(&mut h, eager());
        assert!(
            run(&mut h, &mut t, 19, |i| 100 + i).is_empty(),
            "window not full"
        );
        let actions = tick_at(&mut h, &mut t, 119);
        let tau = t.trend_strength().expect("a full window");
        assert!(tau > 0.001, "{tau}");
        assert_eq!(placements(&actions), vec![(Side::Buy, Some(120), 2)]);
        let ioc = matches!(
            actions[0],
            Action::Place {
                time_in_force: TimeInForce::Ioc,
                ..
            }
        );
        assert!(ioc, "a marketable immediate-or-cancel limit");
    }

    #[test]
    fn does_nothing_on_a_flat_market() {
        let mut h = harness(10_000, 5);
        let mut t = start(&mut h, eager());
        assert!(run(&mut h, &mut t, 60, |_| 100).is_empty());
        assert_eq!(t.trend_strength(), Some(0.0));
    }

    #[test]
    fn sells_on_a_down_trend_only_what_it_holds() {
        let config = TrendConfig {
            stop_loss_bp: 10_000,
            ..eager()
        };
        let mut h = harness(10_000, 1);
        let mut t = start(&mut h, config.clone());
        let sold = run(&mut h, &mut t, 40, |i| 200 - i);
        assert_eq!(sold, vec![(Side::Sell, Some(180), 1)], "it held one share");
        assert_eq!(h.portfolio.shares_available, 0);
        let mut h = harness(10_000, 0);
        let mut t = start(&mut h, config);
        assert!(
            run(&mut h, &mut t, 40, |i| 200 - i).is_empty(),
            "nothing to sell"
        );
    }

    #[test]
    fn buys_within_its_cap_and_its_credits() {
        let config = TrendConfig {
            take_profit_bp: 100_000,
            ..eager()
        };
        let mut h = harness(10_000, 9);
        let mut t = start(&mut h, config.clone());
        let bought = run(&mut h, &mut t, 60, |i| 100 + i);
        assert_eq!(
            bought,
            vec![(Side::Buy, Some(120), 1)],
            "capped at 10 shares"
        );
        let mut h = harness(250, 0);
        let mut t = start(&mut h, config.clone());
        let bought = run(&mut h, &mut t, 60, |i| 100 + i);
        assert_eq!(
            bought,
            vec![(Side::Buy, Some(120), 2)],
            "250 credits pay for 2"
        );
        let mut h = harness(119, 0);
        let mut t = start(&mut h, config);
        assert!(
            run(&mut h, &mut t, 60, |i| 100 + i).is_empty(),
            "cannot pay 120"
        );
    }

    #[test]
    fn respects_the_minimum_interval_between_trades() {
        let mut h = harness(1_000_000, 0);
        let config = TrendConfig {
            position_max_shares: 1000,
            ..eager()
        };
        let mut t = start(&mut h, config);
        let mut trades_at = vec![];
        for i in 0..60 {
            if !tick_at(&mut h, &mut t, 100 + i).is_empty() {
                trades_at.push(h.now_ms);
            }
        }
        assert!(trades_at.len() > 3, "{trades_at:?}");
        assert!(
            trades_at.windows(2).all(|w| w[1] - w[0] > 5000),
            "{trades_at:?}"
        );
    }

    #[test]
    fn the_skip_probability_filters_signals() {
        let config = |skip_bp| TrendConfig {
            skip_bp,
            trade_interval_min_ms: 0,
            position_max_shares: 1_000_000,
            take_profit_bp: 1_000_000,
            ..TrendConfig::default()
        };
        let mut h = harness(1_000_000_000, 0);
        let mut t = start(&mut h, config(10_000));
        assert!(run(&mut h, &mut t, 60, |i| 100 + i).is_empty(), "φ = 1");
        let mut h = harness(1_000_000_000, 0);
        let mut t = start(&mut h, config(7000));
        let trades = run(&mut h, &mut t, 2019, |i| 100 + i).len();
        let rate = trades as f64 / 2000.0;
        assert!(
            (rate - 0.3).abs() < 0.03,
            "φ = 0.7 lets 30 % through: {rate}"
        );
    }

    #[test]
    fn stops_the_loss_below_the_average_entry_price() {
        let mut h = harness(10_000, 0);
        let mut t = start(&mut h, risk_only());
        run(&mut h, &mut t, 20, |_| 100);
        fill(&mut h, &mut t, Side::Buy, 100, 1);
        fill(&mut h, &mut t, Side::Buy, 110, 1);
        assert_eq!(t.average_entry_price(), Some(105.0));
        assert!(tick_at(&mut h, &mut t, 103).is_empty(), "down 1.9 %");
        let actions = tick_at(&mut h, &mut t, 102);
        assert_eq!(placements(&actions), vec![(Side::Sell, Some(101), 2)]);
        assert_eq!(t.average_entry_price(), None, "all sold");
    }

    #[test]
    fn takes_the_profit_above_the_average_entry_price() {
        let mut h = harness(10_000, 0);
        let mut t = start(&mut h, risk_only());
        run(&mut h, &mut t, 20, |_| 100);
        fill(&mut h, &mut t, Side::Buy, 100, 3);
        assert!(tick_at(&mut h, &mut t, 103).is_empty(), "up 3 %");
        let actions = tick_at(&mut h, &mut t, 104);
        assert_eq!(placements(&actions), vec![(Side::Sell, Some(103), 3)]);
    }

    #[test]
    fn risk_exits_wait_for_the_minimum_interval() {
        let mut h = harness(10_000, 0);
        let mut t = start(&mut h, risk_only());
        run(&mut h, &mut t, 20, |_| 100);
        t.traded_at_ms = Some(h.now_ms);
        fill(&mut h, &mut t, Side::Buy, 100, 3);
        assert!(run(&mut h, &mut t, 5, |_| 90).is_empty(), "within 5 s");
        assert_eq!(
            run(&mut h, &mut t, 1, |_| 90),
            vec![(Side::Sell, Some(89), 3)]
        );
    }

    #[test]
    fn the_cost_basis_follows_partial_sales() {
        let mut t = TrendFollower::new(eager());
        t.filled(Side::Buy, 100, 2);
        t.filled(Side::Buy, 130, 1);
        assert_eq!(t.average_entry_price(), Some(110.0));
        t.filled(Side::Sell, 150, 2);
        assert_eq!(t.average_entry_price(), Some(110.0));
        t.filled(Side::Sell, 150, 5);
        assert_eq!(t.average_entry_price(), None);
    }
}
