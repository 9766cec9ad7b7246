//! Writes `replications.parquet` a row group at a time.

use super::*;
use anyhow::{Context, Result, bail, ensure};
use bytes::Bytes;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::column::writer::{
    ColumnCloseResult, ColumnWriterImpl, get_column_writer, get_typed_column_writer,
};
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::writer::{
    SerializedFileWriter, SerializedPageWriter, SerializedRowGroupWriter, TrackedWrite,
};
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

/// zstd at level 3: of the codecs measured (gzip 1–6, zstd 1–6) the
/// smallest files and the fastest writes and reads, for building zstd's C
/// code once; see `docs/benchmarks.md`, "Parquet results".
const ZSTD_LEVEL: i32 = 3;

type Sink = BufWriter<File>;

pub struct RowWriter {
    file: SerializedFileWriter<Sink>,
    columns: Vec<ColumnKey>,
    /// The columns in the order their rows are written.
    order: Vec<u32>,
    /// Each column's text fields (municipality, area, provider, care form,
    /// metric), shared by all its rows.
    texts: Vec<[ByteArray; 5]>,
    per_group: usize,
    props: Arc<WriterProperties>,
    /// The key fields of a group of `.0` replications, encoded.
    key_chunks: Option<(usize, Vec<(Bytes, ColumnCloseResult)>)>,
    /// The buffered row group: replications and their values, row-major.
    replications: Vec<u64>,
    values: Vec<f64>,
    written: u64,
}

fn properties(columns: usize) -> Result<WriterProperties> {
    let col = |name: &str| ColumnPath::from(name);
    Ok(WriterProperties::builder()
        .set_created_by(CREATED_BY.to_string())
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
        .set_statistics_enabled(EnabledStatistics::None)
        .set_offset_index_disabled(true)
        .set_data_page_row_count_limit(usize::MAX)
        .set_column_dictionary_enabled(col("value"), false)
        .set_column_encoding(col("value"), Encoding::BYTE_STREAM_SPLIT)
        .set_column_dictionary_enabled(col("column"), false)
        .set_column_encoding(col("column"), Encoding::DELTA_BINARY_PACKED)
        .set_key_value_metadata(Some(vec![
            KeyValue::new(FORMAT_KEY.to_string(), FORMAT.to_string()),
            KeyValue::new(COLUMNS_KEY.to_string(), columns.to_string()),
        ]))
        .build())
}

/// The text fields of a column as the file stores them.
fn texts(key: &ColumnKey) -> [ByteArray; 5] {
    [
        key.municipality.as_str().into(),
        key.area.as_str().into(),
        key.provider.as_str().into(),
        key.care_form.as_str().into(),
        file_metric_name(key.metric).as_str().into(),
    ]
}

impl RowWriter {
    pub fn create(path: &Path, columns: &[ColumnKey]) -> Result<Self> {
        ensure!(
            columns.len() <= MAX_COLUMNS,
            "{} columns: at most {MAX_COLUMNS} fit a replication file",
            columns.len()
        );
        if let Some(k) = columns.iter().find(|k| k.money != k.metric.is_money()) {
            bail!(
                "column {} {}: money flag differs from the metric's",
                k.year,
                k.metric.name()
            );
        }
        let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let props = Arc::new(properties(columns.len())?);
        let per_group = group_replications(columns.len());
        Ok(RowWriter {
            file: SerializedFileWriter::new(
                BufWriter::with_capacity(1 << 20, file),
                schema,
                props.clone(),
            )?,
            props,
            key_chunks: None,
            order: file_order(columns),
            texts: columns.iter().map(texts).collect(),
            columns: columns.to_vec(),
            per_group,
            replications: Vec::with_capacity(per_group),
            values: Vec::with_capacity(per_group * columns.len()),
            written: 0,
        })
    }

