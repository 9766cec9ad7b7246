//! The library workflow behind the commands: a job simulated into a result
//! folder (manifest last), comparisons with common random numbers, merging
//! shards, sweeps, calibration and backtests, and Slurm scripts for running
//! the same shards on a cluster.

pub mod calibrate;
pub mod compare;
pub mod job;
pub mod merge;
pub mod slurm;
pub mod sweep;

pub use job::{Job, Runner, simulate};
