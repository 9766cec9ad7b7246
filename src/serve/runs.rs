//! Running what-ifs against the served scenario: every request runs the
//! same replication indices on the same seed as the base (common random
//! numbers), the base's own replications are kept once computed, and
//! results go out as replications finish. A newer request cancels the
//! running one; only one simulation runs at a time.

use super::summary::{Money, Party, RunResult, Sample, summarize};
use crate::error::{Error, InputError};
use crate::metrics::Layout;
use crate::model::Model;
use crate::montecarlo::{Plan, ReplicationModel, Subject, run_each};
use crate::pipeline::Prepared;
use crate::pipeline::required::{Party as Scope, party_columns};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Shortest time between two progress results of one run.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

/// How a run ended, or a result on the way.
pub enum Event {
    Progress(RunResult),
    Done(RunResult),
    Cancelled,
}

/// The cost and lumpsum columns of every party and year in one model's
/// layout: `[party][year] = (cost, lumpsum)`, flattened.
pub struct Columns {
    pub layout: Layout,
    pub flat: Vec<usize>,
}

impl Columns {
    pub fn new(model: &Model, parties: &[Party], years: &[i32]) -> Result<Columns, InputError> {
        let layout = Layout::new(model);
        let mut flat = Vec::with_capacity(parties.len() * years.len() * 2);
        for party in parties {
            let scope = Scope {
                kind: party.kind,
                name: party.name.clone(),
            };
            for &year in years {
                let (cost, lumpsum) = party_columns(&layout, &scope, year)?;
                flat.extend([cost, lumpsum]);
            }
        }
        Ok(Columns { layout, flat })
    }
}

/// Cost and lumpsum in euros of one replication, from its kept columns (cents).
fn money(values: &[f64], parties: usize, years: usize) -> Money {
    let at = |p: usize, y: usize, k: usize| values[(p * years + y) * 2 + k] / 100.0;
    Money {
        cost: (0..parties)
            .map(|p| (0..years).map(|y| at(p, y, 0)).collect())
            .collect(),
        lumpsum: (0..parties)
            .map(|p| (0..years).map(|y| at(p, y, 1)).collect())
            .collect(),
    }
}

/// The base's replications computed so far (and its counterfactual without
/// the plan), by index: a what-if on the same indices pairs with them.
#[derive(Default)]
pub struct Cache {
    pub base: BTreeMap<u64, Arc<Money>>,
    pub without_plan: BTreeMap<u64, Arc<Money>>,
}

/// What stays the same across runs: the base and its columns.
pub struct Runs {
    pub base: Prepared,
    pub base_columns: Columns,
    pub twin_columns: Option<Columns>,
    pub parties: Vec<Party>,
    pub years: Vec<i32>,
    pub seed: u64,
    pub threads: usize,
    pub cache: Mutex<Cache>,
    /// The cancel flag of the latest request.
    latest: Mutex<Option<Arc<AtomicBool>>>,
}

impl Runs {
    pub fn new(
        base: Prepared,
        parties: Vec<Party>,
        years: Vec<i32>,
        threads: usize,
    ) -> Result<Runs, InputError> {
        let base_columns = Columns::new(&base.model, &parties, &years)?;
        let twin_columns = match &base.without_plan {
            Some(t) => Some(Columns::new(&t.model, &parties, &years)?),
            None => None,
        };
        Ok(Runs {
            seed: base.default_seed,
            base,
            base_columns,
            twin_columns,
            parties,
            years,
            threads,
            cache: Mutex::default(),
            latest: Mutex::default(),
        })
    }

    /// A flag for a new request; the previous request's flag is set, so
    /// its run stops taking replications.
    pub fn supersede(&self) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        let mut latest = self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(old) = latest.replace(flag.clone()) {
            old.store(true, Ordering::Relaxed);
        }
        flag
    }

    /// A flag for work nobody asked for (the base at start-up), only when
    /// no request has come yet; a request then supersedes it as any other.
    pub fn claim_if_idle(&self) -> Option<Arc<AtomicBool>> {
        let mut latest = self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if latest.is_some() {
            return None;
        }
        let flag = Arc::new(AtomicBool::new(false));
        *latest = Some(flag.clone());
        Some(flag)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs replications 0 … n − 1 of `variant` (`None`: the base itself)
    /// beside whatever the cache lacks of the base, calling `emit` with
    /// results as they fill and the final one (or `Cancelled`).
    pub fn run(
        &self,
        variant: Option<&Prepared>,
        n: u64,
        cancel: &AtomicBool,
        emit: &mut dyn FnMut(Event) -> bool,
    ) -> Result<(), Error> {
        let started = Instant::now();
        let variant_columns = match variant {
            Some(v) => Some(Columns::new(&v.model, &self.parties, &self.years)?),
            None => None,
        };
        let (base_known, twin_known): (Vec<u64>, Vec<u64>) = {
            let cache = self.cache();
            let keys = |m: &BTreeMap<u64, Arc<Money>>| m.keys().copied().collect();
            (keys(&cache.base), keys(&cache.without_plan))
        };
        let skip_base = |r: u64| base_known.binary_search(&r).is_ok();
        let skip_twin = |r: u64| twin_known.binary_search(&r).is_ok();
        let twin = self.base.without_plan.as_deref();
        let samplers = [variant, Some(&self.base), twin].map(|p| {
            p.and_then(|p| p.uncertainty.as_ref())
                .map(|u| u.sampler(self.seed))
        });
        let builders = samplers.each_ref().map(|s| {
            s.as_ref().map(|s| {
                Box::new(move |r: u64| s.model(r).map(|(m, _)| m)) as Box<ReplicationModel<'_>>
            })
        });
        let mut subjects = Vec::new();
        if let (Some(v), Some(c)) = (variant, &variant_columns) {
            subjects.push(subject(v, c, builders[0].as_deref(), None));
        }
        subjects.push(subject(
            &self.base,
            &self.base_columns,
            builders[1].as_deref(),
            Some(&skip_base),
        ));
        if let (Some(t), Some(c)) = (twin, &self.twin_columns) {
            subjects.push(subject(t, c, builders[2].as_deref(), Some(&skip_twin)));
        }
        let plan = Plan {
            seed: self.seed,
            replications: 0..n,
            threads: self.threads,
        };
        let (sender, receiver) = mpsc::channel::<(u64, Vec<Option<Vec<f64>>>)>();
        let mut gather = Gather {
            runs: self,
            own: BTreeMap::new(),
            has_variant: variant.is_some(),
            n,
            started,
        };
        let complete = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let sender = Mutex::new(sender);
                run_each(&subjects, &plan, cancel, &|r, values| {
                    let sender = sender
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let _ = sender.send((r, values));
                })
            });
            gather.until_done(&receiver, cancel, emit);
            worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        })?;
        emit(match complete {
            true => Event::Done(gather.result(true)),
            false => Event::Cancelled,
        });
        Ok(())
    }
}

