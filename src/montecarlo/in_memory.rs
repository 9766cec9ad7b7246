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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(anyhow::Error::from)?;
    let factory = StreamFactory::new(plan.seed);
    let replications: Vec<u64> = plan.replications.clone().collect();
    let rows: Vec<Result<Vec<f64>, Error>> = pool.install(|| {
        replications
            .par_iter()
            .map_init(
                || (Simulation::new(model), Vec::with_capacity(layout.len())),
                |(sim, values), &replication| {
                    match per_replication {
                        None => evaluate(model, layout, &factory, sim, values, replication)
                            .map_err(|o| o.to_input_error())?,
                        Some(build) => own_model(build, layout, &factory, values, replication)?,
                    };
                    Ok(columns.iter().map(|&c| values[c]).collect())
                },
            )
            .collect()
    });
    rows.into_iter().collect()
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
