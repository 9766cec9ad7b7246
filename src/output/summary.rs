//! `summary.csv`: mean, sd and quantiles of every column over the
//! replications, computed block by block of columns so memory stays bounded
//! whatever the replication count. The statistics of party totals are kept
//! for the party tables and the terminal overview.

use super::atomic::TempFile;
use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::{ColumnKey, Metric, ScopeKind};
use crate::montecarlo::binfile::BinReader;
use crate::stats::{Summary, Value, summarize};
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

/// Memory for one column block of the summary pass; 10× the replications
/// means 10× narrower blocks, not 10× the memory.
const BLOCK_BUDGET_BYTES: usize = 16 << 20;

/// The columns of `summary.csv`, in order.
pub fn summary_columns() -> Vec<String> {
    super::export::columns::<SummaryRow>()
}

/// One row of `summary.csv`.
#[derive(Serialize, Default)]
struct SummaryRow<'a> {
    year: i32,
    municipality: Name<'a>,
    area: Name<'a>,
    provider: Name<'a>,
    care_form: Name<'a>,
    metric: Option<Metric>,
    mean: Value,
    sd: Value,
    p05: Value,
    p10: Value,
    p25: Value,
    p50: Value,
    p75: Value,
    p90: Value,
    p95: Value,
}

impl<'a> SummaryRow<'a> {
    fn new(key: &'a ColumnKey, s: &Summary) -> Self {
        let [p05, p10, p25, p50, p75, p90, p95] = s.quantiles;
        SummaryRow {
            year: key.year,
            municipality: Name(&key.municipality),
            area: Name(&key.area),
            provider: Name(&key.provider),
            care_form: Name(&key.care_form),
            metric: Some(key.metric),
            mean: s.mean,
            sd: s.sd,
            p05,
            p10,
            p25,
            p50,
            p75,
            p90,
            p95,
        }
    }
}

/// Summary statistics of the party totals (all care forms; region,
/// municipality or provider), keyed by (year, party name, metric name); and
/// of the region's per-form columns of the metrics `vacancy_surcharge.csv`
/// reads, keyed by (year, care form, metric name).
#[derive(Default)]
pub struct PartyStats(
    BTreeMap<(i32, String, String), Summary>,
    BTreeMap<(i32, String, String), Summary>,
);

/// Region per-form metrics kept for `vacancy_surcharge.csv`.
const FORM_METRICS: [Metric; 6] = [
    Metric::SurchargeVacancy,
    Metric::Occupancy,
    Metric::VacancyCostEur,
    Metric::CostEur,
    Metric::PaidSurchargeGivenEur,
    Metric::PaidSurchargeSimulatedEur,
];

impl PartyStats {
    /// The region's statistics of `metric` for one care form.
    pub fn form(&self, year: i32, form: &str, metric: Metric) -> Option<&Summary> {
        self.1.get(&(year, form.to_string(), metric.name()))
    }

    /// (year, care form) pairs with a region column of `metric`, in order.
    pub fn forms_with(&self, metric: Metric) -> Vec<(i32, &str)> {
        let metric = metric.name();
        self.1
            .keys()
            .filter(|(_, _, m)| *m == metric)
            .map(|(y, f, _)| (*y, f.as_str()))
            .collect()
    }

    pub fn get(&self, year: i32, name: &str, metric: Metric) -> Option<&Summary> {
        self.0.get(&(year, name.to_string(), metric.name()))
    }

    /// Years and names of the parties that have `metric`, in order.
    pub fn parties(&self, metric: Metric) -> Vec<(i32, &str)> {
        let metric = metric.name();
        let set: BTreeSet<(i32, &str)> = self
            .0
            .keys()
            .filter(|(_, _, m)| *m == metric)
            .map(|(y, n, _)| (*y, n.as_str()))
            .collect();
        set.into_iter().collect()
    }

    pub fn years(&self) -> BTreeSet<i32> {
        self.0.keys().map(|(y, _, _)| *y).collect()
    }
}

/// Writes `summary.csv` from the row file `bin` of `rows` replications.
pub fn write_summary(
    dir: &Path,
    bin: &Path,
    columns: &[ColumnKey],
    rows: usize,
) -> Result<PartyStats> {
    let mut stats = PartyStats::default();
    let mut table = TableWriter::create(&dir.join("summary.csv"), Format::Csv)?;
    let block = (BLOCK_BUDGET_BYTES / (8 * rows.max(1))).clamp(1, columns.len().max(1));
    let blocks = transpose_to_blocks(dir, bin, columns.len(), block)?;
    let mut values = vec![0.0f64; block * rows];
    for (b, tmp) in blocks.iter().enumerate() {
        let start = b * block;
        let width = block.min(columns.len() - start);
        read_block(tmp.path(), rows, width, &mut values)?;
        for c in 0..width {
            let key = &columns[start + c];
            let summary = summarize(&mut values[c * rows..(c + 1) * rows], key.money);
            table.write(&SummaryRow::new(key, &summary))?;
            if key.is_party_total() {
                let id = (key.year, key.scope().1.to_string(), key.metric.name());
                stats.0.insert(id, summary);
            } else if key.scope().0 == ScopeKind::Region && FORM_METRICS.contains(&key.metric) {
                let id = (key.year, key.care_form.clone(), key.metric.name());
                stats.1.insert(id, summary);
            }
        }
    }
    table.finish()?;
    Ok(stats)
}

/// Splits the row file into column blocks of `width` columns in one pass, so
/// that each block (all replications of `width` columns) fits the memory
/// budget and the row file is read once, whatever the replication count.
/// The block files are removed on every path (their guards).
fn transpose_to_blocks(
    dir: &Path,
    bin: &Path,
    columns: usize,
    width: usize,
) -> Result<Vec<TempFile>> {
    let paths: Vec<TempFile> = (0..columns.div_ceil(width))
        .map(|b| TempFile::guard(dir.join(format!(".summary-block-{b}.tmp"))))
        .collect();
    let mut writers = paths
        .iter()
        .map(|p| Ok(BufWriter::with_capacity(1 << 16, File::create(p.path())?)))
        .collect::<Result<Vec<_>>>()?;
    let mut reader = BinReader::open(bin)?;
    while let Some(row) = reader.next_row()? {
        for (b, w) in writers.iter_mut().enumerate() {
            for c in b * width..((b + 1) * width).min(columns) {
                w.write_all(&row.value(c).to_le_bytes())?;
            }
        }
    }
    for w in writers {
        w.into_inner().map_err(|e| e.into_error())?;
    }
    Ok(paths)
}

/// Reads one block file (row-major, replication by replication) into
/// `values` column by column, then removes it.
fn read_block(path: &Path, rows: usize, width: usize, values: &mut [f64]) -> Result<()> {
    let mut input = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut buf = vec![0u8; 8 * width];
    for r in 0..rows {
        input.read_exact(&mut buf)?;
        for (c, bytes) in buf.chunks_exact(8).enumerate() {
            values[c * rows + r] = f64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        }
    }
    drop(input);
    std::fs::remove_file(path)?;
    Ok(())
}
