//! The market maker (seed-spec 5.1), with the seed's defects fixed.
//!
//! It posts [`MarketMakerConfig::levels`] bids and asks of
//! [`MarketMakerConfig::level_quantity`] shares around the market, and re-quotes (cancel
//! all, post anew) whenever the best bid or ask differs from the top of book its last quote
//! should have produced: its own quotes, or better prices of others it quoted behind. A
//! market that merely keeps its own quotes on top triggers nothing. The seed instead
//! compared half-spreads, so a shifted market with the same spread went unanswered.
//!
//! The next quote, with `s` its current spread:
//! - both sides present: `bid = mid − s/2`, `ask = bid + s`; when the bid falls between
//!   two ticks it keeps to the one nearer its posted bid, so that a half-tick change of the
//!   mid moves it neither way;
//! - asks only: `ask = best ask − 1`, `bid = ask − s`;
//! - bids only: `bid = best bid + 1`, `ask = bid + s` (the price drifts up after the asks
//!   were bought out, as in the seed);
//! - empty book: around the last trade price, or the fallback quote when there was none.
//!   An empty book after it had quoted means both its sides were taken: it widens by one
//!   tick, up to [`MarketMakerConfig::spread_max_ticks`].
//!
//! Then it shifts both prices down by one tick per [`MarketMakerConfig::skew_step_shares`]
//! it holds above its inventory target (up when below), shifts the quote up if the bid
//! would fall below 1, and never crosses the book. The shift is from the market, not from
//! its own last quote: a best price that only it quotes still carries its last shift, which
//! it takes back out before centring. Otherwise a market maker a few shares short would
//! raise its quote by the whole skew at every re-quote, and the price would climb for as
//! long as nobody sold it back its shares. For the same reason it bids at most
//! [`MarketMakerConfig::skew_max_ticks`] above the last trade price, and asks at most that
//! far below it: two market makers following each other's quotes, one of them skewed,
//! chased each other a tick per re-quote without a single trade (the demo's price went from
//! 70 to 370 within seconds). Each side is sized to what it can afford (credits for bids,
//! shares for asks), so when one runs out it quotes the other side alone instead of posting
//! orders the exchange refuses.
//!
//! Like the seed, it sets a balance alert above [`MarketMakerConfig::alert_threshold_credits`]
//! at start; when it fires it sends the surplus to the orchestrator and narrows its spread
//! by one tick with probability `exp(−1/spread)`, down to the floor (the seed's integer
//! division made that probability 1). Unlike the seed, the surplus leaves out what buying
//! back the shares it holds below its inventory target would cost: credits it was paid for
//! its inventory are not profit. Sent away, they funded new traders who hold only credits
//! and so can only buy, and the demo market's price climbed without end. What an alert
//! leaves behind (credits held by bids, or kept for a buy-back it has since made) goes on a
//! later tick, once it comes to [`MarketMakerConfig::surplus_min_credits`]: the alert fires
//! only on a crossing, and a market maker that stayed above its threshold kept that profit
//! for good, so the orchestrator ran out of stakes and the demo's traders died out.

use crate::strategy::{Action, Ctx, Input, InvalidConfig, Level, Portfolio, Strategy};
use exchange_core::{AlertDirection, Side, TimeInForce};
use std::collections::BTreeSet;

/// The inventory the market maker skews its quotes towards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryTarget {
    /// The shares it holds at start.
    AtStart,
    /// A fixed number of shares.
    Shares(u64),
}

/// The market maker's parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct MarketMakerConfig {
    /// Time between ticks, on which it retries quoting and transfers. Default 1000.
    pub tick_interval_ms: u64,
    /// Shares per order at each level. Default 3 (the seed's `marketSize`).
    pub level_quantity: u64,
    /// Price levels per side. Default 1.
    pub levels: u64,
    /// Ticks between consecutive levels on one side. Default 1.
    pub level_step_ticks: u64,
    /// The initial spread between its best bid and ask. Default 5.
    pub spread_ticks: u64,
    /// The narrowest spread it narrows to. Default 2.
    pub spread_floor_ticks: u64,
    /// The widest spread it widens to on an empty book. Default 10.
    pub spread_max_ticks: u64,
    /// The bid it posts on an empty book with no trade price known. Default 30.
    pub fallback_bid_ticks: u64,
    /// The ask it posts on an empty book with no trade price known. Default 35.
    pub fallback_ask_ticks: u64,
    /// The inventory it skews towards. Default [`InventoryTarget::AtStart`].
    pub inventory_target: InventoryTarget,
    /// Shares away from the target per tick of skew. Default 10.
    pub skew_step_shares: u64,
    /// The largest skew. Default 2 (0 disables skewing).
    pub skew_max_ticks: u64,
    /// Every this many milliseconds, its inventory target moves one share toward what it
    /// holds, so that shares others keep for good stop skewing its quote for good: without
    /// this, a user who bought twenty shares of the demo lifted its price by half or more.
    /// Default 0 (the target never moves).
    pub target_drift_ms: u64,
    /// Credits (available plus held) above which it sends the surplus, less the cost of
    /// buying back the shares it is short of its inventory target, to the orchestrator.
    /// Default 650.
    pub alert_threshold_credits: u64,
    /// The least surplus it sends on a tick, between alerts: what an alert left behind
    /// (credits its bids held, or kept for a buy-back it has since made) leaves in amounts
    /// of at least this, not a credit at a time. Default 150, the orchestrator's default
    /// stake: enough for one more trader.
    pub surplus_min_credits: u64,
    /// How long it waits for the exchange to acknowledge a quote before quoting again.
    /// Default 5000.
    pub ack_timeout_ms: u64,
    /// Re-quotes allowed at one timestamp, a circuit breaker against a runner that would
    /// feed it its own changes forever. Default 16.
    pub requotes_per_ms_max: u32,
}

