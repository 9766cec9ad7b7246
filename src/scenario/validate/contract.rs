//! Checks of the money sections: providers (shares, coverage, overlaps),
//! indexation paths, contract thresholds, regime parameters and lag.

use super::checker::Checker;
use crate::scenario::schema::{Extend, Provider, Scenario};

/// A lumpsum share error of less than a cent on the largest yearly budget.
const MAX_LUMPSUM_EUROS: f64 = 1e10;

fn fraction_open(c: &mut Checker<'_>, path: &[&str], value: f64) {
    if value.is_nan() || value <= 0.0 || value >= 1.0 {
        c.fail(
            path,
            format!(
                "`{}` must lie strictly between 0 and 1 (0 % and 100 %), found {value}",
                path.join(".")
            ),
            "write it as a fraction, e.g. 0.05 for 5 %",
        );
    }
}

/// The money sections, in file order.
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    check_providers(c, s);
    check_indexation(c, s);
    if s.lumpsum.extend == Extend::Trend && s.lumpsum.trend.is_none() {
        c.fail(
            &["lumpsum", "extend"],
            "lumpsum.extend = \"trend\" needs lumpsum.trend".into(),
            "add trend = -0.01 (−1 % per year) or use extend = \"flat\"",
        );
    }
    for (name, m) in &s.municipalities {
        if let Some(t) = &m.savings_target {
            c.non_negative_profile(&["municipalities", name.as_str(), "savings_target"], t);
        }
    }
    check_contract(c, s);
    check_regimes(c, s);
    if let Some(lag) = &s.declaration_lag {
        c.duration(&["declaration_lag", "delay"], &lag.delay);
    }
}

/// Largest (and 1 / smallest) cumulative price index factor over the horizon.
const MAX_INDEX_FACTOR: f64 = 1e4;

fn check_indexation(c: &mut Checker<'_>, s: &Scenario) {
    if let Some(ix) = &s.indexation {
        if ix.base_year <= s.horizon.start_year {
            c.year_near_horizon(
                &["indexation", "base_year"],
                ix.base_year,
                s.horizon.start_year,
                "use the year the amounts are expressed in, e.g. 2025",
            );
        } else {
            c.fail(
                &["indexation", "base_year"],
                format!(
                    "the price level {} lies after the start year {}",
                    ix.base_year, s.horizon.start_year
                ),
                "use the year the amounts are expressed in, e.g. 2025 (seed 000: prijspeil 2025)",
            );
        }
        for (key, profile) in [("costs", &ix.costs), ("lumpsum", &ix.lumpsum)] {
            let path = ["indexation", key];
            let fix = "give an index for every year from base_year + 1 to the end of the horizon";
            c.covers_years(&path, profile, ix.base_year + 1, fix);
            let fractions = profile
                .extreme_values()
                .into_iter()
                .all(|v| v > -1.0 && v <= 1.0);
            if !fractions {
                c.fail(
                    &path,
                    format!("an index in `indexation.{key}` is not a yearly fraction"),
                    "write 0.03 for 3 % per year",
                );
            } else if ix.base_year >= c.first_year - 100 {
                let years = ix.base_year + 1..=c.last_year;
                let factor: f64 = years.map(|y| 1.0 + profile.at(y)).product();
                if !(1.0 / MAX_INDEX_FACTOR..=MAX_INDEX_FACTOR).contains(&factor) {
                    c.fail(
                        &path,
                        format!("`indexation.{key}` compounds to a factor {factor:.3e} by the horizon's end (the limit is {MAX_INDEX_FACTOR:e})"),
                        "check the index for a percentage written as a whole number (3 instead of 0.03)",
                    );
                }
            }
        }
    }
}

fn check_contract(c: &mut Checker<'_>, s: &Scenario) {
    let k = &s.contract;
    fraction_open(c, &["contract", "downward_threshold"], k.downward_threshold);
    if let Some(g) = k.upward_growth_threshold {
        fraction_open(c, &["contract", "upward_growth_threshold"], g);
    }
    for (year, v) in &k.shocks {
        let path = ["contract", "shocks", year.as_str()];
        match year.parse::<i32>() {
            Ok(y) if (c.first_year..=c.last_year).contains(&y) => {}
            _ => c.fail(
                &path,
                format!("shock year `{year}` is not a year inside the horizon"),
                "use a horizon year, e.g. shocks = { 2031 = 0.05 }",
            ),
        }
        fraction_open(c, &path, *v);
    }
}

fn check_regimes(c: &mut Checker<'_>, s: &Scenario) {
    for (form, price) in &s.regimes.trajectory_price {
        let path = ["regimes", "trajectory_price", form.as_str()];
        c.known(&path, form, s.care_forms.keys(), "care form");
        c.non_negative(&path, *price);
    }
    for (form, v) in &s.regimes.expected_vacancy {
        let path = ["regimes", "expected_vacancy", form.as_str()];
        c.known(&path, form, s.care_forms.keys(), "care form");
        if v.is_nan() || *v < 0.0 || *v >= 1.0 {
            c.fail(
                &path,
                format!("expected vacancy {v} must lie in [0, 1)"),
                "write 0.12 for 12 % empty places",
            );
        }
    }
    if let Some(o) = s.regimes.availability_occupancy
        && (o.is_nan() || o <= 0.0 || o > 1.0)
    {
        c.fail(
            &["regimes", "availability_occupancy"],
            format!("occupancy {o} must lie in (0, 1]"),
            "write 0.85 for 85 %",
        );
    }
    check_schedule(c, s);
}

