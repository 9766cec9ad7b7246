//! Runs replications in parallel (one replication per task, rayon across
//! replications) and streams their rows to `replications.parquet` in replication
//! order, so the file — and everything computed from it — is identical for
//! any thread count.
//!
//! Workers take replication indices in order (`par_bridge` over the index
//! range), so finished rows arrive nearly in order; a writer thread puts them
//! in exact order with a reorder buffer of a few rows and writes them while
//! the workers go on. No worker ever waits for the disk or for a batch.

mod drawn;
mod in_memory;
pub mod rowfile;
mod shard;
pub mod timings;

pub use drawn::{Drawn, ModelBuilder, PARAMETERS_FILE, TWIN_FILE, twin_columns};
pub use in_memory::{ReplicationModel, Subject, run_columns, run_each};
pub use shard::Shard;

use crate::engine::StreamFactory;
use crate::error::{Error, InputError};
use crate::finance;
use crate::metrics::Layout;
use crate::model::Model;

use crate::sim::{Overrun, Simulation};
use anyhow::anyhow;
use drawn::DrawnWriters;
use rayon::prelude::*;
use rowfile::RowWriter;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

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
    /// With uncertain parameters: the drawn values and the kept columns of
    /// the parameters-at-their-mean twin.
    drawn: Option<(Vec<f64>, Vec<f64>)>,
}

/// Takes every finished row in replication order, on the writer thread,
/// while the workers simulate the next replications: whatever is computed
/// here from the rows (the result tables' running sums, the summary's
/// column blocks) is done by the time the last replication finishes,
/// instead of in passes over the row file afterwards.
pub trait RowSink: Send {
    /// One row: its values (the layout's columns) and, with uncertain
    /// parameters, the twin's kept columns.
    fn row(&mut self, replication: u64, values: &[f64], twin: Option<&[f64]>)
    -> anyhow::Result<()>;
}

/// A sink that keeps nothing.
struct Discard;

impl RowSink for Discard {
    fn row(&mut self, _: u64, _: &[f64], _: Option<&[f64]>) -> anyhow::Result<()> {
        Ok(())
    }
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
    run_to_files(model, layout, plan, path, None, progress)
}

/// [`run_to_file`], with each replication's model drawn when `drawn` is
/// given (its parameter values and twin columns go to `drawn`'s files).
pub fn run_to_files(
    model: &Model,
    layout: &Layout,
    plan: &Plan,
    path: &Path,
    drawn: Option<&Drawn<'_>>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, Error> {
    run_to_sinks(model, layout, plan, path, drawn, &mut Discard, progress)
}

/// [`run_to_files`], handing every row to `sink` too, in replication order.
pub fn run_to_sinks(
    model: &Model,
    layout: &Layout,
    plan: &Plan,
    path: &Path,
    drawn: Option<&Drawn<'_>>,
    sink: &mut dyn RowSink,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()
        .map_err(anyhow::Error::from)?;
    let factory = StreamFactory::new(plan.seed);
    let dir = path.parent().unwrap_or(Path::new("."));
    // Bounded: workers pause when the writer falls behind, so memory stays flat.
    let (sender, receiver) = mpsc::sync_channel::<Result<Row, InputError>>(4 * plan.threads);
    let (stop, busy) = (AtomicBool::new(false), AtomicU64::new(0));
    let work = Work {
        model,
        layout,
        factory: &factory,
        drawn,
        stop: &stop,
        busy: &busy,
    };
    let range = plan.replications.clone();
    let mut writer_busy = Duration::ZERO;
    let ran = std::thread::scope(|scope| -> Result<u64, Error> {
        let workers = scope.spawn(|| pool.install(|| work.run(range.clone(), sender)));
        // The row files are opened here, while the first replications run.
        let written = timings::phase(dir, "rows open", || Files::open(path, layout, drawn))
            .and_then(|mut files| {
                let to = Writers {
                    files: &mut files,
                    sink,
                    busy: &mut writer_busy,
                };
                Ok((write_in_order(&receiver, to, range.start, progress)?, files))
            });
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
        workers
            .join()
            .map_err(|_| anyhow!("a simulation worker panicked"))?;
        let ((next, events), files) = written?;
        if next != range.end {
            return Err(anyhow!("replications {next}..{} did not finish", range.end).into());
        }
        timings::phase(dir, "rows sync", || files.finish())?;
        Ok(events)
    });
    timings::report(dir, "replication work", busy.into_inner() as f64 * 1e-9);
    timings::report(dir, "writer work", writer_busy.as_secs_f64());
    ran
}

/// What the workers share.
struct Work<'a, 'd> {
    model: &'a Model,
    layout: &'a Layout,
    factory: &'a StreamFactory,
    drawn: Option<&'a Drawn<'d>>,
    /// Set when the writer stops (an overrun or a write error).
    stop: &'a AtomicBool,
    /// Time inside replication work, summed over the workers (timings only).
    busy: &'a AtomicU64,
}

