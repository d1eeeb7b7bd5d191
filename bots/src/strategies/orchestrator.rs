//! The orchestrator (seed-spec 5.3): a supervisor that funds noise traders and restarts them.
//!
//! On start it liquidates the accounts earlier runs left behind, starts selling the shares it
//! holds, and queues `floor(credits / stake)` launches. Each transfer it receives from outside
//! its traders queues one more launch. When a trader exits (for any reason) it liquidates it
//! and queues as many launches as its free funds allow, counting the funds already committed
//! to queued and unconfirmed launches; it counts again on the next tick, once the
//! liquidation's credits show in its portfolio.
//!
//! Launches leave an explicit restart queue at most
//! [`OrchestratorConfig::launches_per_tick_max`] at a time, and only while its available
//! credits cover every launch not yet confirmed by [`Input::TraderStarted`], so it never asks
//! for more than it has. Shares it holds (its own, or a liquidated trader's) are sold in
//! small immediate-or-cancel slices at the best bid, never at a made-up price.
//!
//! Fixed from the seed: it launches only for transfers addressed to it (the runner delivers
//! only those), liquidates a trader on any exit, paces launches instead of racing them, and
//! does not sell at an ask of -1.

use crate::strategy::{Action, ActionKind, Ctx, Input, InvalidConfig, MarketInputs, Strategy};
use exchange_core::{AccountId, Side, TimeInForce};
use std::collections::{BTreeSet, VecDeque};

/// The orchestrator's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrchestratorConfig {
    /// Time between ticks, on which it launches and sells. Default 1000.
    pub tick_interval_ms: u64,
    /// Credits each trader starts with. Default 150.
    pub stake_credits: u64,
    /// The most launches it asks for between two ticks. Default 4.
    pub launches_per_tick_max: u32,
    /// The most shares it sells in one call. Default 5.
    pub sell_slice_shares: u64,
}

impl Default for OrchestratorConfig {
    fn default() -> Self {
        Self {
            tick_interval_ms: 1000,
            stake_credits: 150,
            launches_per_tick_max: 4,
            sell_slice_shares: 5,
        }
    }
}

impl OrchestratorConfig {
    /// Whether an orchestrator can run with this configuration, and if not, why.
    pub fn validate(&self) -> Result<(), InvalidConfig> {
        let check = InvalidConfig::unless;
        check(
            self.stake_credits > 0,
            "the stake must be at least 1 credit",
        )?;
        check(
            self.launches_per_tick_max > 0,
            "the launches per tick must be at least 1",
        )?;
        check(
            self.sell_slice_shares > 0,
            "the sell slice must be at least 1 share",
        )
    }
}

/// Why a launch was queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaunchReason {
    /// The initial traders.
    Start,
    /// A transfer arrived.
    Transfer,
    /// A trader exited and funds allow a replacement.
    Relaunch,
}

/// The supervisor of the noise traders.
#[derive(Clone, Debug)]
pub struct Orchestrator {
    config: OrchestratorConfig,
    queue: VecDeque<LaunchReason>,
    /// Launches asked for and not yet confirmed or refused.
    in_flight: u64,
    live: BTreeSet<AccountId>,
    /// Traders that exited: credits from them are liquidation proceeds, not transfers.
    retired: BTreeSet<AccountId>,
    recount_due: bool,
    /// Launches it may still ask for before the next tick.
    launch_budget: u32,
}

impl Orchestrator {
    /// An orchestrator.
    ///
    /// # Panics
    /// If the configuration is invalid ([`OrchestratorConfig::validate`]).
    pub fn new(config: OrchestratorConfig) -> Self {
        if let Err(invalid) = config.validate() {
            panic!("{invalid}");
        }
        Self {
            config,
            queue: VecDeque::new(),
            in_flight: 0,
            live: BTreeSet::new(),
            retired: BTreeSet::new(),
            recount_due: false,
            launch_budget: 0,
        }
    }

    /// Its running traders.
    pub fn live(&self) -> &BTreeSet<AccountId> {
        &self.live
    }