impl Default for MarketMakerConfig {
    fn default() -> Self {
        Self {
            tick_interval_ms: 1000,
            level_quantity: 3,
            levels: 1,
            level_step_ticks: 1,
            spread_ticks: 5,
            spread_floor_ticks: 2,
            spread_max_ticks: 10,
            fallback_bid_ticks: 30,
            fallback_ask_ticks: 35,
            inventory_target: InventoryTarget::AtStart,
            skew_step_shares: 10,
            skew_max_ticks: 2,
            target_drift_ms: 0,
            alert_threshold_credits: 650,
            surplus_min_credits: 150,
            ack_timeout_ms: 5000,
            requotes_per_ms_max: 16,
        }
    }
}

impl MarketMakerConfig {
    /// Whether a market maker can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.level_quantity > 0,
            "the level quantity must be at least 1 share",
        )?;
        check(
            self.levels > 0,
            "a market maker must quote at least 1 level a side",
        )?;
        check(
            self.spread_floor_ticks > 0,
            "the spread floor must be at least 1 tick (a zero spread would cross)",
        )?;
        check(
            self.spread_floor_ticks <= self.spread_ticks,
            "the spread must not be below the spread floor",
        )?;
        check(
            self.spread_ticks <= self.spread_max_ticks,
            "the spread must not be above the widest spread",
        )?;
        check(
            self.fallback_bid_ticks > 0,
            "the fallback bid must be at least 1",
        )?;
        check(
            self.fallback_bid_ticks < self.fallback_ask_ticks,
            "the fallback bid must be below the fallback ask",
        )?;
        check(
            self.skew_step_shares > 0,
            "the skew step must be at least 1 share",
        )
    }
}

/// Best bid and ask prices; `None` for an empty side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The best bid, credits per share.
    pub bid: Option<u64>,
    /// The best ask, credits per share.
    pub ask: Option<u64>,
}

/// A two-sided market maker that skews by inventory and skims its surplus.
#[derive(Clone, Debug)]
pub struct MarketMaker {
    config: MarketMakerConfig,
    spread_ticks: u64,
    target_shares: u64,
    /// The top of book its last quote should have produced.
    expected: Option<Quote>,
    /// The best prices its last quote posted.
    posted: Quote,
    /// Its last quote's orders the exchange has not acknowledged yet.
    unacknowledged: BTreeSet<u64>,
    quoted_at_ms: u64,
    requotes_at_ms: u32,
    /// The skew its last quote was shifted by, in ticks (positive: down).
    skew_posted: i128,
    /// When its inventory target last moved toward its holdings.
    drifted_at_ms: u64,
}

impl MarketMaker {
    /// A market maker; it quotes on [`Input::Start`].
    ///
    /// # Panics
    /// If the configuration is invalid ([`MarketMakerConfig::validate`]).
    pub fn new(config: MarketMakerConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        let target_shares = match config.inventory_target {
            InventoryTarget::AtStart => 0,
            InventoryTarget::Shares(shares) => shares,
        };
        Self {
            spread_ticks: config.spread_ticks,
            config,
            target_shares,
            expected: None,
            posted: Quote {
                bid: None,
                ask: None,
            },
            unacknowledged: BTreeSet::new(),
            quoted_at_ms: 0,
            requotes_at_ms: 0,
            skew_posted: 0,
            drifted_at_ms: 0,
        }
    }

    /// Its current spread.
    pub fn spread_ticks(&self) -> u64 {
        self.spread_ticks
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        if self.config.inventory_target == InventoryTarget::AtStart {
            self.target_shares = shares_total(ctx.portfolio);
        }
        ctx.act(Action::SetAlert {
            direction: AlertDirection::Above,
            threshold: self.config.alert_threshold_credits,
        });
        self.requote(ctx);
    }

    /// Re-quotes if the top of book is not what its last quote should have produced, unless
    /// that quote is still unacknowledged.
    fn maybe_requote(&mut self, ctx: &mut Ctx<'_>) {
        let orders = &ctx.portfolio.orders;
        self.unacknowledged.retain(|id| !orders.contains_key(id));
        let waited_ms = ctx.now_ms.saturating_sub(self.quoted_at_ms);
        if !self.unacknowledged.is_empty() && waited_ms < self.config.ack_timeout_ms {
            return;
        }
        let top = Quote {
            bid: ctx.market.bid.map(|level| level.price),
            ask: ctx.market.ask.map(|level| level.price),
        };
        if self.expected == Some(top) && !self.lost_a_side(ctx.portfolio) {
            return;
        }
        if self.quoted_at_ms == ctx.now_ms && self.requotes_at_ms >= self.config.requotes_per_ms_max
        {
            return;
        }
        self.requote(ctx);
    }

    /// Whether a side it posted has no open order left (taken while others kept the price).
    fn lost_a_side(&self, portfolio: &Portfolio) -> bool {
        let open = |side: Side| portfolio.orders.values().any(|order| order.side == side);
        (self.posted.bid.is_some() && !open(Side::Buy))
            || (self.posted.ask.is_some() && !open(Side::Sell))
    }

    /// Cancels its orders and posts a new quote, even where an order already quotes the
    /// right price and so loses its place in the queue. Keeping such orders was tried: the
    /// demo's two market makers then shared the flow evenly, where re-posting leaves nearly
    /// all of it to one; both skewed by inventory, chased each other's quotes, and one of
    /// fourteen demo seeds ran from about 30 to about 90 within six virtual hours.
    fn requote(&mut self, ctx: &mut Ctx<'_>) {
        let market = ctx.market;
        if self.expected.is_some() && market.bid.is_none() && market.ask.is_none() {
            self.spread_ticks = (self.spread_ticks + 1).min(self.config.spread_max_ticks);
        }
        let quote = self.next_quote(ctx);
        self.skew_posted = self.skew_ticks(ctx.portfolio);
        if !ctx.portfolio.orders.is_empty() {
            ctx.act(Action::CancelAll);
        }
        let placed = self.post(quote, ctx);
        self.posted = placed;
        let others = Quote {
            bid: others_price(market.bid, Side::Buy, ctx.portfolio),
            ask: others_price(market.ask, Side::Sell, ctx.portfolio),
        };
        self.expected = Some(Quote {
            bid: placed.bid.max(others.bid),
            ask: lowest(placed.ask, others.ask),
        });
        if self.quoted_at_ms == ctx.now_ms {
            self.requotes_at_ms += 1;
        } else {
            self.requotes_at_ms = 1;
        }
        self.quoted_at_ms = ctx.now_ms;
    }

