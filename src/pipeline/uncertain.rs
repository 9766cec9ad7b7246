//! Uncertain parameters made ready to draw: each parameter's valid range,
//! found once from the validator, and the per-replication model built from
//! values drawn from streams keyed by (seed, replication, parameter path).
//!
//! Truncation is rejection: a draw outside the parameter's range (the values
//! the validator accepts with every other parameter at its mean) is redrawn
//! from the same stream. A parameter whose distribution lies almost entirely
//! outside its range is refused up front; a combination the validator or the
//! compiler still refuses (a joint rule: min ≤ max, shares summing to one)
//! redraws the parameters the errors name, a bounded number of times.

use crate::engine::{Purpose, StreamFactory, StreamRng};
use crate::error::{InputError, InputErrors};
use crate::model::{self, Model};
use crate::scenario::uncertain::{Distribution, Parameter};

mod joint;
use crate::scenario::{Loaded, validate};

/// Halvings that locate a range boundary (to ~1e-12 of the distribution's reach).
const BISECTIONS: usize = 40;
/// Fixed-seed draws that estimate the share of a distribution inside its range.
const MASS_DRAWS: usize = 2_000;
/// Below this share inside its range a distribution is refused.
const MIN_MASS: f64 = 0.01;
/// Draws of one parameter before its truncation gives up (at a share of 1 %
/// inside, failing is a chance of e^-100).
const MAX_TRIES: usize = 10_000;
/// Rounds of redrawing a combination the scenario refuses.
const MAX_ROUNDS: usize = 200;

/// An uncertain parameter with the values the scenario accepts for it.
#[derive(Clone, Debug)]
pub struct Uncertain {
    pub parameter: Parameter,
    /// Smallest and largest accepted value (± infinity when the whole reach
    /// of the distribution is accepted).
    pub range: (f64, f64),
}

/// A scenario's uncertain parameters and what building a replication needs.
#[derive(Clone)]
pub struct Uncertainty {
    loaded: Loaded,
    pub parameters: Vec<Uncertain>,
    /// Apply the demand-led transformation before compiling (the twin of a
    /// budget-capped scenario).
    transform:
        Option<fn(&crate::scenario::schema::Scenario) -> Option<crate::scenario::schema::Scenario>>,
}

impl Uncertainty {
    /// The ranges of a validated scenario's parameters; `None` without any.
    pub fn new(loaded: &Loaded) -> Result<Option<Self>, InputErrors> {
        if loaded.parameters.is_empty() {
            return Ok(None);
        }
        let mut u = Uncertainty {
            loaded: loaded.clone(),
            parameters: Vec::new(),
            transform: None,
        };
        let means: Vec<f64> = loaded
            .parameters
            .iter()
            .map(|p| p.distribution.mean())
            .collect();
        let mut errors = Vec::new();
        for (i, p) in loaded.parameters.iter().enumerate() {
            if matches!(p.distribution, Distribution::Dirichlet { .. }) {
                // Drawn jointly with its group, valid by construction.
                u.parameters.push(Uncertain {
                    parameter: p.clone(),
                    range: (0.0, 1.0),
                });
                continue;
            }
            let range = u.range_of(&means, i);
            match check_mass(p, range, &loaded.sources) {
                Ok(()) => u.parameters.push(Uncertain {
                    parameter: p.clone(),
                    range,
                }),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Some(u))
        } else {
            Err(InputErrors(errors))
        }
    }

    /// The same parameters, each replication's scenario passed through
    /// `transform` before it is compiled.
    pub fn transformed(
        &self,
        transform: fn(
            &crate::scenario::schema::Scenario,
        ) -> Option<crate::scenario::schema::Scenario>,
    ) -> Self {
        Uncertainty {
            transform: Some(transform),
            ..self.clone()
        }
    }

    /// Dotted paths of the parameters, in draw order.
    pub fn names(&self) -> Vec<String> {
        self.parameters.iter().map(|u| u.parameter.name()).collect()
    }

    /// The valid values of parameter `i` around its mean, with the others at
    /// theirs: the boundaries between the mean and the ends of the reach.
    fn range_of(&self, means: &[f64], i: usize) -> (f64, f64) {
        let d = &self.loaded.parameters[i].distribution;
        let (reach_low, reach_high) = d.reach();
        let accepts = |v: f64| {
            let mut values = means.to_vec();
            values[i] = v;
            self.validated(&values).is_ok()
        };
        let boundary = |far: f64, unbounded: f64| {
            if accepts(far) {
                return unbounded;
            }
            let (mut good, mut bad) = (d.mean(), far);
            for _ in 0..BISECTIONS {
                let mid = 0.5 * (good + bad);
                if accepts(mid) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            good
        };
        (
            boundary(reach_low, f64::NEG_INFINITY),
            boundary(reach_high, f64::INFINITY),
        )
    }

    /// The loaded scenario at `values`, validated.
    fn validated(&self, values: &[f64]) -> Result<Loaded, InputErrors> {
        let scenario = self
            .loaded
            .scenario_at(values)
            .map_err(|e| InputErrors(vec![e]))?;
        let loaded = Loaded {
            scenario,
            ..self.loaded.clone()
        };
        validate::validate(&loaded)?;
        Ok(loaded)
    }

    /// The compiled model at `values` (transformed first, if asked).
    fn build(&self, values: &[f64]) -> Result<Model, InputErrors> {
        let mut loaded = self.validated(values)?;
        if let Some(twin) = self.transform.and_then(|t| t(&loaded.scenario)) {
            loaded.scenario = twin;
        }
        model::compile(&loaded)
    }

    /// A sampler for master seed `seed`: one derived key per parameter.
    pub fn sampler(&self, seed: u64) -> Sampler<'_> {
        let master = StreamFactory::new(seed);
        Sampler {
            uncertainty: self,
            factories: self.names().iter().map(|n| master.derive(n)).collect(),
        }
    }
}

