//! [`Simulation`]: the bots, the journaled engine and the virtual clock, in one loop.

use super::activity::Activity;
use super::bot::{own_orders, top_of, Bot, BotId};
use super::cast::{bot_account, setup_commands, Cast, TraderFactory};
use super::config::{Checks, SimConfig};
use super::error::SimError;
use super::orders::OrderTracker;
use super::tape::Tape;
use super::timers::Timers;
use super::translate::{translate, Origin, Step};
use crate::strategy::{Action, Input, Level, MarketInputs, MarketView};
use exchange_core::log::EventLog;
use exchange_core::{
    AccountId, AccountKind, Journal, LevelView, State, Submission, Symbol, TickerId,
};
use std::collections::VecDeque;

/// Most inputs delivered at one virtual instant before the run is stopped as a livelock.
pub const DELIVERIES_PER_INSTANT_MAX: u64 = 1_000_000;

/// An input waiting to be delivered at the current instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Delivery {
    /// To one bot.
    To(BotId, Input),
    /// [`Input::Quote`] to every bot that has not seen the current top of the book.
    Quote,
    /// [`Input::Trade`] to every bot.
    Trade {
        /// Credits per share.
        price: u64,
        /// Shares.
        quantity: u64,
    },
}

/// A deterministic simulation: strategies trading through a [`Journal`] on a virtual clock.
///
/// Each bot gets [`Input::Start`], then [`Input::Tick`] every `tick_interval_ms` (with a
/// seeded jitter of up to a twentieth of the interval either way). Its actions become
/// commands, submitted with the virtual time as their timestamp; the events they produce
/// are routed back as inputs (see the [module docs](super)).
pub struct Simulation<L: EventLog> {
    pub(super) journal: Journal<L>,
    pub(super) config: SimConfig,
    pub(super) symbol: Symbol,
    pub(super) ticker: TickerId,
    /// Every bot ever created, by [`BotId`]; `None` once it has stopped.
    pub(super) bots: Vec<Option<Bot>>,
    /// The running bot of each account, by account id.
    by_account: Vec<Option<BotId>>,
    /// The bots that want quotes or trades, in creation order; stopped ones are dropped
    /// between instants. Bots that want neither are never in it, so a busy market does not
    /// walk past them for every trade.
    audience: Vec<BotId>,
    audience_stale: bool,
    pub(super) market: MarketView,
    pub(super) orders: OrderTracker,
    timers: Timers,
    pub(super) inbox: VecDeque<Delivery>,
    pub(super) now_ms: u64,
    trader: Option<TraderFactory>,
    pub(super) tape: Tape,
    pub(super) activity: Activity,
    /// The accounts and names of the cast's bots, for the report.
    pub(super) cast_bots: Vec<(AccountId, &'static str)>,
    actions: Vec<Action>,
    batch: Vec<Submission>,
    origins: Vec<Origin>,
}

impl<L: EventLog> Simulation<L> {
    /// Sets up `cast` on an empty `journal` (at virtual time 0) and readies its bots.
    pub fn new(journal: Journal<L>, cast: Cast, config: SimConfig) -> Result<Self, SimError> {
        if journal.last_seq() != 0 {
            return Err(SimError::JournalNotEmpty(journal.last_seq()));
        }
        let mut simulation = Self {
            journal,
            config,
            symbol: cast.symbol,
            ticker: TickerId(1),
            bots: Vec::new(),
            by_account: Vec::new(),
            audience: Vec::new(),
            audience_stale: false,
            market: MarketView::default(),
            orders: OrderTracker::default(),
            timers: Timers::default(),
            inbox: VecDeque::new(),
            now_ms: 0,
            trader: None,
            tape: Tape::default(),
            activity: Activity::default(),
            cast_bots: Vec::new(),
            actions: Vec::new(),
            batch: Vec::new(),
            origins: Vec::new(),
        };
        simulation.setup(cast)?;
        Ok(simulation)
    }

