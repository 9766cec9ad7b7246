//! Future event list ordered by time, then by insertion sequence.
//!
//! Ties are broken FIFO by a sequence number (as in simcore), never at
//! random, so a run is reproducible from its seed alone.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// An event with its firing time; `seq` makes the order total.
#[derive(Clone, Copy, Debug)]
pub struct Scheduled<E> {
    pub time: f64,
    seq: u64,
    pub event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest event.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A binary-heap future event list with a clock.
///
/// The clock only moves forward: scheduling in the past is a logic error and
/// is clamped to `now` in release builds (asserted in debug builds).
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    next_seq: u64,
    now: f64,
    processed: u64,
}

impl<E: Copy> EventQueue<E> {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
            now: f64::NEG_INFINITY,
            processed: 0,
        }
    }

    /// Empties the queue and sets the clock, keeping the allocation.
    pub fn reset(&mut self, start: f64) {
        self.heap.clear();
        self.next_seq = 0;
        self.now = start;
        self.processed = 0;
    }

    pub fn now(&self) -> f64 {
        self.now
    }

    /// Number of events popped since the last reset.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(time >= self.now, "event scheduled in the past");
        let time = if time < self.now { self.now } else { time };
        self.heap.push(Scheduled {
            time,
            seq: self.next_seq,
            event,
        });
        self.next_seq += 1;
    }

    /// Pops the earliest event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        let next = self.heap.pop()?;
        self.now = next.time;
        self.processed += 1;
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_fifo_on_ties() {
        let mut q = EventQueue::with_capacity(4);
        q.reset(0.0);
        q.schedule(2.0, 'c');
        q.schedule(1.0, 'a');
        q.schedule(1.0, 'b');
        q.schedule(0.5, 'z');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|s| s.event)).collect();
        assert_eq!(order, vec!['z', 'a', 'b', 'c']);
        assert_eq!(q.processed(), 4);
        assert_eq!(q.now(), 2.0);
    }
}
