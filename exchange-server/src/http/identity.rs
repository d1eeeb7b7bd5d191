//! Who is calling: a session cookie or a bearer API token, and the CSRF check that guards
//! cookie-authenticated changes.
//!
//! CSRF protection is a strict `Origin` check: a request authenticated by the session
//! cookie whose method changes something must carry an `Origin` equal to the server's own
//! origin (from the `Host` header and `--secure`) or one of `--allowed-origin`. Browsers
//! always send `Origin` on such requests, and a page on another site cannot forge it.
//! Bearer tokens need no check: browsers never attach them on their own.

use super::error::ApiError;
use super::request::ApiRequest;
use crate::auth::Credential;
use crate::server::app::{now_ms, App};
use exchange_core::AccountId;
use warp::http::{HeaderMap, Method};

/// The cookie that carries a browser's session.
pub const SESSION_COOKIE: &str = "session";

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// Its exchange account: the only account it may act as.
    pub account: AccountId,
    /// How it authenticated.
    pub via: Credential,
    /// When its session expires (tokens: never, `None`).
    pub expires_ms: Option<u64>,
}

impl App {
    /// The caller of `request`, or 401 (no or bad credentials) or 403 `csrf`.
    pub fn caller(&self, request: &ApiRequest) -> Result<Caller, ApiError> {
        if let Some(authorization) = request.header("authorization") {
            return self.bearer(authorization);
        }
        let secret = session_cookie(&request.headers).ok_or_else(ApiError::unauthenticated)?;
        let session = self
            .auth
            .session(secret, now_ms())?
            .ok_or_else(ApiError::unauthenticated)?;
        if changes_state(&request.method) {
            self.check_origin(&request.headers)?;
        }
        Ok(Caller {
            account: session.account,
            via: Credential::Session(secret.to_owned()),
            expires_ms: Some(session.expires_ms),
        })
    }

    /// The caller named by an `Authorization: Bearer` header.
    pub fn bearer(&self, authorization: &str) -> Result<Caller, ApiError> {
        // The scheme is case-insensitive (RFC 9110, section 11.1).
        let token = authorization
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .ok_or_else(ApiError::unauthenticated)?;
        let info = self
            .auth
            .api_token(token.trim())?
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(Caller {
            account: info.account,
            via: Credential::Token(info.id),
            expires_ms: None,
        })
    }

    /// 403 `csrf` unless `Origin` is the server's own or an allowed one.
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let origin = headers.get("origin").and_then(|value| value.to_str().ok());
        let host = headers.get("host").and_then(|value| value.to_str().ok());
        let scheme = if self.policy.secure { "https" } else { "http" };
        let allowed = match (origin, host) {
            (Some(origin), Some(host)) if origin == format!("{scheme}://{host}") => true,
            (Some(origin), _) => self.policy.allowed_origins.iter().any(|o| o == origin),
            (None, _) => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "csrf",
                "a cookie-authenticated change must come from this server's own origin (the Origin header did not match)",
            ))
        }
    }
}

/// Whether a method changes state (and so needs the CSRF check).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all("cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
        })
}

/// The `Set-Cookie` value that stores a session for `max_age_s` seconds.
pub fn set_session_cookie(secret: &str, max_age_s: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={secret}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite=Lax{secure}"
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    set_session_cookie("", 0, secure)
}
