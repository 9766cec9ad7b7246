//! Duration and age distributions, validated at construction and sampled in
//! the hot loop without allocation.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal};

/// Lengths below this (about 0.1 second) are treated as no time at all.
pub const ZERO_DAYS: f64 = 1e-6;

/// An episode length (or delay) distribution in days.
#[derive(Clone, Debug)]
pub enum Duration {
    Exponential {
        mean: f64,
    },
    LogNormal {
        dist: LogNormal<f64>,
        mu: f64,
        sigma: f64,
        mean: f64,
    },
    Gamma {
        dist: Gamma<f64>,
        scale: f64,
        mean: f64,
    },
    Fixed {
        days: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Observed durations, sorted ascending (sampled uniformly).
    Empirical {
        sorted: Vec<f64>,
    },
}

impl Duration {
    pub fn exponential(mean: f64) -> Self {
        Duration::Exponential { mean }
    }

    /// Lognormal with the given mean and coefficient of variation (CV > 0).
    pub fn lognormal(mean: f64, cv: f64) -> Self {
        let sigma2 = (1.0 + cv * cv).ln();
        let sigma = sigma2.sqrt();
        let mu = mean.ln() - sigma2 / 2.0;
        let dist = LogNormal::new(mu, sigma).expect("validated lognormal parameters");
        Duration::LogNormal {
            dist,
            mu,
            sigma,
            mean,
        }
    }

    /// Gamma with the given mean and CV (shape 1/CV², scale mean·CV²).
    pub fn gamma(mean: f64, cv: f64) -> Self {
        let shape = 1.0 / (cv * cv);
        let scale = mean * cv * cv;
        let dist = Gamma::new(shape, scale).expect("validated gamma parameters");
        Duration::Gamma { dist, scale, mean }
    }

    pub fn mean(&self) -> f64 {
        match self {
            Duration::Exponential { mean } => *mean,
            Duration::LogNormal { mean, .. } | Duration::Gamma { mean, .. } => *mean,
            Duration::Fixed { days } => *days,
            Duration::Uniform { min, max } => (min + max) / 2.0,
            Duration::Empirical { sorted } => sorted.iter().sum::<f64>() / sorted.len() as f64,
        }
    }

    /// The longest length it can draw (infinite for the unbounded ones).
    pub fn max_days(&self) -> f64 {
        match self {
            Duration::Fixed { days } => *days,
            Duration::Uniform { max, .. } => *max,
            Duration::Empirical { sorted } => sorted.last().copied().unwrap_or(0.0),
            _ => f64::INFINITY,
        }
    }

    /// Every draw is (practically) 0 days: no time passes in such a stay.
    pub fn always_zero(&self) -> bool {
        self.max_days() < ZERO_DAYS
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Duration::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Duration::LogNormal { dist, .. } => dist.sample(rng),
            Duration::Gamma { dist, .. } => dist.sample(rng),
            Duration::Fixed { days } => *days,
            Duration::Uniform { min, max } => {
                if max > min {
                    rng.random_range(*min..*max)
                } else {
                    *min
                }
            }
            Duration::Empirical { sorted } => sorted[rng.random_range(0..sorted.len())],
        }
    }

    /// Remaining duration of an episode that has already lasted `elapsed`
    /// days: a draw from D − elapsed given D > elapsed.
    pub fn sample_residual<R: Rng + ?Sized>(&self, elapsed: f64, rng: &mut R) -> f64 {
        if elapsed <= 0.0 {
            return self.sample(rng);
        }
        match self {
            // Memoryless.
            Duration::Exponential { .. } => self.sample(rng),
            // Inverse transform on the upper tail: U ~ (Φ(z_s), 1).
            Duration::LogNormal { mu, sigma, .. } => {
                let lower = normal_cdf((elapsed.ln() - mu) / sigma);
                if lower >= 1.0 - 1e-12 {
                    // Far in the tail: the lognormal hazard vanishes slowly; use
                    // the conditional mean residual as a deterministic stand-in.
                    return elapsed * sigma;
                }
                let u = lower + (1.0 - lower) * rng.random::<f64>();
                let z = normal_quantile(u.clamp(1e-300, 1.0 - 1e-16));
                ((mu + sigma * z).exp() - elapsed).max(0.0)
            }
            // Rejection; the gamma tail is asymptotically exponential with
            // the scale parameter, which is the fallback far in the tail.
            Duration::Gamma { dist, scale, .. } => {
                for _ in 0..10_000 {
                    let d = dist.sample(rng);
                    if d > elapsed {
                        return d - elapsed;
                    }
                }
                let e: f64 = Exp1.sample(rng);
                e * scale
            }
            Duration::Fixed { days } => (days - elapsed).max(0.0),
            Duration::Uniform { min, max } => {
                if elapsed >= *max {
                    0.0
                } else {
                    let lo = elapsed.max(*min);
                    rng.random_range(lo..=*max) - elapsed
                }
            }
            Duration::Empirical { sorted } => {
                let first_above = sorted.partition_point(|d| *d <= elapsed);
                if first_above == sorted.len() {
                    0.0
                } else {
                    sorted[rng.random_range(first_above..sorted.len())] - elapsed
                }
            }
        }
    }
}

