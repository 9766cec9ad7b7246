//! The hard event budget of one replication, derived from the scenario: a
//! generous multiple of the events its arrivals and stays can produce. A
//! replication that exceeds it is stopped (exit 2) instead of running on
//! forever; a valid scenario stays far below it.
//!
//! Events per replication ≤ clients × (1 + events per episode × episodes per
//! client). Clients are the expected arrivals over warm-up and horizon (at
//! the largest inflow an intervention can draw) plus the initial caseload.
//! Episodes per client are the smaller of two bounds: the expected visits of
//! the transition (and escalation) chain times the relapse factor 1 / (1 − p),
//! and — for chains that return with probability 1 — a renewal bound in time:
//! (1 + simulated days ÷ shortest mean stay) × (1 + the expected run of
//! 0-day stays).

use super::{Lever, Model};
use crate::calendar::DAYS_PER_YEAR;

/// Upper bound of the events one episode brings: its end or age check, an
/// extension, a wait's age check, reneging and escalation, a relapse.
const EVENTS_PER_EPISODE: f64 = 8.0;
/// Safety factor over the expected count.
const MARGIN: f64 = 10.0;
/// No replication gets a smaller budget (a few seconds of simulation).
pub const FLOOR: u64 = 10_000_000;
/// Iterations of the expected-visits recursion before it counts as divergent.
const ITERATIONS: usize = 2_000;
/// Expected run of 0-day stays assumed when its recursion does not settle.
const LONG_ZERO_RUN: f64 = 1e6;

/// The event budget of one replication of `model`.
pub fn event_budget(model: &Model) -> u64 {
    let clients = clients(model);
    let episodes = (visits(model) * relapse_factor(model)).min(time_bound(model));
    let fixed = (model.years + model.warmup_years + model.capacity_losses.len() + 1) as f64;
    let expected = clients * (1.0 + EVENTS_PER_EPISODE * episodes) + fixed;
    // `as` saturates: an unbounded estimate becomes u64::MAX.
    ((expected * MARGIN) as u64).max(FLOOR)
}

/// Largest (`up`) or smallest multiplier interventions on `lever` can give
/// `form` (each replication with uncertain parameters has its own model,
/// so its drawn effects).
fn lever_bound(model: &Model, form: usize, lever: Lever, up: bool) -> f64 {
    (model.interventions.iter())
        .filter(|iv| iv.lever == lever && iv.forms.get(form).copied().unwrap_or(false))
        .map(|iv| {
            let e = iv.effect;
            if up {
                1.0 + e.max(0.0)
            } else {
                1.0 + e.min(0.0)
            }
        })
        .product()
}

/// Expected arrivals over warm-up and horizon, plus the initial caseload.
fn clients(model: &Model) -> f64 {
    let arrivals: f64 = (model.streams.iter())
        .map(|s| {
            let inflow = lever_bound(model, s.form.index(), Lever::Inflow, true);
            let horizon: f64 = s.rate_per_day.iter().sum();
            let warmup = s.rate_per_day[0] * model.warmup_years as f64;
            (horizon + warmup) * DAYS_PER_YEAR * inflow
        })
        .sum();
    arrivals + model.initial.len() as f64
}

/// [from][to] largest probability over the horizon of moving on from one
/// episode to the next (transitions, and escalation while waiting).
fn moves(model: &Model) -> Vec<Vec<f64>> {
    let n = model.forms.len();
    let mut p = vec![vec![0.0; n]; n];
    for (i, form) in model.forms.iter().enumerate() {
        for year in &form.transitions {
            let mut before = 0.0;
            for &(to, cumulative) in year {
                let pij = &mut p[i][to.index()];
                *pij = f64::max(*pij, cumulative - before);
                before = cumulative;
            }
        }
        if let Some(rule) = &form.escalation {
            p[i][rule.to.index()] += rule.probability;
        }
    }
    p
}

/// Largest expected number of episodes from one entry through the chain
/// `n = 1 + P n` over the forms in `within`; infinite if it does not settle.
fn expected_visits(p: &[Vec<f64>], within: &[bool]) -> f64 {
    let mut n: Vec<f64> = within.iter().map(|&w| if w { 1.0 } else { 0.0 }).collect();
    for _ in 0..ITERATIONS {
        let next: Vec<f64> = (0..n.len())
            .map(|i| match within[i] {
                true => 1.0 + (0..n.len()).map(|j| p[i][j] * n[j]).sum::<f64>(),
                false => 0.0,
            })
            .collect();
        let settled = next.iter().zip(&n).all(|(a, b)| a - b <= 1e-9 * a);
        n = next;
        if settled {
            return n.iter().copied().fold(0.0, f64::max);
        }
    }
    f64::INFINITY
}

fn visits(model: &Model) -> f64 {
    expected_visits(&moves(model), &vec![true; model.forms.len()])
}

/// 1 / (1 − p) episodes per discharge that may come back.
fn relapse_factor(model: &Model) -> f64 {
    model
        .relapse
        .as_ref()
        .map_or(1.0, |r| 1.0 / (1.0 - r.probability))
}

/// Episodes that fit in the simulated time: stays of positive mean renew at
/// most every `shortest mean` days, each followed by a run of 0-day stays.
fn time_bound(model: &Model) -> f64 {
    let days = (model.years + model.warmup_years) as f64 * DAYS_PER_YEAR;
    let zero: Vec<bool> = model
        .forms
        .iter()
        .map(|f| f.duration.always_zero())
        .collect();
    let shortest = (model.forms.iter().enumerate())
        .filter(|(i, _)| !zero[*i])
        .map(|(i, f)| {
            let scale = f
                .duration_scale
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            f.duration.mean() * scale * lever_bound(model, i, Lever::Duration, false)
        })
        .fold(f64::INFINITY, f64::min);
    let instant_relapse = (model.relapse.as_ref()).is_some_and(|r| r.delay.always_zero());
    let zero_run = match zero.iter().any(|z| *z) {
        true => expected_visits(&moves(model), &zero).min(LONG_ZERO_RUN),
        false => 0.0,
    } * if instant_relapse {
        relapse_factor(model)
    } else {
        1.0
    };
    (1.0 + days / shortest) * (1.0 + zero_run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visits_follow_the_chain_and_diverge_on_a_closed_loop() {
        let half = vec![vec![0.0, 0.5], vec![0.0, 0.0]];
        assert!((expected_visits(&half, &[true, true]) - 1.5).abs() < 1e-9);
        let closed = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        assert!(expected_visits(&closed, &[true, true]).is_infinite());
    }
}
