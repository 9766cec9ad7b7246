//! Uncertain parameters: any number of a scenario may be written as a
//! distribution, `{ mean = m, sd = s }` (normal) or `{ low = a, mode = b,
//! high = c }` (PERT; add `distribution = "triangular"` for a triangle).
//!
//! This is file format only. The distributions are found in the merged TOML,
//! recorded with their dotted path, and replaced by their mean, so the schema,
//! the validation and the compiled model only ever see numbers. Drawing one
//! value per replication (and building that replication's model) is the
//! pipeline's job; it calls [`Parameter::sample`] and [`with_values`].

pub mod dirichlet;

use super::Sources;
use crate::error::{InputError, InputErrors};
use rand::Rng;
use rand_distr::{Beta, Distribution as _, Normal, Pert, Triangular};

/// The keys a distribution table may have (any table that has `sd`, or a
/// numeric `mode` beside `low`/`high`, is taken as meant to be one).
const NORMAL_KEYS: [&str; 2] = ["mean", "sd"];
const PERT_KEYS: [&str; 3] = ["low", "mode", "high"];
/// The key that picks the triangular instead of the PERT shape.
const KIND_KEY: &str = "distribution";

/// A parameter's distribution, as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    Normal {
        mean: f64,
        sd: f64,
    },
    Pert {
        low: f64,
        mode: f64,
        high: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// One share of a jointly drawn group (see [`dirichlet`]); alone, its
    /// marginal Beta(α p, α (1 − p)).
    Dirichlet {
        share: f64,
        concentration: f64,
    },
}

impl Distribution {
    /// The mean (the value validation and the parameters-at-their-mean twin use).
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Normal { mean, .. } => mean,
            Distribution::Pert { low, mode, high } => (low + 4.0 * mode + high) / 6.0,
            Distribution::Triangular { low, mode, high } => (low + mode + high) / 3.0,
            Distribution::Dirichlet { share, .. } => share,
        }
    }

    /// A distribution without spread is just its number.
    pub fn is_point(&self) -> bool {
        match *self {
            Distribution::Normal { sd, .. } => sd == 0.0,
            Distribution::Pert { low, high, .. } | Distribution::Triangular { low, high, .. } => {
                low == high
            }
            Distribution::Dirichlet { share, .. } => share <= 0.0 || share >= 1.0,
        }
    }

    /// The values the distribution can reach in practice (normal: ± 8 sd).
    pub fn reach(&self) -> (f64, f64) {
        match *self {
            Distribution::Normal { mean, sd } => (mean - 8.0 * sd, mean + 8.0 * sd),
            Distribution::Pert { low, high, .. } | Distribution::Triangular { low, high, .. } => {
                (low, high)
            }
            Distribution::Dirichlet { .. } => (0.0, 1.0),
        }
    }

    /// One draw (untruncated). The parameters are checked when the table is
    /// read, so the constructors cannot fail here; a point gives its mean.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.is_point() {
            return self.mean();
        }
        match *self {
            Distribution::Normal { mean, sd } => {
                Normal::new(mean, sd).map_or(mean, |d| d.sample(rng))
            }
            Distribution::Pert { low, mode, high } => Pert::new(low, high)
                .with_mode(mode)
                .map_or(mode, |d| d.sample(rng)),
            Distribution::Triangular { low, mode, high } => {
                Triangular::new(low, high, mode).map_or(mode, |d| d.sample(rng))
            }
            Distribution::Dirichlet {
                share,
                concentration,
            } => Beta::new(concentration * share, concentration * (1.0 - share))
                .map_or(share, |d| d.sample(rng)),
        }
    }

    /// One line for reports: `normal(mean 0.02, sd 0.01)`.
    pub fn describe(&self) -> String {
        match *self {
            Distribution::Normal { mean, sd } => format!("normal(mean {mean}, sd {sd})"),
            Distribution::Pert { low, mode, high } => format!("pert({low}, {mode}, {high})"),
            Distribution::Triangular { low, mode, high } => {
                format!("triangular({low}, {mode}, {high})")
            }
            Distribution::Dirichlet {
                share,
                concentration,
            } => format!("dirichlet(share {share}, concentration {concentration})"),
        }
    }
}

/// One uncertain number of the scenario: where it is and how it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Keys (and array indices) from the root of the merged scenario.
    pub path: Vec<String>,
    pub distribution: Distribution,
}

impl Parameter {
    /// The dotted path, e.g. `care_forms.residential.tariff.2030`.
    pub fn name(&self) -> String {
        self.path.join(".")
    }

    /// One draw from `rng`, untruncated (see the pipeline for truncation).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.distribution.sample(rng)
    }
}

