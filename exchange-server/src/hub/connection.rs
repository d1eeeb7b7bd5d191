//! A client's end of the hub: its session and its bounded queue of messages.

use super::session::{self, Input};
use super::{ClientId, Hub};
use std::sync::Arc;
use tokio::sync::mpsc;

/// One connected client. Its messages (JSON texts, in order) wait in a bounded queue; the
/// hub closes the queue when the client falls too far behind. Dropping the connection
/// unregisters the client.
#[derive(Debug)]
pub struct Connection {
    id: ClientId,
    hub: Hub,
    receiver: mpsc::Receiver<Arc<str>>,
}

impl Connection {
    /// A registered client's connection (see [`Hub::connect`]).
    pub(super) fn new(id: ClientId, hub: Hub, receiver: mpsc::Receiver<Arc<str>>) -> Self {
        Self { id, hub, receiver }
    }

    /// The client's id in the hub.
    pub fn id(&self) -> ClientId {
        self.id
    }

    /// Acts on a text message from the client (`subscribe`, `unsubscribe`, `ping`); the
    /// replies, snapshots and replays go into the client's own queue.
    pub fn handle_text(&self, text: &str) {
        handle_input(&self.hub, self.id, Input::Text(text));
    }

    /// Answers a binary message from the client with an error: the hub speaks JSON text.
    pub fn handle_binary(&self) {
        handle_input(&self.hub, self.id, Input::Binary);
    }

    /// The next message for the client, waiting for one; `None` once the hub disconnected
    /// the client (a slow consumer) and every message queued before that was taken.
    pub async fn next(&mut self) -> Option<Arc<str>> {
        self.receiver.recv().await
    }

    /// The next message already queued, without waiting.
    pub fn try_next(&mut self) -> Option<Arc<str>> {
        self.receiver.try_recv().ok()
    }

    /// Whether the hub disconnected the client (it may still have queued messages).
    pub fn is_disconnected(&self) -> bool {
        self.receiver.is_closed()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.hub.lock().disconnect(self.id);
    }
}

/// Runs the session logic and queues its replies, under one lock with publishing.
fn handle_input(hub: &Hub, id: ClientId, input: Input<'_>) {
    let mut state = hub.lock();
    let replies = session::handle(&mut state, id, input);
    state.deliver(id, replies);
}
