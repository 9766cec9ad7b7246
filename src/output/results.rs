//! Builds every result table of a run from the per-replication file, then
//! writes the manifest. Everything here depends only on `replications.parquet`
//! (rows in replication order), which is why a merged result equals a
//! single run byte for byte.

use super::checksum::record;
use super::feasibility::{PartyOverrun, YearOverview};
use super::manifest::Manifest;
use super::party_tables::write_party_tables;
use super::streamed::Tables;
use super::summary::{PartyStats, write_summary};
use super::uncertainty::open_twin;
use crate::montecarlo::rowfile::{FILE_NAME as ROW_FILE, RowReader};
use crate::montecarlo::timings;
use crate::montecarlo::twin_columns;
use anyhow::{Result, anyhow, bail};
use std::path::Path;

/// What the stdout summary shows: the region per year, P(overrun) of every
/// party per year, and the summary statistics of the party totals.
pub struct Overview {
    pub years: Vec<YearOverview>,
    pub feasibility: Vec<PartyOverrun>,
    pub stats: PartyStats,
    /// The jaarrekening headline of each municipality-year with a budget cycle.
    pub cycles: Vec<super::budget_cycle::CycleHeadline>,
}

/// The plan (A) beside the counterfactual without it (B), paired.
pub const PLAN: &str = "plan.csv";
/// Folder of the counterfactual run inside the result folder of a scenario with a plan.
pub const WITHOUT_PLAN_DIR: &str = "without_plan";

/// The files of a run's result folder that get a checksum in its manifest
/// (those present: `views.csv` only beside a budget-capped run, `plan.csv`
/// only for a scenario with plan interventions; `vacancy_surcharge.csv` only
/// with a simulated surcharge basis; the twin's rows and
/// `parameters.csv` only with uncertain parameters).
pub const RUN_FILES: [&str; 18] = [
    ROW_FILE,
    crate::montecarlo::TWIN_FILE,
    crate::montecarlo::PARAMETERS_FILE,
    super::uncertainty::FILE_NAME,
    "summary.csv",
    "feasibility.csv",
    super::decomposition::FILE_NAME,
    super::sufficient::FILE_NAME,
    super::budget_cycle::FILE_NAME,
    "replications.csv",
    "providers.csv",
    "municipalities.csv",
    "regimes.csv",
    "views.csv",
    PLAN,
    super::surcharge::FILE_NAME,
    crate::scenario::assumptions::FILE_NAME,
    crate::scenario::assumptions::LABELS_FILE,
];

/// The row files, the largest of a folder: their checksums are taken
/// beside the quantile pass.
const ROW_FILES: [&str; 2] = [ROW_FILE, crate::montecarlo::TWIN_FILE];

/// Writes all result files from `replications.parquet` in `dir`, then the
/// manifest with their checksums, last. The rows must hold the manifest's
/// replication range, each once and in order. (`merge` rebuilds a folder
/// this way; a run builds its tables as its rows arrive and calls
/// [`finish`].)
pub fn finalize(dir: &Path, manifest: &Manifest) -> Result<Overview> {
    let bin = dir.join(ROW_FILE);
    let [start, end] = manifest.replication_range;
    let mut reader = RowReader::open(&bin)?.expect_replications(start..end)?;
    let columns = reader.columns.clone();
    let keys: Vec<_> = twin_columns(&columns)
        .into_iter()
        .map(|c| columns[c].clone())
        .collect();
    let mut twin = open_twin(dir, start..end, &keys)?;
    let rows = reader.rows() as usize;
    let mut tables = Tables::create(dir, &columns, rows, twin.is_some())?;
    let mut values = vec![0.0f64; columns.len()];
    let mut twin_values = vec![0.0f64; tables.twin_keys().len()];
    while let Some(row) = reader.next_row()? {
        fill(&mut values, |c| row.value(c));
        let twin_row = match twin.as_mut() {
            Some(t) => {
                let r = t
                    .next_row()?
                    .ok_or_else(|| anyhow!("the twin's rows ended early"))?;
                fill(&mut twin_values, |c| r.value(c));
                Some(twin_values.as_slice())
            }
            None => None,
        };
        tables.add(row.replication(), &values, twin_row)?;
    }
    finish(dir, manifest, tables, &|| Ok(()))
}

fn fill(values: &mut [f64], value: impl Fn(usize) -> f64) {
    for (c, v) in values.iter_mut().enumerate() {
        *v = value(c);
    }
}

/// Writes all result files of `dir` from the tables its rows went into,
/// and the caller's files (`beside`), then the manifest with their
/// checksums, last. The summary's quantile pass (itself parallel over
/// column blocks) runs beside the other tables, `beside` and the checksum of
/// the row files, in the current rayon pool.
pub fn finish(
    dir: &Path,
    manifest: &Manifest,
    tables: Tables<'_>,
    beside: &(dyn Fn() -> Result<()> + Sync),
) -> Result<Overview> {
    let [start, end] = manifest.replication_range;
    if tables.added() as u64 != end - start {
        bail!("{} rows for replications {start}..{end}", tables.added());
    }
    let Tables {
        columns,
        rows,
        blocks,
        feasibility,
        variance,
        decomposition,
        ..
    } = tables;
    let blocks = blocks.finish()?;
    let t = |name: &str| format!("finish {name}");
    let (stats, rest) = rayon::join(
        || timings::phase(dir, &t("summary"), || write_summary(dir, blocks, columns)),
        || -> Result<_> {
            beside()?;
            let sums = timings::phase(dir, &t("checksum rows"), || record(dir, &ROW_FILES))?;
            let overview = timings::phase(dir, &t("feasibility"), || feasibility.finish(dir))?;
            timings::phase(dir, &t("uncertainty"), || variance.finish(dir))?;
            timings::phase(dir, &t("decomposition"), || decomposition.finish(dir, rows))?;
            let cycles = timings::phase(dir, &t("budget cycle"), || {
                super::budget_cycle::write(dir, &dir.join(ROW_FILE), columns, rows)
            })?;
            Ok((sums, overview, cycles))
        },
    );
    let (stats, (mut sums, (years, feasibility), cycles)) = (stats?, rest?);
    timings::phase(dir, &t("party tables"), || -> Result<()> {
        write_party_tables(dir, &stats)?;
        super::surcharge::write_surcharge(dir, &stats).map(|_| ())
    })?;
    let mut manifest = manifest.clone();
    let others: Vec<&str> = RUN_FILES
        .into_iter()
        .filter(|f| !ROW_FILES.contains(f))
        .collect();
    sums.append(&mut timings::phase(dir, &t("checksums"), || {
        record(dir, &others)
    })?);
    manifest.files = sums;
    timings::phase(dir, &t("manifest"), || {
        super::manifest::write(dir, &manifest)
    })?;
    Ok(Overview {
        years,
        feasibility,
        stats,
        cycles,
    })
}
