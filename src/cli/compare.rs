//! `compare A.toml B.toml`: both scenarios with common random numbers, then
//! paired differences B − A (see `pipeline::compare`).

use super::{LangFlag, RunnerFlags, SimFlags, default_out};
use crate::error::Error;
use crate::pipeline;
use crate::pipeline::compare::{self, Comparison};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario A (the reference).
    pub a: PathBuf,
    /// Scenario B (the variant); differences are B − A.
    pub b: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    #[command(flatten)]
    pub runner: RunnerFlags,
    /// Folder for comparison.csv and the two result folders a/ and b/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the HTML report of the comparison and report.xlsx.
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub lang: LangFlag,
}

pub fn compare(args: CompareArgs) -> Result<(), Error> {
    let a = pipeline::prepare(Some(&args.a))?;
    let b = pipeline::prepare(Some(&args.b))?;
    let replications = (args.sim.replications).unwrap_or(a.default_replications as u64);
    compare::check((&a, &args.a), (&b, &args.b), replications)?;
    let out = default_out(args.out, &format!("compare-{}-vs-{}", a.name, b.name));
    let comparison = Comparison {
        a: &a,
        b: &b,
        seed: args.sim.seed.unwrap_or(a.default_seed),
        replications,
        runner: args.runner.runner(),
        out: &out,
    };
    let rows = compare::run(&comparison)?;
    compare::print(&mut std::io::stdout().lock(), &comparison, &rows)?;
    if args.report {
        super::report_cmd::write_and_tell(&out, None, args.lang.lang())?;
    }
    Ok(())
}
