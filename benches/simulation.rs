//! Throughput of the simulation, against the floor of a bare event loop.
//!
//! * `events_per_second/default_model_events`: one replication of the
//!   embedded default scenario, reported as events/s.
//! * `events_per_second/floor_binary_heap` and `.../floor_engine_queue`: a
//!   "hold model" event loop (`floor`) that processes the same number of
//!   events with a pending-event list of the same size as the default
//!   model's, on `std::collections::BinaryHeap` and on the crate's own
//!   `engine::EventQueue`: the cost of the future event list (plus one
//!   exponential draw per event) alone, with no model logic.
//! * `events_per_second/mm10` and `.../floor_mm10_*` (both floors): the
//!   same for `benches/mm10.toml`, the M/M/10 queue that
//!   `scripts/bench-peers.sh` also runs in SimPy and Ciw (a small model: the
//!   per-event overhead of the engine, not the event list, sets its speed).
//! * `events_per_second/national` and `.../floor_national_*`: the same for
//!   `scenarios/nederland.toml` (~5 M events and ~190,000 pending events a
//!   replication, seconds per iteration). Only run when a filter names
//!   them: `cargo bench --bench simulation -- national`.
//! * `replications_per_second/threads_N`: a batch of replications through
//!   `montecarlo::run_to_file` (simulate, price, aggregate, write) on N
//!   threads, reported as replications/s.
//!
//! Run with `cargo bench --bench simulation` (everything but the national
//! cases) or with a filter, e.g. `-- mm10`.

mod floor;

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
    criterion_main,
};
use floor::{Initial, hold_binary_heap, hold_engine_queue};
use jeugdstroom::metrics::Layout;
use jeugdstroom::model::Model;
use jeugdstroom::montecarlo::{Plan, run_to_file};
use jeugdstroom::record::CellMetric;
use jeugdstroom::sim::Simulation;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

/// Master seed of every model case (`scripts/bench-peers.sh` runs the tool
/// with it to count the clients of the replications benchmarked here).
const SEED: u64 = 20_280_101;
/// Replication indices cycled by `default_model_events`.
const CYCLE: u64 = 8;
/// Replication indices cycled by `mm10` (a replication takes milliseconds,
/// so many of them average out the replication-to-replication spread).
const MM10_CYCLE: u64 = 64;
/// Replications per iteration of `replications_per_second`.
const BATCH: u64 = 16;
/// The filter word that turns the national cases on.
const NATIONAL: &str = "national";

/// A model measured once: the work of the replications benchmarked.
struct Reference {
    model: Model,
    /// Replications `0..replications` are cycled by the benchmark.
    replications: u64,
    /// Mean events of a replication over those replications.
    events: u64,
    /// Typical pending-event list size (see `live_pending`).
    pending: usize,
}

impl Reference {
    /// Runs replications `0..replications` of `model` once.
    fn measure(name: &str, model: Model, replications: u64) -> Self {
        let mut sim = Simulation::new(&model);
        let mut events = 0;
        let mut pending = 0;
        for r in 0..replications {
            let exposure = &sim.run(SEED, r).expect("within the event budget").exposure;
            events += exposure.events;
            pending += live_pending(&model, exposure);
        }
        let events = events / replications;
        let pending = pending / replications as usize;
        eprintln!(
            "reference: {name}, {events} events per replication (mean of {replications}), \
             ~{pending} pending events ({} arrival streams, {} initial clients)",
            model.streams.len(),
            model.initial.len()
        );
        drop(sim);
        Reference {
            model,
            replications,
            events,
            pending,
        }
    }
}

/// Loads and compiles a scenario file of the repository.
fn scenario(relative: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    jeugdstroom::pipeline::prepare(Some(&path))
        .unwrap_or_else(|e| panic!("{relative} compiles: {e:?}"))
        .model
}

/// The embedded default scenario, measured once (shared by both groups).
fn default_reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let model = jeugdstroom::pipeline::prepare(None)
            .expect("the embedded default scenario compiles")
            .model;
        Reference::measure("default model", model, CYCLE)
    })
}

/// Pending events of a model, estimated from its exposure since the
/// simulation's queue is private: each client in care or waiting at a year
/// end holds (at least) one scheduled event (episode end or age check; a
/// waiting client may also hold a renege), each arrival stream one, plus the
/// year-end event; averaged over the horizon years. It is a lower bound:
/// stale events of clients who moved on stay in the heap until popped, and
/// clients waiting for a relapse are not counted.
fn live_pending(model: &Model, exposure: &jeugdstroom::record::Exposure) -> usize {
    let mut clients = 0.0;
    for y in 0..exposure.years {
        for s in 0..exposure.segments {
            for f in 0..exposure.forms {
                clients += exposure.cell(y, s, f, CellMetric::ActiveEnd)
                    + exposure.cell(y, s, f, CellMetric::WaitingEnd);
            }
        }
    }
    (clients / exposure.years as f64).round() as usize + model.streams.len() + 1
}

