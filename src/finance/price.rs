//! Prices one replication's exposure per (year, segment, care form) in cost
//! components, each rounded to the cent.

use super::{cents, days, split_cents};
use crate::model::Model;
use crate::record::{CellMetric, Draws, Exposure, PoolMetric};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// What a priced cell consists of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Component {
    /// Client-days × tariff, out-of-region days at the multiplied tariff;
    /// with a high-cost client class each day × its episode's multiplier.
    Variable,
    /// Fixed cost of occupied place-days.
    PlaceOccupied,
    /// Fixed cost of vacant place-days (leegstand), attributed by youth share.
    Vacancy,
    /// One-off cost of places closed in the year (afbouw), by youth share.
    Friction,
    /// Bridging care: days waited at home for the form × its bridging tariff.
    Bridging,
}

const COMPONENTS: usize = 5;

/// Costs in cents per (year, segment, form, component), plus the fixed yearly
/// amounts (area teams, crisis service) per (year, segment).
#[derive(Clone, Debug)]
pub struct Costs {
    segments: usize,
    forms: usize,
    cells: Vec<i64>,
    fixed: Vec<i64>,
}

impl Costs {
    #[inline]
    fn index(&self, year: usize, segment: usize, form: usize) -> usize {
        ((year * self.segments + segment) * self.forms + form) * COMPONENTS
    }

    pub fn component(&self, year: usize, segment: usize, form: usize, c: Component) -> i64 {
        self.cells[self.index(year, segment, form) + c as usize]
    }

    /// All components of a cell.
    pub fn get(&self, year: usize, segment: usize, form: usize) -> i64 {
        let i = self.index(year, segment, form);
        self.cells[i..i + COMPONENTS].iter().sum()
    }

    /// Area teams, crisis service and interventions attributed to the segment.
    pub fn fixed(&self, year: usize, segment: usize) -> i64 {
        self.fixed[year * self.segments + segment]
    }

    /// Everything a segment costs in a year.
    pub fn segment_total(&self, year: usize, segment: usize) -> i64 {
        (0..self.forms)
            .map(|f| self.get(year, segment, f))
            .sum::<i64>()
            + self.fixed(year, segment)
    }
}

fn share(catchment: &[(usize, f64)], segment: usize) -> Decimal {
    catchment
        .iter()
        .find(|(s, _)| *s == segment)
        .map_or(Decimal::ZERO, |(_, w)| weight(*w))
}

/// A youth-share weight as a decimal, to 1e-9.
fn weight(w: f64) -> Decimal {
    Decimal::new((w * 1e9).round() as i64, 9)
}

