//! Ticker symbols: short, validated, stored inline so events stay `Copy`.

use crate::limits::{SYMBOL_LEN_MAX, SYMBOL_LEN_MIN};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A ticker symbol: 1 to [`SYMBOL_LEN_MAX`] characters, starting with an ASCII uppercase
/// letter, followed by ASCII uppercase letters, digits or `.` (as in `BRK.B`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Symbol {
    len: u8,
    bytes: [u8; SYMBOL_LEN_MAX],
}

/// Why a string is not a valid [`Symbol`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    /// Shorter than [`SYMBOL_LEN_MIN`] or longer than [`SYMBOL_LEN_MAX`].
    #[error("a symbol has {SYMBOL_LEN_MIN} to {SYMBOL_LEN_MAX} characters, got {0}")]
    Length(usize),
    /// The first character is not an ASCII uppercase letter.
    #[error("a symbol starts with an uppercase letter A-Z")]
    FirstCharacter,
    /// A later character is not an ASCII uppercase letter, digit or `.`.
    #[error("a symbol holds only A-Z, 0-9 and '.'")]
    Character,
}

impl Symbol {
    /// Validates `text` as a symbol.
    pub fn new(text: &str) -> Result<Self, SymbolError> {
        let raw = text.as_bytes();
        if !(SYMBOL_LEN_MIN..=SYMBOL_LEN_MAX).contains(&raw.len()) {
            return Err(SymbolError::Length(text.chars().count()));
        }
        if !raw[0].is_ascii_uppercase() {
            return Err(SymbolError::FirstCharacter);
        }
        let allowed = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'.';
        if !raw.iter().all(allowed) {
            return Err(SymbolError::Character);
        }
        let mut bytes = [0; SYMBOL_LEN_MAX];
        bytes[..raw.len()].copy_from_slice(raw);
        let len = u8::try_from(raw.len()).expect("invariant: SYMBOL_LEN_MAX fits in u8");
        Ok(Self { len, bytes })
    }

    /// The symbol as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored (checked in `new`), so this cannot fail.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)])
            .expect("invariant: symbols are ASCII")
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Symbol({})", self.as_str())
    }
}

impl Serialize for Symbol {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Symbol::new(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_symbols() {
        for text in ["MNAD", "A", "BRK.B", "X1", "ABCDEFGHIJ"] {
            assert_eq!(Symbol::new(text).unwrap().as_str(), text);
        }
    }

    #[test]
    fn rejects_invalid_symbols() {
        assert_eq!(Symbol::new(""), Err(SymbolError::Length(0)));
        assert_eq!(Symbol::new("ABCDEFGHIJK"), Err(SymbolError::Length(11)));
        assert_eq!(Symbol::new("1AB"), Err(SymbolError::FirstCharacter));
        assert_eq!(Symbol::new(".AB"), Err(SymbolError::FirstCharacter));
        assert_eq!(Symbol::new("mnad"), Err(SymbolError::FirstCharacter));
        assert_eq!(Symbol::new("MN AD"), Err(SymbolError::Character));
        assert_eq!(Symbol::new("MNÄD"), Err(SymbolError::Character));
    }

    #[test]
    fn serde_round_trip_validates() {
        let symbol = Symbol::new("MNAD").unwrap();
        let bytes = postcard::to_stdvec(&symbol).unwrap();
        assert_eq!(postcard::from_bytes::<Symbol>(&bytes).unwrap(), symbol);
        let bad = postcard::to_stdvec("no good").unwrap();
        assert!(postcard::from_bytes::<Symbol>(&bad).is_err());
    }
}
