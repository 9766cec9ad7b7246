//! `sufficient_lumpsum.csv`: per year and party, the lumpsum that would
//! have been enough with a given certainty.
//!
//! Defined on the gap the lumpsum must close: per replication cost − lumpsum,
//! where the lumpsum is the one that replication ended up with (after the
//! contract's adjustments, indexation and shares). The lumpsum enough with
//! certainty c is today's (mean) lumpsum plus the c-quantile of that gap, so
//! that raising every replication's lumpsum by `gap_eur` leaves it short in
//! at most 1 − c of them — the same comparison as `p_overrun` in
//! `feasibility.csv`. Without adjustments (a fixed lumpsum) it is simply the
//! c-quantile of cost. Quantiles are exact (type 7) over the replications,
//! so a merged result equals a single run.

use super::export::{Format, TableWriter};
use super::format::Name;
use crate::metrics::ScopeKind;
use crate::stats::{Value, exact_mean_cents, money_quantile};
use anyhow::Result;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::path::Path;

pub const FILE_NAME: &str = "sufficient_lumpsum.csv";

/// Certainties written, in percent (the report's headline uses 80).
pub const CERTAINTIES: [u32; 4] = [50, 80, 90, 95];

/// One party-year: its cost and lumpsum per replication (cents, in
/// replication order).
pub struct Party<'a> {
    pub year: i32,
    pub scope: ScopeKind,
    pub name: &'a str,
    pub cost: &'a [f64],
    pub lumpsum: &'a [f64],
}

#[derive(Serialize, Default)]
struct Row<'a> {
    year: i32,
    scope: ScopeKind,
    name: Name<'a>,
    certainty: Value,
    lumpsum_eur: Value,
    lumpsum_now_eur: Value,
    gap_eur: Value,
}

/// The lumpsum now and enough with each certainty, in cents (rounded to
/// whole cents, so lumpsum = now + gap holds to the cent in the file).
pub fn sufficient(cost: &[f64], lumpsum: &[f64]) -> (Decimal, Vec<(u32, Decimal)>) {
    let cents = |d: Decimal| d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let now = cents(exact_mean_cents(lumpsum));
    let mut gap: Vec<f64> = cost.iter().zip(lumpsum).map(|(c, l)| c - l).collect();
    gap.sort_by(f64::total_cmp);
    let gaps = CERTAINTIES
        .iter()
        .map(|&c| (c, cents(money_quantile(&gap, c))))
        .collect();
    (now, gaps)
}

/// Writes `sufficient_lumpsum.csv` in `dir`.
pub fn write<'a>(dir: &Path, parties: impl Iterator<Item = Party<'a>>) -> Result<()> {
    let mut table = TableWriter::create(&dir.join(FILE_NAME), Format::Csv)?;
    for party in parties {
        let (now, gaps) = sufficient(party.cost, party.lumpsum);
        for (certainty, gap) in gaps {
            table.write(&Row {
                year: party.year,
                scope: party.scope,
                name: Name(party.name),
                certainty: Value::Number(f64::from(certainty) / 100.0),
                lumpsum_eur: Value::Cents(now + gap),
                lumpsum_now_eur: Value::Cents(now),
                gap_eur: Value::Cents(gap),
            })?;
        }
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_lumpsum_needs_the_quantile_of_cost() {
        // Cost 1..=101 euros (in cents), lumpsum 50 euros in every replication.
        let cost: Vec<f64> = (1..=101).map(|e| f64::from(e) * 100.0).collect();
        let lumpsum = vec![5000.0; 101];
        let (now, gaps) = sufficient(&cost, &lumpsum);
        assert_eq!(now, Decimal::from(5000));
        // Type 7 over 101 values: the 80 % quantile is the 81st, 81 euros.
        let at80 = gaps.iter().find(|(c, _)| *c == 80).unwrap().1;
        assert_eq!(now + at80, Decimal::from(8100));
        let overrun = cost.iter().filter(|&&c| c > 8100.0).count();
        assert_eq!(overrun, 20, "20 % of replications still overrun");
    }

    #[test]
    fn adjusted_lumpsums_are_compared_replication_by_replication() {
        // The lumpsum moves with cost (an adjustment): the gap is constant.
        let cost = [10_000.0, 20_000.0, 30_000.0];
        let lumpsum = [9_000.0, 19_000.0, 29_000.0];
        let (now, gaps) = sufficient(&cost, &lumpsum);
        assert_eq!(now, Decimal::from(19_000));
        for (_, gap) in gaps {
            assert_eq!(gap, Decimal::from(1000));
        }
    }
}
