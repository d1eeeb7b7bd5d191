//! The WebSocket half of the network runner: connect to `/ws` with the bot's bearer token
//! and subscribe to its ticker's quotes and trades and to its account, from a `since` or
//! afresh.

use super::error::NetError;
use super::rest::{refused, Rest};
use super::wire::ServerMessage;
use futures_util::{SinkExt, StreamExt};
use reqwest::header::AUTHORIZATION;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

/// A bot's connection.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long connecting and subscribing may take.
pub const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The channels a bot subscribes to.
pub fn channels(ticker: &str) -> [String; 3] {
    [
        format!("quotes:{ticker}"),
        format!("trades:{ticker}"),
        "account".to_owned(),
    ]
}

/// A subscribed connection and what came with the subscription.
pub struct Subscription {
    /// The connection.
    pub socket: Socket,
    /// Whether the server could not resume from `since` (the state must be read again).
    pub resynced: bool,
    /// Messages that arrived while subscribing (replays, snapshots), in order.
    pub pending: Vec<ServerMessage>,
}

/// Connects as the account of `rest` and subscribes to the channels of `ticker`, resuming
/// after record `since` if given.
pub async fn subscribe(
    rest: &Rest,
    ticker: &str,
    since: Option<u64>,
) -> Result<Subscription, NetError> {
    tokio::time::timeout(SUBSCRIBE_TIMEOUT, subscribing(rest, ticker, since))
        .await
        .map_err(|_| NetError::WebSocket(format!("not subscribed in {SUBSCRIBE_TIMEOUT:?}")))?
}

async fn subscribing(
    rest: &Rest,
    ticker: &str,
    since: Option<u64>,
) -> Result<Subscription, NetError> {
    let url = rest.server().ws_url();
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|error| NetError::WebSocket(format!("{url}: {error}")))?;
    request
        .headers_mut()
        .insert(AUTHORIZATION, rest.authorization().clone());
    let (mut socket, _) = connect_async_with_config(request, None, true)
        .await
        .map_err(|error| connect_error(&url, error))?;
    let channels = channels(ticker);
    let mut subscribe = serde_json::json!({"op": "subscribe", "channels": channels});
    if let Some(since) = since {
        subscribe["since"] = since.into();
    }
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .map_err(|error| NetError::WebSocket(format!("subscribe: {error}")))?;
    let mut subscription = Subscription {
        socket,
        resynced: false,
        pending: Vec::new(),
    };
    let mut subscribed = 0;
    while subscribed < channels.len() {
        match next_message(&mut subscription.socket).await? {
            ServerMessage::Subscribed { .. } => subscribed += 1,
            ServerMessage::Resync { .. } => subscription.resynced = true,
            ServerMessage::Error { code, message } => {
                return Err(NetError::WebSocket(format!("subscribe: {code}: {message}")))
            }
            message => subscription.pending.push(message),
        }
    }
    Ok(subscription)
}

/// The next server message, skipping frames that are not text.
async fn next_message(socket: &mut Socket) -> Result<ServerMessage, NetError> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return parse(&text),
            Some(Ok(Message::Close(frame))) => {
                return Err(NetError::WebSocket(format!(
                    "closed while subscribing: {frame:?}"
                )))
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => return Err(NetError::WebSocket(format!("subscribing: {error}"))),
            None => return Err(NetError::WebSocket("closed while subscribing".to_owned())),
        }
    }
}

/// A text frame as a server message.
pub fn parse(text: &str) -> Result<ServerMessage, NetError> {
    serde_json::from_str(text).map_err(|error| NetError::BadAnswer {
        request: "websocket".to_owned(),
        detail: format!("{error}: {text}"),
    })
}

/// A refused upgrade becomes the HTTP error it is (401 is fatal); anything else is a
/// connection failure.
fn connect_error(url: &str, error: tungstenite::Error) -> NetError {
    match error {
        tungstenite::Error::Http(response) => {
            let body = response.body().as_deref().unwrap_or_default();
            refused(format!("GET {url}"), response.status(), None, body)
        }
        error => NetError::WebSocket(format!("connect to {url}: {error}")),
    }
}
