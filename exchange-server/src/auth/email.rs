//! [`Email`]: a user's login name, normalised so that one person cannot sign up twice by
//! changing case or adding spaces.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::error::AuthError;
use super::limits::EMAIL_BYTES_MAX;
use super::text::is_hidden;
use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// A normalised, validated email address: trimmed, lower-cased and in Unicode normal form C
/// (so that `é` typed as one character or as `e` plus an accent is one address), with
/// exactly one `@`, non-empty local and domain parts, a `.` inside the domain, no whitespace,
/// no invisible characters (controls, zero-width or direction-changing ones), no part that
/// mixes scripts, and at most [`EMAIL_BYTES_MAX`] bytes.
///
/// Mixing scripts is refused because transfers name their recipient by email: `pаul@x.com`
/// with a Cyrillic `а` would otherwise be a different user who looks exactly like `paul`.
/// Each part (the local part and each domain label) must be written in one script, as
/// Unicode's UTS #39 defines it; digits and punctuation go with any script.
///
/// The check is deliberately loose (the exchange sends no mail); it catches typos and
/// keeps keys canonical, it does not implement RFC 5322. It serializes as a plain string.
/// Deserializing reads what the auth store holds and takes it as stored: it was checked
/// when the user signed up, and rules made stricter since must not lock that user out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Email(String);

impl Email {
    /// Normalises (trims, lower-cases, composes) and validates `text`.
    pub fn parse(text: &str) -> Result<Email, AuthError> {
        let normalised: String = text.trim().to_lowercase().nfc().collect();
        check(&normalised).map_err(|rule| AuthError::InvalidEmail(rule.to_owned()))?;
        Ok(Email(normalised))
    }

    /// An address as the auth store holds it, taken as it is (see [`Email`]).
    pub(super) fn stored(text: String) -> Email {
        Email(text)
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The first rule `email` (already normalised) breaks, if any.
fn check(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("empty");
    }
    if email.len() > EMAIL_BYTES_MAX {
        return Err("longer than 254 bytes");
    }
    if email.chars().any(char::is_whitespace) {
        return Err("contains whitespace");
    }
    if email.chars().any(is_hidden) {
        return Err("contains invisible or control characters");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("has no '@'");
    };
    if domain.contains('@') {
        return Err("has more than one '@'");
    }
    if local.is_empty() {
        return Err("nothing before the '@'");
    }
    if domain.is_empty() {
        return Err("nothing after the '@'");
    }
    if !domain.contains('.') {
        return Err("the domain has no '.'");
    }
    if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return Err("the domain has an empty label");
    }
    let mut parts = std::iter::once(local).chain(domain.split('.'));
    if !parts.all(|part| part.is_single_script()) {
        return Err("mixes scripts in one part, as lookalike addresses do");
    }
    Ok(())
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Email, D::Error> {
        String::deserialize(deserializer).map(Email::stored)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn normalises_case_and_whitespace() {
        let cases = [
            ("ann@example.com", "ann@example.com"),
            ("  Ann@Example.COM\n", "ann@example.com"),
            (
                "\tBOB.smith+x@mail.example.org ",
                "bob.smith+x@mail.example.org",
            ),
            ("ÉVA@exemple.fr", "éva@exemple.fr"),
            // `E` and a combining acute accent compose to the same `é`.
            ("E\u{301}va@exemple.fr", "éva@exemple.fr"),
            // One script per part, each its own: Greek, Cyrillic and Latin labels.
            ("αλέξης@παράδειγμα.gr", "αλέξης@παράδειγμα.gr"),
            ("иван.2@пример.рф", "иван.2@пример.рф"),
            (
                "ann-2_x+y@mail-1.example.com",
                "ann-2_x+y@mail-1.example.com",
            ),
        ];
        for (input, expected) in cases {
            let email = Email::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(email.as_str(), expected, "{input:?}");
            assert_eq!(email.to_string(), expected, "{input:?}");
        }
    }

    #[test]
    fn rejects_malformed() {
        let long_local = "a".repeat(250);
        let too_long = format!("{long_local}@b.co");
        let cases = [
            "",
            "   ",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@@example.com",
            "ann@b@example.com",
            "ann smith@example.com",
            "ann@exa mple.com",
            "ann\u{0}@example.com",
            "ann@example.com\u{7}",
            "bob\u{200b}@example.com",
            "bob@example\u{200d}.com",
            "\u{202e}moc.elpmaxe@bob",
            "bob@example.com\u{feff}x",
            "bob\u{ad}@example.com",
            "bob\u{2028}@example.com",
            "ann@.example.com",
            "ann@example.com.",
            "ann@example..com",
            too_long.as_str(),
            // Lookalikes: a Cyrillic `а` (U+0430) in a Latin name, and a Greek `ο` (U+03BF).
            "p\u{430}ul@example.com",
            "paul@ex\u{430}mple.com",
            "paul@example.c\u{3bf}m",
        ];
        for input in cases {
            let error = Email::parse(input).expect_err(input);
            assert_eq!(error.code(), "invalid_email", "{input:?}");
        }
    }

    #[test]
    fn accepts_the_longest_allowed() {
        let local = "a".repeat(254 - "@b.co".len());
        let email = Email::parse(&format!("{local}@b.co")).expect("254 bytes is allowed");
        assert_eq!(email.as_str().len(), 254);
    }

    #[test]
    fn serde_is_a_string_and_stored_addresses_are_read_as_stored() {
        let email = Email::parse("Ann@Example.com").expect("valid");
        let json = serde_json::to_string(&email).expect("serializes");
        assert_eq!(json, "\"ann@example.com\"");
        let back: Email = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, email);
        // An address stored before a rule refusing it existed still reads, unchanged.
        let older = "bob\u{200b}@example.com";
        assert!(Email::parse(older).is_err());
        let stored: Email = serde_json::from_value(older.into()).expect("deserializes");
        assert_eq!(stored.as_str(), older);
    }
}
