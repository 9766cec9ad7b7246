//! `required.csv`: the answers of `jeugdstroom required` — per target, the
//! change of one lever that brings P(cost > lumpsum) to it, with its 95 %
//! interval and the probability confirmed on fresh replications.

use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::ScopeKind;
use crate::stats::Value;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;

pub const FILE_NAME: &str = "required.csv";

/// One answer. `change` is the lever's effect (a fraction: −0.041 is
/// −4.1 %); `status` is `found`, `already_met` (P is below the target
/// without the lever, which can only lower cost) or `unreachable` (not
/// within the lever's range; `change` is then the range end tried).
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredRow {
    pub lever: &'static str,
    pub year: i32,
    pub scope: ScopeKind,
    pub name: String,
    pub target_p_overrun: f64,
    pub change: f64,
    pub change_ci95_low: f64,
    pub change_ci95_high: f64,
    pub p_overrun_confirmed: f64,
    pub from_year: i32,
    pub status: &'static str,
}

/// How a row is written: fractions with six decimals, names spreadsheet-safe.
#[derive(Serialize, Default)]
struct Written<'a> {
    lever: &'a str,
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    target_p_overrun: Value,
    change: Value,
    change_ci95_low: Value,
    change_ci95_high: Value,
    p_overrun_confirmed: Value,
    from_year: i32,
    status: &'a str,
}

/// Writes `required.csv` in `dir` (atomically).
pub fn write(dir: &Path, rows: &[RequiredRow]) -> Result<()> {
    let mut table = TableWriter::create(&dir.join(FILE_NAME), Format::Csv)?;
    for r in rows {
        table.write(&Written {
            lever: r.lever,
            year: r.year,
            scope: r.scope,
            name: Name(&r.name),
            target_p_overrun: Value::Number(r.target_p_overrun),
            change: Value::Number(r.change),
            change_ci95_low: Value::Number(r.change_ci95_low),
            change_ci95_high: Value::Number(r.change_ci95_high),
            p_overrun_confirmed: Value::Number(r.p_overrun_confirmed),
            from_year: r.from_year,
            status: r.status,
        })?;
    }
    table.finish()
}
