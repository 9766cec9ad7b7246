//! Care forms: episode lengths, tariffs, ages and priority mix; then their
//! routes (transitions, extension, escalation, substitution) and capacity.

use super::capacity::check_capacity;
use super::checker::{Checker, SUM_TOLERANCE, check_priorities};
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, CareForm, ClientCostSpec, Escalation, Overflow, Scenario};

/// The forms' own parameters (first pass, before the contract checks).
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    if s.care_forms.is_empty() {
        c.fail(
            &["care_forms"],
            "no care forms are defined".into(),
            "add at least one [care_forms.NAME] table",
        );
    }
    for (name, f) in &s.care_forms {
        check_form(c, s, name, f);
    }
}

fn check_form(c: &mut Checker<'_>, s: &Scenario, name: &str, f: &CareForm) {
    let at = |k: &'static str| ["care_forms", name, k];
    c.duration(&at("duration"), &f.duration);
    c.non_negative_profile(&at("tariff"), &f.tariff);
    check_ages(c, s, name, f);
    if let Some(p) = &f.priority {
        check_priorities(c, &at("priority"), p);
    }
    match &f.capacity {
        Capacity::Unlimited | Capacity::Staff(_) => {}
        Capacity::Region { places, .. } => {
            c.non_negative_profile(&["care_forms", name, "capacity", "places"], places)
        }
        Capacity::Area { places, .. } => {
            for (area, p) in places {
                let path = ["care_forms", name, "capacity", "places", area.as_str()];
                c.known(&path, area, s.areas.keys(), "area");
                c.non_negative_profile(&path, p);
            }
        }
    }
    match &f.overflow {
        Overflow::Wait { patience: Some(d) } => {
            c.duration(&["care_forms", name, "overflow", "patience"], d)
        }
        Overflow::OutOfRegion { tariff_multiplier } => c.non_negative(
            &["care_forms", name, "overflow", "tariff_multiplier"],
            *tariff_multiplier,
        ),
        _ => {}
    }
    if let Some(fc) = &f.fixed_cost_per_place_day {
        c.non_negative_profile(&at("fixed_cost_per_place_day"), fc);
    }
    if let Some(cc) = &f.client_cost {
        check_client_cost(c, name, cc);
    }
    if let Some(b) = &f.bridging {
        c.non_negative_profile(&["care_forms", name, "bridging", "tariff"], &b.tariff);
        if !matches!(f.overflow, Overflow::Wait { .. }) {
            c.fail(
                &at("bridging"),
                format!("care form `{name}` has bridging care but nobody waits for it"),
                "use overflow = { policy = \"wait\" } or remove [bridging]",
            );
        }
    }
}

/// Tail parameters inside the range where the mean-1 scaling exists and the
/// draws stay finite: sigma in (0, 4], alpha in (1, 100], cap in (1, 1000].
fn check_client_cost(c: &mut Checker<'_>, name: &str, cc: &ClientCostSpec) {
    let at = |k: &'static str| ["care_forms", name, "client_cost", k];
    let (key, value, low, high, fix, cap) = match cc {
        ClientCostSpec::Lognormal { sigma, cap } => (
            "sigma",
            *sigma,
            0.0,
            4.0,
            "use a log-standard-deviation above 0 and at most 4 (e.g. 0.8)",
            cap,
        ),
        ClientCostSpec::Pareto { alpha, cap } => (
            "alpha",
            *alpha,
            1.0,
            100.0,
            "use a tail index above 1 (the mean must exist) and at most 100, e.g. 2.5",
            cap,
        ),
    };
    if !(value > low && value <= high) {
        c.fail(
            &at(key),
            format!("`care_forms.{name}.client_cost.{key}` must be above {low} and at most {high}, found {value}"),
            fix,
        );
    }
    if let Some(cap) = cap
        && !(*cap > 1.0 && *cap <= 1000.0)
    {
        c.fail(
            &at("cap"),
            format!("`care_forms.{name}.client_cost.cap` must be above 1 and at most 1000, found {cap}"),
            "a cap is the largest multiplier of the tariff; with mean 1 it must exceed 1 (e.g. 10), or leave it out",
        );
    }
}

