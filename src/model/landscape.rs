//! The landscape part of the compiled model: escalation rules, interventions
//! and shocks with their yearly ramp, provider failures, and staff-based
//! (FTE) capacity including the budget-capped mode.

use super::{Duration, Money, Pool, Prices};
use crate::calendar::DAYS_PER_YEAR;
use crate::scenario::profile::{Profile, Shape};
use crate::scenario::schema::{Capacity, Scenario};
use crate::scenario::schema::{Lever, Staff, StaffMode};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

#[derive(Clone, Debug)]
pub struct EscalationRule {
    pub to: u8,
    pub probability: f64,
    pub delay: Duration,
}

/// An intervention or shock, with the share of its effect active per year.
#[derive(Clone, Debug)]
pub struct InterventionModel {
    pub name: String,
    pub lever: Lever,
    /// [form] whether the form is affected.
    pub forms: Vec<bool>,
    /// [year] share of the full effect active (0 before the lag, ramp, 1).
    pub active: Vec<f64>,
    pub mean: f64,
    pub sd: f64,
}

impl InterventionModel {
    /// This replication's effect size: a normal draw, kept inside the range
    /// where the lever means something (no negative rates or durations).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        let e = self.mean + self.sd * z;
        let (lo, hi) = effect_range(self.lever);
        e.clamp(lo, hi)
    }
}

/// Effects a lever accepts: multipliers (1 + e) stay positive, shares stay in [0, 1].
pub fn effect_range(lever: Lever) -> (f64, f64) {
    match lever {
        Lever::Inflow | Lever::Tariff => (-1.0, 10.0),
        Lever::Duration => (-0.95, 10.0),
        Lever::Exit | Lever::Access | Lever::Relapse => (0.0, 1.0),
        Lever::CapacityLoss => (0.0, 0.0),
    }
}

/// Places of a pool lost at a moment (provider failure).
#[derive(Clone, Debug)]
pub struct CapacityLoss {
    pub pool: usize,
    pub places: u32,
    /// Day on the simulation clock (0 = 1 January of the start year).
    pub time: f64,
}

/// Compiles the interventions; capacity losses also lower the pools'
/// capacity from the year after the loss (the loss year changes mid-year).
pub fn compile_interventions(
    s: &Scenario,
    form_names: &[String],
    area_names: &[String],
    pool_of: &[u32],
    pools: &mut [Pool],
) -> (Vec<InterventionModel>, Vec<CapacityLoss>) {
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let mut models = Vec::new();
    let mut losses = Vec::new();
    for (name, i) in &s.interventions {
        if i.lever == Lever::CapacityLoss {
            let form = form_names
                .iter()
                .position(|f| Some(f) == i.forms.first())
                .expect("validated");
            let area = i
                .area
                .as_ref()
                .and_then(|a| area_names.iter().position(|n| n == a))
                .unwrap_or(0);
            let pool = pool_of[form * area_names.len() + area];
            if pool == super::NO_POOL {
                // The demand-led view of a staff form has no places to lose.
                continue;
            }
            let pool = pool as usize;
            let year = (i.start - start) as usize;
            for y in year + 1..years {
                let c = &mut pools[pool].capacity[y];
                *c = c.saturating_sub(i.places);
            }
            losses.push(CapacityLoss {
                pool,
                places: i.places,
                time: year as f64 * DAYS_PER_YEAR + f64::from(i.day),
            });
            continue;
        }
        let first = i.start.saturating_add(i.lag_years.min(1000) as i32);
        let ramp = Profile::Shape {
            shape: Shape::parse(&i.ramp).unwrap_or(Shape::Linear),
            from: 0.0,
            to: 1.0,
            start: first - 1,
            end: first - 1 + i.ramp_years.clamp(1, 1000) as i32,
        };
        let active = (0..years as i32)
            .map(|y| {
                let year = start + y;
                if year < first || i.end.is_some_and(|e| year > e) {
                    0.0
                } else {
                    ramp.at(year)
                }
            })
            .collect();
        models.push(InterventionModel {
            name: name.clone(),
            lever: i.lever,
            forms: form_names
                .iter()
                .map(|f| i.forms.is_empty() || i.forms.contains(f))
                .collect(),
            active,
            mean: i.effect.mean(),
            sd: i.effect.sd(),
        });
    }
    losses.sort_by(|a, b| a.time.total_cmp(&b.time));
    (models, losses)
}

