//! `budget_cycle.csv`: per year × municipality with a budget cycle × stage
//! (primitieve_begroting, burap1, burap2, jaarrekening) the budget that
//! stage set, what it saw of the year's cost, the deficit the year ended
//! with against that budget (quantiles, P(deficit), the reserve that covers
//! 90 % and 95 % of futures, P(deficit ≥ the realised one)) and the
//! deficit's split into structural and incidental. Definitions in
//! `finance::cycle`; everything from `replications.parquet`, so merged shards
//! give the same file.

use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::{CYCLE_METRICS, ColumnKey, CycleMetric, Metric};
use crate::montecarlo::rowfile::RowReader;
use crate::stats::{Value, exact_mean_cents, money_quantile, money_quantile_permille};
use anyhow::Result;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::path::Path;

pub const FILE_NAME: &str = "budget_cycle.csv";

/// The stages of the municipal budget cycle, in order.
pub const STAGES: [&str; 4] = ["primitieve_begroting", "burap1", "burap2", "jaarrekening"];

/// The headline of one municipality-year for the terminal.
#[derive(Clone, Debug)]
pub struct CycleHeadline {
    pub year: i32,
    pub municipality: String,
    pub deficit_mean: Decimal,
    pub deficit_p025: Decimal,
    pub deficit_p975: Decimal,
    pub structural_mean: Decimal,
    pub incidental_mean: Decimal,
    pub reserve_p90: Decimal,
    pub reserve_p95: Decimal,
    pub realised: Option<(Decimal, f64)>,
}

/// One municipality-year: [metric] → its column, if present.
struct Group {
    year: i32,
    municipality: String,
    columns: [Option<usize>; CYCLE_METRICS.len()],
}

#[derive(Serialize, Default)]
struct Row<'a> {
    year: i32,
    municipality: Name<'a>,
    stage: &'static str,
    budget_before_eur: Value,
    change_eur: Value,
    budget_eur: Value,
    risk_allowance_eur: Value,
    seen_cost_mean_eur: Value,
    seen_cost_p05_eur: Value,
    seen_cost_p50_eur: Value,
    seen_cost_p95_eur: Value,
    visible_cost_mean_eur: Value,
    projected_deficit_mean_eur: Value,
    deficit_mean_eur: Value,
    deficit_p025_eur: Value,
    deficit_p05_eur: Value,
    deficit_p50_eur: Value,
    deficit_p95_eur: Value,
    deficit_p975_eur: Value,
    p_deficit: Value,
    p_deficit_over_risk_allowance: Value,
    reserve_p90_eur: Value,
    reserve_p95_eur: Value,
    structural_mean_eur: Value,
    incidental_mean_eur: Value,
    legacy_mean_eur: Value,
    one_off_mean_eur: Value,
    prior_year_mean_eur: Value,
    booked_deficit_mean_eur: Value,
    realised_deficit_eur: Option<Value>,
    p_deficit_ge_realised: Option<Value>,
}

fn groups(columns: &[ColumnKey]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, k) in columns.iter().enumerate() {
        let Metric::Cycle(c) = k.metric else { continue };
        let at = out
            .iter()
            .position(|g| g.year == k.year && g.municipality == k.municipality);
        let g = match at {
            Some(g) => &mut out[g],
            None => {
                out.push(Group {
                    year: k.year,
                    municipality: k.municipality.clone(),
                    columns: [None; CYCLE_METRICS.len()],
                });
                out.last_mut().expect("just pushed")
            }
        };
        g.columns[slot(c)] = Some(i);
    }
    out
}

