//! `vacancy_surcharge.csv` (only with `vacancy_basis = "simulated"`): per
//! year and care form with places, the vacancy the surcharge regime priced
//! the year's tariff with (the replication's simulated vacancy of the year
//! before) beside the given `expected_vacancy` regime, and what each pays
//! and leaves the providers. Read off the region's per-form statistics.

use super::export::write_table;
use super::format::Name;
use super::summary::PartyStats;
use crate::metrics::Metric;
use crate::stats::Value;
use anyhow::Result;
use serde::Serialize;
use std::path::Path;

pub const FILE_NAME: &str = "vacancy_surcharge.csv";

#[derive(Serialize, Default)]
struct SurchargeRow<'a> {
    year: i32,
    care_form: Name<'a>,
    /// Vacancy the simulated surcharge used (the year before's), over replications.
    surcharge_vacancy_mean: Option<Value>,
    surcharge_vacancy_p05: Option<Value>,
    surcharge_vacancy_p95: Option<Value>,
    /// The year's own simulated vacancy (1 − mean occupancy).
    vacancy_mean: Option<Value>,
    vacancy_cost_mean_eur: Option<Value>,
    cost_mean_eur: Option<Value>,
    paid_given_mean_eur: Option<Value>,
    paid_simulated_mean_eur: Option<Value>,
    /// Paid − cost of the form under each basis (mean).
    result_given_mean_eur: Option<Value>,
    result_simulated_mean_eur: Option<Value>,
    paid_given_sd_eur: Option<Value>,
    paid_simulated_sd_eur: Option<Value>,
}

fn difference(a: Option<Value>, b: Option<Value>) -> Option<Value> {
    match (a?, b?) {
        (Value::Cents(a), Value::Cents(b)) => Some(Value::Cents(a - b)),
        _ => None,
    }
}

/// Writes the file when the run has a simulated surcharge basis; returns
/// whether it did.
pub fn write_surcharge(dir: &Path, stats: &PartyStats) -> Result<bool> {
    let cells = stats.forms_with(Metric::SurchargeVacancy);
    if cells.is_empty() {
        return Ok(false);
    }
    let rows = cells.into_iter().map(|(y, f)| {
        let get = |m: Metric| stats.form(y, f, m);
        let mean = |m: Metric| get(m).map(|s| s.mean);
        let vacancy = get(Metric::SurchargeVacancy);
        let (paid_given, paid_simulated, cost) = (
            mean(Metric::PaidSurchargeGivenEur),
            mean(Metric::PaidSurchargeSimulatedEur),
            mean(Metric::CostEur),
        );
        SurchargeRow {
            year: y,
            care_form: Name(f),
            surcharge_vacancy_mean: vacancy.map(|s| s.mean),
            surcharge_vacancy_p05: vacancy.map(|s| s.at(5)),
            surcharge_vacancy_p95: vacancy.map(|s| s.at(95)),
            vacancy_mean: mean(Metric::Occupancy).and_then(|v| match v {
                Value::Number(o) => Some(Value::Number(1.0 - o)),
                Value::Cents(_) => None,
            }),
            vacancy_cost_mean_eur: mean(Metric::VacancyCostEur),
            cost_mean_eur: cost,
            paid_given_mean_eur: paid_given,
            paid_simulated_mean_eur: paid_simulated,
            result_given_mean_eur: difference(paid_given, cost),
            result_simulated_mean_eur: difference(paid_simulated, cost),
            paid_given_sd_eur: get(Metric::PaidSurchargeGivenEur).map(|s| s.sd),
            paid_simulated_sd_eur: get(Metric::PaidSurchargeSimulatedEur).map(|s| s.sd),
        }
    });
    write_table(&dir.join(FILE_NAME), rows)?;
    Ok(true)
}
