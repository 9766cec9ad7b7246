//! `sweep SWEEP.toml`: every point of a sweep, a shard of them, or the
//! merge of shard folders (see `pipeline::sweep`).

use super::{RunnerFlags, SimFlags, default_out, parse_shard};
use crate::error::{Error, InputErrors};
use crate::montecarlo::Shard;
use crate::pipeline::sweep::{self, Finished, SweepRun};
use crate::text::{printable, printable_path};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Sweep file: base scenario, mode, replications, seed and [parameters].
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    #[command(flatten)]
    pub runner: RunnerFlags,
    /// Run only slice K of N of the (point, replication) work units.
    #[arg(long, value_parser = parse_shard, conflicts_with = "merge")]
    pub shard: Option<Shard>,
    /// Merge these shard folders of the sweep instead of simulating.
    #[arg(long, num_args = 1..)]
    pub merge: Vec<PathBuf>,
    /// Result folder (default: out/sweep-<file name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn sweep(args: SweepArgs) -> Result<(), Error> {
    let plan = crate::sweep::load(&args.file)?;
    let stem = args
        .file
        .file_stem()
        .map_or("sweep".into(), |s| s.to_string_lossy());
    let out = default_out(args.out, &format!("sweep-{stem}"));
    // Every point is decided before the first one runs.
    let (points, failures) = sweep::prepare_points(&plan);
    if !failures.is_empty() {
        return Err(InputErrors(failures).into());
    }
    sweep::check_year(&plan, &points)?;
    let Some(first) = points.iter().flatten().next() else {
        return Err(InputErrors(failures).into());
    };
    let run = SweepRun {
        sweep: &plan,
        points: &points,
        seed: args.sim.seed.or(plan.seed).unwrap_or(first.default_seed),
        replications: (args.sim.replications.or(plan.replications))
            .unwrap_or(first.default_replications as u64),
        shard: args.shard,
        runner: args.runner.runner(),
        out: &out,
    };
    let mut tell = |p: usize, label: &str, dir: &std::path::Path| {
        println!(
            "point {p:>3} ({}) done: {}",
            printable(label),
            printable_path(dir)
        )
    };
    if let Finished::Tables = sweep::execute(&run, &args.merge, &mut tell)? {
        println!(
            "sweep tables: {} (sweep.csv, tornado.csv)",
            printable_path(&out)
        );
    }
    Ok(())
}
