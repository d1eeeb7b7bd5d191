//! The REST half of the network runner: [`Server`] (where) and [`Rest`] (one account's
//! calls, with its bearer token, on one keep-alive connection pool).

use super::error::NetError;
use super::wire::{
    direction_path, AccountBody, CancelledBody, CreatedAccountBody, ErrorBody, FillBody,
    LiquidatedBody, OrderBody, OrderResultBody, PlaceOrderBody, QuoteBody, TransferBody,
};
use exchange_core::AlertDirection;
use reqwest::header::{HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

/// How long one request may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A server's base URL, `http://HOST:PORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    base_url: String,
}

impl Server {
    /// The server at `url`, which must be `http://HOST[:PORT]` (no TLS, no path).
    pub fn parse(url: &str) -> Result<Server, NetError> {
        let base_url = url.trim_end_matches('/');
        let refuse = |why| NetError::Url {
            url: url.to_owned(),
            why,
        };
        let authority = base_url
            .strip_prefix("http://")
            .ok_or_else(|| refuse("not an http:// address (the bots speak plain HTTP)"))?;
        if authority.is_empty() || authority.contains('/') {
            return Err(refuse("must be http://HOST:PORT, without a path"));
        }
        Ok(Server {
            base_url: base_url.to_owned(),
        })
    }

    /// The server listening on `addr`.
    pub fn at(addr: SocketAddr) -> Server {
        Server {
            base_url: format!("http://{addr}"),
        }
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        assert!(path.starts_with('/'), "a path starts with a slash");
        format!("{}{path}", self.base_url)
    }

    /// The base URL, `http://HOST:PORT`, which is also the server's own origin.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The WebSocket endpoint, `ws://HOST:PORT/ws`.
    pub fn ws_url(&self) -> String {
        // `parse` and `at` only make http:// URLs.
        let authority = self.base_url.trim_start_matches("http://");
        format!("ws://{authority}/ws")
    }
}

/// Whether a client keeps cookies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cookies {
    /// A bot with a bearer token: no cookies.
    None,
    /// A browser-like client that logs in: a cookie jar.
    Jar,
}

/// How long an idle kept-alive connection is kept for reuse: well under the server's
/// header timeout (15 s by default), after which the server closes it, so a request never
/// goes out on a connection the server is closing.
const POOL_IDLE: Duration = Duration::from_secs(5);

/// An HTTP client with the runner's settings.
pub(super) fn http_client(cookies: Cookies) -> Result<reqwest::Client, NetError> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .pool_idle_timeout(POOL_IDLE)
        .tcp_nodelay(true)
        .cookie_store(cookies == Cookies::Jar)
        .build()
        .map_err(|source| NetError::Http {
            request: "building the HTTP client".to_owned(),
            source,
        })
}

/// What a request got back.
pub(super) struct Answer {
    /// The status.
    pub(super) status: StatusCode,
    /// The `Retry-After` header, in seconds.
    pub(super) retry_after_s: Option<u64>,
    /// The body.
    pub(super) bytes: Vec<u8>,
}

/// Sends `builder`'s request, with `body` as JSON if given; `request` names it in errors.
pub(super) async fn send(
    builder: reqwest::RequestBuilder,
    body: Option<serde_json::Value>,
    request: &str,
) -> Result<Answer, NetError> {
    let builder = match body {
        Some(body) => builder.json(&body),
        None => builder,
    };
    let http = |source| NetError::Http {
        request: request.to_owned(),
        source,
    };
    let response = builder.send().await.map_err(http)?;
    let status = response.status();
    let retry_after_s = retry_after_s(response.headers().get(RETRY_AFTER));
    let bytes = response.bytes().await.map_err(http)?.to_vec();
    Ok(Answer {
        status,
        retry_after_s,
        bytes,
    })
}

/// One account's REST calls.
#[derive(Clone, Debug)]
pub struct Rest {
    client: reqwest::Client,
    server: Server,
    authorization: HeaderValue,
}

