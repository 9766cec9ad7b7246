//! Estimates from yearly aggregates: arrival rates per 1,000 youth with a
//! log-linear trend (ordinary least squares on the log, with standard
//! errors), mean stays corrected for the trend of the starts (`stay`), entry
//! and destination shares with a Dirichlet concentration (`shares`) and
//! tariffs (cost ÷ client-days).

use super::history::{History, HistoryRow, Spans, totals};
use super::shares;
use super::span::Span;
use super::stay::{self, Stay};
pub use super::trend::{LogLinear, log_linear};
use crate::calendar::DAYS_PER_YEAR;
use crate::model::distribution::Duration;
pub use crate::stats::t95;
use std::collections::BTreeMap;

/// Everything estimated for one care form.
#[derive(Clone, Debug)]
pub struct FormFit {
    /// New arrivals per year (starts minus transfers in), per fitted year.
    pub arrivals: Vec<(i32, f64)>,
    /// Mean episode length in days, corrected for the trend of the starts.
    pub duration: Option<Stay>,
    /// Share of ended episodes moving to each form.
    pub transitions: BTreeMap<String, f64>,
    /// Dirichlet concentration of the destinations (with leaving care).
    pub transition_concentration: f64,
    /// Euros per client-day.
    pub tariff: Option<f64>,
}

/// The calibration of a history over its years up to `until`.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub first_year: i32,
    pub last_year: i32,
    /// Arrivals per 1,000 youth (all forms), fitted log-linearly.
    pub rate: LogLinear,
    /// Share of new arrivals entering each form.
    pub entry: BTreeMap<String, f64>,
    /// Dirichlet concentration of the entry shares.
    pub entry_concentration: f64,
    pub forms: BTreeMap<String, FormFit>,
    /// Youth per fitted year (from the history, or the base's when absent).
    pub youth: Vec<(i32, f64)>,
}

/// What the fit needs of the base scenario: its care forms with their stay
/// distributions (the shape the stay estimator assumes) and its youth, used
/// when the history has no youth population.
pub struct BaseForms<'a> {
    pub forms: &'a [String],
    pub durations: &'a [Duration],
    pub youth: f64,
}

/// Calibrates `history` on the years ≤ `until`. `None` with fewer than 3 years.
pub fn calibrate(history: &History, until: i32, base: &BaseForms<'_>) -> Option<Calibration> {
    let years: Vec<i32> = history
        .years
        .iter()
        .copied()
        .filter(|&y| y <= until)
        .collect();
    if years.len() < 3 {
        return None;
    }
    let mut form_fits = BTreeMap::new();
    let mut new_arrivals = vec![vec![0.0; base.forms.len()]; years.len()];
    let mut arrival_var = new_arrivals.clone();
    let mut youth = vec![f64::NAN; years.len()];
    for (i, form) in base.forms.iter().enumerate() {
        let shape = base.durations.get(i)?;
        let Some(fit) = fit_form(history, &years, base.forms, form, shape, i as u64) else {
            continue;
        };
        for (k, &y) in years.iter().enumerate() {
            new_arrivals[k][i] = fit.arrivals.get(k).map_or(0.0, |a| a.1);
            arrival_var[k][i] = arrival_variance(history, y, base.forms, form);
            if let Some(t) = totals(history, y, form).and_then(|r| r.youth_population) {
                youth[k] = if youth[k].is_nan() {
                    t
                } else {
                    youth[k].max(t)
                };
            }
        }
        form_fits.insert(form.clone(), fit);
    }
    let youth: Vec<(i32, f64)> = years
        .iter()
        .zip(&youth)
        .map(|(y, v)| (*y, if v.is_nan() { base.youth } else { *v }))
        .collect();
    let points: Vec<(f64, f64)> = (years.iter().zip(&new_arrivals).zip(&youth))
        .map(|((y, a), (_, w))| (*y as f64, a.iter().sum::<f64>() / w * 1000.0))
        .collect();
    let last = *years.last()?;
    let rate = log_linear(&points, last as f64)?;
    let entry_fit = shares::fit(&new_arrivals, &arrival_var);
    let entry = (base.forms.iter().enumerate())
        .filter(|(_, f)| form_fits.contains_key(*f))
        .map(|(i, f)| (f.clone(), entry_fit.as_ref().map_or(0.0, |e| e.shares[i])))
        .collect();
    Some(Calibration {
        first_year: years[0],
        last_year: last,
        rate,
        entry,
        entry_concentration: entry_fit.map_or(f64::INFINITY, |e| e.concentration),
        forms: form_fits,
        youth,
    })
}

