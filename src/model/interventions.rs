//! The care landscape changing over time: escalation while waiting,
//! interventions and shocks with their yearly ramp, and provider failures.

use super::{Duration, FormId, PoolId};

/// What an intervention or shock acts on (a place loss is a `CapacityLoss`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lever {
    /// Arrival rate × (1 + effect).
    Inflow,
    /// Episode length × (1 + effect).
    Duration,
    /// Transition probabilities × (1 − effect).
    Exit,
    /// Share `effect` of arrivals diverted at the door.
    Access,
    /// Relapse probability × (1 − effect).
    Relapse,
    /// Tariff × (1 + effect).
    Tariff,
}

#[derive(Clone, Debug)]
pub struct EscalationRule {
    pub to: FormId,
    pub probability: f64,
    pub delay: Duration,
}

/// An intervention or shock, with the share of its effect active per year.
#[derive(Clone, Debug)]
pub struct InterventionModel {
    pub name: String,
    pub lever: Lever,
    /// [form] whether the form is affected.
    pub forms: Vec<bool>,
    /// [year] share of the full effect active (0 before the lag, ramp, 1).
    pub active: Vec<f64>,
    /// The full effect size. An uncertain effect is a scenario parameter
    /// like any other: each replication's model holds its own draw.
    pub effect: f64,
}

/// Places of a pool lost at a moment (provider failure).
#[derive(Clone, Debug)]
pub struct CapacityLoss {
    pub pool: PoolId,
    pub places: u32,
    /// Day on the simulation clock (0 = 1 January of the start year).
    pub time: f64,
}
