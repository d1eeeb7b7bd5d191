//! The standard populations: counts, endowments and configurations of the real strategies,
//! which [`Population::cast`] turns into a [`Cast`].

use super::cast::{BotSpec, Cast};
use crate::net::market::{
    DEMO_SKEW_STEP_SHARES, DEMO_SURPLUS_THRESHOLD_CREDITS, DEMO_TARGET_DRIFT_MS,
};
use crate::strategies::{
    MarketMaker, MarketMakerConfig, NoiseConfig, NoiseTrader, Orchestrator, OrchestratorConfig,
    RandomTrader, RandomTraderConfig, TrendConfig, TrendFollower, ValueConfig, ValueTrader,
};
use crate::strategy::Strategy;
use exchange_core::{AccountKind, Symbol};

/// What the operator gives a bot before the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endowment {
    /// Credits deposited.
    pub credits: u64,
    /// Shares of the ticker issued.
    pub shares: u64,
}

/// `count` bots of one strategy, each with the same endowment and configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Group<C> {
    /// How many.
    pub count: u32,
    /// What each is given.
    pub endowment: Endowment,
    /// How each behaves.
    pub config: C,
}

impl<C> Group<C> {
    /// `count` bots with `credits` and `shares` each.
    pub fn of(count: u32, credits: u64, shares: u64, config: C) -> Self {
        let endowment = Endowment { credits, shares };
        Self {
            count,
            endowment,
            config,
        }
    }
}

/// A market's participants by strategy.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// The ticker.
    pub symbol: Symbol,
    /// Market makers, which keep the book two-sided.
    pub market_makers: Group<MarketMakerConfig>,
    /// Orchestrators, which start, fund and relaunch noise traders.
    pub orchestrators: Group<OrchestratorConfig>,
    /// The noise traders the orchestrators start (funded by them, so no endowment).
    pub noise_traders: NoiseConfig,
    /// Trend followers.
    pub trend_followers: Group<TrendConfig>,
    /// ABIDES-like zero-intelligence random traders.
    pub random_traders: Group<RandomTraderConfig>,
    /// Value traders, which buy below and sell above a fixed value.
    pub value_traders: Group<ValueConfig>,
}

/// The demo market's ticker.
const DEMO_SYMBOL: &str = "MNAD";

impl Default for Population {
    /// The demo market mirrored at a finer price scale: one ticker, MNAD, quoted from 1,000
    /// credits a share, so a one-credit tick is a tenth of a percent rather than the demo's
    /// 3 % at a price of 30 (at which the price's random walk reaches the floor of 1 within
    /// hours). One market maker, funded generously enough to keep the book two-sided for
    /// hours, sends its surplus credits to one orchestrator, whose credits fund twenty
    /// noise traders at a time; one trend follower and six random traders complete it.
    fn default() -> Self {
        let market_maker = MarketMakerConfig {
            fallback_bid_ticks: 1_000,
            fallback_ask_ticks: 1_005,
            // Credits above its endowment go to the orchestrator, to fund more traders.
            alert_threshold_credits: 5_050_000,
            ..MarketMakerConfig::default()
        };
        let orchestrator = OrchestratorConfig {
            stake_credits: 2_000,
            ..OrchestratorConfig::default()
        };
        Self {
            symbol: Symbol::new(DEMO_SYMBOL).expect("a valid symbol"),
            market_makers: Group::of(1, 5_000_000, 10_000, market_maker),
            orchestrators: Group::of(1, 40_000, 0, orchestrator),
            noise_traders: NoiseConfig::default(),
            trend_followers: Group::of(1, 50_000, 20, TrendConfig::default()),
            random_traders: Group::of(6, 100_000, 100, RandomTraderConfig::default()),
            value_traders: Group::of(0, 0, 0, ValueConfig::default()),
        }
    }
}

