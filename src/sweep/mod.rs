//! Sweeps: a base scenario plus parameter overrides addressed by dotted
//! paths, as a full grid or one at a time around the base (for a tornado of
//! sensitivities). Every point shares the seed, so differences between
//! points are the parameters, not the dice (common random numbers).

use crate::error::{InputError, Location};
use crate::limits::{MAX_REPLICATIONS, MAX_SWEEP_POINTS};
use crate::scenario::{Override, Sources};
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
    /// The TOML keys under `[parameters]` that name it (for locating).
    pub keys: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Point {
    pub overrides: Vec<Override>,
    /// (parameter, value) indices of each override.
    pub picks: Vec<(usize, usize)>,
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
    /// The sweep file's text, for errors located in it.
    pub sources: Sources,
}

impl Sweep {
    /// An error at `path` (TOML keys) of the sweep file.
    pub fn error_at(&self, path: &[&str], message: impl Into<String>) -> InputError {
        self.sources.error_at(0, path, message)
    }

    /// An error at value `value` of parameter `parameter`.
    pub fn value_error(&self, parameter: usize, value: usize, message: String) -> InputError {
        let p = &self.parameters[parameter];
        let index = value.to_string();
        let mut path: Vec<&str> = vec!["parameters"];
        path.extend(p.keys.iter().map(String::as_str));
        path.push(&index);
        self.error_at(&path, message).field(p.path.clone())
    }
}

fn flatten(
    keys: &[String],
    table: &toml::Table,
    out: &mut Vec<Parameter>,
) -> Result<(), (Vec<String>, String)> {
    for (key, value) in table {
        let mut here = keys.to_vec();
        here.push(key.clone());
        let path = here.join(".");
        match value {
            toml::Value::Table(t) => flatten(&here, t, out)?,
            toml::Value::Array(values) if values.is_empty() => {
                return Err((
                    here,
                    format!("parameter `{path}` has an empty list of values"),
                ));
            }
            toml::Value::Array(values) => out.push(Parameter {
                path,
                values: values.clone(),
                keys: here,
            }),
            _ => {
                let why =
                    format!("parameter `{path}` needs a list of values, e.g. [150, 210, 270]");
                return Err((here, why));
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

/// Number of points, or `None` when it does not fit in a u64.
fn count_points(mode: Mode, parameters: &[Parameter]) -> Option<u64> {
    let counts = parameters.iter().map(|p| p.values.len() as u64);
    match mode {
        Mode::Grid => counts.into_iter().try_fold(1u64, u64::checked_mul),
        Mode::OneAtATime => counts.into_iter().try_fold(1u64, u64::checked_add),
    }
}

fn points(mode: Mode, parameters: &[Parameter]) -> Vec<Point> {
    let picks: Vec<Vec<(usize, usize)>> = match mode {
        Mode::Grid => parameters
            .iter()
            .enumerate()
            .fold(vec![Vec::new()], |acc, (i, p)| {
                acc.iter()
                    .flat_map(|set| {
                        (0..p.values.len()).map(move |v| {
                            let mut next = set.clone();
                            next.push((i, v));
                            next
                        })
                    })
                    .collect()
            }),
        Mode::OneAtATime => std::iter::once(Vec::new())
            .chain(
                (parameters.iter().enumerate())
                    .flat_map(|(i, p)| (0..p.values.len()).map(move |v| vec![(i, v)])),
            )
            .collect(),
    };
    picks
        .into_iter()
        .map(|picks| {
            let overrides: Vec<Override> = (picks.iter())
                .map(|&(i, v)| (parameters[i].path.clone(), parameters[i].values[v].clone()))
                .collect();
            Point {
                label: label(&overrides),
                overrides,
                picks,
            }
        })
        .collect()
}

/// Reads and checks a sweep file: its values, its point count and its base
/// are decided here, before any point is prepared.
pub fn load(path: &Path) -> Result<Sweep, InputError> {
    let origin = path.display().to_string();
    let text = crate::scenario::text::read(path, |e| {
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
    let mut sources = Sources::default();
    sources.push(origin, text);
    let mut parameters = Vec::new();
    flatten(&[], &file.parameters, &mut parameters).map_err(|(keys, why)| {
        let mut at = vec!["parameters"];
        at.extend(keys.iter().map(String::as_str));
        sources.error_at(0, &at, why).fix(
            "list values per dotted path, e.g. \"care_forms.residential.duration.mean\" = [150, 210, 270]",
        )
    })?;
    if parameters.is_empty() {
        return Err(sources
            .error_at(0, &["parameters"], "the sweep has no parameters")
            .fix("add [parameters] with at least one dotted path and its values"));
    }
    check_size(&sources, &file, &parameters)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let base = dir.join(&file.base);
    if let Err(e) = std::fs::File::open(&base) {
        let message = format!("cannot read the base scenario {}: {e}", base.display());
        return Err(sources
            .error_at(0, &["base"], message)
            .fix("point `base` at an existing scenario file, relative to the sweep file"));
    }
    Ok(Sweep {
        base,
        mode: file.mode,
        replications: file.replications,
        seed: file.seed,
        year: file.year,
        points: points(file.mode, &parameters),
        parameters,
        sources,
    })
}

/// Replications in 1..=MAX_REPLICATIONS and at most MAX_SWEEP_POINTS points.
fn check_size(
    sources: &Sources,
    file: &SweepFile,
    parameters: &[Parameter],
) -> Result<(), InputError> {
    if let Some(r) = file.replications
        && !(1..=MAX_REPLICATIONS).contains(&r)
    {
        let message = format!("replications must be 1–{MAX_REPLICATIONS}, found {r}");
        return Err(sources
            .error_at(0, &["replications"], message)
            .fix("use 1 or more replications per point, or leave it out for the base scenario's"));
    }
    match count_points(file.mode, parameters) {
        Some(n) if n <= MAX_SWEEP_POINTS => Ok(()),
        n => {
            let n = n.map_or("more than 2^64".to_string(), |n| n.to_string());
            let message =
                format!("the sweep has {n} points; at most {MAX_SWEEP_POINTS} are supported");
            Err(sources.error_at(0, &["parameters"], message).fix(
                "fewer values per parameter, or mode = \"one_at_a_time\" (points add up instead of multiplying)",
            ))
        }
    }
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
                keys: vec!["a".into()],
            },
            Parameter {
                path: "b.c".into(),
                values: v(&[10, 20]),
                keys: vec!["b".into(), "c".into()],
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
