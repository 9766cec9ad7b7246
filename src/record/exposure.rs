//! What one replication measured: counts and time integrals per year ×
//! segment × care form, and per year × capacity pool. Plain `f64` tables,
//! priced afterwards by `finance`.

/// Per (year, segment, form) quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum CellMetric {
    /// Arrivals from outside care (new and relapse) entering this form.
    Inflow,
    /// Episodes started in this form (new, transferred or from the waiting list).
    Starts,
    /// Clients leaving youth care from this form (including ageing out).
    Outflow,
    /// Clients in care in this form at year end (including blocked and out of region).
    ActiveEnd,
    /// Days in care in this form.
    ClientDays,
    /// Days in care in this form inside the region (the rest is out of region).
    LocalDays,
    OutOfRegionStarts,
    OutOfRegionDays,
    /// Days spent in this form while waiting for a step to a full form.
    BlockedDays,
    /// Clients waiting at home for this form at year end.
    WaitingEnd,
    /// Sum of waiting days of this year's starts (immediate starts add 0).
    WaitDaysSum,
    /// The part of `WaitDaysSum` waited at home (on a waiting list).
    WaitDaysHomeSum,
    /// The part of `WaitDaysSum` waited blocked in another (heavier) form;
    /// those days are also care days of the form the client was stuck in.
    WaitDaysBlockedSum,
    /// Starts that had to wait (or were blocked) first.
    WaitedStarts,
    Reneged,
    AgedOut,
    /// Arrivals for this (full) form started in a substitute form instead.
    Substituted,
    /// Clients who escalated while waiting for this form.
    Escalated,
    /// Arrivals for this form diverted at the door (access rules).
    Diverted,
    /// Clients moved out of region from this form when places were lost.
    TransferredOut,
    /// Days spent waiting at home for this form (waiting list × time).
    WaitingDays,
    /// Clients placed out of region in this form who did not come back for a
    /// next step (`out_of_region_return = false`); also counted in `Outflow`.
    LeftRegion,
    /// `LocalDays` weighted by each episode's cost multiplier (the
    /// high-cost client class; equal to `LocalDays` up to rounding without one).
    WeightedLocalDays,
    /// `OutOfRegionDays` weighted by each episode's cost multiplier.
    WeightedOutOfRegionDays,
}

impl CellMetric {
    pub const COUNT: usize = 24;
}

/// Waiting-time histogram: bin 0 holds immediate starts, bin k ≥ 1 waits in
/// ((k − 1)·`WAIT_BIN_DAYS`, k·`WAIT_BIN_DAYS`]; the last bin is open.
pub const WAIT_BINS: usize = 200;
pub const WAIT_BIN_DAYS: f64 = 5.0;

/// The histogram bin of a start after `waited` days.
#[inline]
pub fn wait_bin(waited: f64) -> usize {
    if waited <= 0.0 {
        0
    } else {
        (1 + (waited / WAIT_BIN_DAYS) as usize).min(WAIT_BINS - 1)
    }
}

/// Per (year, pool) quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum PoolMetric {
    OccupiedDays,
    VacantDays,
    /// Highest number of occupied places at any moment of the year.
    PeakOccupied,
    /// Places available (capacity) at year end.
    Capacity,
    /// Occupied places at year end.
    OccupiedEnd,
}

impl PoolMetric {
    pub const COUNT: usize = 5;
}

#[derive(Clone, Debug)]
pub struct Exposure {
    pub years: usize,
    pub segments: usize,
    pub forms: usize,
    pub pools: usize,
    cells: Vec<f64>,
    pool: Vec<f64>,
    /// Clients in care per (segment, form) at the start of the horizon.
    pub initial_active: Vec<f64>,
    /// Clients waiting at home per (segment, form) at the start of the horizon.
    pub initial_waiting: Vec<f64>,
    /// Events processed, warm-up included.
    pub events: u64,
    /// [(year × forms + form) × WAIT_BINS + bin] starts by days waited.
    pub wait_histogram: Vec<u32>,
}

