//! Client flow rules: placement and overflow, episode ends and transfers,
//! blocking, waiting lists, ageing, reneging and relapse.

use super::{Client, Event, Simulation, Status};
use crate::calendar::DAYS_PER_YEAR;
use crate::model::{FormId, NO_POOL, OverflowRule, PoolId};
use crate::record::CellMetric;

/// Index of the `regular` priority class (crisis 0, safety 1, regular 2).
const REGULAR: u8 = 2;
use rand::Rng;

/// Where a client was before a move, released after the new place is taken
/// (so a freed place can never be handed out twice).
#[derive(Clone, Copy)]
struct Placement {
    segment: usize,
    form: usize,
    pool: PoolId,
    out_of_region: bool,
    blocked: bool,
    /// The episode's cost multiplier (its weight in the cell).
    cost: f64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ExitKind {
    Discharged,
    AgedOut,
    Reneged,
    /// Placed out of region and not coming back (no next step, no relapse).
    LeftRegion,
}

/// A cell's weight after a client left: exactly 0 once nobody is left, so
/// rounding in the running sum never outlives the clients.
#[inline]
fn settle(weight: f64, count: u32) -> f64 {
    if count == 0 { 0.0 } else { weight }
}

impl Simulation<'_> {
    /// A place is free for a client of `priority`: regular clients may not
    /// take the places reserved for crisis and safety arrivals.
    #[inline]
    fn has_room(&self, pool: PoolId, priority: u8) -> bool {
        pool == NO_POOL || {
            let p = &self.pools[pool.index()];
            let reserved = if priority == REGULAR {
                self.model.pools[pool.index()].reserved
            } else {
                0
            };
            p.occupied + reserved < p.capacity
        }
    }

    #[inline]
    fn placement(&self, client: u32) -> Placement {
        let c = &self.clients[client as usize];
        Placement {
            segment: c.segment.index(),
            form: c.form.index(),
            pool: c.pool,
            out_of_region: c.out_of_region,
            blocked: c.status == Status::Blocked,
            cost: c.cost,
        }
    }

    /// Places a client who needs `form`: start, or apply the form's overflow rule.
    pub(super) fn place(&mut self, client: u32, form: usize, t: f64) {
        let model = self.model;
        let c = self.clients[client as usize];
        let pool = model.pool(form, model.segments[c.segment.index()].area);
        if self.has_room(pool, c.priority) {
            self.start(client, form, pool, false, t);
            return;
        }
        match model.forms[form].overflow {
            OverflowRule::Wait => self.enqueue(client, form, pool, t),
            OverflowRule::OutOfRegion => self.start(client, form, NO_POOL, true, t),
            OverflowRule::AlwaysGrant => self.start(client, form, pool, false, t),
            OverflowRule::Substitute(to) => {
                // Validation rules out cycles, so the chain ends.
                self.count(c.segment.index(), form, CellMetric::Substituted, 1.0);
                self.place(client, to.index(), t);
            }
        }
    }

    /// Starts an episode now, recording the start and the wait behind it.
    #[inline]
    fn start(&mut self, client: u32, form: usize, pool: PoolId, out_of_region: bool, t: f64) {
        let c = self.clients[client as usize];
        let waited = if matches!(c.status, Status::Waiting | Status::Blocked) {
            t - c.since
        } else {
            0.0
        };
        let segment = c.segment.index();
        self.count(segment, form, CellMetric::Starts, 1.0);
        self.count(segment, form, CellMetric::WaitDaysSum, waited);
        if waited > 0.0 {
            let part = if c.status == Status::Blocked {
                CellMetric::WaitDaysBlockedSum
            } else {
                CellMetric::WaitDaysHomeSum
            };
            self.count(segment, form, part, waited);
            self.count(segment, form, CellMetric::WaitedStarts, 1.0);
        }
        if out_of_region {
            self.count(segment, form, CellMetric::OutOfRegionStarts, 1.0);
        }
        self.count_wait(form, waited);
        let scale = self.levers.duration[self.levers.at(form, self.slot())];
        let duration = scale
            * self.model.forms[form]
                .duration
                .sample(&mut self.streams().durations[form]);
        self.draw_cost(client, form);
        self.occupy(client, form, pool, out_of_region, t);
        self.clients[client as usize].planned_end = t + duration;
        self.schedule_episode_event(client, t);
    }