    /// The quote it would post now, before sizing: positive prices, bid below ask, not
    /// crossing the book.
    fn next_quote(&self, ctx: &Ctx<'_>) -> Quote {
        let market = ctx.market;
        let s = i128::from(self.spread_ticks);
        let best_bid = self.reference(market.bid, Side::Buy, ctx.portfolio);
        let best_ask = self.reference(market.ask, Side::Sell, ctx.portfolio);
        let (mut bid, mut ask) = match (best_bid, best_ask) {
            (Some(best_bid), Some(best_ask)) => {
                let bid = self.centred_bid(best_bid + best_ask, s);
                (bid, bid + s)
            }
            (None, Some(best)) => (best - 1 - s, best - 1),
            (Some(best), None) => (best + 1, best + 1 + s),
            (None, None) => match market.last_price {
                Some(last) => (i128::from(last) - s / 2, i128::from(last) - s / 2 + s),
                None => (
                    i128::from(self.config.fallback_bid_ticks),
                    i128::from(self.config.fallback_ask_ticks),
                ),
            },
        };
        let skew = self.skew_ticks(ctx.portfolio);
        bid -= skew;
        ask -= skew;
        if let Some(last) = market.last_price {
            let (last, reach) = (i128::from(last), i128::from(self.config.skew_max_ticks));
            let over = bid - (last + reach);
            if over > 0 {
                (bid, ask) = (bid - over, ask - over);
            }
            let under = (last - reach) - ask;
            if under > 0 {
                (bid, ask) = (bid + under, ask + under);
            }
        }
        if bid < 1 {
            ask += 1 - bid;
            bid = 1;
        }
        if let Some(best_ask) = market.ask {
            bid = bid.min(i128::from(best_ask.price) - 1);
        }
        if let Some(best_bid) = market.bid {
            ask = ask.max(i128::from(best_bid.price) + 1);
        }
        let quote = Quote {
            bid: u64::try_from(bid).ok().filter(|&price| price > 0),
            ask: u64::try_from(ask).ok().filter(|&price| price > 0),
        };
        if let (Some(bid), Some(ask)) = (quote.bid, quote.ask) {
            assert!(bid < ask, "a quote's bid {bid} is below its ask {ask}");
        }
        quote
    }

    /// Its bid, before its skew, for a spread of `s` around a market whose best prices sum
    /// to `sum`. When the mid falls between ticks, it keeps to the rounding nearer its
    /// posted bid, so a half-tick change of the mid moves it neither way. Always rounding
    /// down moved its quote down a tick when its bid was taken but not up when its ask was,
    /// and the price sank a tick at a time.
    fn centred_bid(&self, sum: i128, s: i128) -> i128 {
        let low = (sum - s).div_euclid(2);
        if (sum - s).rem_euclid(2) == 0 {
            return low;
        }
        let Some(posted) = self.posted.bid else {
            return sum.div_euclid(2) - s / 2;
        };
        let posted = i128::from(posted) + self.skew_posted;
        if (low + 1 - posted).abs() < (low - posted).abs() {
            low + 1
        } else {
            low
        }
    }

    /// The best price on `side` that it centres on: the book's, as the market would show it
    /// without its last skew (a price only it quotes moves back by the skew it was posted
    /// with; a price others quote too stays), but never worse than the price it last posted
    /// there. So a quote of its own that buyers or sellers used up is re-posted where it was,
    /// rather than moved to the next price in the book. That next price may be another
    /// market maker's skewed quote: following it moved the quote a tick each time one side
    /// was used up and never back, a ratchet that lifted the live demo from 33 to 46 after a
    /// user bought twenty shares.
    fn reference(&self, level: Option<Level>, side: Side, portfolio: &Portfolio) -> Option<i128> {
        let book = level.map(|level| {
            let price = i128::from(level.price);
            match others_price(Some(level), side, portfolio) {
                Some(_) => price,
                None => price + self.skew_posted,
            }
        });
        let posted = match side {
            Side::Buy => self.posted.bid,
            Side::Sell => self.posted.ask,
        };
        let own = posted.map(|price| i128::from(price) + self.skew_posted);
        match (book, own) {
            (Some(book), Some(own)) if side == Side::Buy => Some(book.max(own)),
            (Some(book), Some(own)) => Some(book.min(own)),
            (book, own) => book.or(own),
        }
    }

    /// Ticks to shift its quote down: positive when it holds more than its target.
    fn skew_ticks(&self, portfolio: &Portfolio) -> i128 {
        let excess = i128::from(shares_total(portfolio)) - i128::from(self.target_shares);
        let skew = excess / i128::from(self.config.skew_step_shares);
        let max = i128::from(self.config.skew_max_ticks);
        skew.clamp(-max, max)
    }

    /// Posts the levels of `quote` it can afford once its orders are cancelled; returns the
    /// best prices it posted.
    fn post(&mut self, quote: Quote, ctx: &mut Ctx<'_>) -> Quote {
        let portfolio = ctx.portfolio;
        let mut credits = portfolio.credits_available + portfolio.credits_held;
        let mut shares = shares_total(portfolio);
        let mut placed = Quote {
            bid: None,
            ask: None,
        };
        self.unacknowledged.clear();
        for level in 0..self.config.levels {
            let step = level.saturating_mul(self.config.level_step_ticks);
            let bid = quote.bid.and_then(|bid| bid.checked_sub(step));
            if let Some(price) = bid.filter(|&price| price > 0) {
                let quantity = self.config.level_quantity.min(credits / price);
                if quantity > 0 {
                    credits -= price * quantity;
                    self.unacknowledged.insert(ctx.limit(
                        Side::Buy,
                        price,
                        quantity,
                        TimeInForce::Gtc,
                    ));
                    placed.bid = placed.bid.or(Some(price));
                }
            }
            if let Some(price) = quote.ask.and_then(|ask| ask.checked_add(step)) {
                let quantity = self.config.level_quantity.min(shares);
                if quantity > 0 {
                    shares -= quantity;
                    self.unacknowledged.insert(ctx.limit(
                        Side::Sell,
                        price,
                        quantity,
                        TimeInForce::Gtc,
                    ));
                    placed.ask = placed.ask.or(Some(price));
                }
            }
        }
        placed
    }

