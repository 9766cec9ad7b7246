//! The per-replication result file (`replications.parquet`): every metric
//! of every replication as a tidy long Parquet table, one row per
//! replication × column (`replication, year, municipality, area, provider,
//! care_form, metric, value, column`), the file researchers open directly in
//! pandas, polars, DuckDB or R and the file `merge` concatenates.
//!
//! Rows stream to disk as replications finish: the writer buffers one row
//! group (a batch of replications, bounded in bytes) and the reader decodes
//! one row group at a time, so memory does not grow with the replication
//! count. Within a row group the rows are cell-major (all replications of
//! one column together) and the columns are sorted by metric, care form,
//! scope and year: values of one cell across replications then sit side by
//! side, which is what lets the compressor find the constant and nearly
//! constant ones (measured in `docs/benchmarks.md`, "Parquet results").
//!
//! Money values are whole cents, as the statistics need them exactly; the
//! file names those metrics `…_cents` instead of `…_eur` so nobody reads
//! cents as euros. The `column` field is the column's position in the tool's
//! order, which the reader restores (the order of `summary.csv`).

mod footer;
mod reader;
mod writer;

pub use reader::RowReader;
pub use writer::RowWriter;

use crate::error::InputError;
use crate::metrics::{ColumnKey, Metric};
use std::collections::HashMap;
use std::path::Path;

pub const FILE_NAME: &str = "replications.parquet";

/// Key-value metadata: the layout version of this file (bumped when the
/// schema or the row order changes), the number of columns per
/// replication, and (only in a file without replications, which has no rows
/// to carry them) the column keys as JSON.
const FORMAT_KEY: &str = "jeugdstroom.format";
const FORMAT: &str = "1";
const COLUMNS_KEY: &str = "jeugdstroom.columns";
const KEYS_KEY: &str = "jeugdstroom.keys";
/// `created_by` in the footer: fixed, so that equal results are equal
/// bytes whatever build wrote them (the manifest records the version).
const CREATED_BY: &str = "jeugdstroom";

/// The Parquet schema, in file order.
const SCHEMA: &str = "message replications {
  required int64 replication;
  required int32 year;
  required binary municipality (STRING);
  required binary area (STRING);
  required binary provider (STRING);
  required binary care_form (STRING);
  required binary metric (STRING);
  required double value;
  required int32 column;
}";

/// Field positions in [`SCHEMA`].
const REPLICATION: usize = 0;
const YEAR: usize = 1;
/// The text fields: municipality, area, provider, care form, metric.
const TEXTS: [usize; 5] = [2, 3, 4, 5, 6];
const VALUE: usize = 7;
const COLUMN: usize = 8;
const FIELDS: usize = 9;

/// Values (replications × columns) in one row group: 2^21 doubles, 16 MiB,
/// the memory the writer and the reader hold. The default scenario's
/// 32,400 columns give 64 replications per row group.
const GROUP_VALUES: usize = 1 << 21;
/// Most columns a file may declare: bounds what a damaged file can make
/// the reader allocate (the national scenario has about 10^6).
const MAX_COLUMNS: usize = 1 << 24;
/// Rows a column is written and read in at a time.
const BATCH: usize = 1 << 16;

/// Replications per row group for a file of `columns` columns.
fn group_replications(columns: usize) -> usize {
    (GROUP_VALUES / columns.max(1)).max(1)
}

/// Largest money value (cents) a row may hold: 2^53, the largest integer an
/// f64 holds exactly (about €90 trillion). Bounded, integral money values
/// keep every exact-decimal statistic within `rust_decimal`'s range.
pub const MAX_CENTS: f64 = 9_007_199_254_740_992.0;

/// The name a metric has in the file: money metrics in cents.
fn file_metric_name(metric: Metric) -> String {
    let name = metric.name();
    match name.strip_suffix("_eur") {
        Some(stem) if metric.is_money() => format!("{stem}_cents"),
        _ => name,
    }
}

/// Every metric by its name in the file.
fn metrics_by_file_name() -> HashMap<Vec<u8>, Metric> {
    Metric::all()
        .into_iter()
        .map(|m| (file_metric_name(m).into_bytes(), m))
        .collect()
}

/// A damaged or unreadable row file.
fn damaged(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    InputError::new(format!("replication file: {what}"))
        .in_file(path)
        .fix("re-run (or re-merge) the result that wrote this file; it is damaged or incomplete")
        .into()
}

/// The order rows are written in within a row group: the tool's columns
/// sorted by metric, care form, scope and year (similar values together).
fn file_order(columns: &[ColumnKey]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..columns.len() as u32).collect();
    let names: Vec<String> = columns.iter().map(|k| file_metric_name(k.metric)).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (&columns[a as usize], &columns[b as usize]);
        (
            &names[a as usize],
            &ka.care_form,
            &ka.municipality,
            &ka.area,
        )
            .cmp(&(
                &names[b as usize],
                &kb.care_form,
                &kb.municipality,
                &kb.area,
            ))
            .then((&ka.provider, ka.year, a).cmp(&(&kb.provider, kb.year, b)))
    });
    order
}

/// One replication's values, in the column order of the file's keys.
pub struct Row<'a> {
    replication: u64,
    values: &'a [f64],
}

impl Row<'_> {
    pub fn replication(&self) -> u64 {
        self.replication
    }

    pub fn value(&self, column: usize) -> f64 {
        self.values[column]
    }

    pub fn values(&self) -> &[f64] {
        self.values
    }
}
