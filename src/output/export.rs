//! The one way result tables reach disk: rows are serde structs whose field
//! names are the column names, written through a `TableWriter` in a chosen
//! `Format`. CSV is the only format today; Parquet joins as a second variant
//! of `Format` (and of the writer's sink) without touching the row types.

use super::atomic::AtomicFile;
use anyhow::Result;
use serde::Serialize;
use std::marker::PhantomData;
use std::path::Path;

/// A file format for result tables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Csv,
}

/// Where rows go, per format.
enum Sink {
    Csv(csv::Writer<AtomicFile>),
}

/// Streams rows of type `T` into one table file; the file appears under its
/// name only at `finish`. Rows are written as they come, so a table of
/// millions of rows never sits in memory.
pub struct TableWriter<T> {
    sink: Sink,
    rows: usize,
    row: PhantomData<fn(&T)>,
}

impl<T: Serialize + Default> TableWriter<T> {
    pub fn create(path: &Path, format: Format) -> Result<Self> {
        let file = AtomicFile::create(path)?;
        let sink = match format {
            Format::Csv => Sink::Csv(csv::Writer::from_writer(file)),
        };
        Ok(TableWriter {
            sink,
            rows: 0,
            row: PhantomData,
        })
    }

    pub fn write(&mut self, row: &T) -> Result<()> {
        match &mut self.sink {
            Sink::Csv(w) => w.serialize(row)?,
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes the header if no row did, and commits the file.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Csv(mut w) => {
                if self.rows == 0 {
                    w.write_record(&csv_header::<T>()?)?;
                }
                let file = w.into_inner().map_err(|e| e.into_error())?;
                file.commit()
            }
        }
    }
}

/// Writes a whole table at once.
pub fn write_table<T: Serialize + Default>(
    path: &Path,
    rows: impl IntoIterator<Item = T>,
) -> Result<()> {
    let mut table = TableWriter::create(path, Format::Csv)?;
    for row in rows {
        table.write(&row)?;
    }
    table.finish()
}

/// The column names of a row type, for readers that check a file's header
/// against what the writer produces (no hand-kept copy of the list).
pub fn columns<T: Serialize + Default>() -> Vec<String> {
    csv_header::<T>()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The column names of `T` (its serde field names), as the CSV writer
/// derives them from a row: an empty table still gets its header.
fn csv_header<T: Serialize + Default>() -> Result<csv::StringRecord> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(T::default())?;
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    Ok(reader.records().next().transpose()?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Default)]
    struct Pair {
        year: i32,
        #[serde(rename = "P(x)")]
        p: Option<f64>,
    }

    #[test]
    fn header_comes_from_the_fields_even_for_an_empty_table() {
        let dir = tempfile::tempdir().unwrap();
        let (empty, full) = (dir.path().join("e.csv"), dir.path().join("f.csv"));
        write_table(&empty, Vec::<Pair>::new()).unwrap();
        write_table(
            &full,
            [Pair {
                year: 2028,
                p: None,
            }],
        )
        .unwrap();
        assert_eq!(std::fs::read_to_string(empty).unwrap(), "year,P(x)\n");
        assert_eq!(std::fs::read_to_string(full).unwrap(), "year,P(x)\n2028,\n");
    }
}
