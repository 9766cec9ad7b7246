//! Landscape dynamics against what they must do: phase-out without
//! eviction, pooling, budget-capped staff, the waiting-list refill effect,
//! reneging and escalation as competing risks, substitution, interventions
//! with uncertain effects, provider failure and friction costs. Tolerances
//! are four standard errors of the replication means unless exact.

use crate::util::*;
use jeugdstroom::finance;
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Exposure, PoolMetric, Record};
use rust_decimal::Decimal;

const Z: f64 = 4.0;

fn pool(e: &Exposure, y: usize, m: PoolMetric) -> f64 {
    e.pool(y, 0, m)
}

/// Total cost of a replication in euros.
fn cost(model: &Model, r: &Record) -> f64 {
    let costs = finance::price(model, &r.exposure, &r.draws);
    let mut cents = 0i64;
    for y in 0..model.years {
        for s in 0..model.segments.len() {
            cents += costs.segment_total(y, s);
        }
    }
    cents as f64 / 100.0
}

/// Places shrink from 20 to 5 at the start of year 1. Episodes last 300
/// days, so everyone in care at the cut stays until their episode ends (no
/// eviction), nobody is admitted above the new capacity, and from year 2 on
/// occupancy never exceeds 5.
#[test]
fn phase_out_closes_places_only_when_vacated() {
    let text = single_form(
        40.0,
        r#"{ distribution = "fixed", days = 300 }"#,
        r#"capacity = { scope = "region", places = { 2028 = 20, 2029 = 5 } }
overflow = { policy = "out_of_region", tariff_multiplier = 1.0 }"#,
        4,
        2,
    );
    let model = prepare(&text).model;
    let mut checked = 0;
    for (r, e) in per_replication(&model, 5, 40, |e| e.clone())
        .iter()
        .enumerate()
    {
        let before = pool(e, 0, PoolMetric::OccupiedEnd);
        assert_eq!(pool(e, 1, PoolMetric::Capacity), 5.0);
        // Nobody admitted above the shrinking capacity: the year's peak is
        // what was carried over, or the new capacity.
        let peak = pool(e, 1, PoolMetric::PeakOccupied);
        assert!(
            peak <= before.max(5.0),
            "rep {r}: peak {peak}, carried {before}"
        );
        // Nobody evicted: with 20 clients at the cut the occupied place-days
        // of year 1 exceed what 5 places can hold, by the carried episodes.
        if before > 5.0 {
            let occupied = pool(e, 1, PoolMetric::OccupiedDays);
            assert!(occupied > 5.0 * 365.0, "rep {r}: {occupied} days");
            checked += 1;
        }
        for y in 2..4 {
            let peak = pool(e, y, PoolMetric::PeakOccupied);
            assert!(peak <= 5.0, "rep {r} year {y}: peak {peak} above 5 places");
        }
        // Clients are conserved: the old episodes all ended, none vanished.
        let outflow = total(e, CellMetric::Outflow, 0..4);
        let inflow = total(e, CellMetric::Inflow, 0..4);
        let active = total(e, CellMetric::ActiveEnd, 3..4);
        let start: f64 = e.initial_active.iter().sum();
        assert_eq!(start + inflow, outflow + active, "rep {r}");
    }
    assert!(
        checked > 30,
        "the cut met a full unit in {checked} of 40 futures"
    );
}