impl Work<'_, '_> {
    /// Runs the replications of `range` on the current pool, sending each
    /// row; skips those not yet started once told to stop.
    fn run(&self, range: Range<u64>, sender: mpsc::SyncSender<Result<Row, InputError>>) {
        let timed = timings::enabled();
        range.par_bridge().for_each_init(
            || {
                (
                    Simulation::new(self.model),
                    Vec::with_capacity(self.layout.len()),
                )
            },
            |(sim, values), replication| {
                if self.stop.load(Ordering::Relaxed) {
                    return;
                }
                let at = Replication {
                    model: self.model,
                    layout: self.layout,
                    factory: self.factory,
                    replication,
                };
                let started = timed.then(Instant::now);
                let row = run_one(self.drawn, &at, sim, values);
                if let Some(t) = started {
                    let nanos = t.elapsed().as_nanos() as u64;
                    self.busy.fetch_add(nanos, Ordering::Relaxed);
                }
                // The receiver only hangs up after an error; stop quietly then.
                let _ = sender.send(row);
            },
        );
    }
}

/// The open row files of a run.
struct Files {
    bin: RowWriter,
    extra: Option<DrawnWriters>,
}

impl Files {
    fn open(path: &Path, layout: &Layout, drawn: Option<&Drawn<'_>>) -> Result<Files, Error> {
        Ok(Files {
            bin: RowWriter::create(path, &layout.keys)?,
            extra: drawn.map(|d| d.writers(layout)).transpose()?,
        })
    }

    fn finish(self) -> Result<(), Error> {
        self.bin.finish()?;
        if let Some(extra) = self.extra {
            extra.finish()?;
        }
        Ok(())
    }
}

/// What one replication runs on.
struct Replication<'a> {
    model: &'a Model,
    layout: &'a Layout,
    factory: &'a StreamFactory,
    replication: u64,
}

/// One replication on the shared model, or on its drawn one.
fn run_one(
    drawn: Option<&Drawn<'_>>,
    at: &Replication<'_>,
    sim: &mut Simulation<'_>,
    values: &mut Vec<f64>,
) -> Result<Row, InputError> {
    match drawn {
        None => replicate(at, sim, values).map_err(|o| o.to_input_error()),
        Some(d) => d.replicate(at, sim, values),
    }
}

/// One replication simulated, priced and evaluated into a row.
fn replicate(
    at: &Replication<'_>,
    sim: &mut Simulation<'_>,
    values: &mut Vec<f64>,
) -> Result<Row, Overrun> {
    let events = evaluate(at.model, at.layout, at.factory, sim, values, at.replication)?;
    Ok(Row {
        replication: at.replication,
        values: values.clone(),
        events,
        drawn: None,
    })
}

/// Simulates, prices and evaluates one replication into `values`; returns
/// its events.
fn evaluate(
    model: &Model,
    layout: &Layout,
    factory: &StreamFactory,
    sim: &mut Simulation<'_>,
    values: &mut Vec<f64>,
    replication: u64,
) -> Result<u64, Overrun> {
    let record = sim.run_with(factory, replication)?;
    let exposure = &record.exposure;
    let ledger = finance::settle(model, exposure, &record.draws);
    layout.evaluate(model, exposure, &ledger, values);
    Ok(exposure.events)
}

/// Where the rows go, in replication order.
struct Writers<'a> {
    files: &'a mut Files,
    sink: &'a mut dyn RowSink,
    /// Time spent writing rows (timings only).
    busy: &'a mut Duration,
}

/// Writes the rows in replication order from `first` on; returns the next
/// replication not written and the events of those written. Stops at the
/// first overrun or write error.
fn write_in_order(
    receiver: &mpsc::Receiver<Result<Row, InputError>>,
    to: Writers<'_>,
    first: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(u64, u64), Error> {
    let mut pending: BTreeMap<u64, Row> = BTreeMap::new();
    let (mut next, mut events) = (first, 0u64);
    for row in receiver.iter() {
        let row = row?;
        pending.insert(row.replication, row);
        while let Some(row) = pending.remove(&next) {
            let started = timings::enabled().then(Instant::now);
            to.files.bin.write(row.replication, &row.values)?;
            if let (Some(w), Some((draws, twin))) = (to.files.extra.as_mut(), &row.drawn) {
                w.write(row.replication, draws, twin)?;
            }
            let twin = row.drawn.as_ref().map(|(_, twin)| twin.as_slice());
            to.sink.row(row.replication, &row.values, twin)?;
            events += row.events;
            next += 1;
            progress(next - first);
            *to.busy += started.map_or(Duration::ZERO, |t| t.elapsed());
        }
    }
    Ok((next, events))
}
