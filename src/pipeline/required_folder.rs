//! Where `required` writes: into the result folder of a run of the same
//! scenario (adding `required.csv` to it and to its manifest, so `report`
//! shows it), or into a folder of its own (`required.csv` and a manifest).
//! Decided before the search runs, so a bad `--out` costs no simulation.

use super::Prepared;
use crate::error::{Error, InputError};
use crate::montecarlo::rowfile::FILE_NAME as ROW_FILE;
use crate::output::manifest::{self, Manifest};
use crate::output::required::{self, RequiredRow};
use crate::output::{self, checksum};
use std::path::Path;

/// What `--out` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    /// A finished run of the same scenario: `required.csv` joins its files.
    Run,
    /// A new, empty or earlier result folder: `required.csv` with its own manifest.
    Own,
}

/// Decides (and prepares) the destination. A finished run of another
/// scenario is refused: its report would show an answer about a different
/// scenario.
pub fn prepare(out: &Path, prepared: &Prepared) -> Result<Folder, InputError> {
    let finished_run = Manifest::read(out)
        .ok()
        .filter(|m| m.files.contains_key(ROW_FILE));
    if let Some(m) = finished_run {
        if m.scenario_sha256 != prepared.sha256 {
            return Err(InputError::new(format!(
                "--out {} holds the result of another scenario ({}, SHA-256 {})",
                out.display(),
                m.scenario,
                m.scenario_sha256
            ))
            .field("--out")
            .fix("write into the result folder of a run of this scenario, or a new folder"));
        }
        return Ok(Folder::Run);
    }
    output::prepare_out_dir(out)?;
    Ok(Folder::Own)
}

/// What the manifest of a folder of its own records.
pub struct Provenance<'a> {
    pub prepared: &'a Prepared,
    pub seed: u64,
    pub replications: u64,
    pub threads: usize,
    pub wall_seconds: f64,
}

/// Writes `required.csv`, then the manifest (last): the run's manifest
/// with the new file's checksum added, or a manifest of its own.
pub fn write(
    out: &Path,
    folder: Folder,
    rows: &[RequiredRow],
    p: &Provenance<'_>,
) -> Result<(), Error> {
    required::write(out, rows)?;
    let sha = checksum::sha256_file(&out.join(required::FILE_NAME))?;
    let mut m = match folder {
        Folder::Run => Manifest::read(out)?,
        Folder::Own => {
            let mut m = Manifest::new(
                &p.prepared.name,
                &p.prepared.sha256,
                p.seed,
                p.replications,
                [0, p.replications],
            );
            m.threads = p.threads;
            m.wall_seconds = p.wall_seconds;
            m
        }
    };
    m.files.insert(required::FILE_NAME.to_string(), sha);
    manifest::write(out, &m)?;
    Ok(())
}
