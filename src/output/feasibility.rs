//! `feasibility.csv` (per year and party: lumpsum, cost distribution,
//! P(cost > lumpsum), shortfall, P(insolvent)) and `replications.csv` (the
//! headline metrics of every replication), both from one pass over the
//! row file; `sufficient_lumpsum.csv` from the same costs and lumpsums.

use super::export::{Format, TableWriter};
use super::format::Name;
use super::sufficient::Party;
use crate::finance::Regime;
use crate::metrics::{ColumnKey, Metric, ScopeKind};
use crate::stats::{Value, exact_mean_cents, summarize};
use anyhow::Result;
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::Path;

/// One row of the stdout table: the region in one year.
#[derive(Clone, Debug)]
pub struct YearOverview {
    pub year: i32,
    pub lumpsum: Value,
    pub cost_mean: Value,
    pub p_overrun: f64,
    pub active_end: f64,
    pub waiting_end: f64,
}

/// P(cost > lumpsum) of one party in one year.
#[derive(Clone, Debug)]
pub struct PartyOverrun {
    pub year: i32,
    pub scope: ScopeKind,
    pub name: String,
    pub p_overrun: f64,
}

/// A party with a budget in one year: its cost and lumpsum columns.
struct Budget {
    year: i32,
    scope: ScopeKind,
    name: String,
    cost: usize,
    lumpsum: usize,
    /// The provider's insolvency flag column.
    insolvent: Option<usize>,
}

/// What the replication pass collects for feasibility and the overview.
struct Collected {
    /// [budget] → cost and lumpsum per replication (cents).
    cost: Vec<Vec<f64>>,
    lumpsum: Vec<Vec<f64>>,
    /// [budget] → insolvency flags summed over replications (providers only).
    insolvency: Vec<Option<f64>>,
    years: Vec<i32>,
    /// [year] → region clients in care and waiting at year end, summed.
    active: Vec<f64>,
    waiting: Vec<f64>,
}

#[derive(Serialize, Default)]
struct ReplicationRow<'a> {
    replication: u64,
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    metric: Option<Metric>,
    value: Value,
}

#[derive(Serialize, Default)]
struct FeasibilityRow<'a> {
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    lumpsum_eur: Value,
    cost_mean_eur: Value,
    cost_p50_eur: Value,
    cost_p95_eur: Value,
    p_overrun: Value,
    expected_shortfall_eur: Value,
    shortfall_p90_eur: Value,
    shortfall_p95_eur: Value,
    p_insolvent: Option<Value>,
}

/// `replications.csv` written and the feasibility sums collected row by
/// row, as the replications finish; [`Feasibility::finish`] writes
/// `feasibility.csv` and `sufficient_lumpsum.csv` from them.
pub struct Feasibility<'k> {
    budgets: Vec<Budget>,
    headline: Vec<usize>,
    stocks: Vec<(Option<usize>, Option<usize>)>,
    collected: Collected,
    table: TableWriter<ReplicationRow<'k>>,
    columns: &'k [ColumnKey],
    rows: usize,
}

impl<'k> Feasibility<'k> {
    /// Starts `replications.csv` in `dir` for `rows` rows of `columns`.
    pub fn create(dir: &Path, columns: &'k [ColumnKey], rows: usize) -> Result<Self> {
        let budgets = budgets(columns);
        let headline = headline_columns(columns);
        let mut years: Vec<i32> = columns.iter().map(|k| k.year).collect();
        years.dedup();
        let stocks = years
            .iter()
            .map(|y| {
                (
                    region_column(columns, *y, Metric::ActiveEnd),
                    region_column(columns, *y, Metric::WaitingEnd),
                )
            })
            .collect();
        let collected = Collected {
            cost: vec![Vec::with_capacity(rows); budgets.len()],
            lumpsum: vec![Vec::with_capacity(rows); budgets.len()],
            insolvency: budgets.iter().map(|b| b.insolvent.map(|_| 0.0)).collect(),
            active: vec![0.0; years.len()],
            waiting: vec![0.0; years.len()],
            years,
        };
        Ok(Feasibility {
            columns,
            table: TableWriter::create(&dir.join("replications.csv"), Format::Csv)?,
            budgets,
            headline,
            stocks,
            collected,
            rows,
        })
    }

