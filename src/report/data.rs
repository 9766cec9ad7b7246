//! What a report reads from a result folder: the manifest, `summary.csv`
//! (quantiles per year, scope, care form and metric), `feasibility.csv` and
//! the assumptions; for a `compare` folder both sides and `comparison.csv`.

use crate::error::{Error, InputError};
use crate::metrics::{ALL, Metric, ScopeKind};
use crate::output::{Manifest, cell_text};
use crate::scenario::assumptions::{self, Assumption, Labels};
use anyhow::Context;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Mean and quantiles of one summary row.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stat {
    pub mean: f64,
    pub p05: f64,
    pub p10: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub p95: f64,
}

/// (year, municipality, area, provider, care form, metric)
type Key = (i32, String, String, String, String, String);

#[derive(Clone, Debug)]
pub struct FeasibilityRow {
    pub year: i32,
    pub scope: String,
    pub name: String,
    pub lumpsum: f64,
    pub cost_mean: f64,
    pub cost_p50: f64,
    pub cost_p95: f64,
    pub p_overrun: f64,
    pub expected_shortfall: f64,
    pub p_insolvent: Option<f64>,
}

/// One simulated scenario's results.
pub struct Run {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub years: Vec<i32>,
    pub forms: Vec<String>,
    pub areas: Vec<String>,
    stats: HashMap<Key, Stat>,
    pub feasibility: Vec<FeasibilityRow>,
    pub assumptions: Vec<Assumption>,
    pub labels: Labels,
}

/// A paired difference row of `comparison.csv` (B − A).
#[derive(Clone, Debug)]
pub struct Paired {
    pub year: i32,
    pub metric: String,
    pub a_mean: f64,
    pub b_mean: f64,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
}

/// A result folder: one run, or a comparison of two.
pub enum Results {
    Single(Box<Run>),
    Comparison {
        a: Box<Run>,
        b: Box<Run>,
        paired: Vec<Paired>,
    },
}

fn missing(dir: &Path, what: &str, fix: &str) -> Error {
    InputError::new(format!("{} has no {what}", dir.display()))
        .field("RESULT_DIR")
        .fix(fix)
        .into()
}

impl Results {
    pub fn load(dir: &Path) -> Result<Results, Error> {
        if dir.join("comparison.csv").exists() && dir.join("a").is_dir() {
            let a = Run::load(&dir.join("a"))?;
            let b = Run::load(&dir.join("b"))?;
            check_manifest(dir)?;
            let paired = read_paired(&dir.join("comparison.csv"))?;
            return Ok(Results::Comparison {
                a: Box::new(a),
                b: Box::new(b),
                paired,
            });
        }
        Ok(Results::Single(Box::new(Run::load(dir)?)))
    }
}

/// A finished folder of this tool version (the manifest is written last).
fn check_manifest(dir: &Path) -> Result<Manifest, Error> {
    if !dir.is_dir() {
        return Err(missing(
            dir,
            "folder",
            "pass the folder a `run`, `merge` or `compare` wrote",
        ));
    }
    if !dir.join(crate::output::manifest::FILE_NAME).exists() {
        return Err(missing(
            dir,
            "manifest.json (the run did not finish)",
            "finish the run (or merge its shards) first; manifest.json is written last",
        ));
    }
    let manifest = Manifest::read(dir).map_err(|e| {
        Error::from(
            InputError::new(format!(
                "{}: unreadable manifest.json: {e:#}",
                dir.display()
            ))
            .field("manifest.json")
            .fix("re-run; the folder was not written by this tool version"),
        )
    })?;
    let ours = env!("CARGO_PKG_VERSION");
    if manifest.tool != "jeugdstroom" || manifest.version != ours {
        return Err(InputError::new(format!(
            "{} was written by {} {}, this is jeugdstroom {ours}",
            dir.display(),
            manifest.tool,
            manifest.version
        ))
        .field("manifest.json")
        .fix("re-run the scenario with this version, or report with the version that wrote it")
        .into());
    }
    Ok(manifest)
}

/// The quantiles of `summary.csv`, with the years, care forms and areas in
/// the order they first appear.
#[derive(Default)]
struct Summary {
    stats: HashMap<Key, Stat>,
    years: BTreeSet<i32>,
    forms: Vec<String>,
    areas: Vec<String>,
}

impl Summary {
    fn read(path: &Path) -> Result<Summary, Error> {
        let mut summary = Summary::default();
        let mut reader =
            csv::Reader::from_path(path).with_context(|| format!("{}", path.display()))?;
        for record in reader.records() {
            summary.add(&record.context("summary.csv")?)?;
        }
        Ok(summary)
    }

