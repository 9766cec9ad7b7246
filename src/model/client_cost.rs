//! The high-cost client class: a heavy-tailed multiplier on a care form's
//! tariff, drawn once per episode. Its mean is exactly 1 (after the cap), so
//! the form's tariff stays the mean price of a client-day and the expected
//! cost of a scenario does not move; what changes is how that cost is
//! spread over clients — a few individual trajectories (IBO, seed 000
//! L1584; "minder dan tien gezinnen", seed 004 l.89) carry much of it, and
//! a small municipality's cost swings with single cases.
//!
//! Closed forms for the capped distribution (moments, CDF, quantiles) are
//! here so the tests can hold the sampler to them.

use super::distribution::{normal_cdf, normal_quantile};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The unscaled tail shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tail {
    /// exp(mu + sigma·Z).
    Lognormal { mu: f64, sigma: f64 },
    /// x_min · U^(−1/alpha): P(X > x) = (x_min/x)^alpha for x ≥ x_min.
    Pareto { x_min: f64, alpha: f64 },
}

/// A per-episode cost multiplier: min(X, cap) with X scaled so the mean is 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClientCost {
    pub tail: Tail,
    /// Largest multiplier (infinite without a cap).
    pub cap: f64,
}

impl ClientCost {
    /// Lognormal with log-sd `sigma`, capped at `cap` (> 1, or infinite),
    /// with mu solved so that E[min(X, cap)] = 1.
    pub fn lognormal(sigma: f64, cap: f64) -> Self {
        let uncapped = -sigma * sigma / 2.0;
        let mu = if cap.is_finite() {
            // E[min(X, cap)] rises with mu from below 1 (at the uncapped mu)
            // towards cap (> 1): bisect.
            let mean = |mu| Self::with(Tail::Lognormal { mu, sigma }, cap).raw_moment(1);
            bisect(uncapped, cap.ln() + 10.0 * sigma + 10.0, mean)
        } else {
            uncapped
        };
        Self::with(Tail::Lognormal { mu, sigma }, cap)
    }

    /// Pareto with tail index `alpha` (> 1), capped at `cap` (> 1, or
    /// infinite), with x_min solved so that E[min(X, cap)] = 1.
    pub fn pareto(alpha: f64, cap: f64) -> Self {
        let uncapped = (alpha - 1.0) / alpha;
        let x_min = if cap.is_finite() {
            let mean = |x_min| Self::with(Tail::Pareto { x_min, alpha }, cap).raw_moment(1);
            bisect(uncapped, cap, mean)
        } else {
            uncapped
        };
        Self::with(Tail::Pareto { x_min, alpha }, cap)
    }

    fn with(tail: Tail, cap: f64) -> Self {
        ClientCost { tail, cap }
    }

    /// One multiplier.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = match self.tail {
            Tail::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Tail::Pareto { x_min, alpha } => {
                // 1 − U lies in (0, 1], so the power is finite.
                let u = 1.0 - rng.random::<f64>();
                x_min * u.powf(-1.0 / alpha)
            }
        };
        x.min(self.cap)
    }

    /// E[min(X, cap)^k] in closed form (infinite where the moment is).
    pub fn raw_moment(&self, k: i32) -> f64 {
        let kf = f64::from(k);
        let c = self.cap;
        match self.tail {
            Tail::Lognormal { mu, sigma } => {
                let s2 = sigma * sigma;
                let body = (kf * mu + kf * kf * s2 / 2.0).exp();
                if c.is_infinite() {
                    return body;
                }
                let z = (c.ln() - mu) / sigma;
                body * normal_cdf(z - kf * sigma) + c.powi(k) * (1.0 - normal_cdf(z))
            }
            Tail::Pareto { x_min, alpha } => {
                if c.is_infinite() {
                    return if alpha > kf {
                        alpha * x_min.powi(k) / (alpha - kf)
                    } else {
                        f64::INFINITY
                    };
                }
                let above = (x_min / c).powf(alpha);
                let body = if (alpha - kf).abs() < 1e-12 {
                    alpha * x_min.powf(alpha) * (c / x_min).ln()
                } else {
                    alpha * x_min.powf(alpha) * (c.powf(kf - alpha) - x_min.powf(kf - alpha))
                        / (kf - alpha)
                };
                body + c.powi(k) * above
            }
        }
    }

    pub fn mean(&self) -> f64 {
        self.raw_moment(1)
    }

    /// P(min(X, cap) ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x >= self.cap {
            return 1.0;
        }
        match self.tail {
            Tail::Lognormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x.ln() - mu) / sigma)
                }
            }
            Tail::Pareto { x_min, alpha } => {
                if x <= x_min {
                    0.0
                } else {
                    1.0 - (x_min / x).powf(alpha)
                }
            }
        }
    }

    /// The `p` quantile of min(X, cap).
    pub fn quantile(&self, p: f64) -> f64 {
        let x = match self.tail {
            Tail::Lognormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
            Tail::Pareto { x_min, alpha } => x_min * (1.0 - p).powf(-1.0 / alpha),
        };
        x.min(self.cap)
    }

    /// Share of the expected cost carried by multipliers above `k`:
    /// E[M · 1{M > k}] / E[M] (how concentrated the cost is).
    pub fn cost_share_above(&self, k: f64) -> f64 {
        if k >= self.cap {
            return 0.0;
        }
        let below = match self.tail {
            Tail::Lognormal { mu, sigma } => {
                (mu + sigma * sigma / 2.0).exp() * normal_cdf((k.ln() - mu) / sigma - sigma)
            }
            Tail::Pareto { x_min, alpha } => {
                if k <= x_min {
                    0.0
                } else {
                    alpha * x_min.powf(alpha) * (k.powf(1.0 - alpha) - x_min.powf(1.0 - alpha))
                        / (1.0 - alpha)
                }
            }
        };
        1.0 - below / self.mean()
    }
}

