//! How many places each pool needs for a target probability of immediate
//! admission — Erlang-B for pools whose overflow goes out of region (a loss
//! system; insensitive to the stay distribution), Erlang-C for pools with a
//! waiting list — confirmed by simulating the advised places, with the
//! vacancy cost of each option and the blanket "85 % occupancy" rule beside it.

use super::queueing::{immediate_admission, places_for};
use crate::calendar::DAYS_PER_YEAR;
use crate::metrics::ScopeKind;
use crate::model::{Model, OverflowRule};
use crate::output::export::write_table;
use crate::output::format::{Fixed, Name};
use crate::record::{CellMetric, PoolMetric};
use crate::sim::{Overrun, Simulation};
use crate::text::printable;
use anyhow::Result;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Occupancy the blanket rule of thumb sizes for.
const RULE_OCCUPANCY: f64 = 0.85;

/// The advice for one capacity pool.
#[derive(Clone, Debug)]
pub struct PoolAdvice {
    pub care_form: String,
    /// The pool's area, or `region` for a regional pool.
    pub area: String,
    /// Erlang-C (a waiting list) rather than Erlang-B (out of region).
    pub waiting: bool,
    /// Mean occupied places in the start year with unlimited places (Erlang).
    pub offered_load: f64,
    pub current: Sizing,
    pub advised: Sizing,
    /// Share of starts that were immediate when simulated with the advised places.
    pub advised_simulated: f64,
    pub rule85: Sizing,
}

/// One number of places and what it gives by the formulas.
#[derive(Clone, Copy, Debug)]
pub struct Sizing {
    pub places: u32,
    /// P(immediate admission) by Erlang.
    pub p_immediate: f64,
    /// Mean share of the places occupied.
    pub occupancy: f64,
    /// What the empty places cost a year.
    pub vacancy_cost_eur: f64,
}

/// Capacity advice for every pool that can be full.
#[derive(Clone, Debug)]
pub struct Advice {
    pub target: f64,
    pub start_year: i32,
    pub replications: u64,
    pub pools: Vec<PoolAdvice>,
}

/// Sizes every pool whose care form is not always granted for `target`,
/// and checks the advice by simulating it. A replication past its event
/// budget stops the advice.
pub fn advise(model: &Model, seed: u64, replications: u64, target: f64) -> Result<Advice, Overrun> {
    let load = offered_load(model, seed, replications)?;
    let waiting = |p: usize| model.forms[model.pools[p].form].overflow == OverflowRule::Wait;
    let advised: Vec<u32> = (0..model.pools.len())
        .map(|p| places_for(target, load[p], waiting(p)))
        .collect();
    let mut confirm = model.clone();
    for (p, pool) in confirm.pools.iter_mut().enumerate() {
        pool.capacity.iter_mut().for_each(|c| *c = advised[p]);
    }
    let simulated = simulated_immediate(&confirm, seed, replications)?;
    let pools = (0..model.pools.len())
        .filter(|&p| model.forms[model.pools[p].form].overflow != OverflowRule::AlwaysGrant)
        .map(|p| {
            let pool = &model.pools[p];
            let sizing = |places| size(model, p, load[p], waiting(p), places);
            PoolAdvice {
                care_form: model.forms[pool.form].name.clone(),
                area: pool.area.map_or(ScopeKind::Region.name().to_string(), |a| {
                    model.areas[a].name.clone()
                }),
                waiting: waiting(p),
                offered_load: load[p],
                current: sizing(pool.capacity[0]),
                advised: sizing(advised[p]),
                advised_simulated: simulated[p],
                rule85: sizing((load[p] / RULE_OCCUPANCY).ceil() as u32),
            }
        })
        .collect();
    Ok(Advice {
        target,
        start_year: model.start_year,
        replications,
        pools,
    })
}

/// Admission, occupancy and vacancy cost of pool `p` with `places`.
fn size(model: &Model, p: usize, load: f64, waiting: bool, places: u32) -> Sizing {
    let form = model.pools[p].form;
    let place_cost = model.prices.place_day[form][0].to_f64().unwrap_or(0.0) * DAYS_PER_YEAR;
    let carried = if waiting {
        load.min(places as f64)
    } else {
        load * immediate_admission(places, load, false)
    };
    let empty = (places as f64 - carried).max(0.0);
    Sizing {
        places,
        p_immediate: immediate_admission(places, load, waiting),
        occupancy: carried / places.max(1) as f64,
        vacancy_cost_eur: empty * place_cost,
    }
}

