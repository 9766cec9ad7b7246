//! One simulation job: a prepared scenario run for a range of replications
//! into a result folder (all result files, manifest last). `run`, `compare`,
//! `sweep` and `backtest` all go through [`simulate`].

use crate::error::Error;
use crate::metrics::Layout;
use crate::montecarlo::timings;
use crate::montecarlo::{self, Plan, rowfile};
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
pub use crate::output::results::{PLAN, WITHOUT_PLAN_DIR};

/// A finished run of a twin scenario (same seeds) to pair with this one,
/// and the file the paired differences go to.
#[derive(Clone, Debug)]
pub struct Twin {
    pub dir: PathBuf,
    pub file: &'static str,
}

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
    /// Finished twin runs to pair with this one (`views.csv`, `plan.csv`).
    pub twins: Vec<Twin>,
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
            twins: Vec::new(),
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
    let layout = Layout::new(&job.prepared.model);
    let done = replicate(job, &layout)?;
    conclude(job, done)
}

/// A job whose replications ran (their rows in the folder and in the
/// tables): what the rest of the job needs.
struct Replicated<'t> {
    tables: output::Tables<'t>,
    events: u64,
    started: Instant,
}

/// Runs the job's replications into its folder, building its tables from
/// the rows as they finish.
fn replicate<'t>(job: &Job<'_>, layout: &'t Layout) -> Result<Replicated<'t>, Error> {
    let started = Instant::now();
    output::prepare_out_dir(job.out)?;
    let rows = (job.range.end - job.range.start) as usize;
    let twin = job.prepared.uncertainty.is_some();
    let mut tables = output::Tables::create(job.out, &layout.keys, rows, twin)?;
    let events = timings::phase(job.out, "replications", || {
        run_replications(job, layout, &mut tables)
    })?;
    Ok(Replicated {
        tables,
        events,
        started,
    })
}

/// Everything after the replications: the paired files against the twins,
/// the assumptions, the tables and the manifest, last.
fn conclude(job: &Job<'_>, done: Replicated<'_>) -> Result<Overview, Error> {
    let beside = || -> anyhow::Result<()> {
        for twin in &job.twins {
            timings::phase(job.out, &format!("pairs {}", twin.file), || {
                let rows = output::comparison::compare_row_files(
                    &job.out.join(rowfile::FILE_NAME),
                    &twin.dir.join(rowfile::FILE_NAME),
                )?;
                output::comparison::write_pairs(&job.out.join(twin.file), &rows)
            })?;
        }
        write_assumptions(job.prepared, job.out).map_err(into_anyhow)
    };
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
    manifest.events = done.events;
    manifest.wall_seconds = wall_seconds(done.started);
    // The workers' threads and the writer's: the run's own footprint.
    let pool = pool(job.threads + 1)?;
    let overview = timings::phase(job.out, "finish", || {
        pool.install(|| output::finish(job.out, &manifest, done.tables, &beside))
    })?;
    timings::report(job.out, "job", done.started.elapsed().as_secs_f64());
    Ok(overview)
}

/// An error as `anyhow` carries it (input errors stay input errors).
fn into_anyhow(e: Error) -> anyhow::Error {
    match e {
        Error::Input(input) => input.into(),
        Error::Internal(e) => e,
    }
}

/// The thread pool of the work after the replications: as many threads as
/// the replications had, so `--threads` bounds the whole run.
fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(anyhow::Error::from)?)
}

/// Seconds since `started`, rounded to milliseconds, for the manifest.
pub fn wall_seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0
}

/// Simulates the job's replications into `replications.parquet` (and, with
/// uncertain parameters, the drawn values and the parameters-at-their-mean
/// twin beside it); returns the number of events.
fn run_replications(
    job: &Job<'_>,
    layout: &Layout,
    tables: &mut output::Tables<'_>,
) -> Result<u64, Error> {
    let model = &job.prepared.model;
    let plan = Plan {
        seed: job.seed,
        replications: job.range.clone(),
        threads: job.threads,
    };
    let bar = progress_bar(job.range.end - job.range.start, job.quiet);
    let temp = |name: &str| output::TempFile::guard(job.out.join(format!(".{name}.tmp")));
    let tmp_bin = temp(rowfile::FILE_NAME);
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
    let ran = montecarlo::run_to_sinks(
        model,
        layout,
        &plan,
        tmp_bin.path(),
        drawn.as_ref(),
        tables,
        &progress,
    );
    bar.finish_and_clear();
    // A stopped run leaves no half-written row file behind (the guards remove them).
    let events = ran?;
    tmp_bin.commit(&job.out.join(rowfile::FILE_NAME))?;
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
    /// `plan.csv`, when the counterfactual without the plan ran beside it.
    pub plan: Option<PathBuf>,
}

/// Runs a scenario. Its twins run first on the same seeds — the demand-led
/// view of a budget-capped scenario into `demand_led/` (paired in
/// `views.csv`), the counterfactual without the plan into `without_plan/`
/// (paired in `plan.csv`). A twin's tables and manifest are written while
/// the next run's replications go on (its row file is complete by then,
/// which is all the pairing reads), and the main folder's manifest is still
/// written last. Shards run no twin.
pub fn run_with_views(mut job: Job<'_>) -> Result<Ran, Error> {
    let candidates = [
        (&job.prepared.demand_led, DEMAND_LED_DIR, VIEWS),
        (&job.prepared.without_plan, WITHOUT_PLAN_DIR, PLAN),
    ];
    let mut twins = Vec::new();
    for (twin, dir, file) in candidates {
        let (Some(twin), None) = (twin, &job.shard) else {
            continue;
        };
        let dir = job.out.join(dir);
        job.twins.push(Twin {
            dir: dir.clone(),
            file,
        });
        twins.push((twin, dir, Layout::new(&twin.model)));
    }
    let base = Job {
        twins: Vec::new(),
        ..job.clone()
    };
    let overview = std::thread::scope(|scope| -> Result<Overview, Error> {
        let mut concluding = Vec::new();
        for (prepared, dir, layout) in &twins {
            let twin_job = Job {
                prepared,
                out: dir,
                ..base.clone()
            };
            output::prepare_out_dir(job.out)?;
            let done = replicate(&twin_job, layout)?;
            concluding.push(scope.spawn(move || conclude(&twin_job, done)));
        }
        let layout = Layout::new(&job.prepared.model);
        let done = replicate(&job, &layout);
        for handle in concluding {
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("a twin's tables panicked"))??;
        }
        conclude(&job, done?)
    })?;
    let written =
        |file: &str| (job.twins.iter().any(|t| t.file == file)).then(|| job.out.join(file));
    Ok(Ran {
        views: written(VIEWS),
        plan: written(PLAN),
        overview,
    })
}