impl Exposure {
    pub fn new(years: usize, segments: usize, forms: usize, pools: usize) -> Self {
        Exposure {
            years,
            segments,
            forms,
            pools,
            cells: vec![0.0; years * segments * forms * CellMetric::COUNT],
            pool: vec![0.0; years * pools * PoolMetric::COUNT],
            initial_active: vec![0.0; segments * forms],
            initial_waiting: vec![0.0; segments * forms],
            events: 0,
            wait_histogram: vec![0; years * forms * WAIT_BINS],
        }
    }

    /// Records a start after `waited` days.
    #[inline]
    pub fn record_wait(&mut self, year: usize, form: usize, waited: f64) {
        self.wait_histogram[(year * self.forms + form) * WAIT_BINS + wait_bin(waited)] += 1;
    }

    /// The cell metrics of one year, [(segment × forms + form) × metric]:
    /// the simulation writes a whole year at once at its end.
    pub fn year_cells_mut(&mut self, year: usize) -> &mut [f64] {
        let n = self.segments * self.forms * CellMetric::COUNT;
        &mut self.cells[year * n..][..n]
    }

    /// The pool metrics of one year, [pool × metric].
    pub fn year_pools_mut(&mut self, year: usize) -> &mut [f64] {
        let n = self.pools * PoolMetric::COUNT;
        &mut self.pool[year * n..][..n]
    }

    /// The waiting-time histogram of one year, [form × bin].
    pub fn year_waits_mut(&mut self, year: usize) -> &mut [u32] {
        let n = self.forms * WAIT_BINS;
        &mut self.wait_histogram[year * n..][..n]
    }

    /// The `q` quantile of days waited by the year's starts in `forms`
    /// (upper edge of the bin that reaches it, so within `WAIT_BIN_DAYS`
    /// above the exact value; 0 without starts).
    pub fn wait_quantile(&self, year: usize, forms: std::ops::Range<usize>, q: f64) -> f64 {
        let mut counts = [0u64; WAIT_BINS];
        for f in forms {
            let row = &self.wait_histogram[(year * self.forms + f) * WAIT_BINS..][..WAIT_BINS];
            for (c, v) in counts.iter_mut().zip(row) {
                *c += u64::from(*v);
            }
        }
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return 0.0;
        }
        let target = (q * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (bin, c) in counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return bin as f64 * WAIT_BIN_DAYS;
            }
        }
        (WAIT_BINS - 1) as f64 * WAIT_BIN_DAYS
    }

    pub fn reset(&mut self) {
        self.cells.fill(0.0);
        self.pool.fill(0.0);
        self.initial_active.fill(0.0);
        self.initial_waiting.fill(0.0);
        self.events = 0;
        self.wait_histogram.fill(0);
    }

    #[inline]
    fn cell_index(&self, year: usize, segment: usize, form: usize, m: CellMetric) -> usize {
        ((year * self.segments + segment) * self.forms + form) * CellMetric::COUNT + m as usize
    }

    #[inline]
    pub fn cell(&self, year: usize, segment: usize, form: usize, m: CellMetric) -> f64 {
        self.cells[self.cell_index(year, segment, form, m)]
    }

    #[inline]
    pub fn cell_mut(
        &mut self,
        year: usize,
        segment: usize,
        form: usize,
        m: CellMetric,
    ) -> &mut f64 {
        let i = self.cell_index(year, segment, form, m);
        &mut self.cells[i]
    }

    /// Clients in care in a form during a year (its reach): those in care at
    /// the year's start plus the episodes started in it. A client who changes
    /// form counts once in each form.
    pub fn clients(&self, year: usize, segment: usize, form: usize) -> f64 {
        let at_start = if year == 0 {
            self.initial_active[segment * self.forms + form]
        } else {
            self.cell(year - 1, segment, form, CellMetric::ActiveEnd)
        };
        at_start + self.cell(year, segment, form, CellMetric::Starts)
    }

    #[inline]
    pub fn pool(&self, year: usize, pool: usize, m: PoolMetric) -> f64 {
        self.pool[(year * self.pools + pool) * PoolMetric::COUNT + m as usize]
    }

    #[inline]
    pub fn pool_mut(&mut self, year: usize, pool: usize, m: PoolMetric) -> &mut f64 {
        &mut self.pool[(year * self.pools + pool) * PoolMetric::COUNT + m as usize]
    }
}
