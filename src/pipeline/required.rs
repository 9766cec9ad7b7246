//! `required`: the inverse question — which change of one lever brings
//! P(cost > lumpsum) of a party in a year to a target?
//!
//! The lever is added to the compiled model as one more intervention on
//! every care form (full effect from `--from`, no ramp, no uncertainty), and
//! the scenario is run in memory at changing effect sizes, always on the
//! same seed and replications (common random numbers), so the empirical
//! P̂(change) is (nearly) monotone and the root finder of
//! `analysis::root_finding` can bracket and bisect it. The answer is
//! confirmed on fresh replications: indices R … 2R − 1 of the same seed,
//! whose streams the search never used.

use super::{Prepared, Runner};
use crate::analysis::root_finding::{self, Answer, Levels, Range, Status};
use crate::error::{Error, InputError};
use crate::metrics::{ColumnKey, Layout, Metric, ScopeKind};
use crate::model::{InterventionModel, Lever, Model, budget};
use crate::montecarlo::{Plan, ReplicationModel, run_columns};
use crate::output::required::RequiredRow;
use crate::pipeline::uncertain::Sampler;
use crate::scenario::schema;
use std::ops::Range as Replications;
use std::sync::atomic::{AtomicBool, Ordering};

/// The levers `required` can move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequiredLever {
    Inflow,
    Duration,
    Tariff,
    Exit,
    Access,
}

impl RequiredLever {
    /// Every lever, in the order the command line and the page list them.
    pub const ALL: [RequiredLever; 5] = [
        RequiredLever::Inflow,
        RequiredLever::Duration,
        RequiredLever::Tariff,
        RequiredLever::Exit,
        RequiredLever::Access,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RequiredLever::Inflow => "inflow",
            RequiredLever::Duration => "duration",
            RequiredLever::Tariff => "tariff",
            RequiredLever::Exit => "exit",
            RequiredLever::Access => "access",
        }
    }

    fn lever(self) -> (Lever, schema::Lever) {
        match self {
            RequiredLever::Inflow => (Lever::Inflow, schema::Lever::Inflow),
            RequiredLever::Duration => (Lever::Duration, schema::Lever::Duration),
            RequiredLever::Tariff => (Lever::Tariff, schema::Lever::Tariff),
            RequiredLever::Exit => (Lever::Exit, schema::Lever::Exit),
            RequiredLever::Access => (Lever::Access, schema::Lever::Access),
        }
    }

    /// Whether cost rises as the effect grows (inflow, duration, tariff
    /// multiply by 1 + effect; exit and access are shares that lower it).
    fn raises_cost(self) -> bool {
        matches!(
            self,
            RequiredLever::Inflow | RequiredLever::Duration | RequiredLever::Tariff
        )
    }

    /// The effects searched: the intervention's valid range, capped at +100 %
    /// (a doubling) for the multiplying levers.
    pub fn effect_range(self) -> (f64, f64) {
        let (lo, hi) = self.lever().1.effect_range();
        (lo, hi.min(1.0))
    }

    /// The search range in the oriented coordinate u (P̂ rises with u):
    /// u = effect for levers that raise cost, u = −effect for the others.
    fn search_range(self) -> Range {
        let (lo, hi) = self.effect_range();
        let (low, high) = if self.raises_cost() {
            (lo, hi)
        } else {
            (-hi, -lo)
        };
        Range {
            low,
            high,
            first_step: 0.01,
            min_width: 1e-4,
            max_evaluations: 40,
        }
    }

    fn effect(self, u: f64) -> f64 {
        if self.raises_cost() { u } else { -u }
    }
}

/// Whose P(cost > lumpsum): the region, a municipality or a provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub kind: ScopeKind,
    /// The name as in the scenario (`region` for the region).
    pub name: String,
}

impl std::str::FromStr for Party {
    type Err = InputError;

    /// `region`, `provider:NAME` or `municipality:NAME`.
    fn from_str(s: &str) -> Result<Self, InputError> {
        let party = |kind: ScopeKind, name: &str| Party {
            kind,
            name: name.to_string(),
        };
        match s.split_once(':') {
            None if s == "region" => Ok(party(ScopeKind::Region, "region")),
            Some(("provider", name)) if !name.is_empty() => Ok(party(ScopeKind::Provider, name)),
            Some(("municipality", name)) if !name.is_empty() => {
                Ok(party(ScopeKind::Municipality, name))
            }
            _ => Err(InputError::new(format!("--scope {s:?} is not a scope"))
                .field("--scope")
                .fix("use `region`, `provider:NAME` or `municipality:NAME` (names as in the scenario)")),
        }
    }
}

