//! The result tables of a run built as its rows arrive: [`Tables`] takes
//! each row in replication order (on the run's writer thread, while the
//! workers simulate the next replications, or from the row file when
//! `merge` rebuilds a folder) and keeps what every table needs — the
//! summary's column blocks, `replications.csv` and the feasibility sums, the
//! moments for `uncertainty.csv`, the sums for `decomposition.csv` — so that
//! after the last replication only the quantile pass over the blocks and the
//! small tables remain ([`super::results::finish`]). Each table sees the
//! same values in the same order as a pass over the row file would, so the
//! files are the same bytes either way.

use super::decomposition::Decomposition;
use super::feasibility::Feasibility;
use super::summary::Blocks;
use super::uncertainty::Variance;
use crate::error::InputError;
use crate::metrics::ColumnKey;
use crate::montecarlo::RowSink;
use anyhow::Result;
use std::path::Path;

/// Largest money value (cents) a row may hold: 2^53, the largest integer an
/// f64 holds exactly — the bound the row file's reader checks, checked here
/// too because a run's tables no longer read its rows back.
const MAX_CENTS: f64 = 9_007_199_254_740_992.0;

/// What the tables of one result folder collect, row by row.
pub struct Tables<'k> {
    pub(super) columns: &'k [ColumnKey],
    money: Vec<usize>,
    pub(super) rows: usize,
    added: usize,
    pub(super) blocks: Blocks,
    pub(super) feasibility: Feasibility<'k>,
    pub(super) variance: Variance,
    pub(super) decomposition: Decomposition,
}

impl<'k> Tables<'k> {
    /// Starts the tables in `dir` for `rows` rows of `columns`; `twin`: the
    /// rows come with the parameters-at-their-mean twin's.
    pub fn create(dir: &Path, columns: &'k [ColumnKey], rows: usize, twin: bool) -> Result<Self> {
        Ok(Tables {
            columns,
            money: (0..columns.len()).filter(|&c| columns[c].money).collect(),
            rows,
            added: 0,
            blocks: Blocks::create(dir, columns.len(), rows)?,
            feasibility: Feasibility::create(dir, columns, rows)?,
            variance: Variance::new(columns, twin),
            decomposition: Decomposition::new(columns),
        })
    }

    /// The twin's columns (the headline party totals), in order.
    pub fn twin_keys(&self) -> &[ColumnKey] {
        self.variance.twin_keys()
    }

    /// One replication's row (and its twin's), in replication order.
    pub fn add(&mut self, replication: u64, values: &[f64], twin: Option<&[f64]>) -> Result<()> {
        self.check_money(replication, values)?;
        self.blocks.add(values)?;
        self.feasibility.add(replication, values)?;
        self.variance.add(values, twin);
        self.decomposition.add(values);
        self.added += 1;
        Ok(())
    }

    /// Rows added so far.
    pub fn added(&self) -> usize {
        self.added
    }

    /// Money values are whole cents within ±`MAX_CENTS`, which keeps every
    /// exact-decimal statistic within `rust_decimal`'s range.
    fn check_money(&self, replication: u64, values: &[f64]) -> Result<()> {
        for &c in &self.money {
            let v = values[c];
            if !(v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_CENTS) {
                let key = &self.columns[c];
                return Err(InputError::new(format!(
                    "replication {replication} holds {v} for {} {} (money must be whole cents within ±{MAX_CENTS})",
                    key.year,
                    key.metric.name()
                ))
                .into());
            }
        }
        Ok(())
    }
}

impl RowSink for Tables<'_> {
    fn row(&mut self, replication: u64, values: &[f64], twin: Option<&[f64]>) -> Result<()> {
        self.add(replication, values, twin)
    }
}
