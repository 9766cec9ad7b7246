//! Exact statistics over replications: mean, standard deviation and
//! quantiles (linear interpolation between order statistics, Hyndman–Fan
//! type 7, the default of R and NumPy). Money columns (integral cents) are
//! summarised with exact decimals.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// Quantile levels of the summary columns p05 … p95.
pub const LEVELS: [(u32, &str); 7] = [
    (5, "p05"),
    (10, "p10"),
    (25, "p25"),
    (50, "p50"),
    (75, "p75"),
    (90, "p90"),
    (95, "p95"),
];

/// Type-7 quantile of sorted values at `percent` / 100.
pub fn quantile(sorted: &[f64], percent: u32) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let h = (n - 1) as f64 * percent as f64 / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Type-7 quantile of sorted integral cents at `percent` / 100, exact.
pub fn money_quantile(sorted: &[f64], percent: u32) -> Decimal {
    money_quantile_permille(sorted, percent * 10)
}

/// Type-7 quantile of sorted integral cents at `permille` / 1000, exact
/// (for levels such as 2.5 % and 97.5 %).
pub fn money_quantile_permille(sorted: &[f64], permille: u32) -> Decimal {
    let n = sorted.len();
    if n == 0 {
        return Decimal::ZERO;
    }
    // h = (n − 1)·p exactly, as a fraction with denominator 1000.
    let scaled = (n as u64 - 1) * permille as u64;
    let lo = (scaled / 1000) as usize;
    let frac = Decimal::new((scaled % 1000) as i64, 3);
    let hi = (lo + 1).min(n - 1);
    let a = Decimal::from_f64(sorted[lo]).unwrap_or_default();
    let b = Decimal::from_f64(sorted[hi]).unwrap_or_default();
    a + (b - a) * frac
}

pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Sample standard deviation (n − 1); 0 for fewer than two values.
pub fn sd(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    let m = mean(values);
    (values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1) as f64).sqrt()
}

/// A statistic as it will be written: exact cents for money columns, a
/// float otherwise. Formatting (euros, six decimals) is `output::format`'s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Cents(Decimal),
    Number(f64),
}

/// Mean, standard deviation and the quantiles of `LEVELS` of one column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub mean: Value,
    pub sd: Value,
    pub quantiles: [Value; LEVELS.len()],
}

impl Summary {
    /// The quantile at `percent`, one of `LEVELS`.
    pub fn at(&self, percent: u32) -> Value {
        let i = LEVELS
            .iter()
            .position(|(p, _)| *p == percent)
            .expect("a summary quantile level");
        self.quantiles[i]
    }
}

/// Summary of one column. `values` are in replication order (for a
/// reproducible mean) and are sorted in place; money columns hold integral
/// cents and are summarised exactly.
pub fn summarize(values: &mut [f64], money: bool) -> Summary {
    let m = mean(values);
    let s = sd(values);
    values.sort_by(f64::total_cmp);
    if money {
        Summary {
            mean: Value::Cents(exact_mean_cents(values)),
            sd: Value::Cents(Decimal::from_f64(s).unwrap_or_default()),
            quantiles: LEVELS.map(|(p, _)| Value::Cents(money_quantile(values, p))),
        }
    } else {
        Summary {
            mean: Value::Number(m),
            sd: Value::Number(s),
            quantiles: LEVELS.map(|(p, _)| Value::Number(quantile(values, p))),
        }
    }
}

/// Mean of integral cent values, exact.
pub fn exact_mean_cents(values: &[f64]) -> Decimal {
    if values.is_empty() {
        return Decimal::ZERO;
    }
    let total: i128 = values.iter().map(|v| *v as i128).sum();
    Decimal::from_i128_with_scale(total, 0) / Decimal::from(values.len() as u64)
}

/// Two-sided 95 % Student t quantile for `df` degrees of freedom.
pub fn t95(df: f64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df as usize {
        0 => f64::INFINITY,
        d if d <= 30 => TABLE[d - 1],
        d if d <= 60 => 2.000,
        d if d <= 120 => 1.980,
        _ => 1.960,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_match_r() {
        // R: quantile(1:10, c(.05,.5,.95)) = 1.45 5.5 9.55
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!((quantile(&v, 5) - 1.45).abs() < 1e-12);
        assert!((quantile(&v, 50) - 5.5).abs() < 1e-12);
        assert!((quantile(&v, 95) - 9.55).abs() < 1e-12);
        assert_eq!(money_quantile(&v, 95), Decimal::new(955, 2));
    }

    #[test]
    fn money_summaries_are_exact_cents() {
        let mut v = vec![100.0, 301.0, 200.0];
        let summary = summarize(&mut v, true);
        assert_eq!(
            summary.mean,
            Value::Cents(Decimal::from(601) / Decimal::from(3))
        );
        assert_eq!(summary.at(50), Value::Cents(Decimal::from(200)));
    }
}