/// What `required` is asked.
#[derive(Clone, Debug)]
pub struct Question {
    pub lever: RequiredLever,
    pub year: i32,
    /// First year of the change (default: the start year).
    pub from: Option<i32>,
    pub targets: Vec<f64>,
    pub party: Party,
}

/// The cost and lumpsum columns of the question's party and year, after
/// checking the year, `--from` and the targets (all exit 2 with a fix).
pub fn check(model: &Model, layout: &Layout, q: &Question) -> Result<(usize, usize), InputError> {
    let (first, last) = (model.start_year, model.start_year + model.years as i32 - 1);
    let horizon = |flag: &str, year: i32| {
        InputError::new(format!(
            "{flag} {year} lies outside the horizon {first}–{last}"
        ))
        .field(flag.to_string())
        .fix(format!("use a year from {first} to {last}"))
    };
    if !(first..=last).contains(&q.year) {
        return Err(horizon("--year", q.year));
    }
    let from = q.from.unwrap_or(first);
    if !(first..=last).contains(&from) {
        return Err(horizon("--from", from));
    }
    if from > q.year {
        return Err(InputError::new(format!(
            "--from {from} is after --year {}: the change would not act on that year",
            q.year
        ))
        .field("--from")
        .fix(format!("use --from {} or earlier", q.year)));
    }
    if let Some(p) = q.targets.iter().find(|p| !(**p > 0.0 && **p < 1.0)) {
        return Err(InputError::new(format!(
            "--target {p} is not a probability strictly between 0 and 1"
        ))
        .field("--target")
        .fix("give P(cost > lumpsum) as a fraction, e.g. --target 0.5 or --target 0.2"));
    }
    party_columns(layout, &q.party, q.year)
}

