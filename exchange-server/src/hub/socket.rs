//! The thin pump between a WebSocket and a [`Connection`]: frames in go to the session
//! logic, queued messages go out, pings keep the connection honest.

use super::Connection;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::time::Instant;
use warp::ws::{Message, WebSocket};

/// The close code sent to a client the hub disconnected for falling behind.
pub const CLOSE_SLOW_CONSUMER: u16 = 4008;

/// The close code sent to a client that was silent for too long.
pub const CLOSE_IDLE: u16 = 4000;

/// The close code sent to a client whose credential stopped holding: its session ended or
/// expired, or its API token was revoked.
pub const CLOSE_UNAUTHENTICATED: u16 = 4001;

/// The close code sent to a client that broke the WebSocket protocol: a frame over
/// [`crate::http::ws::WS_FRAME_BYTES_MAX`], an unmasked or malformed frame, text that is not
/// UTF-8. RFC 6455's "protocol error"; the close reason says what was wrong.
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;

/// Longest close reason in bytes: a close frame's payload is at most 125 bytes, two of
/// them the code.
const CLOSE_REASON_BYTES_MAX: usize = 123;

/// Client frames read ahead of the session logic; the reader waits when it is full.
const INCOMING_FRAMES_MAX: usize = 16;

/// Most queued messages written before the socket is flushed.
const WRITE_BATCH_MAX: usize = 64;

/// The pump's timings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocketConfig {
    /// How often the server pings the client (default 20 s).
    pub ping_interval: Duration,
    /// How long the client may stay silent (no message, no pong) before it is dropped
    /// (default 60 s).
    pub idle_timeout: Duration,
    /// How often the credential the socket was opened with is checked again (default 3 s):
    /// the longest a socket outlives a logout, an expiry or a revoked token.
    pub credential_check_interval: Duration,
}

impl Default for SocketConfig {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
            credential_check_interval: Duration::from_secs(3),
        }
    }
}

/// Why the pump stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ending {
    /// The client closed, or the socket failed.
    ClientGone,
    /// The hub closed the client's queue: a slow consumer.
    Slow,
    /// Nothing heard from the client for too long.
    Idle,
    /// The credential the socket was opened with no longer holds.
    CredentialEnded,
    /// The client broke the protocol; the reason says how.
    ProtocolError(String),
}

