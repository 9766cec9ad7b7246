//! Financing regimes compared under identical demand (same replication):
//! what each provider receives and each municipality pays.
//!
//! - `lumpsum` (taakgericht, seed 000): the contract's lumpsums and contributions;
//! - `per_day` (p × q): client-days at the tariff plus occupied place-days;
//! - `per_trajectory`: a fixed price per episode started, whatever its length
//!   (seed 004's €10,000 trajectory against 2 × €7,500 of actual cost);
//! - `availability` (beschikbaarheidsfinanciering, seed 001): every kept place
//!   paid at a fixed occupancy, whatever it is used for;
//! - `vacancy_surcharge`: per day, with the place cost raised for the
//!   expected average vacancy (given, or simulated in the year before).
//!
//! In every regime but `lumpsum` the fixed yearly amounts (area teams,
//! crisis service) are paid as they are.

use super::contract::{MunicipalityYear, ProviderYear};
use super::price::{Component, attributed_vacant_days};
use super::{Costs, cents, days, split_cents};
use crate::model::Model;
use crate::record::{CellMetric, Exposure, PoolMetric};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Regime {
    Lumpsum,
    PerDay,
    PerTrajectory,
    Availability,
    VacancySurcharge,
}

pub const REGIMES: [Regime; 5] = [
    Regime::Lumpsum,
    Regime::PerDay,
    Regime::PerTrajectory,
    Regime::Availability,
    Regime::VacancySurcharge,
];

impl Regime {
    pub fn name(self) -> &'static str {
        match self {
            Regime::Lumpsum => "lumpsum",
            Regime::PerDay => "per_day",
            Regime::PerTrajectory => "per_trajectory",
            Regime::Availability => "availability",
            Regime::VacancySurcharge => "vacancy_surcharge",
        }
    }
}

/// The highest vacancy a surcharge is computed from: at 90 % empty the
/// occupied place-days already carry ten times the place cost; beyond it one
/// client in an almost empty pool would be paid without bound.
pub const MAX_SURCHARGE_VACANCY: Decimal = Decimal::from_parts(9, 0, 0, false, 1);

/// Share of form `f`'s place-days that stood empty in year `y`, over all its
/// pools, to a millionth; `None` when the form had no place-days.
pub fn simulated_vacancy(model: &Model, e: &Exposure, y: usize, f: usize) -> Option<Decimal> {
    let (mut occupied, mut vacant) = (0.0, 0.0);
    for (pi, _) in model.pools.iter().enumerate().filter(|(_, p)| p.form == f) {
        occupied += e.pool(y, pi, PoolMetric::OccupiedDays);
        vacant += e.pool(y, pi, PoolMetric::VacantDays);
    }
    let total = occupied + vacant;
    (total > 0.0).then(|| Decimal::new((vacant / total * 1e6).round() as i64, 6))
}

/// The vacancy the `vacancy_surcharge` regime prices form `f` with in year
/// `y`: `expected_vacancy`, or with `vacancy_basis = "simulated"` the
/// vacancy this replication simulated in the year before (a tariff is fixed
/// before its year, from the last year seen; the first year, and a year
/// after one without places, takes `expected_vacancy`), at most
/// `MAX_SURCHARGE_VACANCY`.
pub fn surcharge_vacancy(model: &Model, e: &Exposure, y: usize, f: usize) -> Decimal {
    let r = &model.money.regimes;
    let given = r.expected_vacancy[f];
    if !r.vacancy_simulated || y == 0 {
        return given;
    }
    simulated_vacancy(model, e, y - 1, f).map_or(given, |v| v.min(MAX_SURCHARGE_VACANCY))
}

