//! [`NetError`]: why a bot, or the living market, stopped.

use crate::strategy::InvalidConfig;
use exchange_server::server::ServeError;

/// Why a bot stopped running (or could not start).
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The `--url` is not a plain `http://HOST:PORT` address.
    #[error("--url {url}: {why}")]
    Url {
        /// What was given.
        url: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A request got no answer.
    #[error("{request}: {source}")]
    Http {
        /// What was asked, for people (`GET /api/v1/account`).
        request: String,
        /// Why.
        source: reqwest::Error,
    },
    /// A request was refused.
    #[error("{request} answered {status} {code}: {message}")]
    Refused {
        /// What was asked.
        request: String,
        /// The HTTP status.
        status: u16,
        /// The error code of the body.
        code: String,
        /// The error message of the body.
        message: String,
        /// `Retry-After`, in seconds, if the server sent one (429, 503).
        retry_after_s: Option<u64>,
    },
    /// An answer could not be understood.
    #[error("{request}: unexpected answer: {detail}")]
    BadAnswer {
        /// What was asked.
        request: String,
        /// What was wrong.
        detail: String,
    },
    /// The WebSocket could not be opened or subscribed.
    #[error("websocket: {0}")]
    WebSocket(String),
    /// The in-process server could not start.
    #[error("server: {0}")]
    Serve(#[from] ServeError),
    /// A task of the runner failed (panicked).
    #[error("task: {0}")]
    Task(String),
    /// The strategy's configuration (from the command line) cannot run.
    #[error(transparent)]
    Config(#[from] InvalidConfig),
}

impl NetError {
    /// The refusal's code, if the server refused.
    pub fn code(&self) -> Option<&str> {
        match self {
            NetError::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether the bot's account can no longer act (token revoked, account closed): no
    /// retry can help.
    pub fn is_fatal(&self) -> bool {
        self.code().is_some_and(super::codes::is_fatal)
    }
}
