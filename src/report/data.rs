//! What a report reads from a result folder: the manifest, `summary.csv`
//! (quantiles per year, scope, care form and metric), `feasibility.csv` and
//! the assumptions; for a `compare` folder both sides and `comparison.csv`.

use crate::error::{Error, InputError};
use crate::metrics::{ALL, Metric, ScopeKind};
use crate::montecarlo::rowfile::FILE_NAME as ROW_FILE;
use crate::output::comparison::FILE_NAME as COMPARISON;
use crate::output::decomposition::{FILE_NAME as DECOMPOSITION, decomposition_columns};
use crate::output::{Manifest, cell_text, checksum};
use crate::scenario::assumptions::{self, Assumption, Labels};
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
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

/// One row of `decomposition.csv`: a party's change of expected cost from
/// the previous year and its parts, in euros.
#[derive(Clone, Debug)]
pub struct GrowthRow {
    pub year: i32,
    pub scope: String,
    pub name: String,
    pub change: f64,
    /// volume, mix, duration, price
    pub parts: [f64; 4],
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
    /// `decomposition.csv` (empty when the folder's manifest lists none).
    pub growth: Vec<GrowthRow>,
    pub assumptions: Vec<Assumption>,
    pub labels: Labels,
    /// The counterfactual without the plan, when the run has one (`without_plan/`).
    pub without_plan: Option<Box<Run>>,
    /// With uncertain parameters: per year, the share of the variance of the
    /// region's cost due to them (`uncertainty.csv`); empty without.
    pub parameter_share: Vec<(i32, f64)>,
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
        if dir.join(COMPARISON).exists() && dir.join("a").is_dir() {
            let a = Run::load(&dir.join("a"))?;
            let b = Run::load(&dir.join("b"))?;
            let manifest = check_manifest(dir)?;
            checksum::verify_listed(dir, &manifest, &[COMPARISON], &[])?;
            let paired = read_paired(&dir.join(COMPARISON))?;
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
            e.field("manifest.json")
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

impl Run {
    pub fn load(dir: &Path) -> Result<Run, Error> {
        let manifest = check_manifest(dir)?;
        // Every file the report reads, as it was written (not the per-replication ones).
        checksum::verify_listed(
            dir,
            &manifest,
            &["summary.csv", "feasibility.csv"],
            &[
                ROW_FILE,
                "replications.csv",
                crate::montecarlo::TWIN_FILE,
                crate::montecarlo::PARAMETERS_FILE,
            ],
        )?;
        let parameter_share = match manifest
            .files
            .contains_key(crate::montecarlo::PARAMETERS_FILE)
        {
            true => read_parameter_share(&dir.join(crate::output::uncertainty::FILE_NAME))?,
            false => Vec::new(),
        };
        let summary = read_summary(&dir.join("summary.csv"))?;
        let feasibility = read_feasibility(&dir.join("feasibility.csv"))?;
        let growth = if manifest.files.contains_key(DECOMPOSITION) {
            read_growth(&dir.join(DECOMPOSITION))?
        } else {
            Vec::new()
        };
        let assumptions = read_json(&dir.join(assumptions::FILE_NAME))?;
        let labels = read_json(&dir.join(assumptions::LABELS_FILE))?;
        let twin = dir.join(crate::output::results::WITHOUT_PLAN_DIR);
        let without_plan = match twin.join(crate::output::manifest::FILE_NAME).exists() {
            true => Some(Box::new(Run::load(&twin)?)),
            false => None,
        };
        Ok(Run {
            dir: dir.to_path_buf(),
            manifest,
            years: summary.years.into_iter().collect(),
            forms: summary.forms,
            areas: summary.areas,
            stats: summary.stats,
            feasibility,
            growth,
            assumptions,
            labels,
            without_plan,
            parameter_share,
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

/// A result file that cannot be parsed: bad input naming the file.
fn corrupt(path: &Path, e: impl std::fmt::Display) -> Error {
    InputError::new(format!("corrupt result file: {e}"))
        .in_file(path)
        .fix("re-run the scenario (or re-merge its shards); result files must not be edited")
        .into()
}

/// The largest statistic `run` can write in magnitude: money is bounded at
/// 2⁵³ cents (about 9·10¹³ euros), counts and days far below that.
const MAX_STATISTIC: f64 = 1e14;

/// The columns of `feasibility.csv` a report needs (read by name).
const FEASIBILITY_COLUMNS: [&str; 9] = [
    "year",
    "scope",
    "name",
    "lumpsum_eur",
    "cost_mean_eur",
    "cost_p50_eur",
    "cost_p95_eur",
    "p_overrun",
    "expected_shortfall_eur",
];

/// Opens a result CSV whose header has `names` (in order when `ordered`).
fn open_csv(path: &Path, names: &[&str], ordered: bool) -> Result<csv::Reader<File>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| corrupt(path, e))?;
    let headers = reader.headers().map_err(|e| corrupt(path, e))?;
    let missing = names.iter().enumerate().find(|(i, name)| {
        if ordered {
            headers.get(*i) != Some(**name)
        } else {
            !headers.iter().any(|h| h == **name)
        }
    });
    if let Some((_, name)) = missing {
        return Err(corrupt(path, format!("no column `{name}` where expected")));
    }
    Ok(reader)
}

/// A JSON file kept with the results: absent → default, unparsable → refused.
fn read_json<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T, Error> {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(corrupt(path, e)),
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| corrupt(path, e)),
    }
}

/// What `summary.csv` holds for a report.
struct SummaryTable {
    stats: HashMap<Key, Stat>,
    years: BTreeSet<i32>,
    forms: Vec<String>,
    areas: Vec<String>,
}

fn read_summary(path: &Path) -> Result<SummaryTable, Error> {
    let mut t = SummaryTable {
        stats: HashMap::new(),
        years: BTreeSet::new(),
        forms: Vec::new(),
        areas: Vec::new(),
    };
    // The columns as the writer names them, in order (read by position).
    let columns = crate::output::summary_columns();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut reader = open_csv(path, &names, true)?;
    for record in reader.records() {
        let r = record.map_err(|e| corrupt(path, e))?;
        // `run` writes only finite statistics; anything else is a damaged
        // file (and an infinite mean would stall the chart axes).
        let [mean, p05, p10, p25, p50, p75, p90, p95] = [6, 8, 9, 10, 11, 12, 13, 14].map(|i| {
            r[i].parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= MAX_STATISTIC)
                .ok_or_else(|| corrupt(path, format!("`{}` is not a plausible statistic", &r[i])))
        });
        let year: i32 = r[0]
            .parse()
            .map_err(|e| corrupt(path, format!("year `{}`: {e}", &r[0])))?;
        t.years.insert(year);
        // Names as the scenario gave them, not as protected for spreadsheets.
        let name = |i: usize| cell_text(&r[i]).to_string();
        for (names, i) in [(&mut t.forms, 4), (&mut t.areas, 2)] {
            if !names.iter().any(|n| *n == name(i)) && &r[i] != ALL {
                names.push(name(i));
            }
        }
        let stat = Stat {
            mean: mean?,
            p05: p05?,
            p10: p10?,
            p25: p25?,
            p50: p50?,
            p75: p75?,
            p90: p90?,
            p95: p95?,
        };
        let key = (year, name(1), name(2), name(3), name(4), name(5));
        t.stats.insert(key, stat);
    }
    if t.years.is_empty() {
        return Err(corrupt(path, "it holds no rows"));
    }
    Ok(t)
}

fn read_feasibility(path: &Path) -> Result<Vec<FeasibilityRow>, Error> {
    let mut reader = open_csv(path, &FEASIBILITY_COLUMNS, false)?;
    let headers = reader.headers().map_err(|e| corrupt(path, e))?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| corrupt(path, e))?;
        let num = |name: &str| {
            col(name)
                .and_then(|i| r.get(i))
                .and_then(|v| v.parse::<f64>().ok())
        };
        let text = |name: &str| col(name).and_then(|i| r.get(i)).unwrap_or("").to_string();
        let year = text("year");
        let year = year
            .parse()
            .map_err(|e| corrupt(path, format!("year `{year}`: {e}")))?;
        rows.push(FeasibilityRow {
            year,
            scope: text("scope"),
            name: cell_text(&text("name")).to_string(),
            lumpsum: num("lumpsum_eur").unwrap_or(f64::NAN),
            cost_mean: num("cost_mean_eur").unwrap_or(f64::NAN),
            cost_p50: num("cost_p50_eur").unwrap_or(f64::NAN),
            cost_p95: num("cost_p95_eur").unwrap_or(f64::NAN),
            p_overrun: num("p_overrun").unwrap_or(f64::NAN),
            expected_shortfall: num("expected_shortfall_eur").unwrap_or(f64::NAN),
            p_insolvent: num("p_insolvent"),
        });
    }
    Ok(rows)
}

