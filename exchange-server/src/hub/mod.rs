//! The hub: live market data and account streams over WebSocket (`GET /ws`, see
//! `docs/api.md`).
//!
//! The server's sequencer calls [`Hub::publish`] after each durable batch. The hub
//!
//! 1. applies the batch's events to its mirror of every order book and renders the channel
//!    messages they cause (`trade`, `book`, `quote`, and `order`, `fill`, `transfer`,
//!    `alert` and `balance` for the accounts involved), each serialized once;
//! 2. keeps the messages of the last [`HubConfig::ring_records_max`] records, so a client
//!    can resume with `since`;
//! 3. offers each message to the channel's subscribers without waiting: a client whose
//!    queue is full is disconnected as a slow consumer. Publishing never blocks on a client.
//!
//! A client is a [`Connection`] from [`Hub::connect`]. Its session logic (subscribe,
//! unsubscribe, ping) is a plain function over the hub's state (module `session`), run
//! under the same lock as publishing, so a snapshot or replay and the live messages after
//! it neither overlap nor leave a gap. [`serve_socket`] is the thin pump between a
//! WebSocket and a connection:
//!
//! ```ignore
//! warp::path("ws").and(warp::ws()).map(move |ws: warp::ws::Ws| {
//!     let connection = hub.connect(account); // the identity from cookie, token or ticket
//!     // Above HubConfig::message_bytes_max, so an oversized message gets an error reply
//!     // rather than a protocol error that drops the socket.
//!     ws.max_message_size(64 * 1024)
//!         .on_upgrade(move |socket| {
//!             // Closes the socket once the credential it was opened with stops holding.
//!             serve_socket(socket, connection, SocketConfig::default(), credential_holds)
//!         })
//! })
//! ```
//!
//! Channels: `quotes:SYM`, `book:SYM`, `trades:SYM`, `activity` (public), and `account` (the
//! connection's own account; refused with `unauthenticated` without one). Messages follow
//! `docs/api.md`. Within one record they go out as: trades, `book` level changes (by
//! ticker, bids then asks, by price), `quote` changes, `activity` entries, account
//! messages in event order, then `balance`s by account; records in seq order.

mod channel;
mod connection;
mod error;
mod message;
mod mirror;
mod render;
mod ring;
mod session;
mod socket;
mod state;

#[cfg(test)]
mod fixture;

pub use connection::Connection;
pub use error::ClientError;
pub use socket::{
    serve_socket, SocketConfig, CLOSE_IDLE, CLOSE_PROTOCOL_ERROR, CLOSE_SLOW_CONSUMER,
    CLOSE_UNAUTHENTICATED,
};

use exchange_core::log::{Record, Seq};
use exchange_core::{AccountId, AccountView, State};
use state::HubState;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// One durable batch, as the sequencer hands it to [`Hub::publish`].
#[derive(Clone, Debug, Default)]
pub struct Published {
    /// The batch's records in seq order: commands and checkpoints (checkpoints only
    /// advance the hub's seq).
    pub records: Vec<Record>,
    /// Each account the batch touched, with its balances after the batch and the seq of
    /// the last record that touched it; its `balance` message goes out with that record.
    pub balances: Vec<(Seq, AccountView)>,
}

/// The hub's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HubConfig {
    /// Records whose messages are kept for clients resuming with `since` (default 100 000).
    pub ring_records_max: usize,
    /// Messages a client's queue holds; a client that falls further behind is disconnected
    /// (default 4096).
    pub client_queue_max: usize,
    /// Longest client message accepted, in bytes (default 4096).
    pub message_bytes_max: usize,
    /// Most channels one connection may subscribe to (default 64).
    pub subscriptions_max: usize,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            ring_records_max: 100_000,
            client_queue_max: 4096,
            message_bytes_max: 4096,
            subscriptions_max: 64,
        }
    }
}

/// The hub's counters, for `/metrics`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HubStats {
    /// Clients connected now.
    pub clients: usize,
    /// Messages queued to clients, since the hub started.
    pub messages_sent: u64,
    /// Clients disconnected for falling behind, since the hub started.
    pub slow_disconnects: u64,
    /// Client messages refused with an error, since the hub started.
    pub invalid_messages: u64,
    /// The last record the hub published.
    pub seq: Seq,
}

/// A connected client's id, unique for the hub's lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub u64);

/// The hub. Cloning it is cheap: every clone shares one state.
#[derive(Clone, Debug)]
pub struct Hub {
    inner: Arc<Mutex<HubState>>,
}

impl Hub {
    /// A hub mirroring every ticker's book, symbol and last price in `state`, which
    /// includes every record up to `seq`.
    pub fn new(state: &State, seq: Seq, config: HubConfig) -> Hub {
        let state = HubState::new(state, seq, config);
        Hub {
            inner: Arc::new(Mutex::new(state)),
        }
    }

    /// Renders a durable batch, keeps it for resuming and fans it out. Never waits for a
    /// client: one whose queue is full is disconnected (its queue closed).
    ///
    /// # Panics
    /// If records are not newer than every record published before, or their events do
    /// not fit the books (an order that never rested trades): the hub's mirror would be
    /// wrong.
    pub fn publish(&self, batch: &Published) {
        self.lock().publish(batch);
    }

    /// A new client; `account` is its authenticated identity (`None`: public channels only).
    pub fn connect(&self, account: Option<AccountId>) -> Connection {
        let (id, receiver) = self.lock().connect(account);
        Connection::new(id, self.clone(), receiver)
    }

    /// The hub's counters.
    pub fn stats(&self) -> HubStats {
        self.lock().stats()
    }

    /// The state, even if a panic poisoned the lock: every change under the lock is
    /// completed before the next one, except on a broken invariant, which already panicked.
    fn lock(&self) -> MutexGuard<'_, HubState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
