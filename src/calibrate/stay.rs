//! The mean stay of a care form from yearly counts, when demand has a trend.
//!
//! Little's law (mean in care ÷ starts per day) holds only when starts are
//! level: with declining starts the stock still holds the larger cohorts of
//! earlier years and the stay comes out too long, with growing starts too
//! short. This estimator is a stock-flow fit instead: each year's starts
//! (spread evenly over the year, as the simulation does) are followed
//! through the base scenario's stay shape scaled to mean W, which gives the
//! clients in care at every year end and the episodes ending in every year
//! with their mean length; W is the value that reproduces the observed
//! year-end stocks (summed over the years after the first) or, when the
//! history gives `mean_duration_days` of the ended episodes in every year,
//! their observed mean length. Starts before the first year are the
//! log-linear fit of the starts extended backwards.
//!
//! Its standard error is a parametric bootstrap: histories simulated from the
//! fitted stay and starts (Poisson starts, the base's stay shape, the ranges
//! of interval cells as noise) and re-estimated the same way. Consecutive
//! years share their stock, so the scatter of yearly ratios understates the
//! error.

use super::span::Span;
use super::trend::log_linear;
use crate::calendar::DAYS_PER_YEAR;
use crate::model::distribution::{Duration, normal_quantile};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Poisson};

/// Draws of the stay shape (scaled to mean 1) the integrals average over.
const SHAPE_DRAWS: usize = 4096;
/// Bootstrap histories per form (the standard error is good to about 1/√(2B)).
const BOOTSTRAP: usize = 60;
/// Episodes all bootstrap histories of one form may simulate together (a
/// few tenths of a second); larger histories are simulated scaled down.
const EPISODE_BUDGET: f64 = 4e6;
/// Halvings of the bracket when solving for the mean stay.
const BISECTIONS: usize = 60;

/// One fitted year of one form, summed over municipalities.
#[derive(Clone, Debug)]
pub struct Year {
    pub started: Span,
    pub ended: Span,
    pub in_care_end: Span,
    /// Mean length in days of the episodes that ended (the ended-weighted mean).
    pub mean_duration_days: Option<f64>,
    /// Variances the ranges of the summed cells add (uniform inside each).
    pub noise: Noise,
}

/// Variances of the year's totals from the ranges of their cells.
#[derive(Clone, Copy, Debug, Default)]
pub struct Noise {
    pub started: f64,
    pub ended: f64,
    pub in_care_end: f64,
}

/// The estimated mean stay with its bootstrap standard error.
#[derive(Clone, Debug, PartialEq)]
pub struct Stay {
    pub mean: f64,
    pub se: f64,
    /// Years the estimate used.
    pub n: usize,
    /// Yearly growth of the form's starts the estimate corrected for.
    pub trend: f64,
    /// True when taken from `mean_duration_days` of the ended episodes.
    pub from_ended: bool,
}

/// The stay shape as mean-1 draws, each with the point of its start year
/// at which it starts (deterministic: a fixed stream).
pub struct Shape {
    draws: Vec<f64>,
    offsets: Vec<f64>,
}

/// Years before the first fitted year whose starts are followed.
const BEFORE: usize = 10;

impl Shape {
    pub fn of(duration: &Duration) -> Self {
        let n = SHAPE_DRAWS;
        let p = |i: usize| (i as f64 + 0.5) / n as f64;
        let mut draws: Vec<f64> = match duration {
            // Quantiles at evenly spaced probabilities where they are closed-form.
            Duration::Exponential { .. } => (0..n).map(|i| -(-p(i)).ln_1p()).collect(),
            Duration::LogNormal { mu, sigma, .. } => (0..n)
                .map(|i| (mu + sigma * normal_quantile(p(i))).exp())
                .collect(),
            Duration::Fixed { .. } => vec![1.0; n],
            Duration::Empirical { sorted } => (0..n)
                .map(|i| sorted[(i * sorted.len() / n).min(sorted.len() - 1)])
                .collect(),
            _ => {
                let mut rng = ChaCha8Rng::seed_from_u64(0x5747);
                let mut d: Vec<f64> = (0..4 * n).map(|_| duration.sample(&mut rng)).collect();
                d.sort_by(f64::total_cmp);
                (0..n).map(|i| d[4 * i + 2]).collect()
            }
        };
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        if !(mean > 0.0 && mean.is_finite()) {
            draws = vec![1.0; n];
        } else {
            draws.iter_mut().for_each(|d| *d /= mean);
        }
        // Start points paired with the quantiles along a golden-ratio
        // sequence: an even cover of (quantile, start) pairs.
        let golden = 0.618_033_988_749_894_9;
        let offsets = (0..n)
            .map(|i| (i as f64 * golden + 0.5 / n as f64).fract())
            .collect();
        Shape { draws, offsets }
    }

