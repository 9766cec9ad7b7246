//! Time constants shared by every layer (the simulation clock counts days
//! from 1 January of the start year; a year is 365 days, no leap days).

/// Days in a simulated year.
pub const DAYS_PER_YEAR: f64 = 365.0;