/// The region's `cost_eur` rows of `uncertainty.csv`: (year, share_parameter).
fn read_parameter_share(path: &Path) -> Result<Vec<(i32, f64)>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| corrupt(path, e))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| corrupt(path, e))?;
        let text = |i: usize| r.get(i).unwrap_or("");
        if text(1) == ScopeKind::Region.name() && text(3) == "cost_eur" {
            let year = text(0)
                .parse()
                .map_err(|e| corrupt(path, format!("year: {e}")))?;
            let share = text(6)
                .parse()
                .map_err(|e| corrupt(path, format!("share: {e}")))?;
            rows.push((year, share));
        }
    }
    Ok(rows)
}

/// `decomposition.csv`, its columns checked by name and order.
fn read_growth(path: &Path) -> Result<Vec<GrowthRow>, Error> {
    let columns = decomposition_columns();
    let names: Vec<&str> = columns.iter().map(String::as_str).collect();
    let mut reader = open_csv(path, &names, true)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| corrupt(path, e))?;
        let [change, volume, mix, duration, price] = [3, 4, 5, 6, 7].map(|i| {
            r.get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite() && v.abs() <= MAX_STATISTIC)
                .ok_or_else(|| corrupt(path, format!("line {}: not an amount", rows.len() + 2)))
        });
        let year = r[0]
            .parse()
            .map_err(|e| corrupt(path, format!("year `{}`: {e}", &r[0])))?;
        rows.push(GrowthRow {
            year,
            scope: r[1].to_string(),
            name: cell_text(&r[2]).to_string(),
            change: change?,
            parts: [volume?, mix?, duration?, price?],
        });
    }
    Ok(rows)
}

fn read_paired(path: &Path) -> Result<Vec<Paired>, Error> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| corrupt(path, e))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| corrupt(path, e))?;
        let text = |i: usize| r.get(i).unwrap_or("");
        if text(1) != ScopeKind::Region.name() {
            continue;
        }
        let num = |i: usize| text(i).parse::<f64>().unwrap_or(f64::NAN);
        rows.push(Paired {
            year: text(0).parse().unwrap_or(0),
            metric: text(3).to_string(),
            a_mean: num(4),
            b_mean: num(5),
            diff: num(6),
            low: num(7),
            high: num(8),
        });
    }
    Ok(rows)
}
