//! The hub's state behind its lock: the book mirror, the resume ring, the connected clients
//! and their subscriptions. Publishing and every client's session logic run here, under one
//! lock, so a subscription's snapshot or replay and the live messages after it never
//! overlap or leave a gap.

use super::channel::ChannelKey;
use super::mirror::Mirror;
use super::render::{balance_message, render_record, Rendered};
use super::ring::Ring;
use super::{ClientId, HubConfig, HubStats, Published};
use exchange_core::log::{Entry, Seq};
use exchange_core::{AccountId, AccountView, State};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tokio::sync::mpsc::{self, error::TrySendError};

/// One connected client.
#[derive(Debug)]
pub(crate) struct Client {
    /// Its authenticated account, if any.
    pub(crate) account: Option<AccountId>,
    /// Its subscriptions.
    pub(crate) subscriptions: BTreeSet<ChannelKey>,
    /// The sending end of its bounded queue; dropping it disconnects the client.
    sender: mpsc::Sender<Arc<str>>,
}

/// Everything the hub knows.
#[derive(Debug)]
pub(crate) struct HubState {
    /// The limits it was built with.
    pub(crate) config: HubConfig,
    /// The last record published (or the state's seq when nothing was).
    pub(crate) seq: Seq,
    /// Every order book.
    pub(crate) mirror: Mirror,
    /// Recent messages, for resuming.
    pub(crate) ring: Ring,
    clients: FxHashMap<ClientId, Client>,
    subscribers: FxHashMap<ChannelKey, Vec<ClientId>>,
    next_client: u64,
    messages_sent: u64,
    slow_disconnects: u64,
    invalid_messages: u64,
}

impl HubState {
    /// A hub mirroring `state`, which includes every record up to `seq`.
    pub(crate) fn new(state: &State, seq: Seq, config: HubConfig) -> Self {
        assert!(
            config.client_queue_max > 0,
            "a client queue holds a message"
        );
        assert!(config.subscriptions_max > 0, "a client may subscribe");
        Self {
            config,
            seq,
            mirror: Mirror::of_state(state),
            ring: Ring::new(seq, config.ring_records_max),
            clients: FxHashMap::default(),
            subscribers: FxHashMap::default(),
            next_client: 1,
            messages_sent: 0,
            slow_disconnects: 0,
            invalid_messages: 0,
        }
    }

    /// Registers a client, returning its id and the receiving end of its queue.
    pub(crate) fn connect(
        &mut self,
        account: Option<AccountId>,
    ) -> (ClientId, mpsc::Receiver<Arc<str>>) {
        let id = ClientId(self.next_client);
        self.next_client += 1;
        let (sender, receiver) = mpsc::channel(self.config.client_queue_max);
        let client = Client {
            account,
            subscriptions: BTreeSet::new(),
            sender,
        };
        self.clients.insert(id, client);
        (id, receiver)
    }

    /// Forgets a client and closes its queue. Nothing happens if it is already gone.
    pub(crate) fn disconnect(&mut self, id: ClientId) {
        let Some(client) = self.clients.remove(&id) else {
            return;
        };
        for key in client.subscriptions {
            self.remove_subscriber(key, id);
        }
    }

