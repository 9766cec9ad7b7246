//! The per-replication figures of a municipality's budget cycle (see
//! `finance::cycle` for their definitions); `budget_cycle.csv` derives the
//! deficits and their split from them.

use crate::finance::CycleYear;

/// One figure of a municipality-year's budget cycle, in cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CycleMetric {
    PrimitiveBudget,
    Burap1,
    Burap2,
    RiskAllowance,
    OneOff,
    /// The deficit reported in reality (only in years that give one).
    Realised,
    SeenBurap1,
    SeenBurap2,
    VisibleBurap1,
    VisibleBurap2,
    Charged,
    Ongoing,
    Legacy,
    PriorYear,
}

pub const CYCLE_METRICS: [CycleMetric; 14] = [
    CycleMetric::PrimitiveBudget,
    CycleMetric::Burap1,
    CycleMetric::Burap2,
    CycleMetric::RiskAllowance,
    CycleMetric::OneOff,
    CycleMetric::Realised,
    CycleMetric::SeenBurap1,
    CycleMetric::SeenBurap2,
    CycleMetric::VisibleBurap1,
    CycleMetric::VisibleBurap2,
    CycleMetric::Charged,
    CycleMetric::Ongoing,
    CycleMetric::Legacy,
    CycleMetric::PriorYear,
];

impl CycleMetric {
    pub fn name(self) -> &'static str {
        match self {
            CycleMetric::PrimitiveBudget => "cycle_primitive_budget_eur",
            CycleMetric::Burap1 => "cycle_burap1_eur",
            CycleMetric::Burap2 => "cycle_burap2_eur",
            CycleMetric::RiskAllowance => "cycle_risk_allowance_eur",
            CycleMetric::OneOff => "cycle_one_off_eur",
            CycleMetric::Realised => "cycle_realised_deficit_eur",
            CycleMetric::SeenBurap1 => "cycle_seen_burap1_eur",
            CycleMetric::SeenBurap2 => "cycle_seen_burap2_eur",
            CycleMetric::VisibleBurap1 => "cycle_visible_burap1_eur",
            CycleMetric::VisibleBurap2 => "cycle_visible_burap2_eur",
            CycleMetric::Charged => "cycle_charged_eur",
            CycleMetric::Ongoing => "cycle_ongoing_eur",
            CycleMetric::Legacy => "cycle_legacy_eur",
            CycleMetric::PriorYear => "cycle_prior_year_eur",
        }
    }

    /// The figure's value in a cycle year (`None`: no realised deficit given).
    pub fn value(self, c: &CycleYear) -> Option<i64> {
        Some(match self {
            CycleMetric::PrimitiveBudget => c.primitive,
            CycleMetric::Burap1 => c.burap1,
            CycleMetric::Burap2 => c.burap2,
            CycleMetric::RiskAllowance => c.risk_allowance,
            CycleMetric::OneOff => c.one_off,
            CycleMetric::Realised => return c.realised,
            CycleMetric::SeenBurap1 => c.seen[0],
            CycleMetric::SeenBurap2 => c.seen[1],
            CycleMetric::VisibleBurap1 => c.visible[0],
            CycleMetric::VisibleBurap2 => c.visible[1],
            CycleMetric::Charged => c.charged,
            CycleMetric::Ongoing => c.ongoing,
            CycleMetric::Legacy => c.legacy,
            CycleMetric::PriorYear => c.prior_year,
        })
    }
}