    /// Runs the setup's commands as one batch and creates the cast's bots.
    fn setup(&mut self, cast: Cast) -> Result<(), SimError> {
        let timestamp_ns = self.config.timestamp_ns(0);
        let batch: Vec<Submission> = setup_commands(&cast)
            .into_iter()
            .map(|command| Submission {
                timestamp_ns,
                command,
            })
            .collect();
        let outcomes = self.journal.submit(&batch)?;
        if let Some((index, Err(rejection))) = outcomes.iter().enumerate().find(|o| o.1.is_err()) {
            let rejection = *rejection;
            return Err(SimError::Setup { index, rejection });
        }
        let listed = self.journal.state().ticker_by_symbol(&cast.symbol);
        assert_eq!(
            listed,
            Some(self.ticker),
            "the setup lists the ticker first"
        );
        let payee = cast
            .bots
            .iter()
            .position(|bot| bot.kind == AccountKind::Orchestrator)
            .map(bot_account);
        for (index, spec) in cast.bots.into_iter().enumerate() {
            let account = bot_account(index);
            let created = self.journal.state().account(account).map(|a| a.kind);
            assert_eq!(created, Some(spec.kind), "the setup created {account}");
            let id = self.add_bot(spec.strategy, account);
            let bot = self.bot_mut(id).expect("just added");
            bot.payee = payee.filter(|&payee| payee != account);
            let name = bot.name;
            self.cast_bots.push((account, name));
        }
        self.trader = cast.trader;
        self.refresh_market();
        self.check()
    }

    /// Runs until the configured duration.
    pub fn run(&mut self) -> Result<(), SimError> {
        self.run_until(self.config.duration_ms)
    }

    /// Runs every timer due up to virtual time `end_ms` (inclusive), then moves the clock
    /// to `end_ms`.
    pub fn run_until(&mut self, end_ms: u64) -> Result<(), SimError> {
        assert!(end_ms >= self.now_ms, "virtual time never goes back");
        self.drain()?;
        while let Some((at_ms, id)) = self.timers.first_due(end_ms) {
            self.advance(at_ms);
            match self.tick(id)? {
                Some(next_ms) => self.timers.reset_first(id, next_ms),
                None => self.timers.remove_first(id),
            }
            self.drain()?;
        }
        self.advance(end_ms);
        Ok(())
    }

    /// Moves the virtual clock.
    fn advance(&mut self, to_ms: u64) {
        self.tape.advance(to_ms);
        self.now_ms = to_ms;
    }

    /// Ticks a bot; returns when it ticks next, unless it has stopped. Its timer is still
    /// first in the queue: any set during the tick are later.
    fn tick(&mut self, id: BotId) -> Result<Option<u64>, SimError> {
        if self.bot_mut(id).is_none() {
            return Ok(None);
        }
        self.call(id, Input::Tick)?;
        let now_ms = self.now_ms;
        Ok(self.bot_mut(id).map(|bot| now_ms + bot.next_tick_in_ms()))
    }

    /// Delivers every waiting input, and those their actions cause, in order.
    fn drain(&mut self) -> Result<(), SimError> {
        let mut delivered = 0;
        while let Some(delivery) = self.inbox.pop_front() {
            delivered += 1;
            if delivered > DELIVERIES_PER_INSTANT_MAX {
                let at_ms = self.now_ms;
                return Err(SimError::Livelock {
                    at_ms,
                    deliveries: DELIVERIES_PER_INSTANT_MAX,
                });
            }
            match delivery {
                Delivery::To(id, input) => self.call(id, input)?,
                Delivery::Quote => self.fan_out(Input::Quote)?,
                Delivery::Trade { price, quantity } => {
                    self.fan_out(Input::Trade { price, quantity })?
                }
            }
        }
        if self.audience_stale {
            let bots = &self.bots;
            self.audience.retain(|id| bots[id.index()].is_some());
            self.audience_stale = false;
        }
        Ok(())
    }

    /// Delivers a market input to every bot that wants it (a quote only to those that have
    /// not seen the current top). Bots created meanwhile are not included.
    fn fan_out(&mut self, input: Input) -> Result<(), SimError> {
        let top = top_of(&self.market);
        for i in 0..self.audience.len() {
            let id = self.audience[i];
            let Some(bot) = self.bots[id.index()].as_ref() else {
                continue;
            };
            if !bot.market_inputs.admit(&input) || (input == Input::Quote && bot.seen_top == top) {
                continue;
            }
            self.call(id, input)?;
        }
        Ok(())
    }

