//! A real server on 127.0.0.1 (random port) over a temporary data directory, and clients
//! for it: HTTP with a cookie jar and the right Origin, bearer tokens, WebSockets.

use exchange_server::server::{self, BootstrapSource, RunningServer, ServeConfig};
use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for one WebSocket message before failing.
pub const WS_WAIT: Duration = Duration::from_secs(10);

/// A running server and its data directory.
pub struct TestServer {
    /// The server.
    pub running: Option<RunningServer>,
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub base: String,
    /// The data directory (kept for restarts).
    pub data: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// A configuration for tests: the demo bootstrap, fast limits unless a test says otherwise.
pub fn config(data: &Path) -> ServeConfig {
    let mut config = ServeConfig::new(
        data.to_path_buf(),
        "127.0.0.1:0".parse().expect("an address"),
    );
    config.bootstrap = BootstrapSource::Demo;
    config
}

impl TestServer {
    /// Starts a server with the default test configuration.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `adjust` changes the configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut ServeConfig)) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("data");
        let mut config = config(&data);
        adjust(&mut config);
        let running = server::start(config).await.expect("the server starts");
        Self {
            base: format!("http://{}", running.addr),
            running: Some(running),
            data,
            _dir: Some(dir),
        }
    }

    /// Stops the server and starts a new one on the same data directory.
    pub async fn restart(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
        let running = server::start(config(&self.data))
            .await
            .expect("the server restarts");
        self.base = format!("http://{}", running.addr);
        self.running = Some(running);
    }

    /// A client with its own cookie jar.
    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .expect("a client"),
            base: self.base.clone(),
            token: None,
        }
    }

    /// A client that signed up with `email` (password `password123`).
    pub async fn user(&self, email: &str) -> Client {
        let client = self.client();
        let (status, body) = client
            .post(
                "/api/v1/auth/signup",
                json!({"email": email, "password": "password123"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "signup of {email}: {body}");
        client
    }

    /// A bearer client for the demo's first market maker (`mm1@demo.exchange`).
    pub fn market_maker(&self) -> Client {
        let mut client = self.client();
        client.token =
            Some("d3e0000000000000000000000000000000000000000000000000000000000001".into());
        client
    }

    /// A bearer client for the demo's orchestrator.
    pub fn orchestrator(&self) -> Client {
        let mut client = self.client();
        client.token =
            Some("d3e0000000000000000000000000000000000000000000000000000000000003".into());
        client
    }

    /// A client logged in as the demo's admin.
    pub async fn admin(&self) -> Client {
        let client = self.client();
        let (status, body) = client
            .post(
                "/api/v1/auth/login",
                json!({"email": "admin@demo.exchange", "password": "demo-admin-password"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "admin login: {body}");
        client
    }

    /// A WebSocket to `/ws`, with `extra` appended to the URL (e.g. `?ticket=...`).
    pub async fn ws(&self, extra: &str) -> Ws {
        let url = format!("{}/ws{extra}", self.base.replace("http://", "ws://"));
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("the socket connects");
        Ws { socket }
    }
}

/// An HTTP client of the test server.
#[derive(Clone)]
pub struct Client {
    /// The underlying client (with a cookie jar).
    pub http: reqwest::Client,
    /// The server's base URL.
    pub base: String,
    /// A bearer token to send, if any.
    pub token: Option<String>,
}

impl Client {
    /// Sends a request with an optional JSON body and the server's own Origin; returns
    /// the status and the body as JSON (`null` if empty or not JSON).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("origin", self.base.clone());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    /// DELETE.
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    /// A new API token for this client's user, as a bearer client.
    pub async fn bearer(&self) -> Client {
        let (status, body) = self
            .post("/api/v1/auth/tokens", json!({"name": "test"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "token: {body}");
        Client {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            token: Some(body["token"].as_str().expect("a token").to_owned()),
        }
    }
}

/// A WebSocket client.
pub struct Ws {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    /// Sends a JSON message.
    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("the message is sent");
    }

    /// Sends raw text.
    pub async fn send_text(&mut self, text: String) {
        self.socket
            .send(Message::text(text))
            .await
            .expect("the text is sent");
    }

    /// The next frame of any kind; panics after [`WS_WAIT`] or if the socket has ended.
    async fn frame(&mut self) -> Message {
        tokio::time::timeout(WS_WAIT, self.socket.next())
            .await
            .expect("a frame arrives in time")
            .expect("the socket has not ended")
            .expect("a valid frame")
    }

    /// The next JSON text message, skipping pings; panics after [`WS_WAIT`].
    pub async fn next(&mut self) -> Value {
        loop {
            match self.frame().await {
                Message::Text(text) => return serde_json::from_str(&text).expect("JSON"),
                Message::Close(frame) => panic!("the socket closed: {frame:?}"),
                _ => {}
            }
        }
    }

    /// Every message up to and including record `seq`: pings until a pong reports that the
    /// hub has published `seq` (a pong is queued behind everything published before it).
    pub async fn through(&mut self, seq: u64) -> Vec<Value> {
        let mut seen: Vec<Value> = Vec::new();
        loop {
            self.send(json!({"op": "ping"})).await;
            let mut batch = self.until("pong").await;
            let pong = batch.pop().expect("a pong");
            seen.extend(batch);
            if pong["seq"].as_u64().is_some_and(|s| s >= seq) {
                return seen;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The close frame's code and reason, skipping any messages before it; panics after
    /// [`WS_WAIT`].
    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            if let Message::Close(frame) = self.frame().await {
                let frame = frame.expect("a close code");
                return (u16::from(frame.code), frame.reason.as_str().to_owned());
            }
        }
    }

    /// Messages until one of type `kind` arrives (returned with those before it).
    pub async fn until(&mut self, kind: &str) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let message = self.next().await;
            let done = message["type"] == kind;
            seen.push(message);
            if done {
                return seen;
            }
        }
    }
}
