//! The scenario file as written by its users: serde structs mirroring the
//! TOML one to one. Nothing here is validated beyond types and known keys;
//! `validate` checks meaning. Split by concept: `duration` (a leaf), `capacity`,
//! `interventions`, `contract`.

mod capacity;
mod client_cost;
mod contract;
mod duration;
mod interventions;

pub use capacity::{Capacity, PoolSplit, Staff, StaffMode};
pub use client_cost::ClientCostSpec;
pub use contract::{
    Contract, DeclarationLag, ExtraCostSplit, IndexGap, Indexation, Provider, Regimes,
    SavingsTarget, ShareRevision, VacancyBasis,
};
pub use duration::DurationSpec;
pub use interventions::{Escalation, Intervention, Lever};

use super::profile::Profile;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole scenario. Names of areas, municipalities and care forms are the
/// keys of their tables and are what other sections refer to.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name; also the default output directory `out/<name>`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Path of a base scenario (relative to this file) whose values this file overrides.
    #[serde(default)]
    pub extends: Option<String>,
    pub horizon: Horizon,
    #[serde(default)]
    pub simulation: SimulationSettings,
    pub municipalities: BTreeMap<String, Municipality>,
    pub areas: BTreeMap<String, Area>,
    pub arrivals: Arrivals,
    pub care_forms: BTreeMap<String, CareForm>,
    #[serde(default)]
    pub ageing: Ageing,
    #[serde(default)]
    pub relapse: Option<Relapse>,
    #[serde(default)]
    pub fixed_costs: FixedCosts,
    pub lumpsum: Lumpsum,
    #[serde(default)]
    pub initial_state: InitialState,
    /// Providers and their lumpsum shares; none means one provider for everything.
    #[serde(default)]
    pub providers: BTreeMap<String, Provider>,
    #[serde(default)]
    pub indexation: Option<Indexation>,
    #[serde(default)]
    pub contract: Contract,
    #[serde(default)]
    pub regimes: Regimes,
    #[serde(default)]
    pub declaration_lag: Option<DeclarationLag>,
    /// Policy interventions and shocks, by name.
    #[serde(default)]
    pub interventions: BTreeMap<String, Intervention>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    /// First simulated calendar year (the contract start).
    pub start_year: i32,
    /// Number of years simulated and reported.
    pub years: u32,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationSettings {
    /// Replications when `--replications` is not given.
    #[serde(default = "default_replications")]
    pub replications: u32,
    /// Master seed when `--seed` is not given.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_replications() -> u32 {
    200
}
fn default_seed() -> u64 {
    2028
}

