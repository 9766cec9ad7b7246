//! The checks of a row file's footer (schema, format, row-group sizes) and
//! the column scan the reader decodes row groups with.

use super::*;
use anyhow::Result;
use parquet::basic::Type as Physical;
use parquet::column::reader::get_typed_column_reader;
use parquet::data_type::DataType;
use parquet::file::metadata::RowGroupMetaData;
use parquet::file::reader::{FileReader, RowGroupReader};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

/// The schema's fields as (name, physical type).
fn expected_fields() -> Vec<(String, Physical)> {
    let schema = parse_message_type(SCHEMA).expect("the schema parses");
    schema
        .get_fields()
        .iter()
        .map(|f| (f.name().to_string(), f.get_physical_type()))
        .collect()
}

use parquet::schema::parser::parse_message_type;

/// A key-value entry of the footer.
fn metadata<'a>(file: &'a dyn FileReader, key: &str) -> Option<&'a str> {
    let kv = file.metadata().file_metadata().key_value_metadata()?;
    kv.iter().find(|e| e.key == key)?.value.as_deref()
}

/// Checks the schema and the format version; returns the number of columns.
pub(super) fn check_footer(file: &dyn FileReader, path: &Path) -> Result<usize> {
    let schema = file.metadata().file_metadata().schema_descr();
    let got: Vec<(String, Physical, bool)> = schema
        .columns()
        .iter()
        .map(|c| {
            let flat = c.max_def_level() == 0 && c.max_rep_level() == 0;
            (c.name().to_string(), c.physical_type(), flat)
        })
        .collect();
    let want: Vec<(String, Physical, bool)> = expected_fields()
        .into_iter()
        .map(|(n, t)| (n, t, true))
        .collect();
    if got != want {
        return Err(damaged(
            path,
            "its schema is not that of a jeugdstroom replication file (replication, year, municipality, area, provider, care_form, metric, value, column; all required)",
        ));
    }
    match metadata(file, FORMAT_KEY) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(damaged(
                path,
                format!("format version {other}; this build reads version {FORMAT}"),
            ));
        }
        None => return Err(damaged(path, format!("no {FORMAT_KEY} in its metadata"))),
    }
    let width = metadata(file, COLUMNS_KEY).and_then(|v| v.parse::<usize>().ok());
    match width {
        Some(w) if (1..=MAX_COLUMNS).contains(&w) => Ok(w),
        _ => Err(damaged(
            path,
            format!(
                "{COLUMNS_KEY} in its metadata is missing or not a count of 1 to {MAX_COLUMNS}"
            ),
        )),
    }
}

/// Replications of each row group: a whole number of replications, each
/// holding every column once, and no more per group than the writer puts
/// (which bounds what decoding a group allocates).
pub(super) fn group_sizes(file: &dyn FileReader, path: &Path, width: usize) -> Result<Vec<usize>> {
    let most = group_replications(width);
    let meta = file.metadata();
    (0..meta.num_row_groups())
        .map(|g| {
            let group = meta.row_group(g);
            if group.num_columns() != FIELDS {
                return Err(damaged(path, format!("row group {g} holds {} fields, not {FIELDS}", group.num_columns())));
            }
            let rows = group.num_rows();
            let n = usize::try_from(rows).unwrap_or(0) / width;
            if rows <= 0 || !(rows as u64).is_multiple_of(width as u64) || n > most {
                return Err(damaged(
                    path,
                    format!(
                        "row group {g} holds {rows} rows: not 1 to {most} replications of {width} columns"
                    ),
                ));
            }
            Ok(n)
        })
        .collect()
}

/// The column keys of a file without replications (from its metadata).
pub(super) fn empty_file_keys(
    file: &dyn FileReader,
    path: &Path,
    width: usize,
) -> Result<Vec<ColumnKey>> {
    let keys: Vec<ColumnKey> = metadata(file, KEYS_KEY)
        .and_then(|json| serde_json::from_str(json).ok())
        .ok_or_else(|| {
            damaged(
                path,
                format!("no rows and no readable {KEYS_KEY} in its metadata"),
            )
        })?;
    if keys.len() != width || keys.iter().any(|k| k.money != k.metric.is_money()) {
        return Err(damaged(
            path,
            format!("{KEYS_KEY} does not match {COLUMNS_KEY}"),
        ));
    }
    Ok(keys)
}

/// Calls `f` with each of the first `rows` values of field `field` of a
/// row group, in batches; a column that ends early is damage.
pub(super) fn scan<T: DataType>(
    group: &dyn RowGroupReader,
    field: usize,
    rows: usize,
    path: &Path,
    mut f: impl FnMut(usize, &T::T) -> Result<()>,
) -> Result<()> {
    let name = || expected_fields()[field].0.clone();
    let broken = |e: parquet::errors::ParquetError| {
        damaged(path, format!("its {} column cannot be read: {e}", name()))
    };
    // The schema was checked, so the column has type `T`.
    let mut reader = get_typed_column_reader::<T>(group.get_column_reader(field).map_err(broken)?);
    let mut batch = Vec::with_capacity(BATCH.min(rows));
    let mut k = 0;
    while k < rows {
        batch.clear();
        let (records, _, _) = reader
            .read_records((rows - k).min(BATCH), None, None, &mut batch)
            .map_err(broken)?;
        if records == 0 || batch.len() != records {
            return Err(damaged(
                path,
                format!("its {} column ends after {k} of {rows} rows", name()),
            ));
        }
        for value in &batch {
            f(k, value)?;
            k += 1;
        }
    }
    Ok(())
}

/// The stored bytes of a row group's key fields (year, names, metric,
/// column), if their ranges lie within the file and are small (at most one
/// byte in 64 of the group's rows: the writer's chunks are far smaller).
pub(super) fn key_chunks(file: &File, group: &RowGroupMetaData) -> Option<Vec<Vec<u8>>> {
    let len = file.metadata().ok()?.len();
    let most = u64::try_from(group.num_rows()).ok()? / 64 + 4096;
    let fields = [
        YEAR, TEXTS[0], TEXTS[1], TEXTS[2], TEXTS[3], TEXTS[4], COLUMN,
    ];
    fields
        .iter()
        .map(|&f| {
            let (start, size) = group.column(f).byte_range();
            if size > most || start.checked_add(size)? > len {
                return None;
            }
            let mut bytes = vec![0u8; size as usize];
            let mut file = file;
            file.seek(SeekFrom::Start(start)).ok()?;
            file.read_exact(&mut bytes).ok()?;
            Some(bytes)
        })
        .collect()
}
