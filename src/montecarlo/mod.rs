//! Runs replications in parallel (one replication per task, rayon across
//! replications) and streams their rows to `replications.bin` in replication
//! order, batch by batch, so the file — and everything computed from it — is
//! identical for any thread count.

pub mod binfile;
mod shard;

pub use shard::Shard;

use crate::aggregate::Layout;
use crate::engine::StreamFactory;
use crate::finance;
use crate::model::Model;
use crate::sim::Simulation;
use anyhow::Result;
use binfile::BinWriter;
use rayon::prelude::*;
use std::ops::Range;
use std::path::Path;

/// What to run: the master seed and which replications.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seed: u64,
    pub replications: Range<u64>,
    pub threads: usize,
}

/// Runs the plan, writing rows to `path`; returns the events processed.
/// `progress` is called with the number of replications finished so far.
pub fn run_to_file(
    model: &Model,
    layout: &Layout,
    plan: &Plan,
    path: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()?;
    let factory = StreamFactory::new(plan.seed);
    let mut writer = BinWriter::create(path, &layout.keys)?;
    let batch = (16 * plan.threads as u64).max(16);
    let mut events = 0u64;
    let mut next = plan.replications.start;
    while next < plan.replications.end {
        let end = (next + batch).min(plan.replications.end);
        let rows: Vec<(u64, Vec<f64>, u64)> = pool.install(|| {
            (next..end)
                .into_par_iter()
                .map_init(
                    || (Simulation::new(model), Vec::with_capacity(layout.len())),
                    |(sim, values), r| {
                        let exposure = sim.run_with(&factory, r);
                        let costs = finance::price(model, exposure);
                        layout.evaluate(model, exposure, &costs, values);
                        (r, values.clone(), exposure.events)
                    },
                )
                .collect()
        });
        for (r, values, n) in &rows {
            writer.write(*r, values)?;
            events += n;
        }
        next = end;
        progress(next - plan.replications.start);
    }
    writer.finish()?;
    Ok(events)
}