/// True when `table` is written as a distribution (or meant to be one: it
/// has `sd`, or `mode` with `low`/`high` and no other meaning of `mode`).
pub fn looks_like_distribution(table: &toml::Table) -> bool {
    let numeric_mode = table.get("mode").is_some_and(is_number);
    dirichlet::is_dirichlet(table)
        || table.contains_key("sd")
        || (numeric_mode && (table.contains_key("low") || table.contains_key("high")))
}

fn is_number(value: &toml::Value) -> bool {
    matches!(value, toml::Value::Float(_) | toml::Value::Integer(_))
}

/// Replaces every distribution of `merged` by its mean; returns the
/// uncertain parameters (distributions without spread are plain numbers
/// and not recorded). Every malformed distribution is reported, located.
pub fn extract(merged: &mut toml::Table, sources: &Sources) -> Result<Vec<Parameter>, InputErrors> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    walk_table(merged, &mut Vec::new(), sources, &mut found, &mut errors);
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(InputErrors(errors))
    }
}

fn walk_table(
    table: &mut toml::Table,
    path: &mut Vec<String>,
    sources: &Sources,
    found: &mut Vec<Parameter>,
    errors: &mut Vec<InputError>,
) {
    for (key, value) in table.iter_mut() {
        path.push(key.clone());
        walk_value(value, path, sources, found, errors);
        path.pop();
    }
}

fn walk_value(
    value: &mut toml::Value,
    path: &mut Vec<String>,
    sources: &Sources,
    found: &mut Vec<Parameter>,
    errors: &mut Vec<InputError>,
) {
    match value {
        toml::Value::Table(t) if dirichlet::is_dirichlet(t) => match dirichlet::parse(t, path) {
            Ok((shares, parameters)) => {
                *value = toml::Value::Table(shares);
                found.extend(parameters);
            }
            Err((why, fix)) => {
                let at: Vec<&str> = path.iter().map(String::as_str).collect();
                let message = format!("`{}`: {why}", at.join("."));
                errors.push(sources.error(&at, message).fix(fix));
            }
        },
        toml::Value::Table(t) if looks_like_distribution(t) => match parse(t) {
            Ok(distribution) => {
                *value = toml::Value::Float(distribution.mean());
                if !distribution.is_point() {
                    found.push(Parameter {
                        path: path.clone(),
                        distribution,
                    });
                }
            }
            Err((why, fix)) => {
                let at: Vec<&str> = path.iter().map(String::as_str).collect();
                let message = format!("`{}`: {why}", at.join("."));
                errors.push(sources.error(&at, message).fix(fix));
            }
        },
        toml::Value::Table(t) => walk_table(t, path, sources, found, errors),
        toml::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk_value(item, path, sources, found, errors);
                path.pop();
            }
        }
        _ => {}
    }
}

type Problem = (String, &'static str);

const SYNTAX_FIX: &str = "write { mean = m, sd = s } (normal) or { low = a, mode = b, high = c } (PERT; add distribution = \"triangular\" for a triangle)";

/// Reads one distribution table; the problem and its fix when malformed.
pub fn parse(table: &toml::Table) -> Result<Distribution, Problem> {
    let keys: Vec<&str> = table.keys().map(String::as_str).collect();
    let number = |k: &str| -> Result<f64, Problem> {
        match table.get(k) {
            Some(toml::Value::Float(f)) => Ok(*f),
            Some(toml::Value::Integer(i)) => Ok(*i as f64),
            _ => Err((
                format!("`{k}` of a distribution must be a number"),
                SYNTAX_FIX,
            )),
        }
    };
    let distribution = if table.contains_key("sd") {
        only(&keys, &NORMAL_KEYS, None)?;
        let (mean, sd) = (number("mean")?, number("sd")?);
        if sd.is_nan() || sd < 0.0 {
            return Err((
                format!("sd must be 0 or more, found {sd}"),
                "give a standard deviation of 0 or more",
            ));
        }
        Distribution::Normal { mean, sd }
    } else {
        only(&keys, &PERT_KEYS, Some(KIND_KEY))?;
        let triangular = match table.get(KIND_KEY).map(toml::Value::as_str) {
            None | Some(Some("pert")) => false,
            Some(Some("triangular")) => true,
            Some(_) => {
                return Err((
                    "`distribution` of a { low, mode, high } table must be \"pert\" or \"triangular\"".to_string(),
                    "write distribution = \"triangular\", or leave it out for PERT",
                ));
            }
        };
        let (low, mode, high) = (number("low")?, number("mode")?, number("high")?);
        if !(low <= mode && mode <= high) {
            return Err((
                format!("needs low ≤ mode ≤ high, found low {low}, mode {mode}, high {high}"),
                "order the three values: low ≤ mode ≤ high",
            ));
        }
        if triangular {
            Distribution::Triangular { low, mode, high }
        } else {
            Distribution::Pert { low, mode, high }
        }
    };
    finite(distribution)
}

/// The keys must be exactly `want` (plus the optional `kind` key).
fn only(keys: &[&str], want: &[&str], kind: Option<&str>) -> Result<(), Problem> {
    let extra: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| !want.contains(k) && Some(*k) != kind)
        .collect();
    let missing: Vec<&str> = want.iter().copied().filter(|k| !keys.contains(k)).collect();
    if !extra.is_empty() || !missing.is_empty() {
        let mut why = Vec::new();
        if !extra.is_empty() {
            why.push(format!("unknown key(s) {}", extra.join(", ")));
        }
        if !missing.is_empty() {
            why.push(format!("missing {}", missing.join(", ")));
        }
        return Err((
            format!("not a distribution: {}", why.join("; ")),
            SYNTAX_FIX,
        ));
    }
    Ok(())
}

