//! Checks of the landscape sections: time-varying transitions and
//! probabilities, substitution chains, escalation, vacancy buffers, staff
//! capacity and interventions.

use super::profile::{Profile, Shape};
use super::schema::{Capacity, Overflow, Scenario};
use super::schema::{Intervention, Lever};
use super::validate::{Checker, MAX_AMOUNT, SUM_TOLERANCE};

pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    for (name, f) in &s.care_forms {
        let n = name.as_str();
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
            let path = ["care_forms", n, "escalation", "to"];
            c.known(&path, &e.to, s.care_forms.keys(), "care form");
            if e.to == *name {
                c.fail(
                    &path,
                    format!("`{name}` escalates to itself"),
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
                    format!("`{name}` has an escalation rule but no waiting list"),
                    "use overflow = { policy = \"wait\" } or remove the escalation",
                );
            }
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
    for (name, i) in &s.interventions {
        check_intervention(c, s, name, i);
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

fn check_capacity(c: &mut Checker<'_>, s: &Scenario, name: &str, capacity: &Capacity) {
    let years = c.first_year..=c.last_year;
    let reserved_check = |c: &mut Checker<'_>, reserved: u32, places: &Profile, what: &str| {
        if let Some(y) = years.clone().find(|&y| {
            let p = places.at(y).round();
            p > 0.0 && f64::from(reserved) >= p
        }) {
            c.fail(
                &["care_forms", name, "capacity", "reserved"],
                format!(
                    "{reserved} reserved places leave no place of the {}{what} in {y} for regular clients",
                    places.at(y).round()
                ),
                "reserve fewer places than the pool has (a buffer is a part of the places)",
            );
        }
    };
    match capacity {
        Capacity::Unlimited => {}
        Capacity::Region { places, reserved } => reserved_check(c, *reserved, places, ""),
        Capacity::Area { places, reserved } => {
            for (area, p) in places {
                reserved_check(c, *reserved, p, &format!(" of area `{area}`"));
            }
        }
        Capacity::Staff(staff) => {
            for (area, p) in &staff.fte {
                let path = ["care_forms", name, "capacity", "fte", area.as_str()];
                c.known(&path, area, s.areas.keys(), "area");
                c.non_negative_profile(&path, p);
                c.at_most(
                    &path,
                    p.extreme_values().iter().fold(0.0, |a, b| b.max(a)),
                    1e6,
                    "FTE",
                );
            }
            let path = ["care_forms", name, "capacity", "caseload_per_fte"];
            if staff.caseload_per_fte.is_nan() || staff.caseload_per_fte <= 0.0 {
                c.fail(
                    &path,
                    format!(
                        "caseload per FTE must be above 0, found {}",
                        staff.caseload_per_fte
                    ),
                    "give the clients one FTE carries at a time, e.g. 15",
                );
            }
            c.at_most(&path, staff.caseload_per_fte, 1000.0, "clients per FTE");
            c.non_negative_profile(
                &["care_forms", name, "capacity", "cost_per_fte"],
                &staff.cost_per_fte,
            );
            let share = staff.budget_share;
            if share.is_nan() || share <= 0.0 || share > 1.0 {
                c.fail(
                    &["care_forms", name, "capacity", "budget_share"],
                    format!("budget_share must lie in (0, 1], found {share}"),
                    "write the share of the provider's budget as a fraction, e.g. 0.8",
                );
            }
            if staff.lead_time_years > 10 {
                c.fail(
                    &["care_forms", name, "capacity", "lead_time_years"],
                    format!(
                        "a lead time of {} years is implausible",
                        staff.lead_time_years
                    ),
                    "use 0–3 years",
                );
            }
        }
    }
}

fn check_intervention(c: &mut Checker<'_>, s: &Scenario, name: &str, i: &Intervention) {
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
    if let Some(cost) = &i.cost_per_year {
        c.non_negative_profile(&at("cost_per_year"), cost);
    }
    let (mean, sd) = (i.effect.mean(), i.effect.sd());
    if sd.is_nan() || sd < 0.0 || !sd.is_finite() {
        c.fail(
            &at("effect"),
            format!("effect sd must be 0 or more, found {sd}"),
            "give the uncertainty as a standard deviation, e.g. { mean = -0.1, sd = 0.03 }",
        );
    }
    if i.lever == Lever::CapacityLoss {
        check_capacity_loss(c, s, name, i);
        return;
    }
    let (lo, hi) = i.lever.effect_range();
    if lo < 0.0 {
        // A multiplier (1 + effect): draws beyond three sd below the mean
        // would still be common enough to matter, so they must stay valid.
        let (low, high) = (mean - 3.0 * sd, mean + 3.0 * sd);
        if !mean.is_finite() || low < lo || high > hi {
            c.fail(
                &at("effect"),
                format!(
                    "effect {mean} − 3 × {sd} of a `{}` intervention would make a rate, duration or tariff negative (mean ± 3 sd must lie in {lo} … {hi})",
                    lever_name(i.lever)
                ),
                "write the effect as a fraction (−0.1 = 10 % less) with mean − 3 sd above −1",
            );
        }
    } else if !mean.is_finite() || mean < lo || mean > hi {
        // A share: draws are kept inside 0–1, the mean must be a share.
        c.fail(
            &at("effect"),
            format!(
                "effect {mean} of a `{}` intervention is a share and must lie in 0 … 1",
                lever_name(i.lever)
            ),
            "write the share as a fraction, e.g. 0.05 for 5 %",
        );
    }
    if i.places != 0 || i.area.is_some() {
        c.fail(
            &at("places"),
            "`places` and `area` belong to lever = \"capacity_loss\"".into(),
            "remove them, or use lever = \"capacity_loss\"",
        );
    }
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
    if i.effect.mean() != 0.0 || i.ramp_years != 0 || i.lag_years != 0 {
        c.fail(
            &at("effect"),
            "a capacity loss has no effect size, ramp or lag".into(),
            "remove effect, ramp_years and lag_years",
        );
    }
}
