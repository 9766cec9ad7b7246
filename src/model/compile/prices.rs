//! Prices per horizon year: tariffs and fixed costs indexed from the price
//! level of the scenario, lumpsums after savings targets and their own index.

use super::interventions::intervention_costs;
use super::values::{decimal, money};
use crate::model::{Prices, Segment};
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, Extend, IndexGap, Municipality, Overflow, Scenario};
use rust_decimal::Decimal;

/// Cumulative index factors per horizon year from `base_year`.
fn index_path(profile: &Profile, base_year: i32, start: i32, years: usize) -> Vec<Decimal> {
    (0..years as i32)
        .map(|y| {
            (base_year + 1..=start + y).fold(Decimal::ONE, |f, year| {
                f * (Decimal::ONE + decimal(profile.at(year)))
            })
        })
        .collect()
}

/// A lumpsum profile per horizon year, extended after the last table year
/// flat or by a yearly trend.
fn lumpsum_path(
    profile: &Profile,
    extend: Extend,
    trend: f64,
    start: i32,
    years: usize,
) -> Vec<f64> {
    let last = match profile {
        Profile::Table(t) => t.keys().next_back().copied(),
        _ => None,
    };
    (0..years as i32)
        .map(|y| {
            let year = start + y;
            match (extend, last) {
                (Extend::Trend, Some(l)) if year > l => {
                    profile.at(l) * (1.0 + trend).powi(year - l)
                }
                _ => profile.at(year),
            }
        })
        .collect()
}

/// The scenario's price level carried to each horizon year: costs by the
/// cost index, lumpsums by their own index (or the cost index).
struct Indexing {
    start: i32,
    years: usize,
    costs: Vec<Decimal>,
    lumpsum: Vec<Decimal>,
}

impl Indexing {
    fn of(s: &Scenario) -> Indexing {
        let start = s.horizon.start_year;
        let years = s.horizon.years as usize;
        let (costs, lumpsum) = match &s.indexation {
            Some(ix) => {
                let costs = index_path(&ix.costs, ix.base_year, start, years);
                let lumpsum = match ix.gap {
                    IndexGap::ShrinksTask => index_path(&ix.lumpsum, ix.base_year, start, years),
                    IndexGap::FollowsCosts => costs.clone(),
                };
                (costs, lumpsum)
            }
            None => (vec![Decimal::ONE; years], vec![Decimal::ONE; years]),
        };
        Indexing {
            start,
            years,
            costs,
            lumpsum,
        }
    }

    fn indexed(values: Vec<f64>, index: &[Decimal]) -> Vec<Decimal> {
        values
            .into_iter()
            .zip(index)
            .map(|(v, i)| (money(v) * i).round_dp(2))
            .collect()
    }

    /// A cost profile per horizon year, indexed.
    fn cost_path(&self, p: &Profile) -> Vec<Decimal> {
        let values = (0..self.years)
            .map(|y| p.at(self.start + y as i32))
            .collect();
        Self::indexed(values, &self.costs)
    }

    /// An optional cost profile (zero when absent).
    fn optional_cost(&self, p: Option<&Profile>) -> Vec<Decimal> {
        p.map_or_else(|| vec![Decimal::ZERO; self.years], |p| self.cost_path(p))
    }
}

/// Savings target of a municipality per horizon year.
fn savings(m: &Municipality, start: i32, years: usize) -> Vec<f64> {
    (0..years)
        .map(|y| {
            m.savings_target
                .as_ref()
                .map_or(0.0, |p| p.at(start + y as i32))
        })
        .collect()
}

/// The region lumpsum and each municipality's contribution per horizon
/// year, after savings targets and indexation. Without a municipal table
/// the region lumpsum is split by youth population.
fn lumpsums(
    s: &Scenario,
    segments: &[Segment],
    ix: &Indexing,
) -> (Vec<Decimal>, Vec<Vec<Decimal>>) {
    let (start, years) = (ix.start, ix.years);
    let trend = s.lumpsum.trend.unwrap_or(0.0);
    let total_savings: Vec<f64> = (0..years)
        .map(|y| {
            s.municipalities
                .values()
                .map(|m| savings(m, start, years)[y])
                .sum()
        })
        .collect();
    let region: Vec<f64> = lumpsum_path(&s.lumpsum.region, s.lumpsum.extend, trend, start, years)
        .into_iter()
        .zip(&total_savings)
        .map(|(l, sv)| l - sv)
        .collect();
    let total_youth: f64 = segments.iter().map(|s| s.youth[0]).sum();
    let municipality = s
        .municipalities
        .values()
        .enumerate()
        .map(|(mi, m)| {
            let gross = match &m.lumpsum {
                Some(p) => lumpsum_path(p, s.lumpsum.extend, trend, start, years),
                None => {
                    let youth: f64 = segments
                        .iter()
                        .filter(|s| s.municipality == mi)
                        .map(|s| s.youth[0])
                        .sum();
                    let share = if total_youth > 0.0 {
                        youth / total_youth
                    } else {
                        0.0
                    };
                    region
                        .iter()
                        .zip(&total_savings)
                        .map(|(r, sv)| (r + sv) * share)
                        .collect()
                }
            };
            let net = gross
                .into_iter()
                .zip(savings(m, start, years))
                .map(|(g, sv)| g - sv)
                .collect();
            Indexing::indexed(net, &ix.lumpsum)
        })
        .collect();
    (Indexing::indexed(region, &ix.lumpsum), municipality)
}

/// Prices per horizon year (staff place-day costs are added by `staff`).
pub fn compile_prices(s: &Scenario, segments: &[Segment]) -> Prices {
    let ix = Indexing::of(s);
    let forms = || s.care_forms.values();
    let (lumpsum_region, lumpsum_municipality) = lumpsums(s, segments, &ix);
    Prices {
        tariff: forms().map(|f| ix.cost_path(&f.tariff)).collect(),
        out_of_region_multiplier: forms()
            .map(|f| match f.overflow {
                Overflow::OutOfRegion { tariff_multiplier } => decimal(tariff_multiplier),
                _ => Decimal::ONE,
            })
            .collect(),
        place_day: forms()
            .map(|f| ix.optional_cost(f.fixed_cost_per_place_day.as_ref()))
            .collect(),
        area_teams: s
            .areas
            .keys()
            .map(|a| ix.optional_cost(s.fixed_costs.area_teams.get(a)))
            .collect(),
        crisis_service: ix.optional_cost(s.fixed_costs.crisis_service.as_ref()),
        lumpsum_region,
        lumpsum_municipality,
        bridging: forms()
            .map(|f| ix.optional_cost(f.bridging.as_ref().map(|b| &b.tariff)))
            .collect(),
        friction_per_closed_place: forms()
            .map(|f| ix.optional_cost(f.friction_cost_per_closed_place.as_ref()))
            .collect(),
        staff_cost_per_fte: forms()
            .map(|f| match &f.capacity {
                Capacity::Staff(staff) => ix.cost_path(&staff.cost_per_fte),
                _ => vec![Decimal::ZERO; ix.years],
            })
            .collect(),
        interventions: Indexing::indexed(intervention_costs(s), &ix.costs),
    }
}
