//! `calibrate HISTORY.csv` writes a scenario fitted on past years;
//! `backtest HISTORY.csv --fit-until YEAR` fits on the years up to YEAR,
//! simulates the rest and scores the forecast against the held-out actuals.

use super::run::{Job, simulate, threads};
use super::{BacktestArgs, CalibrateArgs};
use crate::calibrate::fit::{self, Calibration};
use crate::calibrate::history::{self, History};
use crate::calibrate::{backtest, write};
use crate::error::{Error, InputError};
use crate::output::AtomicFile;
use crate::pipeline::{self, Prepared};
use crate::scenario::{self, DEFAULT_SCENARIO, schema::Scenario};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The base scenario: its text-level scenario, compiled form and file.
struct Base {
    scenario: Scenario,
    prepared: Prepared,
    /// The file to extend, or `None` for the embedded default.
    file: Option<PathBuf>,
}

fn load_base(path: Option<&Path>) -> Result<Base, Error> {
    let loaded = match path {
        Some(p) => scenario::load_file(p),
        None => scenario::load_default(),
    }
    .map_err(|e| Error::from(crate::error::InputErrors(vec![e])))?;
    let scenario = loaded.scenario.clone();
    let prepared = pipeline::prepare_loaded(loaded)?;
    Ok(Base {
        scenario,
        prepared,
        file: path.map(Path::to_path_buf),
    })
}

fn read(base: &Base, file: &Path) -> Result<History, Error> {
    let forms: Vec<String> = base.scenario.care_forms.keys().cloned().collect();
    let municipalities: Vec<String> = base.scenario.municipalities.keys().cloned().collect();
    Ok(history::read_history(file, &forms, &municipalities)?)
}

fn fit(base: &Base, history: &History, until: i32) -> Result<Calibration, Error> {
    let forms: Vec<String> = base.scenario.care_forms.keys().cloned().collect();
    let youth: f64 = base
        .prepared
        .model
        .segments
        .iter()
        .map(|s| s.youth[0])
        .sum();
    fit::calibrate(history, until, &forms, youth).ok_or_else(|| {
        InputError::new(format!(
            "{}: too few years with arrivals up to {until} to fit a trend",
            history.file
        ))
        .field("year")
        .fix("give at least 3 years with started > 0")
        .into()
    })
}

/// Writes the calibrated scenario to `out`, extending the base (a copy of
/// the embedded default beside it when no base file was given).
fn write_scenario(
    base: &Base,
    calibration: &Calibration,
    history_file: &Path,
    out: &Path,
    horizon: Option<(i32, u32)>,
) -> Result<(), Error> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let extends = match &base.file {
        Some(f) => std::fs::canonicalize(f)?.display().to_string(),
        None => {
            let copy = dir.join("amsterdam-duo.toml");
            if !copy.exists() {
                AtomicFile::write_all(&copy, DEFAULT_SCENARIO.as_bytes())?;
            }
            "amsterdam-duo.toml".to_string()
        }
    };
    let name = format!("{}-calibrated", base.prepared.name);
    let text = write::scenario_text(
        calibration,
        &base.scenario,
        &base.prepared.model,
        &write::Target {
            extends: &extends,
            name: &name,
            history_file: &history_file.display().to_string(),
            horizon,
        },
    );
    AtomicFile::write_all(out, text.as_bytes())?;
    // What we write must load: a failure here is a bug, not bad input.
    pipeline::prepare(Some(out)).map_err(|e| {
        Error::Internal(anyhow::anyhow!(
            "the calibrated scenario does not load: {e}"
        ))
    })?;
    Ok(())
}

pub fn calibrate(args: CalibrateArgs) -> Result<(), Error> {
    let base = load_base(args.base.as_deref())?;
    let history = read(&base, &args.history)?;
    let last = *history.years.last().unwrap_or(&0);
    let calibration = fit(&base, &history, last)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("out").join(format!("{}-calibrated.toml", base.prepared.name))
    });
    write_scenario(&base, &calibration, &args.history, &out, None)?;
    let mut stdout = std::io::stdout().lock();
    let r = &calibration.rate;
    writeln!(
        stdout,
        "calibrated on {} years ({}–{}): {:.2} arrivals per 1,000 youth in {}, trend {:+.2} %/year (se {:.2} points), R² {:.3}",
        r.n,
        calibration.first_year,
        calibration.last_year,
        r.level,
        calibration.last_year,
        r.trend * 100.0,
        r.se_trend * 100.0,
        r.r_squared
    )?;
    for (form, f) in &calibration.forms {
        if let Some(d) = &f.duration {
            writeln!(
                stdout,
                "  {form}: mean stay {:.1} days (se {:.1})",
                d.mean, d.se
            )?;
        }
    }
    writeln!(stdout, "scenario: {}", out.display())?;
    Ok(())
}

pub fn backtest(args: BacktestArgs) -> Result<(), Error> {
    let base = load_base(args.base.as_deref())?;
    let history = read(&base, &args.history)?;
    let (first, last) = (history.years[0], *history.years.last().unwrap_or(&0));
    let fitted = history
        .years
        .iter()
        .filter(|&&y| y <= args.fit_until)
        .count();
    if fitted < 3 || args.fit_until >= last {
        return Err(InputError::new(format!(
            "--fit-until {} leaves {fitted} years to fit and {} to test in {} ({first}–{last})",
            args.fit_until,
            history
                .years
                .iter()
                .filter(|&&y| y > args.fit_until)
                .count(),
            args.history.display()
        ))
        .field("--fit-until")
        .fix(format!(
            "choose a year from {} to {} (at least 3 years to fit, 1 to test)",
            history.years.get(2).copied().unwrap_or(first),
            last - 1
        ))
        .into());
    }
    let calibration = fit(&base, &history, args.fit_until)?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("out").join(format!(
            "backtest-{}-{}",
            base.prepared.name, args.fit_until
        ))
    });
    let scenario_file = out.join("calibrated.toml");
    let horizon = (args.fit_until + 1, (last - args.fit_until) as u32);
    write_scenario(
        &base,
        &calibration,
        &args.history,
        &scenario_file,
        Some(horizon),
    )?;
    let prepared = pipeline::prepare(Some(&scenario_file))?;
    let replications = args.sim.replications.unwrap_or(200);
    let sim_dir = out.join("simulation");
    simulate(&Job {
        prepared: &prepared,
        seed: args.sim.seed.unwrap_or(prepared.default_seed),
        replications,
        range: 0..replications,
        shard: None,
        overrides: Vec::new(),
        threads: threads(args.sim.threads),
        quiet: args.sim.quiet,
        out: &sim_dir,
        views_from: None,
    })?;
    let score = backtest::score(&history, args.fit_until, &sim_dir)?;
    backtest::write(&out, &score)?;
    let mut stdout = std::io::stdout().lock();
    backtest::print(&mut stdout, &score, args.fit_until)?;
    writeln!(
        stdout,
        "results: {} (backtest.csv, backtest.html)",
        out.display()
    )?;
    Ok(())
}