    /// One replication's row: its headline lines, and the sums.
    pub fn add(&mut self, replication: u64, values: &[f64]) -> Result<()> {
        for &i in &self.headline {
            let key = &self.columns[i];
            self.table
                .write(&replication_row(replication, values[i], key))?;
        }
        self.collected.add(values, &self.budgets, &self.stocks);
        Ok(())
    }

    /// Writes `replications.csv`, `sufficient_lumpsum.csv` and
    /// `feasibility.csv`; returns the region per year and every party's
    /// P(overrun) for the terminal overview.
    pub fn finish(self, dir: &Path) -> Result<(Vec<YearOverview>, Vec<PartyOverrun>)> {
        self.table.finish()?;
        let (budgets, collected) = (&self.budgets, &self.collected);
        let parties = budgets.iter().enumerate().map(|(b, budget)| Party {
            year: budget.year,
            scope: budget.scope,
            name: &budget.name,
            cost: &collected.cost[b],
            lumpsum: &collected.lumpsum[b],
        });
        super::sufficient::write(dir, parties)?;
        write_feasibility(dir, budgets, collected, self.rows)
    }
}

/// Every party total with both a cost and a lumpsum column, in column order.
fn budgets(columns: &[ColumnKey]) -> Vec<Budget> {
    let find = |k: &ColumnKey, metric: Metric, party: &dyn Fn(&ColumnKey) -> bool| {
        columns.iter().position(|o| {
            o.year == k.year && party(o) && o.care_form == k.care_form && o.metric == metric
        })
    };
    let mut budgets = Vec::new();
    for (i, k) in columns.iter().enumerate() {
        if !(k.is_party_total() && k.metric == Metric::CostEur) {
            continue;
        }
        let same_party = |o: &ColumnKey| {
            o.municipality == k.municipality && o.area == k.area && o.provider == k.provider
        };
        let Some(lumpsum) = find(k, Metric::LumpsumEur, &same_party) else {
            continue;
        };
        // With a regime schedule the comparison follows the regime in force:
        // the budget against its claim; a provider its cost against what it
        // is paid (in a lumpsum year both are the lumpsum comparison).
        let claim = find(k, Metric::BudgetClaimEur, &same_party);
        let paid = find(k, Metric::PaidEur(Regime::Scheduled), &same_party);
        let (cost, lumpsum) = match (claim, paid) {
            (Some(claim), _) => (claim, lumpsum),
            (None, Some(paid)) if k.provider != crate::metrics::ALL => (i, paid),
            _ => (i, lumpsum),
        };
        let (scope, name) = k.scope();
        let same_provider = |o: &ColumnKey| o.provider == name;
        let insolvent = (scope == ScopeKind::Provider)
            .then(|| find(k, Metric::Insolvent, &same_provider))
            .flatten();
        budgets.push(Budget {
            year: k.year,
            scope,
            name: name.to_string(),
            cost,
            lumpsum,
            insolvent,
        });
    }
    budgets
}

/// Party totals of the headline metrics, in column order.
fn headline_columns(columns: &[ColumnKey]) -> Vec<usize> {
    (0..columns.len())
        .filter(|&i| columns[i].is_party_total() && columns[i].metric.is_headline())
        .collect()
}

/// The region's column of `metric` in `year`.
fn region_column(columns: &[ColumnKey], year: i32, metric: Metric) -> Option<usize> {
    columns.iter().position(|k| {
        k.year == year
            && k.scope().0 == ScopeKind::Region
            && k.care_form == crate::metrics::ALL
            && k.metric == metric
    })
}

