//! Leaf conversions every compile step uses: TOML numbers to exact money,
//! profiles to per-year values, duration specs to distributions.

use crate::error::InputError;
use crate::model::Duration;
use crate::model::compile::csv_input::read_durations;
use crate::scenario::Loaded;
use crate::scenario::profile::Profile;
use crate::scenario::schema::DurationSpec;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

/// Converts a TOML number to an exact decimal through its shortest decimal
/// representation (so 262.6e6 becomes exactly 262600000), rounded to cents.
pub fn money(value: f64) -> Decimal {
    Decimal::from_str(&format!("{value}"))
        .or_else(|_| Decimal::from_scientific(&format!("{value:e}")))
        .unwrap_or_default()
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// A TOML number as an exact decimal (not rounded).
pub fn decimal(v: f64) -> Decimal {
    Decimal::from_str(&format!("{v}")).unwrap_or_default()
}

/// A profile evaluated for each horizon year.
pub fn per_year(profile: &Profile, start: i32, years: usize) -> Vec<f64> {
    (0..years).map(|y| profile.at(start + y as i32)).collect()
}

/// A duration distribution; an empirical one is parsed from the file read
/// at load time. `path` is the field of the spec (for errors).
pub fn duration(
    spec: &DurationSpec,
    loaded: &Loaded,
    path: &[&str],
) -> Result<Duration, InputError> {
    Ok(match spec {
        DurationSpec::Exponential { mean } => Duration::exponential(*mean),
        DurationSpec::Lognormal { mean, cv } => Duration::lognormal(*mean, *cv),
        DurationSpec::Gamma { mean, cv } => Duration::gamma(*mean, *cv),
        DurationSpec::Fixed { days } => Duration::Fixed { days: *days },
        DurationSpec::Uniform { min, max } => Duration::Uniform {
            min: *min,
            max: *max,
        },
        DurationSpec::Empirical { file, column } => {
            let mut p = path.to_vec();
            p.push("file");
            let sorted = read_durations(&loaded.files, Path::new(file), column)
                .map_err(|e| at_field(loaded, &p, e))?;
            Duration::Empirical { sorted }
        }
    })
}

/// An error about a referenced file that could not be read (no location of
/// its own) is the scenario's fault: located at the field naming the file.
pub fn at_field(loaded: &Loaded, field: &[&str], e: InputError) -> InputError {
    if e.location.is_some() {
        return e;
    }
    let located = loaded.sources.error(field, e.message.clone());
    InputError {
        fix: e.fix,
        ..located
    }
}
