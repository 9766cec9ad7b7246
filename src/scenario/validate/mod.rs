//! Checks of meaning that serde cannot do: ranges, sums, references between
//! sections and years inside the horizon. Every problem is collected (not
//! just the first) and located by its field path. One file per concept,
//! all reporting to the `checker` leaf; run in a fixed order.

mod budget_cap;
mod budget_cycle;
mod capacity;
mod care;
mod checker;
mod contract;
mod horizon;
mod interventions;
mod regions;
mod shapes;

pub use checker::{MAX_DAYS, PRIORITIES};

use super::Loaded;
use crate::error::InputErrors;

/// Validates a loaded scenario; its sources locate each problem.
pub fn validate(loaded: &Loaded) -> Result<(), InputErrors> {
    let (s, sources) = (&loaded.scenario, &loaded.sources);
    let mut c = checker::Checker::new(s, sources);
    shapes::check(&mut c, &loaded.merged);
    horizon::check(&mut c, s);
    regions::check(&mut c, s);
    regions::check_arrivals(&mut c, s);
    care::check(&mut c, s);
    horizon::check_rest(&mut c, s);
    contract::check(&mut c, s);
    budget_cap::check(&mut c, s);
    budget_cycle::check(&mut c, s);
    care::check_routes(&mut c, s);
    interventions::check(&mut c, s);
    c.finish()
}
