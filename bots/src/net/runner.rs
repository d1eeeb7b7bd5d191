//! The runner: one strategy against a live server, as a tokio task.
//!
//! What it does, in order:
//! 1. connects the WebSocket with the bot's token and subscribes to `quotes:SYM`,
//!    `trades:SYM` and `account`, then reads the starting state over REST (quote first,
//!    then account and open orders) and drops the messages that state already reflects;
//! 2. calls the strategy with [`Input::Start`], then with the inputs the messages mean
//!    (see [`BotView`]), on every tick of its timer (only while connected), and, for an
//!    orchestrator, whenever one of its traders exits. Inputs wait in the
//!    [`Inbox`] until the view is whole: a record's balances applied, the bot's own last
//!    commands seen on the WebSocket; a tick that comes while it is not is skipped;
//! 3. after each call carries out the actions over REST, in order. A refusal becomes
//!    [`Input::Rejected`] at once; an answer updates the bot's orders at once and its
//!    inputs (fills, ends, started traders) wait for the answer's record;
//! 4. when the connection drops, reconnects with exponential backoff and resubscribes with
//!    `since` (see [`Cursor`](super::cursor::Cursor)); if the server answers `resync`, reads
//!    the state again and reports what it missed;
//! 5. when stopped (or the strategy exits), stops its traders, cancels its orders on the
//!    ticker and closes the connection. A revoked token or closed account ends it with an
//!    error (that is how a liquidated trader ends).
//!
//! Frames are read in turns of at most [`FRAMES_PER_TURN`](super::connection::FRAMES_PER_TURN),
//! and a stop is always looked at first, so a busy market cannot keep a bot from stopping.

use super::error::NetError;
use super::inbox::Inbox;
use super::kafka::{next_transfer, KafkaSource, TransferFeed};
use super::rest::{Rest, Server};
use super::socket::Socket;
use super::traders::{TraderSpawner, Traders};
use super::view::BotView;
use crate::rng::BotRng;
use crate::strategy::{Action, Ctx, Input, MarketInputs, MarketView, Portfolio, Strategy};
use exchange_core::AccountId;
use futures_util::StreamExt;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::{self, Message};

/// Makes a strategy: the `n`-th of its kind.
pub type StrategyMaker = Arc<dyn Fn(u64) -> Box<dyn Strategy> + Send + Sync>;

/// Inputs one outside event may cause (answers causing inputs causing actions ...),
/// beyond which the rest are dropped: a strategy that answers every rejection with the
/// same refused action must not keep the runner busy forever.
pub const CASCADE_MAX: usize = 1_024;

/// How long the cancel-all when a bot stops may take.
pub const STOP_CANCEL_TIMEOUT: Duration = Duration::from_secs(5);

/// Waits between reconnection attempts: from `initial`, doubling, up to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The first wait.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for Backoff {
    /// 100 ms, doubling up to 5 s.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(5),
        }
    }
}

/// Where and as whom a bot runs.
#[derive(Clone, Debug)]
pub struct BotConfig {
    /// Its name, for logs.
    pub name: String,
    /// The server.
    pub server: Server,
    /// Its API token.
    pub token: String,
    /// The ticker it trades.
    pub ticker: String,
    /// Where [`Action::TransferToOrchestrator`] sends credits (by email).
    pub orchestrator_email: Option<String>,
    /// Reconnection waits.
    pub backoff: Backoff,
    /// Whether it cancels its orders on the ticker when it stops.
    pub cancel_on_stop: bool,
    /// Where it reads the payments it receives, instead of its WebSocket account stream.
    pub kafka: Option<KafkaSource>,
}

impl BotConfig {
    /// A bot named `name` trading `ticker` on `server` with `token`; no orchestrator,
    /// the default backoff, orders cancelled on stop.
    pub fn new(name: &str, server: Server, token: &str, ticker: &str) -> Self {
        Self {
            name: name.to_owned(),
            server,
            token: token.to_owned(),
            ticker: ticker.to_owned(),
            orchestrator_email: None,
            backoff: Backoff::default(),
            cancel_on_stop: true,
            kafka: None,
        }
    }
}

/// A strategy and everything it needs to run.
pub struct Bot {
    /// The strategy.
    pub strategy: Box<dyn Strategy>,
    /// Its random numbers.
    pub rng: BotRng,
    /// Where and as whom.
    pub config: BotConfig,
    /// For an orchestrator: what it starts on the accounts it creates.
    pub traders: Option<TraderSpawner>,
}