/// What the surcharge regime pays for one priced cell (cents) at `vacancy`:
/// client-days at the tariff, bridging days, and the place cost of occupied
/// days raised by 1 / (1 − vacancy).
pub fn surcharge_amount(costs: &Costs, y: usize, s: usize, f: usize, vacancy: Decimal) -> i64 {
    let variable = costs.component(y, s, f, Component::Variable);
    let occupied = costs.component(y, s, f, Component::PlaceOccupied);
    let bridging = costs.component(y, s, f, Component::Bridging);
    let surcharge = Decimal::ONE / (Decimal::ONE - vacancy);
    variable + bridging + cents(Decimal::from(occupied) * surcharge / Decimal::ONE_HUNDRED)
}

/// What a per-use regime pays for one priced cell (cents). Bridging care is
/// paid per day in every per-use regime (it is a product of its own).
fn cell_amount(
    model: &Model,
    e: &Exposure,
    costs: &Costs,
    regime: Regime,
    y: usize,
    s: usize,
    f: usize,
) -> i64 {
    let p = &model.prices;
    let r = &model.money.regimes;
    let variable = costs.component(y, s, f, Component::Variable);
    let occupied = costs.component(y, s, f, Component::PlaceOccupied);
    let bridging = costs.component(y, s, f, Component::Bridging);
    match regime {
        Regime::Lumpsum => 0,
        Regime::PerDay => variable + occupied + bridging,
        Regime::VacancySurcharge => {
            surcharge_amount(costs, y, s, f, surcharge_vacancy(model, e, y, f))
        }
        Regime::Availability if model.forms[f].has_places => {
            let kept = days(
                e.cell(y, s, f, CellMetric::LocalDays) + attributed_vacant_days(model, e, y, s, f),
            );
            let away = days(e.cell(y, s, f, CellMetric::OutOfRegionDays));
            let per_place = p.tariff[f][y] * r.availability_occupancy + p.place_day[f][y];
            bridging
                + cents(kept * per_place + away * p.tariff[f][y] * p.out_of_region_multiplier[f])
        }
        Regime::Availability => variable + bridging,
        Regime::PerTrajectory => {
            bridging
                + cents(
                    Decimal::from(e.cell(y, s, f, CellMetric::Starts) as i64)
                        * r.trajectory_price[f][y],
                )
        }
    }
}

/// Payments per (year, regime, provider) and per (year, regime, municipality).
pub fn payments(
    model: &Model,
    e: &Exposure,
    costs: &Costs,
    providers: &[ProviderYear],
    municipalities: &[MunicipalityYear],
) -> (Vec<i64>, Vec<i64>) {
    let (n_p, n_m, n_r) = (
        model.money.providers.len(),
        model.municipalities.len(),
        REGIMES.len(),
    );
    let areas = model.areas.len();
    let mut to_provider = vec![0i64; model.years * n_r * n_p];
    let mut by_municipality = vec![0i64; model.years * n_r * n_m];
    for y in 0..model.years {
        for regime in REGIMES {
            let pi = (y * n_r + regime as usize) * n_p;
            let mi = (y * n_r + regime as usize) * n_m;
            if regime == Regime::Lumpsum {
                for p in 0..n_p {
                    to_provider[pi + p] = providers[y * n_p + p].lumpsum;
                }
                for m in 0..n_m {
                    by_municipality[mi + m] = municipalities[y * n_m + m].contribution;
                }
                continue;
            }
            for (s, segment) in model.segments.iter().enumerate() {
                for f in 0..model.forms.len() {
                    let amount = cell_amount(model, e, costs, regime, y, s, f);
                    let members = &model.money.coverage[f * areas + segment.area];
                    let weights: Vec<Decimal> = members.iter().map(|(_, w)| *w).collect();
                    for ((p, _), part) in members.iter().zip(split_cents(amount, &weights)) {
                        to_provider[pi + p] += part;
                    }
                    by_municipality[mi + segment.municipality] += amount;
                }
                let fixed = costs.fixed(y, s);
                to_provider[pi + model.money.fixed_cost_provider] += fixed;
                by_municipality[mi + segment.municipality] += fixed;
            }
        }
    }
    (to_provider, by_municipality)
}
