//! Provider-wide budget cap ("de taak past binnen het budget", seed 000):
//! a capped provider's lumpsum buys the places of every care form it
//! delivers — client slots of ambulant and day forms (staff forms: FTE ×
//! caseload), places of stay forms — year by year as the lumpsum moves.
//!
//! **The money.** Year y's budget is the provider's share of the budget
//! table (before contract adjustments and declared shocks, which the
//! simulation cannot see) minus the fixed costs it carries (area teams,
//! crisis service, interventions); below zero it buys nothing.
//!
//! **The price of a place.** A place-year of form f costs 365 × (tariff +
//! place-day cost), the place-day cost holding the fixed cost per place-day
//! and, for staff forms, cost per FTE ÷ caseload ÷ 365. A place costs that
//! whether it is used or not (it bounds the tariff paid for its clients and
//! pays its fixed cost), so places × price ≤ budget keeps the provider's
//! cost within its lumpsum.
//!
//! **The rule when the money does not cover demand: the same funded
//! fraction for every form and area.** Each (form, area) gets places in
//! proportion to its expected demand-led caseload, at one ratio = budget ÷
//! the cost of all expected demand at these prices. So a 10 % shortfall
//! leaves each form and area 10 % short, and nobody's form is sacrificed
//! for another's. Why not "stay forms first": residential safety is already
//! served first *within* each form (crisis > safety > regular on every
//! waiting list), and starving ambulant care would push clients towards the
//! heavier forms the lumpsum's transformation means to shrink (seed 000
//! L1190-1204). Who waits first is the waiting list's order: crisis, then
//! safety, then regular, first come first served; waiting clients renege
//! or escalate as their form's `overflow.patience` and `escalation` say.
//! Expected demand is arrivals plus transfers between forms (and relapse)
//! × mean length of stay (Little's law), before interventions.
//!
//! **Falling money.** Clients in care are never evicted: a place closes
//! when it falls vacant. So a cut known from the budget table is met a year
//! ahead: year y keeps only the places both y's and y + 1's money pay
//! (min of the two), and no client starts on a place next year cannot pay.
//! Clients in care beyond what the money buys (a start-up caseload) finish
//! their episodes while nobody new starts: only then can cost exceed the
//! lumpsum.

use crate::calendar::DAYS_PER_YEAR;
use crate::error::InputError;
use crate::model::{ArrivalStream, CapacityLoss, Form, Money, Pool, Prices, RelapseRule, Segment};
use crate::scenario::Loaded;
use crate::scenario::schema::Scenario;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Per care form, the budget-capped provider delivering it (validated: at
/// most one provider delivers a capped form).
pub fn capped_forms(s: &Scenario) -> Vec<Option<usize>> {
    s.care_forms
        .keys()
        .map(|f| {
            s.providers
                .values()
                .position(|p| p.budget_cap && (p.forms.is_empty() || p.forms.contains(f)))
        })
        .collect()
}

/// What the cap needs from the compiled model.
pub struct CapInputs<'a> {
    pub forms: &'a [Form],
    pub segments: &'a [Segment],
    pub streams: &'a [ArrivalStream],
    pub relapse: Option<&'a RelapseRule>,
    pub losses: &'a [CapacityLoss],
    pub n_areas: usize,
    pub years: usize,
}

/// Sets the places of every pool of a capped form to what its provider's
/// money buys (see the module comment); provider failures still lower them.
pub fn apply_caps(
    loaded: &Loaded,
    m: &CapInputs<'_>,
    pools: &mut [Pool],
    prices: &Prices,
    money: &Money,
) -> Result<(), InputError> {
    let capped = capped_forms(&loaded.scenario);
    if capped.iter().all(Option::is_none) {
        return Ok(());
    }
    let unit = unit_prices(loaded, &capped, prices)?;
    let load = expected_load(m);
    for p in 0..money.providers.len() {
        let forms: Vec<usize> = (0..capped.len())
            .filter(|f| capped[*f] == Some(p))
            .collect();
        if forms.is_empty() {
            continue;
        }
        let ratio: Vec<f64> = (0..m.years)
            .map(|y| {
                let demand: f64 = forms
                    .iter()
                    .map(|&f| unit[f][y] * (0..m.n_areas).map(|a| load[m.at(f, a, y)]).sum::<f64>())
                    .sum();
                let budget = budget(prices, money, p, y);
                if demand > 0.0 { budget / demand } else { 0.0 }
            })
            .collect();
        for pool in pools.iter_mut().filter(|pool| forms.contains(&pool.form)) {
            let affordable: Vec<u32> = (0..m.years)
                .map(|y| {
                    let areas = pool.area.map_or(0..m.n_areas, |a| a..a + 1);
                    let expected: f64 = areas.map(|a| load[m.at(pool.form, a, y)]).sum();
                    places(ratio[y] * expected)
                })
                .collect();
            pool.capacity = met_a_year_ahead(&affordable);
        }
    }
    lower_by_losses(pools, &capped, m.losses, m.years);
    Ok(())
}

impl CapInputs<'_> {
    fn at(&self, form: usize, area: usize, year: usize) -> usize {
        (form * self.n_areas + area) * self.years + year
    }
}

/// Whole places a fractional number pays for, rounded down (a hair below
/// an integer stays below it: the money must cover every place).
fn places(x: f64) -> u32 {
    (x * (1.0 - 1e-12))
        .floor()
        .clamp(0.0, f64::from(u32::MAX / 4)) as u32
}

