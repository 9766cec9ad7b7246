//! Builds every result table of a run from the per-replication file, then
//! writes the manifest. Everything here depends only on `replications.bin`
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
}

/// Writes all result files from `replications.bin` in `dir`, manifest last.
pub fn finalize(dir: &Path, manifest: &Manifest) -> Result<Overview> {
    let bin = dir.join(BIN);
    let columns = BinReader::open(&bin)?.columns;
    let rows = BinReader::open(&bin)?.count_rows()?;
    let stats = write_summary(dir, &bin, &columns, rows)?;
    let (years, feasibility) = write_feasibility_and_replications(dir, &bin, &columns, rows)?;
    write_party_tables(dir, &stats)?;
    super::manifest::write(dir, manifest)?;
    Ok(Overview {
        years,
        feasibility,
        stats,
    })
}
