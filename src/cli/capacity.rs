//! `capacity SCENARIO`: how many places each pool needs for a target
//! probability of immediate admission — Erlang-B for pools whose overflow
//! goes out of region (a loss system; insensitive to the stay
//! distribution), Erlang-C for pools with a waiting list — confirmed by
//! simulating the advised places, with the vacancy cost of each option and
//! the blanket "85 % occupancy" rule beside it.

use super::CapacityArgs;
use crate::calendar::DAYS_PER_YEAR;
use crate::error::Error;
use crate::model::{Model, OverflowRule};
use crate::output::{AtomicFile, safe_cell};
use crate::queueing::{immediate_admission, places_for};
use crate::record::{CellMetric, PoolMetric};
use crate::sim::Simulation;
use rust_decimal::prelude::ToPrimitive;
use std::io::Write;
use std::path::PathBuf;

/// Mean occupied places per pool in the start year, with unlimited places.
fn offered_load(model: &Model, seed: u64, replications: u64) -> Vec<f64> {
    let mut free = model.clone();
    for pool in &mut free.pools {
        pool.capacity.iter_mut().for_each(|c| *c = u32::MAX / 2);
    }
    let mut sim = Simulation::new(&free);
    let mut load = vec![0.0; free.pools.len()];
    for r in 0..replications {
        let e = &sim.run(seed, r).exposure;
        for (p, l) in load.iter_mut().enumerate() {
            *l += e.pool(0, p, PoolMetric::OccupiedDays) / DAYS_PER_YEAR / replications as f64;
        }
    }
    load
}

/// Share of starts in each pool that were immediate (not out of region, no wait).
fn simulated_immediate(model: &Model, seed: u64, replications: u64) -> Vec<f64> {
    let mut sim = Simulation::new(model);
    let mut starts = vec![0.0; model.pools.len()];
    let mut delayed = vec![0.0; model.pools.len()];
    for r in 0..replications {
        let e = &sim.run(seed, r).exposure;
        for (p, pool) in model.pools.iter().enumerate() {
            for &(s, _) in &pool.catchment {
                starts[p] += e.cell(0, s, pool.form, CellMetric::Starts);
                delayed[p] += e.cell(0, s, pool.form, CellMetric::OutOfRegionStarts)
                    + e.cell(0, s, pool.form, CellMetric::WaitedStarts);
            }
        }
    }
    starts
        .iter()
        .zip(&delayed)
        .map(|(s, d)| if *s > 0.0 { 1.0 - d / s } else { 1.0 })
        .collect()
}

pub fn capacity(args: CapacityArgs) -> Result<(), Error> {
    let prepared = crate::pipeline::prepare(Some(&args.scenario))?;
    let model = &prepared.model;
    let seed = args.seed.unwrap_or(prepared.default_seed);
    let reps = args.replications;
    let target = args.target;
    let load = offered_load(model, seed, reps);
    let pools: Vec<usize> = (0..model.pools.len())
        .filter(|&p| model.forms[model.pools[p].form].overflow != OverflowRule::AlwaysGrant)
        .collect();
    let waiting = |p: usize| model.forms[model.pools[p].form].overflow == OverflowRule::Wait;
    let advised: Vec<u32> = (0..model.pools.len())
        .map(|p| places_for(target, load[p], waiting(p)))
        .collect();
    let mut confirm = model.clone();
    for (p, pool) in confirm.pools.iter_mut().enumerate() {
        pool.capacity.iter_mut().for_each(|c| *c = advised[p]);
    }
    let simulated = simulated_immediate(&confirm, seed, reps);
    let place_cost = |p: usize| {
        model.prices.place_day[model.pools[p].form][0]
            .to_f64()
            .unwrap_or(0.0)
            * DAYS_PER_YEAR
    };
    // Empty places on average, and what they cost a year.
    let vacancy = |p: usize, c: u32| {
        let carried = if waiting(p) {
            load[p].min(c as f64)
        } else {
            load[p] * immediate_admission(c, load[p], false)
        };
        let empty = (c as f64 - carried).max(0.0);
        (carried / c.max(1) as f64, empty * place_cost(p))
    };

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}-capacity.csv", prepared.name)));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = AtomicFile::create(&out)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "Places for P(immediate admission) ≥ {:.0} % in {} ({} replications for the load and the check)",
        target * 100.0,
        model.start_year,
        reps
    )?;
    writeln!(
        stdout,
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
    {
        let mut w = csv::Writer::from_writer(file.writer());
        w.write_record([
            "care_form",
            "area",
            "model",
            "offered_load",
            "current_places",
            "current_p_immediate",
            "target",
            "advised_places",
            "advised_p_immediate_erlang",
            "advised_p_immediate_simulated",
            "advised_occupancy",
            "advised_vacancy_cost_eur",
            "rule85_places",
            "rule85_p_immediate",
            "rule85_vacancy_cost_eur",
        ])
        .map_err(anyhow::Error::from)?;
        for &p in &pools {
            let pool = &model.pools[p];
            let form = &model.forms[pool.form].name;
            let area = pool
                .area
                .map_or("region".to_string(), |a| model.areas[a].name.clone());
            let a = load[p];
            let kind = if waiting(p) { "wait" } else { "loss" };
            let current = pool.capacity[0];
            let rule85 = (a / 0.85).ceil() as u32;
            let (occupancy, cost) = vacancy(p, advised[p]);
            let (_, cost85) = vacancy(p, rule85);
            let admit = |c: u32| immediate_admission(c, a, waiting(p));
            w.write_record([
                safe_cell(form).into_owned(),
                safe_cell(&area).into_owned(),
                format!("erlang_{}", if waiting(p) { "c" } else { "b" }),
                format!("{a:.3}"),
                current.to_string(),
                format!("{:.4}", admit(current)),
                format!("{target:.4}"),
                advised[p].to_string(),
                format!("{:.4}", admit(advised[p])),
                format!("{:.4}", simulated[p]),
                format!("{occupancy:.4}"),
                format!("{cost:.2}"),
                rule85.to_string(),
                format!("{:.4}", admit(rule85)),
                format!("{cost85:.2}"),
            ])
            .map_err(anyhow::Error::from)?;
            writeln!(
                stdout,
                "{:>14.14} {:>15.15} {:>5} {:>7.1}  {:>5} ({:>4.0}%)  {:>7} {:>5.0}% {:>5.0}% {:>9.0}  {:>4} ({:>4.0}%)",
                form,
                area,
                kind,
                a,
                current,
                admit(current) * 100.0,
                advised[p],
                admit(advised[p]) * 100.0,
                simulated[p] * 100.0,
                cost,
                rule85,
                admit(rule85) * 100.0
            )?;
        }
        w.flush()?;
    }
    file.commit()?;
    writeln!(stdout, "written: {}", out.display())?;
    Ok(())
}
