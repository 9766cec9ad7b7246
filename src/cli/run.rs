//! `run`: simulate a scenario and write the result folder.

use super::RunArgs;
use crate::aggregate::Layout;
use crate::error::Error;
use crate::montecarlo::{self, Plan, binfile};
use crate::output::{self, Manifest, Overview};
use crate::pipeline::{self, Prepared};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A progress bar on stderr, hidden unless stderr is a terminal and not `--quiet`.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Budget-capped (A) beside demand-led (B) view, paired replication by replication.
pub const VIEWS: &str = "views.csv";
/// Folder of the demand-led run inside a budget-capped run's result folder.
pub const DEMAND_LED_DIR: &str = "demand_led";

/// One simulation job: a prepared scenario, which replications, where to.
#[derive(Clone)]
pub struct Job<'a> {
    pub prepared: &'a Prepared,
    pub seed: u64,
    /// Replications of the whole run (all shards).
    pub replications: u64,
    /// The replications this job runs, and the shard they are (if any).
    pub range: Range<u64>,
    pub shard: Option<String>,
    /// Sweep overrides, recorded in the manifest.
    pub overrides: Vec<String>,
    pub threads: usize,
    pub quiet: bool,
    pub out: &'a Path,
    /// A finished demand-led run to pair with this one in `views.csv`.
    pub views_from: Option<PathBuf>,
}

/// Runs the job into its result folder (all files, manifest last).
pub fn simulate(job: &Job<'_>) -> Result<Overview, Error> {
    let started = Instant::now();
    let range = job.range.clone();
    output::prepare_out_dir(job.out)?;
    let model = &job.prepared.model;
    let layout = Layout::new(model);
    let plan = Plan {
        seed: job.seed,
        replications: range.clone(),
        threads: job.threads,
    };
    let bar = progress_bar(range.end - range.start, job.quiet);
    let tmp_bin = job.out.join(format!(".{}.tmp", binfile::FILE_NAME));
    let events = montecarlo::run_to_file(model, &layout, &plan, &tmp_bin, &|done| {
        bar.set_position(done)
    })?;
    bar.finish_and_clear();
    std::fs::rename(&tmp_bin, job.out.join(binfile::FILE_NAME))?;
    if let Some(twin) = &job.views_from {
        let rows = output::comparison::compare_bins(
            &job.out.join(binfile::FILE_NAME),
            &twin.join(binfile::FILE_NAME),
        )?;
        output::comparison::write_pairs(&job.out.join(VIEWS), &rows)?;
    }
    let p = job.prepared;
    output::AtomicFile::write_all(
        &job.out.join(crate::scenario::assumptions::FILE_NAME),
        serde_json::to_string_pretty(&p.assumptions)
            .map_err(anyhow::Error::from)?
            .as_bytes(),
    )?;
    output::AtomicFile::write_all(
        &job.out.join(crate::scenario::assumptions::LABELS_FILE),
        serde_json::to_string_pretty(&crate::scenario::assumptions::Labels::of(model))
            .map_err(anyhow::Error::from)?
            .as_bytes(),
    )?;
    let mut manifest = Manifest::new(
        &p.name,
        &p.sha256,
        job.seed,
        job.replications,
        [range.start, range.end],
    );
    manifest.shard = job.shard.clone();
    manifest.overrides = job.overrides.clone();
    manifest.threads = job.threads;
    manifest.events = events;
    manifest.wall_seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    Ok(output::finalize(job.out, &manifest)?)
}

/// Worker threads: the flag, or all cores.
pub fn threads(flag: Option<u64>) -> usize {
    flag.map(|t| t as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

pub fn run(args: RunArgs) -> Result<(), Error> {
    // A bad --lang fails before the simulation, not after it.
    let lang = args.report.then(|| args.lang.lang()).transpose()?;
    let prepared = pipeline::prepare(args.scenario.as_deref())?;
    let replications = args
        .sim
        .replications
        .unwrap_or(prepared.default_replications as u64);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(&prepared.name));
    let twin_dir = out.join(DEMAND_LED_DIR);
    let mut job = Job {
        prepared: &prepared,
        seed: args.sim.seed.unwrap_or(prepared.default_seed),
        replications,
        range: args
            .shard
            .map_or(0..replications, |s| s.range(replications)),
        shard: args.shard.map(|s| s.to_string()),
        overrides: Vec::new(),
        threads: threads(args.sim.threads),
        quiet: args.sim.quiet,
        out: &out,
        views_from: None,
    };
    // Budget-capped staff: the demand-led view runs first (same seeds), so
    // the main folder's manifest is still written last.
    if let (Some(twin), None) = (&prepared.demand_led, args.shard) {
        output::prepare_out_dir(&out)?;
        simulate(&Job {
            prepared: twin,
            out: &twin_dir,
            views_from: None,
            ..job.clone()
        })?;
        job.views_from = Some(twin_dir.clone());
    }
    let overview = simulate(&job)?;
    let ran = args.shard.map_or(replications, |s| {
        let r = s.range(replications);
        r.end - r.start
    });
    let mut stdout = std::io::stdout().lock();
    output::print_overview(&mut stdout, &prepared.name, ran, &overview)?;
    if job.views_from.is_some() {
        output::views::print_views(&mut stdout, &out.join(VIEWS))?;
    }
    writeln!(stdout, "results: {}", out.display())?;
    drop(stdout);
    if let Some(lang) = lang {
        if args.shard.is_some() {
            println!("(no report for a single shard: merge the shards, then `jeugdstroom report`)");
        } else {
            super::report_cmd::write_and_tell(&out, None, lang)?;
        }
    }
    Ok(())
}
