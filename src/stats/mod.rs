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
/// reproducible mean) and are reordered in place: the order statistics the
/// quantiles read are put where a full sort would put them (the rest is
/// not sorted); money columns hold integral cents and are summarised
/// exactly.
pub fn summarize(values: &mut [f64], money: bool) -> Summary {
    let m = mean(values);
    let s = sd(values);
    select_ranks(values, &quantile_ranks(values.len()), 0);
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

/// The ranks (0-based, ascending, distinct) of the order statistics that
/// [`quantile`] and [`money_quantile`] read for the levels of `LEVELS` in
/// `n` values: the two neighbours of each level's position.
fn quantile_ranks(n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut ranks = Vec::with_capacity(4 * LEVELS.len());
    for (p, _) in LEVELS {
        let float = ((n - 1) as f64 * p as f64 / 100.0).floor() as usize;
        let exact = (n - 1) * p as usize / 100;
        for lo in [float, exact] {
            ranks.extend([lo.min(n - 1), (lo + 1).min(n - 1)]);
        }
    }
    ranks.sort_unstable();
    ranks.dedup();
    ranks
}

/// Puts the order statistics of `ranks` (ascending, distinct, counted from
/// `offset`, the position of `values` in the whole column) where a full
/// sort by `f64::total_cmp` would put them: a few selections of O(n)
/// instead of a sort of O(n log n). Each order statistic under a total
/// order is one bit pattern, so the quantiles read off are the same bits
/// as after a sort.
fn select_ranks(values: &mut [f64], ranks: &[usize], offset: usize) {
    if ranks.is_empty() || values.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let k = ranks[mid] - offset;
    let (left, _, right) = values.select_nth_unstable_by(k, f64::total_cmp);
    select_ranks(left, &ranks[..mid], offset);
    select_ranks(right, &ranks[mid + 1..], offset + k + 1);
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
    fn selected_quantiles_equal_sorted_quantiles() {
        // Ties, signed zeros and a constant column included: the quantiles
        // after selection are the same bits as after a full sort.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as f64
        };
        for n in [0usize, 1, 2, 3, 7, 20, 99, 100, 101, 1000, 1001] {
            for column in 0..4 {
                let values: Vec<f64> = (0..n)
                    .map(|i| match column {
                        0 => next(),
                        1 => (next() % 5.0).round(),
                        2 => 3.0,
                        _ => {
                            if i % 2 == 0 {
                                0.0
                            } else {
                                -0.0
                            }
                        }
                    })
                    .collect();
                for money in [false, true] {
                    let mut sorted = values.clone();
                    sorted.sort_by(f64::total_cmp);
                    let want = LEVELS.map(|(p, _)| {
                        if money {
                            Value::Cents(money_quantile(&sorted, p))
                        } else {
                            Value::Number(quantile(&sorted, p))
                        }
                    });
                    let got = summarize(&mut values.clone(), money).quantiles;
                    let bits = |v: &[Value; 7]| {
                        format!(
                            "{:?}",
                            v.map(|x| match x {
                                Value::Number(f) => f.to_bits().to_string(),
                                Value::Cents(d) => d.to_string(),
                            })
                        )
                    };
                    assert_eq!(bits(&got), bits(&want), "n {n}, column {column}");
                }
            }
        }
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
