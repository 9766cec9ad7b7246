//! The youth-care client process of one replication: arrivals, placement or
//! overflow, episodes, transitions, blocking, ageing and relapse, recorded as
//! its record. One `Simulation` runs on one thread and is reused across the
//! replications that thread runs (buffers are kept, state is reset).

mod disruptions;
mod flow;
mod levers;
mod overrun;
mod tally;
mod waitlist;

pub use overrun::Overrun;

use crate::record::{CellMetric, Draws, Exposure, Record};

use crate::calendar::DAYS_PER_YEAR;
use crate::engine::{EventQueue, Purpose, StreamFactory, StreamRng};
use crate::model::{FormId, InitialStatus, Model, NO_POOL, PoolId, SegmentId};
use levers::Levers;
use rand::Rng;
use rand_distr::{Distribution, Exp1};
use tally::Tally;
use waitlist::WaitList;

#[derive(Clone, Copy, Debug)]
enum Event {
    Arrival { stream: u32 },
    EpisodeEnd { client: u32, generation: u32 },
    AgeCheck { client: u32, generation: u32 },
    Renege { client: u32, generation: u32 },
    Relapse { client: u32, generation: u32 },
    Escalate { client: u32, generation: u32 },
    CapacityLoss { index: u32 },
    YearEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Free,
    InCare,
    /// In care in `form`, waiting for a place in `target`.
    Blocked,
    /// At home, waiting for a place in `form`.
    Waiting,
    RelapsePending,
}

#[derive(Clone, Copy, Debug)]
struct Client {
    birth: f64,
    /// Start of the current episode, wait or block.
    since: f64,
    planned_end: f64,
    generation: u32,
    pool: PoolId,
    segment: SegmentId,
    form: FormId,
    target: FormId,
    priority: u8,
    status: Status,
    out_of_region: bool,
    extended: bool,
    /// Cost multiplier of the current episode (1 unless its form has a
    /// high-cost client class).
    cost: f64,
}

/// Running counts of one (segment, form) cell, integrated over time.
#[derive(Clone, Copy, Debug, Default)]
struct CellState {
    local: u32,
    out_of_region: u32,
    blocked: u32,
    waiting: u32,
    /// Sums of the cost multipliers of the clients in `local` and in
    /// `out_of_region` (equal to the counts without a high-cost class).
    weight_local: f64,
    weight_away: f64,
    last: f64,
}

#[derive(Clone, Copy, Debug, Default)]
struct PoolState {
    occupied: u32,
    capacity: u32,
    last: f64,
}

struct Streams {
    arrivals: Vec<StreamRng>,
    durations: Vec<StreamRng>,
    routing: Vec<StreamRng>,
    ages: Vec<StreamRng>,
    extension: Vec<StreamRng>,
    patience: Vec<StreamRng>,
    diversion: Vec<StreamRng>,
    escalation: Vec<StreamRng>,
    client_cost: Vec<StreamRng>,
    relapse: StreamRng,
    initial: StreamRng,
}

impl Streams {
    fn new(factory: &StreamFactory, replication: u64, model: &Model) -> Self {
        let per = |purpose, n: usize| {
            (0..n)
                .map(|i| factory.stream(replication, purpose, i as u16))
                .collect()
        };
        let forms = model.forms.len();
        Streams {
            arrivals: per(Purpose::Arrivals, model.streams.len()),
            durations: per(Purpose::Durations, forms),
            routing: per(Purpose::Routing, forms),
            ages: per(Purpose::Ages, forms),
            extension: per(Purpose::Extension, forms),
            patience: per(Purpose::Patience, forms),
            diversion: per(Purpose::Diversion, forms),
            escalation: per(Purpose::Escalation, forms),
            client_cost: per(Purpose::ClientCost, forms),
            relapse: factory.stream(replication, Purpose::Relapse, 0),
            initial: factory.stream(replication, Purpose::InitialState, 0),
        }
    }