/// Every schedule key is a year no later than the horizon's end, and the
/// first one is no later than the start year: each simulated year must have
/// a regime in force, and a switch after the horizon could never apply.
fn check_schedule(c: &mut Checker<'_>, s: &Scenario) {
    let schedule = &s.regimes.schedule;
    let fix = "list the year each regime starts, e.g. schedule = { 2023 = \"per_day\", 2026 = \"lumpsum\" }";
    let mut earliest: Option<i32> = None;
    for year in schedule.keys() {
        let path = ["regimes", "schedule", year.as_str()];
        match year.parse::<i32>() {
            Ok(y) => {
                c.year_near_horizon(&path, y, c.last_year, fix);
                earliest = Some(earliest.map_or(y, |e| e.min(y)));
            }
            Err(_) => c.fail(&path, format!("`{year}` is not a year"), fix),
        }
    }
    if let Some(first) = earliest
        && first > c.first_year
    {
        c.fail(
            &["regimes", "schedule"],
            format!(
                "the schedule starts in {first}, after the start year {}: no regime is in force before it",
                c.first_year
            ),
            "give the regime of the start year too, e.g. schedule = { 2023 = \"per_day\", 2026 = \"lumpsum\" }",
        );
    }
}

fn check_providers(c: &mut Checker<'_>, s: &Scenario) {
    if s.providers.is_empty() {
        return;
    }
    let mut total = 0.0;
    for (name, p) in &s.providers {
        check_provider(c, s, name, p);
        total += p.share;
    }
    if (total - 1.0).abs() * MAX_LUMPSUM_EUROS > 0.01 {
        c.fail(
            &["providers"],
            format!(
                "provider shares sum to {total}, not 1 (the lumpsum would not be split to the cent)"
            ),
            "make the `share` values of all providers add up to exactly 1",
        );
    }
    let carriers = s
        .providers
        .values()
        .filter(|p| p.carries_fixed_costs)
        .count();
    if carriers > 1 {
        c.fail(
            &["providers"],
            format!("{carriers} providers carry the fixed costs"),
            "set carries_fixed_costs = true on exactly one provider",
        );
    }
    check_coverage(c, s);
}

fn check_provider(c: &mut Checker<'_>, s: &Scenario, name: &str, p: &Provider) {
    let base = ["providers", name];
    for form in &p.forms {
        c.known(
            &[base[0], base[1], "forms"],
            form,
            s.care_forms.keys(),
            "care form",
        );
    }
    for area in &p.areas {
        c.known(&[base[0], base[1], "areas"], area, s.areas.keys(), "area");
    }
    if p.share.is_nan() || p.share < 0.0 || p.share > 1.0 {
        c.fail(
            &[base[0], base[1], "share"],
            format!("provider share {} must lie in [0, 1]", p.share),
            "give each provider its fraction of the region lumpsum",
        );
    }
    if let Some(w) = p.overlap_weight
        && (w.is_nan() || w <= 0.0 || w > 1.0)
    {
        c.fail(
            &[base[0], base[1], "overlap_weight"],
            format!("overlap weight {w} must lie in (0, 1]"),
            "weights of providers sharing a care form in an area sum to 1",
        );
    }
}

/// Every (form, area) needs a provider; overlaps need weights summing to 1
/// (the first overlap problem ends the check).
fn check_coverage(c: &mut Checker<'_>, s: &Scenario) {
    for form in s.care_forms.keys() {
        let mut uncovered = Vec::new();
        for area in s.areas.keys() {
            let serving: Vec<(&String, Option<f64>)> = s
                .providers
                .iter()
                .filter(|(_, p)| {
                    (p.forms.is_empty() || p.forms.contains(form))
                        && (p.areas.is_empty() || p.areas.contains(area))
                })
                .map(|(n, p)| (n, p.overlap_weight))
                .collect();
            if serving.is_empty() {
                uncovered.push(area.as_str());
            }
            if serving.len() < 2 {
                continue;
            }
            let names: Vec<&str> = serving.iter().map(|(n, _)| n.as_str()).collect();
            let problem = match serving.iter().map(|(_, w)| *w).sum::<Option<f64>>() {
                None => "without a split rule (overlap_weight)".to_string(),
                Some(w) if (w - 1.0).abs() > 1e-9 => {
                    format!("with overlap weights summing to {w}, not 1")
                }
                Some(_) => continue,
            };
            c.fail(
                &["providers", names[0]],
                format!("providers {} overlap on `{form}` in `{area}` {problem}", names.join(", ")),
                "give each overlapping provider an overlap_weight, summing to 1, or make their forms/areas disjoint",
            );
            return;
        }
        if !uncovered.is_empty() {
            c.fail(
                &["providers"],
                format!(
                    "no provider delivers `{form}` in area(s) {}",
                    uncovered.join(", ")
                ),
                "add the form or area to a provider's `forms`/`areas` (empty lists mean all)",
            );
        }
    }
}
