//! Scoring a forecast against held-out years: does the actual value fall in
//! the simulated 50 %, 80 % and 90 % intervals as often as they claim, and
//! how far is the mean off (mean absolute percentage error)?

use super::history::{History, totals};
use crate::error::Error;
use crate::output::AtomicFile;
use crate::report::charts::{self, Axes, Fan, PALETTE};
use crate::report::data::{Run, Stat};
use crate::report::{Lang, html};
use std::io::Write;
use std::path::Path;

/// History column and simulated metric compared.
const PAIRS: [(&str, &str); 3] = [
    ("started", "starts"),
    ("in_care_end", "active_end"),
    ("cost_eur", "cost_eur"),
];
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
    pub metric: &'static str,
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
    pub fn mape(&self) -> Vec<(&'static str, f64)> {
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
                let value = match column {
                    "started" => Some(actual.started),
                    "in_care_end" => Some(actual.in_care_end),
                    _ => actual.cost_eur,
                };
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

/// `backtest.csv`: the forecast quantiles beside each actual, and whether
/// the actual falls inside the 50, 80 and 90 % intervals.
fn write_csv(out: &Path, score: &Score) -> Result<(), Error> {
    let mut file = AtomicFile::create(&out.join("backtest.csv"))?;
    {
        let mut w = csv::Writer::from_writer(file.writer());
        w.write_record([
            "year",
            "care_form",
            "metric",
            "actual",
            "mean",
            "p05",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "p95",
            "in50",
            "in80",
            "in90",
        ])
        .map_err(anyhow::Error::from)?;
        for r in &score.rows {
            let s = &r.forecast;
            let inside = |k: usize| {
                let (lo, hi) = LEVELS[k].1(s);
                u8::from(r.actual >= lo && r.actual <= hi).to_string()
            };
            let f = |v: f64| format!("{v:.4}");
            w.write_record([
                r.year.to_string(),
                r.form.clone(),
                r.metric.to_string(),
                f(r.actual),
                f(s.mean),
                f(s.p05),
                f(s.p10),
                f(s.p25),
                f(s.p50),
                f(s.p75),
                f(s.p90),
                f(s.p95),
                inside(0),
                inside(1),
                inside(2),
            ])
            .map_err(anyhow::Error::from)?;
        }
        w.flush()?;
    }
    file.commit()?;
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
        for (_, metric) in PAIRS {
            let rows: Vec<&Scored> = score
                .rows
                .iter()
                .filter(|r| r.form == form && r.metric == metric)
                .collect();
            if rows.len() != score.years.len() {
                continue;
            }
            let title = format!("{form}: {metric}, forecast vs actual");
            let svg = charts::fan(
                &Axes {
                    title: &title,
                    x: "year",
                    y: metric,
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
            "  {metric}: mean absolute percentage error {:.1} %",
            mape * 100.0
        )?;
    }
    Ok(())
}
