//! Session logic: what one client message does, as plain functions over the hub state.
//! [`handle`] takes a client's input and returns the replies for that client's queue, in
//! order; the caller ([`super::Connection`]) queues them under the same lock.
//!
//! - `subscribe` without `since`: `subscribed` per channel, then a snapshot for `book`
//!   (`book_snapshot`) and `quotes` (`quote`), at the hub's seq; live messages follow.
//! - `subscribe` with `since`: if the ring still holds every message of those channels above
//!   `since` (and they fit in the client's free queue space), `subscribed` per channel (with
//!   `seq` = `since`, where the stream resumes) and then those messages in seq order.
//!   Otherwise, per channel, `resync`, then as without `since`.
//! - Subscribing to a channel the client already has only repeats `subscribed`.
//! - `unsubscribe`: `unsubscribed` per channel (subscribed or not).
//! - `ping`: `pong`.
//!
//! Anything refused gets an `error` with a [`ClientError`] code; the rest of the message is
//! still acted on, and the connection stays usable.

use super::channel::ChannelKey;
use super::error::ClientError;
use super::message::ServerMessage;
use super::render::quote_message;
use super::state::HubState;
use super::ClientId;
use exchange_core::log::Seq;
use exchange_core::Side;
use serde::Deserialize;
use std::sync::Arc;

/// What a client sent.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Input<'a> {
    /// A text frame.
    Text(&'a str),
    /// A binary frame, which the hub does not accept.
    Binary,
}

/// A client message, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ClientMessage {
    /// `{"op":"subscribe","channels":[...],"since":N}` (`since` optional).
    Subscribe {
        channels: Vec<String>,
        since: Option<Seq>,
    },
    /// `{"op":"unsubscribe","channels":[...]}`.
    Unsubscribe { channels: Vec<String> },
    /// `{"op":"ping"}`.
    Ping,
}

/// The JSON shape every client message has.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    op: String,
    channels: Option<Vec<String>>,
    since: Option<Seq>,
}

impl ClientMessage {
    /// Parses a text message of at most `bytes_max` bytes.
    pub(crate) fn parse(text: &str, bytes_max: usize) -> Result<Self, ClientError> {
        if text.len() > bytes_max {
            let (len, max) = (text.len(), bytes_max);
            return Err(ClientError::MessageTooLarge { len, max });
        }
        let request: Request = serde_json::from_str(text).map_err(json_error)?;
        match (request.op.as_str(), request.channels, request.since) {
            ("subscribe", Some(channels), since) => Ok(Self::Subscribe { channels, since }),
            ("unsubscribe", Some(channels), None) => Ok(Self::Unsubscribe { channels }),
            ("ping", None, None) => Ok(Self::Ping),
            (op @ ("subscribe" | "unsubscribe" | "ping"), ..) => {
                let rule = "channels go with subscribe and unsubscribe only, since with \
                            subscribe only";
                Err(ClientError::InvalidRequest(format!("{op}: {rule}")))
            }
            (op, ..) => Err(ClientError::UnknownOp(op.to_owned())),
        }
    }
}

/// Text that is not JSON is `invalid_json`; JSON of the wrong shape is `invalid_request`.
fn json_error(error: serde_json::Error) -> ClientError {
    use serde_json::error::Category;
    match error.classify() {
        Category::Data => ClientError::InvalidRequest(error.to_string()),
        Category::Io | Category::Syntax | Category::Eof => {
            ClientError::InvalidJson(error.to_string())
        }
    }
}

/// Acts on one input from `client`, returning the replies for its queue. A client that is
/// no longer connected gets nothing.
pub(crate) fn handle(state: &mut HubState, client: ClientId, input: Input<'_>) -> Vec<Arc<str>> {
    if state.client(client).is_none() {
        return Vec::new();
    }
    let message = match input {
        Input::Text(text) => ClientMessage::parse(text, state.config.message_bytes_max),
        Input::Binary => Err(ClientError::BinaryMessage),
    };
    match message {
        Ok(message) => handle_message(state, client, message),
        Err(error) => vec![refuse(state, &error)],
    }
}

