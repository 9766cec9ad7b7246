//! The readers under test, each with its seed files: a scenario (the
//! default, and a tiny one with a caseload CSV and an empirical duration
//! CSV), a calibration history CSV and a sweep file. Each is loaded in
//! process; its deep check runs the real binary on what validated.

use super::engine::{Case, Target};
use super::oracle::{self, Finding, Verdict, binary, judge, judge_error};
use super::structured;
use jeugdstroom::pipeline::{self, calibrate};
use jeugdstroom::scenario;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

/// Load, validate and compile in process (no simulation).
const LOAD_LIMIT: Duration = Duration::from_secs(20);
/// `validate`, `report`, `merge`, `calibrate`.
pub const QUICK_LIMIT: Duration = Duration::from_secs(10);
/// One replication (or one per sweep point).
pub const RUN_LIMIT: Duration = Duration::from_secs(30);

const TINY: &str = include_str!("fixtures/tiny.toml");
const CASELOAD: &str = include_str!("fixtures/caseload.csv");
const DURATIONS: &str = include_str!("fixtures/durations.csv");
const SWEEP: &str = include_str!("fixtures/sweep.toml");
const HISTORY: &str = include_str!("../../examples/history-synthetic.csv");
const TRUTH: &str = include_str!("../../examples/truth.toml");

/// The tiny scenario and the files it names, as (name, contents).
pub fn tiny_files() -> Vec<(String, Vec<u8>)> {
    [
        ("tiny.toml", TINY),
        ("caseload.csv", CASELOAD),
        ("durations.csv", DURATIONS),
    ]
    .iter()
    .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
    .collect()
}

/// A fresh folder holding `seeds` with the case applied, and `fixed`.
pub fn workspace(seeds: &[(String, Vec<u8>)], fixed: &[(String, Vec<u8>)], case: &Case) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fill(dir.path(), seeds, fixed, case);
    dir
}

/// Writes `seeds` with the case applied, and `fixed`, into `dir`.
pub fn fill(dir: &Path, seeds: &[(String, Vec<u8>)], fixed: &[(String, Vec<u8>)], case: &Case) {
    for (name, bytes) in seeds.iter().chain(fixed) {
        std::fs::write(dir.join(name), bytes).expect("a temporary file");
    }
    let path = dir.join(&seeds[case.file].0);
    if case.removed {
        std::fs::remove_file(&path).expect("the seed file");
    } else {
        std::fs::write(&path, &case.bytes).expect("a temporary file");
    }
}

pub fn arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// `COMMAND INPUT` with one replication on one thread, quiet, into `out`:
/// the cheapest call that still reads and checks the whole input.
fn quick<'a>(command: &'a str, input: &'a str, out: &'a str) -> [&'a str; 9] {
    [
        command,
        input,
        "--replications",
        "1",
        "--threads",
        "1",
        "--quiet",
        "--out",
        out,
    ]
}

/// The in-process verdict of a call returning `Err(message)` on bad input.
pub fn in_process(dir: &Path, f: impl FnOnce() -> Result<(), String> + Send + 'static) -> Verdict {
    match oracle::in_process(LOAD_LIMIT, f) {
        Err(finding) => Verdict::Finding(finding),
        Ok(Err(message)) => judge_error(&message, dir),
        Ok(Ok(())) => Verdict::Accepted,
    }
}

/// The binary must agree with the library on what is valid.
pub fn agrees(library: &Verdict, ran: Verdict, command: &str) -> Verdict {
    match (library, &ran) {
        (_, Verdict::Finding(_)) => ran,
        (Verdict::Accepted, Verdict::Accepted) | (Verdict::Rejected, Verdict::Rejected) => ran,
        _ => Verdict::Finding(Finding::new(
            "disagree",
            &format!("in process {library:?}, `{command}` {ran:?}"),
        )),
    }
}

// -------------------------------------------------------------- scenario

