//! `decomposition.csv`: for each year after the first and each party
//! (region, municipality, provider), the change of expected cost from the
//! previous year split into volume, mix, duration and price
//! (`finance::decompose`). The expected values are the means over the
//! replications of `replications.parquet` (money exactly, in cents, as
//! `summary.csv` and `feasibility.csv` write them), so a merged result
//! gives the same bytes as a single run.

use super::export::{Format, TableWriter};
use super::format::Name;
use crate::finance::decompose::{FormYear, PartyYear, Split, decompose};
use crate::metrics::{ALL, ColumnKey, Metric, ScopeKind};
use crate::stats::Value;
use anyhow::Result;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::path::Path;

pub const FILE_NAME: &str = "decomposition.csv";

/// One row of `decomposition.csv`.
#[derive(Serialize, Default)]
struct DecompositionRow<'a> {
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    cost_change_eur: Value,
    volume_eur: Value,
    mix_eur: Value,
    duration_eur: Value,
    price_eur: Value,
}

/// The columns of `decomposition.csv`, in order (for readers that check them).
pub fn decomposition_columns() -> Vec<String> {
    super::export::columns::<DecompositionRow>()
}

/// What a column of the row file contributes to: (year, party) index and
/// the quantity (`None` form = the party's whole cost).
#[derive(Clone, Copy)]
struct Target {
    year: usize,
    party: usize,
    form: Option<usize>,
    metric: Metric,
}

/// Sums over the replications of what the split needs, per year and party.
struct Sums {
    years: Vec<i32>,
    parties: Vec<(ScopeKind, String)>,
    forms: Vec<String>,
    targets: Vec<(usize, Target)>,
    /// [year][party][form] → (clients, client-days) summed in replication order.
    flows: Vec<Vec<Vec<(f64, f64)>>>,
    /// [year][party][form, then the whole party last] → cost cents summed exactly.
    cost: Vec<Vec<Vec<i128>>>,
}

impl Sums {
    /// Picks the columns of party totals and of their care forms.
    fn new(columns: &[ColumnKey]) -> Sums {
        let mut s = Sums {
            years: Vec::new(),
            parties: Vec::new(),
            forms: Vec::new(),
            targets: Vec::new(),
            flows: Vec::new(),
            cost: Vec::new(),
        };
        for (c, key) in columns.iter().enumerate() {
            let (kind, name) = key.scope();
            let wanted = matches!(
                key.metric,
                Metric::CostEur | Metric::ClientDays | Metric::Clients
            );
            if !wanted || key.area != ALL || kind == ScopeKind::Area {
                continue;
            }
            let year = position(&mut s.years, key.year);
            let party = position(&mut s.parties, (kind, name.to_string()));
            let form =
                (key.care_form != ALL).then(|| position(&mut s.forms, key.care_form.clone()));
            if form.is_none() && key.metric != Metric::CostEur {
                continue;
            }
            s.targets.push((
                c,
                Target {
                    year,
                    party,
                    form,
                    metric: key.metric,
                },
            ));
        }
        let (y, p, f) = (s.years.len(), s.parties.len(), s.forms.len());
        s.flows = vec![vec![vec![(0.0, 0.0); f]; p]; y];
        s.cost = vec![vec![vec![0; f + 1]; p]; y];
        s
    }

    fn add(&mut self, value: impl Fn(usize) -> f64) {
        let whole = self.forms.len();
        for (c, t) in &self.targets {
            let v = value(*c);
            match (t.metric, t.form) {
                (Metric::CostEur, form) => {
                    self.cost[t.year][t.party][form.unwrap_or(whole)] += v as i128
                }
                (Metric::Clients, Some(f)) => self.flows[t.year][t.party][f].0 += v,
                (_, Some(f)) => self.flows[t.year][t.party][f].1 += v,
                _ => {}
            }
        }
    }

    /// The expected values of a party in a year, over `n` replications.
    fn party_year(&self, year: usize, party: usize, n: usize) -> PartyYear {
        let n_dec = Decimal::from(n.max(1) as u64);
        let mean_cents = |total: i128| Decimal::from_i128_with_scale(total, 0) / n_dec;
        let cost = &self.cost[year][party];
        let forms = self.flows[year][party]
            .iter()
            .zip(cost)
            .map(|(&(clients, days), &c)| FormYear {
                clients: clients / n.max(1) as f64,
                client_days: days / n.max(1) as f64,
                cost: mean_cents(c).to_f64().unwrap_or(0.0),
            })
            .collect();
        let whole = mean_cents(cost[self.forms.len()]);
        PartyYear {
            forms,
            cost_cents: whole
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i64()
                .unwrap_or(0),
            cost_exact: whole.to_f64().unwrap_or(0.0),
        }
    }
}

/// The index of `item` in `list`, appending it when new.
fn position<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

/// The sums `decomposition.csv` needs, added row by row as the
/// replications finish; [`Decomposition::finish`] writes the file.
pub struct Decomposition(Sums);

impl Decomposition {
    pub fn new(columns: &[ColumnKey]) -> Decomposition {
        Decomposition(Sums::new(columns))
    }

    /// One replication's row.
    pub fn add(&mut self, values: &[f64]) {
        self.0.add(|c| values[c]);
    }

    /// Writes `decomposition.csv` into `dir` for `rows` replications: rows
    /// by year, then party in the order of the columns (region,
    /// municipalities, providers).
    pub fn finish(self, dir: &Path, rows: usize) -> Result<()> {
        let sums = &self.0;
        let mut table = TableWriter::create(&dir.join(FILE_NAME), Format::Csv)?;
        for year in 1..sums.years.len() {
            for (party, (kind, name)) in sums.parties.iter().enumerate() {
                let before = sums.party_year(year - 1, party, rows);
                let after = sums.party_year(year, party, rows);
                table.write(&row(
                    sums.years[year],
                    *kind,
                    name,
                    decompose(&before, &after),
                ))?;
            }
        }
        table.finish()
    }
}

fn row(year: i32, scope: ScopeKind, name: &str, s: Split) -> DecompositionRow<'_> {
    let euros = |cents: i64| Value::Cents(Decimal::from(cents));
    DecompositionRow {
        year,
        scope,
        name: Name(name),
        cost_change_eur: euros(s.change),
        volume_eur: euros(s.volume),
        mix_eur: euros(s.mix),
        duration_eur: euros(s.duration),
        price_eur: euros(s.price),
    }
}
