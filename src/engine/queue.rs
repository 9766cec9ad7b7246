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
    /// Times that compare as floats decide at once (`total_cmp` agrees with
    /// `<` on them); equal times, ±0 and NaN take the exact path.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        if self.time < other.time {
            Ordering::Greater
        } else if self.time > other.time {
            Ordering::Less
        } else {
            other
                .time
                .total_cmp(&self.time)
                .then_with(|| other.seq.cmp(&self.seq))
        }
    }
}

/// Buckets kept before events go to the overflow list (6 MB of empty
/// buckets at most; 180 years of one-day buckets).
const MAX_BUCKETS: usize = 1 << 18;
/// Events per bucket the width aims at: few enough for a short sorted
/// current bucket, many enough that moving to the next bucket is rare.
const EVENTS_PER_BUCKET: f64 = 4.0;
/// Log2 of the most buckets per time unit. Pending events spread over years
/// (long stays, age checks), so finer buckets hold one event each: an
/// allocation per pending event, scattered (a national run had twice the
/// memory and was slower at 256 buckets a day).
const FINEST: f64 = 2.0;
/// Largest allocation (in events) kept for reuse by a later bucket.
const SPARE_CAPACITY: usize = 16;
/// Events a run must have processed to set the next run's bucket width.
const MIN_EVENTS_FOR_WIDTH: u64 = 4096;
/// Largest current bucket kept as a sorted vector; a larger one (a burst,
/// or a first run at a width that does not fit) is a binary heap.
const SORTED_MAX: usize = 64;

/// A future event list with a clock: a calendar of unsorted buckets of equal
/// width, and only the current bucket kept in order.
///
/// A single heap of all pending events falls out of the CPU cache at national
/// scale (~190,000 pending events, 75 % of the time in `pop`); here later
/// events are appended to their bucket in O(1), and a bucket is put in order
/// when the clock reaches it: sorted, earliest last, so that a pop is a
/// `Vec::pop` and an insert a short shift; a crowded bucket becomes a binary
/// heap instead. Buckets partition time and (time, sequence) keys are
/// unique, so the order is exactly that of one heap.
///
/// The width starts at one time unit (a day, or as `fit_width` says) and is
/// set at each `reset` to a power of two that gives about
/// `EVENTS_PER_BUCKET` events per bucket at the event density of the
/// previous run (the same model, as a `Simulation` reuses its queue): a
/// small model with two events a day would otherwise pay a bucket change per
/// event, a national one a deep heap per day. The width changes the speed,
/// never the order.
///
/// The clock only moves forward: scheduling in the past is a logic error and
/// is clamped to `now` in release builds (asserted in debug builds).
pub struct EventQueue<E> {
    /// The current bucket in ascending `Ord` order (the earliest event, the
    /// greatest by the reversed `Ord`, last), unless `crowded`.
    sorted: Vec<Scheduled<E>>,
    /// The current bucket when `crowded`.
    heap: BinaryHeap<Scheduled<E>>,
    crowded: bool,
    buckets: Vec<Vec<Scheduled<E>>>,
    /// Events beyond the last bucket, re-bucketed when the calendar runs out.
    overflow: Vec<Scheduled<E>>,
    /// Emptied allocations, handed to the next bucket that gets an event:
    /// on sparse calendars (a few events a day) an allocation per bucket
    /// cost more than the ordering itself.
    spare: Vec<Vec<Scheduled<E>>>,
    /// Time of the start of bucket 0.
    base: f64,
    /// Buckets per time unit (a power of two: the bucket index is exact).
    per_unit: f64,
    /// Start time of the current run.
    start: f64,
    /// Bucket the current (sorted or heap) events belong to.
    current: usize,
    pending: usize,
    next_seq: u64,
    now: f64,
    processed: u64,
}