    /// For an episode started in year 0 with mean stay `w` days: the share
    /// in care at the end of year k, ending in year k, and the days of those
    /// ending in year k, for k < `len`.
    fn kernel(&self, w: f64, len: usize) -> Kernel {
        let mut k = Kernel {
            inside: vec![0.0; len],
            ended: vec![0.0; len],
            ended_days: vec![0.0; len],
        };
        let share = 1.0 / self.draws.len() as f64;
        for (d, u) in self.draws.iter().zip(&self.offsets) {
            let days = d * w;
            let end = (u + days / DAYS_PER_YEAR).floor() as usize;
            for inside in k.inside.iter_mut().take(end.min(len)) {
                *inside += share;
            }
            if end < len {
                k.ended[end] += share;
                k.ended_days[end] += share * days;
            }
        }
        k
    }
}

/// What an episode started in year 0 contributes to the counts of year k.
struct Kernel {
    inside: Vec<f64>,
    ended: Vec<f64>,
    ended_days: Vec<f64>,
}

/// The mean stay W at which `model(W)` (increasing in W) equals `observed`,
/// by bisection on ln W.
fn solve(observed: f64, model: impl Fn(f64) -> f64) -> Option<f64> {
    if !(observed > 0.0 && observed.is_finite()) {
        return None;
    }
    let f = |ln_w: f64| model(ln_w.exp()) - observed;
    let (mut lo, mut hi) = (0.0f64, (1e5f64).ln());
    if f(lo) > 0.0 || f(hi).is_nan() || f(hi) <= 0.0 {
        return None;
    }
    for _ in 0..BISECTIONS {
        let mid = 0.5 * (lo + hi);
        if f(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some((0.5 * (lo + hi)).exp())
}

/// The point estimate from yearly counts (their middles): the stay whose
/// stock-flow model reproduces the observed year-end stocks, or the ended
/// episodes' mean length when every year gives it. Also the yearly growth
/// of the starts and whether the ended episodes' lengths were used.
fn point(years: &[Year], shape: &Shape) -> Option<(f64, f64, bool)> {
    let observed: Vec<(f64, f64)> = (years.iter().enumerate())
        .map(|(k, y)| (k as f64, y.started.mid()))
        .collect();
    let fit = log_linear(&observed, 0.0);
    let trend = fit.as_ref().map_or(0.0, |f| f.trend);
    let level = fit.as_ref().map_or(years[0].started.mid(), |f| f.level);
    // Starts from BEFORE years before the first fitted year on.
    let starts: Vec<f64> = (0..BEFORE)
        .map(|b| level * (1.0 + trend).powi(b as i32 - BEFORE as i32))
        .chain(years.iter().map(|y| y.started.mid()))
        .collect();
    let len = starts.len();
    // Σ over years y ≥ 1 of Σ_j starts_j · kernel(y − j).
    let total = |kernel: &[f64]| -> f64 {
        (BEFORE + 1..len)
            .map(|y| (0..=y).map(|j| starts[j] * kernel[y - j]).sum::<f64>())
            .sum()
    };
    let rest = &years[1..];
    let given = rest.iter().all(|y| y.mean_duration_days.is_some());
    let ended: f64 = rest.iter().map(|y| y.ended.mid()).sum();
    let w = if given && ended > 0.0 {
        let days: f64 = (rest.iter())
            .map(|y| y.mean_duration_days.unwrap_or(0.0) * y.ended.mid())
            .sum();
        solve(days / ended, |w| {
            let k = shape.kernel(w, len);
            total(&k.ended_days) / total(&k.ended)
        })?
    } else {
        let stock: f64 = rest.iter().map(|y| y.in_care_end.mid()).sum();
        solve(stock, |w| total(&shape.kernel(w, len).inside))?
    };
    Some((w, trend, given && ended > 0.0))
}

/// The mean stay of one form with its bootstrap standard error; `None`
/// when the counts cannot give one (fewer than 2 years, nothing started).
pub fn estimate(years: &[Year], duration: &Duration, seed: u64) -> Option<Stay> {
    if years.len() < 2 {
        return None;
    }
    let shape = Shape::of(duration);
    let (mean, trend, from_ended) = point(years, &shape)?;
    let starts: Vec<(f64, f64)> = (years.iter().enumerate())
        .map(|(k, y)| (k as f64, y.started.mid()))
        .collect();
    let level = log_linear(&starts, 0.0).map_or(years[0].started.mid(), |f| f.level);
    // Episodes the bootstrap would simulate; beyond the budget it runs at a
    // smaller scale and the error is scaled back (relative errors of counts
    // go as 1/√count, and the ranges' variances are scaled alike).
    let episodes: f64 = (-(BEFORE as i32)..years.len() as i32)
        .map(|y| level * (1.0 + trend).powi(y))
        .sum::<f64>()
        * BOOTSTRAP as f64;
    let scale = match episodes {
        e if e.is_finite() && e > 0.0 => (EPISODE_BUDGET / e).min(1.0),
        _ => 0.0,
    };
    let model = Truth {
        mean,
        per_year: level * scale,
        growth: 1.0 + trend,
        shape: &shape,
        scale,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let estimates: Vec<f64> = (0..BOOTSTRAP)
        .filter_map(|_| {
            let synthetic = model.history(years, from_ended, &mut rng);
            point(&synthetic, &shape).map(|p| p.0)
        })
        .collect();
    let se = sd(&estimates) * scale.sqrt();
    Some(Stay {
        mean,
        se,
        n: years.len(),
        trend,
        from_ended,
    })
}

fn sd(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return f64::NAN;
    }
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// The fitted process a bootstrap history is drawn from.
struct Truth<'a> {
    mean: f64,
    /// Starts in the first fitted year.
    per_year: f64,
    /// Yearly growth factor of the starts.
    growth: f64,
    shape: &'a Shape,
    /// Share of the fitted counts simulated (see `EPISODE_BUDGET`).
    scale: f64,
}

impl Truth<'_> {
    /// One synthetic history over as many years as `like`, with the noise of
    /// its interval cells: Poisson starts spread evenly over each year from
    /// `BEFORE` years before the first, stays drawn from the shape.
    fn history(&self, like: &[Year], from_ended: bool, rng: &mut ChaCha8Rng) -> Vec<Year> {
        let years = like.len();
        let mut out = vec![Counts::default(); years];
        let draws = &self.shape.draws;
        for year in -(BEFORE as i64)..years as i64 {
            let expected = self.per_year * self.growth.powi(year as i32);
            for _ in 0..poisson(expected, rng) {
                let start = year as f64 + rng.random::<f64>();
                let days = self.mean * draws[rng.random_range(0..draws.len())];
                record(&mut out, start, start + days / DAYS_PER_YEAR, days);
            }
        }
        (out.into_iter().zip(like))
            .map(|(c, l)| c.year(l, self.scale, from_ended, rng))
            .collect()
    }
}

fn poisson(mean: f64, rng: &mut ChaCha8Rng) -> u64 {
    if mean.is_nan() || mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).map_or(0, |d| d.sample(rng) as u64)
}

