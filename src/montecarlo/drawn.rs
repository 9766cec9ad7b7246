//! Replications with uncertain parameters: each builds its own model from
//! its drawn values (in the worker, once per replication) and runs it; the
//! parameters-at-their-mean model runs beside it on the same client streams
//! (the twin that splits the variance in `uncertainty.csv`). The drawn
//! values and the twin's headline columns go to their own files, in
//! replication order, so shards and `merge` carry them byte for byte.

use super::rowfile::RowWriter;
use super::{Replication, Row, evaluate};
use crate::error::InputError;
use crate::metrics::{ColumnKey, Layout};
use crate::model::Model;
use crate::sim::Simulation;
use anyhow::Result;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Per-replication values of the parameters-at-their-mean twin (headline
/// party-total columns only), in the format of `replications.parquet`.
pub const TWIN_FILE: &str = "replications_at_mean.parquet";
/// The drawn parameter values: `replication,path,value`.
pub const PARAMETERS_FILE: &str = "parameters.csv";

/// Builds a replication's model; returns it with the drawn values.
pub type ModelBuilder<'a> = dyn Fn(u64) -> Result<(Model, Vec<f64>), InputError> + Sync + 'a;

/// How a run with uncertain parameters builds and records its replications.
pub struct Drawn<'a> {
    pub build: &'a ModelBuilder<'a>,
    /// Dotted paths of the parameters, in the order of the drawn values.
    pub names: &'a [String],
    /// Where the twin's rows and the drawn values go.
    pub twin_path: &'a Path,
    pub parameters_path: &'a Path,
    /// The columns the twin keeps ([`twin_columns`] of the layout).
    pub columns: Vec<usize>,
}

/// The columns the twin keeps: the headline metrics of whole parties.
pub fn twin_columns(keys: &[ColumnKey]) -> Vec<usize> {
    (0..keys.len())
        .filter(|&i| keys[i].is_party_total() && keys[i].metric.is_headline())
        .collect()
}

/// The layout's columns with `model`'s weights (a replication's drawn model).
pub(super) fn reweighed(
    layout: &Layout,
    model: &Model,
    replication: u64,
) -> Result<Layout, InputError> {
    layout.reweigh(model).ok_or_else(|| {
        InputError::new(format!(
            "replication {replication}: the drawn parameters changed which result columns exist"
        ))
        .fix("keep capacities and structure fixed; draw only numbers")
    })
}

/// The open files of a run with uncertain parameters.
pub(super) struct DrawnWriters {
    twin: RowWriter,
    columns: Vec<usize>,
    parameters: BufWriter<File>,
    names: Vec<String>,
}

impl Drawn<'_> {
    pub(super) fn writers(&self, layout: &Layout) -> Result<DrawnWriters> {
        let columns = self.columns.clone();
        let keys: Vec<ColumnKey> = columns.iter().map(|&c| layout.keys[c].clone()).collect();
        let mut parameters = BufWriter::new(File::create(self.parameters_path)?);
        parameters.write_all(b"replication,path,value\n")?;
        Ok(DrawnWriters {
            twin: RowWriter::create(self.twin_path, &keys)?,
            columns,
            parameters,
            names: self.names.iter().map(|n| csv_field(n)).collect(),
        })
    }

    /// One replication on its drawn model, and its twin on the mean model
    /// (`sim`, `values`: the worker's, for the mean model).
    pub(super) fn replicate(
        &self,
        at: &Replication<'_>,
        sim: &mut Simulation<'_>,
        values: &mut Vec<f64>,
    ) -> Result<Row, InputError> {
        let (model, draws) = (self.build)(at.replication)?;
        let layout = reweighed(at.layout, &model, at.replication)?;
        let mut drawn_sim = Simulation::new(&model);
        let mut row = Vec::with_capacity(layout.len());
        let events = evaluate(
            &model,
            &layout,
            at.factory,
            &mut drawn_sim,
            &mut row,
            at.replication,
        )
        .map_err(|o| o.to_input_error())?;
        evaluate(at.model, at.layout, at.factory, sim, values, at.replication)
            .map_err(|o| o.to_input_error())?;
        let twin = self.columns.iter().map(|&c| values[c]).collect();
        Ok(Row {
            replication: at.replication,
            values: row,
            events,
            drawn: Some((draws, twin)),
        })
    }
}

impl DrawnWriters {
    pub(super) fn write(&mut self, replication: u64, draws: &[f64], twin: &[f64]) -> Result<()> {
        debug_assert_eq!(twin.len(), self.columns.len());
        self.twin.write(replication, twin)?;
        for (name, value) in self.names.iter().zip(draws) {
            writeln!(self.parameters, "{replication},{name},{value}")?;
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Result<()> {
        self.twin.finish()?;
        let file = self.parameters.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