impl Rest {
    /// The calls of the account whose API token is `token`.
    pub fn new(server: &Server, token: &str) -> Result<Rest, NetError> {
        let client = http_client(Cookies::None)?;
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| NetError::Url {
                url: server.base_url.clone(),
                why: "the token is not a valid header value",
            })?;
        authorization.set_sensitive(true);
        Ok(Rest {
            client,
            server: server.clone(),
            authorization,
        })
    }

    /// The server.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The `Authorization` header value, for the WebSocket upgrade.
    pub fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    /// Sends a request and parses a JSON answer with a 2xx status.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, NetError> {
        let request = format!("{method} {path}");
        let builder = self
            .client
            .request(method, self.server.url(path))
            .header(AUTHORIZATION, self.authorization.clone());
        let Answer {
            status,
            retry_after_s,
            bytes,
        } = send(builder, body, &request).await?;
        if !status.is_success() {
            return Err(refused(request, status, retry_after_s, &bytes));
        }
        let bytes: &[u8] = if status == StatusCode::NO_CONTENT {
            b"null"
        } else {
            &bytes
        };
        serde_json::from_slice(bytes).map_err(|error| NetError::BadAnswer {
            request,
            detail: error.to_string(),
        })
    }

    /// `GET /api/v1/account`.
    pub async fn account(&self) -> Result<AccountBody, NetError> {
        self.call(Method::GET, "/api/v1/account", None).await
    }

    /// `GET /api/v1/orders?ticker=SYM`: the open orders on `ticker`.
    pub async fn open_orders(&self, ticker: &str) -> Result<Vec<OrderBody>, NetError> {
        let path = format!("/api/v1/orders?ticker={ticker}");
        self.call(Method::GET, &path, None).await
    }

    /// `GET /api/v1/orders/{id}`.
    pub async fn order(&self, id: u64) -> Result<OrderBody, NetError> {
        let path = format!("/api/v1/orders/{id}");
        self.call(Method::GET, &path, None).await
    }

    /// `GET /api/v1/tickers/{ticker}/quote`.
    pub async fn quote(&self, ticker: &str) -> Result<QuoteBody, NetError> {
        let path = format!("/api/v1/tickers/{ticker}/quote");
        self.call(Method::GET, &path, None).await
    }

    /// `GET /api/v1/account/fills?limit=N`, newest first.
    pub async fn fills(&self, limit: usize) -> Result<Vec<FillBody>, NetError> {
        let path = format!("/api/v1/account/fills?limit={limit}");
        self.call(Method::GET, &path, None).await
    }

    /// `GET /api/v1/account/transfers?limit=N`, newest first.
    pub async fn transfers(&self, limit: usize) -> Result<Vec<TransferBody>, NetError> {
        let path = format!("/api/v1/account/transfers?limit={limit}");
        self.call(Method::GET, &path, None).await
    }

    /// `POST /api/v1/orders`.
    pub async fn place(&self, order: &PlaceOrderBody<'_>) -> Result<OrderResultBody, NetError> {
        let body = to_json(order);
        self.call(Method::POST, "/api/v1/orders", Some(body)).await
    }

    /// `DELETE /api/v1/orders/{id}`.
    pub async fn cancel(&self, id: u64) -> Result<OrderResultBody, NetError> {
        let path = format!("/api/v1/orders/{id}");
        self.call(Method::DELETE, &path, None).await
    }

    /// `DELETE /api/v1/orders/client/{client_order_id}`.
    pub async fn cancel_by_client_id(&self, client_id: u64) -> Result<OrderResultBody, NetError> {
        let path = format!("/api/v1/orders/client/{client_id}");
        self.call(Method::DELETE, &path, None).await
    }

    /// `DELETE /api/v1/orders?ticker=SYM`.
    pub async fn cancel_all(&self, ticker: &str) -> Result<CancelledBody, NetError> {
        let path = format!("/api/v1/orders?ticker={ticker}");
        self.call(Method::DELETE, &path, None).await
    }

    /// `PATCH /api/v1/orders/{id}`.
    pub async fn amend(
        &self,
        id: u64,
        price: u64,
        quantity: u64,
    ) -> Result<OrderResultBody, NetError> {
        let path = format!("/api/v1/orders/{id}");
        let body = json!({"price": price, "quantity": quantity});
        self.call(Method::PATCH, &path, Some(body)).await
    }

    /// `POST /api/v1/transfers`.
    pub async fn transfer(&self, to_email: &str, amount: u64) -> Result<(), NetError> {
        let body = json!({"to_email": to_email, "amount": amount});
        let _: IgnoredAny = self
            .call(Method::POST, "/api/v1/transfers", Some(body))
            .await?;
        Ok(())
    }

    /// `PUT /api/v1/alerts/{direction}`.
    pub async fn set_alert(
        &self,
        direction: AlertDirection,
        threshold: u64,
    ) -> Result<(), NetError> {
        let path = format!("/api/v1/alerts/{}", direction_path(direction));
        let body = json!({"threshold": threshold});
        let _: IgnoredAny = self.call(Method::PUT, &path, Some(body)).await?;
        Ok(())
    }

    /// `DELETE /api/v1/alerts/{direction}`.
    pub async fn clear_alert(&self, direction: AlertDirection) -> Result<(), NetError> {
        let path = format!("/api/v1/alerts/{}", direction_path(direction));
        let _: IgnoredAny = self.call(Method::DELETE, &path, None).await?;
        Ok(())
    }

    /// `POST /api/v1/orchestrator/accounts`: a new account funded with `credits`, and
    /// its token.
    pub async fn create_account(
        &self,
        credits: u64,
        token_name: &str,
    ) -> Result<CreatedAccountBody, NetError> {
        let body = json!({"initial_credits": credits, "token_name": token_name});
        self.call(Method::POST, "/api/v1/orchestrator/accounts", Some(body))
            .await
    }

    /// `GET /api/v1/orchestrator/accounts`.
    pub async fn orchestrated_accounts(&self) -> Result<Vec<AccountBody>, NetError> {
        self.call(Method::GET, "/api/v1/orchestrator/accounts", None)
            .await
    }

    /// `POST /api/v1/orchestrator/accounts/{id}/liquidate`.
    pub async fn liquidate(&self, account: u32) -> Result<(), NetError> {
        let path = format!("/api/v1/orchestrator/accounts/{account}/liquidate");
        let _: IgnoredAny = self.call(Method::POST, &path, None).await?;
        Ok(())
    }

    /// `POST /api/v1/orchestrator/liquidate-all`.
    pub async fn liquidate_all(&self) -> Result<LiquidatedBody, NetError> {
        self.call(Method::POST, "/api/v1/orchestrator/liquidate-all", None)
            .await
    }
}

