//! A municipality's own budget cycle (seed 004): the original budget, the
//! raises of the two interim reports, the risk allowance, one-off charges
//! and what the budget cycle treats as incidental.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[municipalities.NAME.budget_cycle]`: amounts in euros per year, keyed
/// by year (`{ 2020 = 2_196_000 }`); a year without a `primitieve_begroting`
/// has no budget-cycle rows.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetCycle {
    /// The original budget (primitieve begroting) per year.
    pub primitieve_begroting: BTreeMap<String, f64>,
    /// Change of the budget at the first interim report (1e Burap).
    #[serde(default)]
    pub burap1: BTreeMap<String, f64>,
    /// Change of the budget at the second interim report (2e Burap).
    #[serde(default)]
    pub burap2: BTreeMap<String, f64>,
    /// Amount held in the risk section (risicoparagraaf) for this budget line.
    #[serde(default)]
    pub risk_allowance: BTreeMap<String, f64>,
    /// One-off charges booked in the year (incidental), e.g. a catch-up invoice.
    #[serde(default)]
    pub one_off: BTreeMap<String, f64>,
    /// The deficit actually reported for the year, to place in the simulated
    /// distribution (`p_deficit_ge_realised`).
    #[serde(default)]
    pub realised_deficit: BTreeMap<String, f64>,
    /// Care forms whose cost is incidental: a closed legacy cohort.
    #[serde(default)]
    pub incidental_forms: Vec<String>,
    /// Day of the year up to which the 1e Burap sees declarations.
    #[serde(default = "default_burap1_day")]
    pub burap1_day: f64,
    /// Day of the year up to which the 2e Burap sees declarations.
    #[serde(default = "default_burap2_day")]
    pub burap2_day: f64,
    /// Days after the year end until the annual accounts close.
    #[serde(default = "default_closing_days")]
    pub closing_days: f64,
}

fn default_burap1_day() -> f64 {
    120.0
}

fn default_burap2_day() -> f64 {
    243.0
}

fn default_closing_days() -> f64 {
    90.0
}
