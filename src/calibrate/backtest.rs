//! Scoring a forecast against held-out years: does the actual value fall in
//! the simulated 50 %, 80 % and 90 % intervals as often as they claim, and
//! how far is the mean off (mean absolute percentage error)?

use super::history::{History, HistoryRow, totals};
use crate::error::Error;
use crate::metrics::Metric;
use crate::output::AtomicFile;
use crate::output::export::write_table;
use crate::output::format::{Fixed, Name};
use crate::report::charts::{self, Axes, Fan, PALETTE};
use crate::report::data::{Run, Stat};
use crate::report::{Lang, html};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// What is compared: a history column (of the user's history file, see
/// `history`) and the simulated metric it is scored against.
const PAIRS: [(Actual, Metric); 3] = [
    (Actual::Started, Metric::Starts),
    (Actual::InCareEnd, Metric::ActiveEnd),
    (Actual::CostEur, Metric::CostEur),
];

/// A column of the history's totals.
#[derive(Clone, Copy)]
enum Actual {
    Started,
    InCareEnd,
    CostEur,
}

impl Actual {
    fn of(self, row: &HistoryRow) -> Option<f64> {
        match self {
            Actual::Started => Some(row.started),
            Actual::InCareEnd => Some(row.in_care_end),
            Actual::CostEur => row.cost_eur,
        }
    }
}
/// The bounds of a central interval of a forecast.
type Bounds = fn(&Stat) -> (f64, f64);

/// Nominal interval coverages and their quantile bounds.
pub const LEVELS: [(f64, Bounds); 3] = [
    (0.5, |s| (s.p25, s.p75)),
    (0.8, |s| (s.p10, s.p90)),
    (0.9, |s| (s.p05, s.p95)),
];

#[derive(Clone, Debug)]
pub struct Scored {
    pub year: i32,
    pub form: String,
    pub metric: Metric,
    pub actual: f64,
    pub forecast: Stat,
}

pub struct Score {
    pub rows: Vec<Scored>,
    pub years: Vec<i32>,
}

impl Score {
    /// Share of actuals inside the interval of each nominal level.
    pub fn coverage(&self) -> Vec<(f64, f64, usize)> {
        LEVELS
            .iter()
            .map(|(level, bounds)| {
                let inside = self
                    .rows
                    .iter()
                    .filter(|r| {
                        let (lo, hi) = bounds(&r.forecast);
                        r.actual >= lo && r.actual <= hi
                    })
                    .count();
                (
                    *level,
                    inside as f64 / self.rows.len().max(1) as f64,
                    self.rows.len(),
                )
            })
            .collect()
    }

    /// Mean absolute percentage error of the forecast mean, per metric.
    pub fn mape(&self) -> Vec<(Metric, f64)> {
        PAIRS
            .iter()
            .filter_map(|(_, metric)| {
                let errors: Vec<f64> = self
                    .rows
                    .iter()
                    .filter(|r| r.metric == *metric && r.actual > 0.0)
                    .map(|r| (r.forecast.mean - r.actual).abs() / r.actual)
                    .collect();
                (!errors.is_empty())
                    .then(|| (*metric, errors.iter().sum::<f64>() / errors.len() as f64))
            })
            .collect()
    }
}

/// Pairs every held-out (year, form, metric) of the history with the simulation.
pub fn score(history: &History, fit_until: i32, sim_dir: &Path) -> Result<Score, Error> {
    let run = Run::load(sim_dir)?;
    let years: Vec<i32> = history
        .years
        .iter()
        .copied()
        .filter(|&y| y > fit_until)
        .collect();
    let mut rows = Vec::new();
    for &year in &years {
        for form in &run.forms {
            let Some(actual) = totals(history, year, form) else {
                continue;
            };
            for (column, metric) in PAIRS {
                let value = column.of(&actual);
                if let (Some(v), Some(stat)) = (value, run.region(year, Some(form), metric)) {
                    // Money in the summary is in euros already.
                    rows.push(Scored {
                        year,
                        form: form.clone(),
                        metric,
                        actual: v,
                        forecast: stat,
                    });
                }
            }
        }
    }
    Ok(Score { rows, years })
}

/// `backtest.csv` (one row per compared value) and `backtest.html` (charts).
pub fn write(out: &Path, score: &Score) -> Result<(), Error> {
    write_csv(out, score)?;
    let mut body = coverage_table(score);
    body.push_str(&figures(score)?);
    let page = html::page(
        Lang::En,
        "jeugdstroom backtest",
        "Forecast fitted on the earlier years against the held-out actuals",
        &[html::section(
            "backtest",
            "Forecast against the held-out years",
            &body,
        )],
    );
    AtomicFile::write_all(&out.join("backtest.html"), page.as_bytes())?;
    Ok(())
}