/// How a bot ended, when it ended well.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// It was asked to stop.
    Stopped,
    /// Its strategy asked to exit.
    StrategyExited,
}

/// What a running bot shows of itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BotStatus {
    /// Whether its WebSocket is subscribed.
    pub connected: bool,
    /// Subscriptions so far (the first one and every reconnection).
    pub connections: u64,
    /// Reconnections that resumed with `since`, missing nothing.
    pub resumes: u64,
    /// Reconnections the server answered with `resync` (the state was read again).
    pub resyncs: u64,
    /// The `since` of the last subscription (`None` for a fresh one).
    pub last_since: Option<u64>,
    /// The last record whose messages it handled.
    pub last_seq: u64,
    /// Inputs the strategy was called with.
    pub inputs: u64,
    /// Its view of the market.
    pub market: MarketView,
    /// Its balances and orders.
    pub portfolio: Portfolio,
    /// Traders it runs (orchestrators).
    pub traders: usize,
}

/// What a [`BotHandle`] can ask of its runner besides stopping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Control {
    /// Close the WebSocket and stay offline.
    Disconnect,
    /// Connect again (resuming with `since`).
    Reconnect,
}

/// A running bot. Dropping the handle stops the bot, as [`BotHandle::stop`] does.
pub struct BotHandle {
    stop: watch::Sender<bool>,
    control: mpsc::UnboundedSender<Control>,
    status: watch::Receiver<BotStatus>,
    task: JoinHandle<Result<Exit, NetError>>,
}

impl BotHandle {
    /// Asks the bot to stop (it cancels its orders and stops its traders first).
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Waits until the bot has ended.
    pub async fn join(self) -> Result<Exit, NetError> {
        self.task
            .await
            .map_err(|error| NetError::Task(error.to_string()))?
    }

    /// Stops the bot and waits until it has ended.
    pub async fn stop_and_join(self) -> Result<Exit, NetError> {
        self.stop();
        self.join().await
    }

    /// Its status, updated after every input.
    pub fn status(&self) -> watch::Receiver<BotStatus> {
        self.status.clone()
    }

    /// Closes its WebSocket as a network failure would, but does not reconnect until
    /// [`BotHandle::reconnect`]: for tests of resumption, and for operators.
    pub fn disconnect(&self) {
        // A bot that has ended no longer listens; there is nothing to disconnect.
        let _ = self.control.send(Control::Disconnect);
    }

    /// Reconnects after [`BotHandle::disconnect`].
    pub fn reconnect(&self) {
        // As in `disconnect`.
        let _ = self.control.send(Control::Reconnect);
    }
}

/// Starts `bot` as a task of the current tokio runtime.
pub fn spawn(bot: Bot) -> BotHandle {
    let (stop, stopped) = watch::channel(false);
    let (control, controls) = mpsc::unbounded_channel();
    let (status_sender, status) = watch::channel(BotStatus::default());
    let task = tokio::spawn(spawn_runner(
        bot,
        stopped,
        Some(controls),
        Some(status_sender),
    ));
    BotHandle {
        stop,
        control,
        status,
        task,
    }
}

/// A runner's whole life, boxed (a runner starts runners: its traders).
pub(super) type RunFuture = Pin<Box<dyn Future<Output = Result<Exit, NetError>> + Send>>;

/// The future that runs `bot` until `stop` says so.
pub(super) fn spawn_runner(
    bot: Bot,
    stop: watch::Receiver<bool>,
    controls: Option<mpsc::UnboundedReceiver<Control>>,
    status: Option<watch::Sender<BotStatus>>,
) -> RunFuture {
    Box::pin(async move {
        let status = status.unwrap_or_else(|| watch::channel(BotStatus::default()).0);
        let mut runner = Runner::new(bot, status)?;
        let result = runner.serve(stop, controls).await;
        runner.finish(&result).await;
        match &result {
            Ok(exit) => tracing::info!(bot = %runner.config.name, ?exit, "bot ended"),
            Err(error) => tracing::warn!(bot = %runner.config.name, %error, "bot ended"),
        }
        result
    })
}

/// A client order id base no earlier run of a bot on the same account has reached: the
/// milliseconds since the epoch, times 1,024 (below 2^53 until the year 2248). Ids are
/// unique per account forever, and a restarted bot must not reuse one.
fn client_id_base() -> u64 {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64);
    now_ms.saturating_mul(1_024)
}