/// A scenario file (seed 0) and the files it names.
pub struct ScenarioTarget {
    pub name: &'static str,
    pub seeds: Vec<(String, Vec<u8>)>,
    /// Deep runs extend the case with `warmup_years = 0` (the default's
    /// five warm-up years cost more than its ten horizon years).
    pub no_warmup: bool,
}

impl ScenarioTarget {
    pub fn default_scenario() -> Self {
        ScenarioTarget {
            name: "scenario",
            seeds: vec![(
                "scenario.toml".into(),
                crate::util::DEFAULT.as_bytes().to_vec(),
            )],
            no_warmup: true,
        }
    }

    pub fn tiny() -> Self {
        ScenarioTarget {
            name: "scenario-csv",
            seeds: tiny_files(),
            no_warmup: false,
        }
    }
}

fn load_and_prepare(path: &Path) -> Result<(), String> {
    let loaded = scenario::load_file(path).map_err(|e| e.to_string())?;
    pipeline::prepare_loaded(loaded)
        .map(drop)
        .map_err(|e| e.to_string())
}

impl Target for ScenarioTarget {
    fn name(&self) -> &'static str {
        self.name
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        let mut cases = Vec::new();
        for (i, (name, bytes)) in self.seeds.iter().enumerate() {
            let text = String::from_utf8_lossy(bytes);
            cases.extend(match name.ends_with(".csv") {
                true => structured::csv_cases(i, &text, usize::MAX),
                false => structured::toml_cases(i, &text),
            });
        }
        cases
    }

    fn check(&self, case: &Case, deep: bool) -> Verdict {
        let dir = workspace(&self.seeds, &[], case);
        let path = dir.path().join(&self.seeds[0].0);
        let owned = path.clone();
        let library = in_process(dir.path(), move || load_and_prepare(&owned));
        if !deep || matches!(library, Verdict::Finding(_)) {
            return library;
        }
        let validated = judge(&binary(&["validate", arg(&path)], QUICK_LIMIT), dir.path());
        let validated = agrees(&library, validated, "validate");
        if !matches!(validated, Verdict::Accepted) {
            return validated;
        }
        let run = match self.no_warmup {
            true => {
                let text = format!(
                    "extends = \"{}\"\n[initial_state]\nwarmup_years = 0\n",
                    self.seeds[0].0
                );
                let run = dir.path().join("run.toml");
                std::fs::write(&run, text).expect("a temporary file");
                run
            }
            false => path,
        };
        let out = dir.path().join("out");
        let args = quick("run", arg(&run), arg(&out));
        judge(&binary(&args, RUN_LIMIT), dir.path())
    }
}

// --------------------------------------------------------------- history

/// A calibration history CSV over `examples/truth.toml`: read and fitted
/// in process; deep: `calibrate`, whose scenario must then validate.
pub struct HistoryTarget {
    seeds: Vec<(String, Vec<u8>)>,
    fixed: Vec<(String, Vec<u8>)>,
}

impl HistoryTarget {
    pub fn new() -> Self {
        HistoryTarget {
            seeds: vec![("history.csv".into(), HISTORY.as_bytes().to_vec())],
            fixed: vec![("truth.toml".into(), TRUTH.as_bytes().to_vec())],
        }
    }
}

/// The library's calibrate workflow: read, fit, and write the scenario
/// (which checks that the fitted values form a valid scenario, as the
/// binary does).
fn read_and_fit(base: &Path, history: &Path) -> Result<(), String> {
    let base_file = base;
    let base = calibrate::load_base(Some(base)).map_err(|e| e.to_string())?;
    let read = calibrate::read_history(&base, history).map_err(|e| e.to_string())?;
    let last = *read.years.last().unwrap_or(&0);
    let fitted = calibrate::fit(&base, &read, last).map_err(|e| e.to_string())?;
    let out = base_file.with_file_name("library-calibrated.toml");
    calibrate::write_scenario(&base, &fitted, history, &out, None).map_err(|e| e.to_string())
}