/// Acts on one parsed message from a connected client.
pub(crate) fn handle_message(
    state: &mut HubState,
    client: ClientId,
    message: ClientMessage,
) -> Vec<Arc<str>> {
    match message {
        ClientMessage::Ping => vec![ServerMessage::Pong { seq: state.seq }.to_text()],
        ClientMessage::Subscribe { channels, since } => subscribe(state, client, &channels, since),
        ClientMessage::Unsubscribe { channels } => unsubscribe(state, client, &channels),
    }
}

/// Whether a channel asked for is new to the client.
enum Admission {
    New(ChannelKey),
    Already,
}

fn subscribe(
    state: &mut HubState,
    client: ClientId,
    names: &[String],
    since: Option<Seq>,
) -> Vec<Arc<str>> {
    let mut replies = Vec::new();
    let mut fresh: Vec<(ChannelKey, &str)> = Vec::new();
    for name in names {
        match admit(state, client, name, &fresh) {
            Ok(Admission::New(key)) => fresh.push((key, name)),
            Ok(Admission::Already) => replies.push(reply(Reply::Subscribed, name, state.seq)),
            Err(error) => replies.push(refuse(state, &error)),
        }
    }
    let keys: Vec<ChannelKey> = fresh.iter().map(|&(key, _)| key).collect();
    let replay = since.filter(|&since| since <= state.seq).and_then(|since| {
        let budget = state.free_slots(client);
        let budget = budget.saturating_sub(replies.len() + fresh.len());
        state.ring.replay(since, &keys, budget)
    });
    match (since, replay) {
        (Some(since), Some(replay)) => {
            for &(_, name) in &fresh {
                replies.push(reply(Reply::Subscribed, name, since));
            }
            replies.extend(replay);
        }
        (since, _) => {
            for &(key, name) in &fresh {
                if since.is_some() {
                    replies.push(reply(Reply::Resync, name, state.seq));
                }
                replies.push(reply(Reply::Subscribed, name, state.seq));
                replies.extend(snapshot(state, key, name));
            }
        }
    }
    for key in keys {
        state.add_subscription(client, key);
    }
    replies
}

/// Checks one channel a client asks for against its subscriptions and the limit.
fn admit(
    state: &HubState,
    client: ClientId,
    name: &str,
    fresh: &[(ChannelKey, &str)],
) -> Result<Admission, ClientError> {
    let key = parse_channel(state, client, name)?;
    let subscriptions = &state
        .client(client)
        .expect("invariant: handle checked that the client is connected")
        .subscriptions;
    if subscriptions.contains(&key) || fresh.iter().any(|&(k, _)| k == key) {
        return Ok(Admission::Already);
    }
    let max = state.config.subscriptions_max;
    if subscriptions.len() + fresh.len() >= max {
        return Err(ClientError::TooManySubscriptions { max });
    }
    Ok(Admission::New(key))
}

fn unsubscribe(state: &mut HubState, client: ClientId, names: &[String]) -> Vec<Arc<str>> {
    let mut replies = Vec::new();
    for name in names {
        match parse_channel(state, client, name) {
            Ok(key) => {
                state.remove_subscription(client, key);
                replies.push(reply(Reply::Unsubscribed, name, state.seq));
            }
            Err(error) => replies.push(refuse(state, &error)),
        }
    }
    replies
}

fn parse_channel(
    state: &HubState,
    client: ClientId,
    name: &str,
) -> Result<ChannelKey, ClientError> {
    let account = state.client(client).and_then(|c| c.account);
    ChannelKey::parse(
        name,
        |symbol| state.mirror.ticker_by_symbol(symbol),
        account,
    )
}

