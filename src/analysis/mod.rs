//! Analyses over a scenario that are not a Monte Carlo run of it: capacity
//! sizing by queueing theory, confirmed by simulation.

pub mod capacity;
pub mod queueing;
pub mod root_finding;