fn finite(d: Distribution) -> Result<Distribution, Problem> {
    let (a, b) = d.reach();
    if a.is_finite() && b.is_finite() && d.mean().is_finite() {
        Ok(d)
    } else {
        Err((
            "the numbers of a distribution must be finite".to_string(),
            SYNTAX_FIX,
        ))
    }
}

/// `merged` with each parameter set to its value (the tables of the
/// parameters must already hold numbers, as [`extract`] leaves them).
pub fn with_values(merged: &toml::Table, parameters: &[Parameter], values: &[f64]) -> toml::Table {
    let mut table = merged.clone();
    for (p, v) in parameters.iter().zip(values) {
        set(&mut table, &p.path, *v);
    }
    table
}

fn set(table: &mut toml::Table, path: &[String], value: f64) {
    let Some((last, init)) = path.split_last() else {
        return;
    };
    let mut slot: Option<&mut toml::Value> = None;
    for (i, key) in init.iter().enumerate() {
        let next = if i == 0 {
            table.get_mut(key)
        } else {
            step(slot.take(), key)
        };
        slot = next;
    }
    let target = if init.is_empty() {
        table.get_mut(last)
    } else {
        step(slot, last)
    };
    if let Some(v) = target {
        *v = toml::Value::Float(value);
    }
}

fn step<'a>(value: Option<&'a mut toml::Value>, key: &str) -> Option<&'a mut toml::Value> {
    match value? {
        toml::Value::Table(t) => t.get_mut(key),
        toml::Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// Marks every number of a JSON Schema of the scenario as "a number or an
/// uncertain number" (`$defs/Uncertain`), so editors offer the syntax.
pub fn allow_in_schema(schema: &mut serde_json::Value) {
    mark_numbers(schema);
    if let Some(defs) = schema
        .get_mut("$defs")
        .and_then(serde_json::Value::as_object_mut)
    {
        defs.insert("Uncertain".to_string(), uncertain_schema());
    }
}

fn mark_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let numeric = match map.get("type") {
                Some(Value::String(t)) => t == "number",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "number"),
                _ => false,
            };
            if numeric {
                let mut number = serde_json::Map::new();
                for key in ["type", "format"] {
                    if let Some(v) = map.remove(key) {
                        number.insert(key.to_string(), v);
                    }
                }
                let reference = serde_json::json!({ "$ref": "#/$defs/Uncertain" });
                map.insert(
                    "anyOf".to_string(),
                    Value::Array(vec![Value::Object(number), reference]),
                );
                return;
            }
            map.values_mut().for_each(mark_numbers);
        }
        Value::Array(items) => items.iter_mut().for_each(mark_numbers),
        _ => {}
    }
}

fn uncertain_schema() -> serde_json::Value {
    serde_json::json!({
        "description": "An uncertain number, drawn once per replication and truncated to the valid range: { mean, sd } (normal) or { low, mode, high } (PERT; distribution = \"triangular\" for a triangle).",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "mean": { "type": "number", "description": "Mean of the normal distribution." },
            "sd": { "type": "number", "minimum": 0, "description": "Standard deviation (0 = just the mean)." },
            "low": { "type": "number", "description": "Smallest value (PERT or triangle)." },
            "mode": { "type": "number", "description": "Most likely value." },
            "high": { "type": "number", "description": "Largest value." },
            "distribution": { "enum": ["pert", "triangular"], "description": "Shape of { low, mode, high }; PERT when left out." }
        },
        "oneOf": [
            { "required": ["mean", "sd"] },
            { "required": ["low", "mode", "high"] }
        ]
    })
}