/// One form's fit over `years`: new arrivals (starts minus transfers in from
/// the other forms), the stay, destination shares and tariff. `None` when
/// the history has no row of the form in these years.
fn fit_form(
    history: &History,
    years: &[i32],
    forms: &[String],
    form: &str,
    shape: &Duration,
    seed: u64,
) -> Option<FormFit> {
    let rows: Vec<Option<HistoryRow>> = years.iter().map(|&y| totals(history, y, form)).collect();
    if rows.iter().all(Option::is_none) {
        return None;
    }
    let arrivals = (years.iter().zip(&rows))
        .filter_map(|(&y, r)| {
            let r = r.as_ref()?;
            Some((
                y,
                (r.started - transfers_in(history, y, forms, form)).max(0.0),
            ))
        })
        .collect();
    let stay_years: Vec<stay::Year> = (years.iter().zip(&rows))
        .filter_map(|(&y, r)| r.as_ref().map(|r| stay_year(history, y, r)))
        .collect();
    let targets: Vec<&String> = forms.iter().filter(|f| *f != form).collect();
    let (transitions, transition_concentration) = destinations(history, years, form, &targets);
    Some(FormFit {
        arrivals,
        duration: stay::estimate(&stay_years, shape, seed),
        transitions,
        transition_concentration,
        tariff: tariff(&rows),
    })
}

/// One year's totals as the stay estimator takes them, with the variances
/// the ranges of the summed cells add.
fn stay_year(history: &History, year: i32, r: &HistoryRow) -> stay::Year {
    let var = |f: fn(&Spans) -> Span| range_variance(history, year, &r.care_form, f);
    stay::Year {
        started: r.spans.started,
        ended: r.spans.ended,
        in_care_end: r.spans.in_care_end,
        mean_duration_days: r.mean_duration_days,
        noise: stay::Noise {
            started: var(|s| s.started),
            ended: var(|s| s.ended),
            in_care_end: var(|s| s.in_care_end),
        },
    }
}

/// Σ over the municipalities' rows of one year and form of a cell's range variance.
fn range_variance(history: &History, year: i32, form: &str, f: fn(&Spans) -> Span) -> f64 {
    (history.rows.iter())
        .filter(|r| r.year == year && r.care_form == form)
        .map(|r| f(&r.spans).variance())
        .sum()
}

/// The range variance of a year's new arrivals of `form`: its starts and the
/// transfers into it.
fn arrival_variance(history: &History, year: i32, forms: &[String], form: &str) -> f64 {
    let transfers: f64 = (history.rows.iter())
        .filter(|r| r.year == year && forms.contains(&r.care_form))
        .filter_map(|r| r.spans.transitions.get(form))
        .map(Span::variance)
        .sum();
    range_variance(history, year, form, |s| s.started) + transfers
}

/// Shares of ended episodes moving to each of `targets` (those with a
/// column), with the Dirichlet concentration over them and leaving care.
fn destinations(
    history: &History,
    years: &[i32],
    form: &str,
    targets: &[&String],
) -> (BTreeMap<String, f64>, f64) {
    let rows: Vec<HistoryRow> = years
        .iter()
        .filter_map(|&y| totals(history, y, form))
        .collect();
    let given: Vec<&String> = (targets.iter().copied())
        .filter(|t| rows.iter().any(|r| r.transitions.contains_key(*t)))
        .collect();
    if given.is_empty() {
        return (BTreeMap::new(), f64::INFINITY);
    }
    let mut counts = Vec::new();
    let mut var = Vec::new();
    for r in &rows {
        let moved: Vec<f64> = given
            .iter()
            .map(|t| r.transitions.get(*t).copied().unwrap_or(0.0))
            .collect();
        let rest = (r.ended - moved.iter().sum::<f64>()).max(0.0);
        counts.push(moved.into_iter().chain([rest]).collect::<Vec<f64>>());
        let v = |t: &String| range_variance_to(history, r.year, form, t);
        let ended = range_variance(history, r.year, form, |s| s.ended);
        var.push(given.iter().map(|t| v(t)).chain([ended]).collect());
    }
    match shares::fit(&counts, &var) {
        Some(s) => (
            given
                .iter()
                .zip(&s.shares)
                .map(|(t, p)| ((*t).clone(), *p))
                .collect(),
            s.concentration,
        ),
        None => (
            given.iter().map(|t| ((*t).clone(), 0.0)).collect(),
            f64::INFINITY,
        ),
    }
}

fn range_variance_to(history: &History, year: i32, form: &str, to: &str) -> f64 {
    (history.rows.iter())
        .filter(|r| r.year == year && r.care_form == form)
        .filter_map(|r| r.spans.transitions.get(to))
        .map(Span::variance)
        .sum()
}

/// Euros per client-day: cost over the client-days of the years with cost
/// and a year before (the trapezoid of the year-end counts).
fn tariff(rows: &[Option<HistoryRow>]) -> Option<f64> {
    let (mut cost, mut days) = (0.0, 0.0);
    for pair in rows.windows(2) {
        if let (Some(p), Some(r)) = (&pair[0], &pair[1])
            && let Some(c) = r.cost_eur
        {
            cost += c;
            days += (p.in_care_end + r.in_care_end) / 2.0 * DAYS_PER_YEAR;
        }
    }
    (days > 0.0 && cost > 0.0).then(|| cost / days)
}

/// Transfers into `form` from every other form in `year`.
fn transfers_in(history: &History, year: i32, forms: &[String], form: &str) -> f64 {
    forms
        .iter()
        .filter_map(|g| totals(history, year, g))
        .map(|r| r.transitions.get(form).copied().unwrap_or(0.0))
        .sum()
}