    /// Calls a running bot's strategy with `input` and carries out its actions. Nothing but
    /// [`Input::Start`] reaches a bot before it has started.
    fn call(&mut self, id: BotId, input: Input) -> Result<(), SimError> {
        let Some(bot) = self.bots[id.index()].as_mut() else {
            return Ok(());
        };
        match input {
            Input::Start => bot.started = true,
            _ if !bot.started => return Ok(()),
            _ => {}
        }
        bot.refresh(self.journal.state());
        let mut actions = std::mem::take(&mut self.actions);
        bot.call(&input, self.now_ms, &self.market, &mut actions);
        self.activity.strategy_calls += 1;
        if actions.is_empty() {
            self.actions = actions;
            return Ok(());
        }
        let carried = self.carry_out(id, &actions);
        actions.clear();
        self.actions = actions;
        carried
    }

    /// Carries out one call's actions in order: commands are batched and submitted together,
    /// before any action that is not a command and at the end.
    fn carry_out(&mut self, id: BotId, actions: &[Action]) -> Result<(), SimError> {
        for action in actions {
            self.activity.action(action);
            let Some(bot) = self.bots[id.index()].as_ref() else {
                continue; // it exited earlier in this call
            };
            match translate(action, bot, id) {
                Step::Submit(command, origin) => {
                    let timestamp_ns = self.config.timestamp_ns(self.now_ms);
                    self.batch.push(Submission {
                        timestamp_ns,
                        command,
                    });
                    self.origins.push(origin);
                    if self.config.checks == Checks::EveryCommand {
                        self.flush()?;
                    }
                }
                Step::Refuse(origin, code) => {
                    self.flush()?;
                    self.refuse(origin, code);
                }
                Step::Exit => {
                    self.flush()?;
                    self.stop(id);
                }
            }
        }
        self.flush()
    }

    /// Submits the batched commands and routes their outcomes.
    fn flush(&mut self) -> Result<(), SimError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let outcomes = self.journal.submit(&self.batch)?;
        self.batch.clear();
        let origins = std::mem::take(&mut self.origins);
        assert_eq!(outcomes.len(), origins.len(), "one outcome per command");
        for (outcome, origin) in outcomes.iter().zip(&origins) {
            self.activity.commands += 1;
            match outcome {
                Ok(record) => self.route(record),
                Err(rejection) => self.refuse(*origin, rejection.code()),
            }
        }
        self.origins = origins;
        self.origins.clear();
        self.refresh_market();
        self.check()
    }

    /// Answers a refused action.
    fn refuse(&mut self, origin: Origin, code: &'static str) {
        self.activity.refusal(code);
        let input = Input::Rejected {
            kind: origin.kind,
            client_id: origin.client_id,
            code,
        };
        self.inbox.push_back(Delivery::To(origin.bot, input));
    }

    /// Updates the market view from the engine; a new top of the book is a quote for every
    /// bot and the tape.
    fn refresh_market(&mut self) {
        let state = self.journal.state();
        let quote = state
            .quote(self.ticker)
            .expect("invariant: the simulation's ticker is listed");
        let level = |l: LevelView| Level {
            price: l.price.0,
            quantity: l.quantity.0,
        };
        let market = MarketView {
            bid: quote.bid.map(level),
            ask: quote.ask.map(level),
            last_price: state.last_trade_price(self.ticker).map(|p| p.0),
        };
        if top_of(&market) != top_of(&self.market) {
            self.inbox.push_back(Delivery::Quote);
            let price = |l: Option<Level>| l.map(|l| l.price);
            self.tape.quote(price(market.bid), price(market.ask));
        }
        self.market = market;
    }

    /// Runs the whole-state invariant check, if asked to, and checks that every bot's
    /// portfolio lists exactly its resting orders.
    fn check(&self) -> Result<(), SimError> {
        if self.config.checks == Checks::Off {
            return Ok(());
        }
        let state = self.journal.state();
        for bot in self.bots.iter().flatten() {
            let resting = own_orders(state, bot.account, self.ticker);
            assert_eq!(
                bot.portfolio.orders, resting,
                "the portfolio of {} lists its resting orders",
                bot.account
            );
        }
        let seq = self.journal.last_seq();
        let checked = state.check_invariants();
        checked.map_err(|violation| SimError::Invariant { seq, violation })
    }

