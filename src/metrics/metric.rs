//! Output metrics: names (the stable contract of DESIGN §4 plus the money
//! metrics of the contract rules), and which scope and care form each
//! applies to. These enums are the only place a metric name is spelled.

use super::{CYCLE_METRICS, CycleMetric};
use crate::finance::{REGIMES, Regime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Output metrics, in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Inflow,
    Starts,
    Outflow,
    ActiveEnd,
    /// Clients in care during the year: in care at its start plus starts.
    Clients,
    ClientDays,
    PlaceDaysOccupied,
    PlaceDaysVacant,
    Occupancy,
    WaitingEnd,
    /// Mean days waited per start, at home and blocked together.
    WaitDaysMean,
    /// Share of starts that waited first (at home or blocked in another form).
    PWait,
    /// Mean days waited at home per start (all starts in the denominator).
    WaitDaysHomeMean,
    /// Mean days waited blocked in another form per start; with the home
    /// part it adds up to `WaitDaysMean`.
    WaitDaysBlockedMean,
    BlockedDays,
    OutOfRegionStarts,
    Reneged,
    AgedOut,
    /// Mean number waiting at home over the year.
    WaitingMean,
    /// Region: 90th percentile of days waited by the year's starts (to 5 days).
    WaitDaysP90,
    Substituted,
    Escalated,
    Diverted,
    TransferredOut,
    /// Clients placed out of region who left the region's flows at the end
    /// of that episode (`out_of_region_return = false`).
    LeftRegion,
    /// Places at year end (capacity path, after losses).
    Places,
    CostEur,
    /// Part of the cost that pays for empty places (leegstand).
    VacancyCostEur,
    /// One-off cost of closed places (afbouw friction).
    FrictionCostEur,
    LumpsumEur,
    BalanceEur,
    /// Provider: result accumulated since the start (deficits stay with it).
    CumulativeResultEur,
    /// Provider: 1 in a year whose lumpsum was adjusted down (cost ≥ threshold below it).
    AdjustedDown,
    /// Provider: 1 in a year whose lumpsum was raised for autonomous growth.
    AdjustedUpGrowth,
    /// Provider: 1 in a year with a declared shock.
    AdjustedUpShock,
    /// Provider: 1 when the cumulative result is below the solvency threshold.
    Insolvent,
    /// Municipality: its share of the total lumpsum that year.
    ContributionShare,
    /// Region: cost booked in the year (declaration lag).
    BookedCostEur,
    /// Region: the year's cost as a mid-year report extrapolates it.
    MidyearSeenEur,
    /// Days clients waited at home with bridging care (forms with `bridging`).
    BridgingDays,
    /// Cost of that bridging care.
    BridgingCostEur,
    /// Region, per form with places (`vacancy_basis = "simulated"`): the
    /// vacancy the year's surcharge was computed from.
    SurchargeVacancy,
    /// What the surcharge regime pays for the form(s) at the given
    /// `expected_vacancy` (fixed yearly amounts not included).
    PaidSurchargeGivenEur,
    /// The same at the simulated vacancy of the year before.
    PaidSurchargeSimulatedEur,
    /// What is paid under a financing regime (provider: received; municipality: paid).
    PaidEur(Regime),
    /// The providers' result (paid − cost) under a financing regime.
    ProviderResultEur(Regime),
    /// Region and municipality, only with a `[regimes] schedule`: what the
    /// year's care claims from the budget under the regime in force — the
    /// cost in a lumpsum year (the lumpsum must cover it), what the
    /// municipalities pay in a per-use year (the budget must cover that).
    BudgetClaimEur,
    /// Municipality: a figure of its budget cycle (only where it has one).
    Cycle(CycleMetric),
}