    /// Re-keys every stream for `replication` in place (the same streams
    /// as `new`, without allocating per replication).
    fn reset(&mut self, factory: &StreamFactory, replication: u64) {
        let per = |rngs: &mut Vec<StreamRng>, purpose| {
            for (i, rng) in rngs.iter_mut().enumerate() {
                *rng = factory.stream(replication, purpose, i as u16);
            }
        };
        per(&mut self.arrivals, Purpose::Arrivals);
        per(&mut self.durations, Purpose::Durations);
        per(&mut self.routing, Purpose::Routing);
        per(&mut self.ages, Purpose::Ages);
        per(&mut self.extension, Purpose::Extension);
        per(&mut self.patience, Purpose::Patience);
        per(&mut self.diversion, Purpose::Diversion);
        per(&mut self.escalation, Purpose::Escalation);
        per(&mut self.client_cost, Purpose::ClientCost);
        self.relapse = factory.stream(replication, Purpose::Relapse, 0);
        self.initial = factory.stream(replication, Purpose::InitialState, 0);
    }
}

/// One replication's simulation state; reusable across replications.
pub struct Simulation<'m> {
    model: &'m Model,
    queue: EventQueue<Event>,
    clients: Vec<Client>,
    free: Vec<u32>,
    cells: Vec<CellState>,
    pools: Vec<PoolState>,
    waiting: Vec<WaitList>,
    record: Record,
    /// This year's metrics, written to `record` at the year end.
    tally: Tally,
    levers: Levers,
    /// Keyed for the replication at the start of each run (not an
    /// `Option`: no unwrap on every draw).
    streams: Streams,
    /// Current simulation year; negative during warm-up.
    year: i32,
    /// `model.year_slot(year)`, kept with `year` (read on most events).
    slot: usize,
}

impl<'m> Simulation<'m> {
    pub fn new(model: &'m Model) -> Self {
        // Calendar buckets for the first run: about an arrival and an
        // episode end per client (later runs fit the density they saw).
        let arrivals_per_day: f64 = model.streams.iter().map(|s| s.rate_per_day[0]).sum();
        let mut queue = EventQueue::with_capacity(1024);
        queue.fit_width(2.0 * arrivals_per_day);
        Simulation {
            model,
            queue,
            clients: Vec::with_capacity(1024),
            free: Vec::new(),
            cells: vec![CellState::default(); model.segments.len() * model.forms.len()],
            pools: vec![PoolState::default(); model.pools.len()],
            waiting: vec![WaitList::default(); model.pools.len()],
            record: Record {
                exposure: Exposure::new(
                    model.years,
                    model.segments.len(),
                    model.forms.len(),
                    model.pools.len(),
                ),
                draws: Draws::new(model.years, model.forms.len(), model.interventions.len()),
            },
            tally: Tally::new(
                model.segments.len() * model.forms.len(),
                model.pools.len(),
                model.forms.len(),
            ),
            levers: Levers::new(model),
            streams: Streams::new(&StreamFactory::new(0), 0, model),
            year: 0,
            slot: 0,
        }
    }

    /// Runs replication `replication` under master seed `seed`.
    pub fn run(&mut self, seed: u64, replication: u64) -> Result<&Record, Overrun> {
        self.run_with(&StreamFactory::new(seed), replication)
    }

    /// Runs a replication with streams from `factory` (shared across calls);
    /// stops with an `Overrun` past the model's event budget.
    pub fn run_with(
        &mut self,
        factory: &StreamFactory,
        replication: u64,
    ) -> Result<&Record, Overrun> {
        self.reset(factory, replication);
        self.schedule_start();
        let budget = self.model.event_budget;
        while let Some(next) = self.queue.pop() {
            if self.queue.processed() > budget {
                return Err(self.overrun(replication, next.event, next.time));
            }
            if self.handle(next.event, next.time) {
                break;
            }
        }
        self.record.exposure.events = self.queue.processed();
        Ok(&self.record)
    }

    /// Clears the state of the previous replication and sets its levers.
    fn reset(&mut self, factory: &StreamFactory, replication: u64) {
        let model = self.model;
        let start = -(model.warmup_years as f64) * DAYS_PER_YEAR;
        self.queue.reset(start);
        self.clients.clear();
        self.free.clear();
        self.cells.fill(CellState {
            last: start,
            ..CellState::default()
        });
        for (state, pool) in self.pools.iter_mut().zip(&model.pools) {
            *state = PoolState {
                occupied: 0,
                capacity: pool.capacity[0],
                last: start,
            };
        }
        self.waiting.iter_mut().for_each(WaitList::clear);
        self.record.exposure.reset();
        self.tally.clear();
        self.levers.draw(model, &mut self.record.draws);
        self.streams.reset(factory, replication);
        self.set_year(-(model.warmup_years as i32));
    }

