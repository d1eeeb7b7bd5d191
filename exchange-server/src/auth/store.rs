//! [`AuthStore`]: the sled database of users, sessions and API tokens, plus the in-memory
//! WebSocket tickets. This file opens it and holds the users; sessions, tokens and tickets
//! have a file each.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use exchange_core::AccountId;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionResult};
use sled::Transactional;

use super::email::Email;
use super::error::AuthError;
use super::password::{is_phc_string, verify_password, DUMMY_HASH};
use super::tickets::Tickets;
use super::user::User;

/// Tree: normalised email -> [`User`] as JSON.
const USERS: &str = "users";
/// Tree: account id, big-endian -> normalised email.
const USERS_BY_ACCOUNT: &str = "users_by_account";
/// Tree: BLAKE3 hash of a session secret -> [`SessionInfo`](super::SessionInfo) as JSON.
const SESSIONS: &str = "sessions";
/// Tree: BLAKE3 hash of an API token secret -> [`TokenInfo`](super::TokenInfo) as JSON.
const TOKENS: &str = "tokens";
/// Tree: account id, big-endian, then token id, big-endian -> BLAKE3 hash of the secret.
const TOKENS_BY_ACCOUNT: &str = "tokens_by_account";

/// The auth store: users, sessions and API tokens in a sled database of their own (beside
/// the event log, not in it), and single-use WebSocket tickets in memory.
///
/// Cloning is cheap (sled trees and the ticket map are shared behind `Arc`s) and every
/// clone sees the same data; it is `Send + Sync`, so the server hands one clone to each
/// route. Writes that must survive a crash (users, sessions, tokens, revocations) are
/// flushed to disk before the method returns. Methods do blocking disk I/O; the argon2
/// ones ([`verify_login`](AuthStore::verify_login)) are also slow, so async callers use a
/// blocking thread for those.
#[derive(Clone)]
pub struct AuthStore {
    pub(super) db: sled::Db,
    pub(super) users: sled::Tree,
    pub(super) users_by_account: sled::Tree,
    pub(super) sessions: sled::Tree,
    pub(super) tokens: sled::Tree,
    pub(super) tokens_by_account: sled::Tree,
    /// Serialises token creation and revocation, so the per-account count cannot be raced
    /// past [`API_TOKENS_PER_ACCOUNT_MAX`](super::API_TOKENS_PER_ACCOUNT_MAX). sled locks
    /// its directory, so one process is the only writer and a process-wide lock suffices.
    pub(super) token_writes: Arc<Mutex<()>>,
    /// Outstanding WebSocket tickets: memory only, lost (harmlessly) on restart.
    pub(super) tickets: Arc<Mutex<Tickets>>,
}

impl AuthStore {
    /// Opens the auth database at `path` (the server uses `DIR/auth`), creating it if absent.
    pub fn open(path: &Path) -> Result<Self, AuthError> {
        let db = match sled::Config::new().path(path).open() {
            Err(sled::Error::Io(error)) if exchange_core::log::is_lock_error(&error) => {
                return Err(AuthError::InUse(path.to_owned()));
            }
            opened => opened?,
        };
        Ok(AuthStore {
            users: db.open_tree(USERS)?,
            users_by_account: db.open_tree(USERS_BY_ACCOUNT)?,
            sessions: db.open_tree(SESSIONS)?,
            tokens: db.open_tree(TOKENS)?,
            tokens_by_account: db.open_tree(TOKENS_BY_ACCOUNT)?,
            db,
            token_writes: Arc::default(),
            tickets: Arc::default(),
        })
    }

    /// The user with this email, if any.
    pub fn user_by_email(&self, email: &Email) -> Result<Option<User>, AuthError> {
        let Some(bytes) = self.users.get(email.as_str())? else {
            return Ok(None);
        };
        let user: User = decode(&bytes, "user")?;
        if user.email != *email {
            return Err(AuthError::Corrupt(format!(
                "the user stored under {email} has the email {}",
                user.email
            )));
        }
        Ok(Some(user))
    }

    /// The user who owns `account`, if any (orchestrated accounts have none).
    pub fn user_by_account(&self, account: AccountId) -> Result<Option<User>, AuthError> {
        let Some(bytes) = self.users_by_account.get(account_key(account))? else {
            return Ok(None);
        };
        let email = std::str::from_utf8(&bytes)
            .map(|text| Email::stored(text.to_owned()))
            .map_err(|_| AuthError::Corrupt(format!("account {account}'s email index")))?;
        match self.user_by_email(&email)? {
            Some(user) if user.account == account => Ok(Some(user)),
            _ => Err(AuthError::Corrupt(format!(
                "account {account} is indexed to a user who does not own it"
            ))),
        }
    }

