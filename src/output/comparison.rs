//! Paired comparison of two result folders run with the same seed and
//! replication indices (common random numbers): per year and scope, the
//! difference of means with a confidence interval from the paired
//! replications, and how much narrower that is than independent runs.

use super::atomic::AtomicFile;
use super::safe_cell;
use crate::aggregate::quantile::t95;
use crate::aggregate::{ALL, ColumnKey};
use crate::montecarlo::binfile::BinReader;
use anyhow::{Result, bail};
use std::collections::HashMap;
use std::path::Path;

/// Metrics compared, and how a replication's value is read from its column.
const COMPARED: [(&str, &str, Reading); 9] = [
    ("cost_eur", "cost_eur", Reading::Euros),
    ("balance_eur", "p_overrun", Reading::Deficit),
    ("wait_days_mean", "wait_days_mean", Reading::Plain),
    ("wait_days_p90", "wait_days_p90", Reading::Plain),
    ("waiting_mean", "waiting_mean", Reading::Plain),
    ("vacancy_cost_eur", "vacancy_cost_eur", Reading::Euros),
    ("friction_cost_eur", "friction_cost_eur", Reading::Euros),
    ("reneged", "reneged", Reading::Plain),
    (
        "out_of_region_starts",
        "out_of_region_starts",
        Reading::Plain,
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    Plain,
    /// Cents → euros.
    Euros,
    /// 1 when the balance is negative (cost above lumpsum), else 0.
    Deficit,
}

impl Reading {
    fn read(self, v: f64) -> f64 {
        match self {
            Reading::Plain => v,
            Reading::Euros => v / 100.0,
            Reading::Deficit => f64::from(u8::from(v < 0.0)),
        }
    }
}

/// Running mean and sum of squared deviations (Welford).
#[derive(Clone, Copy, Debug, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn add(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.mean;
        self.mean += delta / self.n;
        self.m2 += delta * (x - self.mean);
    }

    fn variance(&self) -> f64 {
        if self.n > 1.0 {
            self.m2 / (self.n - 1.0)
        } else {
            0.0
        }
    }
}

/// One compared quantity.
#[derive(Clone, Debug)]
pub struct ComparisonRow {
    pub year: i32,
    pub scope: &'static str,
    pub name: String,
    pub metric: &'static str,
    pub a_mean: f64,
    pub b_mean: f64,
    pub diff_mean: f64,
    /// Half-width of the 95 % interval of the paired difference.
    pub half_width: f64,
    /// Half-width had the two scenarios been run with independent random numbers.
    pub independent_half_width: f64,
}

impl ComparisonRow {
    /// Var(independent difference) / Var(paired difference).
    pub fn variance_reduction(&self) -> Option<f64> {
        (self.half_width > 0.0).then(|| (self.independent_half_width / self.half_width).powi(2))
    }
}

fn key(k: &ColumnKey) -> (i32, &str, &str, &str, &str, &str) {
    (
        k.year,
        &k.municipality,
        &k.area,
        &k.provider,
        &k.care_form,
        &k.metric,
    )
}

/// Compares the replication files of two runs replication by replication.
pub fn compare_bins(a: &Path, b: &Path) -> Result<Vec<ComparisonRow>> {
    let mut ra = BinReader::open(a)?;
    let mut rb = BinReader::open(b)?;
    let b_index: HashMap<_, usize> = rb
        .columns
        .iter()
        .enumerate()
        .map(|(i, k)| (key(k), i))
        .collect();
    // (column in A, column in B, how to read, output metric name)
    let mut pairs = Vec::new();
    for (i, k) in ra.columns.iter().enumerate() {
        if k.care_form != ALL || k.area != ALL {
            continue;
        }
        if let Some((_, name, reading)) = COMPARED.iter().find(|(m, _, _)| *m == k.metric)
            && let Some(&j) = b_index.get(&key(k))
        {
            pairs.push((i, j, *reading, *name));
        }
    }
    // Region cost per year, in year order: also compared cumulatively (the
    // cost of a transition so far, and when it pays back).
    let mut yearly_cost: Vec<usize> = (0..pairs.len())
        .filter(|&k| pairs[k].3 == "cost_eur" && ra.columns[pairs[k].0].scope().0 == "region")
        .collect();
    yearly_cost.sort_by_key(|&k| ra.columns[pairs[k].0].year);
    let mut moments = vec![[Moments::default(); 3]; pairs.len()];
    let mut cumulative = vec![[Moments::default(); 3]; yearly_cost.len()];
    loop {
        let (row_a, row_b) = (ra.next_row()?, rb.next_row()?);
        let (row_a, row_b) = match (row_a, row_b) {
            (None, None) => break,
            (Some(x), Some(y)) => (x, y),
            _ => bail!("the two runs have different numbers of replications"),
        };
        if row_a.replication() != row_b.replication() {
            bail!(
                "replication {} of A meets replication {} of B",
                row_a.replication(),
                row_b.replication()
            );
        }
        for (m, (i, j, reading, _)) in moments.iter_mut().zip(&pairs) {
            let (x, y) = (reading.read(row_a.value(*i)), reading.read(row_b.value(*j)));
            m[0].add(x);
            m[1].add(y);
            m[2].add(y - x);
        }
        let (mut sum_a, mut sum_b) = (0.0, 0.0);
        for (m, &k) in cumulative.iter_mut().zip(&yearly_cost) {
            let (i, j, reading, _) = pairs[k];
            sum_a += reading.read(row_a.value(i));
            sum_b += reading.read(row_b.value(j));
            m[0].add(sum_a);
            m[1].add(sum_b);
            m[2].add(sum_b - sum_a);
        }
    }
    let columns = &ra.columns;
    let row = |column: usize, metric: &'static str, [ma, mb, md]: &[Moments; 3]| {
        let k = &columns[column];
        let (scope, scope_name) = k.scope();
        let t = t95(md.n - 1.0);
        let se = |var: f64| (var / md.n.max(1.0)).sqrt();
        ComparisonRow {
            year: k.year,
            scope,
            name: scope_name.to_string(),
            metric,
            a_mean: ma.mean,
            b_mean: mb.mean,
            diff_mean: md.mean,
            half_width: t * se(md.variance()),
            independent_half_width: t * se(ma.variance() + mb.variance()),
        }
    };
    let mut rows: Vec<ComparisonRow> = pairs
        .iter()
        .zip(&moments)
        .map(|((i, _, _, name), m)| row(*i, name, m))
        .collect();
    rows.extend(
        yearly_cost
            .iter()
            .zip(&cumulative)
            .map(|(&k, m)| row(pairs[k].0, CUMULATIVE_COST, m)),
    );
    Ok(rows)
}

