//! Connection limits: idle and slow clients cannot hold the server's connections, and a
//! client over its limit gets a clear 503.

use crate::support::{TestServer, WS_WAIT};
use exchange_server::server::ServeConfig;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A header timeout short enough for tests to wait out.
const HEADER_TIMEOUT: Duration = Duration::from_millis(300);

fn limits(per_client_max: usize) -> impl FnOnce(&mut ServeConfig) {
    move |config| {
        config.connections.per_client_max = per_client_max;
        config.connections.header_timeout = HEADER_TIMEOUT;
        config.connections.body_timeout = HEADER_TIMEOUT;
    }
}

/// Like [`limits`], with a header timeout long enough that idle connections stay open for
/// the whole test.
fn limits_keeping_idle(per_client_max: usize) -> impl FnOnce(&mut ServeConfig) {
    move |config| {
        limits(per_client_max)(config);
        config.connections.header_timeout = Duration::from_secs(60);
    }
}

fn addr(server: &TestServer) -> SocketAddr {
    server.running.as_ref().expect("running").addr
}

/// A connection to the server from the local address `from`.
async fn connect_from(server: &TestServer, from: Ipv4Addr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("binds to a loopback address");
    socket.connect(addr(server)).await.expect("connects")
}

/// Sends `request` and reads the answer until the server closes the connection, as status
/// line, headers and body.
async fn exchange(stream: &mut TcpStream, request: &str) -> (u16, String, String) {
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    let text = read_to_close(stream).await;
    let (head, body) = text.split_once("\r\n\r\n").expect("a whole answer");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// What the server sends until it closes the connection (a reset counts as a close).
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let read = tokio::time::timeout(WS_WAIT, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
            }
        }
    });
    read.await.expect("the server closes the connection");
    String::from_utf8(bytes).expect("text")
}

const HEALTH: &str = "GET /health HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n";

fn error_code(body: &str) -> String {
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    body["error"]["code"].as_str().expect("a code").to_owned()
}

/// Sends `GET /health` from `from` until it is answered 200, as connections the server has
/// seen close free their slots.
async fn healthy_from(server: &TestServer, from: Ipv4Addr) {
    let attempt = async {
        loop {
            let mut stream = connect_from(server, from).await;
            if exchange(&mut stream, HEALTH).await.0 == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(WS_WAIT, attempt)
        .await
        .expect("the server serves the client again");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = TestServer::start_with(limits(10)).await;
    let mut idle = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let answer = read_to_close(&mut idle).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_client_over_its_connection_limit_gets_503_while_other_clients_are_served() {
    let server = TestServer::start_with(limits_keeping_idle(2)).await;
    let first = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let _second = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let mut third = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let (status, head, body) = exchange(&mut third, HEALTH).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(error_code(&body), "too_many_connections");
    assert!(head.contains("retry-after: 1"), "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    // Another address is not held back by the first one's connections.
    let mut other = connect_from(&server, Ipv4Addr::new(127, 0, 0, 2)).await;
    assert_eq!(exchange(&mut other, HEALTH).await.0, 200);
    // Once one of the idle connections closes, its client is served again.
    drop(first);
    healthy_from(&server, Ipv4Addr::LOCALHOST).await;
    let metrics = server
        .client()
        .http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains(r#"exchange_http_errors_total{code="too_many_connections"} 1"#),
        "{metrics}"
    );
    // The metrics request's own connection, the idle one left and the other client's, which
    // the server may not have seen close yet.
    let open = metrics
        .lines()
        .find_map(|line| line.strip_prefix("exchange_connections_open "))
        .and_then(|value| value.parse::<u64>().ok())
        .expect("the open connections are reported");
    assert!((2..=3).contains(&open), "{open} open connections");
}

#[tokio::test]
async fn slow_headers_cannot_keep_a_client_locked_out_past_the_header_timeout() {
    let server = TestServer::start_with(limits(3)).await;
    // A slowloris client: each connection sends a header line now and then, never the end.
    let mut slow = Vec::new();
    for _ in 0..3 {
        let mut stream = connect_from(&server, Ipv4Addr::LOCALHOST).await;
        stream.write_all(b"GET /health HTTP/1.1\r\n").await.unwrap();
        slow.push(stream);
    }
    let mut refused = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    assert_eq!(exchange(&mut refused, HEALTH).await.0, 503);
    let trickle = async {
        loop {
            let mut open = 0;
            for stream in &mut slow {
                if stream.write_all(b"x-slow: 1\r\n").await.is_ok() {
                    open += 1;
                }
            }
            if open == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    // The server cuts the trickling connections off however often they send.
    tokio::time::timeout(WS_WAIT, trickle)
        .await
        .expect("the server closes a slow connection");
    healthy_from(&server, Ipv4Addr::LOCALHOST).await;
}

#[tokio::test]
async fn a_websocket_keeps_its_connection_slot_until_it_closes() {
    let server = TestServer::start_with(limits_keeping_idle(1)).await;
    let socket = server.ws("").await;
    let mut stream = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let (status, _, body) = exchange(&mut stream, HEALTH).await;
    assert_eq!(status, 503, "the open WebSocket holds the one slot: {body}");
    drop(socket);
    healthy_from(&server, Ipv4Addr::LOCALHOST).await;
}

#[tokio::test]
async fn a_body_slower_than_the_body_timeout_gets_408_and_changes_nothing() {
    let server = TestServer::start_with(limits(10)).await;
    let mut stream = connect_from(&server, Ipv4Addr::LOCALHOST).await;
    let request = "POST /api/v1/auth/signup HTTP/1.1\r\nhost: test\r\n\
                   content-type: application/json\r\ncontent-length: 200\r\n\
                   connection: close\r\n\r\n\
                   {\"email\":\"slow@example.com\",";
    stream.write_all(request.as_bytes()).await.unwrap();
    let text = read_to_close(&mut stream).await;
    let (head, body) = text.split_once("\r\n\r\n").expect("an answer");
    assert!(head.starts_with("HTTP/1.1 408"), "{head}");
    assert_eq!(error_code(body), "request_timeout");
    // The signup never ran: the email is still free.
    let signup =
        serde_json::json!({"email": "slow@example.com", "password": "a long enough password"});
    let (status, body) = server.client().post("/api/v1/auth/signup", signup).await;
    assert_eq!(status, 201, "{body}");
}
