//! [`Credential`]: what a caller proved its identity with, kept by whatever outlives the
//! request (a WebSocket) so that it can ask later whether that proof still holds.

use super::store::AuthStore;
use exchange_core::AccountId;

/// How a caller proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// The session cookie, with the session's secret.
    Session(String),
    /// An API token, by id.
    Token(u64),
}

impl AuthStore {
    /// Whether `credential` still proves `account` at `now_ms`: the session has not ended or
    /// expired, the token has not been revoked (liquidation revokes an account's tokens). A
    /// store that cannot answer says no: the caller then proves itself again.
    pub fn credential_holds(
        &self,
        account: AccountId,
        credential: &Credential,
        now_ms: u64,
    ) -> bool {
        match credential {
            Credential::Session(secret) => matches!(
                self.session(secret, now_ms),
                Ok(Some(session)) if session.account == account
            ),
            Credential::Token(id) => self.holds_token(account, *id).unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_holds_until_its_session_ends_or_expires_or_its_token_is_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = AuthStore::open(dir.path()).unwrap();
        let (ann, bob) = (AccountId(1), AccountId(2));
        let (secret, _) = store.create_session(ann, 0, 60_000).unwrap();
        let session = Credential::Session(secret.as_str().to_owned());
        assert!(store.credential_holds(ann, &session, 1));
        assert!(
            !store.credential_holds(bob, &session, 1),
            "another account's"
        );
        assert!(!store.credential_holds(ann, &session, 60_000), "expired");
        store.revoke_session(secret.as_str()).unwrap();
        assert!(!store.credential_holds(ann, &session, 1), "ended");

        let (_, info) = store.create_api_token(ann, "bot", 0).unwrap();
        let token = Credential::Token(info.id);
        assert!(
            store.credential_holds(ann, &token, u64::MAX),
            "tokens do not expire"
        );
        assert!(!store.credential_holds(bob, &token, 1), "another account's");
        store.revoke_api_token(ann, info.id).unwrap();
        assert!(!store.credential_holds(ann, &token, 1), "revoked");
    }
}
