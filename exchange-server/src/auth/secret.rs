//! Secrets: the random bearer strings behind sessions, API tokens and WebSocket tickets.
//!
//! A secret is [`SECRET_BYTES`] bytes from the system's random source, shown to the client
//! once as lower-case hex. The store keeps only its BLAKE3 hash ([`SecretHash`]) and looks
//! secrets up by that hash, so a copy of the database grants nothing and a lookup compares
//! no secret bytes (no timing leak).

use std::fmt;

use super::error::AuthError;
use super::limits::{SECRET_BYTES, SECRET_CHARS};

/// A freshly generated secret in its text form, to be shown to the client once. Its
/// `Debug` does not print it, so it cannot leak into logs by accident.
pub struct Secret(String);

impl Secret {
    /// Draws [`SECRET_BYTES`] random bytes from the system's random source.
    pub(super) fn generate() -> Result<Secret, AuthError> {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| AuthError::Hash(format!("system random source: {e}")))?;
        let text = hex::encode(bytes);
        assert_eq!(text.len(), SECRET_CHARS);
        Ok(Secret(text))
    }

    /// A secret chosen by the operator (a bootstrap file's fixed bot token), if it has the
    /// form of a generated one: [`SECRET_CHARS`] lower-case hex characters.
    pub(super) fn from_text(text: &str) -> Option<Secret> {
        SecretHash::of(text).map(|_| Secret(text.to_owned()))
    }

    /// The secret's text form: give it to the client, never log it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The hash under which the store keeps this secret.
    pub(super) fn hash(&self) -> SecretHash {
        // A generated secret is always well formed.
        SecretHash::of(&self.0).expect("a generated secret is well formed")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The BLAKE3 hash of a secret's text form: the only form in which secrets are stored or
/// compared.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct SecretHash([u8; blake3::OUT_LEN]);

impl SecretHash {
    /// The hash of `text`, or `None` if `text` cannot be a secret we issued (wrong length or
    /// not lower-case hex); such text is rejected without touching the store.
    pub(super) fn of(text: &str) -> Option<SecretHash> {
        let well_formed = text.len() == SECRET_CHARS
            && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        well_formed.then(|| SecretHash(*blake3::hash(text.as_bytes()).as_bytes()))
    }

    /// The hash's bytes, used as a database key.
    pub(super) fn as_bytes(&self) -> &[u8; blake3::OUT_LEN] {
        &self.0
    }

    /// The hash stored under a key or in a value, or `None` if `bytes` has the wrong length.
    pub(super) fn from_stored(bytes: &[u8]) -> Option<SecretHash> {
        bytes.try_into().ok().map(SecretHash)
    }
}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A hash reveals nothing, but a prefix is enough to tell two apart.
        write!(f, "SecretHash({}…)", hex::encode(&self.0[..4]))
    }
}

#[cfg(test)]
mod tests {
    use super::{Secret, SecretHash};
    use crate::auth::limits::SECRET_CHARS;

    #[test]
    fn generated_secrets_are_hex_distinct_and_hashable() {
        let a = Secret::generate().expect("random");
        let b = Secret::generate().expect("random");
        assert_eq!(a.as_str().len(), SECRET_CHARS);
        assert_ne!(a.as_str(), b.as_str());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(SecretHash::of(a.as_str()), Some(a.hash()));
    }

    #[test]
    fn debug_hides_the_secret() {
        let secret = Secret::generate().expect("random");
        let shown = format!("{secret:?} {:?}", secret.hash());
        assert!(!shown.contains(secret.as_str()), "{shown}");
        assert!(!shown.contains(&secret.as_str()[..8]), "{shown}");
    }

    #[test]
    fn malformed_text_has_no_hash() {
        let good = "0123456789abcdef".repeat(4);
        assert!(SecretHash::of(&good).is_some());
        let cases = [
            String::new(),
            good[1..].to_owned(),
            format!("{good}0"),
            good.to_uppercase(),
            good.replace('a', "g"),
            format!(" {}", &good[1..]),
        ];
        for text in &cases {
            assert!(SecretHash::of(text).is_none(), "{text:?}");
        }
    }
}
