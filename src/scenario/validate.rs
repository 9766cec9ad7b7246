//! Checks of meaning that serde cannot do: ranges, sums, references between
//! sections and years inside the horizon. Every problem is collected (not
//! just the first) and located by its field path.

use super::locate::Sources;
use super::profile::Profile;
use super::schema::{Capacity, DurationSpec, Extend, Overflow, Scenario};
use crate::error::{InputError, InputErrors};
use std::collections::BTreeMap;

/// Priority classes in the order they are served: crisis first.
pub const PRIORITIES: [&str; 3] = ["crisis", "safety", "regular"];

pub(super) const SUM_TOLERANCE: f64 = 1e-6;
/// Upper bound for any amount, count or price (keeps cents inside i64).
pub(super) const MAX_AMOUNT: f64 = 1e12;
/// Durations longer than a century are a unit mistake.
const MAX_DAYS: f64 = 36_500.0;

pub(super) struct Checker<'a> {
    sources: &'a Sources,
    pub(super) first_year: i32,
    pub(super) last_year: i32,
    errors: Vec<InputError>,
}

impl Checker<'_> {
    pub(super) fn fail(&mut self, path: &[&str], message: String, fix: &str) {
        self.errors
            .push(self.sources.error(path, message).fix(fix.to_string()));
    }

    pub(super) fn at_most(&mut self, path: &[&str], value: f64, max: f64, unit: &str) {
        if value > max {
            self.fail(
                path,
                format!(
                    "`{}` = {value} is implausibly large (at most {max} {unit})",
                    path.join(".")
                ),
                "check the unit and the number of digits",
            );
        }
    }

    pub(super) fn non_negative(&mut self, path: &[&str], value: f64) {
        if value.is_nan() || value < 0.0 || !value.is_finite() {
            self.fail(
                path,
                format!(
                    "`{}` must be a non-negative number, found {value}",
                    path.join(".")
                ),
                "use a value of 0 or more",
            );
        }
        self.at_most(path, value, MAX_AMOUNT, "");
    }

    pub(super) fn probability(&mut self, path: &[&str], value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                path,
                format!(
                    "`{}` is a probability and must lie in [0, 1], found {value}",
                    path.join(".")
                ),
                "write probabilities as fractions, e.g. 0.15 for 15 %",
            );
        }
    }

    pub(super) fn profile_years(&mut self, path: &[&str], profile: &Profile) {
        for year in profile.named_years() {
            if year < self.first_year || year > self.last_year {
                self.fail(
                    path,
                    format!(
                        "year {year} in `{}` lies outside the horizon {}–{}",
                        path.join("."),
                        self.first_year,
                        self.last_year
                    ),
                    "use years inside the horizon (horizon.start_year … start_year + years − 1)",
                );
            }
        }
    }

    pub(super) fn non_negative_profile(&mut self, path: &[&str], profile: &Profile) {
        self.profile_years(path, profile);
        for v in profile.extreme_values() {
            self.non_negative(path, v);
        }
    }

    fn shares(&mut self, path: &[&str], shares: &BTreeMap<String, f64>, what: &str) {
        for (k, v) in shares {
            let mut p = path.to_vec();
            p.push(k);
            self.probability(&p, *v);
        }
        let sum: f64 = shares.values().sum();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            self.fail(
                path,
                format!("{what} in `{}` sum to {sum:.6}, not 1", path.join(".")),
                "make the shares add up to exactly 1",
            );
        }
    }

    pub(super) fn duration(&mut self, path: &[&str], spec: &DurationSpec) {
        let mut p = path.to_vec();
        match spec {
            DurationSpec::Exponential { mean } => {
                p.push("mean");
                self.positive(&p, *mean);
                self.at_most(&p, *mean, MAX_DAYS, "days");
            }
            DurationSpec::Lognormal { mean, cv } | DurationSpec::Gamma { mean, cv } => {
                p.push("mean");
                self.positive(&p, *mean);
                self.at_most(&p, *mean, MAX_DAYS, "days");
                p.pop();
                p.push("cv");
                self.at_most(&p, *cv, 10.0, "(coefficient of variation)");
                if cv.is_nan() || *cv <= 0.0 || !cv.is_finite() {
                    self.fail(
                        &p,
                        format!(
                            "coefficient of variation `{}` must be above 0, found {cv}",
                            p.join(".")
                        ),
                        "use a CV above 0 (e.g. 0.8), or distribution = \"fixed\" for no variation",
                    );
                }
            }
            DurationSpec::Fixed { days } => {
                p.push("days");
                self.non_negative(&p, *days);
                self.at_most(&p, *days, MAX_DAYS, "days");
            }
            DurationSpec::Uniform { min, max } => {
                p.push("min");
                self.non_negative(&p, *min);
                self.at_most(&p, *max, MAX_DAYS, "days");
                if max.is_nan() || min > max {
                    p.pop();
                    p.push("max");
                    self.fail(
                        &p,
                        format!("uniform duration has min {min} above max {max}"),
                        "make min ≤ max",
                    );
                }
            }
            DurationSpec::Empirical { .. } => {}
        }
    }

    pub(super) fn positive(&mut self, path: &[&str], value: f64) {
        if value.is_nan() || value <= 0.0 || !value.is_finite() {
            self.fail(
                path,
                format!("`{}` must be above 0, found {value}", path.join(".")),
                "use a positive number of days",
            );
        }
    }

    pub(super) fn known<'k>(
        &mut self,
        path: &[&str],
        name: &str,
        known: impl Iterator<Item = &'k String>,
        what: &str,
    ) {
        let names: Vec<&String> = known.collect();
        if !names.iter().any(|n| n.as_str() == name) {
            let list: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
            self.fail(
                path,
                format!("unknown {what} `{name}` in `{}`", path.join(".")),
                &format!("use one of: {}", list.join(", ")),
            );
        }
    }

    fn covers_horizon(&mut self, path: &[&str], profile: &Profile, extend: Extend) {
        if extend != Extend::None {
            return;
        }
        let fix = "add the year to the table, or set lumpsum.extend = \"flat\" (or \"trend\") to extend the last year";
        self.covers_years(path, profile, self.first_year, fix);
    }

    /// A per-year table must name every year from `from` to the horizon end.
    pub(super) fn covers_years(&mut self, path: &[&str], profile: &Profile, from: i32, fix: &str) {
        if let Profile::Table(table) = profile
            && let Some(year) = (from..=self.last_year).find(|y| !table.contains_key(y))
        {
            self.fail(
                path,
                format!("`{}` has no value for {year}", path.join(".")),
                fix,
            );
        }
    }
}

