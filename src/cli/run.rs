//! `run`: simulate a scenario and write the result folder.

use super::{LangFlag, RunnerFlags, SimFlags, default_out, parse_shard};
use crate::error::Error;
use crate::montecarlo::Shard;
use crate::output;
use crate::pipeline;
use crate::pipeline::job::{self, Job};
use crate::text::printable_path;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimFlags,
    #[command(flatten)]
    pub runner: RunnerFlags,
    /// Run only slice K of N of the replications (1-based), for clusters.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Result folder (default: out/<scenario name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the HTML report and report.xlsx into the result folder.
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub lang: LangFlag,
}

pub fn run(args: RunArgs) -> Result<(), Error> {
    let prepared = pipeline::prepare(args.scenario.as_deref())?;
    let replications = (args.sim.replications).unwrap_or(prepared.default_replications as u64);
    let out = default_out(args.out, &prepared.name);
    let range = args
        .shard
        .map_or(0..replications, |s| s.range(replications));
    let ran = job::run_with_views(Job {
        range: range.clone(),
        shard: args.shard.map(|s| s.to_string()),
        ..Job::whole(
            &prepared,
            args.sim.seed.unwrap_or(prepared.default_seed),
            replications,
            args.runner.runner(),
            &out,
        )
    })?;
    let mut stdout = std::io::stdout().lock();
    output::print_overview(
        &mut stdout,
        &prepared.name,
        range.end - range.start,
        &ran.overview,
    )?;
    if let Some(views) = &ran.views {
        output::views::print_views(&mut stdout, views, &output::views::VIEWS)?;
    }
    if let Some(plan) = &ran.plan {
        output::views::print_views(&mut stdout, plan, &output::views::PLAN)?;
    }
    writeln!(stdout, "results: {}", printable_path(&out))?;
    drop(stdout);
    if args.report && args.shard.is_some() {
        println!("(no report for a single shard: merge the shards, then `jeugdstroom report`)");
    } else if args.report {
        super::report_cmd::write_and_tell(&out, None, args.lang.lang())?;
    }
    Ok(())
}
