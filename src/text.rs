//! User text on its way to a terminal: names, paths, echoed source lines and
//! messages may hold control characters (ESC starts an escape sequence, BEL
//! rings, CR and newlines overwrite or fake lines, bidirectional overrides
//! reorder what is shown). They are shown as U+FFFD, one character for one,
//! so table widths and the caret under an echoed line stay aligned. Tabs stay.

use std::borrow::Cow;
use std::path::Path;

/// The replacement shown for a character a terminal would act on.
pub const REPLACEMENT: char = '\u{fffd}';

/// Whether a terminal would act on `c` instead of showing it.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character (except tab) and bidirectional
/// override replaced by U+FFFD; borrowed when nothing needed replacing.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let replace = |c| if acts_on_terminal(c) { REPLACEMENT } else { c };
    Cow::Owned(text.chars().map(replace).collect())
}

/// A path as `printable` shows it.
pub fn printable_path(path: &Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_bells_and_newlines_are_neutralised() {
        assert_eq!(printable("noord"), "noord");
        assert!(matches!(printable("Nieuw-West/Zuid €"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}[31mb\u{7}"), "a\u{fffd}[31mb\u{fffd}");
        assert_eq!(printable("x\ny\rz\u{9b}"), "x\u{fffd}y\u{fffd}z\u{fffd}");
        assert_eq!(printable("a\u{202e}b\tc"), "a\u{fffd}b\tc");
    }
}
