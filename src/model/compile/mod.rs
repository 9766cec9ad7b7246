//! Scenario → Model: resolve names to typed indices, evaluate profiles per
//! year, build distributions and parse the CSV inputs read at load time.
//! One file per concept; `values` holds the leaf conversions they share.

mod budget_cycle;
mod cap;
mod contract;
mod csv_input;
mod forms;
mod interventions;
mod loops;
mod pools;
mod prices;
mod staff;
mod streams;
mod values;

use super::{
    Form, FormId, InitialClient, Model, Money, Pool, PoolId, Prices, RelapseRule, Segment,
    SegmentId,
};
use crate::calendar::DAYS_PER_YEAR;
use crate::error::{InputError, InputErrors};
use crate::limits::MAX_CELLS;
use crate::scenario::Loaded;
use csv_input::{CaseloadNames, read_caseload};
use std::path::Path;
use values::duration;

/// Compiles a validated scenario.
pub fn compile(loaded: &Loaded) -> Result<Model, InputErrors> {
    let mut model = compile_inner(loaded).map_err(|e| InputErrors(vec![e]))?;
    loops::check(loaded, &model)?;
    model.event_budget = super::budget::event_budget(&model);
    Ok(model)
}

/// Names of the scenario's tables in index order, for resolving references.
pub struct Names {
    pub municipalities: Vec<String>,
    pub areas: Vec<String>,
    pub forms: Vec<String>,
}

impl Names {
    /// Index of a (validated) care form name.
    pub fn form(&self, name: &str) -> usize {
        self.forms
            .iter()
            .position(|n| n == name)
            .expect("validated")
    }

    pub fn form_id(&self, name: &str) -> FormId {
        FormId::of(self.form(name))
    }

    pub fn municipality(&self, name: &str) -> usize {
        let found = self.municipalities.iter().position(|n| n == name);
        found.expect("validated")
    }
}

/// Refuses a table too long for its typed index (no scenario comes near).
fn fits(
    loaded: &Loaded,
    table: &str,
    count: usize,
    capacity: usize,
    what: &str,
) -> Result<(), InputError> {
    if count <= capacity {
        return Ok(());
    }
    Err(loaded
        .sources
        .error(
            &[table],
            format!("the scenario has {count} {what}; at most {capacity} are supported"),
        )
        .fix("split the scenario into smaller regions"))
}

/// The clients present at the start (from the caseload CSV, if any).
fn initial_caseload(
    loaded: &Loaded,
    names: &Names,
    segments: &[Segment],
) -> Result<Vec<InitialClient>, InputError> {
    let Some(file) = &loaded.scenario.initial_state.caseload else {
        return Ok(Vec::new());
    };
    let segment = |m: usize, a: usize| {
        segments
            .iter()
            .position(|s| s.municipality == m && s.area == a)
    };
    let s = &loaded.scenario;
    let youngest: Vec<f64> = (s.care_forms.values())
        .map(|f| f.age.iter().map(|b| b.from).fold(f64::INFINITY, f64::min))
        .collect();
    let caseload_names = CaseloadNames {
        municipalities: &names.municipalities,
        areas: &names.areas,
        forms: &names.forms,
        segment: &segment,
        youngest: &youngest,
        hard_exit_age: s.ageing.hard_exit_age,
    };
    read_caseload(&loaded.files, Path::new(file), &caseload_names)
        .map_err(|e| values::at_field(loaded, &["initial_state", "caseload"], e))
}

fn relapse(loaded: &Loaded) -> Result<Option<RelapseRule>, InputError> {
    let Some(r) = &loaded.scenario.relapse else {
        return Ok(None);
    };
    Ok(Some(RelapseRule {
        probability: r.probability,
        delay: duration(&r.delay, loaded, &["relapse", "delay"])?,
    }))
}

