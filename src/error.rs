//! Errors split by who must act: bad input (exit 2, the user fixes their
//! file or flags) and internal failures (exit 1, a bug or the machine).

use crate::text::printable;
use std::fmt;
use std::path::Path;

/// Where in a source file an input error sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The text of that line, shown under the message with a caret.
    pub source_line: String,
}

impl Location {
    /// Location of byte `offset` in `text`, with 1-based line and column.
    pub fn from_offset(file: &str, text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        let source_line = text[line_start..].lines().next().unwrap_or("").to_string();
        Location {
            file: file.to_string(),
            line,
            column,
            source_line,
        }
    }
}

/// A problem with what the user gave us, worded so they can fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub message: String,
    /// Dotted path of the offending field, e.g. `care_forms.secure.tariff`.
    pub field: Option<String>,
    pub location: Option<Box<Location>>,
    pub fix: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            message: message.into(),
            field: None,
            location: None,
            fix: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(Box::new(location));
        self
    }

    /// An error about a whole file (no line), e.g. one that cannot be read.
    pub fn in_file(mut self, path: &Path) -> Self {
        self.location = Some(Box::new(Location {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            source_line: String::new(),
        }));
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}:{}:{}: ", printable(&loc.file), loc.line, loc.column)?;
        }
        write!(f, "{}", printable(&self.message))?;
        if let Some(field) = &self.field {
            write!(f, "\n  field: {}", printable(field))?;
        }
        if let Some(loc) = self.location.as_ref().filter(|l| !l.source_line.is_empty()) {
            let gutter = loc.line.to_string().len();
            let (shown, caret) = window(&loc.source_line, loc.column);
            let shown = printable(&shown);
            write!(
                f,
                "\n{:gutter$} |\n{} | {shown}\n{:gutter$} | {:>caret$}",
                "", loc.line, "", "^"
            )?;
        }
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {}", printable(fix))?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Most characters of a source line echoed under an error; a longer line is
/// shown as a window of this many characters around the column.
pub const MAX_ECHOED_CHARS: usize = 120;

/// The part of `line` echoed under an error and the caret's 1-based column
/// in it: the whole line when short, else a window of `MAX_ECHOED_CHARS`
/// characters around `column`, cut ends marked with `…`. Any line length
/// and column (even past the line's end) gives a short, aligned caret.
fn window(line: &str, column: usize) -> (String, usize) {
    let chars = line.chars().count();
    let column = column.clamp(1, chars + 1);
    if chars <= MAX_ECHOED_CHARS {
        return (line.to_string(), column);
    }
    let half = MAX_ECHOED_CHARS / 2;
    let start = (column - 1)
        .saturating_sub(half)
        .min(chars - MAX_ECHOED_CHARS);
    let end = start + MAX_ECHOED_CHARS;
    let mut shown: String = line.chars().skip(start).take(MAX_ECHOED_CHARS).collect();
    let mut caret = column - start;
    if start > 0 {
        shown.insert(0, '…');
        caret += 1;
    }
    if end < chars {
        shown.push('…');
    }
    (shown, caret)
}

/// Several input errors found in one pass (validation reports all it finds).
#[derive(Clone, Debug)]
pub struct InputErrors(pub Vec<InputError>);

impl std::error::Error for InputErrors {}

impl fmt::Display for InputErrors {
    /// Each distinct error once: a check that runs per year of a profile
    /// finds the same problem at the same place for every year of an
    /// inline table (found by the fuzz harness: `{ 2028 = inf, 2029 = inf }`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if self.0[..i].contains(e) {
                continue;
            }
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

/// Top-level error of a command; decides the exit code.
#[derive(Debug)]
pub enum Error {
    Input(InputErrors),
    Internal(anyhow::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Internal(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => write!(f, "{e}"),
            Error::Internal(e) => write!(f, "error: internal: {}", printable(&format!("{e:#}"))),
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(InputErrors(vec![e]))
    }
}

impl From<InputErrors> for Error {
    fn from(e: InputErrors) -> Self {
        Error::Input(e)
    }
}

/// An `InputError` (or several) raised below an `anyhow` boundary, e.g. by a
/// reader of result files, stays bad input (exit 2); anything else is internal.
impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<InputError>() {
            Ok(input) => input.into(),
            Err(e) => match e.downcast::<InputErrors>() {
                Ok(inputs) => inputs.into(),
                Err(e) => Error::Internal(e),
            },
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Internal(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_error_twice_is_printed_once() {
        let e = InputError::new("bad").field("lumpsum.region");
        let shown = InputErrors(vec![e.clone(), InputError::new("other"), e]).to_string();
        assert_eq!(shown, "error: bad\n  field: lumpsum.region\nerror: other");
    }

    #[test]
    fn location_is_one_based() {
        let text = "a = 1\nbb = 2\n";
        let loc = Location::from_offset("f.toml", text, 6);
        assert_eq!((loc.line, loc.column), (2, 1));
        assert_eq!(loc.source_line, "bb = 2");
        let loc = Location::from_offset("f.toml", text, 11);
        assert_eq!((loc.line, loc.column), (2, 6));
    }

    #[test]
    fn offset_inside_a_character_is_not_a_panic() {
        let loc = Location::from_offset("f.toml", "é = 1", 1);
        assert_eq!((loc.line, loc.column), (1, 1));
    }

    #[test]
    fn long_lines_are_echoed_as_a_window_around_the_column() {
        for (len, column) in [
            (10, 11),
            (200_000, 150_000),
            (200_000, 1),
            (200_000, 400_000),
        ] {
            let line: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let (shown, caret) = window(&line, column);
            assert!(
                shown.chars().count() <= MAX_ECHOED_CHARS + 2,
                "{len} {column}"
            );
            assert!(caret >= 1 && caret <= shown.chars().count() + 1);
            let at = column.clamp(1, len + 1) - 1;
            if at < len {
                let want = line.chars().nth(at);
                assert_eq!(shown.chars().nth(caret - 1), want, "{len} {column}");
            }
        }
        let loc = Location {
            file: "f".into(),
            line: 1,
            column: 70_000,
            source_line: "x".repeat(80_000),
        };
        let text = InputError::new("m").at(loc).to_string();
        assert!(text.len() < 1_000, "{}", text.len());
    }
}
