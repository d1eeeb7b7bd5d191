//! The `/ws` upgrade: who is connecting, then the hub's socket pump.
//!
//! Credentials are optional (public channels need none) but, when given, must be valid:
//! a bearer token, a `?ticket=` from `POST /api/v1/auth/ws-ticket`, or the session cookie
//! with a matching `Origin` (a page on another site must not open a socket in the user's
//! name). A bad token or ticket gets the HTTP error instead of an upgrade; an expired
//! cookie connects without an account.

use super::error::ApiError;
use super::identity::session_cookie;
use crate::auth::Credential;
use crate::hub::{serve_socket, SocketConfig};
use crate::server::app::{now_ms, App};
use exchange_core::AccountId;
use serde::Deserialize;
use std::sync::Arc;
use warp::http::HeaderMap;
use warp::reply::Response;
use warp::Reply;

/// Largest WebSocket message a client may send, in bytes; a larger one closes the socket
/// with a protocol error (code 1002), while smaller but oversized messages get an error
/// message from the hub.
pub const WS_FRAME_BYTES_MAX: usize = 64 * 1024;

/// The query of `/ws`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WsQuery {
    ticket: Option<String>,
}

/// Upgrades to a WebSocket for the identified caller, or answers the error. A socket with
/// an account lasts only while the credential it was opened with holds (for a ticket, the
/// credential that asked for the ticket).
pub fn upgrade(app: Arc<App>, ws: warp::ws::Ws, headers: HeaderMap, query: String) -> Response {
    let identity = match identify(&app, &headers, &query) {
        Ok(identity) => identity,
        Err(error) => return error.into_response(),
    };
    let connection = app
        .hub
        .connect(identity.as_ref().map(|(account, _)| *account));
    let credential_holds = move || match &identity {
        Some((account, credential)) => app.auth.credential_holds(*account, credential, now_ms()),
        None => true,
    };
    ws.max_message_size(WS_FRAME_BYTES_MAX)
        .on_upgrade(move |socket| {
            serve_socket(
                socket,
                connection,
                SocketConfig::default(),
                credential_holds,
            )
        })
        .into_response()
}

/// The connecting account and the credential it proved itself with, if any credentials
/// were given.
fn identify(
    app: &App,
    headers: &HeaderMap,
    query: &str,
) -> Result<Option<(AccountId, Credential)>, ApiError> {
    let query: WsQuery = serde_urlencoded::from_str(query)
        .map_err(|error| ApiError::invalid(format!("query: {error}")))?;
    if let Some(ticket) = query.ticket {
        return app
            .auth
            .redeem_ticket(&ticket, now_ms())
            .map(Some)
            .ok_or_else(ApiError::unauthenticated);
    }
    if let Some(authorization) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        return app
            .bearer(authorization)
            .map(|caller| Some((caller.account, caller.via)));
    }
    let Some(secret) = session_cookie(headers) else {
        return Ok(None);
    };
    app.check_origin(headers)?;
    // An expired cookie still reaches the public channels; `account` will say
    // `unauthenticated`.
    let session = app.auth.session(secret, now_ms())?;
    Ok(session.map(|session| (session.account, Credential::Session(secret.to_owned()))))
}
