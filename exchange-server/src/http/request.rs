//! One API request as the handlers see it, and parsing its parts into typed values with
//! errors that say what is wrong.

use super::error::ApiError;
use super::identity::Caller;
use exchange_core::limits::JS_SAFE_INTEGER_MAX;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use warp::http::header::CONTENT_TYPE;
use warp::http::{HeaderMap, Method, StatusCode};

/// Bodies larger than this are refused with 413 before they are read in full.
pub const BODY_BYTES_MAX: usize = 16 * 1024;

/// A request: everything a handler may look at.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    /// Its method.
    pub method: Method,
    /// Its path, without the query.
    pub path: String,
    /// The path's `{parameters}`, in order.
    pub params: Vec<String>,
    /// The raw query string (empty if none).
    pub query: String,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body (at most [`BODY_BYTES_MAX`] bytes).
    pub body: Vec<u8>,
    /// The peer's address.
    pub remote: Option<SocketAddr>,
    /// The authenticated caller, set by the router for routes that need one.
    pub caller: Option<Caller>,
}

/// `value`, the body field `name`, if it is at most 2^53 - 1 ([`JS_SAFE_INTEGER_MAX`]), the
/// API's bound on every number (docs/api.md), so that a JavaScript client reads back the
/// value it sent; else 400 `invalid_request`. Fields the engine bounds more tightly (prices,
/// quantities, amounts) need not be checked here.
pub fn json_integer(name: &str, value: u64) -> Result<u64, ApiError> {
    if value > JS_SAFE_INTEGER_MAX {
        return Err(ApiError::invalid(format!(
            "`{name}` must be at most {JS_SAFE_INTEGER_MAX} (2^53 - 1), got {value}"
        )));
    }
    Ok(value)
}

impl ApiRequest {
    /// The body, a JSON object, parsed into `T`. An empty body, a body that is not JSON, a
    /// content type other than JSON (`application/json`, in any case, with or without
    /// parameters), and JSON of the wrong shape each get their own error. An array is the
    /// wrong shape even where its items would fill `T`'s fields in order, as serde would
    /// otherwise accept.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.is_empty() {
            return Err(ApiError::bad_request(
                "invalid_json",
                "this route needs a JSON body",
            ));
        }
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let media_type = content_type.split(';').next().unwrap_or("").trim();
        if !media_type.eq_ignore_ascii_case("application/json") {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as `Content-Type: application/json`",
            ));
        }
        if self.body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[') {
            return Err(ApiError::invalid(
                "body: expected a JSON object, found an array",
            ));
        }
        serde_json::from_slice(&self.body).map_err(|error| {
            let code = if error.is_data() {
                "invalid_request"
            } else {
                "invalid_json"
            };
            ApiError::bad_request(code, format!("body: {error}"))
        })
    }

    /// The query string parsed into `T`.
    pub fn query<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_urlencoded::from_str(&self.query)
            .map_err(|error| ApiError::invalid(format!("query: {error}")))
    }

    /// Path parameter `index` parsed as a `T`, naming it in the error.
    pub fn param<T: std::str::FromStr>(&self, index: usize, name: &str) -> Result<T, ApiError> {
        let raw = self.params.get(index).map_or("", String::as_str);
        raw.parse().map_err(|_| {
            ApiError::invalid(format!("path parameter `{name}` is not valid: `{raw}`"))
        })
    }

    /// The authenticated caller. The router sets it on every route that needs one, so its
    /// absence there is a routing-table mistake, answered as 401 rather than a panic.
    pub fn caller(&self) -> Result<&Caller, ApiError> {
        self.caller.as_ref().ok_or_else(ApiError::unauthenticated)
    }

    /// A header's value as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}