/// The root of the increasing `f(x) = 1` on [lo, hi] by bisection (to the
/// last bit; 200 halvings of any finite interval).
fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, StreamFactory};

    fn classes() -> Vec<ClientCost> {
        vec![
            ClientCost::lognormal(0.5, f64::INFINITY),
            ClientCost::lognormal(1.2, 20.0),
            ClientCost::pareto(2.5, f64::INFINITY),
            ClientCost::pareto(1.5, 30.0),
            ClientCost::pareto(2.0, 10.0),
        ]
    }

    #[test]
    fn mean_is_one_after_the_cap() {
        for c in classes() {
            assert!((c.mean() - 1.0).abs() < 1e-9, "{c:?}: mean {}", c.mean());
        }
    }

    /// Sample mean and tail quantiles against the closed forms, with
    /// tolerances from the number of draws: four standard errors of the mean
    /// (the capped or finite-variance cases), and for each quantile the
    /// closed-form CDF at the empirical quantile within four binomial
    /// standard errors of p.
    #[test]
    fn draws_match_the_closed_forms() {
        let n = 200_000usize;
        for (i, c) in classes().into_iter().enumerate() {
            let mut rng = StreamFactory::new(11).stream(0, Purpose::ClientCost, i as u16);
            let mut xs: Vec<f64> = (0..n).map(|_| c.sample(&mut rng)).collect();
            let var = c.raw_moment(2) - 1.0;
            if var.is_finite() {
                let mean = xs.iter().sum::<f64>() / n as f64;
                let tol = 4.0 * (var / n as f64).sqrt();
                assert!((mean - 1.0).abs() < tol, "{c:?}: mean {mean} ± {tol}");
            }
            xs.sort_by(f64::total_cmp);
            for p in [0.5, 0.9, 0.99, 0.999] {
                let x = xs[((p * n as f64).ceil() as usize).min(n) - 1];
                let tol = 4.0 * (p * (1.0 - p) / n as f64).sqrt();
                let f = c.cdf(x);
                // At the cap the CDF jumps to 1: the quantile is then the cap
                // itself whenever P(M < cap) ≤ p.
                if x >= c.cap {
                    assert!(c.cdf(c.cap * (1.0 - 1e-12)) <= p + tol, "{c:?} p {p}");
                } else {
                    assert!((f - p).abs() < tol, "{c:?}: F(q{p}) = {f} ± {tol}");
                    let q = c.quantile(p);
                    if q < c.cap {
                        assert!((c.cdf(q) - p).abs() < 1e-6, "{c:?}: quantile {p}");
                    }
                }
            }
        }
    }

    #[test]
    fn cost_share_above_matches_draws() {
        let c = ClientCost::lognormal(0.8, 10.0);
        let n = 200_000;
        let mut rng = StreamFactory::new(12).stream(0, Purpose::ClientCost, 0);
        let xs: Vec<f64> = (0..n).map(|_| c.sample(&mut rng)).collect();
        let share = xs.iter().filter(|&&x| x > 2.0).sum::<f64>() / xs.iter().sum::<f64>();
        // Standard error of a ratio of sums: below 0.005 at this n and sigma.
        assert!((share - c.cost_share_above(2.0)).abs() < 0.01, "{share}");
    }
}