/// Serves one WebSocket until either side ends it: text frames go to
/// [`Connection::handle_text`], binary ones get an error, a close frame ends it; queued
/// messages are written in order; a ping goes out every `ping_interval`, and a client silent
/// for `idle_timeout` is closed (code 4000). A client the hub disconnected gets its queued
/// messages and then close code 4008, "slow consumer". Every `credential_check_interval`,
/// `credential_holds` is asked whether the socket's credential still holds; once it does
/// not, the client is closed with code 4001 (an anonymous socket passes `|| true`). A client
/// that breaks the protocol is closed with code 1002 and a reason saying what it did.
pub async fn serve_socket(
    socket: WebSocket,
    mut connection: Connection,
    config: SocketConfig,
    mut credential_holds: impl FnMut() -> bool + Send,
) {
    let (mut sink, stream) = socket.split();
    // The reader runs as its own task so the socket is read only when data arrives: polling
    // it from the writer's loop would make the protocol layer prepare a read (and zero its
    // read buffer) for every message written.
    let (frames, mut incoming) = tokio::sync::mpsc::channel(INCOMING_FRAMES_MAX);
    let mut reader = tokio::spawn(read_frames(stream, frames));
    let start = Instant::now() + config.ping_interval;
    let mut ping = tokio::time::interval_at(start, config.ping_interval);
    let first_check = Instant::now() + config.credential_check_interval;
    let mut check = tokio::time::interval_at(first_check, config.credential_check_interval);
    let mut heard = Instant::now();
    let ending = loop {
        tokio::select! {
            frame = incoming.recv() => {
                let Some(frame) = frame else {
                    // The reader has stopped; it says whether the client broke the protocol.
                    break match (&mut reader).await {
                        Ok(Some(reason)) => Ending::ProtocolError(reason),
                        Ok(None) | Err(_) => Ending::ClientGone,
                    };
                };
                heard = Instant::now();
                if let Ok(text) = frame.to_str() {
                    connection.handle_text(text);
                } else if frame.is_binary() {
                    connection.handle_binary();
                }
            }
            queued = connection.next() => {
                let Some(text) = queued else { break Ending::Slow };
                if write(&mut sink, &mut connection, text).await.is_err() {
                    break Ending::ClientGone;
                }
            }
            _ = ping.tick() => {
                if sink.send(Message::ping(Vec::new())).await.is_err() {
                    break Ending::ClientGone;
                }
            }
            _ = check.tick() => {
                if !credential_holds() {
                    break Ending::CredentialEnded;
                }
            }
            () = tokio::time::sleep_until(heard + config.idle_timeout) => break Ending::Idle,
        }
    };
    reader.abort();
    let close = match ending {
        Ending::ClientGone => None,
        Ending::ProtocolError(reason) => Some(Message::close_with(CLOSE_PROTOCOL_ERROR, reason)),
        Ending::Slow => Some(Message::close_with(CLOSE_SLOW_CONSUMER, "slow consumer")),
        Ending::Idle => Some(Message::close_with(CLOSE_IDLE, "idle timeout")),
        Ending::CredentialEnded => Some(Message::close_with(
            CLOSE_UNAUTHENTICATED,
            "credential ended",
        )),
    };
    if let Some(close) = close {
        let _ = sink.send(close).await;
    }
    // Flushes the reply to a client's close frame, or ends our own close handshake.
    let _ = sink.close().await;
}

/// Forwards the client's frames until it closes or the socket fails; a frame that is not
/// a close frame counts as hearing from the client (pongs included). Returns the close
/// reason for a client that broke the protocol.
async fn read_frames(
    mut stream: futures_util::stream::SplitStream<WebSocket>,
    frames: tokio::sync::mpsc::Sender<Message>,
) -> Option<String> {
    while let Some(read) = stream.next().await {
        match read {
            Ok(frame) => {
                if frame.is_close() || frames.send(frame).await.is_err() {
                    return None;
                }
            }
            Err(error) => return protocol_error(&error),
        }
    }
    None
}

/// The close reason for a read that failed because the client broke the protocol, or
/// `None` if the connection itself failed: then no one is left to tell.
fn protocol_error(error: &warp::Error) -> Option<String> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return None;
        }
        source = cause.source();
    }
    let mut reason = format!("protocol error: {error}");
    if reason.len() > CLOSE_REASON_BYTES_MAX {
        let mut end = CLOSE_REASON_BYTES_MAX;
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        reason.truncate(end);
    }
    Some(reason)
}

