//! The simulation against queueing theory and conservation laws. Tolerances
//! are four standard errors of the replication means (a false alarm about
//! once in 16,000 runs), never hand-picked.

use crate::util::*;
use jeugdstroom::analysis::queueing::{erlang_b, erlang_c};
use jeugdstroom::record::{CellMetric, PoolMetric};

const Z: f64 = 4.0;

/// M/M/c/c loss system: the share of arrivals placed out of region is Erlang-B.
#[test]
fn loss_system_matches_erlang_b() {
    // c = 5 places, mean stay 20 days, λ = 73/year = 0.2/day → a = 4 Erlang.
    let text = single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 20 }"#,
        r#"capacity = { scope = "region", places = 5 }
overflow = { policy = "out_of_region", tariff_multiplier = 1.5 }"#,
        8,
        1,
    );
    let model = prepare(&text).model;
    let shares = per_replication(&model, 11, 200, |e| {
        total(e, CellMetric::OutOfRegionStarts, 0..8) / total(e, CellMetric::Starts, 0..8)
    });
    let expected = erlang_b(5, 4.0);
    let (m, se) = (mean(&shares), std_error(&shares));
    assert!(
        (m - expected).abs() < Z * se,
        "out-of-region share {m:.4} vs Erlang-B {expected:.4} (se {se:.4})"
    );
    assert!((expected - 0.1991).abs() < 1e-3, "Erlang-B reference value");
}

/// M/M/c with waiting list: mean wait of all starts is Erlang-C's W_q.
#[test]
fn queue_matches_erlang_c() {
    // c = 3, mean stay 10 days (μ = 0.1), λ = 87.6/year = 0.24/day → a = 2.4, ρ = 0.8.
    let text = single_form(
        87.6,
        r#"{ distribution = "exponential", mean = 10 }"#,
        r#"capacity = { scope = "region", places = 3 }
overflow = { policy = "wait" }"#,
        8,
        1,
    );
    let model = prepare(&text).model;
    let waits = per_replication(&model, 12, 300, |e| {
        total(e, CellMetric::WaitDaysSum, 0..8) / total(e, CellMetric::Starts, 0..8)
    });
    let expected = erlang_c(3, 2.4) / (3.0 * 0.1 - 0.24);
    let (m, se) = (mean(&waits), std_error(&waits));
    assert!(
        (m - expected).abs() < Z * se,
        "mean wait {m:.3} days vs Erlang-C {expected:.3} (se {se:.3})"
    );
    assert!(m > 5.0, "the queue really waits ({m:.2} days)");
}

/// Little's law for every form of a network with transitions:
/// mean number in care = start rate × mean episode length.
#[test]
fn littles_law_holds_per_form() {
    let text = r#"
name = "network"
[horizon]
start_year = 2028
years = 4
[initial_state]
warmup_years = 3
[municipalities.town]
[areas.centre]
youth = { town = 10000 }
[arrivals]
population_year = 2028
rate_per_1000 = 30
entry = { light = 0.8, heavy = 0.2 }
priority = { regular = 1.0 }
[care_forms.light]
kind = "ambulant"
duration = { distribution = "lognormal", mean = 120, cv = 0.8 }
tariff = 30
age = [ { from = 0, to = 2, weight = 1 } ]
transitions = { heavy = 0.1 }
[care_forms.heavy]
kind = "residential"
duration = { distribution = "gamma", mean = 200, cv = 1.2 }
tariff = 300
age = [ { from = 0, to = 2, weight = 1 } ]
transitions = { light = 0.5 }
[lumpsum]
region = 1_000_000
"#;
    let prepared = prepare(text);
    let model = &prepared.model;
    for (f, form) in model.forms.iter().enumerate() {
        let mean_duration = form.duration.mean();
        // Per replication: L − λW over the horizon (days in care per day minus starts per day × W).
        let diffs = per_replication(model, 13, 60, |e| {
            let days: f64 = (0..4)
                .map(|y| e.cell(y, 0, f, CellMetric::ClientDays))
                .sum();
            let starts: f64 = (0..4).map(|y| e.cell(y, 0, f, CellMetric::Starts)).sum();
            let horizon = 4.0 * 365.0;
            days / horizon - starts / horizon * mean_duration
        });
        let (m, se) = (mean(&diffs), std_error(&diffs));
        let level = per_replication(model, 13, 1, |e| {
            e.cell(0, 0, f, CellMetric::ClientDays) / 365.0
        })[0];
        assert!(
            level > 50.0,
            "{}: enough clients to test ({level:.0})",
            form.name
        );
        assert!(
            m.abs() < Z * se,
            "{}: L − λW = {m:.2} (se {se:.2}, L ≈ {level:.0})",
            form.name
        );
    }
}

/// A congested variant of the default: waiting lists with reneging, blocking,
/// out-of-region placements, relapse and ageing all happen.
fn stressed_default() -> String {
    let base = DEFAULT;
    format!(
        "{base}\n{}",
        r#"
[care_forms.day_care.capacity]
scope = "region"
places = 500
[care_forms.day_care.overflow]
policy = "wait"
patience = { distribution = "exponential", mean = 60 }
"#
    )
    .replace("from = 1050, to = 1250", "from = 700, to = 700")
    .replace("from = 330, to = 450", "from = 200, to = 200")
}

