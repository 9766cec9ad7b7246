//! `summary.csv`: mean, sd and quantiles of every column over the
//! replications, computed block by block of columns so memory stays bounded
//! whatever the replication count. The statistics of party totals are kept
//! for the party tables and the terminal overview.

use super::atomic::TempFile;
use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::{ColumnKey, Metric, ScopeKind};
use crate::stats::{Summary, Value, summarize};
use anyhow::Result;
use rayon::prelude::*;
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

/// The summary's column blocks, filled row by row as the replications
/// finish: each block file holds all replications of `width` columns, so
/// that the quantile pass afterwards reads one block at a time within the
/// memory budget, whatever the replication count. The block files are
/// removed on every path (their guards).
pub struct Blocks {
    files: Vec<TempFile>,
    writers: Vec<BufWriter<File>>,
    width: usize,
    columns: usize,
    rows: usize,
    bytes: Vec<u8>,
}

impl Blocks {
    /// Empty block files in `dir` for `rows` rows of `columns` columns.
    pub fn create(dir: &Path, columns: usize, rows: usize) -> Result<Blocks> {
        let width = (BLOCK_BUDGET_BYTES / (8 * rows.max(1))).clamp(1, columns.max(1));
        let files: Vec<TempFile> = (0..columns.div_ceil(width))
            .map(|b| TempFile::guard(dir.join(format!(".summary-block-{b}.tmp"))))
            .collect();
        let writers = files
            .iter()
            .map(|p| Ok(BufWriter::with_capacity(1 << 16, File::create(p.path())?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Blocks {
            files,
            writers,
            width,
            columns,
            rows,
            bytes: Vec::with_capacity(8 * width),
        })
    }

    /// Appends one row (all columns) to the blocks.
    pub fn add(&mut self, values: &[f64]) -> Result<()> {
        debug_assert_eq!(values.len(), self.columns);
        for (w, chunk) in self.writers.iter_mut().zip(values.chunks(self.width)) {
            self.bytes.clear();
            self.bytes
                .extend(chunk.iter().flat_map(|v| v.to_le_bytes()));
            w.write_all(&self.bytes)?;
        }
        Ok(())
    }

    /// Flushes the block files; they are then ready for [`write_summary`].
    pub fn finish(mut self) -> Result<Blocks> {
        for w in self.writers.drain(..) {
            w.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(self)
    }
}

/// Writes `summary.csv` from the finished column blocks of `columns`. The
/// blocks are summarised in parallel (each holds whole columns, and each
/// column's statistics depend on its values only), then written in order.
pub fn write_summary(dir: &Path, blocks: Blocks, columns: &[ColumnKey]) -> Result<PartyStats> {
    let (rows, width) = (blocks.rows, blocks.width);
    let summaries: Vec<Vec<Summary>> = blocks
        .files
        .par_iter()
        .enumerate()
        .map(|(b, tmp)| {
            let keys = &columns[b * width..((b + 1) * width).min(columns.len())];
            let mut values = vec![0.0f64; keys.len() * rows];
            read_block(tmp.path(), rows, keys.len(), &mut values)?;
            Ok(keys
                .iter()
                .enumerate()
                .map(|(c, key)| summarize(&mut values[c * rows..(c + 1) * rows], key.money))
                .collect())
        })
        .collect::<Result<_>>()?;
    let mut stats = PartyStats::default();
    let mut table = TableWriter::create(&dir.join("summary.csv"), Format::Csv)?;
    for (key, summary) in columns.iter().zip(summaries.into_iter().flatten()) {
        table.write(&SummaryRow::new(key, &summary))?;
        if key.is_party_total() {
            let id = (key.year, key.scope().1.to_string(), key.metric.name());
            stats.0.insert(id, summary);
        } else if key.scope().0 == ScopeKind::Region && FORM_METRICS.contains(&key.metric) {
            let id = (key.year, key.care_form.clone(), key.metric.name());
            stats.1.insert(id, summary);
        }
    }
    table.finish()?;
    Ok(stats)
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
