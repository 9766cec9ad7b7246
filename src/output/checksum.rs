//! SHA-256 of result files, recorded in `manifest.json` (`files`) when a
//! result folder is finished and checked by every command that reads the
//! folder again (`merge`, `report`): a file that differs from what was
//! written, or is missing, is refused naming the file.

use super::manifest::{FILE_NAME as MANIFEST, Manifest};
use crate::error::InputError;
use crate::montecarlo::rowfile::{FILE_NAME as ROW_FILE, RowReader};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Reads through to `inner` while hashing every byte read.
pub struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    pub fn new(inner: R) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left (nothing, for a file read to its end) and returns
    /// the hex SHA-256 of everything.
    pub fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unreadable(path: &Path, e: std::io::Error) -> InputError {
    InputError::new(format!("cannot be read: {e}"))
        .in_file(path)
        .fix("re-run (or re-merge) the result; the folder is incomplete or damaged")
}

/// The hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> Result<String, InputError> {
    crate::limits::check_input(path).map_err(|e| unreadable(path, e))?;
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    Hashing::new(BufReader::with_capacity(1 << 20, file))
        .finish()
        .map_err(|e| unreadable(path, e))
}

/// Checksums of those of `names` present in `dir`.
pub fn record(dir: &Path, names: &[&str]) -> Result<BTreeMap<String, String>, InputError> {
    let mut files = BTreeMap::new();
    for name in names {
        let path = dir.join(name);
        if path.is_file() {
            files.insert(name.to_string(), sha256_file(&path)?);
        }
    }
    Ok(files)
}

fn refuse(path: &Path, what: String, fix: &str) -> InputError {
    InputError::new(what)
        .in_file(path)
        .field("files")
        .fix(fix.to_string())
}

const RERUN: &str = "re-run (or re-merge) the result; a result file must not be edited, replaced or removed after it was written";

/// The checksum `manifest.json` of `dir` records for `name`. A manifest
/// without checksums was written before they were recorded: refused.
fn recorded<'m>(dir: &Path, manifest: &'m Manifest, name: &str) -> Result<&'m str, InputError> {
    if manifest.files.is_empty() {
        return Err(refuse(
            &dir.join(MANIFEST),
            "records no file checksums (written by an older build), so its files cannot be verified".into(),
            "re-run (or re-merge) the result with this build; it records a SHA-256 of every result file",
        ));
    }
    manifest.files.get(name).map(String::as_str).ok_or_else(|| {
        refuse(
            &dir.join(MANIFEST),
            format!("records no checksum for {name}"),
            RERUN,
        )
    })
}

fn compare(path: &Path, want: &str, got: &str) -> Result<(), InputError> {
    if want == got {
        return Ok(());
    }
    Err(refuse(
        path,
        format!("SHA-256 {got} differs from {want} recorded in {MANIFEST}"),
        RERUN,
    ))
}

/// Checks file `name` of `dir` against the manifest.
pub fn verify(dir: &Path, manifest: &Manifest, name: &str) -> Result<(), InputError> {
    let want = recorded(dir, manifest, name)?;
    let path = dir.join(name);
    compare(&path, want, &sha256_file(&path)?)
}

/// Checks every file the manifest lists except `skip` (files the caller
/// does not read), and that it lists `required`.
pub fn verify_listed(
    dir: &Path,
    manifest: &Manifest,
    required: &[&str],
    skip: &[&str],
) -> Result<(), InputError> {
    for name in required {
        recorded(dir, manifest, name)?;
    }
    for name in manifest.files.keys() {
        if !skip.contains(&name.as_str()) {
            verify(dir, manifest, name)?;
        }
    }
    Ok(())
}

/// Checks `replications.parquet` of `dir`: its checksum, then that its
/// rows hold each replication of the manifest's range once, in order, with
/// valid money values. Returns its column keys. (Two passes, as Parquet is
/// read from its footer; the second finds the file in the page cache.)
pub fn verify_rows(
    dir: &Path,
    manifest: &Manifest,
) -> anyhow::Result<Vec<crate::metrics::ColumnKey>> {
    let want = recorded(dir, manifest, ROW_FILE)?;
    let path = dir.join(ROW_FILE);
    compare(&path, want, &sha256_file(&path)?)?;
    let [start, end] = manifest.replication_range;
    let mut reader = RowReader::open(&path)?.expect_replications(start..end)?;
    while reader.next_row()?.is_some() {}
    Ok(std::mem::take(&mut reader.columns))
}