    /// Stores a new user and indexes it by account, atomically, then flushes.
    ///
    /// [`AuthError::EmailTaken`] if a user with the same normalised email exists;
    /// [`AuthError::Corrupt`] if the account already has a user (the store and the event
    /// log disagree). `user.password_hash` must come from
    /// [`hash_password`](super::hash_password).
    pub fn insert_user(&self, user: &User) -> Result<(), AuthError> {
        assert!(
            is_phc_string(&user.password_hash),
            "insert_user: the password hash is not a PHC string"
        );
        let email = user.email.as_str().as_bytes();
        let account = account_key(user.account);
        let value = encode(user);
        let result: TransactionResult<(), AuthError> = (&self.users, &self.users_by_account)
            .transaction(|(users, by_account)| {
                if users.get(email)?.is_some() {
                    return Err(ConflictableTransactionError::Abort(AuthError::EmailTaken));
                }
                if by_account.get(account)?.is_some() {
                    let why = format!("account {} already has a user", user.account);
                    return Err(ConflictableTransactionError::Abort(AuthError::Corrupt(why)));
                }
                users.insert(email, value.as_slice())?;
                by_account.insert(&account, email)?;
                Ok(())
            });
        result.map_err(from_transaction)?;
        self.flush()
    }

    /// The user with this email if `password` is theirs, else
    /// [`AuthError::InvalidCredentials`], for an unknown email as for a wrong password.
    ///
    /// An unknown email still costs one argon2 verification (against a fixed dummy hash), so
    /// the response time does not reveal which emails have accounts. SLOW: run it on a
    /// blocking thread.
    pub fn verify_login(&self, email: &Email, password: &str) -> Result<User, AuthError> {
        let Some(user) = self.user_by_email(email)? else {
            // The result is irrelevant: this only spends the time a real check would.
            let _ = verify_password(password, DUMMY_HASH)?;
            return Err(AuthError::InvalidCredentials);
        };
        if verify_password(password, &user.password_hash)? {
            Ok(user)
        } else {
            Err(AuthError::InvalidCredentials)
        }
    }

    /// How many users there are (for the server's startup log). Scans the users.
    pub fn users(&self) -> Result<usize, AuthError> {
        let mut count = 0;
        for entry in self.users.iter() {
            entry?;
            count += 1;
        }
        Ok(count)
    }

    /// Writes everything so far to disk; called after every write that must be durable.
    pub(super) fn flush(&self) -> Result<(), AuthError> {
        self.db.flush()?;
        Ok(())
    }

    /// Takes the token write lock. The lock guards no data, so a panic while it was held
    /// cannot have left anything half-done behind it and poisoning is ignored.
    pub(super) fn lock_token_writes(&self) -> MutexGuard<'_, ()> {
        self.token_writes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for AuthStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthStore").finish_non_exhaustive()
    }
}

/// The key of an account in the `*_by_account` trees: its id, big-endian, so keys sort by
/// account.
pub(super) fn account_key(account: AccountId) -> [u8; 4] {
    account.0.to_be_bytes()
}

/// A stored value's bytes.
pub(super) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Only plain structs with string keys are stored, which JSON always serializes.
    serde_json::to_vec(value).expect("auth values always serialize to JSON")
}

/// A stored value, or [`AuthError::Corrupt`] naming `what` it should have been.
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, AuthError> {
    serde_json::from_slice(bytes).map_err(|e| AuthError::Corrupt(format!("stored {what}: {e}")))
}

