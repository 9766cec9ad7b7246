//! Estimates from yearly aggregates: arrival rates per 1,000 youth with a
//! log-linear trend (ordinary least squares on the log, with standard
//! errors), mean durations by Little's law (mean in care ÷ starts per day),
//! transition shares and tariffs (cost ÷ client-days).

use super::history::{History, HistoryRow, totals};
use crate::calendar::DAYS_PER_YEAR;
pub use crate::stats::t95;
use std::collections::BTreeMap;

/// ln(y) = a + b·(x − reference) fitted by least squares.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLinear {
    /// Fitted value at the reference year.
    pub level: f64,
    /// Yearly growth factor − 1 (e^b − 1).
    pub trend: f64,
    /// Standard error of ln(level) at the reference year.
    pub se_log_level: f64,
    /// Standard error of b (≈ of the yearly growth rate).
    pub se_trend: f64,
    pub r_squared: f64,
    pub reference: f64,
    pub n: usize,
}

/// Fits ln(value) on the year; `None` with fewer than 3 positive points.
pub fn log_linear(points: &[(f64, f64)], reference: f64) -> Option<LogLinear> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|(_, v)| *v > 0.0 && v.is_finite())
        .map(|(x, v)| (*x, v.ln()))
        .collect();
    let n = pts.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = pts.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let b = sxy / sxx;
    let a = my - b * mx;
    let rss: f64 = pts.iter().map(|p| (p.1 - a - b * p.0).powi(2)).sum();
    let s2 = rss / (nf - 2.0);
    let at_reference = a + b * reference;
    Some(LogLinear {
        level: at_reference.exp(),
        trend: b.exp() - 1.0,
        se_log_level: (s2 * (1.0 / nf + (reference - mx).powi(2) / sxx)).sqrt(),
        se_trend: (s2 / sxx).sqrt(),
        r_squared: if syy > 0.0 { 1.0 - rss / syy } else { 1.0 },
        reference,
        n,
    })
}

/// A mean with the standard error of the yearly estimates it averages.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    pub se: f64,
    pub n: usize,
}

fn estimate(values: &[f64]) -> Option<Estimate> {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let se = if v.len() > 1 {
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt()
    } else {
        f64::NAN
    };
    Some(Estimate {
        mean,
        se,
        n: v.len(),
    })
}

/// Everything estimated for one care form.
#[derive(Clone, Debug)]
pub struct FormFit {
    /// New arrivals per year (starts minus transfers in), per fitted year.
    pub arrivals: Vec<(i32, f64)>,
    /// Mean episode length in days (Little's law, or the given mean).
    pub duration: Option<Estimate>,
    /// Share of ended episodes moving to each form.
    pub transitions: BTreeMap<String, f64>,
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
    pub forms: BTreeMap<String, FormFit>,
    /// Youth per fitted year (from the history, or the base's when absent).
    pub youth: Vec<(i32, f64)>,
}

/// Calibrates `history` on the years ≤ `until`; `base_youth` is used when the
/// history has no youth population. `None` with fewer than 3 years.
pub fn calibrate(
    history: &History,
    until: i32,
    forms: &[String],
    base_youth: f64,
) -> Option<Calibration> {
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
    let mut total_arrivals = vec![0.0; years.len()];
    let mut youth = vec![f64::NAN; years.len()];
    for form in forms {
        if let Some(fit) = fit_form(
            history,
            &years,
            forms,
            form,
            &mut total_arrivals,
            &mut youth,
        ) {
            form_fits.insert(form.clone(), fit);
        }
    }
    let youth: Vec<(i32, f64)> = years
        .iter()
        .zip(&youth)
        .map(|(y, v)| (*y, if v.is_nan() { base_youth } else { *v }))
        .collect();
    let points: Vec<(f64, f64)> = years
        .iter()
        .zip(&total_arrivals)
        .zip(&youth)
        .map(|((y, a), (_, w))| (*y as f64, a / w * 1000.0))
        .collect();
    let last = *years.last()?;
    let rate = log_linear(&points, last as f64)?;
    let all: f64 = total_arrivals.iter().sum();
    let entry = form_fits
        .iter()
        .map(|(f, fit)| {
            let n: f64 = fit.arrivals.iter().map(|a| a.1).sum();
            (f.clone(), if all > 0.0 { n / all } else { 0.0 })
        })
        .collect();
    Some(Calibration {
        first_year: years[0],
        last_year: last,
        rate,
        entry,
        forms: form_fits,
        youth,
    })
}

