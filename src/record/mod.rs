//! The record of one replication: what happened (`Exposure`: counts and
//! time integrals) and, beside it, what was drawn before it ran (`Draws`).
//! `sim` writes it, `finance` and the per-replication rows read it.

mod draws;
mod exposure;

pub use draws::Draws;
pub use exposure::{CellMetric, Exposure, PoolMetric, WAIT_BIN_DAYS, WAIT_BINS, wait_bin};

/// Everything one replication leaves behind.
#[derive(Clone, Debug)]
pub struct Record {
    pub exposure: Exposure,
    pub draws: Draws,
}
