//! Command-line interface: clap definitions and dispatch only. Each
//! subcommand's arguments and its call into the library live in its own
//! file; the work is done in `pipeline`, `analysis`, `report` and `output`.

mod calibrate;
mod capacity;
mod compare;
mod import;
mod merge;
mod report_cmd;
mod required;
mod run;
mod scenario_cmd;
mod serve;
mod slurm;
mod sweep;

use crate::error::Error;
use crate::limits::{MAX_REPLICATIONS, MAX_THREADS};
use crate::montecarlo::Shard;
use crate::pipeline::{Runner, job};
use crate::report::Lang;
use crate::text::printable;
use clap::{Parser, Subcommand};
use std::borrow::Cow;

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
    Run(run::RunArgs),
    /// Check a scenario file without running it.
    Validate { scenario: std::path::PathBuf },
    /// Print the embedded default scenario or the JSON Schema of the format.
    Scenario {
        #[command(subcommand)]
        what: scenario_cmd::ScenarioCommand,
    },
    /// Combine shard result folders into one result.
    Merge(merge::MergeArgs),
    /// Run two scenarios with common random numbers and report paired differences.
    Compare(compare::CompareArgs),
    /// Run every point of a parameter sweep (grid or one at a time), shardable.
    Sweep(sweep::SweepArgs),
    /// Write an sbatch job array (one task per shard) and a dependent merge job.
    Slurm(slurm::SlurmArgs),
    /// Advise places per area and care form for a target probability of immediate admission.
    Capacity(capacity::CapacityArgs),
    /// Find the change of one lever that brings P(cost > lumpsum) in a year to a target.
    Required(required::RequiredArgs),
    /// Write the HTML report (and report.xlsx beside it) of a result folder.
    Report(report_cmd::ReportArgs),
    /// Fit a scenario (rates with trend, durations, transitions, tariffs) on a history CSV.
    Calibrate(calibrate::CalibrateArgs),
    /// Fit on the years up to --fit-until, simulate the rest, score against the actuals.
    Backtest(calibrate::BacktestArgs),
    /// Serve the what-if page: move levers, see the answer re-simulated with common random numbers.
    Serve(serve::ServeArgs),
    /// Read another source's file into ours (cbs: a CBS StatLine CSV into a history CSV).
    Import {
        #[command(subcommand)]
        what: import::ImportCommand,
    },
}

/// Which replications and which random numbers: every simulating command.
#[derive(Debug, clap::Args)]
pub struct SimFlags {
    /// Number of replications (default: the scenario's `simulation.replications`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATIONS))]
    pub replications: Option<u64>,
    /// Master seed (default: the scenario's `simulation.seed`).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// How the replications run; results do not depend on it.
#[derive(Debug, clap::Args)]
pub struct RunnerFlags {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS))]
    pub threads: Option<u64>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

impl RunnerFlags {
    pub fn runner(&self) -> Runner {
        Runner {
            threads: job::threads(self.threads),
            quiet: self.quiet,
        }
    }
}

/// Language of the report.
#[derive(Debug, Clone, clap::Args)]
pub struct LangFlag {
    /// Language of the report's labels and number formats.
    #[arg(long = "lang", value_name = "LANG", value_enum, default_value_t = LangChoice::En)]
    pub choice: LangChoice,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangChoice {
    /// English
    En,
    /// Dutch labels and number formats
    Nl,
}

impl LangFlag {
    pub fn lang(&self) -> Lang {
        match self.choice {
            LangChoice::En => Lang::En,
            LangChoice::Nl => Lang::Nl,
        }
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse::<Shard>()
        .map_err(|e| format!("{}; {}", e.message, e.fix.unwrap_or_default()))
}

/// Result folder `out/<name>` when `--out` is not given.
fn default_out(out: Option<std::path::PathBuf>, name: &str) -> std::path::PathBuf {
    out.unwrap_or_else(|| std::path::PathBuf::from("out").join(name))
}

/// Clap's message as clap prints it, unless it echoes a control character
/// of an argument: then line by line through `printable`, uncoloured.
fn print_clap_error(e: &clap::Error) {
    let plain = e.render().to_string();
    if plain
        .lines()
        .all(|l| matches!(printable(l), Cow::Borrowed(_)))
    {
        let _ = e.print();
    } else {
        let lines: Vec<_> = plain.lines().map(printable).collect();
        eprintln!("{}", lines.join("\n"));
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            print_clap_error(&e);
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
            let debug = format!("{e:?}");
            let lines: Vec<_> = debug.lines().map(printable).collect();
            eprintln!("error: internal: {}", lines.join("\n"));
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
        Command::Serve(args) => serve::serve(args),
        Command::Validate { scenario } => scenario_cmd::validate(&scenario),
        Command::Scenario { what } => scenario_cmd::print(what),
        Command::Merge(args) => merge::merge(args),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Slurm(args) => slurm::slurm(args),
        Command::Capacity(args) => capacity::capacity(args),
        Command::Required(args) => required::required(args),
        Command::Report(args) => report_cmd::report(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Backtest(args) => calibrate::backtest(args),
        Command::Import { what } => import::import(what),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn argument_definitions_are_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
