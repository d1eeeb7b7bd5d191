//! [`AuthError`]: everything that can go wrong in the auth store, each with a stable code.

/// Why an auth operation failed.
///
/// Variants a client can cause come first, then those the disk or the platform can cause.
/// Each has a stable [`code`](AuthError::code) that is never renamed or reused; messages
/// never contain a password, a password hash or a secret.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The email is malformed; the text says which rule it broke.
    #[error("invalid email: {0}")]
    InvalidEmail(String),
    /// The password breaks the policy; the text says how.
    #[error("invalid password: {0}")]
    InvalidPassword(String),
    /// A user with this (normalised) email already exists.
    #[error("a user with this email already exists")]
    EmailTaken,
    /// Unknown email or wrong password; deliberately not saying which.
    #[error("wrong email or password")]
    InvalidCredentials,
    /// An API token's name is empty or too long after trimming, or has invisible or control
    /// characters.
    #[error(
        "a token name must have 1 to {} characters and no invisible or control characters",
        super::limits::TOKEN_NAME_CHARS_MAX
    )]
    InvalidTokenName,
    /// No such API token for this account (also when it belongs to another account).
    #[error("unknown token")]
    UnknownToken,
    /// The account already holds the most API tokens allowed.
    #[error(
        "an account may hold at most {} API tokens",
        super::limits::API_TOKENS_PER_ACCOUNT_MAX
    )]
    TooManyTokens,
    /// Too many unredeemed WebSocket tickets are outstanding.
    #[error("too many outstanding WebSocket tickets; try again shortly")]
    TooManyTickets,
    /// The auth database failed.
    #[error("auth storage: {0}")]
    Storage(#[from] sled::Error),
    /// A stored value cannot be decoded, or the store contradicts itself.
    #[error("auth store corrupt: {0}")]
    Corrupt(String),
    /// A cryptographic primitive failed: argon2, or the system's random source.
    #[error("hashing failed: {0}")]
    Hash(String),
    /// Another process (a running server, another exchange tool) has the store open.
    #[error(
        "the auth store in {0} is in use by another process (a running server or another \
         exchange tool); stop it first"
    )]
    InUse(std::path::PathBuf),
}

impl AuthError {
    /// The stable snake_case code for the `error.code` field of API responses.
    pub fn code(&self) -> &'static str {
        match self {
            AuthError::InvalidEmail(_) => "invalid_email",
            AuthError::InvalidPassword(_) => "invalid_password",
            AuthError::EmailTaken => "email_taken",
            AuthError::InvalidCredentials => "invalid_credentials",
            AuthError::InvalidTokenName => "invalid_token_name",
            AuthError::UnknownToken => "unknown_token",
            AuthError::TooManyTokens => "too_many_tokens",
            AuthError::TooManyTickets => "too_many_tickets",
            AuthError::Storage(_) => "storage",
            AuthError::Corrupt(_) => "corrupt",
            AuthError::Hash(_) => "hash",
            AuthError::InUse(_) => "in_use",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AuthError;

    #[test]
    fn codes_are_stable_and_distinct() {
        let errors = [
            (AuthError::InvalidEmail(String::new()), "invalid_email"),
            (
                AuthError::InvalidPassword(String::new()),
                "invalid_password",
            ),
            (AuthError::EmailTaken, "email_taken"),
            (AuthError::InvalidCredentials, "invalid_credentials"),
            (AuthError::InvalidTokenName, "invalid_token_name"),
            (AuthError::UnknownToken, "unknown_token"),
            (AuthError::TooManyTokens, "too_many_tokens"),
            (AuthError::TooManyTickets, "too_many_tickets"),
            (
                AuthError::Storage(sled::Error::ReportableBug(String::new())),
                "storage",
            ),
            (AuthError::Corrupt(String::new()), "corrupt"),
            (AuthError::Hash(String::new()), "hash"),
            (AuthError::InUse(std::path::PathBuf::new()), "in_use"),
        ];
        let mut codes: Vec<&str> = errors.iter().map(|(error, _)| error.code()).collect();
        for (error, code) in &errors {
            assert_eq!(error.code(), *code);
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
    }
}