/// Metric name of the paired cumulative region cost (from the first year on).
pub const CUMULATIVE_COST: &str = "cumulative_cost_eur";

/// The payback year of B against A: the first year from which B's
/// cumulative cost stays below A's for the rest of the horizon, after B cost
/// more at some point (an investment). `None` when B never cost more or
/// never catches up.
pub fn payback_year(rows: &[ComparisonRow]) -> Option<i32> {
    let cumulative: Vec<&ComparisonRow> = rows
        .iter()
        .filter(|r| r.metric == CUMULATIVE_COST && r.scope == "region")
        .collect();
    let invested = cumulative.iter().position(|r| r.diff_mean > 0.0)?;
    let first = (invested..cumulative.len())
        .find(|&k| cumulative[k..].iter().all(|r| r.diff_mean < 0.0))?;
    Some(cumulative[first].year)
}

/// Writes `comparison.csv` (B − A).
pub fn write_comparison(dir: &Path, rows: &[ComparisonRow]) -> Result<()> {
    write_pairs(&dir.join("comparison.csv"), rows)
}

/// Writes paired rows (B − A) to `path`.
pub fn write_pairs(path: &Path, rows: &[ComparisonRow]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    {
        let mut w = csv::Writer::from_writer(file.writer());
        w.write_record([
            "year",
            "scope",
            "name",
            "metric",
            "a_mean",
            "b_mean",
            "diff_mean",
            "diff_ci95_low",
            "diff_ci95_high",
            "independent_ci95_half_width",
            "variance_reduction",
        ])?;
        let f = |v: f64| format!("{v:.6}");
        for r in rows {
            w.write_record([
                r.year.to_string(),
                r.scope.to_string(),
                safe_cell(&r.name).into_owned(),
                r.metric.to_string(),
                f(r.a_mean),
                f(r.b_mean),
                f(r.diff_mean),
                f(r.diff_mean - r.half_width),
                f(r.diff_mean + r.half_width),
                f(r.independent_half_width),
                r.variance_reduction()
                    .map_or(String::new(), |v| format!("{v:.2}")),
            ])?;
        }
        w.flush()?;
    }
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cumulative(year: i32, diff_mean: f64) -> ComparisonRow {
        ComparisonRow {
            year,
            scope: "region",
            name: "region".into(),
            metric: CUMULATIVE_COST,
            a_mean: 0.0,
            b_mean: 0.0,
            diff_mean,
            half_width: 0.0,
            independent_half_width: 0.0,
        }
    }

    #[test]
    fn payback_is_the_first_year_the_cumulative_gap_stays_negative() {
        let rows = |d: &[f64]| -> Vec<ComparisonRow> {
            d.iter()
                .enumerate()
                .map(|(k, v)| cumulative(2028 + k as i32, *v))
                .collect()
        };
        assert_eq!(
            payback_year(&rows(&[5.0, 2.0, -1.0, 1.0, -2.0, -3.0])),
            Some(2032)
        );
        assert_eq!(payback_year(&rows(&[5.0, 6.0, 7.0])), None);
        assert_eq!(payback_year(&rows(&[-1.0, -2.0])), None);
    }

    #[test]
    fn welford_matches_the_textbook_variance() {
        let mut m = Moments::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.add(x);
        }
        assert!((m.mean - 5.0).abs() < 1e-12);
        assert!((m.variance() - 32.0 / 7.0).abs() < 1e-12);
        assert_eq!(t95(1.0), 12.706);
        assert_eq!(t95(1000.0), 1.96);
    }
}
