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
use crate::sweep::{self, Sweep};
use std::path::{Path, PathBuf};

/// Folder of point `p` inside a sweep or shard folder.
pub fn point_dir(root: &Path, p: usize) -> PathBuf {
    root.join(format!("point-{p:03}"))
}

/// Every point prepared, or `None` where it failed (its errors returned,
/// prefixed with the point), so the other points still run.
pub fn prepare_points(sweep: &Sweep) -> (Vec<Option<Prepared>>, Vec<InputError>) {
    let mut failures = Vec::new();
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
                        let message = format!("sweep point {p} ({}): {}", point.label, e.message);
                        failures.push(InputError { message, ..e });
                    }
                    None
                }
            }
        })
        .collect();
    (prepared, failures)
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
