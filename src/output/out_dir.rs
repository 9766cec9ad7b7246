//! The output folder of a command (`--out`), decided before any work: a
//! new, empty or earlier result folder, writable; its stale manifest removed.

use super::atomic::TempFile;
use crate::error::InputError;
use std::path::Path;

/// Names that mark a folder as one this tool wrote (complete or not): a
/// manifest, a row file (or its temporary; `.bin` from builds before the
/// Parquet one), a backtest's scenario.
const OURS: [&str; 6] = [
    super::manifest::FILE_NAME,
    crate::montecarlo::rowfile::FILE_NAME,
    ".replications.parquet.tmp",
    "replications.bin",
    ".replications.bin.tmp",
    "calibrated.toml",
];

/// Whether `dir` holds anything this tool writes, at its top or one folder down.
fn holds_results(dir: &Path, depth: u8) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        OURS.iter().any(|o| name == *o)
            || (depth > 0 && e.path().is_dir() && holds_results(&e.path(), depth - 1))
    })
}

/// Refuses an `--out` that is a file, or a non-empty folder of something else.
fn check_out_dir(dir: &Path) -> Result<(), InputError> {
    let refuse = |what: &str| {
        InputError::new(format!("--out {} {what}", dir.display()))
            .field("--out")
            .fix("choose a new or empty folder (or an earlier result folder of this tool) with --out DIR")
    };
    if dir.exists() && !dir.is_dir() {
        return Err(refuse("is an existing file, not a folder"));
    }
    let empty = std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none());
    if !empty && !holds_results(dir, 1) {
        return Err(refuse(
            "is a folder with other files in it, not a result folder of jeugdstroom",
        ));
    }
    Ok(())
}

/// Files only some runs write (uncertain parameters): a stale one from an
/// earlier run into the same folder must not be read as this run's.
const OPTIONAL: [&str; 2] = [
    crate::montecarlo::TWIN_FILE,
    crate::montecarlo::PARAMETERS_FILE,
];

/// Creates the output folder, checks that it is writable and removes a stale
/// manifest (the folder is incomplete until the new one is written) and
/// stale files that only some runs write.
pub fn prepare_out_dir(dir: &Path) -> Result<(), InputError> {
    check_out_dir(dir)?;
    let unwritable = |e: std::io::Error| {
        InputError::new(format!(
            "cannot write to output folder {}: {e}",
            dir.display()
        ))
        .field("--out")
        .fix("choose a folder you can write to with --out DIR")
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let probe = TempFile::guard(dir.join(".jeugdstroom-write-test"));
    std::fs::write(probe.path(), b"ok").map_err(unwritable)?;
    drop(probe);
    let manifest = dir.join(super::manifest::FILE_NAME);
    for stale in std::iter::once(manifest).chain(OPTIONAL.iter().map(|f| dir.join(f))) {
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(unwritable)?;
        }
    }
    Ok(())
}