impl Population {
    /// The live demo's market, as `live-market` runs it on the demo bootstrap
    /// (`exchange-server/bootstrap/demo.toml`), at the demo's price scale: two market makers
    /// with 20,000 credits and 400 shares each, quoting from 30/35 with the demo's surplus
    /// threshold and skew step; the orchestrator's 1,100 credits, 150 per noise trader; and
    /// a trend follower with the 1,000 credits a new user gets.
    pub fn demo() -> Self {
        let market_maker = MarketMakerConfig {
            alert_threshold_credits: DEMO_SURPLUS_THRESHOLD_CREDITS,
            skew_step_shares: DEMO_SKEW_STEP_SHARES,
            target_drift_ms: DEMO_TARGET_DRIFT_MS,
            ..MarketMakerConfig::default()
        };
        Self {
            symbol: Symbol::new(DEMO_SYMBOL).expect("a valid symbol"),
            market_makers: Group::of(2, 20_000, 400, market_maker),
            orchestrators: Group::of(1, 1_100, 0, OrchestratorConfig::default()),
            noise_traders: NoiseConfig::default(),
            trend_followers: Group::of(1, 1_000, 0, TrendConfig::default()),
            random_traders: Group::of(0, 0, 0, RandomTraderConfig::default()),
            value_traders: Group::of(0, 0, 0, ValueConfig::default()),
        }
    }

    /// The default market with four value traders added, who hold the share to be worth its
    /// starting price of 1,000: each has 100,000 credits and 50 shares, and holds at most 100.
    /// Nothing else in the default market pulls the price back when it wanders.
    pub fn value() -> Self {
        let value = ValueConfig {
            position_max_shares: 500,
            ..ValueConfig::default()
        };
        Self {
            value_traders: Group::of(4, 500_000, 100, value),
            ..Self::default()
        }
    }

    /// The population called `name`: `default` ([`Population::default`]), `small` (one bot
    /// of each kind, for quick runs), `demo` ([`Population::demo`]) or `value`
    /// ([`Population::value`]).
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "default" => Some(Self::default()),
            "demo" => Some(Self::demo()),
            "value" => Some(Self::value()),
            "small" => {
                let mut small = Self::default();
                small.random_traders.count = 1;
                small.orchestrators.endowment.credits = 20_000;
                Some(small)
            }
            _ => None,
        }
    }

    /// The names [`Population::named`] knows.
    pub const NAMES: [&'static str; 4] = ["default", "small", "demo", "value"];

    /// The bots, in account order: market makers first (so the book fills first), then
    /// orchestrators, trend followers and random traders.
    pub fn cast(&self) -> Cast {
        let mut bots = Vec::new();
        add(&mut bots, &self.market_makers, AccountKind::Standard, |c| {
            Box::new(MarketMaker::new(c.clone()))
        });
        add(
            &mut bots,
            &self.orchestrators,
            AccountKind::Orchestrator,
            |c| Box::new(Orchestrator::new(c.clone())),
        );
        add(
            &mut bots,
            &self.trend_followers,
            AccountKind::Standard,
            |c| Box::new(TrendFollower::new(c.clone())),
        );
        add(
            &mut bots,
            &self.random_traders,
            AccountKind::Standard,
            |c| Box::new(RandomTrader::new(c.clone())),
        );
        add(&mut bots, &self.value_traders, AccountKind::Standard, |c| {
            Box::new(ValueTrader::new(c.clone()))
        });
        let noise = self.noise_traders.clone();
        Cast {
            symbol: self.symbol,
            bots,
            trader: Some(Box::new(move || Box::new(NoiseTrader::new(noise.clone())))),
        }
    }

    /// Bots in the cast (not counting the traders orchestrators will start).
    pub fn cast_size(&self) -> u32 {
        self.market_makers.count
            + self.orchestrators.count
            + self.trend_followers.count
            + self.random_traders.count
            + self.value_traders.count
    }
}

/// Appends a group's bots.
fn add<C>(
    bots: &mut Vec<BotSpec>,
    group: &Group<C>,
    kind: AccountKind,
    make: impl Fn(&C) -> Box<dyn Strategy>,
) {
    for _ in 0..group.count {
        bots.push(BotSpec {
            kind,
            credits: group.endowment.credits,
            shares: group.endowment.shares,
            strategy: make(&group.config),
        });
    }
}
