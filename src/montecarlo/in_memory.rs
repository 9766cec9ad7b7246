//! Replications run in memory, for searches that evaluate a scenario many
//! times (`required`): only the columns the caller asks for are kept, no
//! row file and no result folder per evaluation. Same streams and the same
//! per-replication work as [`super::run_to_file`], so a value here equals
//! the value in `replications.bin` of a run with the same seed.

use super::{Plan, replicate};
use crate::engine::StreamFactory;
use crate::error::Error;
use crate::metrics::Layout;
use crate::model::Model;
use crate::sim::Simulation;
use rayon::prelude::*;

/// Runs the plan's replications and returns, in replication order, the
/// values of `columns` (indices into `layout.keys`) of each. A replication
/// over the event budget stops the run as bad input (exit 2), as in a run.
pub fn run_columns(
    model: &Model,
    layout: &Layout,
    plan: &Plan,
    columns: &[usize],
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
                    let row = replicate(model, layout, &factory, sim, values, replication)
                        .map_err(|overrun| Error::from(overrun.to_input_error()))?;
                    Ok(columns.iter().map(|&c| row.values[c]).collect())
                },
            )
            .collect()
    });
    rows.into_iter().collect()
}