/// Clients are conserved per replication and year:
/// inflow = outflow + reneged + Δ(in care + waiting).
#[test]
fn clients_are_conserved_per_replication_and_year() {
    let mut text = stressed_default();
    text = text.replace("warmup_years = 5", "warmup_years = 1");
    let prepared = prepare(&text);
    let model = &prepared.model;
    let mut saw = [0.0f64; 4];
    per_replication(model, 5, 3, |e| {
        let stock0: f64 = e.initial_active.iter().chain(&e.initial_waiting).sum();
        let mut previous = stock0;
        for y in 0..e.years {
            let inflow = total(e, CellMetric::Inflow, y..y + 1);
            let outflow = total(e, CellMetric::Outflow, y..y + 1);
            let reneged = total(e, CellMetric::Reneged, y..y + 1);
            let stock = total(e, CellMetric::ActiveEnd, y..y + 1)
                + total(e, CellMetric::WaitingEnd, y..y + 1);
            assert_eq!(inflow, outflow + reneged + stock - previous, "year {y}");
            previous = stock;
            saw[0] += reneged;
            saw[1] += total(e, CellMetric::BlockedDays, y..y + 1);
            saw[2] += total(e, CellMetric::AgedOut, y..y + 1);
            saw[3] += total(e, CellMetric::OutOfRegionStarts, y..y + 1);
        }
    });
    for (what, v) in ["reneged", "blocked days", "aged out", "out of region"]
        .iter()
        .zip(saw)
    {
        assert!(v > 0.0, "the stressed scenario exercises {what}");
    }
}

/// Places are never over-occupied, except under `always_grant`.
#[test]
fn capacity_is_never_exceeded_except_always_grant() {
    let text = stressed_default();
    let model = prepare(&text).model;
    let stable = |p: &jeugdstroom::model::Pool| p.capacity.windows(2).all(|w| w[0] == w[1]);
    per_replication(&model, 6, 2, |e| {
        for (pi, pool) in model.pools.iter().enumerate().filter(|(_, p)| stable(p)) {
            for y in 0..e.years {
                let peak = e.pool(y, pi, PoolMetric::PeakOccupied);
                let cap = e.pool(y, pi, PoolMetric::Capacity);
                assert!(
                    peak <= cap,
                    "pool {pi} ({}) year {y}: peak {peak} > capacity {cap}",
                    model.forms[pool.form].name
                );
            }
        }
    });
    // The same congestion with always_grant exceeds the places.
    let granted = single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 20 }"#,
        r#"capacity = { scope = "region", places = 3 }
overflow = { policy = "always_grant" }"#,
        2,
        1,
    );
    let model = prepare(&granted).model;
    let peaks = per_replication(&model, 7, 5, |e| {
        pool_total(e, PoolMetric::PeakOccupied, 0..1)
    });
    assert!(
        peaks.iter().all(|p| *p > 3.0),
        "always_grant exceeds capacity: {peaks:?}"
    );
}

/// Warm-up starts the horizon from a steady-state caseload (M/M/∞: Poisson
/// with mean λ·W), while no warm-up starts empty.
#[test]
fn warm_up_starts_from_a_steady_caseload() {
    // λ = 73/year = 0.2/day, W = 100 days → 20 in care on average.
    let warm = single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 100 }"#,
        "",
        1,
        3,
    );
    let model = prepare(&warm).model;
    let initial = per_replication(&model, 21, 200, |e| e.initial_active.iter().sum::<f64>());
    let (m, se) = (mean(&initial), std_error(&initial));
    assert!(
        (m - 20.0).abs() < Z * se,
        "initial caseload {m:.2} vs 20 (se {se:.2})"
    );
    let cold = single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 100 }"#,
        "",
        1,
        0,
    );
    let model = prepare(&cold).model;
    let initial = per_replication(&model, 21, 3, |e| e.initial_active.iter().sum::<f64>());
    assert_eq!(initial, vec![0.0; 3]);
}

