//! `sweep.csv` (point × year × scope × metric) and `tornado.csv` (per
//! parameter: the effect of its low and high value on expected cost and
//! P(overrun) in one year), read from the points' result folders.

use super::atomic::AtomicFile;
use super::safe_cell;
use crate::sweep::{Mode, Sweep};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

pub struct PointResult {
    pub index: usize,
    pub label: String,
    pub dir: PathBuf,
}

const METRICS: [&str; 5] = [
    "cost_eur",
    "balance_eur",
    "active_end",
    "waiting_end",
    "wait_days_mean",
];

fn records(path: &Path) -> Result<Vec<csv::StringRecord>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(reader.records().collect::<Result<_, _>>()?)
}

/// (cost mean, P(overrun)) of the region in `year`, from a point's feasibility.csv.
fn region_at(dir: &Path, year: &str) -> Result<(f64, f64)> {
    let rows = records(&dir.join("feasibility.csv"))?;
    let row = rows
        .iter()
        .find(|r| &r[0] == year && &r[1] == "region")
        .with_context(|| format!("no region row for {year} in {}", dir.display()))?;
    Ok((row[4].parse()?, row[7].parse()?))
}

pub fn write_sweep_tables(out: &Path, sweep: &Sweep, points: &[PointResult]) -> Result<()> {
    let mut file = AtomicFile::create(&out.join("sweep.csv"))?;
    let mut last_year = String::new();
    {
        let mut w = csv::Writer::from_writer(file.writer());
        w.write_record([
            "point",
            "overrides",
            "year",
            "scope",
            "name",
            "metric",
            "mean",
            "sd",
            "p05",
            "p50",
            "p95",
        ])?;
        for point in points {
            let label = safe_cell(&point.label).into_owned();
            for r in records(&point.dir.join("summary.csv"))? {
                // year,municipality,area,provider,care_form,metric,mean,sd,p05,p10,p25,p50,p75,p90,p95
                if &r[4] != "all" || &r[2] != "all" || !METRICS.contains(&&r[5]) {
                    continue;
                }
                let (scope, name) = if &r[1] != "all" {
                    ("municipality", &r[1])
                } else if &r[3] != "all" {
                    ("provider", &r[3])
                } else {
                    ("region", "region")
                };
                let index = point.index.to_string();
                w.write_record([
                    &index, &label, &r[0], scope, name, &r[5], &r[6], &r[7], &r[8], &r[11], &r[14],
                ])?;
            }
            for r in records(&point.dir.join("feasibility.csv"))? {
                let index = point.index.to_string();
                w.write_record([
                    &index,
                    &label,
                    &r[0],
                    &r[1],
                    &r[2],
                    "p_overrun",
                    &r[7],
                    "",
                    "",
                    "",
                    "",
                ])?;
                last_year = r[0].to_string();
            }
        }
        w.flush()?;
    }
    file.commit()?;

    let mut file = AtomicFile::create(&out.join("tornado.csv"))?;
    {
        let mut w = csv::Writer::from_writer(file.writer());
        w.write_record([
            "parameter",
            "year",
            "low_value",
            "high_value",
            "cost_base_eur",
            "cost_low_eur",
            "cost_high_eur",
            "cost_swing_eur",
            "p_overrun_base",
            "p_overrun_low",
            "p_overrun_high",
        ])?;
        let base = points.iter().find(|p| p.index == 0 && p.label == "base");
        if let (Mode::OneAtATime, Some(base)) = (sweep.mode, base) {
            let year = sweep.year.map_or(last_year, |y| y.to_string());
            let (cost_base, p_base) = region_at(&base.dir, &year)?;
            let mut rows = Vec::new();
            let mut next = 1;
            for parameter in &sweep.parameters {
                let range = next..next + parameter.values.len();
                next = range.end;
                let find = |i: usize| points.iter().find(|p| p.index == i);
                let (Some(low), Some(high)) = (find(range.start), find(range.end - 1)) else {
                    continue;
                };
                let (cost_low, p_low) = region_at(&low.dir, &year)?;
                let (cost_high, p_high) = region_at(&high.dir, &year)?;
                rows.push((parameter, cost_low, cost_high, p_low, p_high));
            }
            rows.sort_by(|a, b| (b.2 - b.1).abs().total_cmp(&(a.2 - a.1).abs()));
            for (parameter, cost_low, cost_high, p_low, p_high) in rows {
                let values = &parameter.values;
                w.write_record([
                    parameter.path.clone(),
                    year.clone(),
                    values[0].to_string(),
                    values[values.len() - 1].to_string(),
                    format!("{cost_base:.2}"),
                    format!("{cost_low:.2}"),
                    format!("{cost_high:.2}"),
                    format!("{:.2}", cost_high - cost_low),
                    format!("{p_base:.6}"),
                    format!("{p_low:.6}"),
                    format!("{p_high:.6}"),
                ])?;
            }
        }
        w.flush()?;
    }
    file.commit()
}
