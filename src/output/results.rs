//! Builds `summary.csv`, `feasibility.csv` and `replications.csv` from the
//! per-replication file, then writes the manifest. Everything here depends
//! only on `replications.bin` (rows in replication order), which is why a
//! merged result equals a single run byte for byte.

use super::atomic::AtomicFile;
use super::manifest::Manifest;
use super::safe_cell;
use crate::aggregate::quantile::{LEVELS, euros, exact_mean_cents, number, summary_cells};
use crate::aggregate::{ALL, ColumnKey, Metric};
use crate::montecarlo::binfile::{BinReader, FILE_NAME as BIN};
use anyhow::Result;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Memory for one column block of the summary pass; 10× the replications
/// means 10× narrower blocks, not 10× the memory.
const BLOCK_BUDGET_BYTES: usize = 16 << 20;

/// What the stdout summary shows: the region per year, P(overrun) of every
/// party per year, and the summary statistics of the derived tables.
pub struct Overview {
    pub years: Vec<YearOverview>,
    pub feasibility: Vec<PartyOverrun>,
    pub captured: Captured,
}

/// (year, scope, name, P(cost > lumpsum)).
pub type PartyOverrun = (i32, &'static str, String, f64);

/// One row of the stdout table.
#[derive(Clone, Debug)]
pub struct YearOverview {
    pub year: i32,
    pub lumpsum: String,
    pub cost_mean: String,
    pub p_overrun: f64,
    pub active_end: f64,
    pub waiting_end: f64,
}

fn count_rows(path: &Path) -> Result<usize> {
    let mut reader = BinReader::open(path)?;
    let mut n = 0;
    while reader.next_row()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Splits the row file into column blocks of `width` columns in one pass, so
/// that each block (all replications of `width` columns) fits the memory
/// budget and the row file is read once, whatever the replication count.
fn transpose_to_blocks(
    dir: &Path,
    bin: &Path,
    columns: usize,
    width: usize,
) -> Result<Vec<PathBuf>> {
    let paths: Vec<PathBuf> = (0..columns.div_ceil(width))
        .map(|b| dir.join(format!(".summary-block-{b}.tmp")))
        .collect();
    let mut writers = paths
        .iter()
        .map(|p| Ok(BufWriter::with_capacity(1 << 16, File::create(p)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut reader = BinReader::open(bin)?;
    while let Some(row) = reader.next_row()? {
        for (b, w) in writers.iter_mut().enumerate() {
            for c in b * width..((b + 1) * width).min(columns) {
                w.write_all(&row.value(c).to_le_bytes())?;
            }
        }
    }
    for w in writers {
        w.into_inner().map_err(|e| e.into_error())?;
    }
    Ok(paths)
}

fn csv_writer(file: &mut AtomicFile) -> csv::Writer<&mut std::io::BufWriter<std::fs::File>> {
    csv::WriterBuilder::new().from_writer(file.writer())
}

/// Summary cells of the columns the derived tables need (all care forms,
/// region / municipality / provider scope), keyed by (year, scope name, metric).
pub type Captured = BTreeMap<(i32, String, String), [String; 9]>;

fn write_summary(dir: &Path, bin: &Path, columns: &[ColumnKey], rows: usize) -> Result<Captured> {
    let mut captured = Captured::new();
    let mut file = AtomicFile::create(&dir.join("summary.csv"))?;
    {
        let mut w = csv_writer(&mut file);
        let mut header = vec![
            "year",
            "municipality",
            "area",
            "provider",
            "care_form",
            "metric",
            "mean",
            "sd",
        ];
        header.extend(LEVELS.iter().map(|(_, n)| *n));
        w.write_record(&header)?;
        let block = (BLOCK_BUDGET_BYTES / (8 * rows.max(1))).clamp(1, columns.len().max(1));
        let blocks = transpose_to_blocks(dir, bin, columns.len(), block)?;
        let mut values = vec![0.0f64; block * rows];
        for (b, path) in blocks.iter().enumerate() {
            let start = b * block;
            let width = block.min(columns.len() - start);
            // The block file is row-major (replication by replication); gather columns.
            let mut input = BufReader::with_capacity(1 << 20, File::open(path)?);
            let mut buf = vec![0u8; 8 * width];
            for r in 0..rows {
                input.read_exact(&mut buf)?;
                for (c, bytes) in buf.chunks_exact(8).enumerate() {
                    values[c * rows + r] = f64::from_le_bytes(bytes.try_into().expect("8 bytes"));
                }
            }
            drop(input);
            std::fs::remove_file(path)?;
            for c in 0..width {
                let key = &columns[start + c];
                let cells = summary_cells(&mut values[c * rows..(c + 1) * rows], key.money);
                w.write_field(key.year.to_string())?;
                for text in [&key.municipality, &key.area, &key.provider, &key.care_form] {
                    w.write_field(safe_cell(text).as_ref())?;
                }
                w.write_field(&key.metric)?;
                for cell in &cells {
                    w.write_field(cell)?;
                }
                w.write_record(None::<&[u8]>)?;
                if key.care_form == ALL && key.area == ALL {
                    captured.insert(
                        (key.year, key.scope().1.to_string(), key.metric.clone()),
                        cells,
                    );
                }
            }
        }
        w.flush()?;
    }
    file.commit()?;
    Ok(captured)
}

/// Feasibility per (year, scope) and the per-replication headline file.
fn write_feasibility_and_replications(
    dir: &Path,
    bin: &Path,
    columns: &[ColumnKey],
    rows: usize,
) -> Result<(Vec<YearOverview>, Vec<PartyOverrun>)> {
    let is_budget_scope = |k: &ColumnKey| k.care_form == ALL && k.area == ALL;
    // (year, scope, name) → (cost column, lumpsum column)
    let mut budget: Vec<(i32, &'static str, String, usize, usize)> = Vec::new();
    for (i, k) in columns.iter().enumerate() {
        if is_budget_scope(k) && k.metric == Metric::CostEur.name() {
            let (scope, name) = k.scope();
            let lumpsum = columns.iter().position(|o| {
                o.year == k.year
                    && o.municipality == k.municipality
                    && o.area == k.area
                    && o.provider == k.provider
                    && o.care_form == ALL
                    && o.metric == Metric::LumpsumEur.name()
            });
            if let Some(l) = lumpsum {
                budget.push((k.year, scope, name.to_string(), i, l));
            }
        }
    }
    let region_metric = |year: i32, metric: Metric| {
        columns.iter().position(|k| {
            k.year == year
                && k.scope().0 == "region"
                && k.care_form == ALL
                && k.metric == metric.name()
        })
    };
    let headline: Vec<usize> = (0..columns.len())
        .filter(|&i| {
            let k = &columns[i];
            is_budget_scope(k)
                && Metric::all()
                    .iter()
                    .any(|m| m.name() == k.metric && m.is_headline())
        })
        .collect();

    // Provider insolvency flag columns, summed over replications.
    let insolvent_column: Vec<Option<usize>> = budget
        .iter()
        .map(|(year, scope, name, _, _)| {
            (*scope == "provider")
                .then(|| {
                    columns.iter().position(|k| {
                        k.year == *year
                            && k.provider == *name
                            && k.care_form == ALL
                            && k.metric == Metric::Insolvent.name()
                    })
                })
                .flatten()
        })
        .collect();
    let mut insolvency: Vec<Option<f64>> =
        insolvent_column.iter().map(|c| c.map(|_| 0.0)).collect();
    let mut reps_file = AtomicFile::create(&dir.join("replications.csv"))?;
    let mut cost = vec![Vec::with_capacity(rows); budget.len()];
    let mut lump = vec![Vec::with_capacity(rows); budget.len()];
    let years: Vec<i32> = {
        let mut y: Vec<i32> = columns.iter().map(|k| k.year).collect();
        y.dedup();
        y
    };
    // Region clients in care and waiting at year end, for the stdout table.
    let stock_columns: Vec<(Option<usize>, Option<usize>)> = years
        .iter()
        .map(|y| {
            (
                region_metric(*y, Metric::ActiveEnd),
                region_metric(*y, Metric::WaitingEnd),
            )
        })
        .collect();
    let mut active = vec![0.0; years.len()];
    let mut waiting = vec![0.0; years.len()];
    {
        let mut w = csv_writer(&mut reps_file);
        w.write_record(["replication", "year", "scope", "name", "metric", "value"])?;
        let mut reader = BinReader::open(bin)?;
        while let Some(row) = reader.next_row()? {
            let r = row.replication().to_string();
            for &i in &headline {
                let k = &columns[i];
                let (scope, name) = k.scope();
                let v = row.value(i);
                let value = if k.money {
                    euros(Decimal::from(v as i64))
                } else {
                    number(v)
                };
                w.write_record([
                    r.as_str(),
                    &k.year.to_string(),
                    scope,
                    &safe_cell(name),
                    &k.metric,
                    &value,
                ])?;
            }
            for (b, (_, _, _, c, l)) in budget.iter().enumerate() {
                cost[b].push(row.value(*c));
                lump[b].push(row.value(*l));
                if let (Some(col), Some(sum)) = (insolvent_column[b], insolvency[b].as_mut()) {
                    *sum += row.value(col);
                }
            }
            for (yi, (a, wl)) in stock_columns.iter().enumerate() {
                active[yi] += a.map_or(0.0, |c| row.value(c));
                waiting[yi] += wl.map_or(0.0, |c| row.value(c));
            }
        }
        w.flush()?;
    }
    reps_file.commit()?;

    let mut file = AtomicFile::create(&dir.join("feasibility.csv"))?;
    let mut overview = Vec::new();
    let mut parties = Vec::new();
    {
        let mut w = csv_writer(&mut file);
        w.write_record([
            "year",
            "scope",
            "name",
            "lumpsum_eur",
            "cost_mean_eur",
            "cost_p50_eur",
            "cost_p95_eur",
            "p_overrun",
            "expected_shortfall_eur",
            "shortfall_p90_eur",
            "shortfall_p95_eur",
            "p_insolvent",
        ])?;
        for (b, (year, scope, name, _, _)) in budget.iter().enumerate() {
            let mut shortfall: Vec<f64> = cost[b]
                .iter()
                .zip(&lump[b])
                .map(|(c, l)| (c - l).max(0.0))
                .collect();
            let expected_shortfall = euros(exact_mean_cents(&shortfall));
            let shortfall_cells = summary_cells(&mut shortfall, true);
            let insolvent =
                insolvency[b].map_or(String::new(), |sum| number(sum / rows.max(1) as f64));
            let overruns = cost[b].iter().zip(&lump[b]).filter(|(c, l)| c > l).count();
            let p_overrun = overruns as f64 / rows.max(1) as f64;
            let lumpsum = euros(exact_mean_cents(&lump[b]));
            let mut costs = cost[b].clone();
            let cells = summary_cells(&mut costs, true);
            let p50 = &cells[2 + level(50)];
            let p95 = &cells[2 + level(95)];
            w.write_record([
                &year.to_string(),
                *scope,
                &safe_cell(name),
                &lumpsum,
                &cells[0],
                p50,
                p95,
                &number(p_overrun),
                &expected_shortfall,
                &shortfall_cells[2 + level(90)],
                &shortfall_cells[2 + level(95)],
                &insolvent,
            ])?;
            parties.push((*year, *scope, name.clone(), p_overrun));
            if *scope == "region" {
                let yi = years
                    .iter()
                    .position(|y| y == year)
                    .expect("year in columns");
                overview.push(YearOverview {
                    year: *year,
                    lumpsum,
                    cost_mean: cells[0].clone(),
                    p_overrun,
                    active_end: active[yi] / rows.max(1) as f64,
                    waiting_end: waiting[yi] / rows.max(1) as f64,
                });
            }
        }
        w.flush()?;
    }
    file.commit()?;
    Ok((overview, parties))
}

/// Index of a quantile level among the summary's p-columns.
fn level(percent: u32) -> usize {
    LEVELS
        .iter()
        .position(|(p, _)| *p == percent)
        .expect("a summary quantile level")
}

/// Writes all result files from `replications.bin` in `dir`, manifest last.
pub fn finalize(dir: &Path, manifest: &Manifest) -> Result<Overview> {
    let bin = dir.join(BIN);
    let columns = BinReader::open(&bin)?.columns;
    let rows = count_rows(&bin)?;
    let captured = write_summary(dir, &bin, &columns, rows)?;
    let (years, feasibility) = write_feasibility_and_replications(dir, &bin, &columns, rows)?;
    super::tables::write_tables(dir, &captured)?;
    super::manifest::write(dir, manifest)?;
    Ok(Overview {
        years,
        feasibility,
        captured,
    })
}
