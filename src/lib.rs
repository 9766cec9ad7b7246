//! jeugdstroom: a parallel Monte Carlo discrete-event simulation of Dutch
//! youth-care client flows, priced against the lumpsum contracts that fund
//! them.
//!
//! Data flows one way: `scenario` (parse, validate) → `model` (compiled) →
//! `sim` (one replication, driven by the domain-free `engine`) → `record`
//! (exposure and parameter draws) → `finance` (prices) → `metrics` (one row
//! per replication) → `montecarlo` (parallel runs, shards) → `stats` (across
//! replications) → `output` (result files). `pipeline` drives that flow for
//! each command; `analysis` holds capacity sizing; `calendar` the time
//! constants every layer shares; `cli` only parses arguments and dispatches.

pub mod analysis;
pub mod calendar;
pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod error;
pub mod finance;
pub mod import;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod pipeline;
pub mod record;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod sim;
pub mod stats;
pub mod sweep;
pub mod text;