    /// A connected client.
    pub(crate) fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(&id)
    }

    /// How many more messages a client's queue takes now (0 if it is gone).
    pub(crate) fn free_slots(&self, id: ClientId) -> usize {
        self.clients.get(&id).map_or(0, |c| c.sender.capacity())
    }

    /// Subscribes a connected client to a channel.
    pub(crate) fn add_subscription(&mut self, id: ClientId, key: ChannelKey) {
        let client = self
            .clients
            .get_mut(&id)
            .expect("invariant: a connected client");
        if client.subscriptions.insert(key) {
            self.subscribers.entry(key).or_default().push(id);
        }
    }

    /// Unsubscribes a connected client from a channel, if it was subscribed.
    pub(crate) fn remove_subscription(&mut self, id: ClientId, key: ChannelKey) {
        let client = self
            .clients
            .get_mut(&id)
            .expect("invariant: a connected client");
        if client.subscriptions.remove(&key) {
            self.remove_subscriber(key, id);
        }
    }

    fn remove_subscriber(&mut self, key: ChannelKey, id: ClientId) {
        if let Some(ids) = self.subscribers.get_mut(&key) {
            ids.retain(|&other| other != id);
            if ids.is_empty() {
                self.subscribers.remove(&key);
            }
        }
    }

    /// Counts one refused client message.
    pub(crate) fn note_invalid(&mut self) {
        self.invalid_messages += 1;
    }

    /// The hub's counters.
    pub(crate) fn stats(&self) -> HubStats {
        HubStats {
            clients: self.clients.len(),
            messages_sent: self.messages_sent,
            slow_disconnects: self.slow_disconnects,
            invalid_messages: self.invalid_messages,
            seq: self.seq,
        }
    }

    /// Renders a durable batch, keeps it for resuming and sends it to the subscribers.
    /// Never waits: a client whose queue is full is disconnected.
    pub(crate) fn publish(&mut self, batch: &Published) {
        let mut balances = balances_by_seq(&batch.balances);
        let mut slow = Vec::new();
        for record in &batch.records {
            assert!(
                record.seq > self.seq,
                "records are published in seq order, once"
            );
            self.seq = record.seq;
            let events = match &record.entry {
                Entry::Command { events, .. } => events,
                Entry::Checkpoint { .. } => continue,
            };
            let mut rendered =
                render_record(&mut self.mirror, record.seq, record.timestamp_ns, events);
            for account in balances.remove(&record.seq).unwrap_or_default() {
                rendered.push(balance_message(&self.mirror, record.seq, account));
            }
            self.fan_out(&rendered, &mut slow);
            self.ring.push(record.seq, rendered);
        }
        if !balances.is_empty() {
            let seqs: Vec<_> = balances.keys().collect();
            tracing::error!(
                ?seqs,
                "hub: balances for records not in their batch, dropped"
            );
            debug_assert!(false, "balances name records of their batch");
        }
        for id in slow {
            self.slow_disconnect(id);
        }
    }

    /// Sends each message to its channel's subscribers, noting in `slow` the clients whose
    /// queue was full; they get nothing more.
    fn fan_out(&mut self, rendered: &[Rendered], slow: &mut Vec<ClientId>) {
        for message in rendered {
            let Some(ids) = self.subscribers.get(&message.key) else {
                continue;
            };
            for id in ids {
                if slow.contains(id) {
                    continue;
                }
                let client = &self.clients[id];
                match client.sender.try_send(Arc::clone(&message.text)) {
                    Ok(()) => self.messages_sent += 1,
                    Err(TrySendError::Full(_) | TrySendError::Closed(_)) => slow.push(*id),
                }
            }
        }
    }

    /// Queues replies for one client, in order. A client whose queue is full is
    /// disconnected.
    pub(crate) fn deliver(&mut self, id: ClientId, messages: Vec<Arc<str>>) {
        let Some(client) = self.clients.get(&id) else {
            return;
        };
        for message in messages {
            match client.sender.try_send(message) {
                Ok(()) => self.messages_sent += 1,
                Err(TrySendError::Full(_) | TrySendError::Closed(_)) => {
                    self.slow_disconnect(id);
                    return;
                }
            }
        }
    }

    /// Disconnects a client whose queue was full (or whose receiver is already gone,
    /// which is not counted as slow).
    fn slow_disconnect(&mut self, id: ClientId) {
        let Some(client) = self.clients.get(&id) else {
            return;
        };
        if !client.sender.is_closed() {
            self.slow_disconnects += 1;
            tracing::debug!(client = id.0, "hub: slow consumer disconnected");
        }
        self.disconnect(id);
    }
}