    /// One row: year, municipality, area, provider, care form, metric, mean,
    /// sd, then the quantiles P5 … P95.
    fn add(&mut self, r: &csv::StringRecord) -> Result<(), Error> {
        let num = |i: usize| {
            r.get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        let year: i32 = r[0].parse().context("summary.csv: year")?;
        self.years.insert(year);
        // Names as the scenario gave them, not as protected for spreadsheets.
        let name = |i: usize| cell_text(&r[i]).to_string();
        for (names, i) in [(&mut self.forms, 4), (&mut self.areas, 2)] {
            if !names.iter().any(|n| *n == name(i)) && &r[i] != ALL {
                names.push(name(i));
            }
        }
        let stat = Stat {
            mean: num(6),
            p05: num(8),
            p10: num(9),
            p25: num(10),
            p50: num(11),
            p75: num(12),
            p90: num(13),
            p95: num(14),
        };
        let [m, a, p, f, metric] = [1, 2, 3, 4, 5].map(name);
        self.stats.insert((year, m, a, p, f, metric), stat);
        Ok(())
    }
}

/// A JSON file the run wrote beside its results; the default when absent.
fn read_json<T: serde::de::DeserializeOwned + Default>(path: &Path) -> T {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

impl Run {
    pub fn load(dir: &Path) -> Result<Run, Error> {
        let manifest = check_manifest(dir)?;
        for file in ["summary.csv", "feasibility.csv"] {
            if !dir.join(file).exists() {
                return Err(missing(
                    dir,
                    file,
                    "re-run the scenario; the folder is incomplete",
                ));
            }
        }
        let summary = Summary::read(&dir.join("summary.csv"))?;
        Ok(Run {
            dir: dir.to_path_buf(),
            manifest,
            years: summary.years.into_iter().collect(),
            forms: summary.forms,
            areas: summary.areas,
            stats: summary.stats,
            feasibility: read_feasibility(&dir.join("feasibility.csv"))?,
            assumptions: read_json(&dir.join(assumptions::FILE_NAME)),
            labels: read_json(&dir.join(assumptions::LABELS_FILE)),
        })
    }

    /// The display label of a care form (its name when the scenario gave none).
    pub fn form_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.labels
            .care_forms
            .get(name)
            .map_or(name, String::as_str)
    }

    pub fn area_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.labels.areas.get(name).map_or(name, String::as_str)
    }

    /// Label of a municipality or provider named in feasibility.csv.
    pub fn party_label<'a>(&'a self, name: &'a str) -> &'a str {
        self.labels
            .municipalities
            .get(name)
            .or_else(|| self.labels.providers.get(name))
            .map_or(name, String::as_str)
    }

    /// A region-wide statistic (`form` = None for all forms).
    pub fn region(&self, year: i32, form: Option<&str>, metric: Metric) -> Option<Stat> {
        self.stat(year, ALL, ALL, form, metric)
    }

    /// A region-wide statistic per year of the run (defaults where absent).
    pub fn series(&self, form: Option<&str>, metric: Metric) -> Vec<Stat> {
        self.years
            .iter()
            .map(|&y| self.region(y, form, metric).unwrap_or_default())
            .collect()
    }

    pub fn area(&self, year: i32, area: &str, form: &str, metric: Metric) -> Option<Stat> {
        self.stat(year, ALL, area, Some(form), metric)
    }

    fn stat(
        &self,
        year: i32,
        m: &str,
        a: &str,
        form: Option<&str>,
        metric: Metric,
    ) -> Option<Stat> {
        let key = (
            year,
            m.to_string(),
            a.to_string(),
            ALL.to_string(),
            form.unwrap_or(ALL).to_string(),
            metric.name(),
        );
        self.stats.get(&key).copied()
    }

    /// Feasibility rows of one scope kind (region, municipality, provider).
    pub fn feasibility_of(&self, scope: ScopeKind) -> impl Iterator<Item = &FeasibilityRow> {
        self.feasibility
            .iter()
            .filter(move |r| r.scope == scope.name())
    }

    /// Care forms with places (those reporting `places`).
    pub fn forms_with_places(&self) -> Vec<&str> {
        let first = self.years.first().copied().unwrap_or(0);
        self.forms
            .iter()
            .filter(|f| self.region(first, Some(f), Metric::Places).is_some())
            .map(String::as_str)
            .collect()
    }
}

/// A row of `feasibility.csv` as written by `output::feasibility` (fields
/// named as its columns); a missing column or unreadable number is `None`.
#[derive(Deserialize)]
struct FeasibilityLine {
    #[serde(default, deserialize_with = "csv::invalid_option")]
    year: Option<f64>,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    name: String,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    lumpsum_eur: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    cost_mean_eur: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    cost_p50_eur: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    cost_p95_eur: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    p_overrun: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    expected_shortfall_eur: Option<f64>,
    #[serde(default, deserialize_with = "csv::invalid_option")]
    p_insolvent: Option<f64>,
}

impl From<FeasibilityLine> for FeasibilityRow {
    fn from(l: FeasibilityLine) -> Self {
        let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        FeasibilityRow {
            year: l.year.unwrap_or(0.0) as i32,
            scope: l.scope,
            name: cell_text(&l.name).to_string(),
            lumpsum: nan(l.lumpsum_eur),
            cost_mean: nan(l.cost_mean_eur),
            cost_p50: nan(l.cost_p50_eur),
            cost_p95: nan(l.cost_p95_eur),
            p_overrun: nan(l.p_overrun),
            expected_shortfall: nan(l.expected_shortfall_eur),
            p_insolvent: l.p_insolvent,
        }
    }
}

fn read_feasibility(path: &Path) -> Result<Vec<FeasibilityRow>, Error> {
    let mut reader = csv::Reader::from_path(path).with_context(|| path.display().to_string())?;
    let mut rows = Vec::new();
    for line in reader.deserialize::<FeasibilityLine>() {
        rows.push(line.context("feasibility.csv")?.into());
    }
    Ok(rows)
}

fn read_paired(path: &Path) -> Result<Vec<Paired>, Error> {
    let mut reader = csv::Reader::from_path(path).with_context(|| path.display().to_string())?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.context("comparison.csv")?;
        if &r[1] != ScopeKind::Region.name() {
            continue;
        }
        let num = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
        rows.push(Paired {
            year: r[0].parse().unwrap_or(0),
            metric: r[3].to_string(),
            a_mean: num(4),
            b_mean: num(5),
            diff: num(6),
            low: num(7),
            high: num(8),
        });
    }
    Ok(rows)
}
