//! The HTTP side of the server: the warp filter that answers every request.
//!
//! - `/api/v1/...`: the JSON API, routed by the table in [`routes`];
//! - `/api/v1/openapi.json`: its OpenAPI 3 document ([`openapi`]);
//! - `/ws`: the WebSocket ([`ws`]);
//! - `/health` and `/metrics` ([`ops`]);
//! - anything else: the browser UI ([`ui`]), or 404 in the API's error format.
//!
//! [`filter`] builds all of it from an [`App`], so tests can drive it with `warp::test`
//! without a socket.

pub mod error;
pub mod identity;
pub mod openapi;
pub mod ops;
pub mod rate_limit;
pub mod reply;
pub mod request;
pub mod routes;
pub mod ui;
pub mod ws;

use crate::server::app::App;
use crate::server::listener::ClientAddr;
use crate::server::sequencer::ReadSide;
use error::ApiError;
use exchange_core::log::Record;
use exchange_core::{Command, Symbol, TickerId};
use futures_util::StreamExt;
use request::{ApiRequest, BODY_BYTES_MAX};
use std::convert::Infallible;
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use warp::filters::BoxedFilter;
use warp::http::{HeaderMap, Method, StatusCode};
use warp::path::FullPath;
use warp::reply::Response;
use warp::{Buf, Filter};

impl App {
    /// Sends a command to the sequencer and waits until it is durable (or refused).
    pub async fn execute(&self, command: Command) -> Result<Record, ApiError> {
        Ok(self.sequencer.execute(command).await??)
    }

    /// Sends a command to the sequencer and, once it is durable, runs `then` of its record
    /// there, on the state and history after its batch: one trip for a command and its
    /// answer.
    pub async fn execute_then<T: Send + 'static>(
        &self,
        command: Command,
        then: impl FnOnce(&Record, ReadSide<'_>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        Ok(self.sequencer.execute_then(command, then).await??)
    }

    /// Runs a read over the durable state on the sequencer.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(ReadSide<'_>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        Ok(self.sequencer.read(read).await?)
    }
}

impl App {
    /// The id of the ticker `symbol`, from the cache or else from the state (then cached),
    /// or 404 `unknown_ticker`.
    pub async fn ticker_id(&self, symbol: Symbol) -> Result<TickerId, ApiError> {
        let cached = self
            .tickers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&symbol)
            .copied();
        if let Some(id) = cached {
            return Ok(id);
        }
        let id = self
            .read(move |side| routes::market::ticker_id(side, symbol))
            .await??;
        self.tickers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(symbol, id);
        Ok(id)
    }
}

/// Runs slow or disk-bound work (password hashing, durable auth-store writes) on a
/// blocking thread, so the async workers keep serving.
pub async fn blocking<T, E>(
    context: &'static str,
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(error) => Err(ApiError::internal(context, &error)),
    }
}

/// Every route of the server.
pub fn filter(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let router = Arc::new(routes::Router::new(routes::all()));
    let with_app = {
        let app = Arc::clone(&app);
        warp::any().map(move || Arc::clone(&app))
    };
    let websocket = warp::path("ws")
        .and(warp::path::end())
        .and(with_app.clone())
        .and(warp::ws())
        .and(warp::header::headers_cloned())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .map(ws::upgrade);
    let health = warp::path("health")
        .and(warp::path::end())
        .and(warp::get())
        .and(with_app.clone())
        .and_then(|app: Arc<App>| async move { Ok::<_, Infallible>(ops::health(&app).await) });
    let metrics = warp::path("metrics")
        .and(warp::path::end())
        .and(warp::get())
        .and(with_app.clone())
        .map(|app: Arc<App>| ops::metrics(&app));
    let openapi = warp::path!("api" / "v1" / "openapi.json")
        .and(warp::get())
        .map(|| reply::ok(&openapi::document()));
    // The paths above answer only GET; any other method gets the API's 405, not a 404.
    let wrong_method = warp::path!("health")
        .or(warp::path!("metrics"))
        .unify()
        .or(warp::path!("api" / "v1" / "openapi.json"))
        .unify()
        .map(|| routes::method_not_allowed(&[Method::GET]).into_response());
    let api = warp::path("api")
        .and(with_app.clone())
        .and(warp::any().map(move || Arc::clone(&router)))
        .and(api_request(app.connections.limits().body_timeout))
        .then(
            |app, router, request: Result<ApiRequest, ApiError>| async move {
                match request {
                    Ok(request) => routes::dispatch(app, router, request).await,
                    Err(error) => error.into_response(),
                }
            },
        );
    let fallback = warp::method()
        .and(warp::path::full())
        .map(|method: Method, path: FullPath| ui::serve(&method, path.as_str()));
    websocket
        .or(health)
        .unify()
        .or(metrics)
        .unify()
        .or(openapi)
        .unify()
        .or(wrong_method)
        .unify()
        .or(api)
        .unify()
        .or(fallback)
        .unify()
        .with(warp::log::custom(log_request))
        .map(warp::Reply::into_response)
        .boxed()
}

/// One structured line per request, at debug level (`RUST_LOG=exchange_server=debug`).
fn log_request(info: warp::log::Info<'_>) {
    tracing::debug!(
        method = %info.method(),
        path = info.path(),
        status = info.status().as_u16(),
        elapsed_us = u64::try_from(info.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
}

/// The parts of a request the API handlers use, with the body read up to its limit, within
/// `body_timeout`.
fn api_request(
    body_timeout: Duration,
) -> impl Filter<Extract = (Result<ApiRequest, ApiError>,), Error = warp::Rejection> + Clone {
    warp::method()
        .and(warp::path::full())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(warp::header::headers_cloned())
        .and(warp::ext::optional::<ClientAddr>())
        .and(warp::body::stream())
        .then(
            move |method: Method,
                  path: FullPath,
                  query: String,
                  headers: HeaderMap,
                  client: Option<ClientAddr>,
                  body| async move {
                let body = tokio::time::timeout(body_timeout, read_body(body))
                    .await
                    .map_err(|_| body_too_slow(body_timeout))??;
                Ok(ApiRequest {
                    method,
                    path: path.as_str().to_owned(),
                    params: Vec::new(),
                    query,
                    headers,
                    body,
                    remote: client.map(|ClientAddr(addr)| addr),
                    caller: None,
                })
            },
        )
}

/// 408 `request_timeout`: the body did not arrive within `body_timeout`.
fn body_too_slow(body_timeout: Duration) -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        format!(
            "the request body did not arrive within {}",
            humantime::format_duration(body_timeout)
        ),
    )
}

/// Reads a body, refusing with 413 as soon as it passes [`BODY_BYTES_MAX`].
async fn read_body<S, B>(body: S) -> Result<Vec<u8>, ApiError>
where
    S: futures_util::Stream<Item = Result<B, warp::Error>>,
    B: Buf,
{
    let mut body = std::pin::pin!(body);
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let mut chunk =
            chunk.map_err(|error| ApiError::bad_request("invalid_body", error.to_string()))?;
        if bytes.len() + chunk.remaining() > BODY_BYTES_MAX {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("request bodies are limited to {BODY_BYTES_MAX} bytes"),
            ));
        }
        while chunk.has_remaining() {
            let part = chunk.chunk();
            bytes.extend_from_slice(part);
            let read = part.len();
            chunk.advance(read);
        }
    }
    Ok(bytes)
}
