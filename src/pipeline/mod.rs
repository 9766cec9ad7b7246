//! The library workflow behind the commands: a scenario file prepared into a
//! compiled model (and its demand-led twin), a job simulated into a result
//! folder (manifest last), comparisons with common random numbers, merging
//! shards, sweeps, calibration and backtests, and Slurm scripts for running
//! the same shards on a cluster.

pub mod calibrate;
pub mod compare;
pub mod import;
pub mod job;
pub mod merge;
mod prepare;
pub mod required;
pub mod required_folder;
pub mod slurm;
pub mod sweep;
pub mod uncertain;

pub use job::{Job, Runner, simulate};
pub use prepare::{Prepared, prepare, prepare_loaded};
