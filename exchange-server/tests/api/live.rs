//! Live data over the WebSocket: an order placed over HTTP appears on every channel, in
//! order; a client that reconnects with `since` gets exactly what it missed.

use crate::support::TestServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_appears_on_quotes_book_trades_and_account_channels_in_order() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let bot = ann.bearer().await;
    let (_, ticket) = ann.post("/api/v1/auth/ws-ticket", json!(null)).await;
    let mut ws = server
        .ws(&format!(
            "?ticket={}",
            ticket["ticket"].as_str().expect("a ticket")
        ))
        .await;
    let channels = ["quotes:MNAD", "book:MNAD", "trades:MNAD", "account"];
    ws.send(json!({"op": "subscribe", "channels": channels}))
        .await;
    let mut greeting = Vec::new();
    while greeting
        .iter()
        .filter(|m: &&Value| m["type"] == "subscribed")
        .count()
        < 4
    {
        greeting.push(ws.next().await);
    }
    assert!(
        greeting.iter().any(|m| m["type"] == "book_snapshot"),
        "{greeting:?}"
    );

    let mm = server.market_maker();
    let ask =
        json!({"ticker": "MNAD", "side": "sell", "type": "limit", "price": 40, "quantity": 2});
    let (status, rested) = mm.post("/api/v1/orders", ask).await;
    assert_eq!(status, StatusCode::CREATED, "{rested}");
    let buy = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 40, "quantity": 1});
    let (status, traded) = bot.post("/api/v1/orders", buy).await;
    assert_eq!(status, StatusCode::CREATED, "{traded}");
    let seq = traded["seq"].as_u64().expect("a seq");

    let messages = ws.through(seq).await;
    let on = |channel: &str| -> Vec<&Value> {
        messages
            .iter()
            .filter(|m| m["channel"] == channel)
            .collect()
    };
    let book = on("book:MNAD");
    assert!(
        book.iter()
            .any(|m| m["side"] == "sell" && m["price"] == 40 && m["quantity"] == 2),
        "{book:?}"
    );
    assert!(
        book.iter()
            .any(|m| m["side"] == "sell" && m["price"] == 40 && m["quantity"] == 1),
        "{book:?}"
    );
    let trades = on("trades:MNAD");
    assert!(trades.iter().any(|m| m["type"] == "trade"
        && m["price"] == 40
        && m["quantity"] == 1
        && m["seq"] == seq));
    let quotes = on("quotes:MNAD");
    assert!(quotes.iter().any(|m| m["ask"]["price"] == 40), "{quotes:?}");
    let account = on("account");
    assert!(
        account
            .iter()
            .any(|m| m["type"] == "fill" && m["role"] == "taker" && m["seq"] == seq),
        "{account:?}"
    );
    assert!(
        account
            .iter()
            .any(|m| m["type"] == "balance" && m["credits_available"] == 960),
        "{account:?}"
    );
    let sequence: Vec<u64> = messages.iter().filter_map(|m| m["seq"].as_u64()).collect();
    assert!(
        sequence.windows(2).all(|w| w[0] <= w[1]),
        "seq never goes back: {sequence:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_with_since_delivers_exactly_the_missed_messages() {
    let server = TestServer::start().await;
    let mm = server.market_maker();
    let mut steady = server.ws("").await;
    steady
        .send(json!({"op": "subscribe", "channels": ["book:MNAD", "trades:MNAD"]}))
        .await;
    steady.until("book_snapshot").await;
    let mut dropped = server.ws("").await;
    dropped
        .send(json!({"op": "subscribe", "channels": ["book:MNAD", "trades:MNAD"]}))
        .await;
    dropped.until("book_snapshot").await;

    let place = |price: u64| json!({"ticker": "MNAD", "side": "sell", "type": "limit", "price": price, "quantity": 1});
    let (_, first) = mm.post("/api/v1/orders", place(50)).await;
    let first_seq = first["seq"].as_u64().expect("a seq");
    let seen_before = dropped.through(first_seq).await;
    drop(dropped);
    let mut last = first_seq;
    for price in 51..56 {
        let (_, placed) = mm.post("/api/v1/orders", place(price)).await;
        last = placed["seq"].as_u64().expect("a seq");
    }
    let since = seen_before
        .iter()
        .filter_map(|m| m["seq"].as_u64())
        .max()
        .expect("a message");
    let mut resumed = server.ws("").await;
    resumed
        .send(json!({"op": "subscribe", "channels": ["book:MNAD", "trades:MNAD"], "since": since}))
        .await;
    let replayed: Vec<Value> = resumed
        .through(last)
        .await
        .into_iter()
        .filter(|m| {
            m["seq"].as_u64().is_some_and(|s| s > since)
                && m.get("channel").is_some()
                && m["type"] != "subscribed"
        })
        .collect();
    let expected: Vec<Value> = steady
        .through(last)
        .await
        .into_iter()
        .filter(|m| {
            m["seq"].as_u64().is_some_and(|s| s > since)
                && m["type"] != "subscribed"
                && m["type"] != "book_snapshot"
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        replayed, expected,
        "the resumed client got exactly what the steady one got after {since}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_over_the_protocol_limit_is_closed_with_a_protocol_error() {
    let server = TestServer::start().await;
    let mut ws = server.ws("").await;
    let limit = exchange_server::http::ws::WS_FRAME_BYTES_MAX;
    ws.send_text("x".repeat(limit + 1)).await;
    let (code, reason) = ws.closed().await;
    assert_eq!(code, exchange_server::hub::CLOSE_PROTOCOL_ERROR);
    assert!(reason.starts_with("protocol error: "), "{reason}");
    assert!(reason.contains("too long"), "says what was wrong: {reason}");

    let mut other = server.ws("").await;
    other.send(json!({"op": "ping"})).await;
    other.until("pong").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_and_oversized_messages_get_errors_and_the_socket_stays_usable() {
    let server = TestServer::start().await;
    let mut ws = server.ws("").await;
    let cases = [
        ("{\"op\": ".to_owned(), "invalid_json"),
        (
            json!({"op": "subscribe", "channels": ["quotes:NOPE"]}).to_string(),
            "unknown_channel",
        ),
        (
            json!({"op": "subscribe", "channels": ["account"]}).to_string(),
            "unauthenticated",
        ),
        (
            format!("{{\"op\":\"ping\",\"pad\":\"{}\"}}", "x".repeat(10_000)),
            "message_too_large",
        ),
    ];
    for (text, code) in cases {
        ws.send_text(text).await;
        let reply = ws.next().await;
        assert_eq!(
            (reply["type"].as_str(), reply["code"].as_str()),
            (Some("error"), Some(code)),
            "{reply}"
        );
        assert!(reply["seq"].is_u64(), "errors carry the seq too: {reply}");
    }
    ws.send(json!({"op": "subscribe", "channels": ["quotes:MNAD"]}))
        .await;
    let replies = ws.until("quote").await;
    assert!(
        replies.iter().any(|m| m["type"] == "subscribed"),
        "{replies:?}"
    );
}
