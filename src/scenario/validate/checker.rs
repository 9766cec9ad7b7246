//! The checker every validation step reports to: collects each problem
//! with its field path, and the checks of single values they share.

use crate::error::{InputError, InputErrors};
use crate::scenario::Sources;
use crate::scenario::profile::Profile;
use crate::scenario::schema::{DurationSpec, Extend, Scenario};
use std::collections::BTreeMap;

/// Priority classes in the order they are served: crisis first.
pub const PRIORITIES: [&str; 3] = ["crisis", "safety", "regular"];

pub(super) const SUM_TOLERANCE: f64 = 1e-6;
/// Upper bound for any amount, count or price (keeps cents inside i64).
pub(super) const MAX_AMOUNT: f64 = 1e12;
/// Durations longer than a century are a unit mistake.
pub const MAX_DAYS: f64 = 36_500.0;
/// Reference years (census, price level) lie at most this long before the horizon.
const MAX_YEARS_BEFORE: i32 = 100;

/// Collects the problems of one scenario.
pub(super) struct Checker<'a> {
    sources: &'a Sources,
    pub(super) first_year: i32,
    pub(super) last_year: i32,
    errors: Vec<InputError>,
}

impl<'a> Checker<'a> {
    /// A checker for a scenario's horizon, locating errors in `sources`.
    pub(super) fn new(s: &Scenario, sources: &'a Sources) -> Self {
        Checker {
            sources,
            first_year: s.horizon.start_year,
            last_year: s.horizon.start_year + s.horizon.years as i32 - 1,
            errors: Vec::new(),
        }
    }

    /// Every problem found, or none.
    pub(super) fn finish(self) -> Result<(), InputErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(self.errors))
        }
    }

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

    /// A reference year (census, price level) at most `MAX_YEARS_BEFORE`
    /// years before the horizon and not after `latest`.
    pub(super) fn year_near_horizon(&mut self, path: &[&str], year: i32, latest: i32, fix: &str) {
        let earliest = self.first_year - MAX_YEARS_BEFORE;
        if year < earliest || year > latest {
            self.fail(
                path,
                format!(
                    "`{}` = {year} lies outside {earliest}–{latest}",
                    path.join(".")
                ),
                fix,
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

    pub(super) fn shares(&mut self, path: &[&str], shares: &BTreeMap<String, f64>, what: &str) {
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

    pub(super) fn covers_horizon(&mut self, path: &[&str], profile: &Profile, extend: Extend) {
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

pub(super) fn check_form_usage(
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

pub(super) fn check_priorities(c: &mut Checker<'_>, path: &[&str], mix: &BTreeMap<String, f64>) {
    let known: Vec<String> = PRIORITIES.iter().map(|s| s.to_string()).collect();
    for k in mix.keys() {
        let mut p = path.to_vec();
        p.push(k);
        c.known(&p, k, known.iter(), "priority class");
    }
    c.shares(path, mix, "priority shares");
}