/// One subject of a run: a prepared scenario with its columns.
fn subject<'a>(
    prepared: &'a Prepared,
    columns: &'a Columns,
    per_replication: Option<&'a ReplicationModel<'a>>,
    skip: Option<&'a (dyn Fn(u64) -> bool + Sync)>,
) -> Subject<'a> {
    Subject {
        model: &prepared.model,
        layout: &columns.layout,
        columns: &columns.flat,
        per_replication,
        skip,
    }
}

/// The finished replications of one run as they arrive: the variant's
/// kept here, the base's and its twin's put in the cache.
struct Gather<'a> {
    runs: &'a Runs,
    own: BTreeMap<u64, Arc<Money>>,
    has_variant: bool,
    n: u64,
    started: Instant,
}

impl Gather<'_> {
    /// Takes replications until the workers are done, emitting a result
    /// at most every `PROGRESS_EVERY` (the first at once); a client gone
    /// (`emit` false) cancels the run.
    fn until_done(
        &mut self,
        receiver: &mpsc::Receiver<(u64, Vec<Option<Vec<f64>>>)>,
        cancel: &AtomicBool,
        emit: &mut dyn FnMut(Event) -> bool,
    ) {
        let mut last = self
            .started
            .checked_sub(PROGRESS_EVERY)
            .unwrap_or(self.started);
        let mut shown = 0;
        loop {
            match receiver.recv_timeout(PROGRESS_EVERY) {
                Ok((r, values)) => self.take(r, &values),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if last.elapsed() < PROGRESS_EVERY || cancel.load(Ordering::Relaxed) {
                continue;
            }
            let result = self.result(false);
            if result.replications > shown {
                shown = result.replications;
                if !emit(Event::Progress(result)) {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
            last = Instant::now();
        }
    }

    /// One replication's values, in the order of the run's subjects.
    fn take(&mut self, r: u64, values: &[Option<Vec<f64>>]) {
        let (p, y) = (self.runs.parties.len(), self.runs.years.len());
        let mut values = values.iter();
        if self.has_variant
            && let Some(Some(v)) = values.next()
        {
            self.own.insert(r, Arc::new(money(v, p, y)));
        }
        let mut cache = self.runs.cache();
        if let Some(Some(v)) = values.next() {
            cache.base.insert(r, Arc::new(money(v, p, y)));
        }
        if let Some(Some(v)) = values.next() {
            cache.without_plan.insert(r, Arc::new(money(v, p, y)));
        }
    }

    /// The result over the longest run of finished replications 0 … k − 1
    /// (so a result with k replications is the same whatever the threads did).
    fn result(&self, done: bool) -> RunResult {
        let (runs, own, n) = (self.runs, &self.own, self.n);
        let cache = runs.cache();
        let has_twin = runs.base.without_plan.is_some();
        let complete = |r: u64| {
            cache.base.contains_key(&r)
                && (!self.has_variant || own.contains_key(&r))
                && (!has_twin || cache.without_plan.contains_key(&r))
        };
        let k = (0..n).take_while(|&r| complete(r)).count() as u64;
        let base: Vec<&Money> = (0..k).map(|r| cache.base[&r].as_ref()).collect();
        let variant: Vec<&Money> = if self.has_variant {
            (0..k).map(|r| own[&r].as_ref()).collect()
        } else {
            base.clone()
        };
        let without_plan =
            has_twin.then(|| (0..k).map(|r| cache.without_plan[&r].as_ref()).collect());
        let sample = Sample {
            variant,
            base: Some(base),
            without_plan,
        };
        RunResult {
            replications: k as usize,
            requested: n,
            done,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
            seed: runs.seed,
            years: runs.years.clone(),
            parties: summarize(&runs.parties, runs.years.len(), &sample),
        }
    }
}
