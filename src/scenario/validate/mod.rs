//! Checks of meaning that serde cannot do: ranges, sums, references between
//! sections and years inside the horizon. Every problem is collected (not
//! just the first) and located by its field path. One file per concept,
//! all reporting to the `checker` leaf; run in a fixed order.

mod capacity;
mod care;
mod checker;
mod contract;
mod horizon;
mod interventions;
mod regions;

pub use checker::{MAX_DAYS, PRIORITIES};

use super::locate::Sources;
use super::schema::Scenario;
use crate::error::InputErrors;

/// Validates a deserialised scenario; `sources` locates each problem.
pub fn validate(s: &Scenario, sources: &Sources) -> Result<(), InputErrors> {
    let mut c = checker::Checker::new(s, sources);
    horizon::check(&mut c, s);
    regions::check(&mut c, s);
    regions::check_arrivals(&mut c, s);
    care::check(&mut c, s);
    horizon::check_rest(&mut c, s);
    contract::check(&mut c, s);
    care::check_routes(&mut c, s);
    interventions::check(&mut c, s);
    c.finish()
}
