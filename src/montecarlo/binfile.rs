//! The per-replication result file (`replications.bin`): a self-describing
//! header (the column keys) followed by one fixed-size row per replication.
//! Rows stream to disk as replications finish, so memory does not grow with
//! the replication count; `merge` concatenates these files from shards.

use crate::metrics::ColumnKey;
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

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

pub struct BinReader {
    input: BufReader<File>,
    pub columns: Vec<ColumnKey>,
    row: Vec<u8>,
}

impl BinReader {
    pub fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let mut input = BufReader::with_capacity(1 << 20, file);
        let mut magic = [0u8; 8];
        input
            .read_exact(&mut magic)
            .with_context(|| format!("reading {}", path.display()))?;
        if &magic != MAGIC {
            bail!("{} is not a jeugdstroom replication file", path.display());
        }
        let mut len = [0u8; 8];
        input.read_exact(&mut len)?;
        let mut header = vec![0u8; u64::from_le_bytes(len) as usize];
        input.read_exact(&mut header)?;
        let columns: Vec<ColumnKey> = serde_json::from_slice(&header)?;
        let row = vec![0u8; 8 + 8 * columns.len()];
        Ok(BinReader {
            input,
            columns,
            row,
        })
    }

    /// Counts the remaining rows (reading them).
    pub fn count_rows(mut self) -> Result<usize> {
        let mut n = 0;
        while self.next_row()?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    /// Reads the next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        let mut filled = 0;
        while filled < self.row.len() {
            let n = self.input.read(&mut self.row[filled..])?;
            if n == 0 {
                if filled == 0 {
                    return Ok(None);
                }
                bail!("replication file ends in the middle of a row");
            }
            filled += n;
        }
        Ok(Some(Row { bytes: &self.row }))
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
