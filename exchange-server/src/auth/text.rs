//! Which characters names people read may contain.
//!
//! An email or token name that looks like another must not be another: a zero-width space
//! in `bob@example.com` would otherwise make a second account that reads the same, and a
//! right-to-left override would make a name display differently from how it compares.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Whether `c` is invisible or changes how the text around it reads: control and format
/// characters (zero-width spaces and joiners, direction overrides, the byte order mark),
/// private-use and unassigned code points, and line and paragraph separators.
pub(super) fn is_hidden(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Other || c == '\u{2028}' || c == '\u{2029}'
}

#[cfg(test)]
mod tests {
    use super::is_hidden;

    #[test]
    fn invisible_and_direction_changing_characters_are_hidden() {
        let hidden = [
            '\u{0}',
            '\u{7}',
            '\u{7f}',
            '\u{ad}',
            '\u{200b}',
            '\u{200d}',
            '\u{200e}',
            '\u{202e}',
            '\u{2066}',
            '\u{2028}',
            '\u{2029}',
            '\u{feff}',
            '\u{e000}',
            '\u{e0001}',
            '\u{10ffff}',
        ];
        for c in hidden {
            assert!(is_hidden(c), "{:?} (U+{:04X})", c, c as u32);
        }
    }

    #[test]
    fn letters_digits_punctuation_and_spaces_are_not() {
        for c in [
            'a', 'Z', 'é', 'ß', 'я', '中', '7', '@', '.', '+', '-', '_', ' ', '€', '😀',
        ] {
            assert!(!is_hidden(c), "{c:?}");
        }
    }
}
