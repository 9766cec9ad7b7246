//! `uncertainty.csv`: for each headline metric of each party and year, its
//! mean and standard deviation over the replications and the share of its
//! variance that comes from parameter uncertainty.
//!
//! By the law of total variance, Var(Y) = E[Var(Y | θ)] + Var(E[Y | θ]).
//! The twin run with every parameter at its mean, on the same client
//! streams, estimates the first term (the clients' randomness alone), so
//! share_parameter = max(0, 1 − Var(twin) / Var(Y)). Without uncertain
//! parameters there is no twin and the share is 0. Everything is read from
//! the row files, so a merged result equals a single run byte for byte.

use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::{ColumnKey, Metric, ScopeKind};
use crate::montecarlo::rowfile::RowReader;
use crate::montecarlo::{TWIN_FILE, twin_columns};
use crate::stats::Value;
use anyhow::Result;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;
use std::ops::Range;
use std::path::Path;

/// File name of the variance split in a result folder.
pub const FILE_NAME: &str = "uncertainty.csv";

#[derive(Serialize, Default)]
struct UncertaintyRow<'a> {
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    metric: Option<Metric>,
    mean: Value,
    sd: Value,
    share_parameter: Value,
}

/// Running sums of one column (exact cents for money, Welford otherwise).
#[derive(Clone, Default)]
struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    cents: i128,
}

impl Moments {
    fn add(&mut self, v: f64) {
        self.n += 1;
        let d = v - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (v - self.mean);
        self.cents += v as i128;
    }

    /// Sample variance (n − 1); 0 below two values.
    fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }
}

/// The running moments of the headline columns of the rows, and of the
/// twin's rows when there is a twin, added row by row as the replications
/// finish; [`Variance::finish`] writes `uncertainty.csv`.
pub struct Variance {
    columns: Vec<usize>,
    keys: Vec<ColumnKey>,
    total: Vec<Moments>,
    twin: Option<Vec<Moments>>,
}

impl Variance {
    /// Moments of the headline columns of `columns`, and of a twin's when `twin`.
    pub fn new(columns: &[ColumnKey], twin: bool) -> Variance {
        let headline = twin_columns(columns);
        let n = headline.len();
        Variance {
            keys: headline.iter().map(|&c| columns[c].clone()).collect(),
            columns: headline,
            total: vec![Moments::default(); n],
            twin: twin.then(|| vec![Moments::default(); n]),
        }
    }

    /// The columns a twin's rows hold, in order.
    pub fn twin_keys(&self) -> &[ColumnKey] {
        &self.keys
    }

    /// One replication: its row and, with a twin, the twin's row.
    pub fn add(&mut self, values: &[f64], twin: Option<&[f64]>) {
        for (m, &c) in self.total.iter_mut().zip(&self.columns) {
            m.add(values[c]);
        }
        if let (Some(moments), Some(twin)) = (self.twin.as_mut(), twin) {
            for (m, &v) in moments.iter_mut().zip(twin) {
                m.add(v);
            }
        }
    }

    /// Writes `uncertainty.csv` into `dir`.
    pub fn finish(self, dir: &Path) -> Result<()> {
        let (keys, total, twin) = (&self.keys, &self.total, &self.twin);
        let mut table = TableWriter::create(&dir.join(FILE_NAME), Format::Csv)?;
        for (i, key) in keys.iter().enumerate() {
            let m = &total[i];
            let var = m.variance();
            let share = match &twin {
                Some(t) if var > 0.0 => (1.0 - t[i].variance() / var).max(0.0),
                _ => 0.0,
            };
            let (scope, name) = key.scope();
            let (mean, sd) = if key.money {
                let n = Decimal::from(m.n.max(1));
                let sd = Decimal::from_f64(var.sqrt()).unwrap_or_default();
                (
                    Value::Cents(Decimal::from_i128_with_scale(m.cents, 0) / n),
                    Value::Cents(sd),
                )
            } else {
                (Value::Number(m.mean), Value::Number(var.sqrt()))
            };
            table.write(&UncertaintyRow {
                year: key.year,
                scope,
                name: Name(name),
                metric: Some(key.metric),
                mean,
                sd,
                share_parameter: Value::Number(share),
            })?;
        }
        table.finish()
    }
}

/// The twin's row file beside `bin` in `dir`, checked to hold the rows of
/// `range` and the headline columns `keys`; `None` without a twin.
pub fn open_twin(dir: &Path, range: Range<u64>, keys: &[ColumnKey]) -> Result<Option<RowReader>> {
    let twin_path = dir.join(TWIN_FILE);
    if !twin_path.exists() {
        return Ok(None);
    }
    let reader = RowReader::open(&twin_path)?.expect_replications(range)?;
    if reader.columns != keys {
        return Err(crate::error::InputError::new(
            "the twin's columns differ from the headline columns",
        )
        .in_file(&twin_path)
        .fix("re-run (or re-merge) the result that wrote this file; it is damaged")
        .into());
    }
    Ok(Some(reader))
}