fn check_ages(c: &mut Checker<'_>, s: &Scenario, name: &str, f: &CareForm) {
    let at = |k: &'static str| ["care_forms", name, k];
    if f.age.is_empty() {
        c.fail(
            &at("age"),
            format!("care form `{name}` has no age bands"),
            "add age = [{ from = 0, to = 18, weight = 1 }]",
        );
    }
    for (i, band) in f.age.iter().enumerate() {
        let idx = i.to_string();
        let p = ["care_forms", name, "age", idx.as_str()];
        if band.from.is_nan() || band.from < 0.0 || band.from >= band.to || band.to.is_nan() {
            c.fail(
                &p,
                format!("age band {i} of `{name}` must have 0 ≤ from < to"),
                "fix the band's from/to ages",
            );
        }
        if band.to > s.ageing.exit_age {
            c.fail(
                &p,
                format!(
                    "age band {i} of `{name}` ends at {} , after the exit age {}",
                    band.to, s.ageing.exit_age
                ),
                "arrivals must be younger than ageing.exit_age",
            );
        }
        c.non_negative(&p, band.weight);
    }
    if !f.age.is_empty() && f.age.iter().map(|b| b.weight).sum::<f64>() <= 0.0 {
        c.fail(
            &at("age"),
            format!("age bands of `{name}` have zero total weight"),
            "give at least one band a positive weight",
        );
    }
}

/// Where clients of each form go next, and the form's capacity.
pub(super) fn check_routes(c: &mut Checker<'_>, s: &Scenario) {
    for (name, f) in &s.care_forms {
        check_route(c, s, name, f);
    }
}

fn check_route(c: &mut Checker<'_>, s: &Scenario, name: &str, f: &CareForm) {
    let n = name;
    for (to, p) in &f.transitions {
        let path = ["care_forms", n, "transitions", to.as_str()];
        c.known(&path, to, s.care_forms.keys(), "care form");
        probability_profile(c, &path, p);
    }
    if let Some(year) = (c.first_year..=c.last_year)
        .find(|&y| f.transitions.values().map(|p| p.at(y)).sum::<f64>() > 1.0 + SUM_TOLERANCE)
    {
        let sum: f64 = f.transitions.values().map(|p| p.at(year)).sum();
        c.fail(
            &["care_forms", n, "transitions"],
            format!("transition probabilities of `{name}` sum to {sum:.4} in {year}, above 1"),
            "lower them so they sum to at most 1 in every year; the remainder exits care",
        );
    }
    if let Some(p) = &f.extension_probability {
        probability_profile(c, &["care_forms", n, "extension_probability"], p);
    }
    if let Some(p) = &f.duration_scale {
        let path = ["care_forms", n, "duration_scale"];
        c.profile_years(&path, p);
        for v in p.extreme_values() {
            c.positive(&path, v);
            c.at_most(&path, v, 100.0, "× the duration");
        }
    }
    if let Some(p) = &f.friction_cost_per_closed_place {
        c.non_negative_profile(&["care_forms", n, "friction_cost_per_closed_place"], p);
    }
    if let Some(e) = &f.escalation {
        check_escalation(c, s, n, f, e);
    }
    if let Overflow::Substitute { to } = &f.overflow {
        let path = ["care_forms", n, "overflow", "to"];
        c.known(&path, to, s.care_forms.keys(), "care form");
        if let Some(cycle) = substitution_cycle(s, name) {
            c.fail(
                &path,
                format!("substitution cycle: {}", cycle.join(" → ")),
                "end the chain in a form that waits, grants or goes out of region",
            );
        }
    }
    check_capacity(c, s, n, &f.capacity);
}

fn check_escalation(c: &mut Checker<'_>, s: &Scenario, n: &str, f: &CareForm, e: &Escalation) {
    let path = ["care_forms", n, "escalation", "to"];
    c.known(&path, &e.to, s.care_forms.keys(), "care form");
    if e.to == *n {
        c.fail(
            &path,
            format!("`{n}` escalates to itself"),
            "escalate to a heavier form, e.g. residential",
        );
    }
    c.probability(
        &["care_forms", n, "escalation", "probability"],
        e.probability,
    );
    c.duration(&["care_forms", n, "escalation", "delay"], &e.delay);
    if !matches!(f.overflow, Overflow::Wait { .. }) {
        c.fail(
            &["care_forms", n, "escalation"],
            format!("`{n}` has an escalation rule but no waiting list"),
            "use overflow = { policy = \"wait\" } or remove the escalation",
        );
    }
}

fn probability_profile(c: &mut Checker<'_>, path: &[&str], p: &Profile) {
    c.profile_years(path, p);
    for v in p.extreme_values() {
        c.probability(path, v);
    }
}

/// The chain of substitutes from `start` if it comes back to a form on it.
fn substitution_cycle(s: &Scenario, start: &str) -> Option<Vec<String>> {
    let mut chain = vec![start.to_string()];
    let mut here = start;
    while let Some(Overflow::Substitute { to }) = s.care_forms.get(here).map(|f| &f.overflow) {
        let seen = chain.contains(to);
        chain.push(to.clone());
        if seen {
            return (to == start).then_some(chain);
        }
        here = to;
    }
    None
}
