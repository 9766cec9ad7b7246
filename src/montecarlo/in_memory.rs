//! Replications run in memory, for searches that evaluate a scenario many
//! times (`required`): only the columns the caller asks for are kept, no
//! row file and no result folder per evaluation. Same streams and the same
//! per-replication work as [`super::run_to_file`], so a value here equals
//! the value in `replications.parquet` of a run with the same seed.

use super::evaluate;
use crate::engine::StreamFactory;
use crate::error::{Error, InputError};
use crate::metrics::Layout;
use crate::model::Model;
use crate::sim::Simulation;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Builds replication `r`'s own model (its drawn parameters, with whatever
/// change the caller applies), for a scenario with uncertain parameters.
pub type ReplicationModel<'a> = dyn Fn(u64) -> Result<Model, InputError> + Sync + 'a;

/// Runs the plan's replications and returns, in replication order, the
/// values of `columns` (indices into `layout.keys`) of each. With
/// `per_replication`, each replication runs its own model (uncertain
/// parameters), else all run `model`. A replication over the event budget
/// stops the run as bad input (exit 2), as in a run.
pub fn run_columns(
    model: &Model,
    layout: &Layout,
    plan: &super::Plan,
    columns: &[usize],
    per_replication: Option<&ReplicationModel<'_>>,
) -> Result<Vec<Vec<f64>>, Error> {
    let subject = Subject {
        model,
        layout,
        columns,
        per_replication,
        skip: None,
    };
    let first = plan.replications.start;
    let rows = std::sync::Mutex::new(vec![Vec::new(); plan.replications.clone().count()]);
    let never = AtomicBool::new(false);
    run_each(&[subject], plan, &never, &|replication, mut values| {
        let mut rows = rows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rows[(replication - first) as usize] = values.swap_remove(0).unwrap_or_default();
    })?;
    Ok(rows
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// One scenario run in memory: its model, layout, the columns kept and,
/// with uncertain parameters, the builder of each replication's model.
pub struct Subject<'a> {
    pub model: &'a Model,
    pub layout: &'a Layout,
    pub columns: &'a [usize],
    pub per_replication: Option<&'a ReplicationModel<'a>>,
    /// Replications this subject need not run (already known).
    pub skip: Option<&'a (dyn Fn(u64) -> bool + Sync)>,
}

/// Runs every replication of the plan on each subject in turn (the same
/// streams: common random numbers), taking replication indices in order
/// across the threads, and hands each finished replication to `each`
/// (its index and one value vector per subject, `None` where the subject
/// skips it) as it finishes. Stops
/// taking replications once `cancel` is set; returns whether every
/// replication ran.
pub fn run_each(
    subjects: &[Subject<'_>],
    plan: &super::Plan,
    cancel: &AtomicBool,
    each: &(dyn Fn(u64, Vec<Option<Vec<f64>>>) + Sync),
) -> Result<bool, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(anyhow::Error::from)?;
    let factory = StreamFactory::new(plan.seed);
    let fresh = || {
        let sims: Vec<Simulation<'_>> = subjects.iter().map(|s| Simulation::new(s.model)).collect();
        let values: Vec<Vec<f64>> = subjects
            .iter()
            .map(|s| Vec::with_capacity(s.layout.len()))
            .collect();
        (sims, values)
    };
    pool.install(|| {
        plan.replications.clone().par_bridge().try_for_each_init(
            fresh,
            |(sims, values), replication| {
                if cancel.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let mut kept = Vec::with_capacity(subjects.len());
                for ((subject, sim), values) in
                    subjects.iter().zip(sims.iter_mut()).zip(values.iter_mut())
                {
                    if subject.skip.is_some_and(|skip| skip(replication)) {
                        kept.push(None);
                        continue;
                    }
                    match subject.per_replication {
                        None => evaluate(
                            subject.model,
                            subject.layout,
                            &factory,
                            sim,
                            values,
                            replication,
                        )
                        .map_err(|o| o.to_input_error())?,
                        Some(build) => {
                            own_model(build, subject.layout, &factory, values, replication)?
                        }
                    };
                    kept.push(Some(subject.columns.iter().map(|&c| values[c]).collect()));
                }
                each(replication, kept);
                Ok::<(), Error>(())
            },
        )
    })?;
    Ok(!cancel.load(Ordering::Relaxed))
}

/// One replication on the model `build` makes for it.
fn own_model(
    build: &ReplicationModel<'_>,
    layout: &Layout,
    factory: &StreamFactory,
    values: &mut Vec<f64>,
    replication: u64,
) -> Result<u64, InputError> {
    let model = build(replication)?;
    let layout = super::drawn::reweighed(layout, &model, replication)?;
    let mut sim = Simulation::new(&model);
    evaluate(&model, &layout, factory, &mut sim, values, replication)
        .map_err(|o| o.to_input_error())
}