    /// Sends what it can of its credits above `threshold`, less what buying back the shares
    /// it is short of its target would cost, to the orchestrator, if that comes to at least
    /// `least` credits; returns whether it sent any.
    fn skim(&mut self, balance: u64, threshold: u64, least: u64, ctx: &mut Ctx<'_>) -> bool {
        let above = balance.saturating_sub(threshold);
        let surplus = above.saturating_sub(self.buyback_credits(ctx));
        let amount = surplus.min(ctx.portfolio.credits_available);
        if amount < least.max(1) {
            return false;
        }
        ctx.act(Action::TransferToOrchestrator { amount });
        true
    }

    /// What buying back the shares it holds below its inventory target would cost at the
    /// best ask, or failing that the last trade or its fallback ask.
    fn buyback_credits(&self, ctx: &Ctx<'_>) -> u64 {
        let short = self
            .target_shares
            .saturating_sub(shares_total(ctx.portfolio));
        let market = ctx.market;
        let price = market
            .ask
            .map(|level| level.price)
            .or(market.last_price)
            .unwrap_or(self.config.fallback_ask_ticks);
        short.saturating_mul(price)
    }

    /// Narrows the spread by one tick with probability `exp(−1/spread)`, down to the floor.
    fn narrow(&mut self, ctx: &mut Ctx<'_>) {
        if self.spread_ticks <= self.config.spread_floor_ticks {
            return;
        }
        let odds = (-1.0 / self.spread_ticks as f64).exp();
        if ctx.rng.unit() < odds {
            self.spread_ticks -= 1;
        }
    }

    /// Sends a surplus the last alert left behind, once it is worth a transfer, and
    /// re-quotes if the book moved. The alert fires only when the balance crosses its
    /// threshold: a market maker that stayed above it after keeping credits for a buy-back
    /// would otherwise hold its profit for good, and the traders it funds would die out.
    fn tick(&mut self, ctx: &mut Ctx<'_>) {
        self.drift_target(ctx);
        let portfolio = ctx.portfolio;
        let balance = portfolio.credits_available + portfolio.credits_held;
        let (threshold, least) = (
            self.config.alert_threshold_credits,
            self.config.surplus_min_credits,
        );
        if self.skim(balance, threshold, least, ctx) {
            return; // Quote on the next input, with the transfer reflected in its funds.
        }
        self.maybe_requote(ctx);
    }

