//! Municipalities, areas and arrivals: who lives where, how many youth, and
//! how many of them come into care.

use super::checker::{Checker, check_form_usage, check_priorities};
use crate::scenario::schema::Scenario;

/// Municipalities (with their lumpsums) and the areas they live in.
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    let with_lumpsum = s
        .municipalities
        .values()
        .filter(|m| m.lumpsum.is_some())
        .count();
    if with_lumpsum != 0 && with_lumpsum != s.municipalities.len() {
        c.fail(&["municipalities"], "some municipalities have a lumpsum and others do not".into(), "give every municipality a lumpsum, or none (then the region lumpsum is split by youth population)");
    }
    for (name, m) in &s.municipalities {
        if let Some(l) = &m.lumpsum {
            let p = ["municipalities", name.as_str(), "lumpsum"];
            c.non_negative_profile(&p, l);
            c.covers_horizon(&p, l, s.lumpsum.extend);
        }
        if let Some(u) = &m.usage {
            c.non_negative_profile(&["municipalities", name.as_str(), "usage"], u);
        }
        check_form_usage(
            c,
            &["municipalities", name.as_str(), "form_usage"],
            &m.form_usage,
            s,
        );
        if !s.areas.values().any(|a| a.youth.contains_key(name)) {
            c.fail(
                &["municipalities", name],
                format!("municipality `{name}` lives in no area"),
                "list it under `youth` of the area(s) it belongs to",
            );
        }
    }
    check_areas(c, s);
}

fn check_areas(c: &mut Checker<'_>, s: &Scenario) {
    for (name, a) in &s.areas {
        if a.youth.is_empty() {
            c.fail(&["areas", name, "youth"], format!("area `{name}` holds no municipality"), "list its municipalities with their youth population, e.g. youth = { amsterdam = 21000 }");
        }
        for (m, count) in &a.youth {
            c.known(
                &["areas", name, "youth", m],
                m,
                s.municipalities.keys(),
                "municipality",
            );
            c.non_negative(&["areas", name, "youth", m], *count);
        }
        if let Some(g) = &a.growth {
            c.profile_years(&["areas", name, "growth"], g);
            if g.extreme_values()
                .iter()
                .any(|v| v.is_nan() || *v <= -1.0 || *v > 1.0)
            {
                c.fail(
                    &["areas", name, "growth"],
                    "growth must be above −1 (−100 %)".into(),
                    "write growth as a fraction, e.g. 0.01 for 1 % per year",
                );
            }
        }
        if let Some(u) = &a.usage {
            c.non_negative_profile(&["areas", name, "usage"], u);
        }
        check_form_usage(c, &["areas", name.as_str(), "form_usage"], &a.form_usage, s);
    }
}

/// Arrival rates, trend, entry shares and the priority mix.
pub(super) fn check_arrivals(c: &mut Checker<'_>, s: &Scenario) {
    let form_names = || s.care_forms.keys();
    c.non_negative_profile(&["arrivals", "rate_per_1000"], &s.arrivals.rate_per_1000);
    for v in s.arrivals.rate_per_1000.extreme_values() {
        c.at_most(
            &["arrivals", "rate_per_1000"],
            v,
            10_000.0,
            "episodes per 1,000 youth per year",
        );
    }
    check_trend(c, &["arrivals", "trend"], s.arrivals.trend);
    check_combined_trends(c, s);
    for form in s.arrivals.entry.keys() {
        c.known(
            &["arrivals", "entry", form],
            form,
            form_names(),
            "care form",
        );
    }
    c.shares(&["arrivals", "entry"], &s.arrivals.entry, "entry shares");
    c.year_near_horizon(
        &["arrivals", "population_year"],
        s.arrivals.population_year,
        c.last_year,
        "the year of the youth numbers, e.g. the start year or the last census before it",
    );
    check_priorities(c, &["arrivals", "priority"], &s.arrivals.priority);
}

/// A yearly growth rate: a fraction above −1 (a fall of 100 %) and at most 1.
fn check_trend(c: &mut Checker<'_>, path: &[&str], trend: f64) {
    c.at_most(path, trend, 1.0, "(100 % growth per year)");
    if trend.is_nan() || trend <= -1.0 {
        c.fail(
            path,
            "trend must be above −1".into(),
            "write the trend as a fraction, e.g. 0.02 for 2 % per year",
        );
    }
}

/// Each form's and area's own trend, then every entry form's trend plus
/// every area's: the sum is the growth its arrivals get and must stay above −1.
fn check_combined_trends(c: &mut Checker<'_>, s: &Scenario) {
    for (name, f) in &s.care_forms {
        if let Some(t) = f.trend {
            check_trend(c, &["care_forms", name, "trend"], t);
        }
    }
    for (name, a) in &s.areas {
        let Some(t) = a.trend else { continue };
        check_trend(c, &["areas", name, "trend"], t);
        for form in s.arrivals.entry.keys() {
            let own = s.care_forms.get(form).and_then(|f| f.trend);
            let combined = own.unwrap_or(s.arrivals.trend) + t;
            if t > -1.0 && combined <= -1.0 {
                c.fail(
                    &["areas", name, "trend"],
                    format!("area `{name}`'s trend {t} plus the trend of `{form}` is {combined}, at or below −1"),
                    "the area trend is added to the form's trend (or arrivals.trend): keep their sum above −1",
                );
                break;
            }
        }
    }
}
