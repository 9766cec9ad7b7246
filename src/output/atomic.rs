//! Write-to-temporary-then-rename, and the up-front check of an output file.

use crate::error::InputError;
use anyhow::Result;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A temporary file that is removed when the guard is dropped, unless it
/// was committed (renamed into place): no error path leaves a `.tmp` behind.
pub struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    /// Guards `path` (which may not exist yet).
    pub fn guard(path: PathBuf) -> Self {
        TempFile { path, armed: true }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the file to `to`; on failure it is removed (by the drop).
    pub fn commit(mut self, to: &Path) -> Result<()> {
        std::fs::rename(&self.path, to).map_err(|e| {
            anyhow::Error::from(
                InputError::new(format!("cannot write {}: {e}", to.display()))
                    .field("--out")
                    .fix(format!(
                        "make {} a writable place for a file (remove a folder of that name)",
                        to.display()
                    )),
            )
        })?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A file that appears under its final name only when `commit` succeeds;
/// dropped without a commit, its temporary file is removed.
pub struct AtomicFile {
    // Dropped in this order: the file is closed before its guard removes it.
    writer: BufWriter<File>,
    tmp: TempFile,
    path: PathBuf,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = TempFile::guard(path.with_file_name(format!(".{name}.tmp")));
        let file = File::create(tmp.path()).map_err(|e| cannot_create(path, &e))?;
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
        self.tmp.commit(&self.path)
    }

    /// Writes a whole file atomically.
    pub fn write_all(path: &Path, bytes: &[u8]) -> Result<()> {
        let mut f = AtomicFile::create(path)?;
        f.writer().write_all(bytes)?;
        f.commit()
    }
}

/// A file that cannot be created where the user asked for it is their input.
fn cannot_create(path: &Path, e: &std::io::Error) -> anyhow::Error {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let fix = match folder {
        Some(dir) if !dir.is_dir() => format!("create the folder {} first", dir.display()),
        _ => "choose a path in a folder you can write to".to_string(),
    };
    InputError::new(format!("cannot create {}: {e}", path.display()))
        .fix(fix)
        .into()
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

/// An output file named by `flag` (e.g. `report --out`): its folder must
/// exist and it must not be a folder itself. Checked before any work.
/// Creates the folder of an output file if needed and checks the file can go
/// there, before any work: a path under a file or device is the user's input
/// (exit 2), not an internal error after a long run.
pub fn prepare_out_file(path: &Path, flag: &str) -> Result<(), InputError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            InputError::new(format!(
                "cannot create the folder of {}: {e}",
                path.display()
            ))
            .field(flag)
            .fix(format!(
                "choose a path in a folder you can write to with {flag}"
            ))
        })?;
    }
    check_out_file(path, flag)
}

pub fn check_out_file(path: &Path, flag: &str) -> Result<(), InputError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = folder.filter(|d| !d.is_dir()) {
        return Err(InputError::new(format!(
            "the folder of {} does not exist: {}",
            path.display(),
            dir.display()
        ))
        .field(flag)
        .fix(format!(
            "create {} first, or choose another {flag}",
            dir.display()
        )));
    }
    if path.is_dir() {
        return Err(
            InputError::new(format!("{} is a folder, not a file", path.display()))
                .field(flag)
                .fix(format!("give {flag} a file name, e.g. {flag} report.html")),
        );
    }
    Ok(())
}
