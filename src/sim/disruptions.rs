//! Disruptions of the flow: escalation while waiting and places lost at a
//! date (provider failure).

use super::{Simulation, Status};
use crate::model::NO_POOL;
use crate::record::CellMetric;

impl Simulation<'_> {
    /// Boeggolf: a client still waiting escalates to a heavier form.
    pub(super) fn on_escalate(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        if c.status != Status::Waiting {
            return;
        }
        let (segment, form) = (c.segment.index(), c.form.index());
        let Some(rule) = self.model.forms[form].escalation.as_ref() else {
            return;
        };
        self.count(segment, form, CellMetric::Escalated, 1.0);
        // Off the list, then placed in the heavier form like a new need.
        self.leave_waiting_list(client, t);
        self.place(client, rule.to.index(), t);
    }

    /// Places of a pool are lost: capacity drops at once and the clients in
    /// excess of it move out of region (most recent placements first), with
    /// their episode unchanged.
    pub(super) fn on_capacity_loss(&mut self, index: usize, t: f64) {
        let loss = &self.model.capacity_losses[index];
        let pool = loss.pool;
        self.integrate_pool(pool.index(), t);
        let state = &mut self.pools[pool.index()];
        state.capacity = state.capacity.saturating_sub(loss.places);
        let excess = state.occupied.saturating_sub(state.capacity) as usize;
        if excess == 0 {
            return;
        }
        let mut movers: Vec<(f64, u32)> = self
            .clients
            .iter()
            .enumerate()
            .filter(|(_, c)| c.pool == pool && matches!(c.status, Status::InCare | Status::Blocked))
            .map(|(i, c)| (c.since, i as u32))
            .collect();
        movers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, client) in movers.iter().take(excess) {
            let c = self.clients[client as usize];
            let (segment, form) = (c.segment.index(), c.form.index());
            let cell = self.cell_index(segment, form);
            self.integrate_cell(cell, t);
            let state = &mut self.cells[cell];
            state.local -= 1;
            state.out_of_region += 1;
            state.weight_local = if state.local == 0 {
                0.0
            } else {
                state.weight_local - c.cost
            };
            state.weight_away += c.cost;
            self.pools[pool.index()].occupied -= 1;
            self.count(segment, form, CellMetric::TransferredOut, 1.0);
            let cl = &mut self.clients[client as usize];
            cl.pool = NO_POOL;
            cl.out_of_region = true;
        }
    }
}
