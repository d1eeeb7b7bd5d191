//! After a restart, the state, sessions and API tokens are intact.

use crate::support::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_sessions_and_tokens_survive_a_restart() {
    let mut server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let bot = ann.bearer().await;
    let order =
        json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 20, "quantity": 3});
    let (status, placed) = bot.post("/api/v1/orders", order).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, account_before) = ann.get("/api/v1/account").await;
    let (_, orders_before) = ann.get("/api/v1/orders").await;
    let (_, depth_before) = ann.get("/api/v1/tickers/MNAD/depth").await;

    server.restart().await;
    let ann = crate::support::Client {
        base: server.base.clone(),
        ..ann
    };
    let bot = crate::support::Client {
        base: server.base.clone(),
        ..bot
    };
    let (status, account_after) = ann.get("/api/v1/account").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the session survived: {account_after}"
    );
    assert_eq!(account_after, account_before);
    let (status, orders_after) = bot.get("/api/v1/orders").await;
    assert_eq!(status, StatusCode::OK, "the token survived");
    assert_eq!(orders_after, orders_before);
    assert_eq!(orders_after[0]["id"], placed["order"]["id"]);
    let (_, depth_after) = ann.get("/api/v1/tickers/MNAD/depth").await;
    assert_eq!(depth_after["bids"], depth_before["bids"]);
    let (status, _) = server
        .client()
        .post(
            "/api/v1/auth/login",
            json!({"email": "ann@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "the user survived");
    let (_, users) = server.client().get("/api/v1/tickers").await;
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(1),
        "the bootstrap was not applied twice"
    );
}
