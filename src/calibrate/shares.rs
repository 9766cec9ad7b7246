//! Shares (entry forms of new arrivals, destinations of ended episodes) with
//! their uncertainty as a Dirichlet concentration, and their rounding to the
//! precision the scenario is written with.
//!
//! A share estimated from N events has variance p(1 − p)/N if the years are
//! draws of one multinomial; when the yearly shares scatter more than that
//! (Pearson's dispersion φ > 1) the variance is φ times larger, and counts
//! known only as ranges add their uniform variance. A Dirichlet with
//! concentration α has var = p(1 − p)/(α + 1), so α is chosen to give each
//! share at least its estimated variance (the smallest α over the shares).

/// Decimals the written scenario gives a share.
pub const DECIMALS: i32 = 6;
/// Concentrations below this would make the draws meaningless (shares jumping
/// between 0 and 1); the data then say little and the prior is flat.
const MIN_CONCENTRATION: f64 = 2.0;

/// Fitted shares over categories and the concentration of their draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Shares {
    pub shares: Vec<f64>,
    /// Dirichlet concentration; infinite when the counts leave no doubt.
    pub concentration: f64,
}

/// Shares from yearly counts `counts[year][category]` (all categories,
/// including an exit or "rest" one) and the variances their ranges add
/// (`range_var[year][category]`). `None` when nothing was counted.
pub fn fit(counts: &[Vec<f64>], range_var: &[Vec<f64>]) -> Option<Shares> {
    let k = counts.first()?.len();
    let totals: Vec<f64> = counts.iter().map(|c| c.iter().sum()).collect();
    let n: f64 = totals.iter().sum();
    if n.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let shares: Vec<f64> = (0..k)
        .map(|j| counts.iter().map(|c| c[j]).sum::<f64>() / n)
        .collect();
    let phi = dispersion(counts, &totals, &shares).max(1.0);
    let concentration = (0..k)
        .filter(|&j| shares[j] > 0.0 && shares[j] < 1.0)
        .map(|j| {
            let p = shares[j];
            let ranges: f64 = range_var.iter().map(|v| v[j]).sum::<f64>() / (n * n);
            let var = phi * p * (1.0 - p) / n + ranges;
            (p * (1.0 - p) / var - 1.0).max(MIN_CONCENTRATION)
        })
        .fold(f64::INFINITY, f64::min);
    Some(Shares {
        shares,
        concentration,
    })
}

/// Pearson's χ² of the yearly counts against the pooled shares over its
/// degrees of freedom: 1 for multinomial years, more for extra scatter.
fn dispersion(counts: &[Vec<f64>], totals: &[f64], shares: &[f64]) -> f64 {
    let used: Vec<usize> = (0..shares.len()).filter(|&j| shares[j] > 0.0).collect();
    let years: Vec<usize> = (0..counts.len()).filter(|&y| totals[y] > 0.0).collect();
    if used.len() < 2 || years.len() < 2 {
        return 1.0;
    }
    let chi2: f64 = (years.iter())
        .flat_map(|&y| used.iter().map(move |&j| (y, j)))
        .map(|(y, j)| {
            let expected = totals[y] * shares[j];
            (counts[y][j] - expected).powi(2) / expected
        })
        .sum();
    chi2 / ((years.len() - 1) * (used.len() - 1)) as f64
}

/// `shares` (summing to 1) in units of 10^-DECIMALS that sum to exactly
/// 10^DECIMALS: each rounded down, the units left over given to the largest
/// remainders. Written as decimals they then read back summing to 1 within
/// floating-point error, far inside the scenario's tolerance of 10^-6.
pub fn rounded(shares: &[f64]) -> Vec<i64> {
    let unit = 10f64.powi(DECIMALS);
    let total: f64 = shares.iter().sum();
    if total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return vec![0; shares.len()];
    }
    let scaled: Vec<f64> = shares.iter().map(|s| s / total * unit).collect();
    let mut units: Vec<i64> = scaled.iter().map(|s| s.floor() as i64).collect();
    let left = unit as i64 - units.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = scaled[a] - scaled[a].floor();
        let rb = scaled[b] - scaled[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(left.max(0) as usize) {
        units[i] += 1;
    }
    units
}

/// A share in units of 10^-DECIMALS as the decimal the scenario gets.
pub fn decimal(units: i64) -> String {
    let unit = 10i64.pow(DECIMALS as u32);
    format!(
        "{}.{:0width$}",
        units / unit,
        units % unit,
        width = DECIMALS as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_shares_sum_to_one_exactly() {
        let thirds = [1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0];
        let units = rounded(&thirds);
        assert_eq!(units.iter().sum::<i64>(), 1_000_000);
        let text: Vec<String> = units.iter().map(|u| decimal(*u)).collect();
        assert_eq!(text, ["0.333334", "0.333333", "0.333333"]);
        let back: f64 = text.iter().map(|t| t.parse::<f64>().unwrap()).sum();
        assert!((back - 1.0).abs() < 1e-12);
        assert_eq!(decimal(1_000_000), "1.000000");
        // A case that rounding each share separately gets wrong (sum 0.999999).
        let skewed = [0.1234564, 0.2345674, 0.6419762];
        let units = rounded(&skewed);
        assert_eq!(units.iter().sum::<i64>(), 1_000_000);
    }

    #[test]
    fn multinomial_years_give_a_concentration_near_the_count() {
        let counts = vec![vec![90.0, 10.0], vec![91.0, 9.0], vec![89.0, 11.0]];
        let zero = vec![vec![0.0; 2]; 3];
        let s = fit(&counts, &zero).unwrap();
        assert!((s.shares[0] - 0.9).abs() < 1e-12);
        // χ² below its df: φ = 1, α + 1 = N.
        assert!((s.concentration - 299.0).abs() < 1e-9, "{s:?}");
        // Scattered years: a smaller concentration.
        let wild = vec![vec![80.0, 20.0], vec![99.0, 1.0], vec![91.0, 9.0]];
        assert!(fit(&wild, &zero).unwrap().concentration < 100.0);
        // Ranges add their variance.
        let ranged = vec![vec![0.0, 30.0]; 3];
        assert!(fit(&counts, &ranged).unwrap().concentration < 299.0);
    }
}