impl Metric {
    pub fn all() -> Vec<Metric> {
        let mut all = vec![
            Metric::Inflow,
            Metric::Starts,
            Metric::Outflow,
            Metric::ActiveEnd,
            Metric::Clients,
            Metric::ClientDays,
            Metric::PlaceDaysOccupied,
            Metric::PlaceDaysVacant,
            Metric::Occupancy,
            Metric::WaitingEnd,
            Metric::WaitDaysMean,
            Metric::PWait,
            Metric::WaitDaysHomeMean,
            Metric::WaitDaysBlockedMean,
            Metric::BlockedDays,
            Metric::OutOfRegionStarts,
            Metric::Reneged,
            Metric::AgedOut,
            Metric::WaitingMean,
            Metric::WaitDaysP90,
            Metric::Substituted,
            Metric::Escalated,
            Metric::Diverted,
            Metric::TransferredOut,
            Metric::LeftRegion,
            Metric::Places,
            Metric::CostEur,
            Metric::VacancyCostEur,
            Metric::FrictionCostEur,
            Metric::LumpsumEur,
            Metric::BalanceEur,
            Metric::CumulativeResultEur,
            Metric::AdjustedDown,
            Metric::AdjustedUpGrowth,
            Metric::AdjustedUpShock,
            Metric::Insolvent,
            Metric::ContributionShare,
            Metric::BookedCostEur,
            Metric::MidyearSeenEur,
            Metric::BridgingDays,
            Metric::BridgingCostEur,
            Metric::SurchargeVacancy,
            Metric::PaidSurchargeGivenEur,
            Metric::PaidSurchargeSimulatedEur,
        ];
        all.extend(REGIMES.iter().map(|r| Metric::PaidEur(*r)));
        all.push(Metric::PaidEur(Regime::Scheduled));
        all.extend(REGIMES.iter().map(|r| Metric::ProviderResultEur(*r)));
        all.push(Metric::ProviderResultEur(Regime::Scheduled));
        all.push(Metric::BudgetClaimEur);
        all.extend(CYCLE_METRICS.iter().map(|c| Metric::Cycle(*c)));
        all
    }

    /// Metrics that exist only in a scenario with a `[regimes] schedule`
    /// (so a scenario without one keeps its columns).
    pub fn needs_schedule(self) -> bool {
        matches!(
            self,
            Metric::PaidEur(Regime::Scheduled)
                | Metric::ProviderResultEur(Regime::Scheduled)
                | Metric::BudgetClaimEur
        )
    }

    pub fn name(self) -> String {
        let fixed = match self {
            Metric::Inflow => "inflow",
            Metric::Starts => "starts",
            Metric::Outflow => "outflow",
            Metric::ActiveEnd => "active_end",
            Metric::Clients => "clients",
            Metric::ClientDays => "client_days",
            Metric::PlaceDaysOccupied => "place_days_occupied",
            Metric::PlaceDaysVacant => "place_days_vacant",
            Metric::Occupancy => "occupancy",
            Metric::WaitingEnd => "waiting_end",
            Metric::WaitDaysMean => "wait_days_mean",
            Metric::PWait => "p_wait",
            Metric::WaitDaysHomeMean => "wait_days_home_mean",
            Metric::WaitDaysBlockedMean => "wait_days_blocked_mean",
            Metric::BlockedDays => "blocked_days",
            Metric::OutOfRegionStarts => "out_of_region_starts",
            Metric::Reneged => "reneged",
            Metric::AgedOut => "aged_out",
            Metric::WaitingMean => "waiting_mean",
            Metric::WaitDaysP90 => "wait_days_p90",
            Metric::Substituted => "substituted",
            Metric::Escalated => "escalated",
            Metric::Diverted => "diverted",
            Metric::TransferredOut => "transferred_out",
            Metric::LeftRegion => "left_region",
            Metric::Places => "places",
            Metric::CostEur => "cost_eur",
            Metric::VacancyCostEur => "vacancy_cost_eur",
            Metric::FrictionCostEur => "friction_cost_eur",
            Metric::LumpsumEur => "lumpsum_eur",
            Metric::BalanceEur => "balance_eur",
            Metric::CumulativeResultEur => "cumulative_result_eur",
            Metric::AdjustedDown => "adjusted_down",
            Metric::AdjustedUpGrowth => "adjusted_up_growth",
            Metric::AdjustedUpShock => "adjusted_up_shock",
            Metric::Insolvent => "insolvent",
            Metric::ContributionShare => "contribution_share",
            Metric::BookedCostEur => "booked_cost_eur",
            Metric::MidyearSeenEur => "midyear_seen_eur",
            Metric::BridgingDays => "bridging_days",
            Metric::BridgingCostEur => "bridging_cost_eur",
            Metric::SurchargeVacancy => "surcharge_vacancy",
            Metric::PaidSurchargeGivenEur => "paid_surcharge_given_eur",
            Metric::PaidSurchargeSimulatedEur => "paid_surcharge_simulated_eur",
            Metric::BudgetClaimEur => "budget_claim_eur",
            Metric::PaidEur(r) => return format!("paid_{}_eur", r.name()),
            Metric::ProviderResultEur(r) => return format!("provider_result_{}_eur", r.name()),
            Metric::Cycle(c) => c.name(),
        };
        fixed.to_string()
    }

