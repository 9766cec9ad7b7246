//! The compiled scenario: names replaced by typed indices, profiles
//! evaluated per year, distributions built. Immutable and shared by all
//! replications. Owns its types: nothing of the scenario format passes
//! through (`compile` converts).

pub mod budget;
pub mod client_cost;
mod compile;
pub mod contract;
pub mod distribution;
mod ids;
pub mod interventions;
mod labels;
pub mod prices;

pub use client_cost::ClientCost;
pub use compile::compile;
pub use contract::{ExtraCostSplit, Money, ShareRevision};
pub use distribution::{AgeDistribution, Duration};
pub use ids::{FormId, NO_POOL, PoolId, SegmentId};
pub use interventions::{CapacityLoss, EscalationRule, InterventionModel, Lever};
pub use prices::Prices;

/// Priority classes, served in this order.
pub const PRIORITY_NAMES: [&str; 3] = ["crisis", "safety", "regular"];

#[derive(Clone, Debug)]
pub struct Named {
    pub name: String,
    pub label: String,
}

/// A (municipality, area) pair: where a client lives and who pays.
#[derive(Clone, Debug)]
pub struct Segment {
    pub municipality: usize,
    pub area: usize,
    /// Youth population per horizon year.
    pub youth: Vec<f64>,
}

/// What kind of care a form is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CareKind {
    Ambulant,
    Day,
    Residential,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverflowRule {
    Wait,
    OutOfRegion,
    AlwaysGrant,
    /// Start in this form instead (substitution during phase-out).
    Substitute(FormId),
}

#[derive(Clone, Debug)]
pub struct Form {
    pub name: String,
    pub label: String,
    pub kind: CareKind,
    pub duration: Duration,
    /// [year] multiplier on sampled episode lengths.
    pub duration_scale: Vec<f64>,
    pub age: AgeDistribution,
    /// [year] (target form, cumulative probability); the remainder exits.
    pub transitions: Vec<Vec<(FormId, f64)>>,
    pub overflow: OverflowRule,
    pub patience: Option<Duration>,
    /// A transfer into this form when full blocks in the current form.
    pub block_on_full: bool,
    /// [year] probability of extended youth care at the exit age.
    pub extension_probability: Vec<f64>,
    pub escalation: Option<EscalationRule>,
    pub has_places: bool,
    /// A client placed out of region in this form comes back for the next
    /// step; when false the episode's end is the end of the region's care.
    pub out_of_region_return: bool,
    /// Heavy-tailed per-episode multiplier on the tariff (mean 1); none
    /// means every client-day costs the tariff.
    pub client_cost: Option<ClientCost>,
    /// Clients waiting at home for this form get bridging care, priced per
    /// waiting day (`Prices::bridging`).
    pub bridging: bool,
}

/// A set of places of one form, for one area or the whole region.
#[derive(Clone, Debug)]
pub struct Pool {
    pub form: usize,
    pub area: Option<usize>,
    /// Places per horizon year.
    pub capacity: Vec<u32>,
    /// Places only `crisis` and `safety` clients may take (vacancy buffer).
    pub reserved: u32,
    /// Segments served and their share of the pool's youth (sums to 1);
    /// used to attribute vacancy cost to municipalities.
    pub catchment: Vec<(usize, f64)>,
    /// Vacancy and friction cost (and places in the scope metrics) split by
    /// the segments' occupied place-days of the year instead of `catchment`.
    pub split_by_use: bool,
}

/// A Poisson arrival stream of one segment, entry form and priority.
#[derive(Clone, Debug)]
pub struct ArrivalStream {
    pub segment: SegmentId,
    pub form: FormId,
    pub priority: u8,
    /// Arrivals per day, per horizon year.
    pub rate_per_day: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct RelapseRule {
    pub probability: f64,
    pub delay: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialStatus {
    InCare,
    Waiting,
}

/// A client present at the start date (from the caseload CSV).
#[derive(Clone, Debug)]
pub struct InitialClient {
    pub segment: SegmentId,
    pub form: FormId,
    pub priority: u8,
    pub age_years: f64,
    /// Days already spent in care (or waiting).
    pub elapsed_days: f64,
    pub status: InitialStatus,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub name: String,
    pub start_year: i32,
    pub years: usize,
    pub warmup_years: usize,
    pub municipalities: Vec<Named>,
    pub areas: Vec<Named>,
    pub segments: Vec<Segment>,
    pub forms: Vec<Form>,
    pub pools: Vec<Pool>,
    /// [form * areas + area] → pool or `NO_POOL` (unlimited).
    pub pool_of: Vec<PoolId>,
    /// [area] → segments of the area with their youth share (for costs of area teams).
    pub area_catchment: Vec<Vec<(usize, f64)>>,
    /// All segments with their youth share of the region (for regional costs).
    pub region_catchment: Vec<(usize, f64)>,
    pub streams: Vec<ArrivalStream>,
    pub exit_age_days: f64,
    pub hard_exit_age_days: f64,
    pub relapse: Option<RelapseRule>,
    pub initial: Vec<InitialClient>,
    pub interventions: Vec<InterventionModel>,
    /// Places lost during the horizon (provider failure), in time order.
    pub capacity_losses: Vec<CapacityLoss>,
    /// [pool][year] places closed by the capacity path at the start of the year.
    pub closed_places: Vec<Vec<u32>>,
    pub prices: Prices,
    pub money: Money,
    /// Most events one replication may process (see `budget`).
    pub event_budget: u64,
}

impl Model {
    pub fn pool(&self, form: usize, area: usize) -> PoolId {
        self.pool_of[form * self.areas.len() + area]
    }

    /// Horizon year index for simulation year `y` (warm-up years are negative
    /// and use the start year's parameters).
    pub fn year_slot(&self, y: i32) -> usize {
        (y.max(0) as usize).min(self.years - 1)
    }
}

/// Youth share of each member segment in the start year (sums to 1; equal
/// shares when the members have no youth).
pub fn youth_shares(
    segments: &[Segment],
    members: impl Iterator<Item = usize>,
) -> Vec<(usize, f64)> {
    let members: Vec<usize> = members.collect();
    let total: f64 = members.iter().map(|&i| segments[i].youth[0]).sum();
    members
        .iter()
        .map(|&i| {
            let share = if total > 0.0 {
                segments[i].youth[0] / total
            } else {
                1.0 / members.len() as f64
            };
            (i, share)
        })
        .collect()
}
