//! Authentication, authorisation and bad input: every refusal has a status and a code,
//! and changes nothing.

use crate::support::{Client, TestServer};
use exchange_server::http::routes::{self, Access};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A path for a route template, with plausible parameters.
fn concrete(template: &str) -> String {
    template
        .replace("{symbol}", "MNAD")
        .replace("{direction}", "below")
        .replace("{id}", "1")
        .replace("{client_order_id}", "1")
}

/// The exchange's last sequence number, from `/health`.
async fn seq(client: &Client) -> u64 {
    let (status, health) = client.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    health["seq"].as_u64().expect("a seq")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_that_is_not_public_needs_authentication() {
    let server = TestServer::start().await;
    let anonymous = server.client();
    let mut checked = 0;
    for route in routes::all() {
        if route.access == Access::Public {
            continue;
        }
        let method = Method::from_bytes(route.method.as_str().as_bytes()).expect("a method");
        let body = (method != Method::GET).then(|| json!({}));
        let (status, body) = anonymous.send(method, &concrete(route.path), body).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{} {}: {body}",
            route.method,
            route.path
        );
        assert_eq!(
            body["error"]["code"], "unauthenticated",
            "{} {}",
            route.method, route.path
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} authenticated routes");
    let (status, _) = anonymous.get("/api/v1/tickers").await;
    assert_eq!(status, StatusCode::OK, "market data is public");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_parameter_a_route_does_not_take_is_refused_on_every_route() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let before = seq(&admin).await;
    for route in routes::all() {
        let method = Method::from_bytes(route.method.as_str().as_bytes()).expect("a method");
        let body = (method != Method::GET).then(|| json!({}));
        let path = format!("{}?limits=5", concrete(route.path));
        let (status, body) = admin.send(method, &path, body).await;
        let what = format!("{} {}: {body}", route.method, route.path);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        assert_eq!(body["error"]["code"], "invalid_request", "{what}");
        let message = body["error"]["message"].as_str().expect("a message");
        assert!(message.contains("`limits`"), "{what}");
        for name in route.query {
            assert!(message.contains(&format!("`{name}`")), "{what}");
        }
    }
    assert_eq!(
        seq(&admin).await,
        before,
        "a refused request changes nothing"
    );
    for path in [
        "/api/v1/orders?status=recent&ticker=MNAD&limit=5",
        "/api/v1/tickers/MNAD/candles?interval=1m&from=0&to=60000",
        "/api/v1/tickers/MNAD/depth?levels=3",
    ] {
        let (status, body) = admin.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_comes_only_from_the_session() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let before = seq(&ann).await;
    let order = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 10, "quantity": 1, "account": 2});
    let (status, body) = ann.post("/api/v1/orders", order).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_request");
    let transfer =
        json!({"to_email": "ann@example.com", "amount": 5, "from_email": "mm1@demo.exchange"});
    let (status, _) = ann.post("/api/v1/transfers", transfer).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "naming a payer is refused");
    assert_eq!(seq(&ann).await, before, "nothing was logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_user_cannot_see_or_cancel_another_users_orders() {
    let server = TestServer::start().await;
    let (ann, bob) = (
        server.user("ann@example.com").await,
        server.user("bob@example.com").await,
    );
    let order = json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 10, "quantity": 2, "client_order_id": 7});
    let (status, placed) = bob.post("/api/v1/orders", order).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");
    let id = placed["order"]["id"].as_u64().expect("an order id");
    // Bob's order is answered exactly as an order that does not exist.
    let (_, missing) = ann.get("/api/v1/orders/999999").await;
    assert_eq!(missing["error"]["code"], "unknown_order");
    let amend = json!({"price": 11, "quantity": 1});
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/orders/{id}"), None),
        (Method::DELETE, format!("/api/v1/orders/{id}"), None),
        (Method::PATCH, format!("/api/v1/orders/{id}"), Some(amend)),
        (Method::GET, "/api/v1/orders/client/7".to_owned(), None),
        (Method::DELETE, "/api/v1/orders/client/7".to_owned(), None),
    ] {
        let (status, body) = ann.send(method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(body, missing, "{method} {path}");
    }
    let (_, open) = ann.get("/api/v1/orders").await;
    assert_eq!(open, json!([]), "ann sees none of bob's orders");
    let (_, open) = bob.get("/api/v1/orders").await;
    assert_eq!(
        open.as_array().map(Vec::len),
        Some(1),
        "bob's order is still open: {open}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_changes_from_another_origin_are_refused() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let before = seq(&ann).await;
    let order =
        json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 10, "quantity": 1});
    for origin in [Some("http://evil.example"), None] {
        let mut request = ann
            .http
            .post(format!("{}/api/v1/orders", server.base))
            .json(&order);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.expect("an answer");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "origin {origin:?}"
        );
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "csrf");
    }
    let response = ann
        .http
        .get(format!("{}/api/v1/account", server.base))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK, "reads need no Origin");
    assert_eq!(seq(&ann).await, before, "nothing was logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_bodies_are_refused_without_changes() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let before = seq(&ann).await;
    let url = format!("{}/api/v1/orders", server.base);
    let cases: [(&str, &str, StatusCode, &str); 7] = [
        (
            "{\"ticker\": \"MNAD\",",
            "application/json",
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            "{\"ticker\": 5}",
            "application/json",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            "ticker=MNAD",
            "application/x-www-form-urlencoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "{\"ticker\":\"MNAD\",\"side\":\"buy\",\"type\":\"market\",\"quantity\":1,\"price\":5}",
            "application/json",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        // A struct's fields in order, as an array: serde alone would place this order.
        (
            " [\"MNAD\",\"buy\",\"limit\",9,1,null,null,null,null]",
            "application/json",
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            "{\"ticker\":\"MNAD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":9,\"quantity\":1}",
            "application/jsonx",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "{\"ticker\":\"MNAD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":9,\"quantity\":1}",
            "application/json-patch+json",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (body, content_type, expected, code) in cases {
        let response = ann
            .http
            .post(&url)
            .header("origin", server.base.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), expected, "{body}");
        let error: Value = response.json().await.expect("JSON");
        assert_eq!(error["error"]["code"], code, "{body}");
        assert!(error["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let huge = format!("{{\"ticker\":\"{}\"}}", "A".repeat(100_000));
    let response = ann
        .http
        .post(&url)
        .header("origin", server.base.clone())
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = response.json().await.expect("JSON");
    assert_eq!(error["error"]["code"], "payload_too_large");
    let (status, body) = ann.get("/api/v1/nothing-here").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    for (method, path) in [
        (Method::PUT, "/api/v1/orders"),
        (Method::POST, "/health"),
        (Method::DELETE, "/metrics"),
        (Method::POST, "/api/v1/openapi.json"),
    ] {
        let (status, body) = ann.send(method.clone(), path, None).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")),
            "{method} {path}"
        );
    }
    assert_eq!(seq(&ann).await, before, "nothing was logged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_attempts_are_rate_limited() {
    let server = TestServer::start_with(|config| {
        config.rate_limits.auth_per_minute = std::num::NonZeroU32::new(3).expect("3");
    })
    .await;
    let client = server.client();
    let attempt = json!({"email": "mm1@demo.exchange", "password": "wrong-password"});
    for _ in 0..3 {
        let (status, _) = client.post("/api/v1/auth/login", attempt.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = client
        .http
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&attempt)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(retry_after >= 1);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "rate_limited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_are_rate_limited_per_account() {
    let server = TestServer::start_with(|config| {
        config.rate_limits.orders_per_second = std::num::NonZeroU32::new(2).expect("2");
    })
    .await;
    let ann = server.user("ann@example.com").await;
    let order =
        json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 1, "quantity": 1});
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(ann.post("/api/v1/orders", order.clone()).await.0);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let (_, open) = ann.get("/api/v1/orders").await;
    let accepted = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(
        open.as_array().map(Vec::len),
        Some(accepted),
        "refused orders were not placed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_answers_503_instead_of_growing() {
    let server = TestServer::start_with(|config| {
        config.queue_max = 1;
        // The 200 requests below each open a connection from 127.0.0.1.
        config.connections.per_client_max = 1_000;
    })
    .await;
    let bot = server.user("ann@example.com").await.bearer().await;
    let order =
        json!({"ticker": "MNAD", "side": "buy", "type": "limit", "price": 1, "quantity": 1});
    let requests = (0..200).map(|_| {
        let (bot, order) = (bot.clone(), order.clone());
        tokio::spawn(async move { bot.post("/api/v1/orders", order).await })
    });
    let mut accepted = 0;
    let mut overloaded = 0;
    for request in requests.collect::<Vec<_>>() {
        let (status, body) = request.await.expect("the task ends");
        match status {
            StatusCode::CREATED => accepted += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(body["error"]["code"], "overloaded");
                overloaded += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(
        overloaded > 0,
        "200 concurrent orders never filled a queue of 1"
    );
    let (_, account) = bot.get("/api/v1/account").await;
    assert_eq!(
        account["orders_open"], accepted,
        "exactly the accepted orders rest"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_content_type_is_recognised_in_any_case_and_with_parameters() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let response = ann
        .http
        .post(format!("{}/api/v1/orders", server.base))
        .header("origin", server.base.clone())
        .header("content-type", "Application/JSON; charset=utf-8")
        .body(r#"{"ticker":"MNAD","side":"buy","type":"limit","price":9,"quantity":1}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::CREATED);
}