    /// The metric whose column name is `name`, if any.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::all().into_iter().find(|m| m.name() == name)
    }

    /// Money metrics are stored in cents and written in euros.
    pub fn is_money(self) -> bool {
        self.name().ends_with("_eur")
    }

    fn is_place_metric(self) -> bool {
        matches!(
            self,
            Metric::PlaceDaysOccupied
                | Metric::PlaceDaysVacant
                | Metric::Occupancy
                | Metric::Places
                | Metric::FrictionCostEur
        )
    }

    /// Whether the metric's feature is in the model (bridging care on the
    /// form, or on any form for all forms; a simulated surcharge basis).
    /// Columns of absent features are not written, so a scenario without
    /// them keeps its files.
    pub fn in_model(self, model: &crate::model::Model, form: Option<usize>) -> bool {
        match self {
            Metric::BridgingDays | Metric::BridgingCostEur => form
                .map_or(model.forms.iter().any(|f| f.bridging), |f| {
                    model.forms[f].bridging
                }),
            Metric::SurchargeVacancy
            | Metric::PaidSurchargeGivenEur
            | Metric::PaidSurchargeSimulatedEur => model.money.regimes.vacancy_simulated,
            _ => true,
        }
    }

    /// Metrics written per replication to `replications.csv`.
    pub fn is_headline(self) -> bool {
        matches!(
            self,
            Metric::Inflow
                | Metric::ActiveEnd
                | Metric::WaitingEnd
                | Metric::ClientDays
                | Metric::CostEur
                | Metric::LumpsumEur
                | Metric::BalanceEur
                | Metric::CumulativeResultEur
                | Metric::ContributionShare
        )
    }

    /// Whether the metric has a value for this scope and form (`None` = all forms).
    pub fn applies(self, scope: super::ScopeKind, form: Option<usize>, has_places: bool) -> bool {
        use super::ScopeKind::*;
        let all_forms = form.is_none();
        match self {
            m if m.is_place_metric() => has_places,
            Metric::WaitDaysP90 => scope == Region,
            Metric::LumpsumEur | Metric::BalanceEur => all_forms && scope != Area,
            Metric::CumulativeResultEur
            | Metric::AdjustedDown
            | Metric::AdjustedUpGrowth
            | Metric::AdjustedUpShock
            | Metric::Insolvent => all_forms && scope == Provider,
            Metric::ContributionShare => all_forms && scope == Municipality,
            Metric::BookedCostEur | Metric::MidyearSeenEur => all_forms && scope == Region,
            Metric::PaidEur(_) => all_forms && scope != Area,
            Metric::SurchargeVacancy => !all_forms && has_places && scope == Region,
            Metric::PaidSurchargeGivenEur | Metric::PaidSurchargeSimulatedEur => {
                matches!(scope, Region | Municipality)
            }
            Metric::ProviderResultEur(_) => all_forms && matches!(scope, Region | Provider),
            Metric::BudgetClaimEur => all_forms && matches!(scope, Region | Municipality),
            Metric::Cycle(_) => all_forms && scope == Municipality,
            _ => true,
        }
    }
}

/// A metric is written (and read back from the row file's keys) by its name.
impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Metric::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown metric {name}")))
    }
}

/// Figures derived across replications, written beside the metrics in
/// `feasibility.csv`, `comparison.csv`, `views.csv` and `sweep.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derived {
    /// Share of replications whose cost exceeds the lumpsum.
    POverrun,
    /// Region cost summed from the first year on (paired comparison).
    CumulativeCostEur,
}

impl Derived {
    pub fn name(self) -> &'static str {
        match self {
            Derived::POverrun => "p_overrun",
            Derived::CumulativeCostEur => "cumulative_cost_eur",
        }
    }
}

/// A named figure of a table that mixes metrics and derived figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Metric(Metric),
    Derived(Derived),
}

impl Figure {
    pub fn name(self) -> String {
        match self {
            Figure::Metric(m) => m.name(),
            Figure::Derived(d) => d.name().to_string(),
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}
