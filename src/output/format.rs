//! How numbers and names appear in result files: euros with two decimals
//! (from exact cents), other numbers with six, and text cells made safe for
//! spreadsheets. Row structs hold these cell types, so the format of every
//! column is fixed by its type.

use crate::stats::Value;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// Cents → euros text with two decimals.
pub fn euros(cents: Decimal) -> String {
    let mut e = (cents / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    e.rescale(2);
    e.to_string()
}

/// Non-money numbers: six decimals (enough for shares of about 1 %), no
/// negative zero.
pub fn number(v: f64) -> String {
    let s = format!("{v:.6}");
    if s == "-0.000000" {
        "0.000000".to_string()
    } else {
        s
    }
}

/// Starts of a cell a spreadsheet would read as a formula, and the
/// apostrophe that protects them (protected itself, so the protection can
/// always be taken off again: see `cell_text`).
const PROTECTED_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Makes a text cell safe for spreadsheets: a leading `=`, `+`, `-` or `@`
/// would start a formula when the CSV is opened in Excel, so it is prefixed
/// with an apostrophe (as is a leading apostrophe). Numbers are never passed
/// through here.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(PROTECTED_STARTS) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The text a `safe_cell` cell stands for: a reader of our own CSV files
/// (the report, the workbook) takes the protecting apostrophe off again, so
/// names and labels are looked up and shown as the scenario gave them.
pub fn cell_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(PROTECTED_STARTS) => rest,
        _ => cell,
    }
}

impl Value {
    /// The text written to a result file.
    pub fn text(self) -> String {
        match self {
            Value::Cents(c) => euros(c),
            Value::Number(v) => number(v),
        }
    }

    /// The figure as written (rounded to cents or six decimals), for
    /// terminal tables that must agree with the files.
    pub fn as_written(self) -> f64 {
        self.text().parse().unwrap_or(f64::NAN)
    }
}

impl Default for Value {
    fn default() -> Self {
        Value::Number(0.0)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// A name cell (scope, care form, label), written through `safe_cell`.
#[derive(Clone, Debug, Default)]
pub struct Name<'a>(pub &'a str);

impl Serialize for Name<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&safe_cell(self.0))
    }
}

/// A float with exactly `D` decimals (negative zero kept as `-0.0…`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Fixed<const D: usize>(pub f64);

impl<const D: usize> Serialize for Fixed<D> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{:.*}", D, self.0))
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
        assert_eq!(safe_cell("'=x"), "''=x");
    }

    #[test]
    fn cell_text_takes_the_protection_off_again() {
        for name in [
            "=HYPERLINK(1)",
            "+cmd",
            "-x",
            "@a",
            "'=x",
            "'",
            "it's",
            "noord",
            "",
        ] {
            assert_eq!(cell_text(&safe_cell(name)), name);
        }
    }

    #[test]
    fn euros_round_exact_cents() {
        assert_eq!(euros(Decimal::new(-5, 0)), "-0.05");
        assert_eq!(
            Value::Cents(Decimal::from(601) / Decimal::from(3)).text(),
            "2.00"
        );
        assert_eq!(number(-0.0), "0.000000");
    }
}