/// Mean occupied places per pool in the start year, with unlimited places.
fn offered_load(model: &Model, seed: u64, replications: u64) -> Result<Vec<f64>, Overrun> {
    let mut free = model.clone();
    for pool in &mut free.pools {
        pool.capacity.iter_mut().for_each(|c| *c = u32::MAX / 2);
    }
    let mut sim = Simulation::new(&free);
    let mut load = vec![0.0; free.pools.len()];
    for r in 0..replications {
        let e = &sim.run(seed, r)?.exposure;
        for (p, l) in load.iter_mut().enumerate() {
            *l += e.pool(0, p, PoolMetric::OccupiedDays) / DAYS_PER_YEAR / replications as f64;
        }
    }
    Ok(load)
}

/// Share of starts in each pool that were immediate (not out of region, no wait).
fn simulated_immediate(model: &Model, seed: u64, replications: u64) -> Result<Vec<f64>, Overrun> {
    let mut sim = Simulation::new(model);
    let mut starts = vec![0.0; model.pools.len()];
    let mut delayed = vec![0.0; model.pools.len()];
    for r in 0..replications {
        let e = &sim.run(seed, r)?.exposure;
        for (p, pool) in model.pools.iter().enumerate() {
            for &(s, _) in &pool.catchment {
                starts[p] += e.cell(0, s, pool.form, CellMetric::Starts);
                delayed[p] += e.cell(0, s, pool.form, CellMetric::OutOfRegionStarts)
                    + e.cell(0, s, pool.form, CellMetric::WaitedStarts);
            }
        }
    }
    Ok(starts
        .iter()
        .zip(&delayed)
        .map(|(s, d)| if *s > 0.0 { 1.0 - d / s } else { 1.0 })
        .collect())
}

/// One row of the capacity advice CSV, one per pool.
#[derive(Serialize, Default)]
struct AdviceRow<'a> {
    care_form: Name<'a>,
    area: Name<'a>,
    model: &'static str,
    offered_load: Fixed<3>,
    current_places: u32,
    current_p_immediate: Fixed<4>,
    target: Fixed<4>,
    advised_places: u32,
    advised_p_immediate_erlang: Fixed<4>,
    advised_p_immediate_simulated: Fixed<4>,
    advised_occupancy: Fixed<4>,
    advised_vacancy_cost_eur: Fixed<2>,
    rule85_places: u32,
    rule85_p_immediate: Fixed<4>,
    rule85_vacancy_cost_eur: Fixed<2>,
}

impl<'a> AdviceRow<'a> {
    fn new(a: &'a PoolAdvice, target: f64) -> Self {
        AdviceRow {
            care_form: Name(&a.care_form),
            area: Name(&a.area),
            model: if a.waiting { "erlang_c" } else { "erlang_b" },
            offered_load: Fixed(a.offered_load),
            current_places: a.current.places,
            current_p_immediate: Fixed(a.current.p_immediate),
            target: Fixed(target),
            advised_places: a.advised.places,
            advised_p_immediate_erlang: Fixed(a.advised.p_immediate),
            advised_p_immediate_simulated: Fixed(a.advised_simulated),
            advised_occupancy: Fixed(a.advised.occupancy),
            advised_vacancy_cost_eur: Fixed(a.advised.vacancy_cost_eur),
            rule85_places: a.rule85.places,
            rule85_p_immediate: Fixed(a.rule85.p_immediate),
            rule85_vacancy_cost_eur: Fixed(a.rule85.vacancy_cost_eur),
        }
    }
}

/// Writes the advice as CSV (creating the folder).
pub fn write_csv(path: &Path, advice: &Advice) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let rows = advice
        .pools
        .iter()
        .map(|a| AdviceRow::new(a, advice.target));
    write_table(path, rows)
}

/// The advice as a terminal table.
pub fn print(out: &mut impl Write, advice: &Advice) -> std::io::Result<()> {
    writeln!(
        out,
        "Places for P(immediate admission) ≥ {:.0} % in {} ({} replications for the load and the check)",
        advice.target * 100.0,
        advice.start_year,
        advice.replications
    )?;
    writeln!(
        out,
        "{:>14} {:>15} {:>5} {:>7}  {:>13}  {:>7} {:>6} {:>6} {:>9}  {:>14}",
        "form",
        "area",
        "type",
        "load",
        "now (admit)",
        "advised",
        "erlang",
        "sim",
        "vacancy €",
        "85 % rule"
    )?;
    for a in &advice.pools {
        writeln!(
            out,
            "{:>14.14} {:>15.15} {:>5} {:>7.1}  {:>5} ({:>4.0}%)  {:>7} {:>5.0}% {:>5.0}% {:>9.0}  {:>4} ({:>4.0}%)",
            printable(&a.care_form),
            printable(&a.area),
            if a.waiting { "wait" } else { "loss" },
            a.offered_load,
            a.current.places,
            a.current.p_immediate * 100.0,
            a.advised.places,
            a.advised.p_immediate * 100.0,
            a.advised_simulated * 100.0,
            a.advised.vacancy_cost_eur,
            a.rule85.places,
            a.rule85.p_immediate * 100.0
        )?;
    }
    Ok(())
}
