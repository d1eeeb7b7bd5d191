//! Passwords: the policy, and argon2id hashing and verification.
//!
//! Hashing and verifying are deliberately slow (tens of milliseconds with argon2's default
//! parameters); async callers run them on a blocking thread.

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use super::error::AuthError;
use super::limits::{PASSWORD_CHARS_MAX, PASSWORD_CHARS_MIN};

/// An argon2id hash with argon2's default parameters of a password no one has. Logins for
/// unknown emails verify against it, so they take as long as logins for known ones and the
/// timing does not reveal which emails have accounts. A test checks that its parameters are
/// still the defaults [`hash_password`] uses.
pub(super) const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$YUyB8nNM6HGRPPgpGZqQ5Q$\
     lZXFkfuxaG0sMuDpjXzscr3z+BayhlxGIyos4iYYHwU";

/// Checks the password policy: [`PASSWORD_CHARS_MIN`] to [`PASSWORD_CHARS_MAX`]
/// characters, counted as Unicode scalar values, not bytes. Nothing else is required:
/// length is what makes a password strong, and composition rules only annoy.
pub fn check_password_policy(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if !(PASSWORD_CHARS_MIN..=PASSWORD_CHARS_MAX).contains(&chars) {
        return Err(AuthError::InvalidPassword(format!(
            "must have {PASSWORD_CHARS_MIN} to {PASSWORD_CHARS_MAX} characters, has {chars}"
        )));
    }
    Ok(())
}

/// Hashes `password` with argon2id, argon2's default parameters and a fresh random salt,
/// returning the PHC string (`$argon2id$v=19$m=…`) to store. It does not check the policy:
/// callers call [`check_password_policy`] first. SLOW: run it on a blocking thread.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored_hash` (made by [`hash_password`]).
/// The comparison is constant-time; the parameters come from the stored hash, so hashes
/// made with older parameters keep working. An undecodable hash is
/// [`AuthError::Corrupt`]. SLOW: run it on a blocking thread.
pub fn verify_password(password: &str, stored_hash: &str) -> Result<bool, AuthError> {
    let parsed = PasswordHash::new(stored_hash)
        .map_err(|e| AuthError::Corrupt(format!("stored password hash: {e}")))?;
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(HashError::PasswordInvalid) => Ok(false),
        Err(e) => Err(AuthError::Hash(e.to_string())),
    }
}

/// Whether `hash` parses as a PHC string: a cheap sanity check, unlike verifying.
pub(super) fn is_phc_string(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{check_password_policy, hash_password, verify_password, DUMMY_HASH};
    use argon2::{Params, PasswordHash};

    #[test]
    fn policy_counts_characters_not_bytes() {
        let accepted = [
            "12345678".to_owned(),
            "correct horse".to_owned(),
            "é".repeat(8),
            "x".repeat(128),
            "€".repeat(128),
        ];
        for password in &accepted {
            assert!(check_password_policy(password).is_ok(), "{password:?}");
        }
        let rejected = [
            String::new(),
            "1234567".to_owned(),
            "é".repeat(7),
            "x".repeat(129),
            "€".repeat(129),
        ];
        for password in &rejected {
            let error = check_password_policy(password).expect_err(password);
            assert_eq!(error.code(), "invalid_password");
        }
    }

    #[test]
    fn hash_then_verify_round_trip_and_wrong_password() {
        let hash = hash_password("correct horse").expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(!hash.contains("correct horse"));
        assert_eq!(verify_password("correct horse", &hash).ok(), Some(true));
        assert_eq!(verify_password("correct horsE", &hash).ok(), Some(false));
    }

    #[test]
    fn undecodable_hash_is_corrupt() {
        let error = verify_password("whatever", "not a phc string").expect_err("corrupt");
        assert_eq!(error.code(), "corrupt");
    }

    #[test]
    fn dummy_hash_uses_the_default_parameters() {
        let parsed = PasswordHash::new(DUMMY_HASH).expect("the dummy hash parses");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        let params = Params::try_from(&parsed).expect("valid params");
        let defaults = Params::default();
        assert_eq!(params.m_cost(), defaults.m_cost());
        assert_eq!(params.t_cost(), defaults.t_cost());
        assert_eq!(params.p_cost(), defaults.p_cost());
    }
}
