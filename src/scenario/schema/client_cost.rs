//! The high-cost client class of a care form, as written: a heavy-tailed
//! per-episode multiplier on the tariff with mean 1 (a leaf of the schema).

use schemars::JsonSchema;
use serde::Deserialize;

/// `[care_forms.NAME.client_cost]`: each episode in the form costs its
/// client-days × tariff × a multiplier drawn once at the episode's start,
/// scaled so that the (capped) multiplier has mean 1 — the tariff stays the
/// mean price of a client-day.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientCostSpec {
    /// Lognormal multiplier with log-standard-deviation `sigma` (> 0).
    Lognormal {
        sigma: f64,
        /// Largest multiplier (> 1); none means uncapped.
        #[serde(default)]
        cap: Option<f64>,
    },
    /// Pareto multiplier with tail index `alpha` (> 1; the variance is
    /// infinite for alpha ≤ 2 unless capped).
    Pareto {
        alpha: f64,
        /// Largest multiplier (> 1); none means uncapped.
        #[serde(default)]
        cap: Option<f64>,
    },
}
