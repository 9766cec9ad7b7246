//! Scenario sections that change the care landscape over time: escalation
//! while waiting, and interventions and shocks with uncertain effects.

use super::duration::DurationSpec;
use crate::scenario::profile::Profile;
use schemars::JsonSchema;
use serde::Deserialize;

/// Escalation while waiting (boeggolf / waterbed, seed 003): a share of the
/// clients waiting for this form come to need `to` after a delay if they are
/// still waiting then.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Care form needed after escalation (e.g. `residential`).
    pub to: String,
    /// Share of waiting clients at risk of escalation.
    pub probability: f64,
    /// Days from joining the list to escalation, for those at risk.
    pub delay: DurationSpec,
}

/// What an intervention or shock acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lever {
    /// Arrival rate × (1 + effect): prevention, normalisation, POH-jeugd
    /// (effect < 0), or a demand shock (effect > 0).
    Inflow,
    /// Episode length × (1 + effect): faster step-down (effect < 0).
    Duration,
    /// Transition probabilities × (1 − effect): stronger outflow.
    Exit,
    /// Share `effect` of arrivals diverted to basic care (verantwoord nee zeggen).
    Access,
    /// Relapse probability × (1 − effect): re-entry reduction.
    Relapse,
    /// Tariff × (1 + effect): a tariff shock.
    Tariff,
    /// `places` places of `form` in `area` lost on day `day` of `start`
    /// (provider failure); their clients move out of region.
    CapacityLoss,
}

impl Lever {
    /// Effects a lever accepts: multipliers (1 + e) stay positive, shares stay in [0, 1].
    pub fn effect_range(self) -> (f64, f64) {
        match self {
            Lever::Inflow | Lever::Tariff => (-1.0, 10.0),
            Lever::Duration => (-0.95, 10.0),
            Lever::Exit | Lever::Access | Lever::Relapse => (0.0, 1.0),
            Lever::CapacityLoss => (0.0, 0.0),
        }
    }
}

/// A policy intervention or a shock.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    #[serde(default)]
    pub label: Option<String>,
    /// What it acts on (`inflow`, `duration`, `exit`, `access`, `relapse`,
    /// `tariff`, `capacity_loss`).
    pub lever: Lever,
    /// Care forms affected (entry forms for `inflow`/`access`); empty = all.
    #[serde(default)]
    pub forms: Vec<String>,
    /// First year of the intervention (and of its cost).
    pub start: i32,
    /// Last year of the effect (and cost); none = to the end of the horizon.
    #[serde(default)]
    pub end: Option<i32>,
    /// Years between the start and the first effect (prevention works with a lag).
    #[serde(default)]
    pub lag_years: u32,
    /// Years over which the effect grows to full size (0 or 1 = at once).
    #[serde(default)]
    pub ramp_years: u32,
    /// How the effect grows: `linear`, `front_loaded`, `back_loaded` or `step`.
    #[serde(default = "linear")]
    pub ramp: String,
    /// Effect size (see `lever`). Like any number it may be uncertain,
    /// `{ mean, sd }` or `{ low, mode, high }`, drawn once per replication.
    #[serde(default)]
    pub effect: f64,
    /// Cost of the intervention in euros per year while it runs.
    #[serde(default)]
    pub cost_per_year: Option<Profile>,
    /// `capacity_loss`: the area whose pool loses places (omit for a regional pool).
    #[serde(default)]
    pub area: Option<String>,
    /// `capacity_loss`: places lost.
    #[serde(default)]
    pub places: u32,
    /// `capacity_loss`: day of the start year on which the places are lost (0–364).
    #[serde(default)]
    pub day: u32,
    /// Part of the plan the lumpsum assumes: every run also simulates the
    /// scenario without the plan's interventions (same random numbers), so
    /// the answer shows what the plan is worth.
    #[serde(default)]
    pub plan: bool,
}

fn linear() -> String {
    "linear".to_string()
}
