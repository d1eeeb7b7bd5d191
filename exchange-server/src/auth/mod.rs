//! # The auth store: users, sessions, API tokens and WebSocket tickets
//!
//! Who may act for which account. It lives beside the event log, not in it: a sled database
//! of its own at a path the server gives (`DIR/auth`). The log holds accounts and their
//! money; this holds logins. An account is created in the log first (the engine assigns its
//! id), then its user is inserted here.
//!
//! ## What is kept
//! - **Users** ([`User`]): a normalised [`Email`], the account and its kind, an argon2id
//!   hash of the password (from [`hash_password`]), the signup time.
//! - **Sessions** ([`SessionInfo`]): what the `session` cookie grants, until it expires or
//!   is revoked at logout.
//! - **API tokens** ([`TokenInfo`]): long-lived bearer secrets for bots, at most
//!   [`API_TOKENS_PER_ACCOUNT_MAX`] per account, revoked one by one or all at once when an
//!   orchestrated account is liquidated.
//! - **WebSocket tickets**: single-use, short-lived, in memory only (at most
//!   [`TICKETS_MAX`]).
//!
//! Sled trees: `users` (email -> user, JSON), `users_by_account` (account id big-endian ->
//! email), `sessions` (BLAKE3 of the secret -> session, JSON), `tokens` (BLAKE3 of the
//! secret -> token, JSON), `tokens_by_account` (account id big-endian, then token id
//! big-endian -> BLAKE3 of the secret). Every write that must survive a crash is flushed
//! before the method returns; the two-tree writes are sled transactions.
//!
//! ## Secrets
//! Sessions, tokens and tickets are 256-bit random [`Secret`]s from the system's random
//! source, shown once as 64 lower-case hex characters. Only their BLAKE3 hash is stored and
//! lookups go by that hash, so a copy of the database grants nothing and no secret is ever
//! compared byte by byte. `Debug` of a [`Secret`] and of a [`User`] hides the secret and the
//! password hash; nothing here logs either.
//!
//! ## Passwords and timing
//! Passwords follow [`check_password_policy`] ([`PASSWORD_CHARS_MIN`] to
//! [`PASSWORD_CHARS_MAX`] characters). [`hash_password`], [`verify_password`] and
//! [`AuthStore::verify_login`] run argon2id and take tens of milliseconds: async callers run
//! them on a blocking thread. A login for an unknown email still runs one verification, so
//! its timing does not reveal which emails have accounts; both failures are the same
//! [`AuthError::InvalidCredentials`].
//!
//! ## Time
//! The store never reads the clock: every method that cares takes `now_ms` (milliseconds
//! since the Unix epoch), so tests drive expiry with plain numbers.
//!
//! ## Example
//! ```
//! use exchange_core::{AccountId, AccountKind};
//! use exchange_server::auth::{hash_password, AuthStore, Email, User};
//!
//! let dir = tempfile::tempdir()?;
//! let store = AuthStore::open(&dir.path().join("auth"))?;
//! let email = Email::parse(" Ann@Example.com ")?;
//! let password_hash = hash_password("correct horse")?;
//! let user = User { email, account: AccountId(1), kind: AccountKind::Standard, password_hash, created_ms: 0 };
//! store.insert_user(&user)?;
//!
//! let user = store.verify_login(&Email::parse("ann@example.com")?, "correct horse")?;
//! let (cookie, session) = store.create_session(user.account, 0, 86_400_000)?;
//! assert_eq!(store.session(cookie.as_str(), 1)?, Some(session));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod credential;
mod email;
mod error;
mod limits;
mod password;
mod secret;
mod sessions;
mod store;
mod text;
mod tickets;
mod tokens;
mod user;

pub use credential::Credential;
pub use email::Email;
pub use error::AuthError;
pub use limits::{
    API_TOKENS_PER_ACCOUNT_MAX, EMAIL_BYTES_MAX, PASSWORD_CHARS_MAX, PASSWORD_CHARS_MIN,
    SECRET_BYTES, SECRET_CHARS, TICKETS_MAX, TOKEN_NAME_CHARS_MAX,
};
pub use password::{check_password_policy, hash_password, verify_password};
pub use secret::Secret;
pub use sessions::SessionInfo;
pub use store::AuthStore;
pub use tokens::{check_token_name, TokenInfo};
pub use user::User;
