//! The contract side of the compiled model: providers and what they
//! deliver, the contract rules of the lumpsum, financing regime parameters
//! and the declaration lag.

use rust_decimal::Decimal;

/// How municipalities share the extra cost of an upward adjustment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtraCostSplit {
    /// Pro rata to each municipality's contribution.
    ProRata,
    Equal,
}

/// The yearly prospective revision of municipal shares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareRevision {
    /// Next year's share ∝ reach × average cost per care form.
    ReachTimesAverageCost,
    /// Shares stay as in the budget table.
    None,
}

#[derive(Clone, Debug)]
pub struct ProviderModel {
    pub name: String,
    pub label: String,
    /// Share of the region lumpsum.
    pub share: Decimal,
    pub solvency_threshold: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct ContractModel {
    pub downward_threshold: Decimal,
    pub upward_growth_threshold: Option<f64>,
    /// [provider][k] youth population of the areas the provider serves in
    /// horizon year k − 1 (k = 0 is the year before the start): the path
    /// the autonomous-growth adjustment follows.
    pub served_youth: Vec<Vec<f64>>,
    /// [year] declared shock (lumpsum increase for that year), 0 if none.
    pub shocks: Vec<Decimal>,
    pub extra_cost_split: ExtraCostSplit,
    pub share_revision: ShareRevision,
}

#[derive(Clone, Debug)]
pub struct RegimeModel {
    /// [form][year] price per episode.
    pub trajectory_price: Vec<Vec<Decimal>>,
    /// [form] expected vacancy fraction for the surcharge.
    pub expected_vacancy: Vec<Decimal>,
    pub availability_occupancy: Decimal,
    /// The surcharge follows the replication's simulated vacancy of the year
    /// before (the first year `expected_vacancy`).
    pub vacancy_simulated: bool,
}

/// Fractions of a year's delivered cost booked in the same year, the next,
/// and the one after; and the part of the first half-year's cost booked by
/// mid-year (what a mid-year report sees).
#[derive(Clone, Debug)]
pub struct LagModel {
    pub booked: [Decimal; 3],
    pub seen_at_midyear: Decimal,
}

#[derive(Clone, Debug)]
pub struct Money {
    pub providers: Vec<ProviderModel>,
    /// [form * areas + area] → providers delivering it, with weights summing to 1.
    pub coverage: Vec<Vec<(usize, Decimal)>>,
    /// Provider carrying area teams and the crisis service.
    pub fixed_cost_provider: usize,
    pub contract: ContractModel,
    pub regimes: RegimeModel,
    pub lag: Option<LagModel>,
}

/// Name of the implicit provider when a scenario declares none.
pub const SINGLE_PROVIDER: &str = "single_provider";
