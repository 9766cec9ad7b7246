//! Shares drawn jointly: `{ distribution = "dirichlet", concentration = α,
//! shares = { a = 0.7, b = 0.2 } }`. Shares that must sum to one (entry forms)
//! or to at most one (destinations, the remainder leaving care) cannot be
//! drawn one at a time: each draw would break the sum. A Dirichlet draws them
//! together, each with mean its share and variance p(1 − p)/(α + 1); when the
//! shares sum to less than one the remainder is a hidden last component.
//!
//! Each share is a parameter of its own (its path ends in its name) whose
//! marginal is Beta(α p, α (1 − p)); the pipeline draws the group jointly
//! (a gamma per share from its own stream, normalised over the group).

use super::{Distribution, Parameter, Problem};

/// The key whose value names the distribution.
pub const KIND: &str = "dirichlet";
/// How far the shares may sum above one (the scenario's tolerance).
const SUM_TOLERANCE: f64 = 1e-6;
const FIX: &str = "write { distribution = \"dirichlet\", concentration = α (> 0), shares = { form = share, … } } with shares of 0 or more summing to at most 1";

/// True when `table` says it is a Dirichlet.
pub fn is_dirichlet(table: &toml::Table) -> bool {
    table.get("distribution").and_then(toml::Value::as_str) == Some(KIND)
}

/// The shares (as a table of numbers, what validation sees) and one
/// parameter per share with spread, under `path`.
pub fn parse(
    table: &toml::Table,
    path: &[String],
) -> Result<(toml::Table, Vec<Parameter>), Problem> {
    let extra: Vec<&String> = (table.keys())
        .filter(|k| !["distribution", "concentration", "shares"].contains(&k.as_str()))
        .collect();
    if !extra.is_empty() {
        let names: Vec<&str> = extra.iter().map(|k| k.as_str()).collect();
        return Err((
            format!("unknown key(s) {} in a Dirichlet", names.join(", ")),
            FIX,
        ));
    }
    let concentration = match table.get("concentration") {
        Some(toml::Value::Float(f)) => *f,
        Some(toml::Value::Integer(i)) => *i as f64,
        _ => {
            return Err((
                "a Dirichlet needs a numeric `concentration`".to_string(),
                FIX,
            ));
        }
    };
    if !(concentration > 0.0 && concentration.is_finite()) {
        return Err((
            format!("`concentration` must be a finite number above 0, found {concentration}"),
            FIX,
        ));
    }
    let Some(toml::Value::Table(shares)) = table.get("shares") else {
        return Err(("a Dirichlet needs a table `shares`".to_string(), FIX));
    };
    let mut values = toml::Table::new();
    for (name, value) in shares {
        let share = match value {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            _ => return Err((format!("share `{name}` must be a number"), FIX)),
        };
        if !(share >= 0.0 && share.is_finite()) {
            return Err((
                format!("share `{name}` must be 0 or more, found {share}"),
                FIX,
            ));
        }
        values.insert(name.clone(), toml::Value::Float(share));
    }
    let total: f64 = values.values().filter_map(toml::Value::as_float).sum();
    if total > 1.0 + SUM_TOLERANCE || total <= 0.0 {
        return Err((
            format!("the shares sum to {total}; a Dirichlet needs a sum above 0 and at most 1"),
            FIX,
        ));
    }
    let parameters = (values.iter())
        .filter_map(|(name, v)| {
            let share = v.as_float()?;
            let distribution = Distribution::Dirichlet {
                share,
                concentration,
            };
            (!distribution.is_point()).then(|| Parameter {
                path: path.iter().cloned().chain([name.clone()]).collect(),
                distribution,
            })
        })
        .collect();
    Ok((values, parameters))
}
