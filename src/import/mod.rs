//! Reading other people's files into ours. `cbs`: a CSV of CBS StatLine's
//! open data for "Jeugdhulptrajecten in natura; verwijzer, regio (gemeente)"
//! (85097NED, 2021–, and the 2015–2020 generation) into the history CSV that
//! `calibrate` reads. File-format side only, like `scenario/`: it knows the
//! scenario's care-form and municipality names, nothing of the model.
//!
//! CBS rounds these counts to multiples of 5 and suppresses small ones, so a
//! count is written as the range of true counts it can stand for (`33..37`,
//! `0..9`): the history CSV's interval cells.

mod build;
mod cells;
mod csvtext;
mod mapping;
mod read;

pub use build::{Counts, Row};
pub use cells::{Bounds, Rounding};
pub use csvtext::field_column;

use crate::error::InputErrors;
use csvtext::Text;
use std::fmt::Write;
use std::path::Path;

/// What `import cbs` reads and how.
pub struct CbsOptions<'a> {
    pub file: &'a Path,
    /// The scenario's care forms.
    pub forms: &'a [String],
    /// The scenario's municipalities: (name, label).
    pub municipalities: &'a [(String, Option<String>)],
    /// Measure table; None for the embedded default (85097NED).
    pub mapping: Option<&'a Path>,
    /// Region code → municipality; None to match names and labels.
    pub municipality_map: Option<&'a Path>,
    pub referrer: Option<&'a str>,
    pub rounding: Rounding,
}

/// The history CSV text and what went into it.
pub struct Imported {
    pub csv: String,
    pub rows: Vec<Row>,
    pub counts: Counts,
    /// municipality → the CBS region codes that gave it rows
    pub regions: Vec<(String, Vec<String>)>,
    pub skipped_periods: Vec<String>,
    /// Where the measure table and the region map came from.
    pub mapping: String,
    pub regions_origin: String,
}

/// Reads the CBS file and builds the history CSV text.
pub fn cbs(options: &CbsOptions) -> Result<Imported, InputErrors> {
    let names: Vec<String> = options.municipalities.iter().map(|m| m.0.clone()).collect();
    let mapping = match options.mapping {
        Some(path) => mapping::read_mapping(
            &Text::read(path, "measure table", "--mapping")?,
            options.forms,
            false,
        )?,
        None => {
            let text = Text::embedded(mapping::DEFAULT_MAPPING_NAME, mapping::DEFAULT_MAPPING);
            mapping::read_mapping(&text, options.forms, true)?
        }
    };
    let regions = match options.municipality_map {
        Some(path) => {
            let text = Text::read(path, "municipality map", "--municipality-map")?;
            mapping::read_regions(&text, &names)?
        }
        None => mapping::Regions::by_label(options.municipalities),
    };
    let text = Text::read(options.file, "CBS file", "FILE")?;
    let table = read::read(&text, &mapping, &regions)?;
    let settings = build::Settings {
        forms: options.forms,
        municipalities: &names,
        referrer: options.referrer,
        rounding: options.rounding,
    };
    let (rows, counts) = build::rows(&text, &table, &mapping, &settings)?;
    let durations = mapping
        .rules
        .values()
        .any(|r| r.care_form.is_some() && r.quantity == mapping::Quantity::MeanDuration);
    Ok(Imported {
        csv: history_csv(&rows, durations),
        rows,
        counts,
        regions: (table.regions.into_iter())
            .map(|(m, codes)| (m, codes.into_iter().collect()))
            .collect(),
        skipped_periods: table.skipped_periods.into_iter().collect(),
        mapping: mapping.origin,
        regions_origin: regions.origin,
    })
}

/// The history CSV (`calibrate`'s format): counts as exact numbers or
/// `LOW..HIGH` ranges, mean stays to 0.1 day (blank when unknown).
pub fn history_csv(rows: &[Row], durations: bool) -> String {
    let mut out = String::from("year,municipality,care_form,started,ended,in_care_end");
    out.push_str(if durations {
        ",mean_duration_days\n"
    } else {
        "\n"
    });
    for r in rows {
        let _ = write!(
            out,
            "{},{},{},{},{},{}",
            r.year, r.municipality, r.care_form, r.started, r.ended, r.in_care_end
        );
        if durations {
            match r.mean_duration_days {
                Some(d) => {
                    let _ = write!(out, ",{d:.1}");
                }
                None => out.push(','),
            }
        }
        out.push('\n');
    }
    out
}
