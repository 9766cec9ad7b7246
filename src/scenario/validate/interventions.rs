//! Interventions and shocks: lever, forms, years, ramp, effect size and
//! cost; provider failures (capacity loss) with their pool and day.

use super::checker::{Checker, MAX_AMOUNT};
use crate::scenario::profile::Shape;
use crate::scenario::schema::{Capacity, CareForm, Intervention, Lever, Scenario};

/// Every intervention of the scenario.
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    for (name, i) in &s.interventions {
        check_intervention(c, s, name, i);
    }
}

fn check_intervention(c: &mut Checker<'_>, s: &Scenario, name: &str, i: &Intervention) {
    check_timing(c, s, name, i);
    let at = |k: &'static str| ["interventions", name, k];
    if let Some(cost) = &i.cost_per_year {
        c.non_negative_profile(&at("cost_per_year"), cost);
    }
    if i.lever == Lever::CapacityLoss {
        check_capacity_loss(c, s, name, i);
        return;
    }
    check_effect(c, name, i);
    if i.places != 0 || i.area.is_some() {
        c.fail(
            &at("places"),
            "`places` and `area` belong to lever = \"capacity_loss\"".into(),
            "remove them, or use lever = \"capacity_loss\"",
        );
    }
}

/// Forms, years, ramp, lag.
fn check_timing(c: &mut Checker<'_>, s: &Scenario, name: &str, i: &Intervention) {
    let at = |k: &'static str| ["interventions", name, k];
    for (k, form) in i.forms.iter().enumerate() {
        let idx = k.to_string();
        c.known(
            &["interventions", name, "forms", idx.as_str()],
            form,
            s.care_forms.keys(),
            "care form",
        );
    }
    if i.start < c.first_year || i.start > c.last_year {
        c.fail(
            &at("start"),
            format!(
                "start year {} lies outside the horizon {}–{}",
                i.start, c.first_year, c.last_year
            ),
            "start the intervention inside the horizon",
        );
    }
    if let Some(end) = i.end
        && end < i.start
    {
        c.fail(
            &at("end"),
            format!("end year {end} lies before the start year {}", i.start),
            "make end ≥ start, or leave end out to run to the horizon's end",
        );
    }
    if Shape::parse(&i.ramp).is_none() {
        c.fail(
            &at("ramp"),
            format!("unknown ramp `{}`", i.ramp),
            &format!("use one of: {}", Shape::NAMES.join(", ")),
        );
    }
    for (key, years) in [("lag_years", i.lag_years), ("ramp_years", i.ramp_years)] {
        if years > 100 {
            c.fail(
                &["interventions", name, key],
                format!("{key} = {years} is implausible"),
                "use a number of years within the horizon, e.g. 0–5",
            );
        }
    }
}

/// The effect size inside the lever's range: multipliers (1 + effect) stay
/// non-negative, shares stay in 0 … 1. An uncertain effect is validated at
/// its mean and its draws are truncated to the same range.
fn check_effect(c: &mut Checker<'_>, name: &str, i: &Intervention) {
    let at = |k: &'static str| ["interventions", name, k];
    let effect = i.effect;
    let (lo, hi) = i.lever.effect_range();
    if effect.is_finite() && (lo..=hi).contains(&effect) {
        return;
    }
    let (what, fix) = if lo < 0.0 {
        (
            "would make a rate, duration or tariff negative or implausibly large",
            "write the effect as a fraction (−0.1 = 10 % less)",
        )
    } else {
        (
            "is a share",
            "write the share as a fraction, e.g. 0.05 for 5 %",
        )
    };
    c.fail(
        &at("effect"),
        format!(
            "effect {effect} of a `{}` intervention {what}: it must lie in {lo} … {hi}",
            lever_name(i.lever)
        ),
        fix,
    );
}

fn lever_name(lever: Lever) -> &'static str {
    match lever {
        Lever::Inflow => "inflow",
        Lever::Duration => "duration",
        Lever::Exit => "exit",
        Lever::Access => "access",
        Lever::Relapse => "relapse",
        Lever::Tariff => "tariff",
        Lever::CapacityLoss => "capacity_loss",
    }
}

fn check_capacity_loss(c: &mut Checker<'_>, s: &Scenario, name: &str, i: &Intervention) {
    let at = |k: &'static str| ["interventions", name, k];
    let fix_form = "name the one care form whose places are lost, e.g. forms = [\"residential\"]";
    let [form] = i.forms.as_slice() else {
        c.fail(
            &at("forms"),
            "a capacity loss needs exactly one care form".into(),
            fix_form,
        );
        return;
    };
    let Some(f) = s.care_forms.get(form) else {
        return;
    };
    check_lost_pool(c, s, name, i, form, f);
    if i.places == 0 {
        c.fail(
            &at("places"),
            "a capacity loss of 0 places".into(),
            "give the places lost, e.g. places = 12",
        );
    }
    c.at_most(&at("places"), f64::from(i.places), MAX_AMOUNT, "places");
    if i.day > 364 {
        c.fail(
            &at("day"),
            format!("day {} is not a day of the year (0–364)", i.day),
            "give the day of the start year, 0 = 1 January",
        );
    }
    if i.effect != 0.0 || i.ramp_years != 0 || i.lag_years != 0 {
        c.fail(
            &at("effect"),
            "a capacity loss has no effect size, ramp or lag".into(),
            "remove effect, ramp_years and lag_years",
        );
    }
}

/// The pool that loses the places exists and has that many.
fn check_lost_pool(
    c: &mut Checker<'_>,
    s: &Scenario,
    name: &str,
    i: &Intervention,
    form: &str,
    f: &CareForm,
) {
    let at = |k: &'static str| ["interventions", name, k];
    let fix_form = "name the one care form whose places are lost, e.g. forms = [\"residential\"]";
    match (&f.capacity, &i.area) {
        (Capacity::Region { .. }, None) => {}
        (Capacity::Area { .. } | Capacity::Staff(_), Some(area)) => {
            c.known(&at("area"), area, s.areas.keys(), "area")
        }
        (Capacity::Area { .. } | Capacity::Staff(_), None) => c.fail(
            &at("area"),
            format!("`{form}` has places per area; say which area loses them"),
            "add area = \"NAME\"",
        ),
        (Capacity::Region { .. }, Some(_)) => c.fail(
            &at("area"),
            format!("`{form}` has one regional pool; a capacity loss there names no area"),
            "remove `area`",
        ),
        (Capacity::Unlimited, _) => c.fail(
            &at("forms"),
            format!("`{form}` has unlimited capacity, so it has no places to lose"),
            fix_form,
        ),
    }
    let pool_places = match (&f.capacity, &i.area) {
        (Capacity::Region { places, .. }, _) => Some(places.at(i.start)),
        (Capacity::Area { places, .. }, Some(area)) => {
            Some(places.get(area).map_or(0.0, |p| p.at(i.start)))
        }
        _ => None,
    };
    if let Some(p) = pool_places
        && f64::from(i.places) > p.round()
    {
        c.fail(
            &at("places"),
            format!(
                "{} places lost, but the pool has {} places in {}",
                i.places,
                p.round(),
                i.start
            ),
            "lose at most the places the pool has that year",
        );
    }
}