/// Standard normal CDF via erfc (W. J. Cody's rational approximation through
/// the complementary error function, |error| < 1.2e-7 — ample for sampling).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    // Numerical Recipes erfcc: fractional error below 1.2e-7 everywhere.
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let ans = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { ans } else { 2.0 - ans }
}

/// Standard normal quantile (Acklam's algorithm, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p_low = 0.02425;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// Age at arrival in years: weighted bands, uniform within a band.
#[derive(Clone, Debug)]
pub struct AgeDistribution {
    /// (cumulative weight, from, to), cumulative normalised to end at 1.
    bands: Vec<(f64, f64, f64)>,
}

impl AgeDistribution {
    pub fn new(bands: &[(f64, f64, f64)]) -> Self {
        let total: f64 = bands.iter().map(|b| b.2).sum();
        let mut acc = 0.0;
        let bands = bands
            .iter()
            .map(|&(from, to, w)| {
                acc += w / total;
                (acc, from, to)
            })
            .collect();
        AgeDistribution { bands }
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u: f64 = rng.random();
        let &(_, from, to) = self
            .bands
            .iter()
            .find(|b| u < b.0)
            .unwrap_or_else(|| self.bands.last().expect("at least one band"));
        from + (to - from) * rng.random::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, StreamFactory};

    fn mean_and_cv(d: &Duration, n: usize) -> (f64, f64) {
        let mut rng = StreamFactory::new(7).stream(0, Purpose::Other, 0);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt() / m)
    }

    #[test]
    fn mean_and_cv_parametrisation_holds() {
        // 200k draws: the standard error of the mean is cv/√n ≈ 0.2 %.
        for d in [Duration::lognormal(210.0, 0.9), Duration::gamma(210.0, 0.9)] {
            let (m, cv) = mean_and_cv(&d, 200_000);
            assert!((m / 210.0 - 1.0).abs() < 0.01, "mean {m}");
            assert!((cv - 0.9).abs() < 0.03, "cv {cv}");
        }
    }

    #[test]
    fn residuals_are_conditional_on_elapsed_time() {
        // E[D − s | D > s] by brute-force rejection vs the residual sampler.
        let mut rng = StreamFactory::new(9).stream(0, Purpose::Other, 1);
        for d in [Duration::lognormal(200.0, 0.8), Duration::gamma(200.0, 0.8)] {
            let s = 250.0;
            let mut brute = Vec::new();
            while brute.len() < 50_000 {
                let x = d.sample(&mut rng);
                if x > s {
                    brute.push(x - s);
                }
            }
            let brute_mean = brute.iter().sum::<f64>() / brute.len() as f64;
            let resid: f64 = (0..50_000)
                .map(|_| d.sample_residual(s, &mut rng))
                .sum::<f64>()
                / 50_000.0;
            assert!(
                (resid / brute_mean - 1.0).abs() < 0.03,
                "{resid} vs {brute_mean}"
            );
        }
    }

    #[test]
    fn normal_quantile_inverts_cdf() {
        for p in [1e-6, 0.01, 0.3, 0.5, 0.8, 0.999] {
            let z = normal_quantile(p);
            assert!((normal_cdf(z) - p).abs() < 1e-6, "p {p}");
        }
    }
}