/// One replication of the reference's model per iteration, cycling through
/// its replications so that `reference.events` is the mean per iteration.
fn bench_model(group: &mut BenchmarkGroup<WallTime>, id: &str, reference: &Reference) {
    let mut sim = Simulation::new(&reference.model);
    let mut replication = 0;
    group.throughput(Throughput::Elements(reference.events));
    group.bench_function(id, |b| {
        b.iter(|| {
            let events = sim
                .run(SEED, replication)
                .expect("within the event budget")
                .exposure
                .events;
            replication = (replication + 1) % reference.replications;
            black_box(events)
        })
    });
}

/// The `BinaryHeap` floor and the crate's event list at the reference's
/// events and pending count.
fn bench_floors(group: &mut BenchmarkGroup<WallTime>, name: &str, reference: &Reference) {
    let events = reference.events;
    let initial = Initial::new(reference.pending, SEED);
    group.throughput(Throughput::Elements(events));
    group.bench_function(format!("floor{name}_binary_heap"), |b| {
        b.iter_batched(
            || (initial.heap(), ChaCha8Rng::seed_from_u64(SEED + 1)),
            |(heap, rng)| hold_binary_heap(heap, rng, events),
            BatchSize::LargeInput,
        )
    });
    group.bench_function(format!("floor{name}_engine_queue"), |b| {
        b.iter_batched(
            || (initial.queue(), ChaCha8Rng::seed_from_u64(SEED + 1)),
            |(queue, rng)| hold_engine_queue(queue, rng, events),
            BatchSize::LargeInput,
        )
    });
}

/// A group named `name` with flat sampling (iterations of milliseconds to
/// seconds: criterion's linear sampling would need far more of them).
fn flat_group<'c>(
    c: &'c mut Criterion,
    name: &str,
    samples: usize,
    warm_up: Duration,
    measurement: Duration,
) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(samples)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(warm_up)
        .measurement_time(measurement);
    group
}

/// The default model and its two floors, in one group so that criterion
/// reports their events/s side by side.
fn events_per_second(c: &mut Criterion) {
    let reference = default_reference();
    let second = Duration::from_secs(1);
    let mut group = flat_group(c, "events_per_second", 10, second, 4 * second);
    bench_model(&mut group, "default_model_events", reference);
    bench_floors(&mut group, "", reference);
    group.finish();
}

/// The M/M/10 reference queue and its floor (same group as the default).
fn mm10(c: &mut Criterion) {
    let reference = Reference::measure("mm10", scenario("benches/mm10.toml"), MM10_CYCLE);
    let second = Duration::from_secs(1);
    let mut group = flat_group(c, "events_per_second", 20, second, 4 * second);
    bench_model(&mut group, "mm10", &reference);
    bench_floors(&mut group, "_mm10", &reference);
    group.finish();
}

/// True when a filter on the command line names the national cases.
fn national_requested() -> bool {
    std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && a.contains(NATIONAL))
}

/// The national scenario (replication 0 every iteration) and its floor.
/// Seconds per iteration: criterion's minimum of 10 samples, one iteration
/// each, and only when asked for.
fn national(c: &mut Criterion) {
    if !national_requested() {
        return;
    }
    let reference = Reference::measure("national", scenario("scenarios/nederland.toml"), 1);
    let (warm_up, measurement) = (Duration::from_millis(1), Duration::from_secs(10));
    let mut group = flat_group(c, "events_per_second", 10, warm_up, measurement);
    bench_model(&mut group, NATIONAL, &reference);
    bench_floors(&mut group, "_national", &reference);
    group.finish();
}

fn replications_per_second(c: &mut Criterion) {
    let reference = default_reference();
    let model = &reference.model;
    let layout = Layout::new(model);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("replications.parquet");

    let second = Duration::from_secs(1);
    let mut group = flat_group(c, "replications_per_second", 10, second, 10 * second);
    group.throughput(Throughput::Elements(BATCH));
    for threads in [1usize, 2] {
        let plan = Plan {
            seed: SEED,
            replications: 0..BATCH,
            threads,
        };
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("threads_{threads}")),
            &plan,
            |b, plan| {
                b.iter(|| {
                    run_to_file(model, &layout, plan, &path, &|_| {}).expect("replications run")
                })
            },
        );
    }
    group.finish();
}

criterion_group!(
    benches,
    events_per_second,
    mm10,
    national,
    replications_per_second
);
criterion_main!(benches);