/// An initial caseload CSV: clients in care finish the rest of their episode
/// (fixed 100 days, 60 already spent → 40 more), waiting clients start when
/// places free up, crisis before regular.
#[test]
fn initial_caseload_continues_conditionally_on_time_spent() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("municipality,area,care_form,priority,age,days,status\n");
    for _ in 0..4 {
        csv.push_str("town,centre,bed,regular,8,60,in_care\n");
    }
    csv.push_str("town,centre,bed,regular,9,30,waiting\n");
    csv.push_str("town,centre,bed,crisis,9,2,waiting\n");
    std::fs::write(dir.path().join("caseload.csv"), csv).unwrap();
    let text = single_form(
        0.0,
        r#"{ distribution = "fixed", days = 100 }"#,
        r#"capacity = { scope = "region", places = 4 }
overflow = { policy = "wait" }"#,
        1,
        0,
    )
    .replace("warmup_years = 0", "caseload = \"caseload.csv\"");
    let loaded = jeugdstroom::scenario::load_str("t.toml", &text, dir.path()).unwrap();
    let model = jeugdstroom::pipeline::prepare_loaded(loaded).unwrap().model;
    per_replication(&model, 1, 2, |e| {
        assert_eq!(e.initial_active.iter().sum::<f64>(), 4.0);
        assert_eq!(e.initial_waiting.iter().sum::<f64>(), 2.0);
        // 4 × 40 remaining days, then both waiting clients get 100 days from day 40.
        assert_eq!(
            total(e, CellMetric::ClientDays, 0..1),
            4.0 * 40.0 + 2.0 * 100.0
        );
        assert_eq!(total(e, CellMetric::Starts, 0..1), 2.0);
        // Waits: crisis waited 2 + 40 days, regular 30 + 40 days.
        assert_eq!(total(e, CellMetric::WaitDaysSum, 0..1), 42.0 + 70.0);
    });
}

/// Arrivals per year follow youth × rate × usage multipliers × trend^year
/// (a non-homogeneous Poisson process with per-year rates).
#[test]
fn arrival_rates_follow_population_usage_and_trend() {
    let text = single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 10 }"#,
        "",
        3,
        0,
    )
    .replace(
        "[municipalities.town]",
        "[municipalities.town]\nform_usage = { bed = 2.0 }",
    )
    .replace(
        "youth = { town = 1000 }",
        "youth = { town = 1000 }\nusage = 1.5\ngrowth = 0.05",
    )
    .replace(
        "entry = { bed = 1.0 }",
        "entry = { bed = 1.0 }\ntrend = 0.1",
    );
    let model = prepare(&text).model;
    for y in 0..3 {
        let inflow = per_replication(&model, 31, 100, |e| total(e, CellMetric::Inflow, y..y + 1));
        // Youth grows 5 %/year from the population year (the start year here).
        let expected = 73.0 * 1.5 * 2.0 * 1.1f64.powi(y as i32) * 1.05f64.powi(y as i32);
        let (m, se) = (mean(&inflow), std_error(&inflow));
        assert!(
            (m - expected).abs() < Z * se,
            "year {y}: inflow {m:.1} vs {expected:.1} (se {se:.2})"
        );
        // Poisson: variance equals the mean (sample variance has relative
        // standard error √(2/(n−1)) for near-normal counts).
        let n = inflow.len() as f64;
        let var = se * se * n;
        let tolerance = Z * (2.0 / (n - 1.0)).sqrt();
        assert!(
            (var / expected - 1.0).abs() < tolerance,
            "year {y}: variance {var:.1} vs mean {expected:.1}"
        );
    }
}

/// Reserved places (vacancy buffer): regular arrivals may only take
/// c − r places, crisis and safety all c. The occupancy is a birth–death
/// chain with arrival rate λ below c − r and λ_urgent above; blocking per
/// class follows from its stationary distribution (PASTA).
#[test]
fn reserved_places_match_the_birth_death_chain() {
    let (c, r, lambda, mu) = (6usize, 2usize, 0.25, 1.0 / 20.0); // a = 5 Erlang
    let urgent_share = 0.2;
    let text = single_form(
        lambda * 365.0,
        r#"{ distribution = "exponential", mean = 20 }"#,
        &format!(
            "capacity = {{ scope = \"region\", places = {c}, reserved = {r} }}\n\
             overflow = {{ policy = \"out_of_region\", tariff_multiplier = 1.5 }}"
        ),
        8,
        1,
    )
    .replace(
        "priority = { regular = 1.0 }",
        "priority = { regular = 0.8, crisis = 0.2 }",
    );
    let model = prepare(&text).model;
    // Stationary distribution of the chain.
    let mut weights = vec![1.0f64];
    for n in 1..=c {
        let rate_in = if n - 1 < c - r {
            lambda
        } else {
            lambda * urgent_share
        };
        weights.push(weights[n - 1] * rate_in / (n as f64 * mu));
    }
    let norm: f64 = weights.iter().sum();
    let pi: Vec<f64> = weights.iter().map(|w| w / norm).collect();
    let regular_blocked: f64 = pi[c - r..].iter().sum();
    let urgent_blocked = pi[c];
    let shares = per_replication(&model, 41, 200, |e| {
        total(e, CellMetric::OutOfRegionStarts, 0..8) / total(e, CellMetric::Starts, 0..8)
    });
    // Mixed blocking over both classes.
    let expected = 0.8 * regular_blocked + 0.2 * urgent_blocked;
    let (m, se) = (mean(&shares), std_error(&shares));
    assert!(
        (m - expected).abs() < Z * se,
        "blocked {m:.4} vs chain {expected:.4} (se {se:.4})"
    );
    // The test can tell a buffer from none: without it the loss would be B(6, 5).
    assert!((expected - erlang_b(c as u32, lambda / mu)).abs() > Z * se);
    assert!(
        urgent_blocked < regular_blocked / 5.0,
        "the buffer protects urgent arrivals"
    );
}
