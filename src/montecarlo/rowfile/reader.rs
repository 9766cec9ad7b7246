//! Reads `replications.parquet` a row group at a time, checking it as it
//! goes.

use super::footer::{check_footer, empty_file_keys, group_sizes, key_chunks, scan};
use super::*;
use anyhow::Result;
use parquet::data_type::{ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::reader::{FileReader, RowGroupReader};
use parquet::file::serialized_reader::SerializedFileReader;
use std::fs::File;
use std::ops::Range;
use std::path::PathBuf;

/// Reads a row file, checking it as it goes: the Parquet footer (through
/// the crate, which bounds every length by the file's size), the schema and
/// the format version; that each row group holds every column once for
/// each of its replications (the reader allocates one row group, whose size
/// it bounds before decoding it); that the column fields match the first
/// row group's; money values are integral cents within `MAX_CENTS`; and the
/// replications increase (with [`RowReader::expect_replications`]: are each
/// replication of a range once, in order). A damaged file is the user's
/// input: every failure is an `InputError` naming the file.
pub struct RowReader {
    file: SerializedFileReader<File>,
    path: PathBuf,
    pub columns: Vec<ColumnKey>,
    money: Vec<usize>,
    /// The columns in the order of the file's rows (from the first group).
    order: Vec<u32>,
    /// Each column's text fields as stored (names, then the metric).
    texts: Vec<[Vec<u8>; 5]>,
    /// The file, for the raw bytes of column chunks.
    raw: File,
    /// The first row group's key fields as stored (compressed) bytes.
    key_chunks: Option<Vec<Vec<u8>>>,
    /// Replications per row group.
    groups: Vec<usize>,
    next_group: usize,
    rows: u64,
    /// The decoded row group: its replications and their values, row-major.
    reps: Vec<u64>,
    values: Vec<f64>,
    at: usize,
    read: u64,
    /// The last replication of the groups before the decoded one.
    last: Option<u64>,
    expect: Option<Range<u64>>,
}

/// What a row group's text fields are checked against (or, in the first
/// group, filled into).
struct Keys {
    years: Vec<i32>,
    texts: Vec<[Vec<u8>; 5]>,
}

impl RowReader {
    pub fn open(path: &Path) -> Result<Self> {
        crate::limits::check_input(path).map_err(|e| damaged(path, format!("cannot open: {e}")))?;
        let file = File::open(path).map_err(|e| damaged(path, format!("cannot open: {e}")))?;
        let raw = file
            .try_clone()
            .map_err(|e| damaged(path, format!("cannot open: {e}")))?;
        let file = SerializedFileReader::new(file).map_err(|e| {
            damaged(
                path,
                format!("not a readable Parquet file (its footer is damaged or missing): {e}"),
            )
        })?;
        let width = check_footer(&file, path)?;
        let mut reader = RowReader {
            groups: group_sizes(&file, path, width)?,
            file,
            path: path.to_path_buf(),
            columns: Vec::new(),
            money: Vec::new(),
            order: Vec::with_capacity(width),
            texts: Vec::new(),
            raw,
            key_chunks: None,
            next_group: 0,
            rows: 0,
            reps: Vec::new(),
            values: Vec::new(),
            at: 0,
            read: 0,
            last: None,
            expect: None,
        };
        reader.rows = reader.groups.iter().map(|&n| n as u64).sum();
        if reader.groups.is_empty() {
            reader.columns = empty_file_keys(&reader.file, path, width)?;
        } else {
            reader.load_group(width)?;
        }
        reader.money = (0..width).filter(|&c| reader.columns[c].money).collect();
        Ok(reader)
    }

    /// Rows (replications) in the file (from its footer; each is checked when read).
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
                    "holds {} replications, but its replication_range {}..{} has {want} (a replication is missing or duplicated)",
                    self.rows, range.start, range.end
                ),
            ));
        }
        self.expect = Some(range);
        self.check_replications()?;
        Ok(self)
    }

    /// Reads the next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>> {
        if self.read == self.rows {
            return Ok(None);
        }
        if self.at == self.reps.len() {
            self.load_group(self.columns.len())?;
        }
        let width = self.columns.len();
        let at = self.at;
        self.check_money(at)?;
        self.at += 1;
        self.read += 1;
        Ok(Some(Row {
            replication: self.reps[at],
            values: &self.values[at * width..(at + 1) * width],
        }))
    }

    /// Money values of the group's replication `at` are whole cents in range.
    fn check_money(&self, at: usize) -> Result<()> {
        let width = self.columns.len();
        let values = &self.values[at * width..(at + 1) * width];
        for &c in &self.money {
            let v = values[c];
            if !(v.is_finite() && v.fract() == 0.0 && v.abs() <= MAX_CENTS) {
                let key = &self.columns[c];
                return Err(damaged(
                    &self.path,
                    format!(
                        "replication {} holds {v} for {} {} (money must be whole cents within ±{MAX_CENTS})",
                        self.reps[at],
                        key.year,
                        key.metric.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The group's replications follow the last one read, increasing (and
    /// are the expected ones).
    fn check_replications(&self) -> Result<()> {
        let first = self.read - self.at as u64;
        for (i, &r) in self.reps.iter().enumerate() {
            let index = first + i as u64;
            let previous = if i > 0 {
                Some(self.reps[i - 1])
            } else {
                self.last
            };
            let (fine, want) = match &self.expect {
                Some(range) => (
                    r == range.start + index,
                    format!("expected {}", range.start + index),
                ),
                None => (
                    previous.is_none_or(|p| r > p),
                    "expected a larger one".to_string(),
                ),
            };
            if !fine {
                return Err(damaged(
                    &self.path,
                    format!(
                        "replication number {index} in the file is {r}, {want} (a replication is missing, duplicated or out of order)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl RowReader {
    /// Decodes the next row group; the first one also fixes the column
    /// keys and the order of the rows, which every later one must repeat.
    fn load_group(&mut self, width: usize) -> Result<()> {
        let g = self.next_group;
        let n = self.groups[g];
        let rows = n * width;
        let path = self.path.clone();
        let group = self
            .file
            .get_row_group(g)
            .map_err(|e| damaged(&path, format!("row group {g} cannot be read: {e}")))?;
        let chunks = key_chunks(&self.raw, self.file.metadata().row_group(g));
        // A group of the first one's size whose key fields are the same
        // bytes holds the same keys: decoding them again would only cost.
        let same_keys =
            g > 0 && n == self.groups[0] && chunks.is_some() && chunks == self.key_chunks;
        if !same_keys {
            let mut keys = (g == 0).then(|| Keys {
                years: vec![0; width],
                texts: vec![Default::default(); width],
            });
            read_order(&*group, &path, n, rows, width, &mut self.order)?;
            self.read_keys(&*group, g, n, rows, keys.as_mut())?;
            if let Some(keys) = keys {
                self.columns = keys.columns(&path)?;
                self.texts = keys.texts;
                self.key_chunks = chunks;
            }
        }
        self.last = self.reps.last().copied().or(self.last);
        read_replications(&*group, &path, g, n, rows, &mut self.reps)?;
        // Every slot is written below (each column once per replication).
        self.values.resize(rows, 0.0);
        let (values, order) = (&mut self.values, &self.order);
        scan::<DoubleType>(&*group, VALUE, rows, &path, |k, &v| {
            values[(k % n) * width + order[k / n] as usize] = v;
            Ok(())
        })?;
        self.next_group += 1;
        self.at = 0;
        self.check_replications()
    }

    /// The year and the text fields: filled into `keys` in the first
    /// group, else checked against the columns.
    fn read_keys(
        &self,
        group: &dyn RowGroupReader,
        g: usize,
        n: usize,
        rows: usize,
        mut keys: Option<&mut Keys>,
    ) -> Result<()> {
        let (path, columns) = (&self.path, &self.columns);
        let cell = |k: usize| self.order[k / n] as usize;
        scan::<Int32Type>(group, YEAR, rows, path, |k, &v| {
            let c = cell(k);
            let want = match &mut keys {
                Some(keys) if k % n == 0 => {
                    keys.years[c] = v;
                    v
                }
                Some(keys) => keys.years[c],
                None => columns[c].year,
            };
            same(v == want, path, g, k, "year")
        })?;
        for (i, &field) in TEXTS.iter().enumerate() {
            scan::<ByteArrayType>(group, field, rows, path, |k, v| {
                let c = cell(k);
                let fine = match &mut keys {
                    Some(keys) if k % n == 0 => {
                        keys.texts[c][i] = v.data().to_vec();
                        true
                    }
                    Some(keys) => v.data() == keys.texts[c][i],
                    None => v.data() == self.texts[c][i],
                };
                same(fine, path, g, k, "text")
            })?;
        }
        Ok(())
    }
}

/// Reads the replication field: the group's replications, repeated in
/// each block of `n` rows.
fn read_replications(
    group: &dyn RowGroupReader,
    path: &Path,
    g: usize,
    n: usize,
    rows: usize,
    reps: &mut Vec<u64>,
) -> Result<()> {
    reps.clear();
    scan::<Int64Type>(group, REPLICATION, rows, path, |k, &v| {
        let v = u64::try_from(v).map_err(|_| damaged(path, format!("replication {v}")))?;
        if k < n {
            reps.push(v);
            Ok(())
        } else {
            same(v == reps[k % n], path, g, k, "replication")
        }
    })
}

/// Reads the `column` field: in each block of `n` rows one column, each
/// column once; the first group sets `order`, later ones must repeat it.
fn read_order(
    group: &dyn RowGroupReader,
    path: &Path,
    n: usize,
    rows: usize,
    width: usize,
    order: &mut Vec<u32>,
) -> Result<()> {
    let first = order.is_empty();
    let mut seen = if first {
        vec![false; width]
    } else {
        Vec::new()
    };
    scan::<Int32Type>(group, COLUMN, rows, path, |k, &v| {
        let j = k / n;
        if first && k % n == 0 {
            let c = usize::try_from(v).ok().filter(|&c| c < width && !seen[c]);
            let c = c.ok_or_else(|| {
                damaged(
                    path,
                    format!("column {v} is out of range or repeated (row {k})"),
                )
            })?;
            seen[c] = true;
            order.push(c as u32);
        }
        same(i64::from(v) == i64::from(order[j]), path, 0, k, "column")
    })
}

fn same(fine: bool, path: &Path, g: usize, k: usize, field: &str) -> Result<()> {
    if fine {
        Ok(())
    } else {
        Err(bad_row(path, g, k, field, "the first row group's"))
    }
}

fn bad_row(path: &Path, g: usize, k: usize, field: &str, want: &str) -> anyhow::Error {
    damaged(
        path,
        format!("row {k} of row group {g}: its {field} differs from {want} for that column"),
    )
}

impl Keys {
    /// The column keys: names as UTF-8, metrics by their file names.
    fn columns(&self, path: &Path) -> Result<Vec<ColumnKey>> {
        let by_name = metrics_by_file_name();
        let text = |v: &[u8]| {
            String::from_utf8(v.to_vec()).map_err(|_| damaged(path, "a name is not UTF-8"))
        };
        (self.years.iter().zip(&self.texts))
            .map(
                |(&year, [municipality, area, provider, care_form, metric])| {
                    let metric = by_name.get(metric).copied().ok_or_else(|| {
                        damaged(
                            path,
                            format!("unknown metric {}", String::from_utf8_lossy(metric)),
                        )
                    })?;
                    Ok(ColumnKey {
                        year,
                        municipality: text(municipality)?,
                        area: text(area)?,
                        provider: text(provider)?,
                        care_form: text(care_form)?,
                        metric,
                        money: metric.is_money(),
                    })
                },
            )
            .collect()
    }
}