/// Writes `budget_cycle.csv` when some municipality has a budget cycle;
/// returns the jaarrekening headline of each municipality-year.
pub fn write(
    dir: &Path,
    bin: &Path,
    columns: &[ColumnKey],
    rows: usize,
) -> Result<Vec<CycleHeadline>> {
    let groups = groups(columns);
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    // [group][metric] → values per replication (cents).
    let mut values = vec![vec![Vec::with_capacity(rows); CYCLE_METRICS.len()]; groups.len()];
    let mut reader = RowReader::open(bin)?;
    while let Some(row) = reader.next_row()? {
        for (g, group) in groups.iter().enumerate() {
            for (m, column) in group.columns.iter().enumerate() {
                if let Some(c) = column {
                    values[g][m].push(row.value(*c));
                }
            }
        }
    }
    let mut table = TableWriter::create(&dir.join(FILE_NAME), Format::Csv)?;
    let mut headlines = Vec::new();
    for (group, v) in groups.iter().zip(&values) {
        let figures = Figures::new(v);
        for (s, stage) in STAGES.iter().enumerate() {
            table.write(&figures.row(group, s, stage))?;
        }
        headlines.push(figures.headline(group));
    }
    table.finish()?;
    Ok(headlines)
}

/// The index of a cycle metric in `CYCLE_METRICS`.
fn slot(m: CycleMetric) -> usize {
    CYCLE_METRICS
        .iter()
        .position(|c| *c == m)
        .expect("a cycle metric")
}

fn round(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// Mean of integral cents, rounded to a whole cent.
fn mean(x: &[f64]) -> Decimal {
    round(exact_mean_cents(x))
}

/// One municipality-year's per-replication figures.
struct Figures<'a> {
    v: &'a [Vec<f64>],
}

impl<'a> Figures<'a> {
    fn new(v: &'a [Vec<f64>]) -> Self {
        Figures { v }
    }

    fn get(&self, m: CycleMetric) -> &[f64] {
        &self.v[slot(m)]
    }

    fn mean(&self, m: CycleMetric) -> Decimal {
        round(exact_mean_cents(self.get(m)))
    }

    /// Per replication, the budget after stage `s` (cents).
    fn budget(&self, s: usize) -> Vec<f64> {
        use CycleMetric::*;
        let parts: &[CycleMetric] = match s {
            0 => &[PrimitiveBudget],
            1 => &[PrimitiveBudget, Burap1],
            _ => &[PrimitiveBudget, Burap1, Burap2],
        };
        (0..self.get(PrimitiveBudget).len())
            .map(|r| parts.iter().map(|p| self.get(*p)[r]).sum())
            .collect()
    }

    /// Per replication, what stage `s` sees of the year's cost.
    fn seen(&self, s: usize) -> Vec<f64> {
        match s {
            0 => self.budget(0),
            1 => self.get(CycleMetric::SeenBurap1).to_vec(),
            2 => self.get(CycleMetric::SeenBurap2).to_vec(),
            _ => self.burden(),
        }
    }

    /// Per replication, the run rate a stage sees without correcting for
    /// the lag (the jaarrekening: what the accounts book).
    fn visible(&self, s: usize) -> Vec<f64> {
        match s {
            0 => self.budget(0),
            1 => self.get(CycleMetric::VisibleBurap1).to_vec(),
            2 => self.get(CycleMetric::VisibleBurap2).to_vec(),
            _ => self.get(CycleMetric::Charged).to_vec(),
        }
    }

    /// Per replication, ongoing + legacy + one-off + prior-year cost.
    fn burden(&self) -> Vec<f64> {
        use CycleMetric::*;
        (0..self.get(Ongoing).len())
            .map(|r| {
                [Ongoing, Legacy, OneOff, PriorYear]
                    .iter()
                    .map(|m| self.get(*m)[r])
                    .sum()
            })
            .collect()
    }

