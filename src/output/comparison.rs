//! Paired comparison of two result folders run with the same seed and
//! replication indices (common random numbers): per year and scope, the
//! difference of means with a confidence interval from the paired
//! replications, and how much narrower that is than independent runs.

use super::export::write_table;
use super::format::{Fixed, Name};
use crate::metrics::{ColumnKey, Derived, Figure, Metric, ScopeKind};
use crate::montecarlo::rowfile::{Row, RowReader};
use crate::stats::t95;
use anyhow::{Result, bail};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// The paired differences of a comparison folder.
pub const FILE_NAME: &str = "comparison.csv";

/// Metrics compared, the figure each is written as, and how a
/// replication's value is read from its column.
const COMPARED: [(Metric, Figure, Reading); 9] = [
    (
        Metric::CostEur,
        Figure::Metric(Metric::CostEur),
        Reading::Euros,
    ),
    (
        Metric::BalanceEur,
        Figure::Derived(Derived::POverrun),
        Reading::Deficit,
    ),
    (
        Metric::WaitDaysMean,
        Figure::Metric(Metric::WaitDaysMean),
        Reading::Plain,
    ),
    (
        Metric::WaitDaysP90,
        Figure::Metric(Metric::WaitDaysP90),
        Reading::Plain,
    ),
    (
        Metric::WaitingMean,
        Figure::Metric(Metric::WaitingMean),
        Reading::Plain,
    ),
    (
        Metric::VacancyCostEur,
        Figure::Metric(Metric::VacancyCostEur),
        Reading::Euros,
    ),
    (
        Metric::FrictionCostEur,
        Figure::Metric(Metric::FrictionCostEur),
        Reading::Euros,
    ),
    (
        Metric::Reneged,
        Figure::Metric(Metric::Reneged),
        Reading::Plain,
    ),
    (
        Metric::OutOfRegionStarts,
        Figure::Metric(Metric::OutOfRegionStarts),
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
    pub scope: ScopeKind,
    pub name: String,
    pub metric: Figure,
    pub a_mean: f64,
    pub b_mean: f64,
    pub diff_mean: f64,
    /// Half-width of the 95 % interval of the paired difference.
    pub half_width: f64,
    /// Half-width had the two scenarios been run with independent random numbers.
    pub independent_half_width: f64,
}

impl ComparisonRow {
    /// Var(independent difference) / Var(paired difference); none when the
    /// paired difference is constant. A constant difference of sums of
    /// floating-point values leaves a rounding residue (about 1e-16 of the
    /// means), which would read as a reduction of 1e30; anything below a
    /// millionth of a unit per billion of the means' size is taken as zero.
    pub fn variance_reduction(&self) -> Option<f64> {
        let noise = 1e-9 * (self.a_mean.abs() + self.b_mean.abs()).max(1e-3);
        (self.half_width > noise).then(|| (self.independent_half_width / self.half_width).powi(2))
    }
}

/// A column's identity across two runs.
fn key(k: &ColumnKey) -> (i32, &str, &str, &str, &str, String) {
    (
        k.year,
        &k.municipality,
        &k.area,
        &k.provider,
        &k.care_form,
        k.metric.name(),
    )
}

/// One compared column: where it is in A and B, and how it is read.
#[derive(Clone, Copy, Debug)]
struct Pair {
    a: usize,
    b: usize,
    reading: Reading,
    figure: Figure,
}

/// Moments of A, B and B − A.
type Paired = [Moments; 3];

/// Compares the replication files of two runs replication by replication.
pub fn compare_row_files(a: &Path, b: &Path) -> Result<Vec<ComparisonRow>> {
    let mut ra = RowReader::open(a)?;
    let mut rb = RowReader::open(b)?;
    let pairs = pairs(&ra.columns, &rb.columns);
    // Region cost per year, in year order: also compared cumulatively (the
    // cost of a transition so far, and when it pays back).
    let mut yearly_cost: Vec<usize> = (0..pairs.len())
        .filter(|&k| {
            pairs[k].figure == Figure::Metric(Metric::CostEur)
                && ra.columns[pairs[k].a].scope().0 == ScopeKind::Region
        })
        .collect();
    yearly_cost.sort_by_key(|&k| ra.columns[pairs[k].a].year);
    let mut moments = vec![Paired::default(); pairs.len()];
    let mut cumulative = vec![Paired::default(); yearly_cost.len()];
    loop {
        let (row_a, row_b) = match (ra.next_row()?, rb.next_row()?) {
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
        add_pairs(&mut moments, &pairs, &row_a, &row_b);
        add_cumulative(&mut cumulative, &yearly_cost, &pairs, &row_a, &row_b);
    }
    let columns = &ra.columns;
    let mut rows: Vec<ComparisonRow> = pairs
        .iter()
        .zip(&moments)
        .map(|(p, m)| comparison_row(&columns[p.a], p.figure, m))
        .collect();
    rows.extend(
        yearly_cost
            .iter()
            .zip(&cumulative)
            .map(|(&k, m)| comparison_row(&columns[pairs[k].a], CUMULATIVE_COST, m)),
    );
    Ok(rows)
}

/// The party-total columns of A with a compared metric that B also has.
fn pairs(a: &[ColumnKey], b: &[ColumnKey]) -> Vec<Pair> {
    let b_index: HashMap<_, usize> = b.iter().enumerate().map(|(i, k)| (key(k), i)).collect();
    let mut pairs = Vec::new();
    for (i, k) in a.iter().enumerate() {
        if !k.is_party_total() {
            continue;
        }
        if let Some((_, figure, reading)) = COMPARED.iter().find(|(m, _, _)| *m == k.metric)
            && let Some(&j) = b_index.get(&key(k))
        {
            pairs.push(Pair {
                a: i,
                b: j,
                reading: *reading,
                figure: *figure,
            });
        }
    }
    pairs
}

fn add_pairs(moments: &mut [Paired], pairs: &[Pair], row_a: &Row, row_b: &Row) {
    for (m, p) in moments.iter_mut().zip(pairs) {
        let x = p.reading.read(row_a.value(p.a));
        let y = p.reading.read(row_b.value(p.b));
        m[0].add(x);
        m[1].add(y);
        m[2].add(y - x);
    }
}

/// Adds the running sums of the yearly region cost (from the first year on).
fn add_cumulative(
    cumulative: &mut [Paired],
    yearly_cost: &[usize],
    pairs: &[Pair],
    row_a: &Row,
    row_b: &Row,
) {
    let (mut sum_a, mut sum_b) = (0.0, 0.0);
    for (m, &k) in cumulative.iter_mut().zip(yearly_cost) {
        let p = pairs[k];
        sum_a += p.reading.read(row_a.value(p.a));
        sum_b += p.reading.read(row_b.value(p.b));
        m[0].add(sum_a);
        m[1].add(sum_b);
        m[2].add(sum_b - sum_a);
    }
}

/// Means and 95 % half-widths (paired and as if independent) of one figure.
fn comparison_row(k: &ColumnKey, metric: Figure, [ma, mb, md]: &Paired) -> ComparisonRow {
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
}

/// Metric name of the paired cumulative region cost (from the first year on).
pub const CUMULATIVE_COST: Figure = Figure::Derived(Derived::CumulativeCostEur);

/// The payback year of B against A: the first year from which B's
/// cumulative cost stays below A's for the rest of the horizon, after B cost
/// more at some point (an investment). `None` when B never cost more or
/// never catches up.
pub fn payback_year(rows: &[ComparisonRow]) -> Option<i32> {
    let cumulative: Vec<&ComparisonRow> = rows
        .iter()
        .filter(|r| r.metric == CUMULATIVE_COST && r.scope == ScopeKind::Region)
        .collect();
    let invested = cumulative.iter().position(|r| r.diff_mean > 0.0)?;
    let first = (invested..cumulative.len())
        .find(|&k| cumulative[k..].iter().all(|r| r.diff_mean < 0.0))?;
    Some(cumulative[first].year)
}

/// Writes `comparison.csv` (B − A).
pub fn write_comparison(dir: &Path, rows: &[ComparisonRow]) -> Result<()> {
    write_pairs(&dir.join(FILE_NAME), rows)
}

/// One row of `comparison.csv` and `views.csv`.
#[derive(Serialize, Default)]
struct PairedRow<'a> {
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    metric: Option<Figure>,
    a_mean: Fixed<6>,
    b_mean: Fixed<6>,
    diff_mean: Fixed<6>,
    diff_ci95_low: Fixed<6>,
    diff_ci95_high: Fixed<6>,
    independent_ci95_half_width: Fixed<6>,
    variance_reduction: Option<Fixed<2>>,
}

impl<'a> From<&'a ComparisonRow> for PairedRow<'a> {
    fn from(r: &'a ComparisonRow) -> Self {
        PairedRow {
            year: r.year,
            scope: r.scope,
            name: Name(&r.name),
            metric: Some(r.metric),
            a_mean: Fixed(r.a_mean),
            b_mean: Fixed(r.b_mean),
            diff_mean: Fixed(r.diff_mean),
            diff_ci95_low: Fixed(r.diff_mean - r.half_width),
            diff_ci95_high: Fixed(r.diff_mean + r.half_width),
            independent_ci95_half_width: Fixed(r.independent_half_width),
            variance_reduction: r.variance_reduction().map(Fixed),
        }
    }
}

/// Writes paired rows (B − A) to `path`.
pub fn write_pairs(path: &Path, rows: &[ComparisonRow]) -> Result<()> {
    write_table(path, rows.iter().map(PairedRow::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cumulative(year: i32, diff_mean: f64) -> ComparisonRow {
        ComparisonRow {
            year,
            scope: ScopeKind::Region,
            name: ScopeKind::Region.name().into(),
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
    fn a_constant_paired_difference_has_no_variance_reduction() {
        let row = |half_width: f64| ComparisonRow {
            a_mean: 3.0e7,
            b_mean: 3.1e7,
            half_width,
            independent_half_width: 2.0e5,
            ..cumulative(2028, 1.0e6)
        };
        // Rounding residue of a constant difference: no reduction to report.
        assert_eq!(row(2.0e-9).variance_reduction(), None);
        assert_eq!(row(0.0).variance_reduction(), None);
        // A real paired spread: (2e5 / 1e4)^2 = 400.
        let v = row(1.0e4).variance_reduction().unwrap();
        assert!((v - 400.0).abs() < 1e-9, "{v}");
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
