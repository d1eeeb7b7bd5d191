//! API errors: one status, one stable machine-readable code and a message each, rendered
//! as `{"error":{"code":"...","message":"..."}}`.

use crate::auth::AuthError;
use crate::server::sequencer::{CommandError, QueueError};
use exchange_core::Rejection;
use serde::Serialize;
use warp::http::header::{HeaderValue, RETRY_AFTER};
use warp::http::StatusCode;
use warp::reply::Response;

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Seconds to wait before retrying, sent as `Retry-After`.
    pub retry_after_s: Option<u64>,
}

/// The error body.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    code: &'a str,
    message: &'a str,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after_s: None,
        }
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 400 `invalid_request`: the body or query is well-formed but not acceptable.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::bad_request("invalid_request", message)
    }

    /// 401 `unauthenticated`.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "this route needs a valid session cookie or an `Authorization: Bearer` API token",
        )
    }

    /// 403 with a code.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 404 with a code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 429 `rate_limited`, retry after the given seconds.
    pub fn rate_limited(retry_after_s: u64) -> Self {
        Self {
            retry_after_s: Some(retry_after_s.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests; retry in {} s", retry_after_s.max(1)),
            )
        }
    }

    /// The sequencer could not take the request.
    pub fn queue(error: QueueError) -> Self {
        match error {
            QueueError::Full => Self {
                retry_after_s: Some(1),
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "overloaded",
                    "the exchange's command queue is full; retry shortly",
                )
            },
            QueueError::Closed => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the exchange is shutting down",
            ),
        }
    }

    /// A 500 for a failure the client cannot fix; the details go to the server's log.
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!(%error, "{context}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("{context}; the server's log has the details"),
        )
    }

    /// The error body, `{"error":{"code":"...","message":"..."}}`.
    fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            error: ErrorFields {
                code: self.code,
                message: &self.message,
            },
        }
    }

    /// The error body as JSON text, for answers written outside warp.
    pub fn body_json(&self) -> String {
        serde_json::to_string(&self.body()).expect("an error body serializes")
    }

    /// The response.
    pub fn into_response(self) -> Response {
        let mut response = super::reply::json(self.status, &self.body());
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Rejected(rejection) => rejection.into(),
            CommandError::Unavailable => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                error.to_string(),
            ),
        }
    }
}

impl From<QueueError> for ApiError {
    fn from(error: QueueError) -> Self {
        Self::queue(error)
    }
}

impl From<Rejection> for ApiError {
    fn from(rejection: Rejection) -> Self {
        Self::new(
            rejection_status(&rejection),
            rejection.code(),
            rejection.to_string(),
        )
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        let status = match &error {
            AuthError::InvalidEmail(_)
            | AuthError::InvalidPassword(_)
            | AuthError::InvalidTokenName => StatusCode::BAD_REQUEST,
            AuthError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AuthError::EmailTaken => StatusCode::CONFLICT,
            AuthError::UnknownToken => StatusCode::NOT_FOUND,
            AuthError::TooManyTokens | AuthError::TooManyTickets => StatusCode::TOO_MANY_REQUESTS,
            AuthError::Storage(_)
            | AuthError::Corrupt(_)
            | AuthError::Hash(_)
            | AuthError::InUse(_) => {
                return Self::internal("the auth store failed", &error);
            }
        };
        Self::new(status, error.code(), error.to_string())
    }
}

/// Each rejection's status, in one exhaustive match so a new rejection cannot ship
/// without one.
fn rejection_status(rejection: &Rejection) -> StatusCode {
    match rejection {
        Rejection::InvalidSymbol(_)
        | Rejection::InvalidQuantity(_)
        | Rejection::InvalidPrice(_)
        | Rejection::InvalidAmount
        | Rejection::SelfTransfer
        | Rejection::AmendmentUnchanged
        | Rejection::TickerStatusUnchanged(_)
        | Rejection::AlertNotSet(_) => StatusCode::BAD_REQUEST,
        Rejection::AccountClosed(_)
        | Rejection::AccountRequired
        | Rejection::NotAdmin(_)
        | Rejection::NotOrchestrator(_)
        | Rejection::NotYourOrchestratedAccount { .. }
        | Rejection::NotOwner(_) => StatusCode::FORBIDDEN,
        Rejection::UnknownAccount(_) | Rejection::UnknownTicker(_) | Rejection::UnknownOrder => {
            StatusCode::NOT_FOUND
        }
        Rejection::DuplicateSymbol(_)
        | Rejection::DuplicateClientOrderId(_)
        | Rejection::OrderNotOpen(_) => StatusCode::CONFLICT,
        Rejection::TooManyAccounts
        | Rejection::TooManyTickers
        | Rejection::MarketClosed(_)
        | Rejection::TooManyOpenOrders
        | Rejection::Overflow
        | Rejection::InsufficientCredits { .. }
        | Rejection::InsufficientShares { .. }
        | Rejection::PostOnlyWouldTrade
        | Rejection::NoLiquidity
        | Rejection::FokNotFillable
        | Rejection::AmendmentWouldTrade(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}