    /// Launches waiting in its queue.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.launch_budget = self.config.launches_per_tick_max;
        ctx.act(Action::LiquidateAll);
        self.sell_slice(ctx);
        let launches = ctx.portfolio.credits_available / self.config.stake_credits;
        self.queue
            .extend((0..launches).map(|_| LaunchReason::Start));
        self.pump(ctx);
        // Count again once `LiquidateAll` has brought back an earlier run's credits.
        self.recount_due = true;
    }

    fn tick(&mut self, ctx: &mut Ctx<'_>) {
        self.launch_budget = self.config.launches_per_tick_max;
        self.sell_slice(ctx);
        if std::mem::take(&mut self.recount_due) {
            self.top_up(ctx);
        }
        self.pump(ctx);
    }

    fn exited(&mut self, account: AccountId, ctx: &mut Ctx<'_>) {
        self.live.remove(&account);
        self.retired.insert(account);
        ctx.act(Action::Liquidate { account });
        self.top_up(ctx);
        self.recount_due = true; // Again once the liquidation's credits have arrived.
        self.pump(ctx);
    }

    /// One more launch for a transfer, unless it comes from one of its traders (their
    /// liquidation proceeds are no transfer).
    fn transfer_received(&mut self, from: AccountId, ctx: &mut Ctx<'_>) {
        if self.live.contains(&from) || self.retired.contains(&from) {
            return;
        }
        self.queue.push_back(LaunchReason::Transfer);
        self.pump(ctx);
    }

    /// Credits committed to launches queued or not yet confirmed.
    fn committed_credits(&self) -> u64 {
        let launches = self.in_flight + self.queue.len() as u64;
        launches.saturating_mul(self.config.stake_credits)
    }

    /// Queues the launches its uncommitted credits pay for.
    fn top_up(&mut self, ctx: &Ctx<'_>) {
        let free = ctx
            .portfolio
            .credits_available
            .saturating_sub(self.committed_credits());
        let launches = free / self.config.stake_credits;
        self.queue
            .extend((0..launches).map(|_| LaunchReason::Relaunch));
    }

    /// Asks for queued launches while funds cover them, up to the pace limit per tick.
    fn pump(&mut self, ctx: &mut Ctx<'_>) {
        let stake = self.config.stake_credits;
        while self.launch_budget > 0 && !self.queue.is_empty() {
            let needed = (self.in_flight + 1).saturating_mul(stake);
            if ctx.portfolio.credits_available < needed {
                if self.in_flight == 0 {
                    self.queue.clear(); // Nothing pending could free funds: drop the rest.
                }
                return;
            }
            self.queue.pop_front();
            self.launch_budget -= 1;
            self.in_flight += 1;
            assert!(self.in_flight * stake <= ctx.portfolio.credits_available);
            ctx.act(Action::StartTrader { credits: stake });
        }
    }

    /// Sells a slice of its shares at the best bid, if there is one.
    fn sell_slice(&mut self, ctx: &mut Ctx<'_>) {
        let shares = ctx.portfolio.shares_available;
        let Some(bid) = ctx.market.bid else {
            return;
        };
        let quantity = shares.min(self.config.sell_slice_shares);
        if quantity > 0 {
            ctx.limit(Side::Sell, bid.price, quantity, TimeInForce::Ioc);
        }
    }

    fn refused(&mut self, code: &str) {
        match code {
            // A launch it asked for was refused.
            "insufficient_credits" => self.in_flight = self.in_flight.saturating_sub(1),
            "too_many_accounts" => {
                self.in_flight = self.in_flight.saturating_sub(1);
                self.queue.clear();
            }
            _ => {}
        }
    }
}

