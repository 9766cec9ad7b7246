//! Calibration and backtesting: turn yearly aggregates (CBS Beleidsinformatie
//! Jeugd-like history) into scenario parameters with their uncertainty, and
//! check how well a scenario fitted on the past would have forecast the
//! years after.

pub mod backtest;
pub mod fit;
pub mod history;
pub mod shares;
pub mod span;
pub mod stay;
pub mod trend;
pub mod write;
