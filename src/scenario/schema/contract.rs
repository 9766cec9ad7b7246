//! The contract side of a scenario: providers, indexation, contract rules,
//! financing regimes and the declaration lag (seed 000 §5.1–5.4; seeds 001,
//! 002 and 004 for the other regimes). Serde structs mirroring the TOML.

use super::duration::DurationSpec;
use crate::scenario::profile::Profile;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A youth-care provider (jeugdhulpaanbieder) holding its own lumpsum.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    #[serde(default)]
    pub label: Option<String>,
    /// Care forms it delivers; empty means all.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Areas it serves; empty means all.
    #[serde(default)]
    pub areas: Vec<String>,
    /// Its share of the region lumpsum; the shares of all providers sum to 1.
    pub share: f64,
    /// Where providers overlap on a (care form, area), the part of that work
    /// this provider delivers (weights of overlapping providers sum to 1).
    #[serde(default)]
    pub overlap_weight: Option<f64>,
    /// Carries the area teams and the crisis service (exactly one provider).
    #[serde(default)]
    pub carries_fixed_costs: bool,
    /// Cumulative result (euros) below which the provider counts as insolvent.
    #[serde(default)]
    pub solvency_threshold: Option<f64>,
    /// Provider-wide budget cap: its lumpsum (share of the budget table,
    /// after the fixed costs it carries) buys the places of every care form
    /// it delivers, year by year; clients beyond them wait.
    #[serde(default)]
    pub budget_cap: bool,
}

/// Wage/price indexation (OVA-like) and the lumpsum's own index (accres).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indexation {
    /// Price level of the scenario's amounts (e.g. 2025: seed 000 L1544-1547).
    pub base_year: i32,
    /// Yearly index of tariffs and fixed costs (0.03 = 3 %), from base_year + 1.
    pub costs: Profile,
    /// Yearly index of the lumpsum (municipal fund growth, accres).
    pub lumpsum: Profile,
    /// What the councils do with a gap between the two indices.
    #[serde(default)]
    pub gap: IndexGap,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IndexGap {
    /// The lumpsum follows its own index: a lower index shrinks the task in real terms.
    #[default]
    ShrinksTask,
    /// The councils reallocate so the lumpsum follows the cost index.
    FollowsCosts,
}

/// Contract rules of the taakgerichte lumpsum (seed 000 §5.2–5.4).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Downward adjustment when a provider's cost is at least this fraction
    /// below its lumpsum (seed 000 L1825-1827: 5 %).
    #[serde(default = "default_downward")]
    pub downward_threshold: f64,
    /// Upward adjustment when the youth population a provider serves (the
    /// `areas.*.youth` path grown by `areas.*.growth`) grows faster than this
    /// in a year: autonomous growth, e.g. new housing (seed 000 L1786-1803).
    /// The lumpsum rises by the excess from the next year on.
    #[serde(default)]
    pub upward_growth_threshold: Option<f64>,
    /// Declared shocks: year → lumpsum increase for that year (0.05 = +5 %).
    #[serde(default)]
    pub shocks: BTreeMap<String, f64>,
    /// How municipalities share extra costs of an upward adjustment.
    #[serde(default)]
    pub extra_cost_split: ExtraCostSplit,
    /// Yearly prospective revision of municipal shares (seed 000 L1215-1227).
    #[serde(default)]
    pub share_revision: ShareRevision,
}

fn default_downward() -> f64 {
    0.05
}

impl Default for Contract {
    fn default() -> Self {
        Contract {
            downward_threshold: default_downward(),
            upward_growth_threshold: None,
            shocks: BTreeMap::new(),
            extra_cost_split: ExtraCostSplit::default(),
            share_revision: ShareRevision::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExtraCostSplit {
    /// Pro rata to each municipality's contribution (seed 000 L1827-1830).
    #[default]
    ProRata,
    Equal,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShareRevision {
    /// Next year's share ∝ reach (clients per care form) × average cost per care form.
    #[default]
    ReachTimesAverageCost,
    /// Shares stay as in the budget table.
    None,
}

/// Parameters of the financing regimes compared under the same demand.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Regimes {
    /// Price per episode (trajectory) per care form, euros; default: tariff × mean duration.
    #[serde(default)]
    pub trajectory_price: BTreeMap<String, f64>,
    /// Expected average vacancy per care form with places (0.12 = 12 %), priced into
    /// the place cost by the `vacancy_surcharge` regime; default 0.15.
    #[serde(default)]
    pub expected_vacancy: BTreeMap<String, f64>,
    /// Occupancy the `availability` regime pays for on every kept place; default 0.85.
    #[serde(default)]
    pub availability_occupancy: Option<f64>,
    /// Where the `vacancy_surcharge` regime's vacancy comes from: `given`
    /// (`expected_vacancy`, every year) or `simulated` (each year the
    /// vacancy the same replication simulated in the year before; the first
    /// year `expected_vacancy`). Seed 001 L3592: "voor de precieze opslag is
    /// verdiepend onderzoek nodig".
    #[serde(default)]
    pub vacancy_basis: VacancyBasis,
}

/// The vacancy the surcharge on place cost is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VacancyBasis {
    #[default]
    Given,
    Simulated,
}

/// Time between care delivered and cost booked (seed 004: requests filed
/// more than half a year late).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationLag {
    pub delay: DurationSpec,
}

/// Amounts per municipality and year that the budget table books as savings
/// (besparingsopgave / taakstelling); they lower its contribution.
pub type SavingsTarget = Profile;
