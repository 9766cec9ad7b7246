//! Helpers shared by the test modules: small scenarios with known
//! queueing-theory answers and replications run through the library; and the
//! real binary on edited scenarios, with assertions that an error is located
//! (file:line:col), names its field and a fix, and never panics.

use assert_cmd::Command;
use jeugdstroom::model::Model;
use jeugdstroom::pipeline::{self, Prepared};
use jeugdstroom::record::{CellMetric, Exposure, PoolMetric, Record};
use jeugdstroom::scenario;
use jeugdstroom::sim::Simulation;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A one-area, one-municipality scenario with a single care form `bed`.
/// `form_extra` is TOML added to the form's table (capacity, overflow, …).
pub fn single_form(
    arrivals_per_year: f64,
    duration: &str,
    form_extra: &str,
    years: u32,
    warmup: u32,
) -> String {
    format!(
        r#"
name = "single-form"
[horizon]
start_year = 2028
years = {years}
[initial_state]
warmup_years = {warmup}
[municipalities.town]
[areas.centre]
youth = {{ town = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = {arrivals_per_year}
entry = {{ bed = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.bed]
kind = "residential"
duration = {duration}
tariff = 100
age = [ {{ from = 0, to = 0.5, weight = 1 }} ]
{form_extra}
[lumpsum]
region = 1_000_000
"#
    )
}

/// Writes a [`single_form`] scenario (50 arrivals a year, exponential stays
/// of 30 days, no warm-up) with `form_extra` to `dir/s.toml`; returns its path.
pub fn write_single_form(dir: &Path, form_extra: &str, years: u32) -> PathBuf {
    let path = dir.join("s.toml");
    let text = single_form(
        50.0,
        r#"{ distribution = "exponential", mean = 30 }"#,
        form_extra,
        years,
        0,
    );
    std::fs::write(&path, text).unwrap();
    path
}

pub fn prepare(text: &str) -> Prepared {
    let loaded =
        scenario::load_str("test.toml", text, Path::new(".")).unwrap_or_else(|e| panic!("{e}"));
    pipeline::prepare_loaded(loaded).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `replications` replications and maps each exposure to a value.
pub fn per_replication<T>(
    model: &Model,
    seed: u64,
    replications: u64,
    mut f: impl FnMut(&Exposure) -> T,
) -> Vec<T> {
    per_record(model, seed, replications, |r| f(&r.exposure))
}

/// Runs `replications` replications and maps each record (exposure and
/// parameter draws) to a value.
pub fn per_record<T>(
    model: &Model,
    seed: u64,
    replications: u64,
    mut f: impl FnMut(&Record) -> T,
) -> Vec<T> {
    let mut sim = Simulation::new(model);
    (0..replications)
        .map(|r| f(sim.run(seed, r).unwrap_or_else(|e| panic!("{e}"))))
        .collect()
}

/// Sum of a cell metric over all segments and forms of a year range.
pub fn total(e: &Exposure, m: CellMetric, years: std::ops::Range<usize>) -> f64 {
    let mut s = 0.0;
    for y in years {
        for seg in 0..e.segments {
            for f in 0..e.forms {
                s += e.cell(y, seg, f, m);
            }
        }
    }
    s
}

pub fn pool_total(e: &Exposure, m: PoolMetric, years: std::ops::Range<usize>) -> f64 {
    years
        .map(|y| (0..e.pools).map(|p| e.pool(y, p, m)).sum::<f64>())
        .sum()
}

pub fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Standard error of the mean of independent replication values.
pub fn std_error(v: &[f64]) -> f64 {
    let m = mean(v);
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    (var / v.len() as f64).sqrt()
}

// ------------------------------------------------------------ the real binary

pub const DEFAULT: &str = include_str!("../scenarios/amsterdam-duo.toml");

/// 1-based line of the (unique) occurrence of `needle` in `text`.
pub fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "`{needle}` must occur exactly once"
    );
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// The default scenario with the one occurrence of `from` replaced by `to`.
pub fn edit(from: &str, to: &str) -> String {
    assert_eq!(
        DEFAULT.matches(from).count(),
        1,
        "`{from}` must occur exactly once in the default"
    );
    DEFAULT.replacen(from, to, 1)
}

/// Edits the default; `validate` must reject it at the line of `at`.
pub fn rejects_edit_at(from: &str, to: &str, at: &str, field: &str) -> Out {
    let text = edit(from, to);
    let case = Case::new(&text);
    let out = case.validate();
    out.input_error(&case.scenario, line_of(&text, at), Some(field));
    out
}

/// Edits the default; `validate` must reject it at the edited line.
pub fn rejects_edit(from: &str, to: &str, field: &str) -> Out {
    rejects_edit_at(from, to, to, field)
}

/// An override of the default; `validate` must reject it at the line of `at`
/// in the override (the file that sets the field), naming `field`.
pub fn rejects_override(text: &str, at: &str, field: &str) -> Out {
    let case = Case::over_default(text);
    let out = case.validate();
    out.input_error(&case.scenario, line_of(text, at), Some(field));
    out
}

/// What the binary did.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Exit code 0 and `validate`'s ok line for a variant of the default.
    pub fn accepted(&self) -> &Self {
        assert_eq!(self.code, Some(0), "stderr:\n{}", self.stderr);
        assert!(
            self.stdout.starts_with("ok: amsterdam-duo"),
            "{}",
            self.stdout
        );
        self
    }

    /// Exit code 2 and no panic.
    pub fn rejected(&self) -> &Self {
        assert_eq!(self.code, Some(2), "exit code; stderr:\n{}", self.stderr);
        for bad in ["panicked", "RUST_BACKTRACE"] {
            assert!(!self.stderr.contains(bad), "{bad} in:\n{}", self.stderr);
        }
        self
    }

    /// Rejected as bad input located at `error: FILE:LINE:COL:`, naming `field`.
    pub fn input_error(&self, file: &Path, line: usize, field: Option<&str>) -> &Self {
        self.rejected().contains("fix:");
        let prefix = format!("error: {}:{line}:", file.display());
        let located = self.stderr.match_indices(&prefix).any(|(i, _)| {
            let rest = &self.stderr[i + prefix.len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with(':')
        });
        assert!(located, "no `{prefix}COL:` in:\n{}", self.stderr);
        if let Some(field) = field {
            let want = format!("field: {field}");
            assert!(
                self.stderr.lines().any(|l| l.trim() == want),
                "no `{want}` line in:\n{}",
                self.stderr
            );
        }
        self
    }

    pub fn contains(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "`{text}` not in:\n{}",
            self.stderr
        );
        self
    }
}

/// A temporary folder holding a scenario `bad.toml` and whatever it refers to.
pub struct Case {
    pub dir: TempDir,
    pub scenario: PathBuf,
}

impl Case {
    pub fn new(text: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("bad.toml");
        std::fs::write(&scenario, text).unwrap();
        Case { dir, scenario }
    }

    /// `bad.toml` holds `text` and extends `base.toml`, a copy of the default.
    pub fn over_default(text: &str) -> Case {
        let case = Case::new(text);
        case.file("base.toml", DEFAULT);
        case
    }

    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn validate(&self) -> Out {
        jeugdstroom(&["validate", path_str(&self.scenario)])
    }

    /// `run` with one replication must also refuse, writing nothing.
    pub fn run(&self) -> Out {
        let out_dir = self.dir.path().join("out");
        let out = jeugdstroom(&[
            "run",
            path_str(&self.scenario),
            "--replications",
            "1",
            "--quiet",
            "--out",
            path_str(&out_dir),
        ]);
        assert!(
            !out_dir.join("manifest.json").exists(),
            "run wrote a manifest"
        );
        out
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The built binary, for tests that check its output themselves.
pub fn binary() -> Command {
    Command::cargo_bin("jeugdstroom").expect("binary built")
}

/// The binary run with `args`, whatever it does.
pub fn jeugdstroom(args: &[&str]) -> Out {
    let output = binary().args(args).output().unwrap();
    Out {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `jeugdstroom run ARGS --quiet --out OUT`, which must succeed.
pub fn run_into(args: &[&str], out: &Path) {
    binary()
        .arg("run")
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The result files every run writes, compared byte for byte.
pub const RESULT_FILES: [&str; 5] = [
    "summary.csv",
    "feasibility.csv",
    "replications.csv",
    "decomposition.csv",
    "sufficient_lumpsum.csv",
];

/// The bytes of a result file.
pub fn read_result(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}
