//! This year's counts and day integrals, kept beside the running state and
//! written to the record once, at each year end.
//!
//! Why: writing every change straight into the record's year × segment ×
//! form table cost an index computation, a bounds check and a "recording
//! yet?" branch per metric per change (seven integrals per change of a
//! cell), a large share of an event on small models. Here a change adds to
//! a fixed-size row of its cell; the year end copies the rows into the
//! record (or drops them during the warm-up) and zeroes them. Every recorded
//! value is still 0 plus the same terms in the same order, so the record is
//! bit for bit what direct writes gave.

use super::Simulation;
use crate::record::{CellMetric, PoolMetric, WAIT_BINS, wait_bin};

type CellRow = [f64; CellMetric::COUNT];
type PoolRow = [f64; PoolMetric::COUNT];

/// The current year's metrics: per cell, per pool and per form (waits).
#[derive(Clone, Debug)]
pub(super) struct Tally {
    cells: Vec<CellRow>,
    pools: Vec<PoolRow>,
    waits: Vec<[u32; WAIT_BINS]>,
}

impl Tally {
    pub(super) fn new(cells: usize, pools: usize, forms: usize) -> Self {
        Tally {
            cells: vec![[0.0; CellMetric::COUNT]; cells],
            pools: vec![[0.0; PoolMetric::COUNT]; pools],
            waits: vec![[0; WAIT_BINS]; forms],
        }
    }

    pub(super) fn clear(&mut self) {
        self.cells.fill([0.0; CellMetric::COUNT]);
        self.pools.fill([0.0; PoolMetric::COUNT]);
        self.waits.fill([0; WAIT_BINS]);
    }
}

impl Simulation<'_> {
    #[inline]
    pub(super) fn count(&mut self, segment: usize, form: usize, m: CellMetric, amount: f64) {
        let i = self.cell_index(segment, form);
        self.tally.cells[i][m as usize] += amount;
    }

    /// Counts a start after `waited` days in the waiting-time histogram.
    #[inline]
    pub(super) fn count_wait(&mut self, form: usize, waited: f64) {
        self.tally.waits[form][wait_bin(waited)] += 1;
    }

    /// Adds the time since the cell's last change to its day integrals.
    #[inline(always)]
    pub(super) fn integrate_cell(&mut self, i: usize, t: f64) {
        let c = &mut self.cells[i];
        let dt = t - c.last;
        c.last = t;
        if dt <= 0.0 {
            return;
        }
        let row = &mut self.tally.cells[i];
        row[CellMetric::ClientDays as usize] += (c.local + c.out_of_region) as f64 * dt;
        row[CellMetric::LocalDays as usize] += c.local as f64 * dt;
        row[CellMetric::OutOfRegionDays as usize] += c.out_of_region as f64 * dt;
        row[CellMetric::BlockedDays as usize] += c.blocked as f64 * dt;
        row[CellMetric::WaitingDays as usize] += c.waiting as f64 * dt;
        row[CellMetric::WeightedLocalDays as usize] += c.weight_local * dt;
        row[CellMetric::WeightedOutOfRegionDays as usize] += c.weight_away * dt;
    }

    #[inline(always)]
    pub(super) fn integrate_pool(&mut self, p: usize, t: f64) {
        let s = &mut self.pools[p];
        let dt = t - s.last;
        s.last = t;
        if dt <= 0.0 {
            return;
        }
        let vacant = s.capacity.saturating_sub(s.occupied) as f64;
        let row = &mut self.tally.pools[p];
        row[PoolMetric::OccupiedDays as usize] += s.occupied as f64 * dt;
        row[PoolMetric::VacantDays as usize] += vacant * dt;
    }

    #[inline]
    pub(super) fn note_peak(&mut self, p: usize) {
        let peak = &mut self.tally.pools[p][PoolMetric::PeakOccupied as usize];
        *peak = peak.max(self.pools[p].occupied as f64);
    }

    /// Integrates every cell and pool up to the year end `t`, writes the
    /// year's rows with the year-end counts to the record when the year is
    /// recorded, and starts the next year from zero.
    pub(super) fn close_year(&mut self, t: f64) {
        for i in 0..self.cells.len() {
            self.integrate_cell(i, t);
        }
        for p in 0..self.pools.len() {
            self.integrate_pool(p, t);
        }
        if let Some(y) = self.recording() {
            for (row, c) in self.tally.cells.iter_mut().zip(&self.cells) {
                row[CellMetric::ActiveEnd as usize] = (c.local + c.out_of_region) as f64;
                row[CellMetric::WaitingEnd as usize] = c.waiting as f64;
            }
            for (row, s) in self.tally.pools.iter_mut().zip(&self.pools) {
                row[PoolMetric::Capacity as usize] = s.capacity as f64;
                row[PoolMetric::OccupiedEnd as usize] = s.occupied as f64;
            }
            let e = &mut self.record.exposure;
            e.year_cells_mut(y)
                .copy_from_slice(self.tally.cells.as_flattened());
            e.year_pools_mut(y)
                .copy_from_slice(self.tally.pools.as_flattened());
            e.year_waits_mut(y)
                .copy_from_slice(self.tally.waits.as_flattened());
        }
        self.tally.clear();
    }
}