    /// Draws the cost multiplier of an episode starting in `form` (from
    /// that form's own stream; 1 without a high-cost class, and no draw).
    #[inline]
    pub(super) fn draw_cost(&mut self, client: u32, form: usize) {
        let model = self.model;
        let cost = match &model.forms[form].client_cost {
            Some(class) => class.sample(&mut self.streams().client_cost[form]),
            None => 1.0,
        };
        self.clients[client as usize].cost = cost;
    }

    /// Puts the client in care in `form` (counts and pool occupancy only).
    #[inline]
    pub(super) fn occupy(
        &mut self,
        client: u32,
        form: usize,
        pool: PoolId,
        out_of_region: bool,
        t: f64,
    ) {
        let segment = self.clients[client as usize].segment.index();
        let weight = self.clients[client as usize].cost;
        let cell = self.cell_index(segment, form);
        self.integrate_cell(cell, t);
        let state = &mut self.cells[cell];
        if out_of_region {
            state.out_of_region += 1;
            state.weight_away += weight;
        } else {
            state.local += 1;
            state.weight_local += weight;
        }
        if pool != NO_POOL {
            self.integrate_pool(pool.index(), t);
            self.pools[pool.index()].occupied += 1;
            self.note_peak(pool.index());
        }
        let c = &mut self.clients[client as usize];
        c.form = FormId::of(form);
        c.target = FormId::of(form);
        c.pool = pool;
        c.out_of_region = out_of_region;
        c.status = Status::InCare;
        c.since = t;
        c.generation = c.generation.wrapping_add(1);
    }

    /// Schedules whichever comes first: the episode end or an age limit.
    #[inline]
    pub(super) fn schedule_episode_event(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        let generation = c.generation;
        let limit = self.age_limit(&c);
        if limit < c.planned_end {
            self.queue
                .schedule(limit.max(t), Event::AgeCheck { client, generation });
        } else {
            self.queue
                .schedule(c.planned_end, Event::EpisodeEnd { client, generation });
        }
    }

    #[inline]
    fn age_limit(&self, c: &Client) -> f64 {
        let model = self.model;
        c.birth
            + if c.extended {
                model.hard_exit_age_days
            } else {
                model.exit_age_days
            }
    }

    /// Frees a former placement; a freed place is refilled from its waiting list.
    #[inline]
    fn release(&mut self, p: Placement, t: f64) {
        let cell = self.cell_index(p.segment, p.form);
        self.integrate_cell(cell, t);
        let state = &mut self.cells[cell];
        if p.out_of_region {
            state.out_of_region -= 1;
            state.weight_away = settle(state.weight_away - p.cost, state.out_of_region);
        } else {
            state.local -= 1;
            state.weight_local = settle(state.weight_local - p.cost, state.local);
        }
        if p.blocked {
            state.blocked -= 1;
        }
        if p.pool != NO_POOL {
            self.integrate_pool(p.pool.index(), t);
            self.pools[p.pool.index()].occupied -= 1;
            self.refill(p.pool, t);
        }
    }

    /// Adds the client to the waiting list of `pool` for `form`.
    pub(super) fn enqueue(&mut self, client: u32, form: usize, pool: PoolId, t: f64) {
        let segment = self.clients[client as usize].segment.index();
        let cell = self.cell_index(segment, form);
        self.integrate_cell(cell, t);
        self.cells[cell].waiting += 1;
        let c = &mut self.clients[client as usize];
        c.status = Status::Waiting;
        c.form = FormId::of(form);
        c.target = FormId::of(form);
        c.pool = NO_POOL;
        c.since = t;
        c.generation = c.generation.wrapping_add(1);
        let (priority, generation) = (c.priority, c.generation);
        self.waiting[pool.index()].push(priority, client, generation);
        self.schedule_waiting_events(client, form, t);
    }

