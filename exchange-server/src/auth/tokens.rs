//! API tokens: long-lived bearer secrets for bots, named by their owner, listed and revoked
//! by id. Only a hash of each secret is stored, so a token is shown once, at creation.

use exchange_core::AccountId;
use serde::{Deserialize, Serialize};
use sled::transaction::TransactionResult;
use sled::Transactional;

use super::error::AuthError;
use super::limits::{API_TOKENS_PER_ACCOUNT_MAX, TOKEN_NAME_CHARS_MAX};
use super::secret::{Secret, SecretHash};
use super::store::{account_key, decode, encode, from_transaction, AuthStore};
use super::text::is_hidden;

/// An API token's public description (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Unique across the store and never reused; what `DELETE /api/v1/auth/tokens/{id}`
    /// names. Starts at 1; not contiguous.
    pub id: u64,
    /// The account the token acts for.
    pub account: AccountId,
    /// The owner's label for it ("my bot"), trimmed.
    pub name: String,
    /// When it was created, in milliseconds since the Unix epoch.
    pub created_ms: u64,
}

/// The key of a token in `tokens_by_account`: account then id, both big-endian, so an
/// account's tokens are one prefix and sort by id.
fn index_key(account: AccountId, id: u64) -> [u8; 12] {
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&account_key(account));
    key[4..].copy_from_slice(&id.to_be_bytes());
    key
}

/// The trimmed name, if it has 1 to [`TOKEN_NAME_CHARS_MAX`] characters and no invisible or
/// control characters, else [`AuthError::InvalidTokenName`]. Callers that must not act on a
/// name that will be refused check it first.
pub fn check_token_name(name: &str) -> Result<&str, AuthError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > TOKEN_NAME_CHARS_MAX || name.chars().any(is_hidden) {
        return Err(AuthError::InvalidTokenName);
    }
    Ok(name)
}

impl AuthStore {
    /// Creates an API token for `account` named `name` (trimmed), and flushes.
    ///
    /// [`AuthError::InvalidTokenName`] unless the trimmed name has 1 to
    /// [`TOKEN_NAME_CHARS_MAX`] characters and no control characters;
    /// [`AuthError::TooManyTokens`] if the account already holds
    /// [`API_TOKENS_PER_ACCOUNT_MAX`].
    pub fn create_api_token(
        &self,
        account: AccountId,
        name: &str,
        now_ms: u64,
    ) -> Result<(Secret, TokenInfo), AuthError> {
        self.insert_token(account, name, Secret::generate()?, now_ms)
    }

    /// Registers a token whose secret the operator chose (a bootstrap file's fixed token
    /// for a demo bot). The text must look like a generated secret: 64 lower-case hex
    /// characters, else [`AuthError::Corrupt`].
    pub fn register_api_token(
        &self,
        account: AccountId,
        name: &str,
        secret: &str,
        now_ms: u64,
    ) -> Result<TokenInfo, AuthError> {
        let secret = Secret::from_text(secret).ok_or_else(|| {
            AuthError::Corrupt("a fixed API token must be 64 lower-case hex characters".into())
        })?;
        self.insert_token(account, name, secret, now_ms)
            .map(|(_, info)| info)
    }

    /// Stores a token under its secret's hash.
    fn insert_token(
        &self,
        account: AccountId,
        name: &str,
        secret: Secret,
        now_ms: u64,
    ) -> Result<(Secret, TokenInfo), AuthError> {
        let name = check_token_name(name)?;
        let _writes = self.lock_token_writes();
        let held = self.index_of(account)?.len();
        assert!(
            held <= API_TOKENS_PER_ACCOUNT_MAX,
            "account {account} holds {held} tokens"
        );
        if held == API_TOKENS_PER_ACCOUNT_MAX {
            return Err(AuthError::TooManyTokens);
        }
        // sled's ids start at 0 and are unique across restarts; ours start at 1.
        let id = self.db.generate_id()? + 1;
        let info = TokenInfo {
            id,
            account,
            name: name.to_owned(),
            created_ms: now_ms,
        };
        let hash = secret.hash();
        let value = encode(&info);
        let key = index_key(account, id);
        let result: TransactionResult<(), AuthError> = (&self.tokens, &self.tokens_by_account)
            .transaction(|(tokens, index)| {
                tokens.insert(&hash.as_bytes()[..], value.as_slice())?;
                index.insert(&key[..], &hash.as_bytes()[..])?;
                Ok(())
            });
        result.map_err(from_transaction)?;
        self.flush()?;
        Ok((secret, info))
    }

    /// The token whose secret is `secret`, or `None` if it is unknown, revoked or malformed.
    pub fn api_token(&self, secret: &str) -> Result<Option<TokenInfo>, AuthError> {
        let Some(hash) = SecretHash::of(secret) else {
            return Ok(None);
        };
        match self.tokens.get(hash.as_bytes())? {
            Some(bytes) => decode(&bytes, "API token").map(Some),
            None => Ok(None),
        }
    }

