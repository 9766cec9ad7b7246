//! The floor of an event loop: a "hold model" that pops the earliest event
//! and schedules a successor after an exponential delay, with no model logic,
//! on `std::collections::BinaryHeap` and on the crate's own
//! `engine::EventQueue`. With the same number of events and a pending-event
//! list of the same size as a model's, it is the cost of the future event
//! list (plus one exponential draw per event) alone: what a simulation of
//! that model cannot beat.

use jeugdstroom::engine::EventQueue;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::hint::black_box;

/// Mean delay (days) of the floor loops; the heap's cost does not depend on
/// the scale of an exponential delay, only on the list size.
const MEAN_DELAY_DAYS: f64 = 180.0;

/// An event the size of the simulation's (`Scheduled<Event>`: time, sequence
/// number and a tagged pair of `u32`).
#[derive(Clone, Copy, Debug)]
pub struct HeapEvent {
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
pub enum FloorEvent {
    Hold { client: u32, generation: u32 },
}

/// The pending list a floor starts from: `pending` events with exponential
/// delays from time 0, the same for both event lists.
pub struct Initial {
    times: Vec<f64>,
}

impl Initial {
    pub fn new(pending: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Initial {
            times: (0..pending).map(|_| delay(&mut rng)).collect(),
        }
    }

    pub fn heap(&self) -> BinaryHeap<Reverse<HeapEvent>> {
        self.times
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
            .collect()
    }

    pub fn queue(&self) -> EventQueue<FloorEvent> {
        let mut queue = EventQueue::with_capacity(self.times.len() + 1);
        queue.reset(0.0);
        for (i, &time) in self.times.iter().enumerate() {
            queue.schedule(
                time,
                FloorEvent::Hold {
                    client: i as u32,
                    generation: 0,
                },
            );
        }
        queue
    }
}

fn delay(rng: &mut ChaCha8Rng) -> f64 {
    let d: f64 = Exp1.sample(rng);
    d * MEAN_DELAY_DAYS
}

/// Runs `events` hold steps on a binary heap prefilled with `heap`.
pub fn hold_binary_heap(
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

/// Runs `events` hold steps on the crate's event list prefilled with `queue`.
pub fn hold_engine_queue(
    mut queue: EventQueue<FloorEvent>,
    mut rng: ChaCha8Rng,
    events: u64,
) -> f64 {
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
