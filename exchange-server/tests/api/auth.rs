//! Signup, login, logout, expiry, tokens and tickets.

use crate::support::TestServer;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signup_logs_in_and_logout_ends_the_session() {
    let server = TestServer::start().await;
    let ann = server.user("  Ann@Example.com ").await;
    let (status, session) = ann.get("/api/v1/auth/session").await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["email"], "ann@example.com", "emails are normalised");
    assert_eq!(session["kind"], "standard");
    let (_, account) = ann.get("/api/v1/account").await;
    assert_eq!(
        account["credits_available"], 1_000,
        "signup credits: {account}"
    );
    let (status, _) = ann.post("/api/v1/auth/logout", json!(null)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = ann.get("/api/v1/auth/session").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signup_the_credit_limit_refuses_opens_no_account() {
    let server = TestServer::start().await;
    server.user("ann@example.com").await;
    let admin = server.admin().await;
    // Deposit the largest amounts that still fit, until the exchange is at its limit.
    let mut amount = exchange_core::limits::CREDITS_TOTAL_MAX;
    while amount > 0 {
        let deposit = json!({"email": "ann@example.com", "amount": amount});
        let (status, _) = admin.post("/api/v1/admin/deposits", deposit).await;
        if !status.is_success() {
            amount /= 2;
        }
    }
    let (_, feed) = server.client().get("/api/v1/activity?limit=1").await;
    let last_seq = &feed[0]["seq"];

    let credentials = json!({"email": "bob@example.com", "password": "password123"});
    let client = server.client();
    let (status, body) = client
        .post("/api/v1/auth/signup", credentials.clone())
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("overflow"))
    );
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("cannot fund a new account"), "{message}");
    let (_, feed) = server.client().get("/api/v1/activity?limit=1").await;
    assert_eq!(&feed[0]["seq"], last_seq, "nothing was logged: {feed}");
    let (status, _) = client.post("/api/v1/auth/login", credentials).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_checks_the_password_and_duplicates_are_refused() {
    let server = TestServer::start().await;
    server.user("bob@example.com").await;
    let client = server.client();
    let (status, body) = client
        .post(
            "/api/v1/auth/signup",
            json!({"email": "BOB@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "email_taken");
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({"email": "bob@example.com", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({"email": "nobody@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "unknown emails look like wrong passwords"
    );
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({"email": "bob@example.com", "password": "password123"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.user("\u{e9}va@example.com").await;
    let refused = [
        (
            "not-an-email",
            "password123",
            StatusCode::BAD_REQUEST,
            "invalid_email",
        ),
        // Lookalikes are not second accounts: hidden characters are refused, and a
        // decomposed accent is the same address as a composed one.
        (
            "bob\u{200b}@example.com",
            "password123",
            StatusCode::BAD_REQUEST,
            "invalid_email",
        ),
        (
            "e\u{301}va@example.com",
            "password123",
            StatusCode::CONFLICT,
            "email_taken",
        ),
        (
            "short@example.com",
            "short",
            StatusCode::BAD_REQUEST,
            "invalid_password",
        ),
    ];
    for (email, password, status, code) in refused {
        let credentials = json!({"email": email, "password": password});
        let (got, body) = client.post("/api/v1/auth/signup", credentials).await;
        assert_eq!(
            (got, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{email:?}: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire() {
    let server = TestServer::start_with(|config| config.policy.session_ttl_ms = 1_000).await;
    let ann = server.user("ann@example.com").await;
    let (status, _) = ann.get("/api/v1/account").await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let (status, body) = ann.get("/api/v1/account").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_work_until_revoked_and_are_listed_without_secrets() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let bot = ann.bearer().await;
    let (status, account) = bot.get("/api/v1/account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(account["email"], "ann@example.com");
    let token = bot.token.clone().expect("a bearer client");
    for (header, expected) in [
        (format!("bearer {token}"), StatusCode::OK),
        (format!("BEARER {token}"), StatusCode::OK),
        (format!("Basic {token}"), StatusCode::UNAUTHORIZED),
        (format!("Bearer{token}"), StatusCode::UNAUTHORIZED),
    ] {
        let response = reqwest::Client::new()
            .get(format!("{}/api/v1/account", server.base))
            .header("authorization", &header)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), expected, "{}", &header[..7]);
    }
    let (_, tokens) = ann.get("/api/v1/auth/tokens").await;
    let tokens = tokens.as_array().expect("a list");
    assert_eq!(tokens.len(), 1);
    assert!(
        tokens[0].get("token").is_none(),
        "secrets are shown once: {tokens:?}"
    );
    let id = tokens[0]["id"].as_u64().expect("an id");
    let bob = server.user("bob@example.com").await;
    let (status, _) = bob.delete(&format!("/api/v1/auth/tokens/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another user's token cannot be revoked"
    );
    let (status, _) = ann.delete(&format!("/api/v1/auth/tokens/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = bot.get("/api/v1/account").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// A socket opened with a ticket lasts as long as the session that asked for the ticket:
/// logging out closes it (code 4001) at the next credential check, a few seconds later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_closes_once_its_session_ends() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let (_, ticket) = ann.post("/api/v1/auth/ws-ticket", json!(null)).await;
    let ticket = ticket["ticket"].as_str().expect("a ticket").to_owned();
    let mut ws = server.ws(&format!("?ticket={ticket}")).await;
    ws.send(json!({"op": "subscribe", "channels": ["account"]}))
        .await;
    assert_eq!(ws.next().await["type"], "subscribed");
    let (status, _) = ann.post("/api/v1/auth/logout", json!(null)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        ws.closed().await,
        (
            exchange_server::hub::CLOSE_UNAUTHENTICATED,
            "credential ended".to_owned()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_tickets_are_single_use() {
    let server = TestServer::start().await;
    let ann = server.user("ann@example.com").await;
    let (status, ticket) = ann.post("/api/v1/auth/ws-ticket", json!(null)).await;
    assert_eq!(status, StatusCode::CREATED);
    let ticket = ticket["ticket"].as_str().expect("a ticket").to_owned();
    let mut ws = server.ws(&format!("?ticket={ticket}")).await;
    ws.send(json!({"op": "subscribe", "channels": ["account"]}))
        .await;
    let reply = ws.next().await;
    assert_eq!(reply["type"], "subscribed", "{reply}");
    let again = tokio_tungstenite::connect_async(format!(
        "{}/ws?ticket={ticket}",
        server.base.replace("http://", "ws://")
    ))
    .await;
    assert!(again.is_err(), "a used ticket is refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_is_made_from_the_command_line() {
    use exchange_server::cli::admin::{run, AdminCommand, CreateUserArgs, KindArg};
    let dir = tempfile::tempdir().expect("a directory");
    let data = dir.path().join("data");
    let args = CreateUserArgs {
        data: data.clone(),
        email: "Root@Example.com".into(),
        password: "root-password".into(),
        kind: KindArg::Admin,
    };
    let mut out = Vec::new();
    run(&AdminCommand::CreateUser(args), &mut out).expect("the admin is created");
    assert!(String::from_utf8_lossy(&out).contains("root@example.com"));
    let mut config = crate::support::config(&data);
    config.bootstrap = exchange_server::server::BootstrapSource::Empty;
    let running = exchange_server::server::start(config)
        .await
        .expect("the server starts");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    let base = format!("http://{}", running.addr);
    let login = json!({"email": "root@example.com", "password": "root-password"});
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let response = client
        .post(format!("{base}/api/v1/admin/tickers"))
        .header("origin", base.clone())
        .json(&json!({"symbol": "ROOT"}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the admin may list tickers"
    );
    running.stop().await;
}
