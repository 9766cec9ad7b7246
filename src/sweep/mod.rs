//! Sweeps: a base scenario plus parameter overrides addressed by dotted
//! paths, as a full grid or one at a time around the base (for a tornado of
//! sensitivities). Every point shares the seed, so differences between
//! points are the parameters, not the dice (common random numbers).

use crate::error::{InputError, Location};
use crate::scenario::Override;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every combination of the parameter values.
    #[default]
    Grid,
    /// The base, then each parameter's values with the others at the base.
    OneAtATime,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    /// Base scenario, relative to the sweep file.
    base: String,
    #[serde(default)]
    mode: Mode,
    replications: Option<u64>,
    seed: Option<u64>,
    /// Year of the tornado (default: the last horizon year).
    year: Option<i32>,
    /// Dotted paths (quoted keys or nested tables) → lists of values.
    parameters: toml::Table,
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub path: String,
    pub values: Vec<toml::Value>,
}

#[derive(Clone, Debug)]
pub struct Point {
    pub overrides: Vec<Override>,
    /// `path=value; …`, or `base`.
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct Sweep {
    pub base: PathBuf,
    pub mode: Mode,
    pub replications: Option<u64>,
    pub seed: Option<u64>,
    pub year: Option<i32>,
    pub parameters: Vec<Parameter>,
    pub points: Vec<Point>,
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<Parameter>) -> Result<(), String> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&path, t, out)?,
            toml::Value::Array(values) if values.is_empty() => {
                return Err(format!("parameter `{path}` has an empty list of values"));
            }
            toml::Value::Array(values) => out.push(Parameter {
                path,
                values: values.clone(),
            }),
            _ => {
                return Err(format!(
                    "parameter `{path}` needs a list of values, e.g. [150, 210, 270]"
                ));
            }
        }
    }
    Ok(())
}

fn label(overrides: &[Override]) -> String {
    if overrides.is_empty() {
        return "base".to_string();
    }
    overrides
        .iter()
        .map(|(p, v)| format!("{p}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn points(mode: Mode, parameters: &[Parameter]) -> Vec<Point> {
    let mut sets: Vec<Vec<Override>> = match mode {
        Mode::Grid => parameters.iter().fold(vec![Vec::new()], |acc, p| {
            acc.iter()
                .flat_map(|set| {
                    p.values.iter().map(move |v| {
                        let mut next = set.clone();
                        next.push((p.path.clone(), v.clone()));
                        next
                    })
                })
                .collect()
        }),
        Mode::OneAtATime => std::iter::once(Vec::new())
            .chain(
                parameters
                    .iter()
                    .flat_map(|p| p.values.iter().map(|v| vec![(p.path.clone(), v.clone())])),
            )
            .collect(),
    };
    sets.drain(..)
        .map(|overrides| Point {
            label: label(&overrides),
            overrides,
        })
        .collect()
}

/// Reads and checks a sweep file.
pub fn load(path: &Path) -> Result<Sweep, InputError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        InputError::new(format!("cannot read sweep file {origin}: {e}"))
            .in_file(path)
            .fix("check the path")
    })?;
    let file: SweepFile = toml::from_str(&text).map_err(|e| {
        let at = Location::from_offset(&origin, &text, e.span().map_or(0, |s| s.start));
        InputError::new(format!("invalid sweep file: {}", e.message().trim()))
            .at(at)
            .fix("a sweep file has base, mode (grid | one_at_a_time), replications, seed, year and [parameters]")
    })?;
    let mut parameters = Vec::new();
    flatten("", &file.parameters, &mut parameters).map_err(|why| {
        let at = text.find("[parameters]").unwrap_or(0);
        InputError::new(why).field("parameters").at(Location::from_offset(&origin, &text, at)).fix(
            "list values per dotted path, e.g. \"care_forms.residential.duration.mean\" = [150, 210, 270]",
        )
    })?;
    if parameters.is_empty() {
        return Err(InputError::new("the sweep has no parameters")
            .field("parameters")
            .in_file(path)
            .fix("add [parameters] with at least one dotted path and its values"));
    }
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let points = points(file.mode, &parameters);
    Ok(Sweep {
        base: dir.join(&file.base),
        mode: file.mode,
        replications: file.replications,
        seed: file.seed,
        year: file.year,
        parameters,
        points,
    })
}

/// Work units of a sweep: (point, replication), point-major.
pub fn shard_units(
    points: usize,
    replications: u64,
    index: u64,
    count: u64,
) -> Vec<(usize, std::ops::Range<u64>)> {
    let total = points as u64 * replications;
    let (start, end) = ((index - 1) * total / count, index * total / count);
    (0..points)
        .filter_map(|p| {
            let (lo, hi) = (p as u64 * replications, (p as u64 + 1) * replications);
            let (a, b) = (start.max(lo), end.min(hi));
            (a < b).then(|| (p, a - lo..b - lo))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> Vec<Parameter> {
        let v = |xs: &[i64]| xs.iter().map(|x| toml::Value::Integer(*x)).collect();
        vec![
            Parameter {
                path: "a".into(),
                values: v(&[1, 2, 3]),
            },
            Parameter {
                path: "b.c".into(),
                values: v(&[10, 20]),
            },
        ]
    }

    #[test]
    fn grid_and_one_at_a_time_points() {
        let grid = points(Mode::Grid, &params());
        assert_eq!(grid.len(), 6);
        assert_eq!(grid[0].label, "a=1; b.c=10");
        let oat = points(Mode::OneAtATime, &params());
        assert_eq!(oat.len(), 6);
        assert_eq!(oat[0].label, "base");
        assert_eq!(oat[4].label, "b.c=10");
    }

    #[test]
    fn shards_cover_every_unit_once() {
        let mut covered = [0u32; 3 * 10];
        for k in 1..=4 {
            for (p, range) in shard_units(3, 10, k, 4) {
                for r in range {
                    covered[p * 10 + r as usize] += 1;
                }
            }
        }
        assert!(covered.iter().all(|c| *c == 1));
    }
}
