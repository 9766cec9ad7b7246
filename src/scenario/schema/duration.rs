//! Distributions of a number of days (episode length, patience, delays):
//! a leaf every other part of the schema uses.

use schemars::JsonSchema;
use serde::Deserialize;

/// Episode length in days.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum DurationSpec {
    Exponential {
        mean: f64,
    },
    Lognormal {
        mean: f64,
        cv: f64,
    },
    Gamma {
        mean: f64,
        cv: f64,
    },
    Fixed {
        days: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Durations sampled from a CSV column (path relative to the scenario file).
    Empirical {
        file: String,
        #[serde(default = "default_days_column")]
        column: String,
    },
}

fn default_days_column() -> String {
    "days".to_string()
}