    fn schedule_waiting_events(&mut self, client: u32, form: usize, t: f64) {
        let c = self.clients[client as usize];
        let generation = c.generation;
        let horizon_end = self.model.years as f64 * DAYS_PER_YEAR;
        let limit = self.age_limit(&c);
        if limit < horizon_end {
            self.queue
                .schedule(limit.max(t), Event::AgeCheck { client, generation });
        }
        let model = self.model;
        if c.status != Status::Waiting {
            return;
        }
        if let Some(patience) = model.forms[form].patience.as_ref() {
            let wait = patience.sample(&mut self.streams().patience[form]);
            if t + wait < horizon_end {
                self.queue
                    .schedule(t + wait, Event::Renege { client, generation });
            }
        }
        if let Some(rule) = model.forms[form].escalation.as_ref() {
            let rng = &mut self.streams().escalation[form];
            let at_risk = rng.random::<f64>() < rule.probability;
            let delay = rule.delay.sample(rng);
            if at_risk && t + delay < horizon_end {
                self.queue
                    .schedule(t + delay, Event::Escalate { client, generation });
            }
        }
    }

    /// Hands free places of `pool` to its waiting list, best priority first.
    pub(super) fn refill(&mut self, pool: PoolId, t: f64) {
        let form = self.model.pools[pool.index()].form;
        loop {
            let admits = |priority: u8| self.has_room(pool, priority);
            let admitted: [bool; 3] = [admits(0), admits(1), admits(2)];
            if !admitted[0] {
                // Crisis is admitted whenever anyone is: the pool is full.
                return;
            }
            let clients = &self.clients;
            let Some(client) = self.waiting[pool.index()].pop(
                |priority| admitted[priority as usize],
                |c, g| {
                    let c = &clients[c as usize];
                    c.generation == g && matches!(c.status, Status::Waiting | Status::Blocked)
                },
            ) else {
                return;
            };
            let c = self.clients[client as usize];
            if c.status == Status::Waiting {
                let cell = self.cell_index(c.segment.index(), form);
                self.integrate_cell(cell, t);
                self.cells[cell].waiting -= 1;
                self.start(client, form, pool, false, t);
            } else {
                let before = self.placement(client);
                self.start(client, form, pool, false, t);
                self.release(before, t);
            }
        }
    }

    /// The next step after an episode: another form, or out of care. A
    /// client placed out of region in a form with `out_of_region_return =
    /// false` leaves the region's flows instead (the routing draw is still
    /// made, so the other clients keep their random numbers).
    pub(super) fn on_episode_end(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        let form = c.form.index();
        let u: f64 = self.streams().routing[form].random();
        if c.out_of_region && !self.model.forms[form].out_of_region_return {
            self.exit(client, ExitKind::LeftRegion, t);
            return;
        }
        let slot = self.slot();
        let keep = self.levers.transition[self.levers.at(form, slot)];
        let next = self.model.forms[form].transitions[slot]
            .iter()
            .find(|(_, cum)| u < *cum * keep)
            .map(|(to, _)| to.index());
        match next {
            None => self.exit(client, ExitKind::Discharged, t),
            Some(to) => self.transfer(client, to, t),
        }
    }

    fn transfer(&mut self, client: u32, to: usize, t: f64) {
        let model = self.model;
        let c = self.clients[client as usize];
        let segment = c.segment.index();
        let pool = model.pool(to, model.segments[segment].area);
        let before = self.placement(client);
        if !self.has_room(pool, c.priority) && model.forms[to].block_on_full {
            // Verstopping: stay in the current form until a place frees up.
            let cell = self.cell_index(segment, before.form);
            self.integrate_cell(cell, t);
            self.cells[cell].blocked += 1;
            let c = &mut self.clients[client as usize];
            c.status = Status::Blocked;
            c.target = FormId::of(to);
            c.since = t;
            c.generation = c.generation.wrapping_add(1);
            let (priority, generation) = (c.priority, c.generation);
            self.waiting[pool.index()].push(priority, client, generation);
            self.schedule_waiting_events(client, before.form, t);
            return;
        }
        self.clients[client as usize].status = Status::Free;
        self.place(client, to, t);
        self.release(before, t);
    }

