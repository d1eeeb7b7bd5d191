//! [`User`]: a person who logs in with an email and a password, and the account they trade
//! with.

use std::fmt;

use exchange_core::{AccountId, AccountKind};
use serde::{Deserialize, Serialize};

use super::email::Email;

/// A user as the auth store keeps it. The account itself (balances, positions) lives in the
/// event log; this only ties a login to it. Orchestrated accounts have no user, only API
/// tokens. `Debug` leaves the password hash out, so a user can be logged safely.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The login name, normalised.
    pub email: Email,
    /// The account the engine created for this user.
    pub account: AccountId,
    /// The account's kind, copied here so authorisation needs no trip to the engine.
    pub kind: AccountKind,
    /// The argon2id PHC string from [`hash_password`](super::hash_password).
    pub password_hash: String,
    /// When the user signed up, in milliseconds since the Unix epoch.
    pub created_ms: u64,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("email", &self.email)
            .field("account", &self.account)
            .field("kind", &self.kind)
            .field("password_hash", &"<redacted>")
            .field("created_ms", &self.created_ms)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::User;
    use crate::auth::email::Email;
    use exchange_core::{AccountId, AccountKind};

    #[test]
    fn debug_hides_the_password_hash() {
        let user = User {
            email: Email::parse("ann@example.com").expect("valid"),
            account: AccountId(7),
            kind: AccountKind::Standard,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
            created_ms: 1,
        };
        let shown = format!("{user:?}");
        assert!(shown.contains("ann@example.com"), "{shown}");
        assert!(!shown.contains("argon2id"), "{shown}");
    }
}
