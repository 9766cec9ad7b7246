//! One simulation job: a prepared scenario run for a range of replications
//! into a result folder (all result files, manifest last). `run`, `compare`,
//! `sweep` and `backtest` all go through [`simulate`].

use crate::error::Error;
use crate::metrics::Layout;
use crate::montecarlo::{self, Plan, binfile};
use crate::output::{self, Manifest, Overview};
use crate::pipeline::Prepared;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Budget-capped (A) beside demand-led (B) view, paired replication by replication.
pub const VIEWS: &str = "views.csv";
/// Folder of the demand-led run inside a budget-capped run's result folder.
pub const DEMAND_LED_DIR: &str = "demand_led";

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

/// Worker threads: the flag, or all cores.
pub fn threads(flag: Option<u64>) -> usize {
    flag.map(|t| t as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

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

impl<'a> Job<'a> {
    /// All `replications` of one unsharded run, no overrides, no paired view.
    pub fn whole(
        prepared: &'a Prepared,
        seed: u64,
        replications: u64,
        runner: Runner,
        out: &'a Path,
    ) -> Self {
        Job {
            prepared,
            seed,
            replications,
            range: 0..replications,
            shard: None,
            overrides: Vec::new(),
            threads: runner.threads,
            quiet: runner.quiet,
            out,
            views_from: None,
        }
    }
}

/// How a job runs (not what it computes): results do not depend on it.
#[derive(Clone, Copy, Debug)]
pub struct Runner {
    pub threads: usize,
    pub quiet: bool,
}

/// Runs the job into its result folder (all files, manifest last).
pub fn simulate(job: &Job<'_>) -> Result<Overview, Error> {
    let started = Instant::now();
    output::prepare_out_dir(job.out)?;
    let events = run_replications(job)?;
    if let Some(twin) = &job.views_from {
        let rows = output::comparison::compare_bins(
            &job.out.join(binfile::FILE_NAME),
            &twin.join(binfile::FILE_NAME),
        )?;
        output::comparison::write_pairs(&job.out.join(VIEWS), &rows)?;
    }
    write_assumptions(job.prepared, job.out)?;
    let mut manifest = Manifest::new(
        &job.prepared.name,
        &job.prepared.sha256,
        job.seed,
        job.replications,
        [job.range.start, job.range.end],
    );
    manifest.shard = job.shard.clone();
    manifest.overrides = job.overrides.clone();
    manifest.threads = job.threads;
    manifest.events = events;
    manifest.wall_seconds = wall_seconds(started);
    Ok(output::finalize(job.out, &manifest)?)
}

/// Seconds since `started`, rounded to milliseconds, for the manifest.
pub fn wall_seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

/// Simulates the job's replications into `replications.bin` (and, with
/// uncertain parameters, the drawn values and the parameters-at-their-mean
/// twin beside it); returns the number of events.
fn run_replications(job: &Job<'_>) -> Result<u64, Error> {
    let model = &job.prepared.model;
    let layout = Layout::new(model);
    let plan = Plan {
        seed: job.seed,
        replications: job.range.clone(),
        threads: job.threads,
    };
    let bar = progress_bar(job.range.end - job.range.start, job.quiet);
    let temp = |name: &str| output::TempFile::guard(job.out.join(format!(".{name}.tmp")));
    let tmp_bin = temp(binfile::FILE_NAME);
    let (tmp_twin, tmp_parameters) = (
        temp(montecarlo::TWIN_FILE),
        temp(montecarlo::PARAMETERS_FILE),
    );
    let sampler = job
        .prepared
        .uncertainty
        .as_ref()
        .map(|u| u.sampler(job.seed));
    let names = job
        .prepared
        .uncertainty
        .as_ref()
        .map(|u| u.names())
        .unwrap_or_default();
    let build = |replication: u64| match &sampler {
        Some(s) => s.model(replication),
        None => Err(crate::error::InputError::new("no uncertain parameters")),
    };
    let drawn = sampler.as_ref().map(|_| montecarlo::Drawn {
        build: &build,
        names: &names,
        twin_path: tmp_twin.path(),
        parameters_path: tmp_parameters.path(),
        columns: montecarlo::twin_columns(&layout.keys),
    });
    let progress = |done| bar.set_position(done);
    let ran = montecarlo::run_to_files(
        model,
        &layout,
        &plan,
        tmp_bin.path(),
        drawn.as_ref(),
        &progress,
    );
    bar.finish_and_clear();
    // A stopped run leaves no half-written row file behind (the guards remove them).
    let events = ran?;
    tmp_bin.commit(&job.out.join(binfile::FILE_NAME))?;
    if drawn.is_some() {
        tmp_twin.commit(&job.out.join(montecarlo::TWIN_FILE))?;
        tmp_parameters.commit(&job.out.join(montecarlo::PARAMETERS_FILE))?;
    }
    Ok(events)
}

/// The scenario's assumptions and labels, kept with every result.
fn write_assumptions(prepared: &Prepared, out: &Path) -> Result<(), Error> {
    use crate::scenario::assumptions::{FILE_NAME, LABELS_FILE, Labels};
    let assumptions = pretty_json(&prepared.assumptions)?;
    output::AtomicFile::write_all(&out.join(FILE_NAME), assumptions.as_bytes())?;
    let labels = pretty_json(&Labels::of(&prepared.model))?;
    output::AtomicFile::write_all(&out.join(LABELS_FILE), labels.as_bytes())?;
    Ok(())
}

fn pretty_json(value: &impl serde::Serialize) -> Result<String, Error> {
    Ok(serde_json::to_string_pretty(value).map_err(anyhow::Error::from)?)
}

/// What [`run_with_views`] ran.
pub struct Ran {
    pub overview: Overview,
    /// `views.csv`, when a demand-led twin ran beside a budget-capped scenario.
    pub views: Option<PathBuf>,
}

/// Runs a scenario. A budget-capped scenario's demand-led twin runs first
/// (same seeds) into `demand_led/` and is paired with it in `views.csv`, so
/// the main folder's manifest is still written last. Shards run no twin.
pub fn run_with_views(mut job: Job<'_>) -> Result<Ran, Error> {
    let twin_dir = job.out.join(DEMAND_LED_DIR);
    if let (Some(twin), None) = (&job.prepared.demand_led, &job.shard) {
        output::prepare_out_dir(job.out)?;
        simulate(&Job {
            prepared: twin,
            out: &twin_dir,
            views_from: None,
            ..job.clone()
        })?;
        job.views_from = Some(twin_dir.clone());
    }
    let overview = simulate(&job)?;
    Ok(Ran {
        overview,
        views: job.views_from.is_some().then(|| job.out.join(VIEWS)),
    })
}
