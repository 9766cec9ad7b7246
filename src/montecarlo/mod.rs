//! Runs replications in parallel (one replication per task, rayon across
//! replications) and streams their rows to `replications.bin` in replication
//! order, so the file — and everything computed from it — is identical for
//! any thread count.
//!
//! Workers take replication indices in order (`par_bridge` over the index
//! range), so finished rows arrive nearly in order; a writer thread puts them
//! in exact order with a reorder buffer of a few rows and writes them while
//! the workers go on. No worker ever waits for the disk or for a batch.

pub mod binfile;
mod in_memory;
mod shard;

pub use in_memory::run_columns;
pub use shard::Shard;

use crate::engine::StreamFactory;
use crate::error::Error;
use crate::finance;
use crate::metrics::Layout;
use crate::model::Model;
use crate::sim::{Overrun, Simulation};
use anyhow::anyhow;
use binfile::BinWriter;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// What to run: the master seed and which replications.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seed: u64,
    pub replications: Range<u64>,
    pub threads: usize,
}

/// One finished replication.
struct Row {
    replication: u64,
    values: Vec<f64>,
    events: u64,
}

/// Runs the plan, writing rows to `path`; returns the events processed.
/// `progress` is called with the number of replications finished so far.
/// A replication that exceeds the model's event budget stops the run: the
/// workers skip the replications not yet started, and its `Overrun` comes
/// back as bad input (exit 2).
pub fn run_to_file(
    model: &Model,
    layout: &Layout,
    plan: &Plan,
    path: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(anyhow::Error::from)?;
    let factory = StreamFactory::new(plan.seed);
    let mut writer = BinWriter::create(path, &layout.keys)?;
    // Bounded: workers pause when the writer falls behind, so memory stays flat.
    let (sender, receiver) = mpsc::sync_channel::<Result<Row, Overrun>>(4 * plan.threads);
    let stop = AtomicBool::new(false);
    let range = plan.replications.clone();
    std::thread::scope(|scope| -> Result<u64, Error> {
        let workers = scope.spawn(|| {
            pool.install(|| {
                range.clone().par_bridge().for_each_init(
                    || (Simulation::new(model), Vec::with_capacity(layout.len())),
                    |(sim, values), replication| {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let row = replicate(model, layout, &factory, sim, values, replication);
                        // The receiver only hangs up after an error; stop quietly then.
                        let _ = sender.send(row);
                    },
                )
            });
            drop(sender);
        });
        let written = write_in_order(&receiver, &mut writer, range.start, progress);
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
        workers
            .join()
            .map_err(|_| anyhow!("a simulation worker panicked"))?;
        let (next, events) = written?;
        if next != range.end {
            return Err(anyhow!("replications {next}..{} did not finish", range.end).into());
        }
        writer.finish()?;
        Ok(events)
    })
}

/// One replication simulated, priced and evaluated into a row.
fn replicate(
    model: &Model,
    layout: &Layout,
    factory: &StreamFactory,
    sim: &mut Simulation<'_>,
    values: &mut Vec<f64>,
    replication: u64,
) -> Result<Row, Overrun> {
    let record = sim.run_with(factory, replication)?;
    let exposure = &record.exposure;
    let ledger = finance::settle(model, exposure, &record.draws);
    layout.evaluate(model, exposure, &ledger, values);
    Ok(Row {
        replication,
        values: values.clone(),
        events: exposure.events,
    })
}

/// Writes the rows in replication order from `first` on; returns the next
/// replication not written and the events of those written. Stops at the
/// first overrun or write error.
fn write_in_order(
    receiver: &mpsc::Receiver<Result<Row, Overrun>>,
    writer: &mut BinWriter,
    first: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(u64, u64), Error> {
    let mut pending: BTreeMap<u64, Row> = BTreeMap::new();
    let (mut next, mut events) = (first, 0u64);
    for row in receiver.iter() {
        let row = row.map_err(|overrun| Error::from(overrun.to_input_error()))?;
        pending.insert(row.replication, row);
        while let Some(row) = pending.remove(&next) {
            writer.write(row.replication, &row.values)?;
            events += row.events;
            next += 1;
            progress(next - first);
        }
    }
    Ok((next, events))
}
