//! Write-to-temporary-then-rename, and up-front checks of the output folder.

use crate::error::InputError;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that appears under its final name only when `commit` succeeds.
pub struct AtomicFile {
    tmp: PathBuf,
    path: PathBuf,
    writer: BufWriter<File>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp"));
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
            writer: BufWriter::with_capacity(1 << 16, file),
        })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    pub fn commit(self) -> Result<()> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("renaming {} to {}", self.tmp.display(), self.path.display()))
    }

    /// Writes a whole file atomically.
    pub fn write_all(path: &Path, bytes: &[u8]) -> Result<()> {
        let mut f = AtomicFile::create(path)?;
        f.writer().write_all(bytes)?;
        f.commit()
    }
}

/// Rows stream through the buffered temporary file.
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Creates the output folder, checks that it is writable and removes a stale
/// manifest (the folder is incomplete until the new one is written).
pub fn prepare_out_dir(dir: &Path) -> Result<(), InputError> {
    let unwritable = |e: std::io::Error| {
        InputError::new(format!(
            "cannot write to output folder {}: {e}",
            dir.display()
        ))
        .field("--out")
        .fix("choose a folder you can write to with --out DIR")
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let probe = dir.join(".jeugdstroom-write-test");
    std::fs::write(&probe, b"ok").map_err(unwritable)?;
    std::fs::remove_file(&probe).map_err(unwritable)?;
    let manifest = dir.join("manifest.json");
    if manifest.exists() {
        std::fs::remove_file(&manifest).map_err(unwritable)?;
    }
    Ok(())
}
