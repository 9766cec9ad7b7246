//! The per-replication result file (`replications.bin`): a self-describing
//! header (the column keys) followed by one fixed-size row per replication.
//! Rows stream to disk as replications finish, so memory does not grow with
//! the replication count; `merge` concatenates these files from shards.

use crate::error::InputError;
use crate::metrics::ColumnKey;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"JSTROOM1";
pub const FILE_NAME: &str = "replications.bin";

pub struct BinWriter {
    out: BufWriter<File>,
    columns: usize,
    row: Vec<u8>,
}

impl BinWriter {
    pub fn create(path: &Path, columns: &[ColumnKey]) -> Result<Self> {
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let header = serde_json::to_vec(columns)?;
        out.write_all(MAGIC)?;
        out.write_all(&(header.len() as u64).to_le_bytes())?;
        out.write_all(&header)?;
        Ok(BinWriter {
            out,
            columns: columns.len(),
            row: Vec::with_capacity(8 + 8 * columns.len()),
        })
    }

    pub fn write(&mut self, replication: u64, values: &[f64]) -> Result<()> {
        assert_eq!(values.len(), self.columns, "row length matches the header");
        self.row.clear();
        self.row.extend_from_slice(&replication.to_le_bytes());
        for v in values {
            self.row.extend_from_slice(&v.to_le_bytes());
        }
        self.out.write_all(&self.row)?;
        Ok(())
    }

    /// Copies a raw row (replication + values) read from another file.
    pub fn write_raw(&mut self, row: &[u8]) -> Result<()> {
        self.out.write_all(row)?;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }
}

/// Longest header (the column keys as JSON) a row file may declare.
pub const MAX_HEADER_BYTES: u64 = 1 << 30;
/// Largest money value (cents) a row may hold: 2^53, the largest integer an
/// f64 holds exactly (about €90 trillion). Bounded, integral money values
/// keep every exact-decimal statistic within `rust_decimal`'s range.
pub const MAX_CENTS: f64 = 9_007_199_254_740_992.0;

/// Reads a row file, checking it as it goes: every length read from the
/// file is bounded by the file's size before anything is allocated, the
/// body holds whole rows, money values are integral cents within
/// `MAX_CENTS`, and (when asked) the rows hold each replication of a range
/// once, in order. A damaged file is the user's input: every failure is an
/// `InputError` naming the file.
pub struct BinReader<R: Read = BufReader<File>> {
    input: R,
    path: PathBuf,
    pub columns: Vec<ColumnKey>,
    money: Vec<usize>,
    row: Vec<u8>,
    rows: u64,
    read: u64,
    expect: Option<Range<u64>>,
}

/// A damaged or unreadable row file.
fn damaged(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    InputError::new(format!("replication file: {what}"))
        .in_file(path)
        .fix("re-run (or re-merge) the result that wrote this file; it is damaged or incomplete")
        .into()
}

impl BinReader {
    pub fn open(path: &Path) -> Result<Self> {
        crate::limits::check_input(path).map_err(|e| damaged(path, format!("cannot open: {e}")))?;
        let file = File::open(path).map_err(|e| damaged(path, format!("cannot open: {e}")))?;
        let len = file.metadata().map_err(|e| damaged(path, e))?.len();
        BinReader::from_reader(BufReader::with_capacity(1 << 20, file), path, len)
    }
}

impl<R: Read> BinReader<R> {
    /// Reads the header of a row file of `len` bytes from `input`.
    pub fn from_reader(mut input: R, path: &Path, len: u64) -> Result<Self> {
        let mut magic = [0u8; 8];
        let mut header_len = [0u8; 8];
        let truncated = |_| damaged(path, "the file is truncated (no complete header)");
        input.read_exact(&mut magic).map_err(truncated)?;
        if &magic != MAGIC {
            return Err(damaged(path, "not a jeugdstroom replication file"));
        }
        input.read_exact(&mut header_len).map_err(truncated)?;
        let header_len = u64::from_le_bytes(header_len);
        let body = len.saturating_sub(16);
        if header_len > body.min(MAX_HEADER_BYTES) {
            return Err(damaged(
                path,
                format!(
                    "the header claims {header_len} bytes, the file has {body} after the start"
                ),
            ));
        }
        let mut header = vec![0u8; header_len as usize];
        input.read_exact(&mut header).map_err(truncated)?;
        let columns: Vec<ColumnKey> = serde_json::from_slice(&header)
            .map_err(|e| damaged(path, format!("the header is corrupt: {e}")))?;
        let row_len = 8 + 8 * columns.len() as u64;
        let body = body - header_len;
        if !body.is_multiple_of(row_len) {
            return Err(damaged(
                path,
                "the file ends in the middle of a row (truncated)",
            ));
        }
        Ok(BinReader {
            input,
            path: path.to_path_buf(),
            money: (0..columns.len()).filter(|&c| columns[c].money).collect(),
            row: vec![0u8; row_len as usize],
            rows: body / row_len,
            read: 0,
            expect: None,
            columns,
        })
    }

    /// Rows in the file (from its size; each is checked when read).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Requires the rows to hold each replication of `range` once, in order.
    pub fn expect_replications(mut self, range: Range<u64>) -> Result<Self> {
        let want = range.end.saturating_sub(range.start);
        if self.rows != want {
            return Err(damaged(
                &self.path,
                format!(
                    "holds {} rows, but its replication_range {}..{} has {want} (a row is missing or duplicated)",
                    self.rows, range.start, range.end
                ),
            ));
        }
        self.expect = Some(range);
        Ok(self)
    }

    /// The reader it reads from (e.g. to finish a checksum after the last row).
    pub fn into_inner(self) -> R {
        self.input
    }

    /// Reads the next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        if self.read == self.rows {
            return Ok(None);
        }
        let path = &self.path;
        self.input
            .read_exact(&mut self.row)
            .map_err(|e| damaged(path, format!("row {} cannot be read: {e}", self.read)))?;
        self.check_row()?;
        self.read += 1;
        Ok(Some(Row { bytes: &self.row }))
    }

    /// The replication is the expected one, money values are whole cents in range.
    fn check_row(&self) -> Result<()> {
        let row = Row { bytes: &self.row };
        let replication = row.replication();
        if let Some(range) = &self.expect {
            let want = range.start + self.read;
            if replication != want {
                return Err(damaged(
                    &self.path,
                    format!(
                        "row {} holds replication {replication}, expected {want} (a row is missing, duplicated or out of order)",
                        self.read
                    ),
                ));
            }
        }
        for &c in &self.money {
            let v = row.value(c);
            if !(v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_CENTS) {
                let key = &self.columns[c];
                return Err(damaged(
                    &self.path,
                    format!(
                        "replication {replication} holds {v} for {} {} (money must be whole cents within ±{MAX_CENTS})",
                        key.year,
                        key.metric.name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

pub struct Row<'a> {
    bytes: &'a [u8],
}

impl Row<'_> {
    pub fn replication(&self) -> u64 {
        u64::from_le_bytes(self.bytes[..8].try_into().expect("8 bytes"))
    }

    pub fn value(&self, column: usize) -> f64 {
        let at = 8 + 8 * column;
        f64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes"))
    }

    pub fn raw(&self) -> &[u8] {
        self.bytes
    }
}
