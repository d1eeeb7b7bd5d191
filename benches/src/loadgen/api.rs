//! The few API calls the workloads make, kept cheap: a [`Trader`] is one keep-alive
//! connection and one account's bearer token; place bodies are serialized once per client.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use http::{Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::net::TcpStream;

use super::bootstrap::TICKER;
use super::error::LoadgenError;
use super::server::Target;

/// A buy or a sell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A bid.
    Buy,
    /// An ask.
    Sell,
}

/// The body of `POST /api/v1/orders` for a GTC limit order of one share of [`TICKER`].
pub fn limit_order_body(side: Side, price: u64) -> Bytes {
    let side = match side {
        Side::Buy => "buy",
        Side::Sell => "sell",
    };
    Bytes::from(format!(
        r#"{{"ticker":"{TICKER}","side":"{side}","type":"limit","price":{price},"quantity":1}}"#
    ))
}

/// The fields of an `OrderResult` the workloads read.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct OrderResult {
    /// The command's record in the event log.
    pub seq: u64,
    /// The order as the command left it.
    pub order: Option<OrderId>,
}

/// The `id` of an `Order`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct OrderId {
    /// The order's id.
    pub id: u64,
}

/// An answer, read whole.
#[derive(Clone, Debug)]
pub struct Answer {
    /// Its status.
    pub status: StatusCode,
    /// Its body.
    pub body: Bytes,
    /// When the request was handed to the connection.
    pub sent: Instant,
    /// From `sent` to the last byte of the body.
    pub latency: Duration,
}

impl Answer {
    /// The body as an `OrderResult`, if it is one.
    pub fn order_result(&self) -> Option<OrderResult> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text, for error reports.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One account on one keep-alive HTTP/1.1 connection of its own.
///
/// It speaks through hyper's connection API rather than a pooled client: the load generator
/// shares the server's cores, so a request costs only what a request needs (no pool
/// checkout, no URL parsing, headers made once).
pub struct Trader {
    sender: SendRequest<Full<Bytes>>,
    host: HeaderValue,
    authorization: HeaderValue,
}

impl Trader {
    /// Opens a connection to `target` for the account whose API token is `token`.
    pub async fn connect(target: &Target, token: &str) -> Result<Trader, LoadgenError> {
        let header = |value: String| {
            HeaderValue::try_from(value).map_err(|error| LoadgenError::Url(error.to_string()))
        };
        let host = header(target.authority().to_owned())?;
        let authorization = header(format!("Bearer {token}"))?;
        let stream = TcpStream::connect(target.authority())
            .await
            .map_err(LoadgenError::Connect)?;
        stream.set_nodelay(true).map_err(LoadgenError::Connect)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        // The connection ends when `sender` is dropped; a failure shows as the error of the
        // request it broke.
        tokio::spawn(connection);
        Ok(Trader {
            sender,
            host,
            authorization,
        })
    }

    /// Checks the account with `GET /api/v1/account`, which must answer 200: a server
    /// started without the load generator's bootstrap answers 401.
    pub async fn check_account(&mut self) -> Result<(), LoadgenError> {
        let answer = self
            .send(Method::GET, Uri::from_static("/api/v1/account"), None)
            .await?;
        if answer.status == StatusCode::OK {
            return Ok(());
        }
        Err(LoadgenError::Refused {
            request: "GET /api/v1/account (was the server started with the file \
                      `loadgen --write-bootstrap FILE` writes?)"
                .to_owned(),
            status: answer.status.as_u16(),
            body: answer.body_text(),
        })
    }

    /// `POST /api/v1/orders` with a pre-serialized body.
    pub async fn place(&mut self, body: Bytes) -> Result<Answer, hyper::Error> {
        self.send(Method::POST, Uri::from_static("/api/v1/orders"), Some(body))
            .await
    }

    /// `GET path`, with the account's token.
    pub async fn get(&mut self, path: &'static str) -> Result<Answer, hyper::Error> {
        self.send(Method::GET, Uri::from_static(path), None).await
    }

    /// `DELETE /api/v1/orders/{order}`.
    pub async fn cancel(&mut self, order: u64) -> Result<Answer, hyper::Error> {
        let path =
            Uri::try_from(format!("/api/v1/orders/{order}")).expect("an order's path is a URI");
        self.send(Method::DELETE, path, None).await
    }

    /// Sends a request (with a JSON body if there is one) and reads the whole answer, timing
    /// both.
    async fn send(
        &mut self,
        method: Method,
        path: Uri,
        body: Option<Bytes>,
    ) -> Result<Answer, hyper::Error> {
        let json = body.is_some();
        let mut request = Request::new(Full::new(body.unwrap_or_default()));
        *request.method_mut() = method;
        *request.uri_mut() = path;
        let headers = request.headers_mut();
        headers.insert(HOST, self.host.clone());
        headers.insert(AUTHORIZATION, self.authorization.clone());
        if json {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let sent = Instant::now();
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok(Answer {
            status,
            body,
            sent,
            latency: sent.elapsed(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loadgen_order_bodies_and_results_have_the_api_shape() {
        let body = limit_order_body(Side::Sell, 1_003);
        let value: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(value["ticker"], TICKER);
        assert_eq!(value["side"], "sell");
        assert_eq!(value["type"], "limit");
        assert_eq!(value["price"], 1_003);
        assert_eq!(value["quantity"], 1);
        let answer =
            br#"{"seq":42,"time_ms":1,"order":{"id":7,"status":"open"},"fills":[],"events":[]}"#;
        let result: OrderResult = serde_json::from_slice(answer).expect("an OrderResult");
        assert_eq!(result.seq, 42);
        assert_eq!(result.order, Some(OrderId { id: 7 }));
    }
}