/// Intervention costs per horizon year (euros), while each runs.
pub fn intervention_costs(s: &Scenario) -> Vec<f64> {
    let start = s.horizon.start_year;
    (0..s.horizon.years as i32)
        .map(|y| {
            let year = start + y;
            s.interventions
                .values()
                .filter(|i| year >= i.start && i.end.is_none_or(|e| year <= e))
                .filter_map(|i| i.cost_per_year.as_ref().map(|c| c.at(year)))
                .sum()
        })
        .collect()
}

/// Places per area of a staff pool from its effective FTE.
fn places(fte: f64, caseload: f64) -> u32 {
    (fte * caseload + 1e-9).floor().max(0.0) as u32
}

/// Effective FTE per year: increases arrive `lead` years late, decreases at once.
fn with_lead_time(plan: &[f64], lead: usize) -> Vec<f64> {
    (0..plan.len())
        .map(|y| {
            (y.saturating_sub(lead)..=y)
                .map(|k| plan[k])
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

/// Sets capacities and place-day prices of staff-based forms; in
/// budget-capped mode the FTE follow from the providers' lumpsums.
pub fn apply_staff(s: &Scenario, pools: &mut [Pool], prices: &mut Prices, money: &Money) {
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let n_areas = s.areas.len();
    for (fi, form) in s.care_forms.values().enumerate() {
        let Capacity::Staff(staff) = &form.capacity else {
            continue;
        };
        for y in 0..years {
            let per_place_day = prices.staff_cost_per_fte[fi][y]
                / Decimal::from_f64(staff.caseload_per_fte * DAYS_PER_YEAR).unwrap_or(Decimal::ONE);
            prices.place_day[fi][y] += per_place_day.round_dp(6);
        }
        let plan: Vec<Vec<f64>> = s
            .areas
            .keys()
            .map(|a| {
                let p = staff.fte.get(a);
                (0..years)
                    .map(|y| p.map_or(0.0, |p| p.at(start + y as i32)))
                    .collect()
            })
            .collect();
        let fte = match staff.mode {
            StaffMode::Planned => plan
                .iter()
                .map(|p| with_lead_time(p, staff.lead_time_years as usize))
                .collect(),
            StaffMode::BudgetCapped => affordable_fte(staff, fi, &plan, n_areas, prices, money),
        };
        for pool in pools.iter_mut().filter(|p| p.form == fi) {
            let a = pool.area.expect("staff pools are per area");
            pool.capacity = fte[a]
                .iter()
                .map(|f| places(*f, staff.caseload_per_fte))
                .collect();
        }
    }
}

/// FTE per area and year that each covering provider's lumpsum pays for
/// after its fixed costs, split over its areas by the FTE plan.
fn affordable_fte(
    staff: &Staff,
    form: usize,
    plan: &[Vec<f64>],
    n_areas: usize,
    prices: &Prices,
    money: &Money,
) -> Vec<Vec<f64>> {
    let years = plan.first().map_or(0, Vec::len);
    let mut fte = vec![vec![0.0; years]; n_areas];
    let f64_of = |d: Decimal| d.to_f64().unwrap_or(0.0);
    for p in 0..money.providers.len() {
        let covered: Vec<(usize, f64)> = (0..n_areas)
            .filter_map(|a| {
                money.coverage[form * n_areas + a]
                    .iter()
                    .find(|(q, _)| *q == p)
                    .map(|(_, w)| (a, f64_of(*w)))
            })
            .collect();
        for y in 0..years {
            let lumpsum = f64_of(prices.lumpsum_region[y] * money.providers[p].share);
            let fixed = if p == money.fixed_cost_provider {
                f64_of(
                    prices.area_teams.iter().map(|t| t[y]).sum::<Decimal>()
                        + prices.crisis_service[y]
                        + prices.interventions[y],
                )
            } else {
                0.0
            };
            let budget = ((lumpsum - fixed) * staff.budget_share).max(0.0);
            let total = budget / f64_of(prices.staff_cost_per_fte[form][y]).max(1.0);
            let weight: f64 = covered.iter().map(|(a, w)| w * plan[*a][y]).sum();
            for &(a, w) in &covered {
                let share = if weight > 0.0 {
                    w * plan[a][y] / weight
                } else {
                    w / covered.len() as f64
                };
                fte[a][y] += total * share;
            }
        }
    }
    fte
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increases_wait_for_the_lead_time_and_decreases_do_not() {
        let plan = [10.0, 12.0, 14.0, 9.0, 9.0];
        assert_eq!(with_lead_time(&plan, 1), vec![10.0, 10.0, 12.0, 9.0, 9.0]);
        assert_eq!(with_lead_time(&plan, 0), plan.to_vec());
        assert_eq!(places(2.5, 15.0), 37);
    }
}