/// Validates a deserialised scenario; `sources` locates each problem.
pub fn validate(s: &Scenario, sources: &Sources) -> Result<(), InputErrors> {
    let mut c = Checker {
        sources,
        first_year: s.horizon.start_year,
        last_year: s.horizon.start_year + s.horizon.years as i32 - 1,
        errors: Vec::new(),
    };
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
    if s.simulation.replications == 0 {
        c.fail(
            &["simulation", "replications"],
            "simulation.replications must be at least 1".into(),
            "use 1 or more replications",
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
    let form_names = || s.care_forms.keys();
    // Municipalities and their lumpsums.
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
            &mut c,
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
        check_form_usage(
            &mut c,
            &["areas", name.as_str(), "form_usage"],
            &a.form_usage,
            s,
        );
    }
    // Arrivals.
    c.non_negative_profile(&["arrivals", "rate_per_1000"], &s.arrivals.rate_per_1000);
    for v in s.arrivals.rate_per_1000.extreme_values() {
        c.at_most(
            &["arrivals", "rate_per_1000"],
            v,
            10_000.0,
            "episodes per 1,000 youth per year",
        );
    }
    c.at_most(
        &["arrivals", "trend"],
        s.arrivals.trend,
        1.0,
        "(100 % growth per year)",
    );
    if s.arrivals.trend.is_nan() || s.arrivals.trend <= -1.0 {
        c.fail(
            &["arrivals", "trend"],
            "trend must be above −1".into(),
            "write the trend as a fraction, e.g. 0.02 for 2 % per year",
        );
    }
    for form in s.arrivals.entry.keys() {
        c.known(
            &["arrivals", "entry", form],
            form,
            form_names(),
            "care form",
        );
    }
    c.shares(&["arrivals", "entry"], &s.arrivals.entry, "entry shares");
    check_priorities(&mut c, &["arrivals", "priority"], &s.arrivals.priority);
    if s.care_forms.is_empty() {
        c.fail(
            &["care_forms"],
            "no care forms are defined".into(),
            "add at least one [care_forms.NAME] table",
        );
    }
    for (name, f) in &s.care_forms {
        let base = ["care_forms", name.as_str()];
        let at = |k: &'static str| [base[0], base[1], k];
        c.duration(&at("duration"), &f.duration);
        c.non_negative_profile(&at("tariff"), &f.tariff);
        if f.age.is_empty() {
            c.fail(
                &at("age"),
                format!("care form `{name}` has no age bands"),
                "add age = [{ from = 0, to = 18, weight = 1 }]",
            );
        }
        for (i, band) in f.age.iter().enumerate() {
            let idx = i.to_string();
            let p = ["care_forms", name.as_str(), "age", idx.as_str()];
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
        if let Some(p) = &f.priority {
            check_priorities(&mut c, &at("priority"), p);
        }
        match &f.capacity {
            Capacity::Unlimited | Capacity::Staff(_) => {}
            Capacity::Region { places, .. } => {
                c.non_negative_profile(&["care_forms", name, "capacity", "places"], places)
            }
            Capacity::Area { places, .. } => {
                for (area, p) in places {
                    let path = [
                        "care_forms",
                        name.as_str(),
                        "capacity",
                        "places",
                        area.as_str(),
                    ];
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
    }
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
    super::validate_money::check(&mut c, s);
    super::validate_landscape::check(&mut c, s);
    if c.errors.is_empty() {
        Ok(())
    } else {
        Err(InputErrors(c.errors))
    }
}

fn check_form_usage(
    c: &mut Checker<'_>,
    path: &[&str],
    usage: &BTreeMap<String, Profile>,
    s: &Scenario,
) {
    for (form, profile) in usage {
        let mut p = path.to_vec();
        p.push(form);
        c.known(&p, form, s.care_forms.keys(), "care form");
        c.non_negative_profile(&p, profile);
    }
}

fn check_priorities(c: &mut Checker<'_>, path: &[&str], mix: &BTreeMap<String, f64>) {
    let known: Vec<String> = PRIORITIES.iter().map(|s| s.to_string()).collect();
    for k in mix.keys() {
        let mut p = path.to_vec();
        p.push(k);
        c.known(&p, k, known.iter(), "priority class");
    }
    c.shares(path, mix, "priority shares");
}
