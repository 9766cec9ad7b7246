//! Builds every result table of a run from the per-replication file, then
//! writes the manifest. Everything here depends only on `replications.parquet`
//! (rows in replication order), which is why a merged result equals a
//! single run byte for byte.

use super::feasibility::{PartyOverrun, YearOverview, write_feasibility_and_replications};
use super::manifest::Manifest;
use super::party_tables::write_party_tables;
use super::summary::{PartyStats, write_summary};
use crate::montecarlo::binfile::{BinReader, FILE_NAME as BIN};
use anyhow::Result;
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
    BIN,
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

/// Writes all result files from `replications.parquet` in `dir`, then the
/// manifest with their checksums, last. The rows must hold the manifest's
/// replication range, each once and in order.
pub fn finalize(dir: &Path, manifest: &Manifest) -> Result<Overview> {
    let bin = dir.join(BIN);
    let [start, end] = manifest.replication_range;
    let reader = BinReader::open(&bin)?.expect_replications(start..end)?;
    let rows = reader.rows() as usize;
    let columns = reader.columns;
    let stats = write_summary(dir, &bin, &columns, rows)?;
    let (years, feasibility) = write_feasibility_and_replications(dir, &bin, &columns, rows)?;
    write_party_tables(dir, &stats)?;
    super::surcharge::write_surcharge(dir, &stats)?;
    super::uncertainty::write_uncertainty(dir, &bin, &columns, start..end)?;
    super::decomposition::write_decomposition(dir, &bin, &columns, rows)?;
    let cycles = super::budget_cycle::write(dir, &bin, &columns, rows)?;
    let mut manifest = manifest.clone();
    manifest.files = super::checksum::record(dir, &RUN_FILES)?;
    super::manifest::write(dir, &manifest)?;
    Ok(Overview {
        years,
        feasibility,
        stats,
        cycles,
    })
}
