//! jeugdstroom: a parallel Monte Carlo discrete-event simulation of Dutch
//! youth-care client flows, priced against the lumpsum contracts that fund
//! them.
//!
//! Data flows one way: `scenario` (parse, validate) → `model` (compiled) →
//! `sim` (one replication, driven by the domain-free `engine`) → `record`
//! (exposure and parameter draws) → `finance` (prices) → `aggregate` (one
//! row per replication) → `montecarlo` (parallel runs, shards) → `output`
//! (result files). `pipeline` runs the first steps for a scenario file;
//! `calendar` holds the time constants every layer shares.

pub mod aggregate;
pub mod calendar;
pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod error;
pub mod finance;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod pipeline;
pub mod queueing;
pub mod record;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod sweep;