impl Default for SimulationSettings {
    fn default() -> Self {
        Self {
            replications: default_replications(),
            seed: default_seed(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    #[serde(default)]
    pub label: Option<String>,
    /// This municipality's lumpsum contribution in euros per year. When no
    /// municipality has one, the region lumpsum is split by youth population.
    #[serde(default)]
    pub lumpsum: Option<Profile>,
    /// Multiplier on the arrival rate of this municipality's youth (on top of the area's).
    #[serde(default)]
    pub usage: Option<Profile>,
    /// Extra multiplier per entry care form, e.g. `{ residential = 1.3 }`.
    #[serde(default)]
    pub form_usage: BTreeMap<String, Profile>,
    /// Savings target (besparingsopgave / taakstelling), euros per year,
    /// taken off this municipality's contribution and the region lumpsum.
    #[serde(default)]
    pub savings_target: Option<Profile>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Area {
    #[serde(default)]
    pub label: Option<String>,
    /// Youth (0–17) living in this area, per municipality, in `arrivals.population_year`.
    pub youth: BTreeMap<String, f64>,
    /// Yearly growth of the youth population (0.01 = 1 % per year).
    #[serde(default)]
    pub growth: Option<Profile>,
    /// Multiplier on the arrival rate (deprivation, local use); 1 = average.
    #[serde(default)]
    pub usage: Option<Profile>,
    /// Extra multiplier per entry care form, e.g. `{ residential = 1.3 }`.
    #[serde(default)]
    pub form_usage: BTreeMap<String, Profile>,
    /// Demand growth per year added to the care form's trend for arrivals
    /// from this area (0.01 = one point faster than the form's trend).
    #[serde(default)]
    pub trend: Option<f64>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Arrivals {
    /// Year the `areas.*.youth` figures refer to; the population grows from there.
    pub population_year: i32,
    /// New specialist episodes per 1,000 youth per year (before area usage and trend).
    pub rate_per_1000: Profile,
    /// Autonomous demand growth per year from the start year (0.02 = 2 %/year).
    #[serde(default)]
    pub trend: f64,
    /// Share of new arrivals entering each care form; must sum to 1.
    pub entry: BTreeMap<String, f64>,
    /// Share of arrivals per priority class (`regular`, `safety`, `crisis`); must sum to 1.
    pub priority: BTreeMap<String, f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareKind {
    Ambulant,
    Day,
    Residential,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CareForm {
    #[serde(default)]
    pub label: Option<String>,
    pub kind: CareKind,
    pub duration: DurationSpec,
    /// Daily tariff in euros per client-day.
    pub tariff: Profile,
    /// Age at arrival, as bands with weights (uniform within a band).
    pub age: Vec<AgeBand>,
    /// Priority mix for arrivals entering this form; defaults to `arrivals.priority`.
    #[serde(default)]
    pub priority: Option<BTreeMap<String, f64>>,
    /// Demand growth per year of arrivals entering this form, from the start
    /// year; replaces `arrivals.trend` for this form (seed 001: residential
    /// use falls while ambulant use rises, so one trend for all does not fit).
    #[serde(default)]
    pub trend: Option<f64>,
    /// Multiplier on episode length per year (1 = as `duration`); e.g. a
    /// faster step-down `{ shape = "linear", from = 1, to = 0.8, start = 2028, end = 2032 }`.
    #[serde(default)]
    pub duration_scale: Option<Profile>,
    /// Probability of moving to another form at the end of an episode; the remainder exits care.
    #[serde(default)]
    pub transitions: BTreeMap<String, Profile>,
    #[serde(default)]
    pub capacity: Capacity,
    #[serde(default)]
    pub overflow: Overflow,
    /// What a client stepping in from another form does when this form is full:
    /// `block` (stays in the current form, counted as blocked days) or `overflow`
    /// (this form's overflow policy applies).
    #[serde(default)]
    pub when_full_on_transfer: TransferWhenFull,
    /// Fixed cost per place-day of this form's places, occupied or not (euros).
    #[serde(default)]
    pub fixed_cost_per_place_day: Option<Profile>,
    /// Probability that a client in this form at 18 continues (verlengde jeugdhulp) up to 23.
    #[serde(default)]
    pub extension_probability: Option<Profile>,
    /// One-off cost per place closed (afbouw: redundancy, buildings), euros,
    /// booked in the year the capacity path drops.
    #[serde(default)]
    pub friction_cost_per_closed_place: Option<Profile>,
    /// Escalation while waiting for this form.
    #[serde(default)]
    pub escalation: Option<Escalation>,
    /// Whether a client placed out of region in this form comes back for the
    /// next step (transitions, relapse) when the episode ends (`true`), or
    /// leaves the region's flows (`false`, counted in `left_region`).
    #[serde(default = "default_true")]
    pub out_of_region_return: bool,
    /// High-cost client class: a heavy-tailed per-episode multiplier on the
    /// tariff with mean 1 (individual trajectories such as IBOs).
    #[serde(default)]
    pub client_cost: Option<ClientCostSpec>,
    /// Bridging care (overbruggingszorg, seed 001 L3566-3571): what a client
    /// waiting at home for this form receives meanwhile, paid per waiting day.
    #[serde(default)]
    pub bridging: Option<Bridging>,
}

/// Bridging care given to every client on this form's waiting list.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bridging {
    /// Euros per day waited at home (indexed like the tariffs).
    pub tariff: Profile,
}

fn default_true() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    pub from: f64,
    pub to: f64,
    pub weight: f64,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(tag = "policy", rename_all = "snake_case", deny_unknown_fields)]
pub enum Overflow {
    /// Waiting list per pool, ordered by priority then arrival; with a
    /// `patience` distribution (days) waiting clients renege when it runs out.
    Wait {
        #[serde(default)]
        patience: Option<DurationSpec>,
    },
    /// Placed out of region at `tariff_multiplier` × the tariff.
    OutOfRegion { tariff_multiplier: f64 },
    /// Continuity of care: capacity is exceeded and the cost incurred.
    AlwaysGrant,
    /// Substitution during phase-out: the client starts in form `to` instead
    /// (its tariff and duration), e.g. residential → family_home.
    Substitute { to: String },
}

impl Default for Overflow {
    fn default() -> Self {
        Overflow::Wait { patience: None }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferWhenFull {
    #[default]
    Block,
    Overflow,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ageing {
    /// Age at which youth care ends unless extended.
    #[serde(default = "default_adult_age")]
    pub exit_age: f64,
    /// Age at which extended youth care ends in any case.
    #[serde(default = "default_hard_exit_age")]
    pub hard_exit_age: f64,
}

fn default_adult_age() -> f64 {
    18.0
}
fn default_hard_exit_age() -> f64 {
    23.0
}

impl Default for Ageing {
    fn default() -> Self {
        Self {
            exit_age: default_adult_age(),
            hard_exit_age: default_hard_exit_age(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relapse {
    /// Probability that a client who leaves care returns (zorgrecidive).
    pub probability: f64,
    /// Days between exit and return.
    pub delay: DurationSpec,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedCosts {
    /// Regional 24-hour crisis service, euros per year.
    #[serde(default)]
    pub crisis_service: Option<Profile>,
    /// Area teams, euros per year per area.
    #[serde(default)]
    pub area_teams: BTreeMap<String, Profile>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lumpsum {
    /// Region total in euros per year.
    pub region: Profile,
    /// `none`: every horizon year needs a value; `flat`: the last given year
    /// carries forward; `trend`: it changes by `trend` per year after the last given year.
    #[serde(default)]
    pub extend: Extend,
    /// Yearly change after the table for `extend = "trend"` (−0.01 = −1 %/year).
    #[serde(default)]
    pub trend: Option<f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Extend {
    #[default]
    None,
    Flat,
    Trend,
}

#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InitialState {
    /// Years simulated with start-year parameters before the horizon; statistics are then reset.
    #[serde(default)]
    pub warmup_years: u32,
    /// CSV of clients in care or waiting at the start date (path relative to the scenario file).
    #[serde(default)]
    pub caseload: Option<String>,
}
