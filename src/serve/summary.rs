//! What the page shows of a set of finished replications: per party and
//! year the cost's quantiles, P(cost > lumpsum) with its interval, and the
//! paired difference to the base on the same replications (common random
//! numbers). Pure functions over euros; nothing here simulates.

use crate::metrics::ScopeKind;
use crate::stats::{mean, quantile, sd, t95};
use serde::Serialize;

/// A party whose cost is set against its lumpsum.
#[derive(Clone, Debug, Serialize)]
pub struct Party {
    /// Serialised as its name: `region`, `municipality`, `provider`.
    pub kind: ScopeKind,
    pub name: String,
    pub label: String,
}

/// One replication's cost and lumpsum per party and year, in euros:
/// `cost[party][year]`.
#[derive(Clone, Debug, Default)]
pub struct Money {
    pub cost: Vec<Vec<f64>>,
    pub lumpsum: Vec<Vec<f64>>,
}

/// Cost quantiles per year.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Fan {
    pub mean: Vec<f64>,
    pub p05: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

/// A scenario's view of one party, without intervals.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    /// Mean lumpsum per year (the contract's rules move it with the cost).
    pub lumpsum: Vec<f64>,
    pub cost: Fan,
    pub p_overrun: Vec<f64>,
}

/// Paired differences variant − base per year, with 95 % t-intervals.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub cost_mean: Vec<f64>,
    pub cost_ci95: Vec<Option<[f64; 2]>>,
    pub p_overrun: Vec<f64>,
    pub p_overrun_ci95: Vec<Option<[f64; 2]>>,
}

/// One party in a result.
#[derive(Clone, Debug, Serialize)]
pub struct PartyResult {
    #[serde(flatten)]
    pub party: Party,
    pub lumpsum: Vec<f64>,
    pub cost: Fan,
    pub p_overrun: Vec<f64>,
    pub p_overrun_ci95: Vec<[f64; 2]>,
    pub base: Option<View>,
    pub diff: Option<Diff>,
    pub without_plan: Option<View>,
}

/// The answer to a run request so far.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    pub replications: usize,
    pub requested: u64,
    pub done: bool,
    pub elapsed_ms: u64,
    pub seed: u64,
    pub years: Vec<i32>,
    pub parties: Vec<PartyResult>,
}

/// The replications a result is made of, each with the variant's money
/// and (when known) the base's and the base-without-plan's.
pub struct Sample<'a> {
    pub variant: Vec<&'a Money>,
    pub base: Option<Vec<&'a Money>>,
    pub without_plan: Option<Vec<&'a Money>>,
}

/// Per party the summaries of `sample`.
pub fn summarize(parties: &[Party], years: usize, sample: &Sample<'_>) -> Vec<PartyResult> {
    (0..parties.len())
        .map(|p| {
            let cost =
                |reps: &[&Money], y: usize| reps.iter().map(|m| m.cost[p][y]).collect::<Vec<f64>>();
            let over = |reps: &[&Money], y: usize| -> Vec<f64> {
                reps.iter()
                    .map(|m| f64::from(u8::from(m.cost[p][y] > m.lumpsum[p][y])))
                    .collect()
            };
            let lumpsum = |reps: &[&Money]| -> Vec<f64> {
                (0..years)
                    .map(|y| mean(&reps.iter().map(|m| m.lumpsum[p][y]).collect::<Vec<_>>()))
                    .collect()
            };
            let view = |reps: &[&Money]| View {
                lumpsum: lumpsum(reps),
                cost: fan((0..years).map(|y| cost(reps, y))),
                p_overrun: (0..years).map(|y| mean(&over(reps, y))).collect(),
            };
            let v = &sample.variant;
            let n = v.len();
            let p_overrun: Vec<f64> = (0..years).map(|y| mean(&over(v, y))).collect();
            let diff = sample.base.as_ref().map(|b| Diff {
                cost_mean: (0..years)
                    .map(|y| mean(&minus(&cost(v, y), &cost(b, y))))
                    .collect(),
                cost_ci95: (0..years)
                    .map(|y| t_interval(&minus(&cost(v, y), &cost(b, y))))
                    .collect(),
                p_overrun: (0..years)
                    .map(|y| mean(&minus(&over(v, y), &over(b, y))))
                    .collect(),
                p_overrun_ci95: (0..years)
                    .map(|y| t_interval(&minus(&over(v, y), &over(b, y))))
                    .collect(),
            });
            PartyResult {
                party: parties[p].clone(),
                lumpsum: lumpsum(v),
                cost: fan((0..years).map(|y| cost(v, y))),
                p_overrun_ci95: p_overrun.iter().map(|&q| wilson(q, n)).collect(),
                p_overrun,
                base: sample.base.as_deref().map(view),
                diff,
                without_plan: sample.without_plan.as_deref().map(view),
            }
        })
        .collect()
}

fn minus(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

/// Quantiles (type 7, as in summary.csv) and means, year by year.
fn fan(years: impl Iterator<Item = Vec<f64>>) -> Fan {
    let mut f = Fan::default();
    for mut values in years {
        f.mean.push(mean(&values));
        values.sort_by(f64::total_cmp);
        f.p05.push(quantile(&values, 5));
        f.p25.push(quantile(&values, 25));
        f.p50.push(quantile(&values, 50));
        f.p75.push(quantile(&values, 75));
        f.p95.push(quantile(&values, 95));
    }
    f
}

/// The 95 % t-interval of a mean (as in comparison.csv); none below two values.
fn t_interval(values: &[f64]) -> Option<[f64; 2]> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let half = t95((n - 1) as f64) * sd(values) / (n as f64).sqrt();
    let m = mean(values);
    Some([m - half, m + half])
}

/// Wilson's 95 % interval of a proportion `p` of `n` (sound at 0 and 1,
/// where the normal band collapses to a point).
pub fn wilson(p: f64, n: usize) -> [f64; 2] {
    if n == 0 {
        return [0.0, 1.0];
    }
    let (z, n) = (1.96_f64, n as f64);
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook_values() {
        // 0 of 20: [0, 0.1611]; 10 of 20: [0.2993, 0.7007] (Wilson 1927; R prop.test without correction).
        let [lo, hi] = wilson(0.0, 20);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 1e-4, "{hi}");
        let [lo, hi] = wilson(0.5, 20);
        assert!(
            (lo - 0.2993).abs() < 1e-4 && (hi - 0.7007).abs() < 1e-4,
            "{lo} {hi}"
        );
    }

    #[test]
    fn a_variant_equal_to_its_base_differs_by_exactly_zero() {
        let money = |c: f64| Money {
            cost: vec![vec![c]],
            lumpsum: vec![vec![10.0]],
        };
        let reps: Vec<Money> = [8.0, 12.0, 9.0, 15.0].map(money).into();
        let refs: Vec<&Money> = reps.iter().collect();
        let parties = [Party {
            kind: ScopeKind::Region,
            name: "region".into(),
            label: "Region".into(),
        }];
        let sample = Sample {
            variant: refs.clone(),
            base: Some(refs),
            without_plan: None,
        };
        let r = &summarize(&parties, 1, &sample)[0];
        assert_eq!(r.p_overrun, vec![0.5]);
        let d = r.diff.as_ref().unwrap();
        assert_eq!((d.cost_mean[0], d.p_overrun[0]), (0.0, 0.0));
        assert_eq!(d.cost_ci95[0], Some([0.0, 0.0]));
        assert_eq!(r.cost.p50[0], 10.5);
    }
}