    pub fn write(&mut self, replication: u64, values: &[f64]) -> Result<()> {
        assert_eq!(
            values.len(),
            self.columns.len(),
            "row length matches the header"
        );
        ensure!(
            i64::try_from(replication).is_ok(),
            "replication {replication} exceeds the file's int64 field"
        );
        self.replications.push(replication);
        self.values.extend_from_slice(values);
        if self.replications.len() == self.per_group {
            self.flush_group()?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        if !self.replications.is_empty() {
            self.flush_group()?;
        }
        if self.written == 0 {
            let keys = serde_json::to_string(&self.columns)?;
            self.file
                .append_key_value_metadata(KeyValue::new(KEYS_KEY.to_string(), keys));
        }
        let out = self.file.into_inner()?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }

    /// Writes the buffered replications as one row group, cell-major.
    fn flush_group(&mut self) -> Result<()> {
        let n = self.replications.len();
        let keys = match self.key_chunks.take() {
            Some(keys) if keys.0 == n => keys,
            _ => (n, self.encode_keys(n)?),
        };
        let width = self.columns.len();
        let (order, values, reps) = (&self.order, &self.values, &self.replications);
        let cells = || order.iter().map(|&c| c as usize);
        let mut group = self.file.next_row_group()?;
        let mut cached = keys.1.iter();
        for field in 0..FIELDS {
            match field {
                REPLICATION => put::<Int64Type, _>(
                    &mut group,
                    cells().flat_map(|_| reps.iter().map(|&r| r as i64)),
                )?,
                VALUE => put::<DoubleType, _>(
                    &mut group,
                    cells().flat_map(|c| (0..n).map(move |i| values[i * width + c])),
                )?,
                _ => {
                    let (bytes, close) = cached.next().context("an encoded key field")?;
                    group.append_column(bytes, close.clone())?;
                }
            }
        }
        group.close()?;
        self.key_chunks = Some(keys);
        self.written += n as u64;
        self.replications.clear();
        self.values.clear();
        Ok(())
    }

    /// The key fields (year, names, metric, column) of a group of `n`
    /// replications, encoded: the same for every full group, so encoded once
    /// (they are most of the work of encoding a group, values aside).
    fn encode_keys(&self, n: usize) -> Result<Vec<(Bytes, ColumnCloseResult)>> {
        let (columns, texts) = (&self.columns, &self.texts);
        let cells = || self.order.iter().map(|&c| c as usize);
        let mut out = Vec::new();
        out.push(self.encode::<Int32Type, _>(YEAR, each(cells(), n, |c| columns[c].year))?);
        for (i, &field) in TEXTS.iter().enumerate() {
            out.push(
                self.encode::<ByteArrayType, _>(field, each(cells(), n, |c| texts[c][i].clone()))?,
            );
        }
        out.push(self.encode::<Int32Type, _>(COLUMN, each(cells(), n, |c| c as i32))?);
        Ok(out)
    }

    /// Encodes field `field` from `rows` into memory, as a column chunk.
    fn encode<T: DataType, I: Iterator<Item = T::T>>(
        &self,
        field: usize,
        rows: I,
    ) -> Result<(Bytes, ColumnCloseResult)> {
        let mut sink = TrackedWrite::new(Vec::new());
        let descr = self.file.schema_descr().column(field);
        let pages = Box::new(SerializedPageWriter::new(&mut sink));
        let mut writer =
            get_typed_column_writer::<T>(get_column_writer(descr, self.props.clone(), pages));
        write_rows(&mut writer, rows)?;
        let close = writer.close()?;
        Ok((Bytes::from(sink.into_inner()?), close))
    }
}

/// A column's field repeated for each of the group's `n` replications.
fn each<T: Clone>(
    cells: impl Iterator<Item = usize>,
    n: usize,
    field: impl Fn(usize) -> T,
) -> impl Iterator<Item = T> {
    cells.flat_map(move |c| std::iter::repeat_n(field(c), n))
}

/// Writes the next column of the row group from `rows`, in batches.
fn put<T: DataType, I: Iterator<Item = T::T>>(
    group: &mut SerializedRowGroupWriter<'_, Sink>,
    rows: I,
) -> Result<()> {
    let mut column = group.next_column()?.context("a column of the schema")?;
    write_rows(column.typed::<T>(), rows)?;
    column.close()?;
    Ok(())
}

/// Writes `rows` to a column writer in batches.
fn write_rows<T: DataType>(
    writer: &mut ColumnWriterImpl<'_, T>,
    rows: impl Iterator<Item = T::T>,
) -> Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for value in rows {
        batch.push(value);
        if batch.len() == BATCH {
            writer.write_batch(&batch, None, None)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        writer.write_batch(&batch, None, None)?;
    }
    Ok(())
}
