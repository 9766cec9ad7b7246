//! Running what-ifs against the served scenario: every request runs the
//! same replication indices on the same seed as the base (common random
//! numbers), the base's own replications are kept once computed, and
//! results go out as replications finish. A newer request cancels the
//! running one; only one simulation runs at a time.

use super::summary::{Money, Party, RunResult, Sample, summarize};
use crate::error::{Error, InputError};
use crate::metrics::{Layout, ScopeKind};
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
            let kind = match party.kind {
                "municipality" => ScopeKind::Municipality,
                "provider" => ScopeKind::Provider,
                _ => ScopeKind::Region,
            };
            let scope = Scope {
                kind,
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
        let twin = self
            .base
            .without_plan
            .as_deref()
            .zip(self.twin_columns.as_ref());
        let (base_known, twin_known): (Vec<u64>, Vec<u64>) = {
            let cache = self.cache();
            (
                cache.base.keys().copied().collect(),
                cache.without_plan.keys().copied().collect(),
            )
        };
        let skip_base = |r: u64| base_known.binary_search(&r).is_ok();
        let skip_twin = |r: u64| twin_known.binary_search(&r).is_ok();
        let samplers = [variant, Some(&self.base), twin.map(|t| t.0)].map(|p| {
            p.and_then(|p| p.uncertainty.as_ref())
                .map(|u| u.sampler(self.seed))
        });
        let builders: Vec<Option<Box<ReplicationModel<'_>>>> = samplers
            .iter()
            .map(|s| {
                s.as_ref().map(|s| {
                    Box::new(move |r: u64| s.model(r).map(|(m, _)| m)) as Box<ReplicationModel<'_>>
                })
            })
            .collect();
        let mut subjects = Vec::new();
        if let (Some(v), Some(c)) = (variant, &variant_columns) {
            subjects.push(Subject {
                model: &v.model,
                layout: &c.layout,
                columns: &c.flat,
                per_replication: builders[0].as_deref(),
                skip: None,
            });
        }
        subjects.push(Subject {
            model: &self.base.model,
            layout: &self.base_columns.layout,
            columns: &self.base_columns.flat,
            per_replication: builders[1].as_deref(),
            skip: Some(&skip_base),
        });
        if let Some((t, c)) = twin {
            subjects.push(Subject {
                model: &t.model,
                layout: &c.layout,
                columns: &c.flat,
                per_replication: builders[2].as_deref(),
                skip: Some(&skip_twin),
            });
        }
        let plan = Plan {
            seed: self.seed,
            replications: 0..n,
            threads: self.threads,
        };
        let (sender, receiver) = mpsc::channel::<(u64, Vec<Option<Vec<f64>>>)>();
        let mut own: BTreeMap<u64, Arc<Money>> = BTreeMap::new();
        let (p, y) = (self.parties.len(), self.years.len());
        let outcome = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let sender = Mutex::new(sender);
                run_each(&subjects, &plan, cancel, &|r, values| {
                    let _ = sender
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .send((r, values));
                })
            });
            // The first finished replication is shown at once.
            let mut last = started.checked_sub(PROGRESS_EVERY).unwrap_or(started);
            let mut shown = 0;
            loop {
                let received = receiver.recv_timeout(PROGRESS_EVERY);
                if let Ok((r, values)) = &received {
                    let mut cache = self.cache();
                    let mut values = values.iter();
                    if variant.is_some()
                        && let Some(Some(v)) = values.next()
                    {
                        own.insert(*r, Arc::new(money(v, p, y)));
                    }
                    if let Some(Some(v)) = values.next() {
                        cache.base.insert(*r, Arc::new(money(v, p, y)));
                    }
                    if let Some(Some(v)) = values.next() {
                        cache.without_plan.insert(*r, Arc::new(money(v, p, y)));
                    }
                }
                let finished = matches!(received, Err(mpsc::RecvTimeoutError::Disconnected));
                if finished {
                    break;
                }
                if last.elapsed() >= PROGRESS_EVERY && !cancel.load(Ordering::Relaxed) {
                    let result = self.result(&own, variant.is_some(), n, started, false);
                    if result.replications > shown {
                        shown = result.replications;
                        if !emit(Event::Progress(result)) {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                    last = Instant::now();
                }
            }
            worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
        if !outcome? {
            emit(Event::Cancelled);
            return Ok(());
        }
        emit(Event::Done(self.result(
            &own,
            variant.is_some(),
            n,
            started,
            true,
        )));
        Ok(())
    }

    /// The result over the longest run of finished replications 0 … k − 1
    /// (so a result with k replications is the same whatever the threads did).
    fn result(
        &self,
        own: &BTreeMap<u64, Arc<Money>>,
        has_variant: bool,
        n: u64,
        started: Instant,
        done: bool,
    ) -> RunResult {
        let cache = self.cache();
        let has_twin = self.base.without_plan.is_some();
        let complete = |r: u64| {
            cache.base.contains_key(&r)
                && (!has_variant || own.contains_key(&r))
                && (!has_twin || cache.without_plan.contains_key(&r))
        };
        let k = (0..n).take_while(|&r| complete(r)).count() as u64;
        let base: Vec<&Money> = (0..k).map(|r| cache.base[&r].as_ref()).collect();
        let variant: Vec<&Money> = if has_variant {
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
            elapsed_ms: started.elapsed().as_millis() as u64,
            seed: self.seed,
            years: self.years.clone(),
            parties: summarize(&self.parties, self.years.len(), &sample),
        }
    }
}
