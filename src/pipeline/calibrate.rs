//! Driving a calibration: fit a scenario on a history CSV and write it
//! (extending the base); for a backtest, fit on the years up to a cut-off,
//! simulate the rest and score the forecast against the held-out actuals.

use super::Prepared;
use super::job::{Job, Runner, simulate};
use crate::calibrate::fit::{self, Calibration};
use crate::calibrate::history::{self, History};
use crate::calibrate::{backtest, write};
use crate::error::{Error, InputError, InputErrors};
use crate::model::distribution::Duration;
use crate::output::AtomicFile;
use crate::scenario::{self, DEFAULT_SCENARIO, schema::Scenario};
use crate::text::{printable, printable_path};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The base scenario: its text-level scenario, compiled form and file.
pub struct Base {
    scenario: Scenario,
    pub prepared: Prepared,
    /// The file to extend, or `None` for the embedded default.
    file: Option<PathBuf>,
}

/// Loads the base scenario (the embedded default when `path` is `None`).
pub fn load_base(path: Option<&Path>) -> Result<Base, Error> {
    let loaded = match path {
        Some(p) => scenario::load_file(p),
        None => scenario::load_default(),
    }
    .map_err(|e| Error::from(crate::error::InputErrors(vec![e])))?;
    let scenario = loaded.scenario.clone();
    let prepared = super::prepare_loaded(loaded)?;
    Ok(Base {
        scenario,
        prepared,
        file: path.map(Path::to_path_buf),
    })
}

/// Reads a history CSV over the base's care forms and municipalities.
pub fn read_history(base: &Base, file: &Path) -> Result<History, Error> {
    let forms: Vec<String> = base.scenario.care_forms.keys().cloned().collect();
    let municipalities: Vec<String> = base.scenario.municipalities.keys().cloned().collect();
    Ok(history::read_history(file, &forms, &municipalities)?)
}

/// Fits the years up to `until`.
pub fn fit(base: &Base, history: &History, until: i32) -> Result<Calibration, Error> {
    let forms: Vec<String> = base.scenario.care_forms.keys().cloned().collect();
    let youth: f64 = base
        .prepared
        .model
        .segments
        .iter()
        .map(|s| s.youth[0])
        .sum();
    check_youth(history, until, youth)?;
    let model = &base.prepared.model;
    let durations: Vec<_> = (forms.iter())
        .map(|f| {
            let form = model.forms.iter().find(|m| &m.name == f);
            form.map_or(Duration::exponential(1.0), |m| m.duration.clone())
        })
        .collect();
    let base_forms = fit::BaseForms {
        forms: &forms,
        durations: &durations,
        youth,
    };
    fit::calibrate(history, until, &base_forms).ok_or_else(|| {
        InputError::new(format!(
            "{}: too few years with arrivals up to {until} to fit a trend",
            history.file
        ))
        .field("year")
        .fix("give at least 3 years with started > 0")
        .into()
    })
}

/// Rates are per 1,000 youth: a year whose youth population is 0 (in the
/// history, or in the base scenario when the history gives none) is refused
/// as what it is.
fn check_youth(history: &History, until: i32, base_youth: f64) -> Result<(), Error> {
    if let Some(row) = history::zero_youth(history, until) {
        let at = crate::error::Location {
            file: history.file.clone(),
            line: row.line,
            column: 1,
            source_line: String::new(),
        };
        let message = format!("the youth population of {} is 0 in every row", row.year);
        return Err(InputError::new(message)
            .field("youth_population")
            .at(at)
            .fix("give the number of youth (0–17) living in each municipality, or leave the column empty to use the base scenario's")
            .into());
    }
    let given = history.rows.iter().any(|r| r.youth_population.is_some());
    if !given && (base_youth.is_nan() || base_youth <= 0.0) {
        let message = format!(
            "{} gives no youth population and the base scenario has no youth",
            history.file
        );
        return Err(InputError::new(message)
            .field("youth_population")
            .fix("add a youth_population column, or give the base scenario's areas their youth")
            .into());
    }
    Ok(())
}