/// One row of `backtest.csv`: the forecast quantiles beside an actual, and
/// whether the actual falls inside the 50, 80 and 90 % intervals.
#[derive(Serialize, Default)]
struct BacktestRow<'a> {
    year: i32,
    care_form: Name<'a>,
    metric: Option<Metric>,
    actual: Fixed<4>,
    mean: Fixed<4>,
    p05: Fixed<4>,
    p10: Fixed<4>,
    p25: Fixed<4>,
    p50: Fixed<4>,
    p75: Fixed<4>,
    p90: Fixed<4>,
    p95: Fixed<4>,
    in50: u8,
    in80: u8,
    in90: u8,
}

impl<'a> From<&'a Scored> for BacktestRow<'a> {
    fn from(r: &'a Scored) -> Self {
        let s = &r.forecast;
        let inside = |k: usize| {
            let (lo, hi) = LEVELS[k].1(s);
            u8::from(r.actual >= lo && r.actual <= hi)
        };
        BacktestRow {
            year: r.year,
            care_form: Name(&r.form),
            metric: Some(r.metric),
            actual: Fixed(r.actual),
            mean: Fixed(s.mean),
            p05: Fixed(s.p05),
            p10: Fixed(s.p10),
            p25: Fixed(s.p25),
            p50: Fixed(s.p50),
            p75: Fixed(s.p75),
            p90: Fixed(s.p90),
            p95: Fixed(s.p95),
            in50: inside(0),
            in80: inside(1),
            in90: inside(2),
        }
    }
}

/// Writes `backtest.csv`, one row per compared value.
fn write_csv(out: &Path, score: &Score) -> Result<(), Error> {
    let rows = score.rows.iter().map(BacktestRow::from);
    write_table(&out.join("backtest.csv"), rows)?;
    Ok(())
}

/// One fan per form and metric scored in every held-out year.
fn figures(score: &Score) -> anyhow::Result<String> {
    let mut figures = String::new();
    let forms: Vec<&str> = {
        let mut f: Vec<&str> = score.rows.iter().map(|r| r.form.as_str()).collect();
        f.sort_unstable();
        f.dedup();
        f
    };
    let count = |v: &f64| Lang::En.number(*v, 0);
    for form in forms {
        for (_, m) in PAIRS {
            let metric = m.name();
            let rows: Vec<&Scored> = score
                .rows
                .iter()
                .filter(|r| r.form == form && r.metric == m)
                .collect();
            if rows.len() != score.years.len() {
                continue;
            }
            let title = format!("{form}: {metric}, forecast vs actual");
            let svg = charts::fan(
                &Axes {
                    title: &title,
                    x: "year",
                    y: &metric,
                },
                &score.years,
                &[Fan {
                    label: "forecast",
                    color: PALETTE[0],
                    stats: rows.iter().map(|r| r.forecast).collect(),
                }],
                &[(
                    "actual",
                    PALETTE[3],
                    rows.iter().map(|r| r.actual).collect(),
                )],
                1.0,
                &count,
            )?;
            figures.push_str(&html::figure(
                &format!("backtest-{form}-{metric}"),
                &svg,
                "Median, 50 % and 90 % bands of the forecast; dashed: the held-out actuals.",
            ));
        }
    }
    Ok(figures)
}

/// The share of actuals inside each interval.
fn coverage_table(score: &Score) -> String {
    let coverage: Vec<Vec<(String, bool)>> = score
        .coverage()
        .iter()
        .map(|(level, share, n)| {
            vec![
                (format!("{:.0} %", level * 100.0), true),
                (format!("{:.1} %", share * 100.0), false),
                (n.to_string(), false),
            ]
        })
        .collect();
    html::table(
        "table-coverage",
        &["interval".into(), "actuals inside".into(), "values".into()],
        &coverage,
    )
}

pub fn print(out: &mut impl Write, score: &Score, fit_until: i32) -> std::io::Result<()> {
    writeln!(
        out,
        "backtest: fitted on the years up to {fit_until}, {} held-out values ({} years)",
        score.rows.len(),
        score.years.len()
    )?;
    for (level, share, _) in score.coverage() {
        writeln!(
            out,
            "  {:>3.0} % interval: {:>5.1} % of the actuals inside",
            level * 100.0,
            share * 100.0
        )?;
    }
    for (metric, mape) in score.mape() {
        writeln!(
            out,
            "  {}: mean absolute percentage error {:.1} %",
            metric.name(),
            mape * 100.0
        )?;
    }
    Ok(())
}
