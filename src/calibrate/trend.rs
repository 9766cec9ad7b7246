//! The log-linear fit of a yearly series (ordinary least squares on the
//! log, with standard errors): the arrival rate's level and trend, and the
//! growth of a form's starts the stay estimator corrects for.

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
    /// Mean of the fitted years (where level and slope are uncorrelated).
    pub centre: f64,
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
        centre: mx,
        n,
    })
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
