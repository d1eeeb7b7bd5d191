//! [`LoadgenError`]: why a load run stopped before it could report.
//!
//! A request of the measured workloads that fails is *counted* (`errors=`, `missing=`), not
//! returned as an error: these are the failures of setting a run up, of the fan-out's
//! driver, or of writing the figures out.

use std::fmt;
use std::io;

use exchange_server::server::ServeError;

/// Why a load run stopped.
#[derive(Debug)]
pub enum LoadgenError {
    /// The in-process server could not start.
    Serve(ServeError),
    /// A temporary directory, the bootstrap file or a runtime could not be made.
    Io(io::Error),
    /// A trader's connection to the server could not be opened.
    Connect(io::Error),
    /// A request that the run depends on (a check of the server, a fan-out driver order)
    /// could not be sent or its answer not read.
    Http(hyper::Error),
    /// A request that the run depends on got an unexpected status or body.
    Refused {
        /// What was asked, for people (`POST /api/v1/orders`).
        request: String,
        /// The status answered.
        status: u16,
        /// The body answered (or why it could not be understood).
        body: String,
    },
    /// A WebSocket subscriber could not connect or subscribe.
    WebSocket(String),
    /// The `--url` given is not a plain `http://HOST:PORT` address.
    Url(String),
    /// A figure could not be written out.
    Output(io::Error),
}

impl fmt::Display for LoadgenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadgenError::Serve(error) => write!(f, "in-process server: {error}"),
            LoadgenError::Io(error) => write!(f, "setting up: {error}"),
            LoadgenError::Connect(error) => write!(f, "cannot connect to the server: {error}"),
            LoadgenError::Http(error) => write!(f, "request failed: {error}"),
            LoadgenError::Refused {
                request,
                status,
                body,
            } => write!(f, "{request} answered {status}: {body}"),
            LoadgenError::WebSocket(error) => write!(f, "websocket: {error}"),
            LoadgenError::Url(error) => write!(f, "--url: {error}"),
            LoadgenError::Output(error) => write!(f, "cannot write results: {error}"),
        }
    }
}

impl std::error::Error for LoadgenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadgenError::Serve(error) => Some(error),
            LoadgenError::Io(error)
            | LoadgenError::Connect(error)
            | LoadgenError::Output(error) => Some(error),
            LoadgenError::Http(error) => Some(error),
            LoadgenError::Refused { .. } | LoadgenError::WebSocket(_) | LoadgenError::Url(_) => {
                None
            }
        }
    }
}

impl From<ServeError> for LoadgenError {
    fn from(error: ServeError) -> Self {
        LoadgenError::Serve(error)
    }
}

impl From<hyper::Error> for LoadgenError {
    fn from(error: hyper::Error) -> Self {
        LoadgenError::Http(error)
    }
}