    fn set_year(&mut self, year: i32) {
        self.year = year;
        self.slot = self.model.year_slot(year);
    }

    /// The initial caseload, the first arrival of every stream, the first
    /// year end and the capacity losses.
    fn schedule_start(&mut self) {
        let model = self.model;
        let start = -(model.warmup_years as f64) * DAYS_PER_YEAR;
        self.load_initial_caseload();
        if self.year == 0 {
            self.snapshot_initial();
        }
        for s in 0..model.streams.len() {
            self.schedule_arrival(s as u32, start);
        }
        self.queue
            .schedule((self.year + 1) as f64 * DAYS_PER_YEAR, Event::YearEnd);
        for (index, loss) in model.capacity_losses.iter().enumerate() {
            self.queue.schedule(
                loss.time,
                Event::CapacityLoss {
                    index: index as u32,
                },
            );
        }
    }

    /// Handles one event; true when the horizon has ended.
    #[inline]
    fn handle(&mut self, event: Event, t: f64) -> bool {
        match event {
            Event::Arrival { stream } => self.on_arrival(stream, t),
            Event::EpisodeEnd { client, generation } => {
                if self.current(client, generation) {
                    self.on_episode_end(client, t);
                }
            }
            Event::AgeCheck { client, generation } => {
                if self.current(client, generation) {
                    self.on_age_check(client, t);
                }
            }
            Event::Renege { client, generation } => {
                if self.current(client, generation) {
                    self.on_renege(client, t);
                }
            }
            Event::Relapse { client, generation } => {
                if self.current(client, generation) {
                    self.on_relapse(client, t);
                }
            }
            Event::Escalate { client, generation } => {
                if self.current(client, generation) {
                    self.on_escalate(client, t);
                }
            }
            Event::CapacityLoss { index } => self.on_capacity_loss(index as usize, t),
            Event::YearEnd => return self.on_year_end(t),
        }
        false
    }

    #[inline]
    fn streams(&mut self) -> &mut Streams {
        &mut self.streams
    }

    #[inline]
    fn current(&self, client: u32, generation: u32) -> bool {
        self.clients[client as usize].generation == generation
    }

    /// Horizon year index of the current year (warm-up uses the first year).
    #[inline]
    fn slot(&self) -> usize {
        self.slot
    }

    #[inline]
    fn recording(&self) -> Option<usize> {
        (self.year >= 0).then_some(self.year as usize)
    }

    /// Draws the next arrival of `stream` after `from`: one Exp(1) draw
    /// inverted through the piecewise-constant yearly rate (exact for a
    /// non-homogeneous Poisson process with per-year rates).
    fn schedule_arrival(&mut self, stream: u32, from: f64) {
        let model = self.model;
        let s = &model.streams[stream as usize];
        let rates = &s.rate_per_day;
        let mut remaining: f64 = Exp1.sample(&mut self.streams().arrivals[stream as usize]);
        let mut t = from;
        let horizon_end = model.years as f64 * DAYS_PER_YEAR;
        while t < horizon_end {
            let y = floor_i32(t / DAYS_PER_YEAR);
            let year_end = (y + 1) as f64 * DAYS_PER_YEAR;
            let slot = model.year_slot(y);
            let rate = rates[slot] * self.levers.inflow[self.levers.at(s.form.index(), slot)];
            if rate > 0.0 {
                let dt = remaining / rate;
                if t + dt < year_end {
                    self.queue.schedule(t + dt, Event::Arrival { stream });
                    return;
                }
                remaining -= rate * (year_end - t);
            }
            t = year_end;
        }
    }

