//! Interventions and shocks: the yearly share of each effect, and provider
//! failures that take places away.

use super::Names;
use crate::calendar::DAYS_PER_YEAR;
use crate::model::{CapacityLoss, InterventionModel, Lever, NO_POOL, Pool, PoolId};
use crate::scenario::profile::{Profile, Shape};
use crate::scenario::schema::{self, Intervention, Scenario};

/// Compiles the interventions; capacity losses also lower the pools'
/// capacity from the year after the loss (the loss year changes mid-year).
pub fn interventions(
    s: &Scenario,
    names: &Names,
    pool_of: &[PoolId],
    pools: &mut [Pool],
) -> (Vec<InterventionModel>, Vec<CapacityLoss>) {
    let mut models = Vec::new();
    let mut losses = Vec::new();
    for (name, i) in &s.interventions {
        match lever(i.lever) {
            Some(lever) => models.push(intervention(s, names, name, i, lever)),
            None => losses.extend(capacity_loss(s, names, i, pool_of, pools)),
        }
    }
    losses.sort_by(|a, b| a.time.total_cmp(&b.time));
    (models, losses)
}

/// The model's lever of a scenario lever (`None` for a place loss).
fn lever(lever: schema::Lever) -> Option<Lever> {
    Some(match lever {
        schema::Lever::Inflow => Lever::Inflow,
        schema::Lever::Duration => Lever::Duration,
        schema::Lever::Exit => Lever::Exit,
        schema::Lever::Access => Lever::Access,
        schema::Lever::Relapse => Lever::Relapse,
        schema::Lever::Tariff => Lever::Tariff,
        schema::Lever::CapacityLoss => return None,
    })
}

/// A provider failure: the pool loses its places from the year after on
/// (the loss itself happens mid-year, in the simulation).
fn capacity_loss(
    s: &Scenario,
    names: &Names,
    i: &Intervention,
    pool_of: &[PoolId],
    pools: &mut [Pool],
) -> Option<CapacityLoss> {
    let form = names.form(i.forms.first().expect("validated"));
    let area = i
        .area
        .as_ref()
        .and_then(|a| names.areas.iter().position(|n| n == a))
        .unwrap_or(0);
    let pool = pool_of[form * names.areas.len() + area];
    if pool == NO_POOL {
        // The demand-led view of a staff form has no places to lose.
        return None;
    }
    let years = s.horizon.years as usize;
    let year = (i.start - s.horizon.start_year) as usize;
    for y in year + 1..years {
        let c = &mut pools[pool.index()].capacity[y];
        *c = c.saturating_sub(i.places);
    }
    Some(CapacityLoss {
        pool,
        places: i.places,
        time: year as f64 * DAYS_PER_YEAR + f64::from(i.day),
    })
}

/// An intervention with the share of its effect active per year (0 before
/// the lag, then the ramp, 0 again after its end).
fn intervention(
    s: &Scenario,
    names: &Names,
    name: &str,
    i: &Intervention,
    lever: Lever,
) -> InterventionModel {
    let start = s.horizon.start_year;
    let first = i.start.saturating_add(i.lag_years.min(1000) as i32);
    let ramp = Profile::Shape {
        shape: Shape::parse(&i.ramp).unwrap_or(Shape::Linear),
        from: 0.0,
        to: 1.0,
        start: first - 1,
        end: first - 1 + i.ramp_years.clamp(1, 1000) as i32,
    };
    let active = (0..s.horizon.years as i32)
        .map(|y| {
            let year = start + y;
            if year < first || i.end.is_some_and(|e| year > e) {
                0.0
            } else {
                ramp.at(year)
            }
        })
        .collect();
    InterventionModel {
        name: name.to_string(),
        lever,
        forms: names
            .forms
            .iter()
            .map(|f| i.forms.is_empty() || i.forms.contains(f))
            .collect(),
        active,
        effect: i.effect,
    }
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