/// Prices one replication's exposure at the tariffs its draws set.
pub fn price(model: &Model, exposure: &Exposure, draws: &Draws) -> Costs {
    let forms = model.forms.len();
    let segments = model.segments.len();
    let mut out = Costs {
        segments,
        forms,
        cells: vec![0; model.years * segments * forms * COMPONENTS],
        fixed: vec![0; model.years * segments],
    };
    let p = &model.prices;
    for y in 0..model.years {
        for (s, segment) in model.segments.iter().enumerate() {
            for f in 0..forms {
                let local = days(exposure.cell(y, s, f, CellMetric::LocalDays));
                let away = days(exposure.cell(y, s, f, CellMetric::OutOfRegionDays));
                // A high-cost class prices each day at its episode's multiplier.
                let (paid_local, paid_away) = if model.forms[f].client_cost.is_some() {
                    (
                        days(exposure.cell(y, s, f, CellMetric::WeightedLocalDays)),
                        days(exposure.cell(y, s, f, CellMetric::WeightedOutOfRegionDays)),
                    )
                } else {
                    (local, away)
                };
                let factor = draws.tariff(f, y);
                let tariff = if factor == 1.0 {
                    p.tariff[f][y]
                } else {
                    (p.tariff[f][y] * Decimal::new((factor * 1e6).round() as i64, 6)).round_dp(6)
                };
                let i = out.index(y, s, f);
                out.cells[i + Component::Variable as usize] =
                    cents(tariff * paid_local + tariff * p.out_of_region_multiplier[f] * paid_away);
                if model.forms[f].has_places {
                    out.cells[i + Component::PlaceOccupied as usize] =
                        cents(p.place_day[f][y] * local);
                }
                if model.forms[f].bridging {
                    let waited = days(exposure.cell(y, s, f, CellMetric::WaitingDays));
                    out.cells[i + Component::Bridging as usize] = cents(p.bridging[f][y] * waited);
                }
            }
            let area = segment.area;
            let fixed = p.area_teams[area][y] * share(&model.area_catchment[area], s)
                + (p.crisis_service[y] + p.interventions[y]) * share(&model.region_catchment, s);
            out.fixed[y * segments + s] = cents(fixed);
        }
        for (pi, pool) in model.pools.iter().enumerate() {
            let vacancy =
                p.place_day[pool.form][y] * days(exposure.pool(y, pi, PoolMetric::VacantDays));
            let friction = p.friction_per_closed_place[pool.form][y]
                * Decimal::from(model.closed_places[pi][y]);
            let by_use = pool
                .split_by_use
                .then(|| use_weights(model, exposure, y, pi));
            for (component, cost) in [
                (Component::Vacancy, vacancy),
                (Component::Friction, friction),
            ] {
                if cost.is_zero() {
                    continue;
                }
                match &by_use {
                    // Largest remainder: the parts add up to the pool's cost to the cent.
                    Some(w) => {
                        let parts = split_cents(cents(cost), w);
                        for (&(s, _), part) in pool.catchment.iter().zip(parts) {
                            let i = out.index(y, s, pool.form) + component as usize;
                            out.cells[i] += part;
                        }
                    }
                    None => {
                        for &(s, w) in &pool.catchment {
                            let i = out.index(y, s, pool.form) + component as usize;
                            out.cells[i] += cents(cost * weight(w));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Weights (in the order of the pool's catchment) splitting a pool split by
/// use: each segment's occupied place-days of the pool's form in the year,
/// to a millionth of a day; the youth shares in a year nobody used the pool.
fn use_weights(model: &Model, exposure: &Exposure, year: usize, pool: usize) -> Vec<Decimal> {
    let p = &model.pools[pool];
    let used: Vec<Decimal> = p
        .catchment
        .iter()
        .map(|&(s, _)| days(exposure.cell(year, s, p.form, CellMetric::LocalDays)))
        .collect();
    if used.iter().all(Decimal::is_zero) {
        return p.catchment.iter().map(|&(_, w)| weight(w)).collect();
    }
    used
}

/// Each catchment segment's part of a pool in a year: its youth share, or
/// for a pool split by use its share of the year's occupied place-days (the
/// split the priced vacancy follows; the parts sum to 1).
pub fn pool_shares(
    model: &Model,
    exposure: &Exposure,
    year: usize,
    pool: usize,
) -> Vec<(usize, f64)> {
    let p = &model.pools[pool];
    if !p.split_by_use {
        return p.catchment.clone();
    }
    let w = use_weights(model, exposure, year, pool);
    let total: Decimal = w.iter().sum();
    p.catchment
        .iter()
        .zip(&w)
        .map(|(&(s, _), w)| {
            let share = if total.is_zero() {
                0.0
            } else {
                (w / total).to_f64().unwrap_or(0.0)
            };
            (s, share)
        })
        .collect()
}

/// Vacant place-days of pools attributed to each (segment, form): by youth
/// share, or by use for pools split by use.
pub fn attributed_vacant_days(
    model: &Model,
    exposure: &Exposure,
    year: usize,
    segment: usize,
    form: usize,
) -> f64 {
    model
        .pools
        .iter()
        .enumerate()
        .filter(|(_, p)| p.form == form)
        .map(|(pi, p)| {
            let part = |shares: &[(usize, f64)]| -> f64 {
                shares
                    .iter()
                    .filter(|(s, _)| *s == segment)
                    .map(|(_, w)| w)
                    .sum()
            };
            let w = if p.split_by_use {
                part(&pool_shares(model, exposure, year, pi))
            } else {
                part(&p.catchment)
            };
            exposure.pool(year, pi, PoolMetric::VacantDays) * w
        })
        .sum()
}
