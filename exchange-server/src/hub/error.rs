//! Why the hub refused a client message. Each reason has a stable code, sent to the client
//! as `{"type":"error","code":...,"message":...,"seq":...}`.

/// A client message the hub could not act on. The connection stays open.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The text is not JSON.
    #[error("not valid JSON: {0}")]
    InvalidJson(String),
    /// The JSON is not a message the hub understands (missing or unknown fields).
    #[error("not a valid message: {0}")]
    InvalidRequest(String),
    /// The `op` is none of `subscribe`, `unsubscribe`, `ping`.
    #[error("unknown op {0:?}: expected subscribe, unsubscribe or ping")]
    UnknownOp(String),
    /// The channel name is malformed or names no listed ticker.
    #[error("unknown channel {0:?}")]
    UnknownChannel(String),
    /// The `account` channel needs an authenticated connection.
    #[error("the account channel needs a session, a bearer token or a ticket")]
    Unauthenticated,
    /// The connection already has as many subscriptions as it may.
    #[error("at most {max} subscriptions per connection")]
    TooManySubscriptions {
        /// The limit.
        max: usize,
    },
    /// The message is longer than the hub accepts.
    #[error("a message has at most {max} bytes, got {len}")]
    MessageTooLarge {
        /// Its length, in bytes.
        len: usize,
        /// The limit, in bytes.
        max: usize,
    },
    /// A binary frame: the hub speaks JSON text only.
    #[error("binary messages are not accepted: send JSON text")]
    BinaryMessage,
}

impl ClientError {
    /// The stable code clients match on. Never renamed or reused.
    pub fn code(&self) -> &'static str {
        match self {
            ClientError::InvalidJson(_) => "invalid_json",
            ClientError::InvalidRequest(_) => "invalid_request",
            ClientError::UnknownOp(_) => "unknown_op",
            ClientError::UnknownChannel(_) => "unknown_channel",
            ClientError::Unauthenticated => "unauthenticated",
            ClientError::TooManySubscriptions { .. } => "too_many_subscriptions",
            ClientError::MessageTooLarge { .. } => "message_too_large",
            ClientError::BinaryMessage => "binary_message",
        }
    }
}
