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

/// Width of a calendar bucket in time units (a day in the youth-care model).
const BUCKET_WIDTH: f64 = 1.0;
/// Buckets kept before events go to the overflow list (about 180 years of days).
const MAX_BUCKETS: usize = 1 << 16;

/// A future event list with a clock: a calendar of unsorted buckets of one
/// time unit each, and a binary heap for the current bucket only.
///
/// A single heap of all pending events falls out of the CPU cache at national
/// scale (~190,000 pending events, 75 % of the time in `pop`); here only the
/// current bucket is a heap, later events are appended to their bucket in
/// O(1) and a bucket is heapified when the clock reaches it. Buckets
/// partition time, so the order is exactly (time, sequence) as with one heap.
///
/// The clock only moves forward: scheduling in the past is a logic error and
/// is clamped to `now` in release builds (asserted in debug builds).
pub struct EventQueue<E> {
    heap: BinaryHeap<Scheduled<E>>,
    buckets: Vec<Vec<Scheduled<E>>>,
    /// Events beyond the last bucket, re-bucketed when the calendar runs out.
    overflow: Vec<Scheduled<E>>,
    /// Time of the start of bucket 0.
    base: f64,
    /// Bucket the heap holds.
    current: usize,
    pending: usize,
    next_seq: u64,
    now: f64,
    processed: u64,
}

impl<E: Copy> EventQueue<E> {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            buckets: Vec::new(),
            overflow: Vec::new(),
            base: 0.0,
            current: 0,
            pending: 0,
            next_seq: 0,
            now: f64::NEG_INFINITY,
            processed: 0,
        }
    }

    /// Empties the queue and sets the clock, keeping the allocations.
    pub fn reset(&mut self, start: f64) {
        self.heap.clear();
        self.buckets.iter_mut().for_each(Vec::clear);
        self.overflow.clear();
        self.base = start;
        self.current = 0;
        self.pending = 0;
        self.next_seq = 0;
        self.now = start;
        self.processed = 0;
    }

    /// The bucket of time `t` (monotone in `t`; `usize::MAX` past the calendar).
    #[inline]
    fn bucket_of(&self, t: f64) -> usize {
        let k = ((t - self.base) / BUCKET_WIDTH).floor();
        if k < MAX_BUCKETS as f64 {
            k.max(0.0) as usize
        } else {
            usize::MAX
        }
    }

    fn place(&mut self, item: Scheduled<E>) {
        let k = self.bucket_of(item.time);
        if k <= self.current {
            self.heap.push(item);
        } else if k == usize::MAX {
            self.overflow.push(item);
        } else {
            if k >= self.buckets.len() {
                self.buckets.resize_with(k + 1, Vec::new);
            }
            self.buckets[k].push(item);
        }
    }

    /// Moves the heap to the next non-empty bucket; false when none is left.
    fn advance(&mut self) -> bool {
        let next = (self.current + 1..self.buckets.len()).find(|&k| !self.buckets[k].is_empty());
        match next {
            Some(k) => {
                self.current = k;
                // Into the heap's own allocation; the bucket's is freed, so
                // memory follows the pending events, not the days passed.
                let mut items = std::mem::take(&mut self.heap).into_vec();
                items.append(&mut std::mem::take(&mut self.buckets[k]));
                self.heap = BinaryHeap::from(items);
                true
            }
            None if !self.overflow.is_empty() => {
                // Start a new calendar at the earliest overflowing event.
                let items = std::mem::take(&mut self.overflow);
                self.base = items.iter().map(|s| s.time).fold(f64::INFINITY, f64::min);
                self.current = 0;
                for item in items {
                    self.place(item);
                }
                true
            }
            None => false,
        }
    }

    pub fn now(&self) -> f64 {
        self.now
    }

    /// Number of events popped since the last reset.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    pub fn len(&self) -> usize {
        self.pending
    }

    pub fn is_empty(&self) -> bool {
        self.pending == 0
    }

    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(time >= self.now, "event scheduled in the past");
        let time = if time < self.now { self.now } else { time };
        self.place(Scheduled {
            time,
            seq: self.next_seq,
            event,
        });
        self.next_seq += 1;
        self.pending += 1;
    }

    /// Pops the earliest event and advances the clock to its time.
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        loop {
            if let Some(next) = self.heap.pop() {
                self.now = next.time;
                self.processed += 1;
                self.pending -= 1;
                return Some(next);
            }
            if !self.advance() {
                return None;
            }
        }
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

    /// The calendar pops exactly the order of one binary heap, including
    /// ties, events scheduled while running, negative start times and
    /// events beyond the calendar (overflow).
    #[test]
    fn calendar_order_equals_a_single_heap() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..20 {
            let start = -1000.0 * round as f64;
            let mut q = EventQueue::with_capacity(8);
            q.reset(start);
            let mut reference = BinaryHeap::new();
            let mut seq = 0u64;
            let mut push =
                |q: &mut EventQueue<u64>, reference: &mut BinaryHeap<Scheduled<u64>>, t: f64| {
                    q.schedule(t, seq);
                    reference.push(Scheduled {
                        time: t,
                        seq,
                        event: seq,
                    });
                    seq += 1;
                };
            for _ in 0..500 {
                let r = next();
                // Integer times make ties common; a few land far beyond the calendar.
                let t = start
                    + if r % 97 == 0 {
                        1e6 + (r % 7) as f64
                    } else {
                        (r % 3000) as f64 / 4.0
                    };
                push(&mut q, &mut reference, t);
            }
            let mut popped = 0;
            while let Some(s) = q.pop() {
                let r = reference.pop().unwrap();
                assert_eq!(
                    (s.time, s.event),
                    (r.time, r.event),
                    "round {round}, pop {popped}"
                );
                popped += 1;
                if popped % 3 == 0 && popped < 1500 {
                    let t = s.time + (next() % 400) as f64 / 8.0;
                    push(&mut q, &mut reference, t);
                }
            }
            assert!(reference.is_empty() && q.is_empty());
        }
    }
}