    /// The account's tokens, in id order (which is creation order).
    pub fn api_tokens(&self, account: AccountId) -> Result<Vec<TokenInfo>, AuthError> {
        let mut infos = Vec::new();
        for (id, hash) in self.index_of(account)? {
            let bytes = self.tokens.get(hash.as_bytes())?.ok_or_else(|| {
                AuthError::Corrupt(format!("token {id} is indexed but not stored"))
            })?;
            let info: TokenInfo = decode(&bytes, "API token")?;
            if info.id != id || info.account != account {
                return Err(AuthError::Corrupt(format!("token {id} is indexed wrongly")));
            }
            infos.push(info);
        }
        Ok(infos)
    }

    /// Whether `account` holds token `id`, not revoked.
    pub fn holds_token(&self, account: AccountId, id: u64) -> Result<bool, AuthError> {
        Ok(self
            .tokens_by_account
            .contains_key(index_key(account, id))?)
    }

    /// Revokes the account's token `id`, and flushes. [`AuthError::UnknownToken`] if there is
    /// no such token or it belongs to another account (which is not revealed).
    pub fn revoke_api_token(&self, account: AccountId, id: u64) -> Result<(), AuthError> {
        let _writes = self.lock_token_writes();
        let key = index_key(account, id);
        let Some(stored) = self.tokens_by_account.get(key)? else {
            return Err(AuthError::UnknownToken);
        };
        let hash = stored_hash(&stored, id)?;
        self.remove_tokens(&[(id, hash)], account)?;
        self.flush()
    }

    /// Revokes every token of `account` and says how many, and flushes; used when an
    /// orchestrated account is liquidated.
    pub fn revoke_api_tokens_of(&self, account: AccountId) -> Result<usize, AuthError> {
        let _writes = self.lock_token_writes();
        let tokens = self.index_of(account)?;
        if tokens.is_empty() {
            return Ok(0);
        }
        self.remove_tokens(&tokens, account)?;
        self.flush()?;
        Ok(tokens.len())
    }

    /// The account's `(id, secret hash)` pairs from the index, in id order.
    fn index_of(&self, account: AccountId) -> Result<Vec<(u64, SecretHash)>, AuthError> {
        let mut tokens = Vec::new();
        for entry in self.tokens_by_account.scan_prefix(account_key(account)) {
            let (key, value) = entry?;
            let id_bytes: [u8; 8] = key[4..]
                .try_into()
                .map_err(|_| AuthError::Corrupt("a token index key has the wrong length".into()))?;
            let id = u64::from_be_bytes(id_bytes);
            tokens.push((id, stored_hash(&value, id)?));
        }
        Ok(tokens)
    }

    /// Removes the tokens (and their index entries) atomically. The caller holds the token
    /// write lock and flushes.
    fn remove_tokens(
        &self,
        tokens: &[(u64, SecretHash)],
        account: AccountId,
    ) -> Result<(), AuthError> {
        let result: TransactionResult<(), AuthError> = (&self.tokens, &self.tokens_by_account)
            .transaction(|(by_hash, index)| {
                for (id, hash) in tokens {
                    by_hash.remove(&hash.as_bytes()[..])?;
                    index.remove(&index_key(account, *id)[..])?;
                }
                Ok(())
            });
        result.map_err(from_transaction)
    }
}

/// The secret hash stored in the index for token `id`, or [`AuthError::Corrupt`].
fn stored_hash(bytes: &[u8], id: u64) -> Result<SecretHash, AuthError> {
    SecretHash::from_stored(bytes)
        .ok_or_else(|| AuthError::Corrupt(format!("token {id}'s index entry is not a hash")))
}

#[cfg(test)]
mod tests {
    use crate::auth::limits::API_TOKENS_PER_ACCOUNT_MAX;
    use crate::auth::store::tests::{reopen, temp_store};
    use exchange_core::AccountId;

    #[test]
    fn create_then_look_up_and_list_in_id_order() {
        let (_dir, store) = temp_store();
        let (first, info) = store
            .create_api_token(AccountId(7), "  my bot ", 5)
            .expect("created");
        assert_eq!(info.name, "my bot");
        assert_eq!(info.account, AccountId(7));
        assert_eq!(info.created_ms, 5);
        assert!(info.id >= 1);
        let (second, info2) = store
            .create_api_token(AccountId(7), "other", 6)
            .expect("created");
        assert!(info2.id > info.id);
        store
            .create_api_token(AccountId(8), "not mine", 7)
            .expect("created");
        assert_eq!(
            store.api_token(first.as_str()).expect("reads"),
            Some(info.clone())
        );
        assert_eq!(
            store.api_token(second.as_str()).expect("reads"),
            Some(info2.clone())
        );
        let listed = store.api_tokens(AccountId(7)).expect("lists");
        assert_eq!(listed, vec![info, info2]);
        assert_eq!(store.api_tokens(AccountId(9)).expect("lists"), vec![]);
        for text in ["", "token", &first.as_str()[1..], &"f".repeat(64)] {
            assert_eq!(store.api_token(text).expect("reads"), None, "{text:?}");
        }
    }