    fn on_arrival(&mut self, stream: u32, t: f64) {
        let model = self.model;
        let s = &model.streams[stream as usize];
        let divert = self.levers.divert[self.levers.at(s.form.index(), self.slot())];
        if divert > 0.0 && self.streams().diversion[s.form.index()].random::<f64>() < divert {
            // Verantwoord nee zeggen: referred to basic care, not counted as inflow.
            self.count(s.segment.index(), s.form.index(), CellMetric::Diverted, 1.0);
            self.schedule_arrival(stream, t);
            return;
        }
        let age = model.forms[s.form.index()]
            .age
            .sample(&mut self.streams().ages[s.form.index()]);
        let client = self.new_client(Client {
            birth: t - age * DAYS_PER_YEAR,
            since: t,
            planned_end: t,
            generation: 0,
            pool: NO_POOL,
            segment: s.segment,
            form: s.form,
            target: s.form,
            priority: s.priority,
            status: Status::Free,
            out_of_region: false,
            extended: false,
            cost: 1.0,
        });
        self.count(s.segment.index(), s.form.index(), CellMetric::Inflow, 1.0);
        self.place(client, s.form.index(), t);
        self.schedule_arrival(stream, t);
    }

    fn new_client(&mut self, client: Client) -> u32 {
        match self.free.pop() {
            Some(i) => {
                let generation = self.clients[i as usize].generation.wrapping_add(1);
                self.clients[i as usize] = Client {
                    generation,
                    ..client
                };
                i
            }
            None => {
                self.clients.push(client);
                (self.clients.len() - 1) as u32
            }
        }
    }

    fn free_client(&mut self, client: u32) {
        let c = &mut self.clients[client as usize];
        c.status = Status::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free.push(client);
    }

    /// Clients in care or waiting at the start date, from the caseload CSV.
    fn load_initial_caseload(&mut self) {
        let model = self.model;
        for init in &model.initial {
            let client = self.new_client(Client {
                birth: -init.age_years * DAYS_PER_YEAR,
                since: -init.elapsed_days,
                planned_end: 0.0,
                generation: 0,
                pool: NO_POOL,
                segment: init.segment,
                form: init.form,
                target: init.form,
                priority: init.priority,
                status: Status::Free,
                out_of_region: false,
                extended: false,
                cost: 1.0,
            });
            match init.status {
                InitialStatus::InCare => {
                    self.draw_cost(client, init.form.index());
                    let rest = model.forms[init.form.index()]
                        .duration
                        .sample_residual(init.elapsed_days, &mut self.streams().initial);
                    let pool =
                        model.pool(init.form.index(), model.segments[init.segment.index()].area);
                    self.occupy(client, init.form.index(), pool, false, 0.0);
                    self.clients[client as usize].planned_end = rest;
                    self.schedule_episode_event(client, 0.0);
                }
                InitialStatus::Waiting => {
                    // Waiting since `elapsed` days: placed now if a place is
                    // free (the wait is then recorded), else back on the list
                    // with its original waiting time.
                    let c = &mut self.clients[client as usize];
                    c.status = Status::Waiting;
                    self.place(client, init.form.index(), 0.0);
                    let c = &mut self.clients[client as usize];
                    if c.status == Status::Waiting {
                        c.since = -init.elapsed_days;
                    }
                }
            }
        }
    }

    /// Records the state at the start of the horizon (for conservation checks).
    fn snapshot_initial(&mut self) {
        for (i, c) in self.cells.iter().enumerate() {
            self.record.exposure.initial_active[i] = (c.local + c.out_of_region) as f64;
            self.record.exposure.initial_waiting[i] = c.waiting as f64;
        }
    }

    /// Closes the year: integrates all cells and pools, snapshots year-end
    /// counts, moves to the next year's capacities. Returns true at the end
    /// of the horizon.
    fn on_year_end(&mut self, t: f64) -> bool {
        let model = self.model;
        self.close_year(t);
        self.set_year(self.year + 1);
        if self.year >= model.years as i32 {
            return true;
        }
        if self.year == 0 {
            self.snapshot_initial();
        }
        let slot = self.slot;
        for p in 0..self.pools.len() {
            self.pools[p].capacity = model.pools[p].capacity[slot];
            self.note_peak(p);
            self.refill(PoolId::of(p), t);
        }
        self.queue
            .schedule((self.year + 1) as f64 * DAYS_PER_YEAR, Event::YearEnd);
        false
    }

    #[inline]
    fn cell_index(&self, segment: usize, form: usize) -> usize {
        segment * self.model.forms.len() + form
    }
}

/// `x.floor() as i32` for |x| < 2³¹ (and 0 for NaN, as the cast), without
/// the library call `floor` is on baseline x86-64.
#[inline]
fn floor_i32(x: f64) -> i32 {
    let i = x as i32;
    if (i as f64) > x { i - 1 } else { i }
}