impl<E: Copy> EventQueue<E> {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            sorted: Vec::with_capacity(SORTED_MAX + 1),
            heap: BinaryHeap::with_capacity(capacity),
            crowded: false,
            buckets: Vec::new(),
            overflow: Vec::new(),
            spare: Vec::new(),
            base: 0.0,
            per_unit: 1.0,
            start: 0.0,
            current: 0,
            pending: 0,
            next_seq: 0,
            now: f64::NEG_INFINITY,
            processed: 0,
        }
    }

    /// Sets the bucket width for about `EVENTS_PER_BUCKET` events a bucket
    /// at `events_per_unit` events per time unit (a power of two between
    /// 1/256 and 2^FINEST buckets per unit).
    pub fn fit_width(&mut self, events_per_unit: f64) {
        let per_unit = events_per_unit / EVENTS_PER_BUCKET;
        if per_unit > 0.0 && per_unit.is_finite() {
            let exponent = per_unit.log2().floor().clamp(-8.0, FINEST) as i32;
            self.per_unit = 2f64.powi(exponent);
        }
    }

    /// Empties the queue and sets the clock, keeping the allocations (and
    /// a bucket width fitted to the previous run).
    pub fn reset(&mut self, start: f64) {
        let span = self.now - self.start;
        if self.processed >= MIN_EVENTS_FOR_WIDTH && span > 0.0 {
            self.fit_width(self.processed as f64 / span);
        }
        self.start = start;
        self.sorted.clear();
        self.heap.clear();
        self.crowded = false;
        for k in 0..self.buckets.len() {
            let bucket = std::mem::take(&mut self.buckets[k]);
            self.recycle(bucket);
        }
        self.overflow.clear();
        self.base = start;
        self.current = 0;
        self.pending = 0;
        self.next_seq = 0;
        self.now = start;
        self.processed = 0;
    }

    /// The bucket of time `t` (monotone in `t`; `usize::MAX` past the calendar).
    ///
    /// The cast truncates and saturates below at 0, which equals
    /// `floor().max(0.0)` for every value below `MAX_BUCKETS` (and NaN) but
    /// is not a call to `floor` (a library call on baseline x86-64).
    #[inline]
    fn bucket_of(&self, t: f64) -> usize {
        let k = (t - self.base) * self.per_unit;
        if k < MAX_BUCKETS as f64 {
            // Via i64: a cheaper conversion than to usize (k < 2^18 here).
            (k as i64).max(0) as usize
        } else {
            usize::MAX
        }
    }

    /// Files an event under its bucket; the common cases inline, the rest
    /// (a bucket's first event, overflow) out of line.
    #[inline]
    fn place(&mut self, item: Scheduled<E>) {
        let k = self.bucket_of(item.time);
        if k <= self.current {
            self.insert_current(item);
        } else if let Some(bucket) = self.buckets.get_mut(k)
            && bucket.capacity() > bucket.len()
        {
            bucket.push(item);
        } else {
            self.place_slow(k, item);
        }
    }

    /// Adds an event to the current bucket, keeping its order.
    #[inline]
    fn insert_current(&mut self, item: Scheduled<E>) {
        if self.crowded {
            self.heap.push(item);
            return;
        }
        let at = self.sorted.partition_point(|x| *x < item);
        self.sorted.insert(at, item);
        if self.sorted.len() > SORTED_MAX {
            self.crowd();
        }
    }

    /// Turns the sorted current bucket into a heap (inserts would shift too much).
    #[cold]
    fn crowd(&mut self) {
        self.heap.extend(self.sorted.drain(..));
        self.crowded = true;
    }

    /// Keeps an emptied allocation for a later bucket if it is small; a
    /// large one (a crowded bucket's) is freed, or every later bucket, even
    /// one holding a single event, would hold that much memory.
    fn recycle(&mut self, mut items: Vec<Scheduled<E>>) {
        if items.capacity() > 0 && items.capacity() <= SPARE_CAPACITY {
            items.clear();
            self.spare.push(items);
        }
    }

    #[inline(never)]
    fn place_slow(&mut self, k: usize, item: Scheduled<E>) {
        if k == usize::MAX {
            self.overflow.push(item);
            return;
        }
        if k >= self.buckets.len() {
            self.buckets.resize_with(k + 1, Vec::new);
        }
        let bucket = &mut self.buckets[k];
        if bucket.capacity() == 0
            && let Some(spare) = self.spare.pop()
        {
            *bucket = spare;
        }
        bucket.push(item);
    }

    /// Moves to the next non-empty bucket; false when none is left. The
    /// current bucket is empty when this is called.
    #[inline(never)]
    fn advance(&mut self) -> bool {
        debug_assert!(self.sorted.is_empty() && self.heap.is_empty());
        let next = (self.current + 1..self.buckets.len()).find(|&k| !self.buckets[k].is_empty());
        match next {
            Some(k) => {
                self.current = k;
                // The bucket's allocation becomes the current one and the
                // emptied one is kept for a later bucket, so memory follows
                // the pending events, not the time passed.
                let mut bucket = std::mem::take(&mut self.buckets[k]);
                let emptied = if bucket.len() > SORTED_MAX {
                    self.crowded = true;
                    std::mem::replace(&mut self.heap, BinaryHeap::from(bucket)).into_vec()
                } else {
                    self.crowded = false;
                    bucket.sort_unstable();
                    std::mem::replace(&mut self.sorted, bucket)
                };
                self.recycle(emptied);
                true
            }
            None if !self.overflow.is_empty() => {
                // Start a new calendar at the earliest overflowing event.
                let items = std::mem::take(&mut self.overflow);
                self.base = items.iter().map(|s| s.time).fold(f64::INFINITY, f64::min);
                self.current = 0;
                self.crowded = false;
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

    #[inline]
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
    #[inline]
    pub fn pop(&mut self) -> Option<Scheduled<E>> {
        let next = loop {
            let next = if self.crowded {
                self.heap.pop()
            } else {
                self.sorted.pop()
            };
            if let Some(next) = next {
                break next;
            }
            if !self.advance() {
                return None;
            }
        };
        self.now = next.time;
        self.processed += 1;
        self.pending -= 1;
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reset` fits the width to the previous run: about
    /// `EVENTS_PER_BUCKET` events per bucket, as a power of two.
    #[test]
    fn width_follows_the_event_density() {
        let mut q = EventQueue::with_capacity(8);
        q.reset(0.0);
        for i in 0..10_000 {
            q.schedule(i as f64 / 4.0, ());
        }
        while q.pop().is_some() {}
        q.reset(0.0);
        // 4 events a time unit: EVENTS_PER_BUCKET / 4 time units a bucket.
        assert_eq!(q.per_unit, 4.0 / EVENTS_PER_BUCKET);
    }

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
    /// ties, events scheduled while running, negative start times, events
    /// beyond the calendar (overflow) and any bucket width.
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
            // Bucket widths from 1/256 to 256 time units (set by `reset`
            // from the previous run's density in use).
            q.per_unit = 2f64.powi(round % 17 - 8);
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
