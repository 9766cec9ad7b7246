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
    /// Starts that had to wait (or were blocked) first.
    WaitedStarts,
    Reneged,
    AgedOut,
}

impl CellMetric {
    pub const COUNT: usize = 14;
}

/// Per (year, pool) quantities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub enum PoolMetric {
    OccupiedDays,
    VacantDays,
    /// Highest number of occupied places at any moment of the year.
    PeakOccupied,
    /// Places available (capacity) in the year.
    Capacity,
}

impl PoolMetric {
    pub const COUNT: usize = 4;
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
        }
    }

    pub fn reset(&mut self) {
        self.cells.fill(0.0);
        self.pool.fill(0.0);
        self.initial_active.fill(0.0);
        self.initial_waiting.fill(0.0);
        self.events = 0;
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

    #[inline]
    pub fn pool(&self, year: usize, pool: usize, m: PoolMetric) -> f64 {
        self.pool[(year * self.pools + pool) * PoolMetric::COUNT + m as usize]
    }

    #[inline]
    pub fn pool_mut(&mut self, year: usize, pool: usize, m: PoolMetric) -> &mut f64 {
        &mut self.pool[(year * self.pools + pool) * PoolMetric::COUNT + m as usize]
    }
}
