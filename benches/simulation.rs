//! Throughput of the simulation, against the floor of a bare event loop.
//!
//! * `events_per_second/default_model_events`: one replication of the
//!   embedded default scenario, reported as events/s.
//! * `events_per_second/floor_binary_heap` and `.../floor_engine_queue`: a
//!   "hold model" event loop that processes the same number of events with a
//!   pending-event list of the same size as the default model's, on
//!   `std::collections::BinaryHeap` and on the crate's own
//!   `engine::EventQueue`: the cost of the future event list (plus one
//!   exponential draw per event) alone, with no model logic.
//! * `replications_per_second/threads_N`: a batch of replications through
//!   `montecarlo::run_to_file` (simulate, price, aggregate, write) on N
//!   threads, reported as replications/s.
//!
//! Run with `cargo bench --bench simulation`.

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use jeugdstroom::engine::EventQueue;
use jeugdstroom::metrics::Layout;
use jeugdstroom::model::Model;
use jeugdstroom::montecarlo::{Plan, run_to_file};
use jeugdstroom::record::CellMetric;
use jeugdstroom::sim::Simulation;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

const SEED: u64 = 20_280_101;
/// Replication indices cycled by `default_model_events`.
const CYCLE: u64 = 8;
/// Replications per iteration of `replications_per_second`.
const BATCH: u64 = 16;
/// Mean delay (days) of the floor loops; the heap's cost does not depend on
/// the scale of an exponential delay, only on the list size.
const MEAN_DELAY_DAYS: f64 = 180.0;

struct Reference {
    model: Model,
    /// Mean events of a replication over the `CYCLE` replications benchmarked.
    events: u64,
    /// Typical pending-event list size of the default model (see `live_pending`).
    pending: usize,
}

/// Loads the default model and measures it once: events per replication and
/// the typical size of its future event list.
fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let model = jeugdstroom::pipeline::prepare(None)
            .expect("the embedded default scenario compiles")
            .model;
        let mut sim = Simulation::new(&model);
        let mut events = 0;
        let mut pending = 0;
        for r in 0..CYCLE {
            let exposure = &sim.run(SEED, r).expect("within the event budget").exposure;
            events += exposure.events;
            pending += live_pending(&model, exposure);
        }
        let events = events / CYCLE;
        let pending = pending / CYCLE as usize;
        eprintln!(
            "reference: default model, {events} events per replication (mean of {CYCLE}), \
             ~{pending} pending events ({} arrival streams, {} initial clients)",
            model.streams.len(),
            model.initial.len()
        );
        Reference {
            model,
            events,
            pending,
        }
    })
}

/// Pending events of the default model, estimated from its exposure since the
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

/// An event the size of the simulation's (`Scheduled<Event>`: time, sequence
/// number and a tagged pair of `u32`).
#[derive(Clone, Copy, Debug)]
struct HeapEvent {
    time: f64,
    seq: u64,
    client: u32,
    generation: u32,
}

impl PartialEq for HeapEvent {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for HeapEvent {}
impl PartialOrd for HeapEvent {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapEvent {
    fn cmp(&self, other: &Self) -> Ordering {
        self.time
            .total_cmp(&other.time)
            .then_with(|| self.seq.cmp(&other.seq))
    }
}

#[derive(Clone, Copy, Debug)]
enum FloorEvent {
    Hold { client: u32, generation: u32 },
}

fn delay(rng: &mut ChaCha8Rng) -> f64 {
    let d: f64 = Exp1.sample(rng);
    d * MEAN_DELAY_DAYS
}

/// Runs `events` hold steps on a binary heap prefilled with `heap`.
fn hold_binary_heap(
    mut heap: BinaryHeap<Reverse<HeapEvent>>,
    mut rng: ChaCha8Rng,
    events: u64,
) -> f64 {
    let first = heap.len() as u64;
    let mut checksum = 0u64;
    let mut now = 0.0;
    for seq in first..first + events {
        let Reverse(e) = heap.pop().expect("the list never empties");
        now = e.time;
        checksum = checksum.wrapping_add(e.client as u64 ^ e.generation as u64);
        heap.push(Reverse(HeapEvent {
            time: now + delay(&mut rng),
            seq,
            client: e.client,
            generation: e.generation.wrapping_add(1),
        }));
    }
    black_box(checksum);
    now
}

fn hold_engine_queue(mut queue: EventQueue<FloorEvent>, mut rng: ChaCha8Rng, events: u64) -> f64 {
    let mut checksum = 0u64;
    for _ in 0..events {
        let next = queue.pop().expect("the list never empties");
        let FloorEvent::Hold { client, generation } = next.event;
        checksum = checksum.wrapping_add(client as u64 ^ generation as u64);
        let t = next.time + delay(&mut rng);
        queue.schedule(
            t,
            FloorEvent::Hold {
                client,
                generation: generation.wrapping_add(1),
            },
        );
    }
    black_box(checksum);
    queue.now()
}

/// The default model and the two floors, in one group so that criterion
/// reports their events/s side by side.
fn events_per_second(c: &mut Criterion) {
    let reference = reference();
    let (events, pending) = (reference.events, reference.pending);

    // The same initial list for both floors: `pending` events with
    // exponential delays from time 0.
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let initial: Vec<f64> = (0..pending).map(|_| delay(&mut rng)).collect();
    let heap: BinaryHeap<Reverse<HeapEvent>> = initial
        .iter()
        .enumerate()
        .map(|(i, &time)| {
            Reverse(HeapEvent {
                time,
                seq: i as u64,
                client: i as u32,
                generation: 0,
            })
        })
        .collect();
    let make_queue = || {
        let mut queue = EventQueue::with_capacity(pending + 1);
        queue.reset(0.0);
        for (i, &time) in initial.iter().enumerate() {
            queue.schedule(
                time,
                FloorEvent::Hold {
                    client: i as u32,
                    generation: 0,
                },
            );
        }
        queue
    };

    let mut group = c.benchmark_group("events_per_second");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(events));

    // Cycles through the same replications as `reference`, so that
    // `events` is their mean event count.
    let mut sim = Simulation::new(&reference.model);
    let mut replication = 0;
    group.bench_function("default_model_events", |b| {
        b.iter(|| {
            let events = sim
                .run(SEED, replication)
                .expect("within the event budget")
                .exposure
                .events;
            replication = (replication + 1) % CYCLE;
            black_box(events)
        })
    });
    group.bench_function("floor_binary_heap", |b| {
        b.iter_batched(
            || (heap.clone(), ChaCha8Rng::seed_from_u64(SEED + 1)),
            |(heap, rng)| hold_binary_heap(heap, rng, events),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("floor_engine_queue", |b| {
        b.iter_batched(
            || (make_queue(), ChaCha8Rng::seed_from_u64(SEED + 1)),
            |(queue, rng)| hold_engine_queue(queue, rng, events),
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn replications_per_second(c: &mut Criterion) {
    let reference = reference();
    let model = &reference.model;
    let layout = Layout::new(model);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("replications.bin");

    let mut group = c.benchmark_group("replications_per_second");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Elements(BATCH));
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

criterion_group!(benches, events_per_second, replications_per_second);
criterion_main!(benches);