/// The snapshot a fresh subscription starts with, at the hub's seq: every level for
/// `book`, the quote for `quotes`, nothing for the others.
fn snapshot(state: &HubState, key: ChannelKey, name: &str) -> Option<Arc<str>> {
    match key {
        ChannelKey::Book(ticker) => {
            let message = ServerMessage::BookSnapshot {
                channel: name,
                seq: state.seq,
                bids: state.mirror.levels(ticker, Side::Buy),
                asks: state.mirror.levels(ticker, Side::Sell),
            };
            Some(message.to_text())
        }
        ChannelKey::Quotes(ticker) => {
            let quote = state.mirror.quote(ticker);
            Some(quote_message(&state.mirror, key, state.seq, quote).text)
        }
        ChannelKey::Trades(_) | ChannelKey::Activity | ChannelKey::Account(_) => None,
    }
}

/// The replies that only name a channel.
#[derive(Clone, Copy)]
enum Reply {
    Subscribed,
    Unsubscribed,
    Resync,
}

fn reply(kind: Reply, channel: &str, seq: Seq) -> Arc<str> {
    let message = match kind {
        Reply::Subscribed => ServerMessage::Subscribed { channel, seq },
        Reply::Unsubscribed => ServerMessage::Unsubscribed { channel, seq },
        Reply::Resync => ServerMessage::Resync { channel, seq },
    };
    message.to_text()
}