    pub(super) fn on_age_check(&mut self, client: u32, t: f64) {
        let model = self.model;
        let c = self.clients[client as usize];
        if !c.extended && model.hard_exit_age_days > model.exit_age_days {
            let form = c.form.index();
            let p = model.forms[form].extension_probability[self.slot()];
            let u: f64 = self.streams().extension[form].random();
            if u < p {
                // Verlengde jeugdhulp: continue up to the hard exit age.
                self.clients[client as usize].extended = true;
                if matches!(c.status, Status::Waiting | Status::Blocked) {
                    self.schedule_waiting_events_after_extension(client, t);
                } else {
                    self.schedule_episode_event(client, t);
                }
                return;
            }
        }
        self.exit(client, ExitKind::AgedOut, t);
    }

    fn schedule_waiting_events_after_extension(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        let limit = self.age_limit(&c);
        if limit < self.model.years as f64 * DAYS_PER_YEAR {
            let generation = c.generation;
            self.queue
                .schedule(limit.max(t), Event::AgeCheck { client, generation });
        }
    }

    /// Leaves the waiting list of `form` without starting (escalation).
    pub(super) fn leave_waiting_list(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        let cell = self.cell_index(c.segment.index(), c.form.index());
        self.integrate_cell(cell, t);
        self.cells[cell].waiting -= 1;
        let cl = &mut self.clients[client as usize];
        cl.status = Status::Free;
        cl.generation = cl.generation.wrapping_add(1);
    }

    pub(super) fn on_renege(&mut self, client: u32, t: f64) {
        self.exit(client, ExitKind::Reneged, t);
    }

    pub(super) fn on_relapse(&mut self, client: u32, t: f64) {
        let c = self.clients[client as usize];
        let (segment, form) = (c.segment.index(), c.form.index());
        self.clients[client as usize].status = Status::Free;
        self.count(segment, form, CellMetric::Inflow, 1.0);
        self.place(client, form, t);
    }

    /// The client leaves youth care (or the waiting list) for good, or for a relapse delay.
    fn exit(&mut self, client: u32, kind: ExitKind, t: f64) {
        let c = self.clients[client as usize];
        let (segment, form) = (c.segment.index(), c.form.index());
        match c.status {
            Status::Waiting => self.leave_waiting_list(client, t),
            Status::InCare | Status::Blocked => {
                let before = self.placement(client);
                // Invalidate the waiting-list entry of a blocked client first.
                let cl = &mut self.clients[client as usize];
                cl.status = Status::Free;
                cl.generation = cl.generation.wrapping_add(1);
                self.release(before, t);
            }
            Status::Free | Status::RelapsePending => {}
        }
        match kind {
            ExitKind::Reneged => self.count(segment, form, CellMetric::Reneged, 1.0),
            ExitKind::AgedOut => {
                self.count(segment, form, CellMetric::Outflow, 1.0);
                self.count(segment, form, CellMetric::AgedOut, 1.0);
            }
            ExitKind::Discharged => self.count(segment, form, CellMetric::Outflow, 1.0),
            ExitKind::LeftRegion => {
                self.count(segment, form, CellMetric::Outflow, 1.0);
                self.count(segment, form, CellMetric::LeftRegion, 1.0);
            }
        }
        if kind == ExitKind::Discharged && self.schedule_relapse(client, t) {
            return;
        }
        self.free_client(client);
    }

    /// Zorgrecidive: with the relapse probability the client returns after a
    /// delay (if still under the exit age and inside the horizon).
    fn schedule_relapse(&mut self, client: u32, t: f64) -> bool {
        let model = self.model;
        let Some(rule) = &model.relapse else {
            return false;
        };
        let probability = rule.probability * self.levers.relapse[self.slot()];
        let streams = self.streams();
        let relapses = streams.relapse.random::<f64>() < probability;
        let back = t + rule.delay.sample(&mut streams.relapse);
        let c = &mut self.clients[client as usize];
        if !relapses
            || back >= c.birth + model.exit_age_days
            || back >= model.years as f64 * DAYS_PER_YEAR
        {
            return false;
        }
        c.status = Status::RelapsePending;
        c.generation = c.generation.wrapping_add(1);
        let generation = c.generation;
        self.queue
            .schedule(back, Event::Relapse { client, generation });
        true
    }
}
