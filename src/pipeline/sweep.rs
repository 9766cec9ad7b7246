//! Running a sweep: every point (a derived scenario with its own hash) run
//! with the same seed into `point-NNN/`; with a shard only a balanced slice
//! of the (point, replication) work units; or the shard folders merged point
//! by point. The sweep tables are written once all points are complete.

use super::Prepared;
use super::job::{Job, Runner, simulate};
use super::merge::merge_parts;
use crate::error::{Error, InputError, InputErrors};
use crate::montecarlo::Shard;
use crate::output::sweep_tables::{PointResult, write_sweep_tables};
use crate::scenario;
use crate::sweep::{self, Point, Sweep};
use std::path::{Path, PathBuf};

/// Folder of point `p` inside a sweep or shard folder.
pub fn point_dir(root: &Path, p: usize) -> PathBuf {
    root.join(format!("point-{p:03}"))
}

/// Every point prepared, or `None` where it failed. A problem caused by a
/// value of the sweep file is located there, at that value, and reported
/// once however many points use it; others name the first point they stop.
pub fn prepare_points(sweep: &Sweep) -> (Vec<Option<Prepared>>, Vec<InputError>) {
    let mut failures: Vec<InputError> = Vec::new();
    let mut points_failed: Vec<usize> = Vec::new();
    let prepared = sweep
        .points
        .iter()
        .enumerate()
        .map(|(p, point)| {
            let loaded = scenario::load_file_with(&sweep.base, &point.overrides);
            match loaded
                .map_err(|e| InputErrors(vec![e]))
                .and_then(super::prepare_loaded)
            {
                Ok(prepared) => Some(prepared),
                Err(errors) => {
                    for e in errors.0 {
                        let e = in_sweep_file(sweep, p, point, e);
                        match failures.iter().position(|f| *f == e) {
                            Some(i) => points_failed[i] += 1,
                            None => {
                                failures.push(e);
                                points_failed.push(1);
                            }
                        }
                    }
                    None
                }
            }
        })
        .collect();
    for (e, n) in failures.iter_mut().zip(points_failed) {
        if n > 1 {
            e.message = format!("{} (in {n} points)", e.message);
        }
    }
    (prepared, failures)
}

/// A point's error, moved to the sweep file value that caused it (the field
/// is, lies inside or contains an overridden path); otherwise named by the point.
fn in_sweep_file(sweep: &Sweep, p: usize, point: &Point, e: InputError) -> InputError {
    let field = e.field.clone().unwrap_or_default();
    let caused = |path: &str| {
        field == path
            || field.starts_with(&format!("{path}."))
            || (!field.is_empty() && path.starts_with(&format!("{field}.")))
    };
    let found = (point.overrides.iter().zip(&point.picks)).find(|((path, _), _)| caused(path));
    match found {
        Some(((path, value), &(i, v))) => {
            let message = format!("sweep parameter `{path}` = {value}: {}", e.message);
            InputError {
                fix: e.fix,
                ..sweep.value_error(i, v, message)
            }
        }
        None => {
            let message = format!("sweep point {p} ({}): {}", point.label, e.message);
            InputError { message, ..e }
        }
    }
}

/// The tornado year lies in the horizon of every point: decided before any
/// point runs, not found when the tables are written.
pub fn check_year(sweep: &Sweep, points: &[Option<Prepared>]) -> Result<(), InputError> {
    let Some(year) = sweep.year else {
        return Ok(());
    };
    for model in points.iter().flatten().map(|p| &p.model) {
        let (first, last) = (model.start_year, model.start_year + model.years as i32 - 1);
        if !(first..=last).contains(&year) {
            let message = format!("year {year} lies outside the horizon {first}–{last}");
            return Err(sweep.error_at(&["year"], message).fix(
                "use a year of the base scenario's horizon, or leave `year` out for the last one",
            ));
        }
    }
    Ok(())
}

/// A sweep to run (or merge) into `out`.
pub struct SweepRun<'a> {
    pub sweep: &'a Sweep,
    /// The prepared points, `None` for those that failed.
    pub points: &'a [Option<Prepared>],
    pub seed: u64,
    pub replications: u64,
    pub shard: Option<Shard>,
    pub runner: Runner,
    pub out: &'a Path,
}

/// What [`execute`] finished with.
pub enum Finished {
    /// A shard folder, marked complete.
    Shard,
    /// The whole sweep: `sweep.csv` and `tornado.csv` written.
    Tables,
}

/// Runs the sweep's points (or merges the shard folders `merge` when given),
/// telling `on_point` of each point simulated, then marks a shard complete
/// or writes the sweep tables.
pub fn execute(
    run: &SweepRun<'_>,
    merge: &[PathBuf],
    on_point: &mut dyn FnMut(usize, &str, &Path),
) -> Result<Finished, Error> {
    crate::output::prepare_out_dir(run.out)?;
    if merge.is_empty() {
        run_points(run, on_point)?;
    } else {
        merge_points(run, merge)?;
    }
    if let Some(shard) = run.shard {
        crate::output::manifest::write_sweep_shard(
            run.out,
            &shard.to_string(),
            run.sweep.points.len(),
        )?;
        return Ok(Finished::Shard);
    }
    let points: Vec<PointResult> = run
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_some())
        .map(|(p, _)| PointResult {
            index: p,
            label: run.sweep.points[p].label.clone(),
            dir: point_dir(run.out, p),
        })
        .collect();
    write_sweep_tables(run.out, run.sweep, &points)?;
    Ok(Finished::Tables)
}

fn merge_points(run: &SweepRun<'_>, shard_dirs: &[PathBuf]) -> Result<(), Error> {
    for (p, point) in run.points.iter().enumerate() {
        if point.is_none() {
            continue;
        }
        let parts: Vec<PathBuf> = shard_dirs
            .iter()
            .map(|d| point_dir(d, p))
            .filter(|d| d.exists())
            .collect();
        if parts.is_empty() {
            return Err(
                InputError::new(format!("no shard folder holds sweep point {p}"))
                    .field("--merge")
                    .fix("pass every shard folder of the sweep")
                    .into(),
            );
        }
        merge_parts(&parts, &point_dir(run.out, p))?;
    }
    Ok(())
}

fn run_points(
    run: &SweepRun<'_>,
    on_point: &mut dyn FnMut(usize, &str, &Path),
) -> Result<(), Error> {
    let (count, replications) = (run.sweep.points.len(), run.replications);
    let units: Vec<(usize, std::ops::Range<u64>)> = match run.shard {
        Some(s) => sweep::shard_units(count, replications, s.index, s.count),
        None => (0..count).map(|p| (p, 0..replications)).collect(),
    };
    for (p, range) in units {
        let Some(prepared) = &run.points[p] else {
            continue;
        };
        let dir = point_dir(run.out, p);
        let point = &run.sweep.points[p];
        simulate(&Job {
            range,
            shard: run.shard.map(|s| s.to_string()),
            overrides: point
                .overrides
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect(),
            ..Job::whole(prepared, run.seed, replications, run.runner, &dir)
        })?;
        on_point(p, &point.label, &dir);
    }
    Ok(())
}