/// Writes the calibrated scenario to `out`, extending the base (a copy of
/// the embedded default beside it when no base file was given). The text is
/// loaded, validated and compiled first; only a scenario that passes is
/// written (atomically), and on failure nothing this call created is left.
pub fn write_scenario(
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
    let dir_existed = dir.is_dir();
    std::fs::create_dir_all(dir).map_err(|e| {
        InputError::new(format!("cannot create the folder {}: {e}", dir.display()))
            .field("--out")
            .fix("choose a path in a folder you can write to with --out")
    })?;
    let mut created = Vec::new();
    let extends = match &base.file {
        Some(f) => std::fs::canonicalize(f)?.display().to_string(),
        None => {
            let copy = dir.join("amsterdam-duo.toml");
            if !copy.exists() {
                AtomicFile::write_all(&copy, DEFAULT_SCENARIO.as_bytes())?;
                created.push(copy);
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
    let result = check_fitted(&text, out, dir, history_file)
        .and_then(|()| AtomicFile::write_all(out, text.as_bytes()).map_err(Error::from));
    if result.is_err() {
        for file in &created {
            let _ = std::fs::remove_file(file);
        }
        if !dir_existed {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

/// The fitted scenario must load before it is written. When it does not,
/// the history implied parameters outside the valid ranges (a count of
/// 10³⁰⁰, a jump that implies a trend of 10²⁴ per year): that is the history
/// file's problem, so it is reported as bad input naming that file.
fn check_fitted(text: &str, out: &Path, dir: &Path, history_file: &Path) -> Result<(), Error> {
    let origin = out.display().to_string();
    let problems = match crate::scenario::load_str(&origin, text, dir) {
        Err(e) => vec![e],
        Ok(loaded) => match super::prepare_loaded(loaded) {
            Ok(_) => return Ok(()),
            Err(errors) => errors.0,
        },
    };
    let head = InputError::new(format!(
        "the history implies a scenario outside the valid ranges; not written to {} (the fitted values follow, at the lines they would have)",
        printable_path(out)
    ))
    .in_file(history_file)
    .fix("check the history's counts, youth and costs for typing errors or a wrong unit");
    Err(InputErrors(std::iter::once(head).chain(problems).collect()).into())
}

/// The fitted arrival rate and stays, and where the scenario went.
pub fn print_calibration(
    out: &mut impl Write,
    c: &Calibration,
    file: &Path,
) -> std::io::Result<()> {
    let r = &c.rate;
    writeln!(
        out,
        "calibrated on {} years ({}–{}): {:.2} arrivals per 1,000 youth in {}, trend {:+.2} %/year (se {:.2} points), R² {:.3}",
        r.n,
        c.first_year,
        c.last_year,
        r.level,
        c.last_year,
        r.trend * 100.0,
        r.se_trend * 100.0,
        r.r_squared
    )?;
    for (form, f) in &c.forms {
        if let Some(d) = &f.duration {
            writeln!(
                out,
                "  {}: mean stay {:.1} days (se {:.1})",
                printable(form),
                d.mean,
                d.se
            )?;
        }
    }
    writeln!(out, "scenario: {}", printable_path(file))
}

/// A backtest: fit up to `fit_until`, simulate the later years of `history`.
pub struct Backtest<'a> {
    pub history_file: &'a Path,
    pub fit_until: i32,
    pub replications: u64,
    pub seed: Option<u64>,
    pub runner: Runner,
    /// Folder for the calibrated scenario, its simulation and the scores.
    pub out: &'a Path,
}

/// Refuses a cut-off that leaves fewer than 3 years to fit or none to test.
pub fn check_fit_until(history: &History, fit_until: i32, file: &Path) -> Result<(), Error> {
    let (first, last) = (history.years[0], *history.years.last().unwrap_or(&0));
    let fitted = history.years.iter().filter(|&&y| y <= fit_until).count();
    if fitted < 3 || fit_until >= last {
        let tested = history.years.iter().filter(|&&y| y > fit_until).count();
        return Err(InputError::new(format!(
            "--fit-until {fit_until} leaves {fitted} years to fit and {tested} to test in {} ({first}–{last})",
            file.display()
        ))
        .field("--fit-until")
        .fix(format!(
            "choose a year from {} to {} (at least 3 years to fit, 1 to test)",
            history.years.get(2).copied().unwrap_or(first),
            last - 1
        ))
        .into());
    }
    Ok(())
}

/// Fits, writes `calibrated.toml`, simulates it into `simulation/` and
/// writes the scores; returns them.
pub fn backtest(
    base: &Base,
    history: &History,
    b: &Backtest<'_>,
) -> Result<backtest::Score, Error> {
    let calibration = fit(base, history, b.fit_until)?;
    let last = *history.years.last().unwrap_or(&0);
    let scenario_file = b.out.join("calibrated.toml");
    let horizon = (b.fit_until + 1, (last - b.fit_until) as u32);
    write_scenario(
        base,
        &calibration,
        b.history_file,
        &scenario_file,
        Some(horizon),
    )?;
    let prepared = super::prepare(Some(&scenario_file))?;
    let sim_dir = b.out.join("simulation");
    let seed = b.seed.unwrap_or(prepared.default_seed);
    simulate(&Job::whole(
        &prepared,
        seed,
        b.replications,
        b.runner,
        &sim_dir,
    ))?;
    let score = backtest::score(history, b.fit_until, &sim_dir)?;
    backtest::write(b.out, &score)?;
    Ok(score)
}