/// A running bot's state.
pub(super) struct Runner {
    pub(super) strategy: Box<dyn Strategy>,
    /// The market-wide inputs the strategy reacts to; the others only update the view.
    market_inputs: MarketInputs,
    pub(super) rng: BotRng,
    pub(super) config: BotConfig,
    pub(super) rest: Rest,
    pub(super) view: BotView,
    pub(super) inbox: Inbox,
    pub(super) traders: Traders,
    pub(super) exit_requested: bool,
    pub(super) socket: Option<Socket>,
    pub(super) reconnect_at: Option<Instant>,
    pub(super) kafka: Option<TransferFeed>,
    pub(super) delay: Duration,
    pub(super) counts: BotStatus,
    started: Instant,
    status: watch::Sender<BotStatus>,
}

impl Runner {
    fn new(bot: Bot, status: watch::Sender<BotStatus>) -> Result<Self, NetError> {
        let rest = Rest::new(&bot.config.server, &bot.config.token)?;
        let mut view = BotView::new(&bot.config.ticker, client_id_base());
        view.transfers_from_stream = bot.config.kafka.is_none();
        Ok(Self {
            market_inputs: bot.strategy.market_inputs(),
            strategy: bot.strategy,
            rng: bot.rng,
            view,
            inbox: Inbox::default(),
            traders: Traders::new(bot.traders),
            exit_requested: false,
            socket: None,
            reconnect_at: None,
            kafka: None,
            delay: bot.config.backoff.initial,
            counts: BotStatus::default(),
            started: Instant::now(),
            status,
            rest,
            config: bot.config,
        })
    }

