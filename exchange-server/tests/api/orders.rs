//! Trading, transfers, alerts, the orchestrator and admin routes, end to end.

use crate::support::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_rests_is_amended_cancelled_and_a_marketable_one_fills() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let mm = server.market_maker();
    let ask =
        json!({"ticker": "MNAD", "side": "sell", "type": "limit", "price": 35, "quantity": 3});
    let (status, placed) = mm.post("/api/v1/orders", ask).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let bid = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 30, "quantity": 5, "client_order_id": 1});
    let (status, placed) = ann.post("/api/v1/orders", bid).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    assert_eq!(placed["order"]["status"], "open");
    let id = placed["order"]["id"].as_u64().expect("an id");
    let (_, depth) = ann.get("/api/v1/tickers/MNAD/depth?levels=5").await;
    assert_eq!(
        depth["bids"],
        json!([{"price": 30, "quantity": 5, "orders": 1}]),
        "{depth}"
    );
    let (_, account) = ann.get("/api/v1/account").await;
    assert_eq!(
        (
            account["credits_available"].as_u64(),
            account["credits_held"].as_u64()
        ),
        (Some(850), Some(150))
    );

    let (status, amended) = ann
        .send(
            Method::PATCH,
            &format!("/api/v1/orders/{id}"),
            Some(json!({"price": 30, "quantity": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{amended}");
    assert_eq!(amended["order"]["remaining"], 2);
    let (_, depth) = ann.get("/api/v1/tickers/MNAD/depth").await;
    assert_eq!(depth["bids"][0]["quantity"], 2);
    let (status, cancelled) = ann.delete("/api/v1/orders/client/1").await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["order"]["status"], "cancelled");
    let (_, open) = ann.get("/api/v1/orders").await;
    assert_eq!(open, json!([]));
    let (_, recent) = ann.get("/api/v1/orders?status=recent").await;
    assert_eq!(recent[0]["id"].as_u64(), Some(id));

    let buy = json!({"ticker": "MNAD", "side": "buy", "type": "market", "quantity": 2});
    let (status, filled) = ann.post("/api/v1/orders", buy).await;
    assert_eq!(status, StatusCode::CREATED, "{filled}");
    assert_eq!(filled["order"]["status"], "filled");
    assert_eq!(filled["fills"][0]["price"], 35);
    assert_eq!(filled["fills"][0]["quantity"], 2);
    let (_, account) = ann.get("/api/v1/account").await;
    assert_eq!(account["credits_available"], 1_000 - 70);
    assert_eq!(
        account["positions"],
        json!([{"symbol": "MNAD", "available": 2, "held": 0}])
    );
    let (_, trades) = ann.get("/api/v1/tickers/MNAD/trades").await;
    assert_eq!(trades[0]["price"], 35);
    let (_, fills) = ann.get("/api/v1/account/fills").await;
    assert_eq!(fills[0]["role"], "taker");
    let (_, candles) = ann.get("/api/v1/tickers/MNAD/candles?interval=1m").await;
    assert_eq!(candles[0]["volume"], 2, "{candles}");
    let (_, tickers) = ann.get("/api/v1/tickers").await;
    assert_eq!(tickers[0]["last_price"], 35);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_all_of_nothing_answers_without_writing_to_the_log() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let seq = |health: serde_json::Value| health["seq"].as_u64().expect("a seq");
    let before = seq(ann.get("/health").await.1);
    for path in ["/api/v1/orders", "/api/v1/orders?ticker=MNAD"] {
        let (status, body) = ann.delete(path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"seq": null, "cancelled": []}), "{path}");
    }
    assert_eq!(
        seq(ann.get("/health").await.1),
        before,
        "nothing was logged"
    );
    // The engine's refusals still come through.
    let (status, body) = ann.delete("/api/v1/orders?ticker=NOPE").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_ticker"))
    );
    // With an order open, the cancel is logged and names it.
    let bid = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 30, "quantity": 1});
    let (status, placed) = ann.post("/api/v1/orders", bid).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let (status, body) = ann.delete("/api/v1/orders").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["cancelled"][0]["id"], placed["order"]["id"]);
    assert_eq!(body["seq"].as_u64(), Some(seq(ann.get("/health").await.1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_rejections_have_their_status_and_code() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let cases = [
        (
            json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 5000, "quantity": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "insufficient_credits",
        ),
        (
            json!({"ticker": "MNAD", "side": "sell", "type": "limit", "price": 5, "quantity": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "insufficient_shares",
        ),
        (
            json!({"ticker": "MNAD", "side": "buy", "type": "market", "quantity": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_liquidity",
        ),
        (
            json!({"ticker": "NOPE", "side": "buy", "type": "limit", "price": 5, "quantity": 1}),
            StatusCode::NOT_FOUND,
            "unknown_ticker",
        ),
        (
            json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 5, "quantity": 0}),
            StatusCode::BAD_REQUEST,
            "invalid_quantity",
        ),
        (
            json!({"ticker": "mnad!", "side": "buy", "type": "limit", "price": 5, "quantity": 1}),
            StatusCode::BAD_REQUEST,
            "invalid_symbol",
        ),
        (
            json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 5, "quantity": 1, "time_in_force": "ioc", "post_only": true}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            // 2^53: JavaScript would read it back as another number.
            json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 5, "quantity": 1, "client_order_id": 9_007_199_254_740_992_u64}),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
    ];
    for (order, status, code) in cases {
        let (got, body) = ann.post("/api/v1/orders", order.clone()).await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{order}: {body}"
        );
    }
    let (status, alert) = ann
        .send(
            Method::PUT,
            "/api/v1/alerts/below",
            Some(json!({"threshold": 9_007_199_254_740_992_u64})),
        )
        .await;
    assert_eq!(
        (status, alert["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request")),
        "{alert}"
    );
    let (_, alerts) = ann.get("/api/v1/alerts").await;
    assert_eq!(alerts, json!([]), "no alert was set");
    let (_, account) = ann.get("/api/v1/account").await;
    assert_eq!(
        account["credits_available"], 1_000,
        "refusals changed nothing"
    );
    // The largest number the API carries is accepted.
    let largest = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 5, "quantity": 1, "client_order_id": 9_007_199_254_740_991_u64});
    let (status, body) = ann.post("/api/v1/orders", largest).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_alerts_orchestrator_and_admin() {
    let server = TestServer::start().await;
    let (ann, bob) = (
        server.user("ann@example.com").await,
        server.user("bob@example.com").await,
    );
    let (status, alert) = bob
        .send(
            Method::PUT,
            "/api/v1/alerts/above",
            Some(json!({"threshold": 1_050})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{alert}");
    assert_eq!(
        alert,
        json!({"direction": "above", "threshold": 1050, "armed": true})
    );
    let (status, sent) = ann
        .post(
            "/api/v1/transfers",
            json!({"to_email": "BOB@example.com", "amount": 100}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (_, transfers) = bob.get("/api/v1/account/transfers").await;
    assert_eq!(
        (
            transfers[0]["direction"].as_str(),
            transfers[0]["amount"].as_u64()
        ),
        (Some("in"), Some(100))
    );
    let (_, alerts) = bob.get("/api/v1/alerts").await;
    assert_eq!(alerts[0]["armed"], false, "the alert fired: {alerts}");
    let (status, body) = ann
        .post(
            "/api/v1/transfers",
            json!({"to_email": "nobody@example.com", "amount": 1}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_user"))
    );

    let orchestrator = server.orchestrator();
    let (_, before) = orchestrator.get("/api/v1/account").await;
    let (status, body) = orchestrator
        .post(
            "/api/v1/orchestrator/accounts",
            json!({"initial_credits": 150, "token_name": " "}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_token_name"))
    );
    let (_, after) = orchestrator.get("/api/v1/account").await;
    assert_eq!(
        after["credits_available"], before["credits_available"],
        "a refused token name moves no credits (nor creates the account: one is listed below)"
    );
    let (status, created) = orchestrator
        .post(
            "/api/v1/orchestrator/accounts",
            json!({"initial_credits": 150}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let trader = crate::support::Client {
        token: created["token"].as_str().map(str::to_owned),
        ..server.client()
    };
    let (_, account) = trader.get("/api/v1/account").await;
    assert_eq!(account["credits_available"], 150);
    let (_, accounts) = orchestrator.get("/api/v1/orchestrator/accounts").await;
    assert_eq!(accounts.as_array().map(Vec::len), Some(1));
    let (status, body) = ann.get("/api/v1/orchestrator/accounts").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_orchestrator"))
    );
    let (status, body) = ann
        .post("/api/v1/orchestrator/liquidate-all", json!(null))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_orchestrator"))
    );
    let id = created["account_id"].as_u64().expect("an id");
    let (status, body) = orchestrator
        .post(
            &format!("/api/v1/orchestrator/accounts/{id}/liquidate"),
            json!(null),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = trader.get("/api/v1/account").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a liquidated account's token is revoked"
    );

    let (status, body) = ann
        .post(
            "/api/v1/admin/deposits",
            json!({"email": "ann@example.com", "amount": 5}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_admin"))
    );
    let admin = server.admin().await;
    let (status, body) = admin
        .post("/api/v1/admin/tickers", json!({"symbol": "ACME"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = admin
        .post(
            "/api/v1/admin/shares",
            json!({"email": "ann@example.com", "ticker": "ACME", "quantity": 10}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let close = || {
        let closed = Some(json!({"status": "closed"}));
        admin.send(Method::PUT, "/api/v1/admin/tickers/ACME/status", closed)
    };
    let (status, body) = close().await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    let sell =
        json!({"ticker": "ACME", "side": "sell", "type": "limit", "price": 5, "quantity": 1});
    let (status, body) = ann.post("/api/v1/orders", sell).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("market_closed"))
    );
    // The message names the ticker as the caller did, not by the engine's id for it.
    assert_eq!(
        body["error"]["message"].as_str(),
        Some("ticker ACME is closed for trading")
    );
    let (status, body) = close().await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("ticker_status_unchanged"))
    );
    assert_eq!(
        body["error"]["message"].as_str(),
        Some("ticker ACME already has that status")
    );
}