    /// Creates a bot on `account`: its start is delivered at the current instant and its
    /// first tick is set.
    pub(super) fn add_bot(
        &mut self,
        strategy: Box<dyn crate::Strategy>,
        account: AccountId,
    ) -> BotId {
        let id = BotId(u32::try_from(self.bots.len()).expect("fewer than 2^32 bots"));
        let mut bot = Bot::new(strategy, account, self.ticker, self.config.seed);
        bot.portfolio.orders = own_orders(self.journal.state(), account, self.ticker);
        if let Some(delay) = bot.first_tick_in_ms() {
            self.timers.set(self.now_ms + delay, id);
        }
        if bot.market_inputs != MarketInputs::NONE {
            self.audience.push(id);
        }
        self.bots.push(Some(bot));
        let index = account.0 as usize;
        if self.by_account.len() <= index {
            self.by_account.resize(index + 1, None);
        }
        assert!(self.by_account[index].is_none(), "one bot per account");
        self.by_account[index] = Some(id);
        self.inbox.push_back(Delivery::To(id, Input::Start));
        id
    }

    /// Stops a bot; a trader's orchestrator is told.
    pub(super) fn stop(&mut self, id: BotId) {
        let bot = self.bots[id.index()]
            .take()
            .expect("stopping a running bot");
        self.by_account[bot.account.0 as usize] = None;
        self.audience_stale = true;
        let Some(orchestrator) = bot.orchestrated_by else {
            return;
        };
        self.activity.traders_exited += 1;
        if let Some(orchestrator_id) = self.bot_of(orchestrator) {
            let account = bot.account;
            self.bot_mut(orchestrator_id)
                .expect("running")
                .exits_pending += 1;
            let input = Input::TraderExited { account };
            self.inbox.push_back(Delivery::To(orchestrator_id, input));
        }
    }

    /// The running bot on `account`.
    pub(super) fn bot_of(&self, account: AccountId) -> Option<BotId> {
        *self.by_account.get(account.0 as usize)?
    }

    /// A running bot.
    pub(super) fn bot_mut(&mut self, id: BotId) -> Option<&mut Bot> {
        self.bots[id.index()].as_mut()
    }

    /// Starts a trader on an account an orchestrator just created, if there is a factory.
    pub(super) fn start_trader(&mut self, account: AccountId, orchestrator: AccountId) {
        let Some(orchestrator_id) = self.bot_of(orchestrator) else {
            return;
        };
        self.activity.traders_started += 1;
        let bot = self.bot_mut(orchestrator_id).expect("running");
        if bot.exits_pending > 0 {
            bot.exits_pending -= 1;
            self.activity.traders_relaunched += 1;
        }
        let input = Input::TraderStarted { account };
        self.inbox.push_back(Delivery::To(orchestrator_id, input));
        let Some(strategy) = self.trader.as_ref().map(|make| make()) else {
            return;
        };
        let id = self.add_bot(strategy, account);
        let trader = self.bot_mut(id).expect("just added");
        trader.orchestrated_by = Some(orchestrator);
        trader.payee = Some(orchestrator);
    }

    /// Writes a snapshot of the state now (so tools open the log without a full replay).
    pub fn snapshot(&mut self) -> Result<exchange_core::log::Seq, SimError> {
        Ok(self.journal.snapshot()?)
    }

    /// The virtual time, in milliseconds since the start.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The engine's state.
    pub fn state(&self) -> &State {
        self.journal.state()
    }

    /// The journal, for its log.
    pub fn journal(&self) -> &Journal<L> {
        &self.journal
    }

    /// Gives up the simulation, keeping its journal.
    pub fn into_journal(self) -> Journal<L> {
        self.journal
    }

    /// What the bots have done so far.
    pub fn activity(&self) -> &Activity {
        &self.activity
    }

    /// How many bots are running.
    pub fn bots_running(&self) -> usize {
        self.bots.iter().flatten().count()
    }
}