/// An `error` reply, counted in the hub's stats.
fn refuse(state: &mut HubState, error: &ClientError) -> Arc<str> {
    state.note_invalid();
    let message = ServerMessage::Error {
        code: error.code(),
        message: error.to_string(),
        seq: state.seq,
    };
    message.to_text()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::fixture::{drain, limit, two_traders, types, LocalBooks, Market};
    use crate::hub::{Connection, Hub, HubConfig};
    use exchange_core::testing::MarketGenerator;
    use exchange_core::{AccountId, State};
    use serde_json::{json, Value};

    /// A hub that saw [`two_traders`] (records 1 to 5) from the empty state.
    fn started() -> (Market, Hub) {
        let mut market = Market::new();
        let hub = Hub::new(&State::default(), 0, HubConfig::default());
        hub.publish(&market.batch(two_traders()));
        assert_eq!(hub.stats().seq, 5);
        (market, hub)
    }

    fn subscribe(channels: &[&str]) -> String {
        json!({"op": "subscribe", "channels": channels}).to_string()
    }

    fn seqs(messages: &[Value]) -> Vec<u64> {
        messages
            .iter()
            .map(|m| m["seq"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn parses_the_three_ops_and_refuses_the_rest() {
        let parse = |text: &str| ClientMessage::parse(text, 4096);
        assert_eq!(parse(r#"{"op":"ping"}"#), Ok(ClientMessage::Ping));
        assert_eq!(
            parse(r#"{"op":"subscribe","channels":["account"],"since":7}"#),
            Ok(ClientMessage::Subscribe {
                channels: vec!["account".into()],
                since: Some(7)
            })
        );
        let code = |text: &str| parse(text).unwrap_err().code();
        assert_eq!(code("{"), "invalid_json");
        assert_eq!(code("nonsense"), "invalid_json");
        assert_eq!(code("[1]"), "invalid_request");
        assert_eq!(code(r#"{"op":"subscribe"}"#), "invalid_request");
        assert_eq!(code(r#"{"op":"ping","channels":[]}"#), "invalid_request");
        assert_eq!(
            code(r#"{"op":"unsubscribe","channels":[],"since":1}"#),
            "invalid_request"
        );
        assert_eq!(code(r#"{"op":"ping","extra":1}"#), "invalid_request");
        assert_eq!(code(r#"{"op":"dance"}"#), "unknown_op");
        let long = format!(r#"{{"op":"ping","pad":"{}"}}"#, "x".repeat(5000));
        assert_eq!(code(&long), "message_too_large");
    }

    /// A buyer (account 2) following everything on MNAD, a seller (account 1) following its
    /// account, and an anonymous client asking for an account and trades.
    struct Scenario {
        market: Market,
        hub: Hub,
        buyer: Connection,
        seller: Connection,
        public: Connection,
    }

    fn scenario() -> Scenario {
        let (market, hub) = started();
        let buyer = hub.connect(Some(AccountId(2)));
        let seller = hub.connect(Some(AccountId(1)));
        let public = hub.connect(None);
        buyer.handle_text(&subscribe(&[
            "book:MNAD",
            "quotes:MNAD",
            "trades:MNAD",
            "account",
        ]));
        seller.handle_text(&subscribe(&["account"]));
        public.handle_text(&subscribe(&["account", "trades:MNAD"]));
        Scenario {
            market,
            hub,
            buyer,
            seller,
            public,
        }
    }

    /// After [`scenario`], the seller's ask of 5 at 30 (record 6), the subscriptions' replies
    /// taken.
    fn with_an_ask() -> Scenario {
        let mut s = scenario();
        for connection in [&mut s.buyer, &mut s.seller, &mut s.public] {
            drain(connection);
        }
        s.hub.publish(&s.market.accept(limit(1, Side::Sell, 30, 5)));
        s
    }

    /// docs/api.md, WebSocket: `subscribed`, then snapshots for book and quotes at the
    /// hub's seq; `account` needs an authenticated connection.
    #[test]
    fn subscribing_replies_with_snapshots() {
        let mut s = scenario();
        let got = drain(&mut s.buyer);
        let expected = [
            "subscribed",
            "book_snapshot",
            "subscribed",
            "quote",
            "subscribed",
            "subscribed",
        ];
        assert_eq!(types(&got), expected);
        assert_eq!(
            got[0],
            json!({"type": "subscribed", "channel": "book:MNAD", "seq": 5})
        );
        assert_eq!(
            got[1],
            json!({"type": "book_snapshot", "channel": "book:MNAD", "seq": 5, "bids": [], "asks": []})
        );
        assert_eq!(
            got[3],
            json!({"type": "quote", "channel": "quotes:MNAD", "seq": 5, "bid": null, "ask": null, "last_price": null})
        );
        assert_eq!(
            got[5],
            json!({"type": "subscribed", "channel": "account", "seq": 5})
        );
        assert_eq!(types(&drain(&mut s.seller)), ["subscribed"]);
        let got = drain(&mut s.public);
        assert_eq!(types(&got), ["error", "subscribed"]);
        assert_eq!(got[0]["code"], "unauthenticated");
        assert_eq!(got[1]["channel"], "trades:MNAD");
    }

    /// docs/api.md, WebSocket: a resting order changes a `book` level and the `quote`, and
    /// its owner gets its `order` events and its `balance`.
    #[test]
    fn a_resting_order_updates_book_quote_and_its_account() {
        let mut s = with_an_ask();
        let got = drain(&mut s.buyer);
        assert_eq!(
            types(&got),
            ["book", "quote"],
            "nothing on the buyer's account"
        );
        assert_eq!(
            got[0],
            json!({"type": "book", "channel": "book:MNAD", "seq": 6, "side": "sell", "price": 30, "quantity": 5, "orders": 1})
        );
        let ask = json!({"price": 30, "quantity": 5, "orders": 1});
        assert_eq!(
            got[1],
            json!({"type": "quote", "channel": "quotes:MNAD", "seq": 6, "bid": null, "ask": ask, "last_price": null})
        );
        let got = drain(&mut s.seller);
        assert_eq!(types(&got), ["order", "order", "balance"]);
        assert_eq!(got[0]["event"]["type"], "order_accepted");
        assert_eq!(got[1]["event"]["type"], "order_rested");
        assert_eq!(got[1]["event"]["symbol"], "MNAD");
        let positions = json!([{"symbol": "MNAD", "available": 5, "held": 5}]);
        assert_eq!(
            got[2],
            json!({"type": "balance", "channel": "account", "seq": 6, "credits_available": 0, "credits_held": 0, "positions": positions})
        );
        assert!(drain(&mut s.public).is_empty());
    }

    /// docs/api.md, WebSocket: a trade goes to `trades`, changes `book` and `quote`, and
    /// gives each side its own `fill` and `balance`, all at the trade's seq.
    #[test]
    fn a_trade_reaches_every_channel_concerned() {
        let mut s = with_an_ask();
        drain(&mut s.buyer);
        drain(&mut s.seller);
        s.hub.publish(&s.market.accept(limit(2, Side::Buy, 32, 3))); // record 7: 3 at 30
        let got = drain(&mut s.buyer);
        assert_eq!(
            types(&got),
            ["trade", "book", "quote", "order", "fill", "balance"]
        );
        assert_eq!(
            got[0],
            json!({"type": "trade", "channel": "trades:MNAD", "seq": 7, "time_ms": 7, "symbol": "MNAD", "price": 30, "quantity": 3, "taker_side": "buy"})
        );
        assert_eq!(
            (got[1]["quantity"].as_u64(), got[1]["orders"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(got[2]["last_price"], 30);
        assert_eq!(got[2]["ask"]["quantity"], 2);
        assert_eq!(
            got[4],
            json!({"type": "fill", "channel": "account", "seq": 7, "time_ms": 7, "order_id": 2, "symbol": "MNAD", "side": "buy", "price": 30, "quantity": 3, "role": "taker"})
        );
        assert_eq!(got[5]["credits_available"], 1_000 - 90);
        assert!(seqs(&got).iter().all(|&seq| seq == 7));
        let got = drain(&mut s.seller);
        assert_eq!(types(&got), ["fill", "balance"], "only the seller's own");
        assert_eq!(
            (got[0]["role"].as_str(), got[0]["side"].as_str()),
            (Some("maker"), Some("sell"))
        );
        assert_eq!(got[1]["credits_available"], 90);
        assert_eq!(types(&drain(&mut s.public)), ["trade"]);
    }

    #[test]
    fn account_messages_reach_only_their_own_account() {
        let (mut market, hub) = started();
        let mut seller = hub.connect(Some(AccountId(1)));
        seller.handle_text(&subscribe(&["account"]));
        let mut stranger = hub.connect(Some(AccountId(99)));
        stranger.handle_text(&subscribe(&["account"]));
        drain(&mut seller);
        drain(&mut stranger);
        for command in [
            limit(1, Side::Sell, 30, 5),
            limit(2, Side::Buy, 30, 2),
            limit(2, Side::Buy, 20, 1),
        ] {
            hub.publish(&market.accept(command));
        }
        let got = drain(&mut seller);
        assert!(!got.is_empty());
        for message in &got {
            assert_eq!(message["channel"], "account");
            if message["type"] == "order" {
                assert_eq!(message["event"]["account"], 1, "{message}");
            }
            if message["type"] == "fill" {
                assert_eq!(message["role"], "maker", "the seller only made");
            }
        }
        assert!(drain(&mut stranger).is_empty());
    }

    #[test]
    fn seq_never_decreases_and_quotes_strictly_increase() {
        let (mut market, hub) = started();
        let mut client = hub.connect(Some(AccountId(2)));
        client.handle_text(&subscribe(&[
            "book:MNAD",
            "quotes:MNAD",
            "trades:MNAD",
            "account",
        ]));
        for command in [
            limit(1, Side::Sell, 31, 2),
            limit(1, Side::Sell, 30, 2),
            limit(2, Side::Buy, 29, 1),
            limit(2, Side::Buy, 31, 3), // sweeps two levels
            limit(1, Side::Sell, 29, 4),
        ] {
            hub.publish(&market.accept(command));
        }
        let got = drain(&mut client);
        let all = seqs(&got);
        assert!(all.windows(2).all(|w| w[0] <= w[1]), "{all:?}");
        let quotes: Vec<_> = got.iter().filter(|m| m["type"] == "quote").collect();
        let quote_seqs: Vec<_> = quotes.iter().map(|m| m["seq"].as_u64().unwrap()).collect();
        assert!(quote_seqs.windows(2).all(|w| w[0] < w[1]), "{quote_seqs:?}");
        let trades = got.iter().filter(|m| m["type"] == "trade").count();
        assert_eq!(trades, 3, "two on the sweep, one more at 29");
    }

    #[test]
    fn refused_messages_get_errors_and_the_client_stays_usable() {
        let (_, hub) = started();
        let mut client = hub.connect(None);
        client.handle_text("{not json");
        client.handle_text(r#"{"op":"dance"}"#);
        client.handle_text(&subscribe(&["book:NOPE", "book:MNAD", "weird"]));
        client.handle_binary();
        client.handle_text(&"x".repeat(4097));
        client.handle_text(r#"{"op":"ping"}"#);
        let got = drain(&mut client);
        let codes: Vec<_> = got
            .iter()
            .filter(|m| m["type"] == "error")
            .map(|m| m["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "invalid_json",
                "unknown_op",
                "unknown_channel",
                "unknown_channel",
                "binary_message",
                "message_too_large"
            ]
        );
        assert_eq!(got.last().unwrap(), &json!({"type": "pong", "seq": 5}));
        assert!(
            got.iter().any(|m| m["type"] == "book_snapshot"),
            "book:MNAD went through"
        );
        assert_eq!(hub.stats().invalid_messages, 6);
        assert!(got.iter().all(|m| m["seq"] == 5));
    }

    #[test]
    fn subscriptions_are_limited_and_idempotent() {
        let mut market = Market::new();
        let config = HubConfig {
            subscriptions_max: 2,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&market.batch(two_traders()));
        let mut client = hub.connect(Some(AccountId(1)));
        client.handle_text(&subscribe(&[
            "trades:MNAD",
            "trades:MNAD",
            "account",
            "book:MNAD",
        ]));
        let got = drain(&mut client);
        assert_eq!(
            types(&got),
            ["subscribed", "error", "subscribed", "subscribed"]
        );
        assert_eq!(got[1]["code"], "too_many_subscriptions");
        client.handle_text(&subscribe(&["account"]));
        assert_eq!(
            types(&drain(&mut client)),
            ["subscribed"],
            "already subscribed"
        );
        client.handle_text(r#"{"op":"unsubscribe","channels":["trades:MNAD"]}"#);
        assert_eq!(types(&drain(&mut client)), ["unsubscribed"]);
        client.handle_text(&subscribe(&["book:MNAD"]));
        assert_eq!(types(&drain(&mut client)), ["subscribed", "book_snapshot"]);
        hub.publish(&market.accept(limit(2, Side::Buy, 10, 1)));
        let got = drain(&mut client);
        assert_eq!(
            types(&got),
            ["book"],
            "trades and the buyer's account are not followed"
        );
    }

    /// Everything a client following ALFA and account 3 needs, optionally resuming.
    fn follow_all(since: Option<u64>) -> String {
        let channels = ["book:ALFA", "quotes:ALFA", "trades:ALFA", "account"];
        match since {
            Some(since) => json!({"op": "subscribe", "channels": channels, "since": since}),
            None => json!({"op": "subscribe", "channels": channels}),
        }
        .to_string()
    }

    fn run(market: &mut Market, hub: &Hub, generator: &mut MarketGenerator, commands: usize) {
        for _ in 0..commands / 3 {
            hub.publish(&market.generate(generator, 3));
        }
    }

    /// docs/api.md: a client that reconnects with `since` gets every message after it and
    /// then continues live, exactly like a client that never left.
    #[test]
    fn a_client_resumes_exactly_where_it_left() {
        let (mut market, setup) = Market::generated();
        let config = HubConfig {
            client_queue_max: 1 << 20,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&setup);
        let trader = Some(AccountId(3));
        let mut steady = hub.connect(trader);
        let mut leaving = hub.connect(trader);
        steady.handle_text(&follow_all(None));
        leaving.handle_text(&follow_all(None));
        let mut generator = MarketGenerator::new(21);
        run(&mut market, &hub, &mut generator, 300);
        let before = drain(&mut steady);
        assert_eq!(
            drain(&mut leaving),
            before,
            "the same subscriptions, the same stream"
        );
        let left_at = *seqs(&before).last().unwrap();
        drop(leaving);

        run(&mut market, &hub, &mut generator, 300);
        let mut back = hub.connect(trader);
        back.handle_text(&follow_all(Some(left_at)));
        let missed = drain(&mut steady);
        assert!(missed.len() > 100, "enough happened: {}", missed.len());
        assert!(missed.iter().any(|m| m["channel"] == "account"));
        let resumed = drain(&mut back);
        assert_eq!(types(&resumed[..4]), ["subscribed"; 4]);
        assert!(resumed[..4].iter().all(|m| m["seq"] == left_at));
        assert_eq!(
            resumed[4..],
            missed[..],
            "exactly the missed messages, in order"
        );

        run(&mut market, &hub, &mut generator, 60);
        let live = drain(&mut steady);
        assert!(!live.is_empty());
        assert_eq!(drain(&mut back), live, "then live, like everybody else");
    }

    /// docs/api.md: if the hub no longer holds messages that old, `resync` and a fresh
    /// snapshot replace the replay; the client then agrees with the exchange.
    #[test]
    fn a_client_too_far_behind_resyncs_with_a_snapshot() {
        let (mut market, setup) = Market::generated();
        let config = HubConfig {
            ring_records_max: 50,
            client_queue_max: 1 << 20,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&setup);
        let mut generator = MarketGenerator::new(22);
        run(&mut market, &hub, &mut generator, 90);
        let old = hub.stats().seq;
        run(&mut market, &hub, &mut generator, 300);
        let mut client = hub.connect(Some(AccountId(3)));
        client.handle_text(&follow_all(Some(old)));
        let got = drain(&mut client);
        let expected = [
            "resync",
            "subscribed",
            "book_snapshot",
            "resync",
            "subscribed",
            "quote",
            "resync",
            "subscribed",
            "resync",
            "subscribed",
        ];
        assert_eq!(types(&got), expected);
        let now = hub.stats().seq;
        assert!(
            got.iter().all(|m| m["seq"] == now),
            "snapshots are at the hub's seq"
        );
        let mut books = LocalBooks::default();
        got.iter().for_each(|m| books.apply(m));
        run(&mut market, &hub, &mut generator, 90);
        drain(&mut client).iter().for_each(|m| books.apply(m));
        books.check(market.exchange.state());

        let mut recent = hub.connect(None);
        let since = hub.stats().seq - 10;
        recent.handle_text(
            &json!({"op":"subscribe","channels":["trades:ALFA"],"since": since}).to_string(),
        );
        assert_eq!(
            types(&drain(&mut recent))[0],
            "subscribed",
            "recent enough to replay"
        );
        let mut ahead = hub.connect(None);
        let since = hub.stats().seq + 1;
        ahead.handle_text(
            &json!({"op":"subscribe","channels":["trades:ALFA"],"since": since}).to_string(),
        );
        assert_eq!(
            types(&drain(&mut ahead)),
            ["resync", "subscribed"],
            "a seq from the future"
        );
    }

    #[test]
    fn a_replay_that_would_overflow_the_queue_resyncs_instead() {
        let (mut market, setup) = Market::generated();
        let config = HubConfig {
            client_queue_max: 16,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&setup);
        let since = hub.stats().seq;
        let mut generator = MarketGenerator::new(23);
        run(&mut market, &hub, &mut generator, 300);
        let mut client = hub.connect(None);
        client.handle_text(
            &json!({"op":"subscribe","channels":["book:ALFA"],"since": since}).to_string(),
        );
        assert_eq!(
            types(&drain(&mut client)),
            ["resync", "subscribed", "book_snapshot"]
        );
        assert!(!client.is_disconnected());
    }
}