/// Prices, the contract side, and the places of staff pools (which follow
/// from the money in budget-capped mode).
fn money_side(
    loaded: &Loaded,
    segments: &[Segment],
    forms: &[Form],
    pools: &mut [Pool],
) -> Result<(Prices, Money), InputError> {
    let s = &loaded.scenario;
    let mut prices = prices::compile_prices(s, segments);
    let lag_delay = match &s.declaration_lag {
        Some(lag) => Some(duration(&lag.delay, loaded, &["declaration_lag", "delay"])?),
        None => None,
    };
    let cycles = budget_cycle::cycles(s, forms, lag_delay.as_ref());
    let mut money = contract::compile_money(s, forms, &prices, lag_delay);
    money.cycles = cycles;
    staff::apply_staff(s, pools, &mut prices, &money);
    Ok((prices, money))
}

/// The model's shape: names, segments, care forms and capacity pools, each
/// checked to fit its typed index.
struct Shape {
    names: Names,
    segments: Vec<Segment>,
    forms: Vec<Form>,
    catchments: pools::Catchments,
    pools: Vec<Pool>,
    pool_of: Vec<PoolId>,
}

fn shape(loaded: &Loaded) -> Result<Shape, InputError> {
    let s = &loaded.scenario;
    let names = Names {
        municipalities: s.municipalities.keys().cloned().collect(),
        areas: s.areas.keys().cloned().collect(),
        forms: s.care_forms.keys().cloned().collect(),
    };
    fits(
        loaded,
        "care_forms",
        names.forms.len(),
        FormId::CAPACITY,
        FormId::WHAT,
    )?;
    let segments = forms::segments(s, &names);
    fits(
        loaded,
        "areas",
        segments.len(),
        SegmentId::CAPACITY,
        SegmentId::WHAT,
    )?;
    let cells = segments.len() * names.forms.len() * s.horizon.years as usize;
    let what = "cells of (municipality, area) × care form × year";
    fits(loaded, "areas", cells, MAX_CELLS, what)?;
    let forms = forms::forms(loaded, &names)?;
    let catchments = pools::Catchments::of(&segments, names.areas.len());
    let (pools, pool_of) = pools::pools(s, &catchments);
    fits(
        loaded,
        "care_forms",
        pools.len(),
        PoolId::CAPACITY,
        PoolId::WHAT,
    )?;
    Ok(Shape {
        names,
        segments,
        forms,
        catchments,
        pools,
        pool_of,
    })
}

fn compile_inner(loaded: &Loaded) -> Result<Model, InputError> {
    let s = &loaded.scenario;
    let years = s.horizon.years as usize;
    let Shape {
        names,
        segments,
        forms,
        catchments,
        mut pools,
        pool_of,
    } = shape(loaded)?;
    let streams = streams::streams(s, &names, &segments);
    streams::check_volume(&loaded.sources, &streams, years)?;
    let relapse = relapse(loaded)?;
    let initial = initial_caseload(loaded, &names, &segments)?;
    let closed_places = pools::closed_places(&pools, years);
    let (interventions, capacity_losses) =
        interventions::interventions(s, &names, &pool_of, &mut pools);
    let (prices, money) = money_side(loaded, &segments, &forms, &mut pools)?;
    let cap_inputs = cap::CapInputs {
        forms: &forms,
        segments: &segments,
        streams: &streams,
        relapse: relapse.as_ref(),
        losses: &capacity_losses,
        n_areas: names.areas.len(),
        years,
    };
    cap::apply_caps(loaded, &cap_inputs, &mut pools, &prices, &money)?;
    Ok(Model {
        name: s.name.clone(),
        start_year: s.horizon.start_year,
        years,
        warmup_years: s.initial_state.warmup_years as usize,
        municipalities: forms::named(&s.municipalities, |m| &m.label),
        areas: forms::named(&s.areas, |a| &a.label),
        segments,
        forms,
        pools,
        pool_of,
        area_catchment: catchments.areas,
        region_catchment: catchments.region,
        streams,
        exit_age_days: s.ageing.exit_age * DAYS_PER_YEAR,
        hard_exit_age_days: s.ageing.hard_exit_age * DAYS_PER_YEAR,
        relapse,
        initial,
        interventions,
        capacity_losses,
        closed_places,
        prices,
        money,
        event_budget: 0,
    })
}
