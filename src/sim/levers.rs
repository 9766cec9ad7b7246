//! The yearly multipliers one replication runs with: profiles of the
//! scenario combined with the interventions. Filled at the start of a
//! replication; read in the hot loop.

use crate::model::{Lever, Model};
use crate::record::Draws;

#[derive(Clone, Debug, Default)]
pub struct Levers {
    years: usize,
    /// [form × years + year] multipliers and shares.
    pub inflow: Vec<f64>,
    pub duration: Vec<f64>,
    /// Factor on transition probabilities (1 − exit effect).
    pub transition: Vec<f64>,
    /// Share of arrivals diverted.
    pub divert: Vec<f64>,
    /// [year] factor on the relapse probability.
    pub relapse: Vec<f64>,
}

impl Levers {
    pub fn new(model: &Model) -> Self {
        let n = model.forms.len() * model.years;
        Levers {
            years: model.years,
            inflow: vec![1.0; n],
            duration: vec![1.0; n],
            transition: vec![1.0; n],
            divert: vec![0.0; n],
            relapse: vec![1.0; model.years],
        }
    }

    #[inline]
    pub fn at(&self, form: usize, year: usize) -> usize {
        form * self.years + year
    }

    /// Recomputes all multipliers from the model's effects (a replication
    /// with uncertain parameters runs its own model); the effects and the
    /// tariff multipliers go to the replication's record.
    pub fn draw(&mut self, model: &Model, draws: &mut Draws) {
        for (f, form) in model.forms.iter().enumerate() {
            for y in 0..self.years {
                let i = self.at(f, y);
                self.inflow[i] = 1.0;
                self.duration[i] = form.duration_scale[y];
                self.transition[i] = 1.0;
                self.divert[i] = 0.0;
                draws.tariff_factor[i] = 1.0;
            }
        }
        self.relapse.fill(1.0);
        for (k, iv) in model.interventions.iter().enumerate() {
            let effect = iv.effect;
            draws.effects[k] = effect;
            for y in 0..self.years {
                let e = effect * iv.active[y];
                if e == 0.0 {
                    continue;
                }
                if iv.lever == Lever::Relapse {
                    self.relapse[y] *= 1.0 - e;
                    continue;
                }
                for f in (0..model.forms.len()).filter(|&f| iv.forms[f]) {
                    let i = self.at(f, y);
                    match iv.lever {
                        Lever::Inflow => self.inflow[i] *= 1.0 + e,
                        Lever::Duration => self.duration[i] *= 1.0 + e,
                        Lever::Exit => self.transition[i] *= 1.0 - e,
                        Lever::Access => self.divert[i] = 1.0 - (1.0 - self.divert[i]) * (1.0 - e),
                        Lever::Tariff => draws.tariff_factor[i] *= 1.0 + e,
                        Lever::Relapse => {}
                    }
                }
            }
        }
    }
}
