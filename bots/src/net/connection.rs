//! The runner's connection: subscribing (afresh or resuming), reading the state over REST
//! when it must, reconnecting with backoff, and turning frames into held inputs (see
//! [`Inbox`](super::inbox::Inbox)).

use super::error::NetError;
use super::runner::{Frame, Runner};
use super::socket;
use super::view::Snapshot;
use super::wire::ServerMessage;
use futures_util::{FutureExt, StreamExt};
use std::collections::HashSet;
use tokio::sync::watch;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

/// Fills and transfers read back after a `resync`, to report those missed.
pub const MISSED_READ_MAX: usize = 1_000;

/// Frames handled in a row before the runner looks at its other duties (a stop, its
/// timer): a busy market must not starve them.
pub const FRAMES_PER_TURN: usize = 256;

impl Runner {
    /// Connects until it works (with backoff), the token is refused, or a stop comes
    /// (`false`).
    pub(super) async fn first_connection(
        &mut self,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<bool, NetError> {
        loop {
            match self.connect().await {
                Ok(()) => return Ok(true),
                Err(error) if error.is_fatal() => return Err(error),
                Err(error) => {
                    tracing::warn!(bot = %self.config.name, %error, "cannot connect yet");
                }
            }
            let wait = self.next_delay();
            tokio::select! {
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        return Ok(false);
                    }
                }
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Subscribes (resuming if it can), reads the state if it must, and applies what the
    /// subscription brought; the inputs wait in the inbox.
    async fn connect(&mut self) -> Result<(), NetError> {
        let since = self.view.cursor.resume();
        let subscription = socket::subscribe(&self.rest, &self.config.ticker, since).await?;
        if since.is_none() || subscription.resynced {
            self.read_state().await?;
            self.counts.resyncs += u64::from(since.is_some());
        } else {
            self.counts.resumes += 1;
        }
        for message in &subscription.pending {
            self.apply(message);
        }
        self.socket = Some(subscription.socket);
        self.counts.connections += 1;
        self.counts.last_since = since;
        self.delay = self.config.backoff.initial;
        let resynced = subscription.resynced;
        tracing::info!(bot = %self.config.name, ?since, resynced, "subscribed");
        self.publish_status();
        Ok(())
    }

    /// A reconnection attempt (when its wait is over).
    pub(super) async fn reconnect(&mut self) -> Result<(), NetError> {
        self.reconnect_at = None;
        match self.connect().await {
            Ok(()) => self.settle().await,
            Err(error) if error.is_fatal() => Err(error),
            Err(error) => {
                tracing::warn!(bot = %self.config.name, %error, "reconnection failed");
                self.reconnect_at = Some(Instant::now() + self.next_delay());
                Ok(())
            }
        }
    }

    /// Reads the state over REST and applies it; what it reports waits in the inbox.
    async fn read_state(&mut self) -> Result<(), NetError> {
        let snapshot = self.read_snapshot().await?;
        let mut inputs = Vec::new();
        self.view.apply_snapshot(&snapshot, &mut inputs);
        self.inbox.hold(snapshot.quote.seq, inputs);
        Ok(())
    }

    /// Reads the state over REST: the quote first (its seq is the read's), then the
    /// account, the open orders and, for orders thought open that are not, each order;
    /// after the first read also the latest fills and transfers.
    async fn read_snapshot(&mut self) -> Result<Snapshot, NetError> {
        let ticker = &self.config.ticker;
        let quote = self.rest.quote(ticker).await?;
        let account = self.rest.account().await?;
        let open_orders = self.rest.open_orders(ticker).await?;
        let open: HashSet<u64> = open_orders.iter().map(|order| order.id).collect();
        let mut ended_orders = Vec::new();
        for id in self.view.orders.live_ids() {
            if !open.contains(&id) {
                ended_orders.push(self.rest.order(id).await?);
            }
        }
        let catching_up = self.view.portfolio.account.is_some();
        let (fills, transfers) = if catching_up {
            let fills = self.rest.fills(MISSED_READ_MAX).await?;
            (fills, self.rest.transfers(MISSED_READ_MAX).await?)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Snapshot {
            quote,
            account,
            open_orders,
            ended_orders,
            fills,
            transfers,
        })
    }

    /// A frame, then the frames already waiting (up to [`FRAMES_PER_TURN`]); then the held
    /// inputs go if the view is whole.
    pub(super) async fn on_frames(&mut self, first: Frame) -> Result<(), NetError> {
        let mut next = Some(first);
        let mut frames = 0;
        while let Some(frame) = next.take() {
            self.on_frame(frame).await?;
            frames += 1;
            if frames == FRAMES_PER_TURN {
                break;
            }
            next = self
                .socket
                .as_mut()
                .and_then(|socket| socket.next().now_or_never());
        }
        self.settle().await
    }

    /// Releases the held inputs if the view is whole (else they wait, at most until the
    /// inbox's deadline).
    pub(super) async fn settle(&mut self) -> Result<(), NetError> {
        if self.inbox.settle(Instant::now(), self.view.cursor.last()) {
            self.flush().await?;
        }
        Ok(())
    }

    /// Delivers the held inputs (those of answers only once their record is in the view).
    pub(super) async fn flush(&mut self) -> Result<(), NetError> {
        let inputs = self.inbox.take(self.view.cursor.last());
        self.deliver(inputs).await
    }

    /// One frame: a message to apply, or the end of the connection.
    async fn on_frame(&mut self, frame: Frame) -> Result<(), NetError> {
        let text = match frame {
            Some(Ok(Message::Text(text))) => text,
            // tungstenite answers pings itself.
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_))) => return Ok(()),
            Some(Ok(Message::Frame(_))) => return Ok(()),
            Some(Ok(Message::Close(frame))) => {
                self.connection_lost(&format!("closed by the server: {frame:?}"));
                return Ok(());
            }
            Some(Err(error)) => {
                self.connection_lost(&error.to_string());
                return Ok(());
            }
            None => {
                self.connection_lost("closed");
                return Ok(());
            }
        };
        match socket::parse(&text) {
            Ok(ServerMessage::Resync { channel }) => {
                tracing::warn!(bot = %self.config.name, channel, "resync");
                self.read_state().await?;
                self.counts.resyncs += 1;
            }
            Ok(ServerMessage::Error { code, message }) => {
                tracing::warn!(bot = %self.config.name, code, message, "server error message");
            }
            Ok(message) => self.apply(&message),
            Err(error) => tracing::warn!(bot = %self.config.name, %error, "message ignored"),
        }
        Ok(())
    }

    /// Applies a message to the view, holding its inputs.
    fn apply(&mut self, message: &ServerMessage) {
        let mut inputs = Vec::new();
        if self.view.apply_message(message, &mut inputs) {
            self.inbox.hold(self.view.cursor.last(), inputs);
            self.inbox.applied(message);
        }
    }

    /// Forgets the connection and schedules a reconnection.
    fn connection_lost(&mut self, why: &str) {
        tracing::warn!(bot = %self.config.name, why, "connection lost");
        self.socket = None;
        self.reconnect_at = Some(Instant::now() + self.next_delay());
        self.publish_status();
    }
}
