//! Browser sessions: a secret in the `session` cookie, stored by its hash with the account
//! and the expiry. They survive restarts; logout revokes one at once.

use exchange_core::AccountId;
use serde::{Deserialize, Serialize};

use super::error::AuthError;
use super::secret::{Secret, SecretHash};
use super::store::{decode, encode, AuthStore};

/// What a valid session grants: acting as `account` until `expires_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The account the session acts for.
    pub account: AccountId,
    /// When the session stops working, in milliseconds since the Unix epoch (exclusive).
    pub expires_ms: u64,
}

impl SessionInfo {
    /// Whether the session no longer works at `now_ms`.
    fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_ms
    }
}

impl AuthStore {
    /// Starts a session for `account` that lasts `ttl_ms` from `now_ms`, and flushes. The
    /// secret goes in the cookie; only its hash is stored.
    pub fn create_session(
        &self,
        account: AccountId,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Result<(Secret, SessionInfo), AuthError> {
        let secret = Secret::generate()?;
        let info = SessionInfo {
            account,
            expires_ms: now_ms.saturating_add(ttl_ms),
        };
        let previous = self
            .sessions
            .insert(secret.hash().as_bytes(), encode(&info))?;
        assert!(previous.is_none(), "a fresh 256-bit secret collided");
        self.flush()?;
        Ok((secret, info))
    }

    /// The session whose secret is `secret`, or `None` if it is unknown, malformed or
    /// expired at `now_ms` (an expired one found here is removed).
    pub fn session(&self, secret: &str, now_ms: u64) -> Result<Option<SessionInfo>, AuthError> {
        let Some(hash) = SecretHash::of(secret) else {
            return Ok(None);
        };
        let Some(bytes) = self.sessions.get(hash.as_bytes())? else {
            return Ok(None);
        };
        let info: SessionInfo = decode(&bytes, "session")?;
        if info.is_expired(now_ms) {
            // No flush: an expired session is refused whether or not its removal is durable.
            self.sessions.remove(hash.as_bytes())?;
            return Ok(None);
        }
        Ok(Some(info))
    }

    /// Ends the session whose secret is `secret` (logout), and flushes. Whether it existed;
    /// a malformed secret never did.
    pub fn revoke_session(&self, secret: &str) -> Result<bool, AuthError> {
        let Some(hash) = SecretHash::of(secret) else {
            return Ok(false);
        };
        let removed = self.sessions.remove(hash.as_bytes())?.is_some();
        if removed {
            self.flush()?;
        }
        Ok(removed)
    }

    /// Removes every session expired at `now_ms` and says how many; the server calls it
    /// now and then so abandoned sessions do not pile up. Scans all sessions.
    pub fn purge_expired_sessions(&self, now_ms: u64) -> Result<usize, AuthError> {
        let mut purged = 0;
        for entry in self.sessions.iter() {
            let (key, bytes) = entry?;
            let info: SessionInfo = decode(&bytes, "session")?;
            if info.is_expired(now_ms) && self.sessions.remove(&key)?.is_some() {
                purged += 1;
            }
        }
        Ok(purged)
    }
}

#[cfg(test)]
mod tests {
    use crate::auth::store::tests::{reopen, temp_store};
    use exchange_core::AccountId;

    const HOUR_MS: u64 = 3_600_000;

    #[test]
    fn create_then_look_up_until_expiry() {
        let (_dir, store) = temp_store();
        let (secret, info) = store
            .create_session(AccountId(7), 1_000, HOUR_MS)
            .expect("created");
        assert_eq!(info.account, AccountId(7));
        assert_eq!(info.expires_ms, 1_000 + HOUR_MS);
        let found = store.session(secret.as_str(), 1_000).expect("reads");
        assert_eq!(found, Some(info));
        let last = store.session(secret.as_str(), 1_000 + HOUR_MS - 1);
        assert_eq!(last.expect("reads"), Some(info));
        let expired = store.session(secret.as_str(), 1_000 + HOUR_MS);
        assert_eq!(expired.expect("reads"), None);
        // The expired session was removed: even an earlier clock no longer finds it.
        assert_eq!(store.session(secret.as_str(), 1_000).expect("reads"), None);
        assert!(store.sessions.is_empty());
    }

    #[test]
    fn unknown_and_malformed_secrets_find_nothing() {
        let (_dir, store) = temp_store();
        let (secret, _) = store
            .create_session(AccountId(7), 0, HOUR_MS)
            .expect("created");
        let other = "0".repeat(64);
        let upper = secret.as_str().to_uppercase();
        for text in [
            "",
            "session",
            other.as_str(),
            upper.as_str(),
            &secret.as_str()[1..],
        ] {
            assert_eq!(store.session(text, 0).expect("reads"), None, "{text:?}");
            assert!(!store.revoke_session(text).expect("revokes"), "{text:?}");
        }
        assert!(store.session(secret.as_str(), 0).expect("reads").is_some());
    }

    #[test]
    fn revoke_ends_only_that_session() {
        let (_dir, store) = temp_store();
        let (a, _) = store
            .create_session(AccountId(7), 0, HOUR_MS)
            .expect("created");
        let (b, _) = store
            .create_session(AccountId(7), 0, HOUR_MS)
            .expect("created");
        assert!(store.revoke_session(a.as_str()).expect("revokes"));
        assert!(!store.revoke_session(a.as_str()).expect("revokes"));
        assert_eq!(store.session(a.as_str(), 0).expect("reads"), None);
        assert!(store.session(b.as_str(), 0).expect("reads").is_some());
    }

    #[test]
    fn purge_removes_only_expired_sessions() {
        let (_dir, store) = temp_store();
        let (short, _) = store.create_session(AccountId(1), 0, 10).expect("created");
        let (also_short, _) = store.create_session(AccountId(2), 0, 20).expect("created");
        let (long, _) = store
            .create_session(AccountId(3), 0, HOUR_MS)
            .expect("created");
        assert_eq!(store.purge_expired_sessions(5).expect("purges"), 0);
        assert_eq!(store.purge_expired_sessions(20).expect("purges"), 2);
        assert_eq!(store.purge_expired_sessions(20).expect("purges"), 0);
        assert_eq!(store.sessions.len(), 1);
        assert_eq!(store.session(short.as_str(), 0).expect("reads"), None);
        assert_eq!(store.session(also_short.as_str(), 0).expect("reads"), None);
        assert!(store.session(long.as_str(), 20).expect("reads").is_some());
    }

    #[test]
    fn sessions_survive_reopening_the_store() {
        let (dir, store) = temp_store();
        let (kept, info) = store
            .create_session(AccountId(7), 0, HOUR_MS)
            .expect("created");
        let (revoked, _) = store
            .create_session(AccountId(7), 0, HOUR_MS)
            .expect("created");
        assert!(store.revoke_session(revoked.as_str()).expect("revokes"));
        let store = reopen(dir.path(), store);
        assert_eq!(store.session(kept.as_str(), 1).expect("reads"), Some(info));
        assert_eq!(store.session(revoked.as_str(), 1).expect("reads"), None);
    }
}