    /// The stage's own columns: its budget and what it saw; the deficit
    /// columns come from `deficit_columns`.
    fn row(&self, group: &'a Group, s: usize, stage: &'static str) -> Row<'a> {
        let before = match s {
            0 | 1 => self.budget(0),
            2 => self.budget(1),
            _ => self.budget(2),
        };
        let budget = self.budget(s.min(2));
        let mut seen = self.seen(s);
        let projected: Vec<f64> = seen.iter().zip(&before).map(|(x, b)| x - b).collect();
        seen.sort_by(f64::total_cmp);
        let seen_at = |p: u32| Value::Cents(round(money_quantile(&seen, p)));
        let row = Row {
            year: group.year,
            municipality: Name(&group.municipality),
            stage,
            budget_before_eur: Value::Cents(mean(&before)),
            change_eur: Value::Cents(mean(&budget) - mean(&before)),
            budget_eur: Value::Cents(mean(&budget)),
            risk_allowance_eur: Value::Cents(self.mean(CycleMetric::RiskAllowance)),
            seen_cost_mean_eur: Value::Cents(mean(&seen)),
            seen_cost_p05_eur: seen_at(5),
            seen_cost_p50_eur: seen_at(50),
            seen_cost_p95_eur: seen_at(95),
            visible_cost_mean_eur: Value::Cents(mean(&self.visible(s))),
            projected_deficit_mean_eur: Value::Cents(mean(&projected)),
            ..Row::default()
        };
        self.deficit_columns(group, &budget, row)
    }

    /// The year's deficit against `budget` (per replication): quantiles,
    /// probabilities, reserves, the split and the realised comparison.
    fn deficit_columns(&self, group: &Group, budget: &[f64], row: Row<'a>) -> Row<'a> {
        let cents = Value::Cents;
        let minus =
            |x: Vec<f64>| -> Vec<f64> { x.iter().zip(budget).map(|(c, b)| c - b).collect() };
        let deficit = minus(self.burden());
        let booked = minus(self.get(CycleMetric::Charged).to_vec());
        let structural = mean(&minus(self.get(CycleMetric::Ongoing).to_vec()));
        let mut sorted = deficit.clone();
        sorted.sort_by(f64::total_cmp);
        let q = |p: u32| round(money_quantile_permille(&sorted, p));
        let share = |f: &dyn Fn(usize) -> bool| {
            let n = deficit.len().max(1);
            Value::Number((0..deficit.len()).filter(|&r| f(r)).count() as f64 / n as f64)
        };
        let risk = self.get(CycleMetric::RiskAllowance);
        let incidental = mean(&deficit) - structural;
        let (legacy, one_off) = (
            self.mean(CycleMetric::Legacy),
            self.mean(CycleMetric::OneOff),
        );
        let realised =
            group.columns[slot(CycleMetric::Realised)].map(|_| self.mean(CycleMetric::Realised));
        let realised_values = self.get(CycleMetric::Realised);
        Row {
            deficit_mean_eur: cents(mean(&deficit)),
            deficit_p025_eur: cents(q(25)),
            deficit_p05_eur: cents(q(50)),
            deficit_p50_eur: cents(q(500)),
            deficit_p95_eur: cents(q(950)),
            deficit_p975_eur: cents(q(975)),
            p_deficit: share(&|r| deficit[r] > 0.0),
            p_deficit_over_risk_allowance: share(&|r| deficit[r] > risk[r]),
            reserve_p90_eur: cents(q(900).max(Decimal::ZERO)),
            reserve_p95_eur: cents(q(950).max(Decimal::ZERO)),
            structural_mean_eur: cents(structural),
            incidental_mean_eur: cents(incidental),
            legacy_mean_eur: cents(legacy),
            one_off_mean_eur: cents(one_off),
            prior_year_mean_eur: cents(incidental - legacy - one_off),
            booked_deficit_mean_eur: cents(mean(&booked)),
            realised_deficit_eur: realised.map(cents),
            p_deficit_ge_realised: realised.map(|_| share(&|r| deficit[r] >= realised_values[r])),
            ..row
        }
    }

    fn headline(&self, group: &Group) -> CycleHeadline {
        let row = self.row(group, 3, STAGES[3]);
        let d = |v: Value| match v {
            Value::Cents(c) => c,
            Value::Number(_) => Decimal::ZERO,
        };
        let p = |v: Option<Value>| match v {
            Some(Value::Number(x)) => x,
            _ => 0.0,
        };
        CycleHeadline {
            year: group.year,
            municipality: group.municipality.clone(),
            deficit_mean: d(row.deficit_mean_eur),
            deficit_p025: d(row.deficit_p025_eur),
            deficit_p975: d(row.deficit_p975_eur),
            structural_mean: d(row.structural_mean_eur),
            incidental_mean: d(row.incidental_mean_eur),
            reserve_p90: d(row.reserve_p90_eur),
            reserve_p95: d(row.reserve_p95_eur),
            realised: row
                .realised_deficit_eur
                .map(|r| (d(r), p(row.p_deficit_ge_realised))),
        }
    }
}
