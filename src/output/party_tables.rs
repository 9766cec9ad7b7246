//! Derived per-party tables: `providers.csv`, `municipalities.csv` and
//! `regimes.csv`, read off the summary statistics of the party totals
//! (means, spread and trigger frequencies over replications).

use super::export::write_table;
use super::format::Name;
use super::summary::PartyStats;
use crate::finance::{REGIMES, Regime};
use crate::metrics::{Metric, ScopeKind};
use crate::stats::{Summary, Value};
use anyhow::Result;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Serialize, Default)]
struct ProviderRow<'a> {
    year: i32,
    provider: Name<'a>,
    lumpsum_mean_eur: Option<Value>,
    cost_mean_eur: Option<Value>,
    result_mean_eur: Option<Value>,
    cumulative_result_mean_eur: Option<Value>,
    cumulative_result_p05_eur: Option<Value>,
    p_adjusted_down: Option<Value>,
    p_adjusted_up_growth: Option<Value>,
    p_adjusted_up_shock: Option<Value>,
    p_insolvent: Option<Value>,
}

#[derive(Serialize, Default)]
struct MunicipalityRow<'a> {
    year: i32,
    municipality: Name<'a>,
    contribution_mean_eur: Option<Value>,
    share_mean: Option<Value>,
    share_sd: Option<Value>,
    share_p05: Option<Value>,
    share_p95: Option<Value>,
    own_cost_mean_eur: Option<Value>,
    balance_mean_eur: Option<Value>,
}

#[derive(Serialize, Default)]
struct RegimeRow {
    year: i32,
    regime: &'static str,
    municipalities_pay_mean_eur: Option<Value>,
    municipalities_pay_sd_eur: Option<Value>,
    provider_result_mean_eur: Option<Value>,
    provider_result_sd_eur: Option<Value>,
    largest_municipal_pay_sd_eur: Value,
}

/// Writes the three party tables into `dir`.
pub fn write_party_tables(dir: &Path, stats: &PartyStats) -> Result<()> {
    write_table(&dir.join("providers.csv"), provider_rows(stats))?;
    write_table(&dir.join("municipalities.csv"), municipality_rows(stats))?;
    write_table(&dir.join("regimes.csv"), regime_rows(stats))
}

/// Providers are the parties with a cumulative result.
fn provider_rows(stats: &PartyStats) -> Vec<ProviderRow<'_>> {
    let parties = stats.parties(Metric::CumulativeResultEur);
    parties
        .into_iter()
        .map(|(y, n)| {
            let get = |m: Metric| stats.get(y, n, m);
            let mean = |m: Metric| get(m).map(|s| s.mean);
            ProviderRow {
                year: y,
                provider: Name(n),
                lumpsum_mean_eur: mean(Metric::LumpsumEur),
                cost_mean_eur: mean(Metric::CostEur),
                result_mean_eur: mean(Metric::BalanceEur),
                cumulative_result_mean_eur: mean(Metric::CumulativeResultEur),
                cumulative_result_p05_eur: get(Metric::CumulativeResultEur).map(|s| s.at(5)),
                p_adjusted_down: mean(Metric::AdjustedDown),
                p_adjusted_up_growth: mean(Metric::AdjustedUpGrowth),
                p_adjusted_up_shock: mean(Metric::AdjustedUpShock),
                p_insolvent: mean(Metric::Insolvent),
            }
        })
        .collect()
}

/// Municipalities are the parties with a contribution share.
fn municipality_rows(stats: &PartyStats) -> Vec<MunicipalityRow<'_>> {
    let parties = stats.parties(Metric::ContributionShare);
    parties
        .into_iter()
        .map(|(y, n)| {
            let get = |m: Metric| stats.get(y, n, m);
            let mean = |m: Metric| get(m).map(|s| s.mean);
            let share = get(Metric::ContributionShare);
            MunicipalityRow {
                year: y,
                municipality: Name(n),
                contribution_mean_eur: mean(Metric::LumpsumEur),
                share_mean: share.map(|s| s.mean),
                share_sd: share.map(|s| s.sd),
                share_p05: share.map(|s| s.at(5)),
                share_p95: share.map(|s| s.at(95)),
                own_cost_mean_eur: mean(Metric::CostEur),
                balance_mean_eur: mean(Metric::BalanceEur),
            }
        })
        .collect()
}

/// Per year and financing regime: what municipalities pay and what
/// providers keep, and the largest spread one municipality carries.
fn regime_rows(stats: &PartyStats) -> Vec<RegimeRow> {
    let municipalities: BTreeSet<&str> = stats
        .parties(Metric::ContributionShare)
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let region = ScopeKind::Region.name();
    let mut rows = Vec::new();
    for y in stats.years() {
        let scheduled =
            Some(Regime::Scheduled).filter(|r| stats.get(y, region, Metric::PaidEur(*r)).is_some());
        for r in REGIMES.into_iter().chain(scheduled) {
            let paid = stats.get(y, region, Metric::PaidEur(r));
            let result = stats.get(y, region, Metric::ProviderResultEur(r));
            let largest_sd = municipalities
                .iter()
                .filter_map(|m| stats.get(y, m, Metric::PaidEur(r)).and_then(cents_sd))
                .fold(Decimal::ZERO, Decimal::max);
            rows.push(RegimeRow {
                year: y,
                regime: r.name(),
                municipalities_pay_mean_eur: paid.map(|s| s.mean),
                municipalities_pay_sd_eur: paid.map(|s| s.sd),
                provider_result_mean_eur: result.map(|s| s.mean),
                provider_result_sd_eur: result.map(|s| s.sd),
                largest_municipal_pay_sd_eur: Value::Cents(largest_sd),
            });
        }
    }
    rows
}

/// The standard deviation of a money column, in cents.
fn cents_sd(summary: &Summary) -> Option<Decimal> {
    match summary.sd {
        Value::Cents(c) => Some(c),
        Value::Number(_) => None,
    }
}