/// The batch's balances grouped by the record they follow, by account within a record.
fn balances_by_seq(balances: &[(Seq, AccountView)]) -> BTreeMap<Seq, Vec<&AccountView>> {
    let mut by_seq: BTreeMap<Seq, Vec<&AccountView>> = BTreeMap::new();
    for (seq, account) in balances {
        by_seq.entry(*seq).or_default().push(account);
    }
    for accounts in by_seq.values_mut() {
        accounts.sort_by_key(|a| a.id);
    }
    by_seq
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::fixture::{drain, types, LocalBooks, Market};
    use crate::hub::{Connection, Hub};
    use exchange_core::testing::MarketGenerator;

    const ALL_MARKET_DATA: &str =
        r#"{"op":"subscribe","channels":["book:ALFA","book:BETA","quotes:ALFA","quotes:BETA"]}"#;

    fn big_queues() -> HubConfig {
        HubConfig {
            client_queue_max: 1 << 20,
            ..HubConfig::default()
        }
    }

    fn follow(connection: &mut Connection, books: &mut LocalBooks) -> usize {
        let messages = drain(connection);
        messages.iter().for_each(|m| books.apply(m));
        messages.len()
    }

    /// The book mirror, differentially: clients rebuilding every book from a snapshot and
    /// `book` messages end with the exchange's depth, level for level, and its quotes;
    /// so does a client that joins halfway, and a hub started from the state halfway.
    #[test]
    fn clients_rebuild_every_book_exactly() {
        let (mut market, setup) = Market::generated();
        let hub = Hub::new(&State::default(), 0, big_queues());
        hub.publish(&setup);
        let mut early = hub.connect(None);
        early.handle_text(ALL_MARKET_DATA);
        let (mut early_books, mut late_books, mut restarted_books) = Default::default();
        let mut generator = MarketGenerator::new(11);
        let mut joined = None;
        let mut restarted: Option<(Hub, Connection)> = None;
        for round in 0..600 {
            let batch = market.generate(&mut generator, 1 + round % 9);
            hub.publish(&batch);
            if let Some((other, _)) = &restarted {
                other.publish(&batch);
            }
            follow(&mut early, &mut early_books);
            if round == 300 {
                let late = hub.connect(None);
                late.handle_text(ALL_MARKET_DATA);
                joined = Some(late);
                let other = Hub::new(market.exchange.state(), market.seq, big_queues());
                let client = other.connect(None);
                client.handle_text(ALL_MARKET_DATA);
                restarted = Some((other, client));
            }
            if let Some(late) = &mut joined {
                follow(late, &mut late_books);
            }
            if let Some((_, client)) = &mut restarted {
                follow(client, &mut restarted_books);
            }
            if round % 50 == 0 {
                early_books.check(market.exchange.state());
            }
        }
        let state = market.exchange.state();
        assert!(market.seq > 2_000, "a long run: {}", market.seq);
        assert!(
            state.orders_resting() > 10,
            "books are not empty at the end"
        );
        for books in [&early_books, &late_books, &restarted_books] {
            books.check(state);
        }
        let (other, _) = restarted.unwrap();
        assert_eq!(other.stats().seq, hub.stats().seq);
    }

    /// A client that never reads is disconnected once its queue is full; publishing goes
    /// on, and other clients miss nothing.
    #[tokio::test]
    async fn a_slow_consumer_is_disconnected_and_nobody_else_suffers() {
        let (mut market, setup) = Market::generated();
        let config = HubConfig {
            client_queue_max: 8,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&setup);
        let mut slow = hub.connect(None);
        let mut fast = hub.connect(None);
        slow.handle_text(ALL_MARKET_DATA);
        fast.handle_text(ALL_MARKET_DATA);
        let mut books = LocalBooks::default();
        let mut generator = MarketGenerator::new(5);
        let mut fast_received = follow(&mut fast, &mut books);
        for _ in 0..300 {
            hub.publish(&market.generate(&mut generator, 1));
            fast_received += follow(&mut fast, &mut books);
        }
        books.check(market.exchange.state());
        assert!(slow.is_disconnected());
        let mut queued = 0;
        while let Some(text) = slow.next().await {
            queued += 1;
            assert!(!text.is_empty());
        }
        assert_eq!(
            queued, 8,
            "what was queued before the disconnect is still delivered"
        );
        let stats = hub.stats();
        assert_eq!(stats.slow_disconnects, 1);
        assert_eq!(stats.clients, 1, "only the fast client is left");
        assert_eq!(stats.messages_sent, (fast_received + queued) as u64);
        slow.handle_text(r#"{"op":"ping"}"#);
        assert_eq!(
            slow.try_next(),
            None,
            "a disconnected client gets nothing more"
        );
        drop(slow);
        assert_eq!(hub.stats().clients, 1);
    }

    #[test]
    fn replies_that_overflow_the_queue_disconnect_too() {
        let (_, setup) = Market::generated();
        let config = HubConfig {
            client_queue_max: 3,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&setup);
        let mut client = hub.connect(None);
        client.handle_text(r#"{"op":"ping"}"#);
        client.handle_text(ALL_MARKET_DATA); // 8 messages
        assert_eq!(
            types(&drain(&mut client)),
            ["pong", "subscribed", "book_snapshot"]
        );
        assert!(client.is_disconnected());
        assert_eq!(hub.stats().slow_disconnects, 1);
        assert_eq!(hub.stats().clients, 0);
        let fresh = hub.connect(None);
        assert_eq!(fresh.id().0, 2, "ids are never reused");
        drop(fresh);
        assert_eq!(
            hub.stats().clients,
            0,
            "dropping a connection unregisters it"
        );
    }
}