    /// Connects, starts the strategy, then handles whatever comes first until stopped.
    async fn serve(
        &mut self,
        mut stop: watch::Receiver<bool>,
        mut controls: Option<mpsc::UnboundedReceiver<Control>>,
    ) -> Result<Exit, NetError> {
        if !self.first_connection(&mut stop).await? {
            return Ok(Exit::Stopped);
        }
        self.start_kafka();
        self.deliver(vec![Input::Start]).await?;
        self.settle().await?;
        let mut tick = self.tick_interval();
        while !self.exit_requested {
            let connected = self.socket.is_some();
            tokio::select! {
                biased;
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        return Ok(Exit::Stopped);
                    }
                }
                control = next_control(&mut controls) => self.on_control(control),
                () = sleep_until(self.inbox.deadline()) => self.flush().await?,
                () = sleep_until(self.reconnect_at) => self.reconnect().await?,
                () = next_tick(&mut tick), if connected => self.on_tick().await?,
                Some((account, result)) = self.traders.join_next(), if !self.traders.is_empty() => {
                    self.trader_exited(account, result).await?;
                }
                transfer = next_transfer(&mut self.kafka) => self.on_kafka_transfer(transfer).await?,
                // Last: frames keep coming in a busy market, and must not starve the rest.
                frame = next_frame(&mut self.socket) => self.on_frames(frame).await?,
            }
            self.release_transfers().await?;
        }
        Ok(Exit::StrategyExited)
    }

    fn on_control(&mut self, control: Control) {
        match control {
            Control::Disconnect => {
                // Dropping the socket closes the TCP connection, as a failure would.
                self.socket = None;
                self.reconnect_at = None;
            }
            Control::Reconnect => {
                if self.socket.is_none() {
                    self.reconnect_at = Some(Instant::now());
                }
            }
        }
        self.publish_status();
    }

    async fn trader_exited(
        &mut self,
        account: AccountId,
        result: Result<Exit, NetError>,
    ) -> Result<(), NetError> {
        match result {
            Ok(exit) => tracing::info!(bot = %self.config.name, %account, ?exit, "trader exited"),
            Err(error) => {
                tracing::info!(bot = %self.config.name, %account, %error, "trader exited")
            }
        }
        self.inbox.hold(0, [Input::TraderExited { account }]);
        self.settle().await
    }

    /// A tick of the strategy's timer, skipped while the view is not whole (the next one
    /// comes soon enough; the inbox's deadline bounds the wait).
    async fn on_tick(&mut self) -> Result<(), NetError> {
        let through = self.view.cursor.last();
        if self.inbox.settle(Instant::now(), through) {
            let mut inputs = self.inbox.take(through);
            inputs.push(Input::Tick);
            self.deliver(inputs).await?;
        }
        Ok(())
    }

    /// Calls the strategy with each input, carrying out its actions and handling the
    /// inputs they cause at once (rejections) before the next one; then publishes the
    /// status. Once its actions made records the view does not show yet, the remaining
    /// inputs go back to the inbox to wait for them.
    pub(super) async fn deliver(&mut self, inputs: Vec<Input>) -> Result<(), NetError> {
        let mut queue = VecDeque::from(inputs);
        let mut delivered = 0;
        while let Some(input) = queue.pop_front() {
            if self.exit_requested {
                break;
            }
            if delivered == CASCADE_MAX {
                let dropped = queue.len() + 1;
                tracing::warn!(bot = %self.config.name, dropped, "too many inputs in a cascade");
                break;
            }
            if !self.market_inputs.admit(&input) {
                continue;
            }
            delivered += 1;
            for action in self.call_strategy(&input) {
                queue.extend(self.execute(action).await?);
            }
            let through = self.view.cursor.last();
            if !queue.is_empty() && !self.inbox.settle(Instant::now(), through) {
                self.inbox.requeue(queue.drain(..));
            }
        }
        self.publish_status();
        Ok(())
    }

    fn call_strategy(&mut self, input: &Input) -> Vec<Action> {
        let mut actions = Vec::new();
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let view = &mut self.view;
        let mut ctx = Ctx::new(
            now_ms,
            &view.market,
            &view.portfolio,
            &mut self.rng,
            &mut view.orders.next_client_id,
            &mut actions,
        );
        self.strategy.on(input, &mut ctx);
        self.counts.inputs += 1;
        actions
    }

    /// The timer of the strategy, if it wants one.
    fn tick_interval(&self) -> Option<Interval> {
        let period_ms = self.strategy.tick_interval_ms();
        (period_ms > 0).then(|| {
            let period = Duration::from_millis(period_ms);
            let mut interval = tokio::time::interval_at(Instant::now() + period, period);
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
            interval
        })
    }

    /// The wait before the next connection attempt; doubles the one after.
    pub(super) fn next_delay(&mut self) -> Duration {
        let delay = self.delay;
        self.delay = (delay * 2).min(self.config.backoff.max);
        delay
    }

    pub(super) fn publish_status(&mut self) {
        self.counts.connected = self.socket.is_some();
        self.counts.last_seq = self.view.cursor.last();
        self.counts.market = self.view.market;
        self.counts.portfolio.clone_from(&self.view.portfolio);
        self.counts.traders = self.traders.len();
        self.status.send_replace(self.counts.clone());
    }

    /// Stops the traders, cancels the orders (unless the account is gone) and closes the
    /// connection.
    async fn finish(&mut self, result: &Result<Exit, NetError>) {
        self.traders.shutdown().await;
        if self.config.cancel_on_stop && result.is_ok() {
            let cancel = self.rest.cancel_all(&self.config.ticker);
            match tokio::time::timeout(STOP_CANCEL_TIMEOUT, cancel).await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => tracing::warn!(bot = %self.config.name, %error, "cancel on stop"),
                Err(_) => tracing::warn!(bot = %self.config.name, "cancel on stop timed out"),
            }
        }
        if let Some(mut socket) = self.socket.take() {
            // The bot is leaving; a close that fails changes nothing.
            let _ = socket.close(None).await;
        }
        self.publish_status();
    }
}

/// The next control message; never resolves once the handle is gone.
async fn next_control(controls: &mut Option<mpsc::UnboundedReceiver<Control>>) -> Control {
    if let Some(receiver) = controls {
        if let Some(control) = receiver.recv().await {
            return control;
        }
        *controls = None;
    }
    std::future::pending().await
}

/// A frame of the connection, or its end.
pub(super) type Frame = Option<Result<Message, tungstenite::Error>>;

/// The next frame of the connection; never resolves without one.
async fn next_frame(socket: &mut Option<Socket>) -> Frame {
    match socket {
        Some(socket) => socket.next().await,
        None => std::future::pending().await,
    }
}

/// Resolves at `at`; never without it.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The next tick; never without a timer.
async fn next_tick(tick: &mut Option<Interval>) {
    match tick {
        Some(tick) => {
            tick.tick().await;
        }
        None => std::future::pending().await,
    }
}