    #[test]
    fn names_are_checked_after_trimming() {
        let (_dir, store) = temp_store();
        let longest = "é".repeat(64);
        for name in ["x", longest.as_str(), " padded  "] {
            assert!(
                store.create_api_token(AccountId(1), name, 0).is_ok(),
                "{name:?}"
            );
        }
        let too_long = "é".repeat(65);
        let hidden = [
            "bell\u{7}",
            "zero\u{200b}width",
            "\u{202e}tob ym",
            "bom\u{feff}",
        ];
        for name in ["", "   ", "\t\n", too_long.as_str()]
            .into_iter()
            .chain(hidden)
        {
            let error = store
                .create_api_token(AccountId(1), name, 0)
                .expect_err(name);
            assert_eq!(error.code(), "invalid_token_name", "{name:?}");
        }
        assert_eq!(store.api_tokens(AccountId(1)).expect("lists").len(), 3);
    }

    #[test]
    fn revoke_needs_the_owner_and_reveals_nothing() {
        let (_dir, store) = temp_store();
        let (secret, info) = store
            .create_api_token(AccountId(7), "bot", 0)
            .expect("created");
        let by_other = store
            .revoke_api_token(AccountId(8), info.id)
            .expect_err("not theirs");
        assert_eq!(by_other.code(), "unknown_token");
        let missing = store
            .revoke_api_token(AccountId(7), info.id + 1_000)
            .expect_err("none");
        assert_eq!(missing.code(), "unknown_token");
        assert_eq!(by_other.to_string(), missing.to_string());
        assert!(store.api_token(secret.as_str()).expect("reads").is_some());
        store
            .revoke_api_token(AccountId(7), info.id)
            .expect("revoked");
        assert_eq!(store.api_token(secret.as_str()).expect("reads"), None);
        assert_eq!(store.api_tokens(AccountId(7)).expect("lists"), vec![]);
        let again = store
            .revoke_api_token(AccountId(7), info.id)
            .expect_err("already gone");
        assert_eq!(again.code(), "unknown_token");
    }

    #[test]
    fn revoke_all_of_an_account_leaves_the_others() {
        let (_dir, store) = temp_store();
        let (a, _) = store
            .create_api_token(AccountId(7), "a", 0)
            .expect("created");
        let (b, _) = store
            .create_api_token(AccountId(7), "b", 0)
            .expect("created");
        let (c, _) = store
            .create_api_token(AccountId(8), "c", 0)
            .expect("created");
        assert_eq!(
            store.revoke_api_tokens_of(AccountId(7)).expect("revoked"),
            2
        );
        assert_eq!(
            store.revoke_api_tokens_of(AccountId(7)).expect("revoked"),
            0
        );
        assert_eq!(store.api_token(a.as_str()).expect("reads"), None);
        assert_eq!(store.api_token(b.as_str()).expect("reads"), None);
        assert!(store.api_token(c.as_str()).expect("reads").is_some());
        assert_eq!(store.tokens.len(), 1);
        assert_eq!(store.tokens_by_account.len(), 1);
    }

    #[test]
    fn an_account_holds_at_most_the_limit() {
        let (_dir, store) = temp_store();
        for i in 0..API_TOKENS_PER_ACCOUNT_MAX {
            store
                .create_api_token(AccountId(7), &format!("bot {i}"), 0)
                .expect("under the limit");
        }
        let error = store
            .create_api_token(AccountId(7), "one more", 0)
            .expect_err("full");
        assert_eq!(error.code(), "too_many_tokens");
        assert!(store.create_api_token(AccountId(8), "elsewhere", 0).is_ok());
        let first = store.api_tokens(AccountId(7)).expect("lists")[0].id;
        store
            .revoke_api_token(AccountId(7), first)
            .expect("revoked");
        assert!(store
            .create_api_token(AccountId(7), "room again", 0)
            .is_ok());
    }

    #[test]
    fn tokens_survive_reopening_the_store() {
        let (dir, store) = temp_store();
        let (kept, info) = store
            .create_api_token(AccountId(7), "kept", 0)
            .expect("created");
        let (gone, gone_info) = store
            .create_api_token(AccountId(7), "gone", 0)
            .expect("created");
        store
            .revoke_api_token(AccountId(7), gone_info.id)
            .expect("revoked");
        let store = reopen(dir.path(), store);
        assert_eq!(
            store.api_token(kept.as_str()).expect("reads"),
            Some(info.clone())
        );
        assert_eq!(store.api_token(gone.as_str()).expect("reads"), None);
        assert_eq!(
            store.api_tokens(AccountId(7)).expect("lists"),
            vec![info.clone()]
        );
        let (_, newer) = store
            .create_api_token(AccountId(7), "newer", 0)
            .expect("created");
        assert!(
            newer.id > gone_info.id,
            "ids are never reused across restarts"
        );
    }
}
