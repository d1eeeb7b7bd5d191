//! The public activity feed: `GET /api/v1/activity` and the `activity` channel tell the
//! same story (trades, transfers, a noise trader joining and being liquidated), to anyone,
//! without emails.

use crate::support::TestServer;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The exchange's last sequence number, from `/health`.
async fn last_seq(server: &TestServer) -> u64 {
    let (status, health) = server.client().get("/health").await;
    assert_eq!(status, StatusCode::OK, "{health}");
    health["seq"].as_u64().expect("a seq")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_and_the_channel_show_the_same_public_activity() {
    let server = TestServer::start().await;
    let mut ws = server.ws("").await;
    ws.send(json!({"op": "subscribe", "channels": ["activity"]}))
        .await;
    let subscribed = ws.until("subscribed").await;
    assert_eq!(subscribed.last().unwrap()["channel"], "activity");
    let start = last_seq(&server).await;

    let ann = server.user("ann@example.com").await;
    server.user("bob@example.com").await;
    let (status, paid) = ann
        .post(
            "/api/v1/transfers",
            json!({"to_email": "bob@example.com", "amount": 25}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let mm = server.market_maker();
    let ask =
        json!({"ticker": "MNAD", "side": "sell", "type": "limit", "price": 41, "quantity": 1});
    assert_eq!(mm.post("/api/v1/orders", ask).await.0, StatusCode::CREATED);
    let buy = json!({"ticker": "MNAD", "side": "buy", "type": "market", "quantity": 1});
    assert_eq!(ann.post("/api/v1/orders", buy).await.0, StatusCode::CREATED);
    let orchestrator = server.orchestrator();
    let (status, trader) = orchestrator
        .post(
            "/api/v1/orchestrator/accounts",
            json!({"initial_credits": 150, "token_name": "noise"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{trader}");
    let trader_id = trader["account_id"].as_u64().expect("an account id");
    let path = format!("/api/v1/orchestrator/accounts/{trader_id}/liquidate");
    let (status, liquidated) = orchestrator.post(&path, json!(null)).await;
    assert_eq!(status, StatusCode::OK, "{liquidated}");
    let end = last_seq(&server).await;

    let live: Vec<Value> = ws
        .through(end)
        .await
        .into_iter()
        .filter(|m| m["type"] == "activity")
        .map(|mut m| {
            assert_eq!(m["channel"], "activity");
            let fields = m.as_object_mut().unwrap();
            fields.remove("type");
            fields.remove("channel");
            m
        })
        .collect();
    let (status, feed) = server.client().get("/api/v1/activity?limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    let mut feed: Vec<Value> = feed
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry["seq"].as_u64().unwrap() > start)
        .cloned()
        .collect();
    feed.reverse();
    assert_eq!(
        feed, live,
        "the feed (oldest first) is what the channel streamed"
    );

    let kinds: Vec<&str> = feed.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "account_opened", // ann
            "transfer",       // her signup credits
            "account_opened", // bob
            "transfer",       // his signup credits
            "transfer",       // ann pays bob
            "trade",
            "account_opened", // the noise trader joins
            "transfer",       // funded by the orchestrator
            "transfer",       // liquidated: its credits go back
            "account_closed",
        ],
        "{feed:#?}"
    );
    let payment = &feed[4];
    assert_eq!(payment["reason"], "payment");
    assert_eq!(payment["amount"], 25);
    assert_eq!(payment["to"], paid["to_account"]);
    let trade = &feed[5];
    assert_eq!(
        (&trade["symbol"], &trade["price"], &trade["taker_side"]),
        (&json!("MNAD"), &json!(41), &json!("buy"))
    );
    let joined = &feed[6];
    assert_eq!(joined["account_id"], trader_id);
    assert!(joined["orchestrated_by"].is_u64(), "{joined}");
    let closed = &feed[9];
    assert_eq!(closed["account_id"], trader_id);
    assert_eq!(closed["orchestrated_by"], joined["orchestrated_by"]);
    let text = serde_json::to_string(&feed).unwrap();
    assert!(!text.contains("@example.com"), "no emails: {text}");

    let (status, newest) = server.client().get("/api/v1/activity?limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(newest.as_array().unwrap().len(), 2);
    assert_eq!(newest[0], feed[9]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_feed_limits_are_refused() {
    let server = TestServer::start().await;
    for query in ["limit=0", "limit=1001", "limit=ten", "since=3"] {
        let (status, body) = server
            .client()
            .get(&format!("/api/v1/activity?{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(body["error"]["code"].is_string(), "{query}: {body}");
    }
}