/// What one synthetic year counted.
#[derive(Clone, Default)]
struct Counts {
    started: f64,
    ended: f64,
    in_care_end: f64,
    ended_days: f64,
}

impl Counts {
    /// The year as the reader would give it, with the interval noise of `like`.
    fn year(self, like: &Year, scale: f64, from_ended: bool, rng: &mut ChaCha8Rng) -> Year {
        let mut noisy = |v: f64, var: f64| {
            let e = Normal::new(0.0, (var * scale).sqrt()).map_or(0.0, |d| d.sample(rng));
            Span::exact((v + e).max(0.0))
        };
        let n = like.noise;
        Year {
            started: noisy(self.started, n.started),
            ended: noisy(self.ended, n.ended),
            in_care_end: noisy(self.in_care_end, n.in_care_end),
            mean_duration_days: (from_ended && self.ended > 0.0)
                .then(|| self.ended_days / self.ended),
            noise: Noise::default(),
        }
    }
}

/// Adds one episode from `start` to `end` (in years from the first fitted
/// year's start) to the yearly counts.
fn record(out: &mut [Counts], start: f64, end: f64, days: f64) {
    let years = out.len() as f64;
    if start >= 0.0 && start < years {
        out[start as usize].started += 1.0;
    }
    if end >= 0.0 && end < years {
        let c = &mut out[end as usize];
        c.ended += 1.0;
        c.ended_days += days;
    }
    // In care at the end of every year k with start < k + 1 ≤ end.
    let first = start.max(0.0).floor() as usize;
    let last = end.min(years).floor().max(0.0) as usize;
    for c in out.iter_mut().take(last).skip(first) {
        c.in_care_end += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(starts: &[f64], stock: &[f64]) -> Vec<Year> {
        (starts.iter().zip(stock))
            .map(|(s, n)| Year {
                started: Span::exact(*s),
                ended: Span::exact(*s),
                in_care_end: Span::exact(*n),
                mean_duration_days: None,
                noise: Noise::default(),
            })
            .collect()
    }

    /// Year-end stocks of starts spread evenly over each year with
    /// exponential stays of mean `w` days: N_y = N_{y−1} e^(−1/w) + S_y w (1 − e^(−1/w)).
    fn exponential_stocks(starts: &[f64], w: f64, before: &[f64]) -> Vec<f64> {
        let w = w / DAYS_PER_YEAR;
        let keep = (-1.0 / w).exp();
        let mut n = 0.0;
        let all: Vec<f64> = (before.iter().chain(starts))
            .map(|s| {
                n = n * keep + s * w * (1.0 - keep);
                n
            })
            .collect();
        all[before.len()..].to_vec()
    }

    #[test]
    fn exponential_stays_under_a_trend_are_recovered() {
        let w = 200.0;
        for growth in [-0.06, 0.0, 0.05f64] {
            let starts: Vec<f64> = (0..6).map(|k| 1000.0 * (1.0 + growth).powi(k)).collect();
            let before: Vec<f64> = (-30..0).map(|k| 1000.0 * (1.0 + growth).powi(k)).collect();
            let stock = exponential_stocks(&starts, w, &before);
            let shape = Shape::of(&Duration::exponential(1.0));
            let (est, trend, _) = point(&years(&starts, &stock), &shape).unwrap();
            assert!((trend - growth).abs() < 1e-9);
            // The shape's 4,096 draws: within 0.5 %.
            assert!((est / w - 1.0).abs() < 0.005, "{growth}: {est}");
            let little = stock.windows(2).map(|p| (p[0] + p[1]) / 2.0).sum::<f64>()
                / starts[1..].iter().sum::<f64>()
                * DAYS_PER_YEAR;
            if growth < 0.0 {
                assert!(little > 1.02 * w, "Little's law alone would say {little}");
            }
        }
    }

    #[test]
    fn a_spread_makes_the_bootstrap_error_positive() {
        let starts = [1000.0, 950.0, 900.0, 860.0, 820.0];
        let stock = [560.0, 530.0, 505.0, 480.0, 460.0];
        let s = estimate(&years(&starts, &stock), &Duration::exponential(200.0), 1).unwrap();
        assert!(s.se > 0.0 && s.se < 0.2 * s.mean, "{s:?}");
        assert!(s.trend < 0.0 && !s.from_ended);
    }
}