    /// Moves its inventory target a share toward its holdings, once per
    /// [`MarketMakerConfig::target_drift_ms`].
    fn drift_target(&mut self, ctx: &Ctx<'_>) {
        let every = self.config.target_drift_ms;
        if every == 0 || ctx.now_ms < self.drifted_at_ms.saturating_add(every) {
            return;
        }
        self.drifted_at_ms = ctx.now_ms;
        let held = shares_total(ctx.portfolio);
        match held.cmp(&self.target_shares) {
            std::cmp::Ordering::Less => self.target_shares -= 1,
            std::cmp::Ordering::Greater => self.target_shares += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
}

/// Shares it owns, free or held by its asks.
fn shares_total(portfolio: &Portfolio) -> u64 {
    portfolio.shares_available + portfolio.shares_held
}

/// The price of `level` if someone else rests there too, i.e. if it would stay after the
/// bot cancels its own orders.
fn others_price(level: Option<Level>, side: Side, portfolio: &Portfolio) -> Option<u64> {
    let level = level?;
    let own: u64 = portfolio
        .orders
        .values()
        .filter(|order| order.side == side && order.price == level.price)
        .map(|order| order.remaining)
        .sum();
    (own < level.quantity).then_some(level.price)
}

/// The lower of two asks, an empty side being no ask at all.
fn lowest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Strategy for MarketMaker {
    fn name(&self) -> &'static str {
        "market_maker"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        match *input {
            Input::Start => self.start(ctx),
            Input::Tick => self.tick(ctx),
            Input::Alert {
                direction: AlertDirection::Above,
                threshold,
                balance,
            } => {
                self.skim(balance, threshold, 1, ctx);
                self.narrow(ctx);
            }
            Input::Rejected {
                client_id: Some(client_id),
                ..
            } => {
                // No re-quote here: a refusal does not move the book, and answering it at
                // once could loop with the refusal.
                self.unacknowledged.remove(&client_id);
            }
            Input::Filled { client_id, .. } | Input::Done { client_id, .. } => {
                self.unacknowledged.remove(&client_id);
                self.maybe_requote(ctx);
            }
            Input::Quote | Input::Trade { .. } => self.maybe_requote(ctx),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};
    use crate::strategy::OwnOrder;

    /// A tiny exchange for one market maker: others' best levels plus its own orders,
    /// whose placements and cancels it carries out.
    struct Sim {
        h: Harness,
        others_bid: Option<(u64, u64)>,
        others_ask: Option<(u64, u64)>,
        mm: MarketMaker,
    }

    impl Sim {
        fn new(config: MarketMakerConfig, credits: u64, shares: u64) -> Self {
            let mut h = Harness::new(1);
            h.portfolio.credits_available = credits;
            h.portfolio.shares_available = shares;
            let mm = MarketMaker::new(config);
            Self {
                h,
                others_bid: None,
                others_ask: None,
                mm,
            }
        }

        /// Sets others' best levels, then starts the bot; returns its orders.
        fn start(&mut self, bid: Option<(u64, u64)>, ask: Option<(u64, u64)>) -> Vec<Order> {
            self.others_bid = bid;
            self.others_ask = ask;
            self.refresh();
            let actions = self.h.run(&mut self.mm, Input::Start);
            let threshold = 650;
            let alert = Action::SetAlert {
                direction: AlertDirection::Above,
                threshold,
            };
            assert_eq!(actions.first(), Some(&alert));
            self.apply(&actions);
            placements(&actions)
        }

        /// Delivers `input` and carries out the actions.
        fn on(&mut self, input: Input) -> Vec<Action> {
            let actions = self.h.run(&mut self.mm, input);
            self.apply(&actions);
            actions
        }

        /// Changes others' levels and delivers a quote change.
        fn others(&mut self, bid: Option<(u64, u64)>, ask: Option<(u64, u64)>) -> Vec<Action> {
            self.others_bid = bid;
            self.others_ask = ask;
            self.refresh();
            self.on(Input::Quote)
        }

        fn apply(&mut self, actions: &[Action]) {
            let p = &mut self.h.portfolio;
            for action in actions {
                match *action {
                    Action::CancelAll => {
                        p.credits_available += std::mem::take(&mut p.credits_held);
                        p.shares_available += std::mem::take(&mut p.shares_held);
                        p.orders.clear();
                    }
                    Action::Place {
                        client_id,
                        side,
                        price: Some(price),
                        quantity,
                        ..
                    } => {
                        if side == Side::Buy {
                            p.credits_available -= price * quantity;
                            p.credits_held += price * quantity;
                        } else {
                            p.shares_available -= quantity;
                            p.shares_held += quantity;
                        }
                        let remaining = quantity;
                        let order = OwnOrder {
                            side,
                            price,
                            remaining,
                        };
                        p.orders.insert(client_id, order);
                    }
                    _ => {}
                }
            }
            self.refresh();
        }

        /// Recomputes the top of book from others' levels and its own orders.
        fn refresh(&mut self) {
            let own = |side: Side| {
                let orders = self.h.portfolio.orders.values();
                orders
                    .filter(move |o| o.side == side)
                    .map(|o| (o.price, o.remaining))
            };
            let bids = own(Side::Buy).chain(self.others_bid);
            let asks = own(Side::Sell).chain(self.others_ask);
            let best_bid = bids.clone().map(|(price, _)| price).max();
            let best_ask = asks.clone().map(|(price, _)| price).min();
            let at = |best: Option<u64>, levels: &mut dyn Iterator<Item = (u64, u64)>| {
                best.map(|best| {
                    let quantity = levels.filter(|l| l.0 == best).map(|l| l.1).sum();
                    (best, quantity)
                })
            };
            let bid = at(best_bid, &mut bids.clone());
            let ask = at(best_ask, &mut asks.clone());
            self.h.book(bid, ask);
        }

        /// Fills its order `client_id` completely, as a taker would.
        fn take(&mut self, client_id: u64) -> Vec<Action> {
            let p = &mut self.h.portfolio;
            let order = p.orders.remove(&client_id).expect("an open order");
            if order.side == Side::Buy {
                p.credits_held -= order.price * order.remaining;
                p.shares_available += order.remaining;
            } else {
                p.shares_held -= order.remaining;
                p.credits_available += order.price * order.remaining;
            }
            self.refresh();
            self.on(Input::Done {
                client_id,
                why: crate::strategy::OrderDone::Filled,
            })
        }

        fn own_id(&self, side: Side) -> u64 {
            let mut orders = self.h.portfolio.orders.iter();
            let (id, _) = orders.find(|(_, o)| o.side == side).expect("a quote");
            *id
        }
    }

    type Order = (Side, Option<u64>, u64);

    fn buy(price: u64, quantity: u64) -> Order {
        (Side::Buy, Some(price), quantity)
    }

    fn sell(price: u64, quantity: u64) -> Order {
        (Side::Sell, Some(price), quantity)
    }

    fn sim() -> Sim {
        Sim::new(MarketMakerConfig::default(), 10_000, 50)
    }

    #[test]
    fn quotes_around_the_mid_of_a_two_sided_book() {
        let mut s = sim();
        let orders = s.start(Some((30, 4)), Some((41, 4)));
        assert_eq!(orders, vec![buy(33, 3), sell(38, 3)]);
    }

    #[test]
    fn a_half_tick_change_of_the_mid_moves_its_quote_neither_way() {
        let mut s = sim();
        assert_eq!(
            s.start(Some((30, 4)), Some((41, 4))),
            [buy(33, 3), sell(38, 3)]
        );
        // Outbid by a tick, or undercut by one: the mid moves half a tick up or down, and
        // it keeps its prices, where always rounding down moved it down and never up.
        let outbid = s.others(Some((34, 1)), Some((41, 4)));
        assert_eq!(placements(&outbid), [buy(33, 3), sell(38, 3)]);
        let undercut = s.others(Some((30, 4)), Some((37, 1)));
        assert_eq!(placements(&undercut), [buy(33, 3), sell(38, 3)]);
        // A whole tick moves it.
        let outbid = s.others(Some((35, 1)), Some((41, 4)));
        assert_eq!(placements(&outbid), [buy(34, 3), sell(39, 3)]);
    }

    #[test]
    fn its_target_drifts_to_shares_it_does_not_get_back() {
        // 15 shares short of its target of 40: a tick of skew up, for good without drift;
        // with a drift of a share a second, fifteen seconds later the target is what it
        // holds, and its next quote is not skewed.
        let quote_after_15_s = |target_drift_ms| {
            let config = MarketMakerConfig {
                inventory_target: InventoryTarget::Shares(40),
                target_drift_ms,
                ..MarketMakerConfig::default()
            };
            let mut s = Sim::new(config, 600, 25);
            s.start(Some((30, 4)), Some((41, 4)));
            for second in 1..=15 {
                s.h.now_ms = second * 1_000;
                s.on(Input::Tick);
            }
            placements(&s.others(Some((36, 1)), Some((45, 4))))
        };
        let (skewed, drifted) = (quote_after_15_s(0), quote_after_15_s(1_000));
        assert_eq!(skewed.len(), 2, "{skewed:?}");
        let down_a_tick = |&(side, price, quantity): &Order| (side, price.map(|p| p - 1), quantity);
        assert_eq!(drifted, skewed.iter().map(down_a_tick).collect::<Vec<_>>());
    }

    #[test]
    fn follows_a_rising_book_no_further_than_its_skew_above_the_last_trade() {
        // 15 shares short of its target: one tick of skew up.
        let config = MarketMakerConfig {
            inventory_target: InventoryTarget::Shares(40),
            ..MarketMakerConfig::default()
        };
        let mut s = Sim::new(config, 600, 25);
        s.h.market.last_price = Some(33);
        let first = s.start(Some((31, 4)), Some((36, 4)));
        assert_eq!(first, vec![buy(32, 3), sell(37, 3)]);
        // Another market maker keeps quoting a tick above it, as one following its skewed
        // quote would. Without trades it may climb to 2 ticks (its largest skew) above the
        // last trade price, never further, where it used to climb as long as it was chased.
        let mut bids = Vec::new();
        for _ in 0..10 {
            let (bid, ask) = (s.h.market.bid.unwrap().price, s.h.market.ask.unwrap().price);
            let actions = s.others(Some((bid + 1, 1)), Some((ask + 1, 1)));
            let own = placements(&actions);
            bids.extend(own.first().and_then(|order| order.1));
        }
        assert!(bids.iter().all(|&bid| bid <= 35), "{bids:?}");
        assert_eq!(bids.last(), Some(&35), "{bids:?}");
    }

    #[test]
    fn quotes_inside_a_one_sided_book() {
        let orders = sim().start(None, Some((40, 4)));
        assert_eq!(orders, vec![buy(34, 3), sell(39, 3)]);
        let orders = sim().start(Some((30, 4)), None);
        assert_eq!(orders, vec![buy(31, 3), sell(36, 3)]);
    }

    #[test]
    fn uses_the_fallback_quote_on_an_empty_book() {
        assert_eq!(sim().start(None, None), vec![buy(30, 3), sell(35, 3)]);
        let mut s = sim();
        s.h.market.last_price = Some(50);
        assert_eq!(s.start(None, None), vec![buy(48, 3), sell(53, 3)]);
    }

    #[test]
    fn skews_by_inventory() {
        let config = |shares| MarketMakerConfig {
            inventory_target: InventoryTarget::Shares(shares),
            ..MarketMakerConfig::default()
        };
        let book = (Some((30, 4)), Some((41, 4)));
        let mut long = Sim::new(config(5), 10_000, 25);
        assert_eq!(long.start(book.0, book.1), vec![buy(31, 3), sell(36, 3)]);
        let mut short = Sim::new(config(40), 10_000, 25);
        assert_eq!(short.start(book.0, book.1), vec![buy(34, 3), sell(39, 3)]);
        let mut far = Sim::new(config(0), 10_000, 500);
        let orders = far.start(book.0, book.1);
        assert_eq!(orders, vec![buy(31, 3), sell(36, 3)], "capped at 2 ticks");
        let mut on_target = Sim::new(MarketMakerConfig::default(), 10_000, 500);
        assert_eq!(
            on_target.start(book.0, book.1),
            vec![buy(33, 3), sell(38, 3)]
        );
    }

    #[test]
    fn shifts_from_the_market_without_compounding_its_skew() {
        let config = |shares| MarketMakerConfig {
            inventory_target: InventoryTarget::Shares(shares),
            ..MarketMakerConfig::default()
        };
        // Alone in the book after the others leave, each has its bid taken, then its ask.
        let run = |target| {
            let mut s = Sim::new(config(target), 10_000, 25);
            let mut quotes = vec![s.start(Some((30, 4)), Some((41, 4)))];
            s.others(None, None);
            for side in [Side::Buy, Side::Sell] {
                let actions = s.take(s.own_id(side));
                quotes.push(placements(&actions));
            }
            quotes
        };
        // On target: each side taken is re-posted where it was.
        let on_target = run(25);
        assert_eq!(on_target[0], [buy(33, 3), sell(38, 3)]);
        assert_eq!(on_target[1], [buy(33, 3), sell(38, 3)]);
        // 15 shares short, a tick of skew: the same quotes, one tick higher throughout. Had
        // the skew compounded, each re-post would have moved it a further tick up.
        let short = run(40);
        assert_eq!(short[0], [buy(34, 3), sell(39, 3)]);
        assert_eq!(short[1], [buy(34, 3), sell(39, 3)]);
        let prices = |quote: &[Order], by: u64| -> Vec<Option<u64>> {
            quote.iter().map(|order| order.1.map(|p| p + by)).collect()
        };
        assert_eq!(prices(&short[2], 0), prices(&on_target[2], 1));
    }

    #[test]
    fn quotes_one_side_when_out_of_shares_or_credits() {
        let book = (Some((30, 4)), Some((41, 4)));
        let mut no_shares = Sim::new(MarketMakerConfig::default(), 10_000, 0);
        assert_eq!(no_shares.start(book.0, book.1), vec![buy(33, 3)]);
        let mut no_credits = Sim::new(MarketMakerConfig::default(), 0, 50);
        assert_eq!(no_credits.start(book.0, book.1), vec![sell(38, 3)]);
        let mut little = Sim::new(MarketMakerConfig::default(), 70, 2);
        assert_eq!(little.start(book.0, book.1), vec![buy(33, 2), sell(38, 2)]);
    }

    #[test]
    fn sizes_each_level_to_its_funds() {
        let config = MarketMakerConfig {
            levels: 3,
            level_step_ticks: 2,
            ..MarketMakerConfig::default()
        };
        let mut s = Sim::new(config, 200, 7);
        let orders = s.start(Some((30, 4)), Some((41, 4)));
        let expected = vec![
            buy(33, 3),
            sell(38, 3),
            buy(31, 3),
            sell(40, 3),
            sell(42, 1),
        ];
        assert_eq!(orders, expected, "credits for 6 bids, shares for 7 asks");
    }

    #[test]
    fn requotes_when_the_best_moves_away_from_its_quotes() {
        let mut s = sim();
        s.start(Some((30, 4)), Some((41, 4)));
        let actions = s.others(Some((35, 1)), Some((40, 4)));
        assert_eq!(actions.first(), Some(&Action::CancelAll), "outbid");
        assert_eq!(placements(&actions), vec![buy(34, 3), sell(39, 3)]);
        assert!(s.others(Some((35, 1)), Some((40, 4))).is_empty());
        let actions = s.others(Some((35, 1)), Some((36, 2)));
        assert_eq!(actions.first(), Some(&Action::CancelAll), "undercut");
        assert_eq!(placements(&actions), vec![buy(33, 3), sell(38, 3)]);
        let actions = s.take(s.own_id(Side::Sell));
        assert_eq!(
            actions.first(),
            Some(&Action::CancelAll),
            "its ask was taken"
        );
        assert_eq!(placements(&actions), vec![buy(33, 3), sell(38, 3)]);
    }

    #[test]
    fn a_quote_used_up_is_reposted_where_it_was_not_at_the_next_price() {
        let mut s = sim();
        assert_eq!(
            s.start(Some((30, 4)), Some((41, 4))),
            [buy(33, 3), sell(38, 3)]
        );
        // Following the book to the next price moved it to 34/39, 32/37 and 34/39.
        for side in [Side::Sell, Side::Buy, Side::Sell] {
            let actions = s.take(s.own_id(side));
            assert_eq!(actions.first(), Some(&Action::CancelAll), "{side:?} taken");
            assert_eq!(placements(&actions), [buy(33, 3), sell(38, 3)]);
        }
    }

    #[test]
    fn requotes_a_taken_side_even_when_others_keep_the_price() {
        let mut s = sim();
        s.start(Some((33, 1)), Some((40, 4)));
        assert_eq!(s.h.market.bid.map(|level| level.price), Some(34));
        let actions = s.others(Some((34, 2)), Some((40, 4)));
        assert!(actions.is_empty(), "others joined its bid");
        let actions = s.take(s.own_id(Side::Buy));
        assert_eq!(s.h.market.bid.map(|level| level.price), Some(34));
        assert_eq!(actions.first(), Some(&Action::CancelAll));
        assert_eq!(placements(&actions).len(), 2);
    }

    #[test]
    fn does_not_requote_while_its_own_quotes_are_the_best() {
        // Below its surplus threshold, so its tick has nothing to send either.
        let mut s = Sim::new(MarketMakerConfig::default(), 600, 50);
        s.start(Some((30, 4)), Some((41, 4)));
        for input in [
            Input::Quote,
            Input::Tick,
            Input::Trade {
                price: 33,
                quantity: 1,
            },
        ] {
            assert!(s.on(input).is_empty());
        }
        assert!(
            s.others(Some((33, 2)), Some((41, 1))).is_empty(),
            "joined, not moved"
        );
        assert!(s.others(Some((29, 2)), None).is_empty(), "others behind it");
        s.h.market.bid = Some(Level {
            price: 33,
            quantity: 1,
        });
        assert!(
            s.on(Input::Quote).is_empty(),
            "partly filled, still the best"
        );
    }

    #[test]
    fn waits_for_its_quote_to_be_acknowledged() {
        let mut s = sim();
        s.others_bid = Some((30, 4));
        s.others_ask = Some((40, 4));
        s.refresh();
        let actions = s.h.run(&mut s.mm, Input::Start);
        assert_eq!(placements(&actions).len(), 2);
        assert!(
            s.h.run(&mut s.mm, Input::Quote).is_empty(),
            "not yet on the book"
        );
        s.h.now_ms = 5000;
        assert!(
            !s.h.run(&mut s.mm, Input::Tick).is_empty(),
            "it stops waiting"
        );
    }

    #[test]
    fn never_quotes_a_non_positive_price() {
        let books = [
            (Some((1, 1)), None),
            (None, Some((1, 1))),
            (Some((1, 1)), Some((2, 1))),
            (None, Some((2, 1))),
            (Some((1, 1)), Some((3, 1))),
        ];
        for target in [0, 30, 60] {
            for (bid, ask) in books {
                let config = MarketMakerConfig {
                    inventory_target: InventoryTarget::Shares(target),
                    ..MarketMakerConfig::default()
                };
                let orders = Sim::new(config, 10_000, 30).start(bid, ask);
                assert!(!orders.is_empty(), "{bid:?}/{ask:?}");
                for (side, price, _) in orders {
                    let price = price.expect("limit orders");
                    assert!(price > 0, "{side:?} at {price} for {bid:?}/{ask:?}");
                    let crosses = match side {
                        Side::Buy => ask.is_some_and(|(ask, _)| price >= ask),
                        Side::Sell => bid.is_some_and(|(bid, _)| price <= bid),
                    };
                    assert!(!crosses, "{side:?} at {price} crosses {bid:?}/{ask:?}");
                }
            }
        }
        let orders = sim().start(Some((1, 1)), None);
        assert_eq!(orders, vec![buy(2, 3), sell(7, 3)]);
        let orders = sim().start(None, Some((1, 1)));
        assert_eq!(orders, vec![sell(6, 3)], "no bid fits below an ask of 1");
    }

    #[test]
    fn sends_the_surplus_to_the_orchestrator_on_an_alert() {
        let mut s = sim();
        s.start(None, None);
        let p = &mut s.h.portfolio;
        (p.credits_available, p.credits_held) = (710, 90);
        let direction = AlertDirection::Above;
        let alert = Input::Alert {
            direction,
            threshold: 650,
            balance: 800,
        };
        let actions = s.on(alert);
        assert_eq!(
            actions,
            vec![Action::TransferToOrchestrator { amount: 150 }]
        );
        let p = &mut s.h.portfolio;
        (p.credits_available, p.credits_held) = (50, 750);
        let actions = s.on(alert);
        assert_eq!(actions, vec![Action::TransferToOrchestrator { amount: 50 }]);
        s.h.portfolio.credits_available = 60;
        assert!(
            s.on(Input::Tick).is_empty(),
            "60 of the 160 left over is free: not worth a transfer"
        );
        s.h.portfolio.credits_available = 150;
        let actions = s.on(Input::Tick);
        assert_eq!(
            actions,
            vec![Action::TransferToOrchestrator { amount: 150 }]
        );
        let p = &mut s.h.portfolio;
        (p.credits_available, p.credits_held) = (0, 650);
        assert!(s.on(Input::Tick).is_empty(), "nothing left to send");
    }

    /// The transfers among `actions`.
    fn transfers(actions: &[Action]) -> Vec<u64> {
        let amount = |action: &Action| match *action {
            Action::TransferToOrchestrator { amount } => Some(amount),
            _ => None,
        };
        actions.iter().filter_map(amount).collect()
    }

    #[test]
    fn keeps_what_buying_back_its_inventory_would_cost() {
        let mut s = sim();
        s.start(Some((30, 1)), Some((40, 1)));
        let ask = s.h.market.ask.expect("it quotes an ask").price;
        // It sold 10 of its 50 shares, its target: the credits they brought are not profit.
        let p = &mut s.h.portfolio;
        p.shares_available -= 10;
        p.credits_available += 10 * ask;
        let balance = p.credits_available + p.credits_held;
        let direction = AlertDirection::Above;
        let alert = Input::Alert {
            direction,
            threshold: 650,
            balance,
        };
        let actions = s.on(alert);
        assert_eq!(transfers(&actions), [balance - 650 - 10 * ask]);

        // Above the threshold by less than the buy-back costs: nothing goes, not even on
        // its ticks. Once it holds its target again, its next tick sends it all, though its
        // balance never crossed the threshold again to fire the alert.
        let p = &mut s.h.portfolio;
        p.credits_available = 650 + 5 * ask - p.credits_held;
        let alert = Input::Alert {
            direction,
            threshold: 650,
            balance: 650 + 5 * ask,
        };
        assert!(transfers(&s.on(alert)).is_empty());
        assert!(transfers(&s.on(Input::Tick)).is_empty());
        s.h.portfolio.shares_available += 10;
        assert_eq!(transfers(&s.on(Input::Tick)), [5 * ask]);
    }

    #[test]
    fn narrows_its_spread_down_to_the_floor() {
        let mut s = sim();
        s.start(None, None);
        let alert = Input::Alert {
            direction: AlertDirection::Above,
            threshold: 650,
            balance: 650,
        };
        let mut spreads = vec![s.mm.spread_ticks()];
        for _ in 0..100 {
            s.on(alert);
            spreads.push(s.mm.spread_ticks());
        }
        assert!(spreads.windows(2).all(|w| w[1] == w[0] || w[1] + 1 == w[0]));
        assert_eq!(spreads.last(), Some(&2));
        let actions = s.others(Some((32, 1)), Some((34, 1)));
        assert_eq!(placements(&actions), vec![buy(32, 3), sell(34, 3)]);
    }

    #[test]
    fn narrows_with_probability_exp_minus_one_over_the_spread() {
        let alert = Input::Alert {
            direction: AlertDirection::Above,
            threshold: 650,
            balance: 650,
        };
        let runs = 4000u32;
        let mut narrowed = 0;
        for seed in 0..runs {
            let mut h = Harness::new(u64::from(seed));
            let mut mm = MarketMaker::new(MarketMakerConfig::default());
            h.run(&mut mm, alert);
            narrowed += u32::from(mm.spread_ticks() == 4);
        }
        let rate = f64::from(narrowed) / f64::from(runs);
        let expected = (-1.0f64 / 5.0).exp();
        assert!((rate - expected).abs() < 0.02, "{rate} vs {expected}");
    }

    #[test]
    fn a_skewed_quote_never_crosses_the_book() {
        let config = MarketMakerConfig {
            spread_ticks: 2,
            inventory_target: InventoryTarget::Shares(0),
            ..MarketMakerConfig::default()
        };
        let mut long = Sim::new(config.clone(), 10_000, 100);
        let orders = long.start(Some((30, 4)), Some((32, 4)));
        assert_eq!(orders, vec![buy(28, 3), sell(31, 3)], "skewed 2 down");
        let config = MarketMakerConfig {
            inventory_target: InventoryTarget::Shares(100),
            ..config
        };
        let mut short = Sim::new(config, 10_000, 0);
        let orders = short.start(Some((30, 4)), Some((32, 4)));
        assert_eq!(orders, vec![buy(31, 3)], "skewed 2 up, no shares to offer");
    }

    #[test]
    fn widens_when_both_its_sides_are_taken() {
        let mut s = sim();
        s.start(None, None);
        s.h.market.last_price = Some(33);
        let p = &mut s.h.portfolio;
        let ids: Vec<u64> = p.orders.keys().copied().collect();
        p.orders.clear();
        (p.credits_held, p.shares_held) = (0, 0);
        s.refresh();
        let why = crate::strategy::OrderDone::Filled;
        let first = Input::Done {
            client_id: ids[0],
            why,
        };
        assert!(s.on(first).is_empty(), "the other side is not reported yet");
        let actions = s.on(Input::Done {
            client_id: ids[1],
            why,
        });
        assert_eq!(s.mm.spread_ticks(), 6);
        assert_eq!(placements(&actions), vec![buy(30, 3), sell(36, 3)]);
    }
}
