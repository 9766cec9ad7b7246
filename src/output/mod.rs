//! Result files: every file is written under a temporary name and renamed
//! into place; `manifest.json` comes last, so a directory without it is
//! known to be incomplete.

mod atomic;
pub mod comparison;
pub mod manifest;
mod results;
pub mod sweep_tables;
mod table;
mod tables;
pub mod views;

pub use atomic::{AtomicFile, prepare_out_dir};
pub use manifest::Manifest;
pub use results::{Overview, YearOverview, finalize};
pub use table::print_overview;

/// Makes a text cell safe for spreadsheets: a leading `=`, `+`, `-` or `@`
/// would start a formula when the CSV is opened in Excel, so it is prefixed
/// with an apostrophe. Numbers are never passed through here.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("noord"), "noord");
    }
}