/// A request body as JSON.
fn to_json(body: &impl Serialize) -> serde_json::Value {
    // The bodies are plain structs of strings and numbers.
    serde_json::to_value(body).expect("invariant: request bodies serialize to JSON")
}

/// `Retry-After` in seconds, if present and numeric.
fn retry_after_s(value: Option<&HeaderValue>) -> Option<u64> {
    value?.to_str().ok()?.trim().parse().ok()
}

/// The error for a non-2xx answer, with the code of its error body.
pub(crate) fn refused(
    request: String,
    status: StatusCode,
    retry_after_s: Option<u64>,
    body: &[u8],
) -> NetError {
    let (code, message) = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(body) => (body.error.code, body.error.message),
        Err(_) => (
            super::codes::UNKNOWN.to_owned(),
            String::from_utf8_lossy(body).into_owned(),
        ),
    };
    NetError::Refused {
        request,
        status: status.as_u16(),
        code,
        message,
        retry_after_s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_plain_http_addresses() {
        let server = Server::parse("http://127.0.0.1:7070/").expect("a plain address");
        assert_eq!(server.url("/health"), "http://127.0.0.1:7070/health");
        assert_eq!(server.ws_url(), "ws://127.0.0.1:7070/ws");
        assert!(Server::parse("https://127.0.0.1:7070").is_err());
        assert!(Server::parse("127.0.0.1:7070").is_err());
        assert!(Server::parse("http://127.0.0.1:7070/api").is_err());
    }

    #[test]
    fn refusals_carry_the_code_of_the_body() {
        let body = br#"{"error":{"code":"no_liquidity","message":"nothing to buy"}}"#;
        let error = refused(
            "POST /api/v1/orders".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            body,
        );
        assert_eq!(error.code(), Some("no_liquidity"));
        let error = refused("GET /".into(), StatusCode::BAD_GATEWAY, None, b"<html>");
        assert_eq!(error.code(), Some(crate::net::codes::UNKNOWN));
    }
}