/// One form's fit over `years`: new arrivals (starts minus transfers in from
/// the other forms, added to `total_arrivals`), duration, transition shares
/// and tariff; the largest youth population seen is kept in `youth`. `None`
/// when the history has no row of the form in these years.
fn fit_form(
    history: &History,
    years: &[i32],
    forms: &[String],
    form: &str,
    total_arrivals: &mut [f64],
    youth: &mut [f64],
) -> Option<FormFit> {
    let rows: Vec<_> = years.iter().map(|&y| totals(history, y, form)).collect();
    if rows.iter().all(Option::is_none) {
        return None;
    }
    let mut sums = FormSums::default();
    for (k, row) in rows.iter().enumerate() {
        let Some(r) = row else { continue };
        let new = (r.started - transfers_in(history, years[k], forms, form)).max(0.0);
        sums.arrivals.push((years[k], new));
        total_arrivals[k] += new;
        if let Some(y) = r.youth_population {
            youth[k] = if youth[k].is_nan() {
                y
            } else {
                youth[k].max(y)
            };
        }
        let previous = (k > 0).then(|| rows[k - 1].as_ref()).flatten();
        sums.add(r, previous);
    }
    Some(sums.fit())
}

/// Transfers into `form` from every other form in `year`.
fn transfers_in(history: &History, year: i32, forms: &[String], form: &str) -> f64 {
    forms
        .iter()
        .filter_map(|g| totals(history, year, g))
        .map(|r| r.transitions.get(form).copied().unwrap_or(0.0))
        .sum()
}

/// What one form's fit adds up over the years of the history.
#[derive(Default)]
struct FormSums {
    arrivals: Vec<(i32, f64)>,
    durations: Vec<f64>,
    cost: f64,
    client_days: f64,
    ended: f64,
    moved: BTreeMap<String, f64>,
}

impl FormSums {
    /// One year's totals `r`, with the year before's for the clients in care.
    fn add(&mut self, r: &HistoryRow, previous: Option<&HistoryRow>) {
        self.ended += r.ended;
        for (to, n) in &r.transitions {
            *self.moved.entry(to.clone()).or_default() += n;
        }
        if let Some(p) = previous {
            // Little's law: L = λ W with L the mean number in care.
            let in_care = (p.in_care_end + r.in_care_end) / 2.0;
            if r.mean_duration_days.is_none() && r.started > 0.0 {
                self.durations.push(in_care / (r.started / DAYS_PER_YEAR));
            }
            if let Some(c) = r.cost_eur {
                self.cost += c;
                self.client_days += in_care * DAYS_PER_YEAR;
            }
        }
        if let Some(d) = r.mean_duration_days {
            self.durations.push(d);
        }
    }

    fn fit(self) -> FormFit {
        let ended = self.ended;
        FormFit {
            arrivals: self.arrivals,
            duration: estimate(&self.durations),
            transitions: self
                .moved
                .into_iter()
                .map(|(to, n)| (to, if ended > 0.0 { n / ended } else { 0.0 }))
                .collect(),
            tariff: (self.client_days > 0.0 && self.cost > 0.0)
                .then(|| self.cost / self.client_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_exponential_growth_is_recovered() {
        let pts: Vec<(f64, f64)> = (0..6)
            .map(|k| (2020.0 + k as f64, 80.0 * 1.03f64.powi(k)))
            .collect();
        let f = log_linear(&pts, 2025.0).unwrap();
        assert!((f.trend - 0.03).abs() < 1e-12);
        assert!((f.level - 80.0 * 1.03f64.powi(5)).abs() < 1e-9);
        assert!(f.se_trend < 1e-9 && (f.r_squared - 1.0).abs() < 1e-12);
        assert!(log_linear(&pts[..2], 2025.0).is_none());
    }
}
