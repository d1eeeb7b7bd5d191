//! The few API calls the workloads make, kept cheap: a [`Trader`] is one keep-alive
//! connection and one account's bearer token, with its place bodies serialized once.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use serde::Deserialize;

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

/// One account on one keep-alive connection.
pub struct Trader {
    client: reqwest::Client,
    authorization: HeaderValue,
    place_url: Url,
    target: Target,
}

impl Trader {
    /// A trader with the API token `token` (the connection opens on the first request).
    pub fn new(target: &Target, token: &str) -> Result<Trader, LoadgenError> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1)
            .tcp_nodelay(true)
            .build()?;
        let authorization = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|error| LoadgenError::Url(format!("token: {error}")))?;
        let place_url = Url::parse(&target.url("/api/v1/orders"))
            .map_err(|error| LoadgenError::Url(error.to_string()))?;
        Ok(Trader {
            client,
            authorization,
            place_url,
            target: target.clone(),
        })
    }

    /// Opens the connection with `GET /api/v1/account`, which must answer 200: a server
    /// started without the load generator's bootstrap answers 401.
    pub async fn check_account(&self) -> Result<(), LoadgenError> {
        let request = self
            .client
            .get(self.target.url("/api/v1/account"))
            .header(AUTHORIZATION, self.authorization.clone());
        let answer = send(request).await?;
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
    pub async fn place(&self, body: Bytes) -> Result<Answer, reqwest::Error> {
        let request = self
            .client
            .post(self.place_url.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);
        send(request).await
    }

    /// `DELETE /api/v1/orders/{order}`.
    pub async fn cancel(&self, order: u64) -> Result<Answer, reqwest::Error> {
        // Only the path changes: the host is not parsed again.
        let mut url = self.place_url.clone();
        url.set_path(&format!("/api/v1/orders/{order}"));
        let request = self
            .client
            .delete(url)
            .header(AUTHORIZATION, self.authorization.clone());
        send(request).await
    }
}

/// Sends a request and reads the whole answer, timing both.
async fn send(request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
    let sent = Instant::now();
    let response = request.send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    Ok(Answer {
        status,
        body,
        sent,
        latency: sent.elapsed(),
    })
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
