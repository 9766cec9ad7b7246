//! Helpers shared by the integration tests: small scenarios with known
//! queueing-theory answers, and running replications through the library.
#![allow(dead_code)]

pub mod cli;

use jeugdstroom::model::Model;
use jeugdstroom::pipeline::{self, Prepared};
use jeugdstroom::record::{CellMetric, Exposure, PoolMetric, Record};
use jeugdstroom::scenario;
use jeugdstroom::sim::Simulation;
use std::path::Path;

/// A one-area, one-municipality scenario with a single care form `bed`.
/// `form_extra` is TOML added to the form's table (capacity, overflow, …).
pub fn single_form(
    arrivals_per_year: f64,
    duration: &str,
    form_extra: &str,
    years: u32,
    warmup: u32,
) -> String {
    format!(
        r#"
name = "single-form"
[horizon]
start_year = 2028
years = {years}
[initial_state]
warmup_years = {warmup}
[municipalities.town]
[areas.centre]
youth = {{ town = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = {arrivals_per_year}
entry = {{ bed = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.bed]
kind = "residential"
duration = {duration}
tariff = 100
age = [ {{ from = 0, to = 0.5, weight = 1 }} ]
{form_extra}
[lumpsum]
region = 1_000_000
"#
    )
}

pub fn prepare(text: &str) -> Prepared {
    let loaded =
        scenario::load_str("test.toml", text, Path::new(".")).unwrap_or_else(|e| panic!("{e}"));
    pipeline::prepare_loaded(loaded).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `replications` replications and maps each exposure to a value.
pub fn per_replication<T>(
    model: &Model,
    seed: u64,
    replications: u64,
    mut f: impl FnMut(&Exposure) -> T,
) -> Vec<T> {
    per_record(model, seed, replications, |r| f(&r.exposure))
}

/// Runs `replications` replications and maps each record (exposure and
/// parameter draws) to a value.
pub fn per_record<T>(
    model: &Model,
    seed: u64,
    replications: u64,
    mut f: impl FnMut(&Record) -> T,
) -> Vec<T> {
    let mut sim = Simulation::new(model);
    (0..replications).map(|r| f(sim.run(seed, r))).collect()
}

/// Sum of a cell metric over all segments and forms of a year range.
pub fn total(e: &Exposure, m: CellMetric, years: std::ops::Range<usize>) -> f64 {
    let mut s = 0.0;
    for y in years {
        for seg in 0..e.segments {
            for f in 0..e.forms {
                s += e.cell(y, seg, f, m);
            }
        }
    }
    s
}

pub fn pool_total(e: &Exposure, m: PoolMetric, years: std::ops::Range<usize>) -> f64 {
    years
        .map(|y| (0..e.pools).map(|p| e.pool(y, p, m)).sum::<f64>())
        .sum()
}

pub fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Standard error of the mean of independent replication values.
pub fn std_error(v: &[f64]) -> f64 {
    let m = mean(v);
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    (var / v.len() as f64).sqrt()
}

#[allow(unused_imports)]
pub use jeugdstroom::queueing::{erlang_b, erlang_c};
