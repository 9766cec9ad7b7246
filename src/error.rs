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
        let offset = offset.min(text.len());
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
            {
                let gutter = loc.line.to_string().len();
                write!(
                    f,
                    "\n{:gutter$} |\n{} | {}\n{:gutter$} | {:>col$}",
                    "",
                    loc.line,
                    printable(&loc.source_line),
                    "",
                    "^",
                    col = loc.column
                )?;
            }
        }
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {}", printable(fix))?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// Several input errors found in one pass (validation reports all it finds).
#[derive(Clone, Debug)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
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

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Internal(e)
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
    fn location_is_one_based() {
        let text = "a = 1\nbb = 2\n";
        let loc = Location::from_offset("f.toml", text, 6);
        assert_eq!((loc.line, loc.column), (2, 1));
        assert_eq!(loc.source_line, "bb = 2");
        let loc = Location::from_offset("f.toml", text, 11);
        assert_eq!((loc.line, loc.column), (2, 6));
    }
}