/// Refuses a distribution with less than `MIN_MASS` inside its range,
/// estimated from fixed-seed draws (deterministic).
fn check_mass(
    p: &Parameter,
    (lo, hi): (f64, f64),
    sources: &crate::scenario::Sources,
) -> Result<(), InputError> {
    let mut rng = StreamFactory::new(0)
        .derive(&p.name())
        .stream(0, Purpose::Parameters, 0);
    let inside = (0..MASS_DRAWS)
        .filter(|_| (lo..=hi).contains(&p.sample(&mut rng)))
        .count();
    let share = inside as f64 / MASS_DRAWS as f64;
    if share >= MIN_MASS {
        return Ok(());
    }
    let at: Vec<&str> = p.path.iter().map(String::as_str).collect();
    Err(sources
        .error(
            &at,
            format!(
                "`{}` = {}: only {:.1} % of it lies inside the values the scenario accepts ({} … {})",
                p.name(),
                p.distribution.describe(),
                100.0 * share,
                lo,
                hi
            ),
        )
        .fix("move the distribution inside the valid range or narrow its spread"))
}

/// Draws replications' parameters under one master seed.
pub struct Sampler<'a> {
    uncertainty: &'a Uncertainty,
    factories: Vec<StreamFactory>,
}

impl Sampler<'_> {
    /// Replication `replication`'s model and its drawn values.
    pub fn model(&self, replication: u64) -> Result<(Model, Vec<f64>), InputError> {
        let params = &self.uncertainty.parameters;
        let mut rngs: Vec<StreamRng> = (self.factories.iter())
            .map(|f| f.stream(replication, Purpose::Parameters, 0))
            .collect();
        let mut values = Vec::with_capacity(params.len());
        for (p, rng) in params.iter().zip(rngs.iter_mut()) {
            values.push(draw(p, rng)?);
        }
        joint::normalise(params, &mut values, &mut rngs);
        let mut last = None;
        for _ in 0..MAX_ROUNDS {
            match self.uncertainty.build(&values) {
                Ok(model) => return Ok((model, values)),
                Err(errors) => {
                    // Jointly drawn shares are valid by construction.
                    let named = related(params, &errors)
                        .into_iter()
                        .filter(|&i| !joint::is_joint(&params[i]));
                    for i in named {
                        values[i] = draw(&params[i], &mut rngs[i])?;
                    }
                    last = errors.0.into_iter().next();
                }
            }
        }
        let names = self.uncertainty.names().join(", ");
        let why = last.map_or(String::new(), |e| format!(": {}", e.message));
        Err(InputError::new(format!(
            "replication {replication}: {MAX_ROUNDS} draws of the uncertain parameters ({names}) gave no scenario that validates{why}"
        ))
        .field(names)
        .fix("narrow the distributions so that their usual values fit together (e.g. min ≤ max, shares summing to 1)"))
    }
}

/// One draw of `u` inside its range (truncation by rejection); for a share
/// of a jointly drawn group its gamma variate, normalised later.
fn draw(u: &Uncertain, rng: &mut StreamRng) -> Result<f64, InputError> {
    if let Some(g) = joint::gamma(u, rng) {
        return Ok(g);
    }
    let (lo, hi) = u.range;
    for _ in 0..MAX_TRIES {
        let v = u.parameter.sample(rng);
        if (lo..=hi).contains(&v) {
            return Ok(v);
        }
    }
    Err(InputError::new(format!(
        "`{}` = {}: no draw inside its valid range {lo} … {hi} in {MAX_TRIES} tries",
        u.parameter.name(),
        u.parameter.distribution.describe()
    ))
    .field(u.parameter.name())
    .fix("move the distribution inside the valid range or narrow its spread"))
}

/// The parameters the errors name (a path that is the error's field, or
/// lies under it or above it); all of them when the errors name none.
fn related(params: &[Uncertain], errors: &InputErrors) -> Vec<usize> {
    let named: Vec<usize> = (0..params.len())
        .filter(|&i| {
            let name = params[i].parameter.name();
            errors
                .0
                .iter()
                .filter_map(|e| e.field.as_deref())
                .any(|field| {
                    name == field
                        || name.starts_with(&format!("{field}."))
                        || field.starts_with(&format!("{name}."))
                })
        })
        .collect();
    if named.is_empty() {
        (0..params.len()).collect()
    } else {
        named
    }
}