/// One line of `replications.csv`.
fn replication_row(replication: u64, v: f64, key: &ColumnKey) -> ReplicationRow<'_> {
    let (scope, name) = key.scope();
    ReplicationRow {
        replication,
        year: key.year,
        scope,
        name: Name(name),
        metric: Some(key.metric),
        value: if key.money {
            Value::Cents(Decimal::from(v as i64))
        } else {
            Value::Number(v)
        },
    }
}

impl Collected {
    fn add(&mut self, row: &[f64], budgets: &[Budget], stocks: &[(Option<usize>, Option<usize>)]) {
        for (b, budget) in budgets.iter().enumerate() {
            self.cost[b].push(row[budget.cost]);
            self.lumpsum[b].push(row[budget.lumpsum]);
            if let (Some(col), Some(sum)) = (budget.insolvent, self.insolvency[b].as_mut()) {
                *sum += row[col];
            }
        }
        for (yi, (a, w)) in stocks.iter().enumerate() {
            self.active[yi] += a.map_or(0.0, |c| row[c]);
            self.waiting[yi] += w.map_or(0.0, |c| row[c]);
        }
    }
}

fn write_feasibility(
    dir: &Path,
    budgets: &[Budget],
    c: &Collected,
    rows: usize,
) -> Result<(Vec<YearOverview>, Vec<PartyOverrun>)> {
    let n = rows.max(1) as f64;
    let mut table = TableWriter::create(&dir.join("feasibility.csv"), Format::Csv)?;
    let mut overview = Vec::new();
    let mut parties = Vec::new();
    for (b, budget) in budgets.iter().enumerate() {
        let row = feasibility_row(budget, &c.cost[b], &c.lumpsum[b], c.insolvency[b], n);
        table.write(&row)?;
        let p_overrun = match row.p_overrun {
            Value::Number(p) => p,
            Value::Cents(_) => unreachable!("a probability"),
        };
        parties.push(PartyOverrun {
            year: budget.year,
            scope: budget.scope,
            name: budget.name.clone(),
            p_overrun,
        });
        if budget.scope == ScopeKind::Region {
            let yi = c.years.iter().position(|y| *y == budget.year);
            let yi = yi.expect("year in columns");
            overview.push(YearOverview {
                year: budget.year,
                lumpsum: row.lumpsum_eur,
                cost_mean: row.cost_mean_eur,
                p_overrun,
                active_end: c.active[yi] / n,
                waiting_end: c.waiting[yi] / n,
            });
        }
    }
    table.finish()?;
    Ok((overview, parties))
}

/// One party-year of `feasibility.csv` from its per-replication cost and lumpsum.
fn feasibility_row<'a>(
    budget: &'a Budget,
    cost: &[f64],
    lumpsum: &[f64],
    insolvency: Option<f64>,
    n: f64,
) -> FeasibilityRow<'a> {
    let mut shortfall: Vec<f64> = cost
        .iter()
        .zip(lumpsum)
        .map(|(c, l)| (c - l).max(0.0))
        .collect();
    let expected_shortfall = Value::Cents(exact_mean_cents(&shortfall));
    let shortfall_stats = summarize(&mut shortfall, true);
    let overruns = cost.iter().zip(lumpsum).filter(|(c, l)| c > l).count();
    let cost_stats = summarize(&mut cost.to_vec(), true);
    FeasibilityRow {
        year: budget.year,
        scope: budget.scope,
        name: Name(&budget.name),
        lumpsum_eur: Value::Cents(exact_mean_cents(lumpsum)),
        cost_mean_eur: cost_stats.mean,
        cost_p50_eur: cost_stats.at(50),
        cost_p95_eur: cost_stats.at(95),
        p_overrun: Value::Number(overruns as f64 / n),
        expected_shortfall_eur: expected_shortfall,
        shortfall_p90_eur: shortfall_stats.at(90),
        shortfall_p95_eur: shortfall_stats.at(95),
        p_insolvent: insolvency.map(|sum| Value::Number(sum / n)),
    }
}