impl Strategy for Orchestrator {
    fn name(&self) -> &'static str {
        "orchestrator"
    }

    fn tick_interval_ms(&self) -> u64 {
        self.config.tick_interval_ms
    }

    /// It manages accounts, not orders: the market does not concern it.
    fn market_inputs(&self) -> MarketInputs {
        MarketInputs::NONE
    }

    fn on(&mut self, input: &Input, ctx: &mut Ctx<'_>) {
        match *input {
            Input::Start => self.start(ctx),
            Input::Tick => self.tick(ctx),
            Input::TransferReceived { from, .. } => self.transfer_received(from, ctx),
            Input::TraderStarted { account } => {
                self.in_flight = self.in_flight.saturating_sub(1);
                self.live.insert(account);
            }
            Input::TraderExited { account } => self.exited(account, ctx),
            Input::Rejected {
                kind: ActionKind::Orchestrate,
                code,
                ..
            } => self.refused(code),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::testing::{placements, Harness};

    fn launch(credits: u64) -> Action {
        Action::StartTrader { credits }
    }

    fn launches(actions: &[Action]) -> usize {
        actions
            .iter()
            .filter(|a| matches!(a, Action::StartTrader { .. }))
            .count()
    }

    fn orchestrator(pace: u32) -> Orchestrator {
        Orchestrator::new(OrchestratorConfig {
            launches_per_tick_max: pace,
            ..OrchestratorConfig::default()
        })
    }

    /// Carries out its launches as a runner would: debits the stake, confirms the trader.
    fn confirm(h: &mut Harness, o: &mut Orchestrator, actions: &[Action], next: &mut u32) {
        for action in actions {
            if let Action::StartTrader { credits } = *action {
                h.portfolio.credits_available -= credits;
                *next += 1;
                let account = AccountId(*next);
                assert!(h.run(o, Input::TraderStarted { account }).is_empty());
            }
        }
    }

    #[test]
    fn start_liquidates_all_then_launches_balance_over_stake_traders() {
        let mut h = Harness::new(1);
        h.portfolio.credits_available = 1100;
        let mut o = orchestrator(10);
        let actions = h.run(&mut o, Input::Start);
        let mut expected = vec![Action::LiquidateAll];
        expected.extend([launch(150); 7]);
        assert_eq!(actions, expected, "1100 credits: 7 traders, 50 left");
        assert!(h.run(&mut o, Input::Tick).is_empty());
    }

    #[test]
    fn launches_are_paced() {
        let mut h = Harness::new(2);
        h.portfolio.credits_available = 1100;
        let mut o = orchestrator(4);
        let mut next = 0;
        let actions = h.run(&mut o, Input::Start);
        assert_eq!(launches(&actions), 4);
        assert_eq!(o.queued(), 3);
        confirm(&mut h, &mut o, &actions, &mut next);
        let actions = h.run(&mut o, Input::Tick);
        assert_eq!(actions, vec![launch(150); 3]);
        confirm(&mut h, &mut o, &actions, &mut next);
        assert_eq!(o.live().len(), 7);
        assert_eq!(h.portfolio.credits_available, 50);
    }

    #[test]
    fn start_with_no_funds_launches_nothing() {
        let mut h = Harness::new(3);
        h.portfolio.credits_available = 149;
        let mut o = orchestrator(4);
        assert_eq!(h.run(&mut o, Input::Start), vec![Action::LiquidateAll]);
        assert!(h.run(&mut o, Input::Tick).is_empty());
    }

    #[test]
    fn sells_its_shares_in_slices_at_the_best_bid() {
        let mut h = Harness::new(4);
        h.portfolio.shares_available = 12;
        let mut o = orchestrator(4);
        let actions = h.run(&mut o, Input::Start);
        assert_eq!(actions, vec![Action::LiquidateAll], "no bid: it waits");
        h.book(Some((28, 3)), None);
        let actions = h.run(&mut o, Input::Tick);
        assert_eq!(placements(&actions), vec![(Side::Sell, Some(28), 5)]);
        let ioc = matches!(
            actions[0],
            Action::Place {
                time_in_force: TimeInForce::Ioc,
                ..
            }
        );
        assert!(ioc);
        h.portfolio.shares_available = 2;
        let actions = h.run(&mut o, Input::Tick);
        assert_eq!(placements(&actions), vec![(Side::Sell, Some(28), 2)]);
    }

    #[test]
    fn one_trader_per_transfer_from_outside_its_traders() {
        let mut h = Harness::new(5);
        let mut o = orchestrator(4);
        h.run(&mut o, Input::Start);
        let maker = AccountId(100);
        h.portfolio.credits_available = 150;
        let transfer = Input::TransferReceived {
            from: maker,
            amount: 150,
        };
        assert_eq!(h.run(&mut o, transfer), vec![launch(150)]);
        let mut next = 0;
        confirm(&mut h, &mut o, &[launch(150)], &mut next);
        h.portfolio.credits_available = 450;
        assert_eq!(h.run(&mut o, transfer), vec![launch(150)], "one, not three");
        let from_trader = Input::TransferReceived {
            from: AccountId(1),
            amount: 150,
        };
        assert!(
            h.run(&mut o, from_trader).is_empty(),
            "not a transfer to it"
        );
    }

    #[test]
    fn a_transfer_it_cannot_fund_launches_nothing() {
        let mut h = Harness::new(6);
        let mut o = orchestrator(4);
        h.run(&mut o, Input::Start);
        h.portfolio.credits_available = 100;
        let transfer = Input::TransferReceived {
            from: AccountId(100),
            amount: 100,
        };
        assert!(h.run(&mut o, transfer).is_empty());
        assert_eq!(o.queued(), 0);
    }

    #[test]
    fn an_exited_trader_is_liquidated_and_replaced_while_funds_allow() {
        let mut h = Harness::new(7);
        h.portfolio.credits_available = 300;
        let mut o = orchestrator(4);
        let mut next = 0;
        let actions = h.run(&mut o, Input::Start);
        confirm(&mut h, &mut o, &actions, &mut next);
        assert_eq!(h.portfolio.credits_available, 0);
        let account = AccountId(1);
        let actions = h.run(&mut o, Input::TraderExited { account });
        assert_eq!(actions, vec![Action::Liquidate { account }], "no funds yet");
        assert!(!o.live().contains(&account));
        h.portfolio.credits_available = 320; // The liquidation returned 320 credits.
        let actions = h.run(&mut o, Input::Tick);
        assert_eq!(actions, vec![launch(150); 2]);
        confirm(&mut h, &mut o, &actions, &mut next);
        assert!(h.run(&mut o, Input::Tick).is_empty(), "20 credits left");
        assert_eq!(o.live().len(), 3);
    }

    #[test]
    fn a_relaunch_counts_funds_committed_to_pending_launches() {
        let mut h = Harness::new(8);
        h.portfolio.credits_available = 1000;
        let mut o = orchestrator(2);
        let actions = h.run(&mut o, Input::Start);
        assert_eq!(launches(&actions), 2);
        assert_eq!(o.queued(), 4, "6 launches for 1000 credits");
        let account = AccountId(9);
        let actions = h.run(&mut o, Input::TraderExited { account });
        assert_eq!(actions, vec![Action::Liquidate { account }]);
        assert_eq!(o.queued(), 4, "100 uncommitted credits pay for no one");
        h.portfolio.credits_available = 1300;
        h.run(&mut o, Input::Tick);
        assert_eq!(o.queued(), 4 - 2 + 2, "300 more credits pay for two");
    }

    #[test]
    fn a_refused_launch_frees_its_funds() {
        let mut h = Harness::new(9);
        h.portfolio.credits_available = 300;
        let mut o = orchestrator(1);
        assert_eq!(launches(&h.run(&mut o, Input::Start)), 1);
        assert_eq!(launches(&h.run(&mut o, Input::Tick)), 1);
        assert!(
            h.run(&mut o, Input::Tick).is_empty(),
            "both stakes committed"
        );
        let refused = Input::Rejected {
            kind: ActionKind::Orchestrate,
            client_id: None,
            code: "insufficient_credits",
        };
        h.run(&mut o, refused);
        let account = AccountId(5);
        let actions = h.run(&mut o, Input::TraderExited { account });
        let expected = vec![Action::Liquidate { account }, launch(150)];
        assert_eq!(actions, expected, "the refused stake is free again");
    }

    /// A runner in miniature: launches debit the stake, traders exit at random and their
    /// liquidation returns a random amount; the orchestrator never asks for more than it has.
    #[test]
    fn never_launches_more_than_its_funds() {
        let mut h = Harness::new(10);
        h.portfolio.credits_available = 2000;
        let mut o = orchestrator(3);
        let mut world = crate::rng::BotRng::new(99);
        let mut next = 0;
        let mut live: Vec<AccountId> = Vec::new();
        let mut pending: Vec<Action> = Vec::new();
        let mut actions = h.run(&mut o, Input::Start);
        let mut launched_since_tick = launches(&actions);
        for round in 0..2000 {
            for action in actions.drain(..) {
                match action {
                    Action::StartTrader { credits } => {
                        let left = h.portfolio.credits_available.checked_sub(credits);
                        h.portfolio.credits_available = left.expect("a launch beyond its funds");
                        pending.push(action);
                    }
                    Action::Liquidate { .. } => {
                        h.portfolio.credits_available += world.between(0, 400);
                    }
                    _ => {}
                }
            }
            if world.chance(1, 2) {
                for _ in pending.drain(..) {
                    next += 1;
                    live.push(AccountId(next));
                    h.run(
                        &mut o,
                        Input::TraderStarted {
                            account: AccountId(next),
                        },
                    );
                }
            }
            let input = if !live.is_empty() && world.chance(1, 3) {
                let account = live.remove(world.below(live.len() as u64) as usize);
                Input::TraderExited { account }
            } else if round % 7 == 0 {
                h.portfolio.credits_available += 150;
                let from = AccountId(1_000_000);
                Input::TransferReceived { from, amount: 150 }
            } else {
                Input::Tick
            };
            let ticked = input == Input::Tick;
            actions = h.run(&mut o, input);
            launched_since_tick = if ticked { 0 } else { launched_since_tick };
            launched_since_tick += launches(&actions);
            assert!(launched_since_tick <= 3, "paced");
        }
        assert!(next > 100, "it kept launching: {next}");
    }
}