/// Halving the lumpsum halves the affordable FTE (places) of a
/// budget-capped staff form, raises the mean wait, and keeps its cost
/// within the lumpsum.
#[test]
fn budget_capped_staff_follows_the_lumpsum() {
    let scenario = |lumpsum: f64| {
        format!(
            r#"
name = "capped"
[horizon]
start_year = 2028
years = 3
[initial_state]
warmup_years = 1
[municipalities.town]
[areas.north]
youth = {{ town = 5000 }}
[areas.south]
youth = {{ town = 5000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 40
entry = {{ team = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.team]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 180 }}
tariff = 0
age = [ {{ from = 0, to = 10, weight = 1 }} ]
overflow = {{ policy = "wait" }}
capacity = {{ scope = "staff", mode = "budget_capped", caseload_per_fte = 10, cost_per_fte = 100000, fte = {{ north = 1, south = 3 }} }}
[lumpsum]
region = {lumpsum}
"#
        )
    };
    let mut waits = Vec::new();
    let mut places = Vec::new();
    for lumpsum in [2.0e6, 1.5e6, 1.0e6] {
        let prepared = prepare(&scenario(lumpsum));
        let model = &prepared.model;
        let p: Vec<u32> = model.pools.iter().map(|p| p.capacity[0]).collect();
        // FTE = lumpsum / cost per FTE, split 1 : 3 by the plan; places = FTE × 10.
        let fte = lumpsum / 100_000.0;
        assert_eq!(p, vec![(fte * 2.5) as u32, (fte * 7.5) as u32], "{lumpsum}");
        places.push(p.iter().sum::<u32>());
        let stats = per_record(model, 3, 60, |r| {
            let e = &r.exposure;
            (
                total(e, CellMetric::WaitDaysSum, 0..3) / total(e, CellMetric::Starts, 0..3),
                cost(model, r),
            )
        });
        for (_, c) in &stats {
            assert!(
                *c <= 3.0 * lumpsum + 0.01,
                "cost {c} above 3 years of lumpsum {lumpsum}"
            );
        }
        let w: Vec<f64> = stats.iter().map(|s| s.0).collect();
        waits.push((mean(&w), std_error(&w)));
        assert!(
            prepared.demand_led.is_some(),
            "the demand-led view is prepared"
        );
    }
    assert_eq!(
        places[0],
        2 * places[2],
        "half the lumpsum, half the places"
    );
    for k in 1..waits.len() {
        let ((a, sa), (b, sb)) = (waits[k - 1], waits[k]);
        assert!(
            b - a > Z * (sa * sa + sb * sb).sqrt(),
            "mean wait must rise as the lumpsum falls: {waits:?}"
        );
    }
}

fn refill_scenario(rate: f64, capacity: &str) -> String {
    single_form(
        rate,
        r#"{ distribution = "exponential", mean = 100 }"#,
        capacity,
        3,
        2,
    )
}

/// Seed 001 L890-893: with a standing waiting list, 10 % less inflow leaves
/// total cost unchanged (freed places are refilled from the list) while the
/// list shrinks; without a list the cost falls about 10 %.
#[test]
fn lower_inflow_cuts_cost_only_without_a_waiting_list() {
    // 10 places, 100-day stays: capacity serves 36.5 starts a year; demand 60 or 54.
    let capped = r#"capacity = { scope = "region", places = 10 }
overflow = { policy = "wait" }"#;
    // Paired (common random numbers) differences with known expectations.
    let paired = |capacity: &str, factor: f64| {
        let (a, b) = (
            prepare(&refill_scenario(60.0, capacity)).model,
            prepare(&refill_scenario(54.0, capacity)).model,
        );
        let ra = per_record(&a, 8, 60, |r| {
            (
                cost(&a, r),
                total(&r.exposure, CellMetric::WaitingEnd, 2..3),
            )
        });
        let rb = per_record(&b, 8, 60, |r| {
            (
                cost(&b, r),
                total(&r.exposure, CellMetric::WaitingEnd, 2..3),
            )
        });
        let cost_gap: Vec<f64> = ra
            .iter()
            .zip(&rb)
            .map(|(x, y)| y.0 - factor * x.0)
            .collect();
        let list: Vec<f64> = ra.iter().zip(&rb).map(|(x, y)| y.1 - x.1).collect();
        (
            cost_gap,
            list,
            mean(&ra.iter().map(|x| x.0).collect::<Vec<_>>()),
        )
    };
    // With a list: cost(54) − cost(60) ≈ 0 (every place stays filled).
    let (gap, list_change, level) = paired(capped, 1.0);
    let (m, se) = (mean(&gap), std_error(&gap));
    assert!(
        m.abs() <= Z * se + 1e-6 * level,
        "with a list, the cost changes by {m:.0} ± {se:.0} of {level:.0}"
    );
    assert!(
        mean(&list_change) < -Z * std_error(&list_change),
        "the list shrinks: {:.1}",
        mean(&list_change)
    );
    // Without a list (unlimited places): E[cost] is proportional to inflow,
    // so cost(54) − 0.9 × cost(60) has expectation 0 while cost falls.
    let (gap, _, level) = paired("", 0.9);
    let (m, se) = (mean(&gap), std_error(&gap));
    assert!(
        m.abs() < Z * se,
        "without a list, cost(54) − 0.9 cost(60) = {m:.0} ± {se:.0} (level {level:.0})"
    );
}

/// Clients waiting forever (no places) renege after Exp(60 days) or, if at
/// risk (40 %), escalate after Exp(30 days): competing risks. Both counts are
/// Poisson (independent marking of a Poisson stream) with known means.
#[test]
fn reneging_and_escalation_match_their_probabilities() {
    let text = r#"
name = "risks"
[horizon]
start_year = 2028
years = 2
[municipalities.town]
[areas.centre]
youth = { town = 1000 }
[arrivals]
population_year = 2028
rate_per_1000 = 365
entry = { light = 1.0 }
priority = { regular = 1.0 }
[care_forms.light]
kind = "ambulant"
duration = { distribution = "exponential", mean = 30 }
tariff = 10
age = [ { from = 0, to = 1, weight = 1 } ]
capacity = { scope = "region", places = 0 }
overflow = { policy = "wait", patience = { distribution = "exponential", mean = 60 } }
escalation = { to = "heavy", probability = 0.4, delay = { distribution = "exponential", mean = 30 } }
[care_forms.heavy]
kind = "residential"
duration = { distribution = "exponential", mean = 30 }
tariff = 100
age = [ { from = 0, to = 1, weight = 1 } ]
[lumpsum]
region = 1_000_000
"#;
    let model = prepare(text).model;
    let light = model.forms.iter().position(|f| f.name == "light").unwrap();
    let heavy = 1 - light;
    let reps = 200;
    let counts = per_replication(&model, 4, reps, |e| {
        let esc =
            e.cell(0, 0, light, CellMetric::Escalated) + e.cell(1, 0, light, CellMetric::Escalated);
        let ren =
            e.cell(0, 0, light, CellMetric::Reneged) + e.cell(1, 0, light, CellMetric::Reneged);
        let heavy_starts =
            e.cell(0, 0, heavy, CellMetric::Starts) + e.cell(1, 0, heavy, CellMetric::Starts);
        assert_eq!(esc, heavy_starts, "every escalation starts heavy care");
        (esc, ren)
    });
    // λ = 1/day over T = 730 days; a = 1/30 (escalation), b = 1/60 (patience).
    let (lambda, t, p, a, b) = (1.0, 730.0, 0.4, 1.0 / 30.0, 1.0 / 60.0);
    let resolved = |k: f64| t - (1.0 - (-k * t).exp()) / k;
    let expected_esc = lambda * p * a / (a + b) * resolved(a + b);
    let expected_ren = lambda * ((1.0 - p) * resolved(b) + p * b / (a + b) * resolved(a + b));
    for (name, values, expected) in [
        (
            "escalated",
            counts.iter().map(|c| c.0).collect::<Vec<_>>(),
            expected_esc,
        ),
        (
            "reneged",
            counts.iter().map(|c| c.1).collect(),
            expected_ren,
        ),
    ] {
        let m = mean(&values);
        let se = (expected / reps as f64).sqrt();
        assert!(
            (m - expected).abs() < Z * se,
            "{name}: {m:.1} vs {expected:.1} (Poisson se {se:.2})"
        );
    }
}

/// With no residential place at all, every arrival for it starts in the
/// substitute instead, at the substitute's tariff.
#[test]
fn substitution_routes_all_demand_of_a_closed_form() {
    let text = single_form(
        50.0,
        r#"{ distribution = "exponential", mean = 50 }"#,
        r#"capacity = { scope = "region", places = 0 }
overflow = { policy = "substitute", to = "home" }
[care_forms.home]
kind = "residential"
duration = { distribution = "exponential", mean = 80 }
tariff = 40
age = [ { from = 0, to = 1, weight = 1 } ]"#,
        2,
        0,
    );
    let model = prepare(&text).model;
    let bed = model.forms.iter().position(|f| f.name == "bed").unwrap();
    let home = 1 - bed;
    for e in per_replication(&model, 2, 20, |e| e.clone()) {
        for y in 0..2 {
            let inflow = e.cell(y, 0, bed, CellMetric::Inflow);
            assert!(inflow > 0.0);
            assert_eq!(e.cell(y, 0, bed, CellMetric::Substituted), inflow);
            assert_eq!(e.cell(y, 0, home, CellMetric::Starts), inflow);
            assert_eq!(e.cell(y, 0, bed, CellMetric::Starts), 0.0);
        }
    }
}

fn intervention_scenario(interventions: &str) -> String {
    format!(
        "{}\n{interventions}",
        single_form(
            2000.0,
            r#"{ distribution = "exponential", mean = 20 }"#,
            "",
            4,
            0,
        )
    )
}

/// An inflow intervention lowers arrivals by its effect from its start year
/// (after the lag, along the ramp); an uncertain effect widens the spread of
/// yearly inflow beyond Poisson noise; access diverts its share.
#[test]
fn interventions_act_from_their_start_with_their_uncertainty() {
    let base = prepare(&intervention_scenario("")).model;
    let fixed = prepare(&intervention_scenario(
        r#"[interventions.poh]
lever = "inflow"
start = 2029
lag_years = 1
ramp_years = 2
effect = -0.2
cost_per_year = 100000"#,
    ))
    .model;
    // Active share per year: 0, 0 (lag), 0.5, 1.
    assert_eq!(fixed.interventions[0].active, vec![0.0, 0.0, 0.5, 1.0]);
    let inflow = |m: &Model, seed: u64| {
        per_replication(m, seed, 100, |e| {
            (0..4)
                .map(|y| total(e, CellMetric::Inflow, y..y + 1))
                .collect::<Vec<_>>()
        })
    };
    let (b, f) = (inflow(&base, 1), inflow(&fixed, 1));
    for (y, factor) in [(0, 1.0), (1, 1.0), (2, 0.9), (3, 0.8)] {
        let ratio: Vec<f64> = b.iter().zip(&f).map(|(x, z)| z[y] / x[y]).collect();
        let (m, se) = (mean(&ratio), std_error(&ratio));
        assert!(
            (m - factor).abs() < Z * se.max(1e-3),
            "year {y}: inflow ratio {m:.4} vs {factor}"
        );
    }
    // The intervention is paid from its start year, before its effect.
    let paid: Vec<Decimal> = fixed.prices.interventions.clone();
    assert_eq!(
        paid,
        vec![
            Decimal::ZERO,
            Decimal::from(100_000),
            Decimal::from(100_000),
            Decimal::from(100_000)
        ]
    );

    // An uncertain effect is a parameter like any other: each replication
    // runs its own model with its draw.
    let uncertain = prepare(&intervention_scenario(
        r#"[interventions.poh]
lever = "inflow"
start = 2028
effect = { mean = -0.2, sd = 0.1 }"#,
    ));
    let sampler = uncertain
        .uncertainty
        .as_ref()
        .expect("uncertain effect")
        .sampler(1);
    let u: Vec<Vec<f64>> = (0..100)
        .map(|r| {
            let (model, _) = sampler.model(r).unwrap_or_else(|e| panic!("{e}"));
            let mut sim = jeugdstroom::sim::Simulation::new(&model);
            let e = &sim.run(1, r).unwrap_or_else(|e| panic!("{e}")).exposure;
            (0..4)
                .map(|y| total(e, CellMetric::Inflow, y..y + 1))
                .collect()
        })
        .collect();
    let year0 = |v: &[Vec<f64>]| v.iter().map(|r| r[0]).collect::<Vec<f64>>();
    let (var_u, var_b) = (variance(&year0(&u)), variance(&year0(&b)));
    // Poisson var ≈ 2000; the draw adds (2000 × 0.1)² = 40,000.
    assert!(
        var_u > 5.0 * var_b,
        "uncertain effect widens the fan: var {var_u:.0} vs {var_b:.0}"
    );

    let access = prepare(&intervention_scenario(
        r#"[interventions.nee]
lever = "access"
start = 2028
effect = 0.25"#,
    ))
    .model;
    let shares = per_replication(&access, 3, 50, |e| {
        let d = total(e, CellMetric::Diverted, 0..4);
        d / (d + total(e, CellMetric::Inflow, 0..4))
    });
    let (m, se) = (mean(&shares), std_error(&shares));
    assert!((m - 0.25).abs() < Z * se, "diverted share {m:.4}");
}

fn variance(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
}

/// A provider failure takes 8 of 20 full places mid-year: the capacity
/// drops at once and the clients above it move out of region (not lost).
#[test]
fn provider_failure_moves_excess_clients_out_of_region() {
    let text = single_form(
        400.0,
        r#"{ distribution = "exponential", mean = 100 }"#,
        r#"capacity = { scope = "region", places = 20 }
overflow = { policy = "wait" }
[interventions.failure]
lever = "capacity_loss"
forms = ["bed"]
start = 2029
day = 100
places = 8"#,
        3,
        1,
    );
    let model = prepare(&text).model;
    assert_eq!(model.pools[0].capacity, vec![20, 20, 12]);
    for e in per_replication(&model, 6, 20, |e| e.clone()) {
        // Demand (110 in care on average) and a waiting list keep the unit
        // full (a freed place is refilled at once): exactly 8 move.
        assert_eq!(total(&e, CellMetric::TransferredOut, 0..3), 8.0);
        assert_eq!(pool(&e, 1, PoolMetric::Capacity), 12.0);
        assert!(pool(&e, 2, PoolMetric::PeakOccupied) <= 12.0);
        let outflow = total(&e, CellMetric::Outflow, 0..3);
        let inflow = total(&e, CellMetric::Inflow, 0..3);
        let start: f64 = e.initial_active.iter().chain(&e.initial_waiting).sum();
        let end = total(&e, CellMetric::ActiveEnd, 2..3) + total(&e, CellMetric::WaitingEnd, 2..3);
        assert_eq!(start + inflow, outflow + end, "clients conserved");
    }
}

/// Friction costs: closed places × cost per place, booked in the closing
/// year, to the cent.
#[test]
fn friction_cost_per_closed_place_is_exact() {
    let text = single_form(
        10.0,
        r#"{ distribution = "exponential", mean = 30 }"#,
        r#"capacity = { scope = "region", places = { shape = "linear", from = 12, to = 4, start = 2028, end = 2032 } }
overflow = { policy = "wait" }
friction_cost_per_closed_place = 12345.67"#,
        5,
        0,
    );
    let model = prepare(&text).model;
    assert_eq!(model.closed_places[0], vec![0, 2, 2, 2, 2]);
    let r = per_record(&model, 1, 1, |r| r.clone()).remove(0);
    let costs = finance::price(&model, &r.exposure, &r.draws);
    for y in 0..5 {
        let friction = costs.component(y, 0, 0, finance::Component::Friction);
        let expected = if y == 0 { 0 } else { 2 * 1_234_567 };
        assert_eq!(friction, expected, "year {y}");
    }
}

/// Transition probabilities follow their yearly profile.
#[test]
fn transition_profiles_change_routing_per_year() {
    let text = single_form(
        3000.0,
        r#"{ distribution = "exponential", mean = 10 }"#,
        r#"transitions = { after = { 2028 = 0.0, 2029 = 0.5 } }
[care_forms.after]
kind = "ambulant"
duration = { distribution = "exponential", mean = 10 }
tariff = 1
age = [ { from = 0, to = 1, weight = 1 } ]"#,
        2,
        0,
    );
    let model = prepare(&text).model;
    let after = model.forms.iter().position(|f| f.name == "after").unwrap();
    let shares = per_replication(&model, 9, 30, |e| {
        let arrivals_after = e.cell(1, 0, after, CellMetric::Starts);
        let ends = e.cell(1, 0, 1 - after, CellMetric::Outflow) + arrivals_after;
        (
            e.cell(0, 0, after, CellMetric::Starts),
            arrivals_after / ends,
        )
    });
    // In 2028 the probability is 0: no transfer at all.
    assert!(shares.iter().all(|s| s.0 == 0.0));
    let s: Vec<f64> = shares.iter().map(|s| s.1).collect();
    let (m, se) = (mean(&s), std_error(&s));
    assert!(
        (m - 0.5).abs() < Z * se,
        "2029 transfer share {m:.4} ± {se:.4}"
    );
}

/// A tariff shock changes prices, not clients: the same replication costs
/// exactly (1 + effect) × the variable cost from the shock year on.
#[test]
fn tariff_shock_multiplies_the_variable_cost() {
    let base = prepare(&intervention_scenario("")).model;
    let shocked = prepare(&intervention_scenario(
        r#"[interventions.inspection]
lever = "tariff"
start = 2030
effect = 0.08"#,
    ))
    .model;
    let a = per_record(&base, 4, 3, |r| r.clone());
    let b = per_record(&shocked, 4, 3, |r| r.clone());
    for (ra, rb) in a.iter().zip(&b) {
        let (ca, cb) = (
            finance::price(&base, &ra.exposure, &ra.draws),
            finance::price(&shocked, &rb.exposure, &rb.draws),
        );
        let (ea, eb) = (&ra.exposure, &rb.exposure);
        for y in 0..4 {
            let variable = |c: &finance::Costs| c.component(y, 0, 0, finance::Component::Variable);
            assert_eq!(
                total(ea, CellMetric::ClientDays, y..y + 1),
                total(eb, CellMetric::ClientDays, y..y + 1),
                "same clients"
            );
            let factor = if y >= 2 { 1.08 } else { 1.0 };
            let expected = variable(&ca) as f64 * factor;
            assert!(
                (variable(&cb) as f64 - expected).abs() <= 1.0,
                "year {y}: {} vs {expected}",
                variable(&cb)
            );
        }
    }
}
