//! The frame of a scenario: horizon, simulation settings, its name and the
//! tables every scenario needs; ageing, relapse, fixed costs, the region
//! lumpsum and the initial state.

use super::checker::Checker;
use crate::limits::MAX_REPLICATIONS;
use crate::scenario::schema::Scenario;

/// Horizon, replications, name, and that municipalities and areas exist.
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    if s.horizon.years == 0 || s.horizon.years > 100 {
        c.fail(
            &["horizon", "years"],
            format!("horizon.years must be 1–100, found {}", s.horizon.years),
            "simulate between 1 and 100 years",
        );
    }
    if !(1900..=2200).contains(&s.horizon.start_year) {
        c.fail(
            &["horizon", "start_year"],
            format!("start year {} is implausible", s.horizon.start_year),
            "use a calendar year such as 2028",
        );
    }
    let replications = u64::from(s.simulation.replications);
    if !(1..=MAX_REPLICATIONS).contains(&replications) {
        c.fail(
            &["simulation", "replications"],
            format!("simulation.replications must be 1–{MAX_REPLICATIONS}, found {replications}"),
            "use between 1 and 1000000 replications",
        );
    }
    if s.name.trim().is_empty() {
        c.fail(
            &["name"],
            "the scenario name is empty".into(),
            "give the scenario a short name, e.g. name = \"amsterdam-duo\"",
        );
    }
    if s.municipalities.is_empty() {
        c.fail(
            &["municipalities"],
            "no municipalities are defined".into(),
            "add at least one [municipalities.NAME] table",
        );
    }
    if s.areas.is_empty() {
        c.fail(
            &["areas"],
            "no areas are defined".into(),
            "add at least one [areas.NAME] table",
        );
    }
}

/// Ageing, relapse, fixed costs, the region lumpsum and the initial state.
pub(super) fn check_rest(c: &mut Checker<'_>, s: &Scenario) {
    if s.ageing.exit_age.is_nan()
        || s.ageing.exit_age <= 0.0
        || s.ageing.exit_age > s.ageing.hard_exit_age
    {
        c.fail(
            &["ageing"],
            "ageing needs 0 < exit_age ≤ hard_exit_age".into(),
            "use exit_age = 18 and hard_exit_age = 23",
        );
    }
    if let Some(r) = &s.relapse {
        c.probability(&["relapse", "probability"], r.probability);
        c.duration(&["relapse", "delay"], &r.delay);
    }
    if let Some(cs) = &s.fixed_costs.crisis_service {
        c.non_negative_profile(&["fixed_costs", "crisis_service"], cs);
    }
    for (area, p) in &s.fixed_costs.area_teams {
        let path = ["fixed_costs", "area_teams", area.as_str()];
        c.known(&path, area, s.areas.keys(), "area");
        c.non_negative_profile(&path, p);
    }
    c.non_negative_profile(&["lumpsum", "region"], &s.lumpsum.region);
    c.covers_horizon(&["lumpsum", "region"], &s.lumpsum.region, s.lumpsum.extend);
    if s.initial_state.warmup_years > 50 {
        c.fail(
            &["initial_state", "warmup_years"],
            "warm-up longer than 50 years".into(),
            "a few years (about three mean lengths of stay of the longest form) is enough",
        );
    }
    if s.initial_state.warmup_years > 0 && s.initial_state.caseload.is_some() {
        c.fail(
            &["initial_state"],
            "both a warm-up and an initial caseload are given".into(),
            "use either warmup_years or caseload, not both",
        );
    }
}
