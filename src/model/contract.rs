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

/// A financing regime: how the municipalities pay the providers. The five
/// concrete regimes are priced side by side under the same demand;
/// `Scheduled` is the one in force each year when the scenario gives a
/// `[regimes] schedule` (seed 002 l.783-786: p×q until 2025, possibly the
/// taakgerichte lumpsum from 2026). It lives in the model (not in
/// `finance/`) because the compiled schedule names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum Regime {
    Lumpsum,
    PerDay,
    PerTrajectory,
    Availability,
    VacancySurcharge,
    /// The regime the schedule puts in force that year (never stored in a schedule).
    Scheduled,
}

/// The concrete regimes, always priced (in output order).
pub const REGIMES: [Regime; 5] = [
    Regime::Lumpsum,
    Regime::PerDay,
    Regime::PerTrajectory,
    Regime::Availability,
    Regime::VacancySurcharge,
];

impl Regime {
    pub fn name(self) -> &'static str {
        match self {
            Regime::Lumpsum => "lumpsum",
            Regime::PerDay => "per_day",
            Regime::PerTrajectory => "per_trajectory",
            Regime::Availability => "availability",
            Regime::VacancySurcharge => "vacancy_surcharge",
            Regime::Scheduled => "scheduled",
        }
    }
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
    /// [year] the regime in force (a concrete one); empty without a schedule.
    pub schedule: Vec<Regime>,
}

impl RegimeModel {
    /// Whether the scenario switches regimes by year (`[regimes] schedule`).
    pub fn has_schedule(&self) -> bool {
        !self.schedule.is_empty()
    }

    /// The regime in force in horizon year `y`, if the scenario schedules one.
    pub fn scheduled(&self, y: usize) -> Option<Regime> {
        self.schedule.get(y).copied()
    }

    /// Whether the lumpsum contract is in force in year `y`: always without
    /// a schedule, else only in the schedule's lumpsum years.
    pub fn lumpsum_in_force(&self, y: usize) -> bool {
        self.scheduled(y).is_none_or(|r| r == Regime::Lumpsum)
    }
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
    /// [municipality] its own budget cycle, if the scenario gives one.
    pub cycles: Vec<Option<CycleModel>>,
}

/// Name of the implicit provider when a scenario declares none.
pub const SINGLE_PROVIDER: &str = "single_provider";

/// One year of a municipality's budget cycle, in euros.
#[derive(Clone, Debug, Default)]
pub struct CycleYear {
    /// The original budget (primitieve begroting).
    pub primitive: Decimal,
    /// Budget changes at the 1e and 2e Burap.
    pub burap1: Decimal,
    pub burap2: Decimal,
    pub risk_allowance: Decimal,
    /// One-off charges booked in the year (incidental).
    pub one_off: Decimal,
    /// The deficit reported in reality, if given.
    pub realised: Option<Decimal>,
}

/// How the declaration lag shows in the budget cycle, as fractions of a
/// year's care cost delivered evenly over the year (all 1 or 0 without a
/// lag). Report `i` is the 1e (0) or 2e (1) Burap.
#[derive(Clone, Debug)]
pub struct CycleFractions {
    /// What report `i` projects from the year's declarations so far,
    /// extrapolated linearly to the whole year.
    pub seen: [Decimal; 2],
    /// [i][k − 1]: care cost of year y − k booked in year y by report `i`.
    pub prior_by_report: [[Decimal; 2]; 2],
    /// Charged to the year's own accounts, the next year's, and later
    /// (declared after the own accounts closed).
    pub charged: [Decimal; 3],
}

/// A municipality's budget cycle.
#[derive(Clone, Debug)]
pub struct CycleModel {
    /// [year] the cycle's amounts; `None` in a year without an original budget.
    pub years: Vec<Option<CycleYear>>,
    /// [form] whether its cost is incidental (a closed legacy cohort).
    pub incidental_form: Vec<bool>,
    pub fractions: CycleFractions,
}
