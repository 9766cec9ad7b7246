//! Where places come from: none (unlimited), per area, one regional pool,
//! or staff (FTE × caseload) with a budget-capped mode.

use crate::scenario::profile::Profile;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(tag = "scope", rename_all = "snake_case", deny_unknown_fields)]
pub enum Capacity {
    #[default]
    Unlimited,
    /// Places per area (areas not listed have no places of this form).
    Area {
        places: BTreeMap<String, Profile>,
        /// Places per pool kept free for `crisis` and `safety` arrivals (vacancy buffer).
        #[serde(default)]
        reserved: u32,
        /// How each area pool's vacancy and friction cost (and its places, in
        /// the municipal metrics) are split over the municipalities it serves.
        #[serde(default)]
        split: PoolSplit,
    },
    /// One regional pool shared by all areas.
    Region {
        places: Profile,
        #[serde(default)]
        reserved: u32,
        /// How the pool's vacancy and friction cost (and its places, in the
        /// municipal metrics) are split over the municipalities it serves:
        /// `youth_share` or `use` (their occupied place-days of the year).
        #[serde(default)]
        split: PoolSplit,
    },
    /// Places per area from staff: FTE × caseload per FTE.
    Staff(Staff),
}

/// How a shared pool's vacancy cost and places are split over the
/// municipalities (paying regions) it serves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoolSplit {
    /// By the municipalities' share of the pool's youth population (fixed).
    #[default]
    YouthShare,
    /// By their share of the pool's occupied place-days in the same year
    /// (seed 001 L3499-3548: who uses the national pool pays for keeping it);
    /// by youth share in a year nobody used it.
    Use,
}

/// Ambulant capacity from staff: places = FTE × caseload per FTE per area.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    /// Planned FTE per area (formatie). In budget-capped mode only the ratio
    /// between areas is used.
    pub fte: BTreeMap<String, Profile>,
    /// Clients one FTE carries at a time (caseload).
    pub caseload_per_fte: f64,
    /// Yearly cost of one FTE in euros (salary, overhead); paid whether the
    /// caseload is full or not.
    pub cost_per_fte: Profile,
    /// Years between a planned FTE increase and the staff being at work
    /// (recruitment and training); decreases take effect at once.
    #[serde(default)]
    pub lead_time_years: u32,
    /// `planned`: the FTE plan; `budget_capped`: as many FTE as the provider's
    /// lumpsum pays for after its fixed costs.
    #[serde(default)]
    pub mode: StaffMode,
    /// Share of the provider's lumpsum (after fixed costs) available for this
    /// form's staff in budget-capped mode.
    #[serde(default = "one")]
    pub budget_share: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffMode {
    #[default]
    Planned,
    BudgetCapped,
}
