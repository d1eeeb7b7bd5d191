//! One WebSocket subscriber of `quotes:LOAD`: it connects, subscribes, then notes the
//! moment each `quote` message arrives, by `seq`, until it has seen the last update or is
//! told to give up.
//!
//! A message's moment is taken as soon as its frame is decoded, before its JSON is read, on
//! a runtime shared by all subscribers (and cores shared with the server): the time a
//! subscriber waits to be polled is part of what is measured, as it would be for a real
//! client.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

use super::bootstrap::TICKER;
use super::error::LoadgenError;

/// A subscriber's connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A subscriber's read buffer. tungstenite zeroes its whole read buffer (128 KiB by
/// default) before every read of the socket, which for messages of a few hundred bytes
/// costs more than everything else a subscriber does.
pub const READ_BUFFER_BYTES: usize = 4 * 1024;

/// How long connecting and subscribing may take.
pub const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(30);

/// When a subscriber stops listening.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StopAt {
    /// The last update's seq: a subscriber that has seen it is done.
    pub last_seq: u64,
    /// A subscriber still waiting for it then gives up.
    pub deadline: Instant,
}

/// What one subscriber received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Each `quote` message's `seq` and arrival, in arrival order (snapshots included).
    pub quotes: Vec<(u64, Instant)>,
    /// The server closed the connection (or it failed) before the last update arrived.
    pub disconnected: bool,
}

/// The fields of a server message a subscriber reads.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    seq: Option<u64>,
}

/// Connects to `ws_url` and subscribes to `quotes:LOAD`, waiting for `subscribed`.
pub async fn subscribe(ws_url: &str) -> Result<Socket, LoadgenError> {
    let subscribing = async {
        let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER_BYTES);
        let (mut socket, _) = connect_async_with_config(ws_url, Some(config), true)
            .await
            .map_err(|error| LoadgenError::WebSocket(format!("connect to {ws_url}: {error}")))?;
        let request = format!(r#"{{"op":"subscribe","channels":["quotes:{TICKER}"]}}"#);
        socket
            .send(Message::text(request))
            .await
            .map_err(|error| LoadgenError::WebSocket(format!("subscribe: {error}")))?;
        while let Some(message) = socket.next().await {
            let message =
                message.map_err(|error| LoadgenError::WebSocket(format!("subscribe: {error}")))?;
            let Message::Text(text) = message else {
                continue;
            };
            match serde_json::from_str::<Header<'_>>(&text) {
                Ok(header) if header.kind == "subscribed" => return Ok(socket),
                Ok(header) if header.kind == "error" => {
                    return Err(LoadgenError::WebSocket(format!(
                        "subscribe refused: {text}"
                    )))
                }
                _ => {}
            }
        }
        Err(LoadgenError::WebSocket(
            "closed before `subscribed`".to_owned(),
        ))
    };
    tokio::time::timeout(SUBSCRIBE_TIMEOUT, subscribing)
        .await
        .map_err(|_| LoadgenError::WebSocket(format!("no `subscribed` in {SUBSCRIBE_TIMEOUT:?}")))?
}

/// Notes every `quote` until the one with the stop's `last_seq` (or a later one) arrives,
/// the stop's deadline passes, or the connection ends; then closes the connection.
/// `updates` sizes the record.
pub async fn listen(
    mut socket: Socket,
    mut stop: watch::Receiver<Option<StopAt>>,
    updates: usize,
) -> Received {
    let mut received = Received {
        quotes: Vec::with_capacity(updates + 2),
        disconnected: false,
    };
    let mut seq_seen = 0;
    loop {
        let stop_at = *stop.borrow_and_update();
        if stop_at.is_some_and(|stop_at| seq_seen >= stop_at.last_seq) {
            break;
        }
        // Without a stop yet, the deadline branch is disabled and this value unused.
        let deadline = stop_at.map_or_else(Instant::now, |stop_at| stop_at.deadline);
        tokio::select! {
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    let arrived = Instant::now();
                    if let Some(seq) = quote_seq(&text) {
                        received.quotes.push((seq, arrived));
                        seq_seen = seq_seen.max(seq);
                    }
                }
                // tungstenite answers pings itself.
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    received.disconnected = true;
                    break;
                }
            },
            changed = stop.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            () = tokio::time::sleep_until(deadline.into()), if stop_at.is_some() => break,
        }
    }
    // The measurement is over: a failing close changes nothing.
    let _ = socket.close(None).await;
    received
}

/// The seq of a `quote` message; `None` for any other message.
fn quote_seq(text: &str) -> Option<u64> {
    match serde_json::from_str::<Header<'_>>(text) {
        Ok(Header { kind: "quote", seq }) => seq,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadgen_subscribers_read_the_seq_of_quotes_only() {
        let quote = r#"{"type":"quote","channel":"quotes:LOAD","seq":17,"bid":{"price":500,"quantity":1,"orders":1},"ask":null,"last_price":null}"#;
        assert_eq!(quote_seq(quote), Some(17));
        assert_eq!(
            quote_seq(r#"{"type":"subscribed","channel":"quotes:LOAD","seq":3}"#),
            None
        );
        assert_eq!(quote_seq(r#"{"type":"pong","seq":3}"#), None);
        assert_eq!(quote_seq("not json"), None);
    }
}
