//! Command-line interface: clap definitions and dispatch. Each subcommand's
//! work lives in its own file.

mod calibrate;
mod capacity;
mod compare;
mod merge;
mod report_cmd;
mod run;
mod scenario_cmd;
mod slurm;
mod sweep;

use crate::error::Error;
use crate::montecarlo::Shard;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "jeugdstroom",
    version,
    about = "Monte Carlo simulation of youth-care flows against lumpsum contracts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// On an internal error, print its whole chain of causes (and a
    /// backtrace with RUST_BACKTRACE=1) instead of one line.
    #[arg(long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the embedded Amsterdam-DUO default when none is given).
    Run(RunArgs),
    /// Check a scenario file without running it.
    Validate { scenario: PathBuf },
    /// Print the embedded default scenario or the JSON Schema of the format.
    Scenario {
        #[command(subcommand)]
        what: ScenarioCommand,
    },
    /// Combine shard result folders into one result.
    Merge(MergeArgs),
    /// Run two scenarios with common random numbers and report paired differences.
    Compare(CompareArgs),
    /// Run every point of a parameter sweep (grid or one at a time), shardable.
    Sweep(SweepArgs),
    /// Write an sbatch job array (one task per shard) and a dependent merge job.
    Slurm(SlurmArgs),
    /// Advise places per area and care form for a target probability of immediate admission.
    Capacity(CapacityArgs),
    /// Write the HTML report (and report.xlsx beside it) of a result folder.
    Report(ReportArgs),
    /// Fit a scenario (rates with trend, durations, transitions, tariffs) on a history CSV.
    Calibrate(CalibrateArgs),
    /// Fit on the years up to --fit-until, simulate the rest, score against the actuals.
    Backtest(BacktestArgs),
}

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// History CSV: year,municipality,care_form,started,ended,in_care_end[,…].
    pub history: PathBuf,
    /// Base scenario whose care forms and areas the history uses (default: embedded).
    #[arg(long)]
    pub base: Option<PathBuf>,
    /// Scenario file to write (default: out/<base>-calibrated.toml).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    pub history: PathBuf,
    /// Last year used for fitting; the later years are held out.
    #[arg(long)]
    pub fit_until: i32,
    #[arg(long)]
    pub base: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimFlags,
    /// Folder for the calibrated scenario, its simulation and the scores.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A result folder written by `run`, `merge` or `compare`.
    pub dir: PathBuf,
    /// HTML file to write (default: RESULT_DIR/report.html); the workbook goes beside it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangFlag,
}

/// Language of the report.
#[derive(Debug, Clone, clap::Args)]
pub struct LangFlag {
    /// `en` (English) or `nl` (Dutch labels and number formats).
    #[arg(long = "lang", default_value = "en")]
    pub code: String,
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Print the embedded default scenario (TOML).
    Default,
    /// Print a JSON Schema of the scenario format.
    Schema,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse::<Shard>()
        .map_err(|e| format!("{}; {}", e.message, e.fix.unwrap_or_default()))
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimFlags,
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

/// Flags every simulating command shares.
#[derive(Debug, clap::Args)]
pub struct SimFlags {
    /// Number of replications (default: the scenario's `simulation.replications`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: Option<u64>,
    /// Master seed (default: the scenario's `simulation.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Scenario A (the reference).
    pub a: PathBuf,
    /// Scenario B (the variant); differences are B − A.
    pub b: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    /// Folder for comparison.csv and the two result folders a/ and b/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the HTML report of the comparison and report.xlsx.
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub lang: LangFlag,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Sweep file: base scenario, mode, replications, seed and [parameters].
    pub file: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
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

#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// Scenario to run in shards.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Sweep file to run in shards.
    #[arg(long)]
    pub sweep: Option<PathBuf>,
    /// Number of shards (array tasks).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..100_001))]
    pub shards: u64,
    /// Result folder: shard-K/, merged/ and the scripts in slurm/.
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: Option<u64>,
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long)]
    pub partition: Option<String>,
    #[arg(long)]
    pub account: Option<String>,
    /// Wall-time limit per task (Slurm format, e.g. 02:00:00).
    #[arg(long, default_value = "01:00:00", value_parser = slurm::parse_time)]
    pub time: String,
    /// Memory per task (Slurm format, e.g. 4G).
    #[arg(long, default_value = "2G")]
    pub mem: String,
    /// CPUs per task = threads per shard.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub cpus_per_task: u64,
    /// jeugdstroom binary the jobs call (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
}

fn parse_target(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a probability strictly between 0 and 1, e.g. 0.95"
        )),
    }
}

#[derive(Debug, clap::Args)]
pub struct CapacityArgs {
    pub scenario: PathBuf,
    /// Target probability of immediate admission.
    #[arg(long, default_value_t = 0.95, value_parser = parse_target)]
    pub target: f64,
    /// Replications for the load estimate and the simulated check.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub replications: u64,
    #[arg(long)]
    pub seed: Option<u64>,
    /// CSV to write (default: out/<scenario>-capacity.csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard result folders.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Folder for the merged result.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let verbose = cli.verbose;
    match execute(cli) {
        Ok(()) => 0,
        // `… | head`: the reader has gone; the result files are complete.
        Err(Error::Internal(e))
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            0
        }
        Err(Error::Internal(e)) if verbose => {
            eprintln!("error: internal: {e:?}");
            1
        }
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    }
}

pub fn execute(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Validate { scenario } => scenario_cmd::validate(&scenario),
        Command::Scenario { what } => scenario_cmd::print(what),
        Command::Merge(args) => merge::merge(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Slurm(args) => slurm::slurm(args),
        Command::Capacity(args) => capacity::capacity(args),
        Command::Report(args) => report_cmd::report(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Backtest(args) => calibrate::backtest(args),
    }
}