/// Year y keeps the places both y's and y + 1's money pay: a place filled
/// in y is still occupied at the start of y + 1, since nobody is evicted.
fn met_a_year_ahead(affordable: &[u32]) -> Vec<u32> {
    (0..affordable.len())
        .map(|y| affordable[y].min(*affordable.get(y + 1).unwrap_or(&affordable[y])))
        .collect()
}

/// The provider's budget for places in year y: its share of the budget
/// table minus the fixed costs it carries, at least zero.
fn budget(prices: &Prices, money: &Money, p: usize, y: usize) -> f64 {
    let mut b = prices.lumpsum_region[y] * money.providers[p].share;
    if p == money.fixed_cost_provider {
        b -= prices.area_teams.iter().map(|t| t[y]).sum::<Decimal>()
            + prices.crisis_service[y]
            + prices.interventions[y];
    }
    b.to_f64().unwrap_or(0.0).max(0.0)
}

/// [form][year] euros per place-year of each capped form; a form that
/// costs nothing cannot be capped by money.
fn unit_prices(
    loaded: &Loaded,
    capped: &[Option<usize>],
    prices: &Prices,
) -> Result<Vec<Vec<f64>>, InputError> {
    let mut unit = vec![Vec::new(); capped.len()];
    for (f, name) in loaded.scenario.care_forms.keys().enumerate() {
        if capped[f].is_none() {
            continue;
        }
        unit[f] = (0..prices.tariff[f].len())
            .map(|y| {
                let per_day = prices.tariff[f][y] + prices.place_day[f][y];
                per_day.to_f64().unwrap_or(0.0) * DAYS_PER_YEAR
            })
            .collect();
        if let Some(y) = unit[f].iter().position(|u| *u <= 0.0 || !u.is_finite()) {
            let year = loaded.scenario.horizon.start_year + y as i32;
            return Err(loaded
                .sources
                .error(
                    &["care_forms", name, "tariff"],
                    format!("`{name}` of a budget-capped provider costs nothing per client-day in {year}, so its lumpsum cannot bound its places"),
                )
                .fix("give the form a tariff, a fixed_cost_per_place_day or staff capacity, or remove budget_cap from its provider"));
        }
    }
    Ok(unit)
}

/// Provider failures lower a capped pool's places from the year after the
/// loss on, as they lower a planned path.
fn lower_by_losses(
    pools: &mut [Pool],
    capped: &[Option<usize>],
    losses: &[CapacityLoss],
    years: usize,
) {
    for loss in losses {
        let pool = &mut pools[loss.pool.index()];
        if capped[pool.form].is_none() {
            continue;
        }
        let year = (loss.time / DAYS_PER_YEAR).floor() as usize;
        for y in year + 1..years {
            pool.capacity[y] = pool.capacity[y].saturating_sub(loss.places);
        }
    }
}

/// Expected clients in care per (form, area, year) if every client were
/// granted at once: arrivals plus transfers in (and relapses) per day ×
/// mean days in care (Little's law). Transfers keep the client's area.
fn expected_load(m: &CapInputs<'_>) -> Vec<f64> {
    let n_forms = m.forms.len();
    let mut load = vec![0.0; n_forms * m.n_areas * m.years];
    for y in 0..m.years {
        for a in 0..m.n_areas {
            let mut external = vec![0.0; n_forms];
            for st in m
                .streams
                .iter()
                .filter(|st| m.segments[st.segment.index()].area == a)
            {
                external[st.form.index()] += st.rate_per_day[y];
            }
            let rate = with_transfers(m, &external, y);
            for (f, form) in m.forms.iter().enumerate() {
                let stay = form.duration.mean() * form.duration_scale[y];
                load[m.at(f, a, y)] = rate[f] * stay;
            }
        }
    }
    load
}

/// Entries per day into each form: the fixed point of rate = external +
/// Σ rate × P(transfer) (+ relapse back into the form left); the transfer
/// matrix is substochastic, so the iteration converges.
fn with_transfers(m: &CapInputs<'_>, external: &[f64], y: usize) -> Vec<f64> {
    let relapse = m.relapse.map_or(0.0, |r| r.probability);
    let mut rate = external.to_vec();
    for _ in 0..1000 {
        let mut next = external.to_vec();
        for (g, form) in m.forms.iter().enumerate() {
            let mut previous = 0.0;
            for &(to, cumulative) in &form.transitions[y] {
                next[to.index()] += rate[g] * (cumulative - previous);
                previous = cumulative;
            }
            next[g] += rate[g] * (1.0 - previous).max(0.0) * relapse;
        }
        let change: f64 = next.iter().zip(&rate).map(|(a, b)| (a - b).abs()).sum();
        rate = next;
        if change <= 1e-12 * (1.0 + rate.iter().sum::<f64>()) {
            break;
        }
    }
    rate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_is_met_a_year_ahead_and_rises_wait_for_the_money() {
        assert_eq!(met_a_year_ahead(&[10, 8, 8, 12, 5]), vec![8, 8, 8, 5, 5]);
        assert_eq!(met_a_year_ahead(&[3]), vec![3]);
    }

    #[test]
    fn places_round_down_even_at_an_integer() {
        assert_eq!(places(12.0), 11);
        assert_eq!(places(12.5), 12);
        assert_eq!(places(-3.0), 0);
        assert_eq!(places(f64::NAN), 0);
    }
}
