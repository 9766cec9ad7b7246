//! `import cbs FILE`: a CBS StatLine CSV (85097NED or its 2015–2020
//! predecessor) into the history CSV that `calibrate` reads.

use crate::error::Error;
use crate::import::{Imported, Rounding};
use crate::pipeline::import::{ImportCbs, import_cbs};
use crate::text::{printable, printable_path};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// CBS "Jeugdhulptrajecten in natura; verwijzer, regio (gemeente)" CSV → history CSV.
    Cbs(CbsArgs),
}

#[derive(Debug, clap::Args)]
pub struct CbsArgs {
    /// CSV of the CBS open data service (TypedDataSet or Observations layout).
    pub file: PathBuf,
    /// Scenario whose care forms and municipalities the history uses (default: embedded).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Measure table measure,form,care_form,quantity (default: examples/cbs-mapping-85097NED.csv, embedded).
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Region map cbs_code,municipality (default: match the scenario's names and labels).
    #[arg(long)]
    pub municipality_map: Option<PathBuf>,
    /// Referrer code to import (default: the file's only one, or its total T…).
    #[arg(long)]
    pub referrer: Option<String>,
    /// CBS rounds counts to multiples of this (1: exact counts).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub rounding: u64,
    /// Largest true count a suppressed cell (`.`) can hide.
    #[arg(long, default_value_t = 9, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub suppressed_max: u64,
    /// History CSV to write (default: out/<scenario>-history-cbs.csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn import(what: ImportCommand) -> Result<(), Error> {
    let ImportCommand::Cbs(args) = what;
    let (imported, out) = import_cbs(&ImportCbs {
        file: &args.file,
        scenario: args.scenario.as_deref(),
        mapping: args.mapping.as_deref(),
        municipality_map: args.municipality_map.as_deref(),
        referrer: args.referrer.as_deref(),
        rounding: Rounding {
            base: args.rounding,
            suppressed_max: args.suppressed_max,
        },
        out: args.out,
    })?;
    print(&mut std::io::stdout().lock(), &imported, &args.file, &out)?;
    Ok(())
}

fn print(w: &mut impl Write, i: &Imported, file: &Path, out: &Path) -> std::io::Result<()> {
    let years = &i.counts.years;
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "no years".into(),
    };
    writeln!(
        w,
        "imported {} rows ({span}) from {}",
        i.rows.len(),
        printable_path(file)
    )?;
    writeln!(w, "  referrer: {}", printable(&i.counts.referrer))?;
    writeln!(w, "  measures: {}", printable(&i.mapping))?;
    let regions: Vec<String> = (i.regions.iter())
        .map(|(m, codes)| format!("{m} = {}", codes.join(" + ")))
        .collect();
    writeln!(
        w,
        "  regions ({}): {}",
        printable(&i.regions_origin),
        printable(&regions.join(", "))
    )?;
    writeln!(
        w,
        "  cells: {} used, {} suppressed (`.`), counts written as ranges of the true count",
        i.counts.cells, i.counts.suppressed
    )?;
    if !i.skipped_periods.is_empty() {
        writeln!(
            w,
            "  not yearly, left out: {}",
            printable(&i.skipped_periods.join(", "))
        )?;
    }
    writeln!(w, "history: {}", printable_path(out))
}
