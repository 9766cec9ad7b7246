//! The parameters one replication drew before it ran: each intervention's
//! effect size and the tariff multipliers that follow from them. Kept
//! beside the exposure (what happened), not inside it.

/// One replication's parameter draws.
#[derive(Clone, Debug)]
pub struct Draws {
    years: usize,
    /// [intervention] effect size drawn for this replication.
    pub effects: Vec<f64>,
    /// [form × years + year] tariff multiplier (tariff shocks).
    pub tariff_factor: Vec<f64>,
}

impl Draws {
    /// Neutral draws: no effect, tariffs as compiled.
    pub fn new(years: usize, forms: usize, interventions: usize) -> Self {
        Draws {
            years,
            effects: vec![0.0; interventions],
            tariff_factor: vec![1.0; forms * years],
        }
    }

    /// The tariff multiplier of `form` in horizon year `year`.
    #[inline]
    pub fn tariff(&self, form: usize, year: usize) -> f64 {
        self.tariff_factor[form * self.years + year]
    }
}
