//! [`Traders`]: the noise traders an orchestrator bot started, each a runner task of its
//! own in this process, on the orchestrated account's token.

use super::error::NetError;
use super::runner::{spawn_runner, Bot, BotConfig, Exit, StrategyMaker};
use crate::rng::BotRng;
use exchange_core::AccountId;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::{Id, JoinSet};

/// What an orchestrator starts on each account it creates.
#[derive(Clone)]
pub struct TraderSpawner {
    /// Makes the strategy of the `n`-th trader (`n` from 1).
    pub strategy: StrategyMaker,
    /// Trader `n` draws from stream `n` of this seed.
    pub seed: u64,
}

impl TraderSpawner {
    /// Traders made by `strategy`, with random numbers from `seed`.
    pub fn new(
        strategy: impl Fn(u64) -> Box<dyn crate::Strategy> + Send + Sync + 'static,
        seed: u64,
    ) -> Self {
        Self {
            strategy: Arc::new(strategy),
            seed,
        }
    }
}

impl std::fmt::Debug for TraderSpawner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TraderSpawner")
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

/// The running traders of one orchestrator.
pub struct Traders {
    spawner: Option<TraderSpawner>,
    running: JoinSet<(AccountId, Result<Exit, NetError>)>,
    stops: HashMap<AccountId, watch::Sender<bool>>,
    accounts: HashMap<Id, AccountId>,
    started: u64,
}

impl Traders {
    /// No traders yet; `spawner` is `None` for a bot that is no orchestrator.
    pub fn new(spawner: Option<TraderSpawner>) -> Self {
        Self {
            spawner,
            running: JoinSet::new(),
            stops: HashMap::new(),
            accounts: HashMap::new(),
            started: 0,
        }
    }

    /// Whether this bot can start traders.
    pub fn can_start(&self) -> bool {
        self.spawner.is_some()
    }

    /// How many are running.
    pub fn len(&self) -> usize {
        self.running.len()
    }

    /// Whether none is running.
    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// Starts a trader on `account` with its `token`, configured like `parent` (same
    /// server and ticker, no orchestrator of its own).
    pub fn start(&mut self, parent: &BotConfig, account: AccountId, token: String) {
        let spawner = self
            .spawner
            .as_ref()
            .expect("invariant: the runner checks can_start before starting a trader");
        self.started += 1;
        let index = self.started;
        let config = BotConfig {
            name: format!("{}/trader-{index}", parent.name),
            token,
            orchestrator_email: None,
            kafka: None,
            ..parent.clone()
        };
        let bot = Bot {
            strategy: (spawner.strategy)(index),
            rng: BotRng::fork(spawner.seed, index),
            config,
            traders: None,
        };
        let (stop, stopped) = watch::channel(false);
        let runner = spawn_runner(bot, stopped, None, None);
        self.stops.insert(account, stop);
        let task = self.running.spawn(async move { (account, runner.await) });
        self.accounts.insert(task.id(), account);
    }

    /// Asks the trader on `account` to stop, if one runs there.
    pub fn stop(&mut self, account: AccountId) {
        if let Some(stop) = self.stops.get(&account) {
            stop.send_replace(true);
        }
    }

    /// The next trader to exit, and how it ended; `None` when none runs. Cancel-safe.
    pub async fn join_next(&mut self) -> Option<(AccountId, Result<Exit, NetError>)> {
        let (id, result) = match self.running.join_next_with_id().await? {
            Ok((id, (_, result))) => (id, result),
            Err(error) => (error.id(), Err(NetError::Task(error.to_string()))),
        };
        let account = self
            .accounts
            .remove(&id)
            .expect("invariant: every trader task is recorded with its account");
        self.stops.remove(&account);
        Some((account, result))
    }

    /// Stops every trader and waits for all of them.
    pub async fn shutdown(&mut self) {
        for stop in self.stops.values() {
            stop.send_replace(true);
        }
        while self.join_next().await.is_some() {}
    }
}