impl Target for HistoryTarget {
    fn name(&self) -> &'static str {
        "history"
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        structured::csv_cases(0, HISTORY, 3)
    }

    fn check(&self, case: &Case, deep: bool) -> Verdict {
        let dir = workspace(&self.seeds, &self.fixed, case);
        let (base, history) = (
            dir.path().join("truth.toml"),
            dir.path().join("history.csv"),
        );
        let (b, h) = (base.clone(), history.clone());
        let library = in_process(dir.path(), move || read_and_fit(&b, &h));
        if !deep || matches!(library, Verdict::Finding(_)) {
            return library;
        }
        let out = dir.path().join("calibrated.toml");
        let args = [
            "calibrate",
            arg(&history),
            "--base",
            arg(&base),
            "--out",
            arg(&out),
        ];
        let calibrated = agrees(
            &library,
            judge(&binary(&args, QUICK_LIMIT), dir.path()),
            "calibrate",
        );
        if !matches!(calibrated, Verdict::Accepted) {
            return calibrated;
        }
        match judge(&binary(&["validate", arg(&out)], QUICK_LIMIT), dir.path()) {
            Verdict::Rejected => Verdict::Finding(Finding::new(
                "calibrated-invalid",
                "`calibrate` exited 0 but its scenario does not validate",
            )),
            other => other,
        }
    }
}

// ----------------------------------------------------------------- sweep

/// A sweep file over the tiny scenario: loaded and every point prepared in
/// process; deep: `sweep --replications 1`.
pub struct SweepTarget {
    seeds: Vec<(String, Vec<u8>)>,
    fixed: Vec<(String, Vec<u8>)>,
}

impl SweepTarget {
    pub fn new() -> Self {
        SweepTarget {
            seeds: vec![("sweep.toml".into(), SWEEP.as_bytes().to_vec())],
            fixed: tiny_files(),
        }
    }
}

/// Points of the grid the file asks for (a product of list lengths), so a
/// grid too large to build in this process goes to the binary instead.
fn grid_points(text: &[u8]) -> f64 {
    fn count(t: &toml::Table) -> f64 {
        t.values()
            .map(|v| match v {
                toml::Value::Table(t) => count(t),
                toml::Value::Array(a) => a.len() as f64,
                _ => 1.0,
            })
            .product()
    }
    let table = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok());
    match table.as_ref().and_then(|t| t.get("parameters")) {
        Some(toml::Value::Table(p)) => count(p),
        _ => 0.0,
    }
}

/// What `sweep` decides before any point runs: the file, every point, and
/// the tornado year against the points' horizons.
fn load_sweep(path: &Path) -> Result<(), String> {
    let plan = jeugdstroom::sweep::load(path).map_err(|e| e.to_string())?;
    let (points, failures) = pipeline::sweep::prepare_points(&plan);
    let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
    if !messages.is_empty() {
        return Err(messages.join("\n"));
    }
    pipeline::sweep::check_year(&plan, &points).map_err(|e| e.to_string())
}

impl Target for SweepTarget {
    fn name(&self) -> &'static str {
        "sweep"
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        structured::toml_cases(0, SWEEP)
    }

    fn check(&self, case: &Case, deep: bool) -> Verdict {
        let dir = workspace(&self.seeds, &self.fixed, case);
        let path = dir.path().join("sweep.toml");
        let out = dir.path().join("out");
        let args = quick("sweep", arg(&path), arg(&out));
        if grid_points(&case.bytes) > 1000.0 {
            return judge(&binary(&args, RUN_LIMIT), dir.path());
        }
        let owned = path.clone();
        let library = in_process(dir.path(), move || load_sweep(&owned));
        if !deep || matches!(library, Verdict::Finding(_)) {
            return library;
        }
        agrees(
            &library,
            judge(&binary(&args, RUN_LIMIT), dir.path()),
            "sweep",
        )
    }
}
