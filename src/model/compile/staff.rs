//! Staff-based (FTE) capacity: places from FTE × caseload, with recruitment
//! lead time, or in budget-capped mode as many FTE as the providers'
//! lumpsums pay for; the staff cost becomes a place-day price.

use crate::calendar::DAYS_PER_YEAR;
use crate::model::{Money, Pool, Prices};
use crate::scenario::schema::{Capacity, Scenario, Staff, StaffMode};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

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
