//! The care landscape changing over time: escalation while waiting,
//! interventions and shocks with their yearly ramp, and provider failures.

use super::{Duration, FormId, PoolId};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

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
    pub mean: f64,
    pub sd: f64,
    /// Effects the lever accepts (draws are clamped into it).
    pub range: (f64, f64),
}

impl InterventionModel {
    /// This replication's effect size: a normal draw, kept inside the range
    /// where the lever means something (no negative rates or durations).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        let e = self.mean + self.sd * z;
        let (lo, hi) = self.range;
        e.clamp(lo, hi)
    }
}

/// Places of a pool lost at a moment (provider failure).
#[derive(Clone, Debug)]
pub struct CapacityLoss {
    pub pool: PoolId,
    pub places: u32,
    /// Day on the simulation clock (0 = 1 January of the start year).
    pub time: f64,
}
