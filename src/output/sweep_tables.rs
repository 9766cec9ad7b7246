//! `sweep.csv` (point × year × scope × metric) and `tornado.csv` (per
//! parameter: the effect of its low and high value on expected cost and
//! P(overrun) in one year), read from the points' result folders.

use super::export::{Format, TableWriter, write_table};
use super::format::{Fixed, Name};
use crate::metrics::{ALL, Derived, Figure, Metric, ScopeKind};
use crate::sweep::{Mode, Parameter, Sweep};
use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub struct PointResult {
    pub index: usize,
    pub label: String,
    pub dir: PathBuf,
}

/// Metrics of `summary.csv` carried into `sweep.csv`.
const METRICS: [Metric; 5] = [
    Metric::CostEur,
    Metric::BalanceEur,
    Metric::ActiveEnd,
    Metric::WaitingEnd,
    Metric::WaitDaysMean,
];

/// The columns of a point's `summary.csv` that a sweep reads.
#[derive(Deserialize)]
struct SummaryRecord {
    year: String,
    municipality: String,
    area: String,
    provider: String,
    care_form: String,
    metric: String,
    mean: String,
    sd: String,
    p05: String,
    p50: String,
    p95: String,
}

/// The columns of a point's `feasibility.csv` that a sweep reads.
#[derive(Deserialize)]
struct FeasibilityRecord {
    year: String,
    scope: String,
    name: String,
    cost_mean_eur: String,
    p_overrun: String,
}

#[derive(Serialize, Default)]
struct SweepRow<'a> {
    point: usize,
    overrides: Name<'a>,
    year: String,
    scope: String,
    name: String,
    metric: Option<Figure>,
    mean: String,
    sd: Option<String>,
    p05: Option<String>,
    p50: Option<String>,
    p95: Option<String>,
}

#[derive(Serialize, Default)]
struct TornadoRow {
    parameter: String,
    year: String,
    low_value: String,
    high_value: String,
    cost_base_eur: Fixed<2>,
    cost_low_eur: Fixed<2>,
    cost_high_eur: Fixed<2>,
    cost_swing_eur: Fixed<2>,
    p_overrun_base: Fixed<6>,
    p_overrun_low: Fixed<6>,
    p_overrun_high: Fixed<6>,
}

fn records<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(reader.deserialize().collect::<Result<_, _>>()?)
}

/// (cost mean, P(overrun)) of the region in `year`, from a point's feasibility.csv.
fn region_at(dir: &Path, year: &str) -> Result<(f64, f64)> {
    let rows: Vec<FeasibilityRecord> = records(&dir.join("feasibility.csv"))?;
    let row = rows
        .iter()
        .find(|r| r.year == year && r.scope == ScopeKind::Region.name())
        .with_context(|| format!("no region row for {year} in {}", dir.display()))?;
    Ok((row.cost_mean_eur.parse()?, row.p_overrun.parse()?))
}

pub fn write_sweep_tables(out: &Path, sweep: &Sweep, points: &[PointResult]) -> Result<()> {
    let last_year = write_sweep(out, points)?;
    let base = points.iter().find(|p| p.index == 0 && p.label == "base");
    let rows = match (sweep.mode, base) {
        (Mode::OneAtATime, Some(base)) => {
            let year = sweep.year.map_or(last_year, |y| y.to_string());
            tornado_rows(sweep, points, base, &year)?
        }
        _ => Vec::new(),
    };
    write_table(&out.join("tornado.csv"), rows)
}

/// Writes `sweep.csv`; returns the last year seen (the tornado's default).
fn write_sweep(out: &Path, points: &[PointResult]) -> Result<String> {
    let mut table = TableWriter::create(&out.join("sweep.csv"), Format::Csv)?;
    let mut last_year = String::new();
    for point in points {
        let summary: Vec<SummaryRecord> = records(&point.dir.join("summary.csv"))?;
        for r in summary {
            let metric = METRICS.into_iter().find(|m| m.name() == r.metric);
            if r.care_form != ALL || r.area != ALL || metric.is_none() {
                continue;
            }
            let (scope, name) = if r.municipality != ALL {
                (ScopeKind::Municipality, r.municipality)
            } else if r.provider != ALL {
                (ScopeKind::Provider, r.provider)
            } else {
                (ScopeKind::Region, ScopeKind::Region.name().to_string())
            };
            table.write(&SweepRow {
                point: point.index,
                overrides: Name(&point.label),
                year: r.year,
                scope: scope.name().to_string(),
                name,
                metric: metric.map(Figure::Metric),
                mean: r.mean,
                sd: Some(r.sd),
                p05: Some(r.p05),
                p50: Some(r.p50),
                p95: Some(r.p95),
            })?;
        }
        let feasibility: Vec<FeasibilityRecord> = records(&point.dir.join("feasibility.csv"))?;
        for r in feasibility {
            last_year.clone_from(&r.year);
            table.write(&SweepRow {
                point: point.index,
                overrides: Name(&point.label),
                year: r.year,
                scope: r.scope,
                name: r.name,
                metric: Some(Figure::Derived(Derived::POverrun)),
                mean: r.p_overrun,
                ..SweepRow::default()
            })?;
        }
    }
    table.finish()?;
    Ok(last_year)
}

/// One row per parameter with both its low and high point, largest cost
/// swing first.
fn tornado_rows(
    sweep: &Sweep,
    points: &[PointResult],
    base: &PointResult,
    year: &str,
) -> Result<Vec<TornadoRow>> {
    let (cost_base, p_base) = region_at(&base.dir, year)?;
    let mut effects: Vec<(&Parameter, f64, f64, f64, f64)> = Vec::new();
    let mut next = 1;
    for parameter in &sweep.parameters {
        let range = next..next + parameter.values.len();
        next = range.end;
        let find = |i: usize| points.iter().find(|p| p.index == i);
        let (Some(low), Some(high)) = (find(range.start), find(range.end - 1)) else {
            continue;
        };
        let (cost_low, p_low) = region_at(&low.dir, year)?;
        let (cost_high, p_high) = region_at(&high.dir, year)?;
        effects.push((parameter, cost_low, cost_high, p_low, p_high));
    }
    effects.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
    let rows = effects
        .into_iter()
        .map(|(parameter, cost_low, cost_high, p_low, p_high)| {
            let values = &parameter.values;
            TornadoRow {
                parameter: parameter.path.clone(),
                year: year.to_string(),
                low_value: values[0].to_string(),
                high_value: values[values.len() - 1].to_string(),
                cost_base_eur: Fixed(cost_base),
                cost_low_eur: Fixed(cost_low),
                cost_high_eur: Fixed(cost_high),
                cost_swing_eur: Fixed(cost_high - cost_low),
                p_overrun_base: Fixed(p_base),
                p_overrun_low: Fixed(p_low),
                p_overrun_high: Fixed(p_high),
            }
        })
        .collect();
    Ok(rows)
}