/// The party total's cost and lumpsum columns in `year`.
pub fn party_columns(
    layout: &Layout,
    party: &Party,
    year: i32,
) -> Result<(usize, usize), InputError> {
    let is_party = |k: &ColumnKey| {
        k.year == year && k.is_party_total() && k.scope() == (party.kind, party.name.as_str())
    };
    let find =
        |metric: Metric| (layout.keys.iter()).position(|k| is_party(k) && k.metric == metric);
    // A regime schedule's claim replaces the cost (as in feasibility.csv).
    let cost = find(Metric::BudgetClaimEur).or_else(|| find(Metric::CostEur));
    if let (Some(cost), Some(lumpsum)) = (cost, find(Metric::LumpsumEur)) {
        return Ok((cost, lumpsum));
    }
    let mut names: Vec<&str> = (layout.keys.iter())
        .filter(|k| k.year == year && k.is_party_total() && k.metric == Metric::LumpsumEur)
        .filter(|k| k.scope().0 == party.kind)
        .map(|k| k.scope().1)
        .collect();
    names.dedup();
    Err(InputError::new(format!(
        "the scenario has no {} {:?} with a lumpsum",
        party.kind.name(),
        party.name
    ))
    .field("--scope")
    .fix(format!(
        "use one of: {}",
        names
            .iter()
            .map(|n| format!("{}:{n}", party.kind.name()))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// How the search runs: seed, replications and threads.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub seed: u64,
    pub replications: u64,
    pub runner: Runner,
}

/// The prepared model with the question's lever added as an intervention,
/// and the columns to read. With uncertain parameters each replication
/// draws its own model (as in a run) and gets the same lever.
struct Probe<'a> {
    prepared: &'a Prepared,
    sampler: Option<Sampler<'a>>,
    layout: Layout,
    columns: [usize; 2],
    lever: RequiredLever,
    /// Horizon year index from which the lever acts.
    from: usize,
    settings: Settings,
}

impl<'a> Probe<'a> {
    fn new(prepared: &'a Prepared, q: &Question, settings: Settings) -> Result<Self, InputError> {
        let layout = Layout::new(&prepared.model);
        let (cost, lumpsum) = check(&prepared.model, &layout, q)?;
        let from = q.from.unwrap_or(prepared.model.start_year) - prepared.model.start_year;
        let sampler = (prepared.uncertainty.as_ref()).map(|u| u.sampler(settings.seed));
        Ok(Probe {
            prepared,
            sampler,
            layout,
            columns: [cost, lumpsum],
            lever: q.lever,
            from: from.max(0) as usize,
            settings,
        })
    }

    /// `model` with the lever at `effect` from the question's year on.
    fn with_lever(&self, mut model: Model, effect: f64) -> Model {
        model.interventions.push(InterventionModel {
            name: format!("required_{}", self.lever.name()),
            lever: self.lever.lever().0,
            forms: vec![true; model.forms.len()],
            active: (0..model.years)
                .map(|y| if y >= self.from { 1.0 } else { 0.0 })
                .collect(),
            effect,
        });
        model.event_budget = budget::event_budget(&model);
        model
    }

    /// P̂(cost > lumpsum) with the lever at `effect`, over `replications`.
    fn p_overrun(&mut self, effect: f64, replications: Replications<u64>) -> Result<f64, Error> {
        let model = self.with_lever(self.prepared.model.clone(), effect);
        let plan = Plan {
            seed: self.settings.seed,
            replications,
            threads: self.settings.runner.threads,
        };
        let rows = match &self.sampler {
            None => run_columns(&model, &self.layout, &plan, &self.columns, None)?,
            Some(sampler) => {
                let drawn = |replication: u64| -> Result<Model, InputError> {
                    let (own, _) = sampler.model(replication)?;
                    Ok(self.with_lever(own, effect))
                };
                let drawn: &ReplicationModel<'_> = &drawn;
                run_columns(&model, &self.layout, &plan, &self.columns, Some(drawn))?
            }
        };
        let overruns = rows.iter().filter(|r| r[0] > r[1]).count();
        Ok(overruns as f64 / rows.len().max(1) as f64)
    }
}

/// Answers the question: the search on replications 0 … R − 1, then each
/// target's change confirmed on R … 2R − 1. `on_evaluation` hears of every
/// run (effect, P̂).
pub fn required(
    prepared: &Prepared,
    q: &Question,
    settings: Settings,
    on_evaluation: &mut dyn FnMut(f64, f64),
) -> Result<Vec<RequiredRow>, Error> {
    required_until(
        prepared,
        q,
        settings,
        on_evaluation,
        &AtomicBool::new(false),
    )
}

/// Like [`required`], giving up (an internal error) before the next
/// evaluation once `stop` is set: `serve` stops a search a newer request
/// made stale.
pub fn required_until(
    prepared: &Prepared,
    q: &Question,
    settings: Settings,
    on_evaluation: &mut dyn FnMut(f64, f64),
    stop: &AtomicBool,
) -> Result<Vec<RequiredRow>, Error> {
    let stopped = || -> Result<(), Error> {
        match stop.load(Ordering::Relaxed) {
            true => Err(Error::Internal(anyhow::anyhow!("the search was stopped"))),
            false => Ok(()),
        }
    };
    let mut probe = Probe::new(prepared, q, settings)?;
    let r = settings.replications;
    let range = q.lever.search_range();
    let targets: Vec<Levels> = (q.targets.iter())
        .map(|&p| {
            let (lo, hi) = root_finding::band(p, r);
            [lo, p, hi]
        })
        .collect();
    let evaluations = root_finding::solve(&range, &targets, |u| {
        stopped()?;
        let effect = probe.lever.effect(u);
        let p = probe.p_overrun(effect, 0..r)?;
        on_evaluation(effect, p);
        Ok::<f64, Error>(p)
    })?;
    let mut rows = Vec::new();
    for (levels, &target) in targets.iter().zip(&q.targets) {
        let answer = root_finding::answer(&evaluations, &range, levels);
        let (change, low, high) = in_effect_terms(q.lever, &answer);
        stopped()?;
        let confirmed = probe.p_overrun(change, r..2 * r)?;
        rows.push(RequiredRow {
            lever: q.lever.name(),
            year: q.year,
            scope: q.party.kind,
            name: q.party.name.clone(),
            target_p_overrun: target,
            change,
            change_ci95_low: low,
            change_ci95_high: high,
            p_overrun_confirmed: confirmed,
            from_year: q.from.unwrap_or(prepared.model.start_year),
            status: answer.status.name(),
        });
    }
    Ok(rows)
}

/// An answer in the oriented coordinate as effects (change, low, high),
/// the interval's ends swapped for levers that lower cost.
fn in_effect_terms(lever: RequiredLever, a: &Answer) -> (f64, f64, f64) {
    let (x, l, h) = (
        lever.effect(a.change),
        lever.effect(a.ci95.0),
        lever.effect(a.ci95.1),
    );
    let x = if a.status == Status::AlreadyMet {
        0.0
    } else {
        x
    };
    (x + 0.0, l.min(h) + 0.0, l.max(h) + 0.0)
}
