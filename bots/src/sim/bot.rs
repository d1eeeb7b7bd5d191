//! One bot as the runner keeps it: its strategy and account, its random numbers, the
//! portfolio it is shown (balances re-read from the engine when stale, orders kept from their
//! events) and its timer.

use crate::rng::BotRng;
use crate::strategy::{
    Action, Ctx, Input, Level, MarketInputs, MarketView, OwnOrder, Portfolio, Strategy,
};
use exchange_core::{AccountId, State, TickerId};
use std::collections::BTreeMap;

/// A bot's index in the runner, in creation order. Never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct BotId(pub(super) u32);

impl BotId {
    /// Its index in the runner's list of bots.
    pub(super) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The top of the book as last shown to a bot, to skip quotes it has already seen.
pub(super) type Top = (Option<Level>, Option<Level>);

/// The top of `market`.
pub(super) fn top_of(market: &MarketView) -> Top {
    (market.bid, market.ask)
}

/// Stream offset of the timers' jitter generators, above every account id, so a bot's
/// jitter draws never overlap its strategy's (stream = account id).
const JITTER_STREAM: u64 = 1 << 32;

/// A running bot.
pub(super) struct Bot {
    /// Its strategy's name.
    pub(super) name: &'static str,
    pub(super) strategy: Box<dyn Strategy>,
    pub(super) account: AccountId,
    pub(super) ticker: TickerId,
    /// The strategy's random numbers.
    pub(super) rng: BotRng,
    /// The timer's jitter.
    jitter: BotRng,
    pub(super) tick_interval_ms: u64,
    /// The market-wide inputs its strategy reacts to.
    pub(super) market_inputs: MarketInputs,
    pub(super) next_client_id: u64,
    pub(super) portfolio: Portfolio,
    /// Whether a command touched its account since the portfolio's balances were read.
    pub(super) stale: bool,
    /// Whether it has been given [`Input::Start`]; nothing else reaches it before.
    pub(super) started: bool,
    /// The top of the book at its last call.
    pub(super) seen_top: Top,
    /// The orchestrator that started it, if one did.
    pub(super) orchestrated_by: Option<AccountId>,
    /// Where [`Action::TransferToOrchestrator`] sends credits.
    pub(super) payee: Option<AccountId>,
    /// Orchestrators: traders that exited and have not been replaced yet.
    pub(super) exits_pending: u64,
}

impl Bot {
    /// A bot on `account`, seeded from the run's seed and its account id.
    pub(super) fn new(
        strategy: Box<dyn Strategy>,
        account: AccountId,
        ticker: TickerId,
        seed: u64,
    ) -> Self {
        let stream = u64::from(account.0);
        Self {
            name: strategy.name(),
            tick_interval_ms: strategy.tick_interval_ms(),
            market_inputs: strategy.market_inputs(),
            strategy,
            account,
            ticker,
            rng: BotRng::fork(seed, stream),
            jitter: BotRng::fork(seed, JITTER_STREAM + stream),
            next_client_id: 0,
            portfolio: Portfolio::default(),
            stale: true,
            started: false,
            seen_top: (None, None),
            orchestrated_by: None,
            payee: None,
            exits_pending: 0,
        }
    }

    /// Calls the strategy with `input`, appending what it asks for to `actions`.
    pub(super) fn call(
        &mut self,
        input: &Input,
        now_ms: u64,
        market: &MarketView,
        actions: &mut Vec<Action>,
    ) {
        self.seen_top = top_of(market);
        let mut ctx = Ctx::new(
            now_ms,
            market,
            &self.portfolio,
            &mut self.rng,
            &mut self.next_client_id,
            actions,
        );
        self.strategy.on(input, &mut ctx);
    }

    /// The delay before its first tick: a seeded phase in `1..=interval`, so bots with the
    /// same interval do not all tick together. `None` if it never ticks.
    pub(super) fn first_tick_in_ms(&mut self) -> Option<u64> {
        let interval = self.tick_interval_ms;
        (interval > 0).then(|| self.jitter.between(1, interval))
    }

    /// The delay until its next tick: its interval plus or minus up to a twentieth of it,
    /// uniformly, so the mean interval is exact. Always at least 1 ms.
    pub(super) fn next_tick_in_ms(&mut self) -> u64 {
        let interval = self.tick_interval_ms;
        assert!(interval > 0, "only ticking bots are rescheduled");
        let spread = interval / 20;
        let delay = interval - spread + self.jitter.between(0, 2 * spread);
        delay.max(1)
    }

    /// Re-reads the portfolio's balances from the engine, if a command touched the account.
    /// Its orders are kept up to date as their events are routed (see [`Bot::rested`]).
    pub(super) fn refresh(&mut self, state: &State) {
        if !self.stale {
            return;
        }
        self.stale = false;
        let portfolio = &mut self.portfolio;
        portfolio.account = Some(self.account);
        let Some(holdings) = state.holdings(self.account, self.ticker) else {
            return;
        };
        portfolio.credits_available = holdings.credits_available.0;
        portfolio.credits_held = holdings.credits_held.0;
        portfolio.shares_available = holdings.shares.available.0;
        portfolio.shares_held = holdings.shares.held.0;
    }

    /// One of its orders came to rest on the book.
    pub(super) fn rested(&mut self, client_id: u64, order: OwnOrder) {
        let previous = self.portfolio.orders.insert(client_id, order);
        assert!(previous.is_none(), "an order rests once");
    }

    /// One of its orders traded `quantity`; a resting one that is now filled leaves the
    /// portfolio. An order that has not rested yet (the taker) is not in it.
    pub(super) fn filled(&mut self, client_id: u64, quantity: u64) {
        let orders = &mut self.portfolio.orders;
        let Some(own) = orders.get_mut(&client_id) else {
            return;
        };
        own.remaining = own
            .remaining
            .checked_sub(quantity)
            .expect("a fill never exceeds what rests");
        if own.remaining == 0 {
            orders.remove(&client_id);
        }
    }

    /// One of its resting orders changed price or quantity.
    pub(super) fn amended(&mut self, client_id: u64, price: u64, remaining: u64) {
        let own = self.portfolio.orders.get_mut(&client_id);
        let own = own.expect("only resting orders are amended");
        own.price = price;
        own.remaining = remaining;
    }

    /// One of its orders ended without filling (cancelled, or a remainder dropped).
    pub(super) fn cancelled(&mut self, client_id: u64) {
        self.portfolio.orders.remove(&client_id);
    }
}

/// An account's resting orders on `ticker` as a portfolio lists them: by client order id
/// (orders without one are not a bot's).
pub(super) fn own_orders(
    state: &State,
    account: AccountId,
    ticker: TickerId,
) -> BTreeMap<u64, OwnOrder> {
    state
        .open_orders(account, Some(ticker))
        .into_iter()
        .filter_map(|order| {
            let client_id = order.client_order_id?;
            let own = OwnOrder {
                side: order.side,
                price: order.price.0,
                remaining: order.remaining.0,
            };
            Some((client_id.0, own))
        })
        .collect()
}
