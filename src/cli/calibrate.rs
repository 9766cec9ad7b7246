//! `calibrate HISTORY.csv` writes a scenario fitted on past years;
//! `backtest HISTORY.csv --fit-until YEAR` fits on the years up to YEAR,
//! simulates the rest and scores the forecast (see `pipeline::calibrate`).

use super::{RunnerFlags, SimFlags, default_out};
use crate::calibrate::backtest as score;
use crate::error::Error;
use crate::pipeline::calibrate::{self, Backtest};
use crate::text::printable_path;
use std::io::Write;
use std::path::PathBuf;

/// `--replications` of `backtest` when not given.
const BACKTEST_REPLICATIONS: u64 = 200;

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
    #[command(flatten)]
    pub runner: RunnerFlags,
    /// Folder for the calibrated scenario, its simulation and the scores.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn calibrate(args: CalibrateArgs) -> Result<(), Error> {
    let base = calibrate::load_base(args.base.as_deref())?;
    let history = calibrate::read_history(&base, &args.history)?;
    let last = *history.years.last().unwrap_or(&0);
    let calibration = calibrate::fit(&base, &history, last)?;
    let name = format!("{}-calibrated.toml", base.prepared.name);
    let out = default_out(args.out, &name);
    calibrate::write_scenario(&base, &calibration, &args.history, &out, None)?;
    calibrate::print_calibration(&mut std::io::stdout().lock(), &calibration, &out)?;
    Ok(())
}

pub fn backtest(args: BacktestArgs) -> Result<(), Error> {
    let base = calibrate::load_base(args.base.as_deref())?;
    let history = calibrate::read_history(&base, &args.history)?;
    calibrate::check_fit_until(&history, args.fit_until, &args.history)?;
    let name = format!("backtest-{}-{}", base.prepared.name, args.fit_until);
    let out = default_out(args.out, &name);
    // Decided before the fit and the simulation start.
    crate::output::prepare_out_dir(&out)?;
    let scores = calibrate::backtest(
        &base,
        &history,
        &Backtest {
            history_file: &args.history,
            fit_until: args.fit_until,
            replications: args.sim.replications.unwrap_or(BACKTEST_REPLICATIONS),
            seed: args.sim.seed,
            runner: args.runner.runner(),
            out: &out,
        },
    )?;
    let mut stdout = std::io::stdout().lock();
    score::print(&mut stdout, &scores, args.fit_until)?;
    let files = "backtest.csv, backtest.html";
    writeln!(stdout, "results: {} ({files})", printable_path(&out))?;
    Ok(())
}