/// Writes one queued message and whatever else is already queued (up to a batch), then
/// flushes once.
async fn write(
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    connection: &mut Connection,
    first: std::sync::Arc<str>,
) -> Result<(), warp::Error> {
    sink.feed(Message::text(&*first)).await?;
    for _ in 1..WRITE_BATCH_MAX {
        let Some(text) = connection.try_next() else {
            break;
        };
        sink.feed(Message::text(&*text)).await?;
    }
    sink.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::fixture::{limit, two_traders, Market};
    use crate::hub::{Hub, HubConfig};
    use exchange_core::{Side, State};
    use serde_json::Value;
    use tokio_tungstenite::tungstenite::Message as Frame;
    use warp::Filter;

    const WAIT: Duration = Duration::from_secs(5);

    /// The `/ws` route as the server builds it, on a hub.
    fn route(
        hub: Hub,
        config: SocketConfig,
    ) -> impl Filter<Extract = (impl warp::Reply,), Error = warp::Rejection> + Clone {
        warp::path("ws")
            .and(warp::ws())
            .map(move |ws: warp::ws::Ws| {
                let connection = hub.connect(None);
                ws.on_upgrade(move |socket| serve_socket(socket, connection, config, || true))
            })
    }

    async fn recv(client: &mut warp::test::WsClient) -> Value {
        let message = tokio::time::timeout(WAIT, client.recv())
            .await
            .unwrap()
            .unwrap();
        serde_json::from_str(message.to_str().unwrap()).unwrap()
    }

    fn started() -> (Market, Hub) {
        let mut market = Market::new();
        let hub = Hub::new(&State::default(), 0, HubConfig::default());
        hub.publish(&market.batch(two_traders()));
        (market, hub)
    }

    #[tokio::test]
    async fn a_socket_subscribes_receives_and_survives_bad_frames() {
        let (mut market, hub) = started();
        let mut client = warp::test::ws()
            .path("/ws")
            .handshake(route(hub.clone(), SocketConfig::default()))
            .await
            .unwrap();
        client
            .send_text(r#"{"op":"subscribe","channels":["book:MNAD"]}"#)
            .await;
        assert_eq!(recv(&mut client).await["type"], "subscribed");
        assert_eq!(recv(&mut client).await["type"], "book_snapshot");
        hub.publish(&market.accept(limit(1, Side::Sell, 30, 5)));
        let book = recv(&mut client).await;
        assert_eq!(
            (book["type"].as_str(), book["quantity"].as_u64()),
            (Some("book"), Some(5))
        );

        client.send_text("x".repeat(5_000)).await;
        assert_eq!(recv(&mut client).await["code"], "message_too_large");
        client.send(Message::binary(vec![1, 2, 3])).await;
        assert_eq!(recv(&mut client).await["code"], "binary_message");
        client.send_text(r#"{"op":"ping"}"#).await;
        assert_eq!(
            recv(&mut client).await["type"],
            "pong",
            "the socket stays open"
        );
        assert_eq!(hub.stats().clients, 1);
        assert_eq!(hub.stats().invalid_messages, 2);
    }

    /// Serves `/ws` on 127.0.0.1 in the background; returns its URL.
    async fn serve(hub: &Hub, timings: SocketConfig) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = warp::serve(route(hub.clone(), timings)).incoming(listener);
        tokio::spawn(server.run());
        format!("ws://{address}/ws")
    }

    /// The first close frame the server sends, within [`WAIT`].
    async fn close_frame<S>(socket: &mut S) -> (u16, String)
    where
        S: futures_util::Stream<Item = tokio_tungstenite::tungstenite::Result<Frame>> + Unpin,
    {
        let close = tokio::time::timeout(WAIT, async {
            while let Some(Ok(frame)) = socket.next().await {
                if let Frame::Close(Some(close)) = frame {
                    return Some(close);
                }
            }
            None
        });
        let close = close.await.unwrap().expect("a close frame");
        (u16::from(close.code), close.reason.as_str().to_owned())
    }

    /// On a real server: a client that stops reading is closed with 4008 once the hub
    /// drops it, and is unregistered.
    #[tokio::test]
    async fn a_client_that_stops_reading_is_closed_as_a_slow_consumer() {
        let mut market = Market::new();
        let config = HubConfig {
            client_queue_max: 4,
            ..HubConfig::default()
        };
        let hub = Hub::new(&State::default(), 0, config);
        hub.publish(&market.batch(two_traders()));
        let url = serve(&hub, SocketConfig::default()).await;
        let (mut slow, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
        let subscribe = r#"{"op":"subscribe","channels":["book:MNAD","trades:MNAD"]}"#;
        slow.send(Frame::text(subscribe)).await.unwrap();
        while hub.stats().messages_sent < 3 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // The socket's own buffers absorb some messages; publish until the queue overflows.
        for round in 0..20_000 {
            let (account, side, price) = match round % 2 {
                0 => (1, Side::Sell, 40),
                _ => (2, Side::Buy, 10),
            };
            hub.publish(&market.batch([limit(account, side, price, 1)]));
            if hub.stats().slow_disconnects == 1 {
                break;
            }
        }
        assert_eq!(hub.stats().slow_disconnects, 1, "the client fell behind");
        let close = close_frame(&mut slow).await;
        assert_eq!(close, (CLOSE_SLOW_CONSUMER, "slow consumer".to_owned()));
        assert_eq!(hub.stats().clients, 0);
    }

    /// On a real server: a client that sends nothing (not even a pong) is closed with 4000
    /// after the idle timeout.
    #[tokio::test]
    async fn a_silent_client_is_closed_after_the_idle_timeout() {
        let (_, hub) = started();
        // Pinging less often than the timeout, so the only thing that ends it is silence.
        let quiet = SocketConfig {
            ping_interval: Duration::from_secs(60),
            idle_timeout: Duration::from_millis(200),
            ..SocketConfig::default()
        };
        let url = serve(&hub, quiet).await;
        let (mut silent, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        let started = Instant::now();
        let close = close_frame(&mut silent).await;
        assert_eq!(close, (CLOSE_IDLE, "idle timeout".to_owned()));
        assert!(started.elapsed() >= quiet.idle_timeout);
        drop(silent);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(hub.stats().clients, 0, "the connection is gone");
    }

    /// On a real server: a socket is closed with 4001 once its credential stops holding,
    /// at the next check.
    #[tokio::test]
    async fn a_socket_whose_credential_ends_is_closed() {
        let (_, hub) = started();
        let holds = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let config = SocketConfig {
            credential_check_interval: Duration::from_millis(20),
            ..SocketConfig::default()
        };
        let (route_hub, route_holds) = (hub.clone(), holds.clone());
        let route = warp::path("ws")
            .and(warp::ws())
            .map(move |ws: warp::ws::Ws| {
                let connection = route_hub.connect(None);
                let holds = route_holds.clone();
                ws.on_upgrade(move |socket| {
                    serve_socket(socket, connection, config, move || {
                        holds.load(std::sync::atomic::Ordering::SeqCst)
                    })
                })
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        tokio::spawn(warp::serve(route).incoming(listener).run());
        let (mut client, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        client.send(Frame::text(r#"{"op":"ping"}"#)).await.unwrap();
        let pong = client.next().await.unwrap().unwrap();
        assert!(pong.to_text().unwrap().contains("pong"), "{pong:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(hub.stats().clients, 1, "it holds: the socket stays");

        holds.store(false, std::sync::atomic::Ordering::SeqCst);
        let close = close_frame(&mut client).await;
        assert_eq!(
            close,
            (CLOSE_UNAUTHENTICATED, "credential ended".to_owned())
        );
    }

    #[tokio::test]
    async fn a_client_that_answers_pings_stays_connected() {
        let (_, hub) = started();
        let timings = SocketConfig {
            ping_interval: Duration::from_millis(40),
            idle_timeout: Duration::from_millis(200),
            ..SocketConfig::default()
        };
        let mut client = warp::test::ws()
            .path("/ws")
            .handshake(route(hub.clone(), timings))
            .await
            .unwrap();
        tokio::time::sleep(timings.idle_timeout * 3).await;
        client.send_text(r#"{"op":"ping"}"#).await;
        let mut pings = 0;
        loop {
            let frame = tokio::time::timeout(WAIT, client.recv())
                .await
                .unwrap()
                .unwrap();
            if frame.is_ping() {
                pings += 1;
                continue;
            }
            assert_eq!(frame.to_str(), Ok(r#"{"type":"pong","seq":5}"#));
            break;
        }
        assert!(pings >= 3, "the server pinged: {pings}");
        assert_eq!(hub.stats().clients, 1);
    }
}