/// The error a transaction aborted with, or the storage error that stopped it.
pub(super) fn from_transaction(error: TransactionError<AuthError>) -> AuthError {
    match error {
        TransactionError::Abort(error) => error,
        TransactionError::Storage(error) => AuthError::Storage(error),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::AuthStore;
    use crate::auth::email::Email;
    use crate::auth::password::{hash_password, DUMMY_HASH};
    use crate::auth::user::User;
    use exchange_core::{AccountId, AccountKind};
    use std::path::Path;

    /// A store in a fresh temporary directory (kept alive by the returned guard).
    pub(in crate::auth) fn temp_store() -> (tempfile::TempDir, AuthStore) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = AuthStore::open(&dir.path().join("auth")).expect("opens");
        (dir, store)
    }

    #[test]
    fn a_store_open_elsewhere_is_in_use() {
        let (dir, _open) = temp_store();
        match AuthStore::open(&dir.path().join("auth")) {
            Err(error @ crate::auth::AuthError::InUse(_)) => {
                assert!(error.to_string().contains("in use by another process"))
            }
            Err(other) => panic!("expected the store to be in use, got {other}"),
            Ok(_) => panic!("opened twice"),
        }
    }

    /// Reopens the store at `dir`, after dropping `store` (sled locks its directory).
    pub(in crate::auth) fn reopen(dir: &Path, store: AuthStore) -> AuthStore {
        drop(store);
        AuthStore::open(&dir.join("auth")).expect("reopens")
    }

    /// A user whose password hash is the (valid, unguessable) dummy hash: no hashing cost.
    pub(in crate::auth) fn user(email: &str, account: u32) -> User {
        User {
            email: Email::parse(email).expect("valid email"),
            account: AccountId(account),
            kind: AccountKind::Standard,
            password_hash: DUMMY_HASH.to_owned(),
            created_ms: 1_000,
        }
    }

    #[test]
    fn is_send_sync_and_cheap_to_clone() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<AuthStore>();
    }

    #[test]
    fn insert_then_look_up_by_email_and_account() {
        let (_dir, store) = temp_store();
        assert_eq!(store.users().ok(), Some(0));
        let ann = user("ann@example.com", 1);
        store.insert_user(&ann).expect("inserted");
        let by_email = store.user_by_email(&ann.email).expect("reads");
        assert_eq!(by_email.as_ref(), Some(&ann));
        assert_eq!(
            store.user_by_account(AccountId(1)).expect("reads"),
            Some(ann)
        );
        assert_eq!(store.user_by_account(AccountId(2)).expect("reads"), None);
        let bob = Email::parse("bob@example.com").expect("valid");
        assert_eq!(store.user_by_email(&bob).expect("reads"), None);
        assert_eq!(store.users().ok(), Some(1));
    }

    #[test]
    fn duplicate_email_is_taken_whatever_its_case_or_spaces() {
        let (_dir, store) = temp_store();
        store
            .insert_user(&user("ann@example.com", 1))
            .expect("inserted");
        for (email, account) in [("ann@example.com", 2), ("  ANN@Example.Com ", 3)] {
            let error = store.insert_user(&user(email, account)).expect_err(email);
            assert_eq!(error.code(), "email_taken", "{email:?}");
            // Nothing of the refused user was stored.
            let indexed = store.user_by_account(AccountId(account)).expect("reads");
            assert_eq!(indexed, None);
        }
        assert_eq!(store.users().ok(), Some(1));
    }

    #[test]
    fn second_user_for_an_account_is_refused() {
        let (_dir, store) = temp_store();
        store
            .insert_user(&user("ann@example.com", 1))
            .expect("inserted");
        let error = store
            .insert_user(&user("bob@example.com", 1))
            .expect_err("same account");
        assert_eq!(error.code(), "corrupt");
        let bob = Email::parse("bob@example.com").expect("valid");
        assert_eq!(store.user_by_email(&bob).expect("reads"), None);
    }

    #[test]
    fn login_checks_the_password_and_hides_unknown_emails() {
        let (dir, store) = temp_store();
        let mut ann = user("ann@example.com", 1);
        ann.password_hash = hash_password("correct horse").expect("hashes");
        store.insert_user(&ann).expect("inserted");
        let store = reopen(dir.path(), store);
        let logged_in = store
            .verify_login(&ann.email, "correct horse")
            .expect("logs in");
        assert_eq!(logged_in, ann);
        let wrong = store
            .verify_login(&ann.email, "wrong horse")
            .expect_err("wrong password");
        assert_eq!(wrong.code(), "invalid_credentials");
        let nobody = Email::parse("nobody@example.com").expect("valid");
        let unknown = store
            .verify_login(&nobody, "correct horse")
            .expect_err("unknown");
        assert_eq!(unknown.code(), "invalid_credentials");
        assert_eq!(wrong.to_string(), unknown.to_string());
    }

    #[test]
    fn undecodable_user_is_corrupt() {
        let (_dir, store) = temp_store();
        store
            .users
            .insert("ann@example.com", &b"{not json"[..])
            .expect("raw insert");
        let ann = Email::parse("ann@example.com").expect("valid");
        let error = store.user_by_email(&ann).expect_err("corrupt");
        assert_eq!(error.code(), "corrupt");
    }

    #[test]
    fn no_secret_or_password_is_stored_in_plaintext() {
        let (dir, store) = temp_store();
        let mut ann = user("ann@example.com", 1);
        let password = "correct horse battery";
        ann.password_hash = hash_password(password).expect("hashes");
        store.insert_user(&ann).expect("inserted");
        let (session, _) = store
            .create_session(AccountId(1), 0, 60_000)
            .expect("created");
        let (token, _) = store
            .create_api_token(AccountId(1), "bot", 0)
            .expect("created");
        let ticket = store
            .create_ticket(AccountId(1), crate::auth::Credential::Token(1), 0, 30_000)
            .expect("issued");
        let secrets = [session.as_str(), token.as_str(), ticket.as_str(), password];
        // Every key and value of every tree, as the store holds them.
        for name in store.db.tree_names() {
            let tree = store.db.open_tree(&name).expect("opens");
            for entry in tree.iter() {
                let (key, value) = entry.expect("reads");
                for secret in secrets {
                    assert!(!contains(&key, secret.as_bytes()), "a key holds a secret");
                    assert!(
                        !contains(&value, secret.as_bytes()),
                        "a value holds a secret"
                    );
                }
            }
        }
        // And the files on disk, after the flushes.
        let store = reopen(dir.path(), store);
        let files = files_under(&dir.path().join("auth"));
        assert!(files
            .iter()
            .any(|bytes| contains(bytes, b"ann@example.com")));
        for bytes in files {
            for secret in secrets {
                assert!(
                    !contains(&bytes, secret.as_bytes()),
                    "a file holds a secret"
                );
            }
        }
        assert!(store.api_token(token.as_str()).expect("reads").is_some());
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack
            .windows(needle.len())
            .any(|window| window == needle)
    }

    fn files_under(dir: &Path) -> Vec<Vec<u8>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("lists") {
            let path = entry.expect("lists").path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else {
                files.push(std::fs::read(&path).expect("reads"));
            }
        }
        files
    }
}
