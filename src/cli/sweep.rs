//! `sweep SWEEP.toml`: every point of a sweep (a derived scenario with its
//! own hash) run with the same seed into `point-NNN/`; with `--shard K/N`
//! only a balanced slice of the (point, replication) work units; with
//! `--merge SHARD_DIR…` the shard folders are merged point by point. The
//! sweep tables are written once all points are complete.

use super::SweepArgs;
use super::merge::merge_parts;
use super::run::{Job, simulate, threads};
use crate::error::{Error, InputError, InputErrors};
use crate::output::sweep_tables::{PointResult, write_sweep_tables};
use crate::pipeline::{self, Prepared};
use crate::scenario;
use crate::sweep::{self, Sweep};
use std::path::{Path, PathBuf};

/// Folder of point `p` inside a sweep or shard folder.
pub fn point_dir(root: &Path, p: usize) -> PathBuf {
    root.join(format!("point-{p:03}"))
}

fn prepare_points(sweep: &Sweep) -> (Vec<Option<Prepared>>, Vec<InputError>) {
    let mut failures = Vec::new();
    let prepared = sweep
        .points
        .iter()
        .enumerate()
        .map(|(p, point)| {
            let loaded = scenario::load_file_with(&sweep.base, &point.overrides);
            match loaded
                .map_err(|e| InputErrors(vec![e]))
                .and_then(pipeline::prepare_loaded)
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

pub fn sweep(args: SweepArgs) -> Result<(), Error> {
    let sweep = sweep::load(&args.file)?;
    let stem = args
        .file
        .file_stem()
        .map_or("sweep".into(), |s| s.to_string_lossy().into_owned());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("sweep-{stem}")));
    let (prepared, failures) = prepare_points(&sweep);
    for f in &failures {
        eprintln!("error: {f}");
    }
    let Some(first) = prepared.iter().flatten().next() else {
        return Err(InputErrors(failures).into());
    };
    let replications = args
        .sim
        .replications
        .or(sweep.replications)
        .unwrap_or(first.default_replications as u64);
    let seed = args.sim.seed.or(sweep.seed).unwrap_or(first.default_seed);
    crate::output::prepare_out_dir(&out)?;

    if !args.merge.is_empty() {
        for (p, point) in prepared.iter().enumerate() {
            if point.is_none() {
                continue;
            }
            let parts: Vec<PathBuf> = args
                .merge
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
            merge_parts(&parts, &point_dir(&out, p))?;
        }
    } else {
        let units: Vec<(usize, std::ops::Range<u64>)> = match args.shard {
            Some(s) => sweep::shard_units(sweep.points.len(), replications, s.index, s.count),
            None => (0..sweep.points.len())
                .map(|p| (p, 0..replications))
                .collect(),
        };
        for (p, range) in units {
            let Some(prepared) = &prepared[p] else {
                continue;
            };
            let dir = point_dir(&out, p);
            let job = Job {
                prepared,
                seed,
                replications,
                range,
                shard: args.shard.map(|s| s.to_string()),
                overrides: sweep.points[p]
                    .overrides
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
                threads: threads(args.sim.threads),
                quiet: args.sim.quiet,
                out: &dir,
                views_from: None,
            };
            simulate(&job)?;
            println!(
                "point {p:>3} ({}) done: {}",
                sweep.points[p].label,
                dir.display()
            );
        }
    }
    if let Some(shard) = args.shard {
        // The shard is complete: a manifest marks it (Slurm re-runs skip it).
        let manifest = serde_json::json!({ "tool": "jeugdstroom", "sweep_shard": shard.to_string(), "points": sweep.points.len() });
        crate::output::AtomicFile::write_all(
            &out.join("manifest.json"),
            manifest.to_string().as_bytes(),
        )?;
    } else {
        let points: Vec<PointResult> = prepared
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_some())
            .map(|(p, _)| PointResult {
                index: p,
                label: sweep.points[p].label.clone(),
                dir: point_dir(&out, p),
            })
            .collect();
        write_sweep_tables(&out, &sweep, &points)?;
        println!("sweep tables: {} (sweep.csv, tornado.csv)", out.display());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(InputErrors(failures).into())
    }
}
