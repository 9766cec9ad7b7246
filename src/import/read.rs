//! Reads a CSV of a CBS StatLine table in either layout the open data
//! service gives: wide (OData v3 `TypedDataSet`: `ID`, one column per
//! dimension, one per measure key) or long (OData v4 `Observations`: `Id`,
//! `Measure`, one column per dimension, `Value`). Only the yearly rows
//! (`2021JJ00`) of the mapped regions and measures are kept.

use super::cells::{self, Cell};
use super::csvtext::{Text, offset};
use super::mapping::{Mapping, Regions};
use crate::error::{InputError, InputErrors};
use std::collections::{BTreeMap, BTreeSet};

/// One published cell that the import uses.
pub struct Obs {
    pub year: i32,
    pub municipality: String,
    pub region: String,
    pub referrer: String,
    /// (measure, form): the key of its rule in the mapping.
    pub rule: (String, String),
    pub cell: Cell,
    /// (record offset, field index), for messages.
    pub at: (usize, usize),
}

#[derive(Default)]
pub struct Table {
    pub delimiter: u8,
    pub obs: Vec<Obs>,
    /// Periods other than years (half years), not imported.
    pub skipped_periods: BTreeSet<String>,
    /// Regions the map does not name (the country, provinces, other
    /// municipalities), not imported.
    pub skipped_regions: usize,
    /// municipality → the region codes that gave it rows
    pub regions: BTreeMap<String, BTreeSet<String>>,
    pub header_at: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Col {
    Skip,
    Period,
    Region,
    Referrer,
    Form,
    Measure,
    Value,
    Mapped,
}

const LAYOUT_FIX: &str = "export the table from the CBS open data service: wide (ID,VerwijzerJeugdzorg,RegioS,Perioden,<measure keys>) or long (Id,Measure,VerwijzerJeugdzorg,RegioS,Perioden,Value)";

pub fn read(text: &Text, mapping: &Mapping, regions: &Regions) -> Result<Table, InputErrors> {
    let delimiter = text.delimiter();
    let mut csv = text.reader(delimiter, false);
    let header = csv.headers().cloned().map_err(|e| {
        let msg = format!("cannot read the header of {}: {e}", text.file);
        InputErrors(vec![text.error((0, 0), delimiter, "", msg, LAYOUT_FIX)])
    })?;
    let header_at = header.position().map_or(0, |p| p.byte() as usize);
    let cols = classify(text, &header, mapping, delimiter, header_at)?;
    let mut reading = Reading {
        table: Table {
            delimiter,
            header_at,
            ..Table::default()
        },
        errors: Vec::new(),
        seen: BTreeMap::new(),
    };
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                let msg = format!("malformed CSV in {}: {e}", text.file);
                let fix = "check the quotes of this line";
                reading
                    .errors
                    .push(text.error((at, 0), delimiter, "", msg, fix));
                break;
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let at = offset(&record);
        let row = Row {
            text,
            cols: &cols,
            header: &header,
            record: &record,
            at,
            delimiter,
        };
        reading.row(&row, mapping, regions);
    }
    match reading.errors.is_empty() {
        true => Ok(reading.table),
        false => Err(InputErrors(reading.errors)),
    }
}

/// The table so far, the errors found and the cells seen (key → byte
/// offset of its row; the line is found only for a message).
struct Reading {
    table: Table,
    errors: Vec<InputError>,
    seen: BTreeMap<(i32, String, String, (String, String)), usize>,
}

impl Reading {
    fn row(&mut self, row: &Row, mapping: &Mapping, regions: &Regions) {
        let (text, delimiter) = (row.text, row.delimiter);
        if row.record.len() != row.cols.len() {
            let (n, m) = (row.record.len(), row.cols.len());
            let msg = format!("this row has {n} fields but the header has {m}");
            let fix = "give every row one value per header column (an unknown value is `.`)";
            self.errors
                .push(text.error((row.at, 0), delimiter, "", msg, fix));
            return;
        }
        let obs = match row.observations(mapping, regions, &mut self.table) {
            Ok(obs) => obs,
            Err(mut e) => return self.errors.append(&mut e),
        };
        for o in obs {
            let key = (o.year, o.region.clone(), o.referrer.clone(), o.rule.clone());
            if let Some(&first) = self.seen.get(&key) {
                let first = text.at(first, 0, delimiter).line;
                let msg = format!(
                    "a second value for {} {} in {} (first on line {first})",
                    o.rule.0, o.region, o.year
                );
                let fix = "keep one row per period, region, referrer and measure";
                self.errors
                    .push(text.error(o.at, delimiter, &o.rule.0, msg, fix));
            } else {
                self.seen.insert(key, row.at);
                self.table.obs.push(o);
            }
        }
    }
}

/// What each header column holds; errors if the layout is not one of the two.
fn classify(
    text: &Text,
    header: &csv::StringRecord,
    mapping: &Mapping,
    delimiter: u8,
    at: usize,
) -> Result<Vec<Col>, InputErrors> {
    let long = header.iter().any(|h| h == "Measure") && header.iter().any(|h| h == "Value");
    let cols: Vec<Col> = (header.iter())
        .map(|h| match h {
            "ID" | "Id" | "ValueAttribute" | "StringValue" => Col::Skip,
            "Perioden" | "Periods" => Col::Period,
            "Measure" if long => Col::Measure,
            "Value" if long => Col::Value,
            h if h.starts_with("Regio") => Col::Region,
            h if h.starts_with("Verwijzer") => Col::Referrer,
            h if !long && mapping.is_measure(h) => Col::Mapped,
            h if !long && is_measure_key(h) => Col::Skip,
            _ => Col::Form,
        })
        .collect();
    let problem = (missing_columns(text, &cols, header, mapping, long))
        .or_else(|| form_problem(&cols, header, mapping));
    match problem {
        None => Ok(cols),
        Some(Problem {
            index,
            field,
            msg,
            fix,
        }) => Err(InputErrors(vec![text.error(
            (at, index),
            delimiter,
            &field,
            msg,
            fix,
        )])),
    }
}

/// What is wrong with the header: at column `index`, naming `field`.
struct Problem {
    index: usize,
    field: String,
    msg: String,
    fix: String,
}

/// `Perioden`, `RegioS` and (wide) every mapped measure must be columns.
fn missing_columns(
    text: &Text,
    cols: &[Col],
    header: &csv::StringRecord,
    mapping: &Mapping,
    long: bool,
) -> Option<Problem> {
    for (need, name) in [(Col::Period, "Perioden"), (Col::Region, "RegioS")] {
        if !cols.contains(&need) {
            let msg = format!(
                "{} has no `{name}` column: not a CBS StatLine table export",
                text.file
            );
            return Some(Problem {
                index: 0,
                field: name.into(),
                msg,
                fix: LAYOUT_FIX.into(),
            });
        }
    }
    let missing: Vec<&str> = (mapping.rules.values())
        .filter(|r| !long && r.care_form.is_some() && !header.iter().any(|h| h == r.measure))
        .map(|r| r.measure.as_str())
        .collect();
    let first = missing.first()?;
    let msg = format!(
        "{} of the measure keys in {} are not columns of this file (first: {first}; all: {})",
        missing.len(),
        mapping.origin,
        missing.join(", ")
    );
    let fix = "give --mapping FILE naming this file's measure keys (from the table's DataProperties: Key, Title)";
    Some(Problem {
        index: 0,
        field: "measure".into(),
        msg,
        fix: fix.into(),
    })
}

/// At most one form-of-care dimension, and only with a table that names
/// its codes (and the other way round).
fn form_problem(cols: &[Col], header: &csv::StringRecord, mapping: &Mapping) -> Option<Problem> {
    let forms: Vec<usize> = (0..cols.len()).filter(|&i| cols[i] == Col::Form).collect();
    let named = |i: usize, msg: String, fix: &str| {
        Some(Problem {
            index: i,
            field: header[i].to_string(),
            msg,
            fix: fix.into(),
        })
    };
    if forms.len() > 1 {
        let names: Vec<&str> = forms.iter().map(|&i| &header[i]).collect();
        let msg = format!(
            "more than one unknown dimension column: {}",
            names.join(", ")
        );
        let fix = "keep one form-of-care dimension (the 2015-2020 generation) or none (85097NED)";
        return named(forms[1], msg, fix);
    }
    match (forms.first(), mapping.uses_form_dimension()) {
        (Some(&i), false) => {
            let msg = format!(
                "column `{}` looks like a form-of-care dimension, but the measure table {} has no `form` values",
                &header[i], mapping.origin
            );
            let fix = "give --mapping with a `form` column that names this column's codes (see examples/cbs-mapping-2015-2020.csv)";
            named(i, msg, fix)
        }
        (None, true) => {
            let msg = format!(
                "the measure table {} names form codes, but the file has no form-of-care column",
                mapping.origin
            );
            let fix = "leave the `form` column of the measure table empty for 85097NED";
            Some(Problem {
                index: 0,
                field: "form".into(),
                msg,
                fix: fix.into(),
            })
        }
        _ => None,
    }
}

/// `Title_12`: a CBS OData-v3 measure key.
fn is_measure_key(h: &str) -> bool {
    h.rsplit_once('_').is_some_and(|(stem, n)| {
        !stem.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The year of a yearly period (`2021JJ00`, or `2021` / `2021*` as StatLine
/// writes titles); Ok(None) for a shorter CBS period (`2021HJ01`, `KW`, `MM`).
pub fn year(period: &str) -> Result<Option<i32>, String> {
    let p = period.trim();
    let cut = p.len().min(4);
    if !p.is_char_boundary(cut) {
        return Err(format!("`{p}` is not a CBS period code (e.g. 2021JJ00)"));
    }
    let (digits, rest) = p.split_at(cut);
    let year = match digits.parse::<i32>() {
        Ok(y) if digits.len() == 4 && (1900..=2200).contains(&y) => y,
        _ => return Err(format!("`{p}` is not a CBS period code (e.g. 2021JJ00)")),
    };
    match rest {
        "JJ00" | "" | "*" | "**" => Ok(Some(year)),
        r if r.len() == 4 && r.is_ascii() && r[2..].bytes().all(|b| b.is_ascii_digit()) => Ok(None),
        _ => Err(format!("`{p}` is not a CBS period code (e.g. 2021JJ00)")),
    }
}

struct Row<'a> {
    text: &'a Text,
    cols: &'a [Col],
    header: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
    at: usize,
    delimiter: u8,
}

impl Row<'_> {
    fn get(&self, col: Col) -> Option<(usize, &str)> {
        let i = self.cols.iter().position(|c| *c == col)?;
        Some((i, self.record.get(i).unwrap_or("").trim()))
    }

    /// (field index, measure) of the cells this row holds: the one `Value`
    /// of a long row, or every mapped column of a wide one.
    fn measure_cells(&self) -> Vec<(usize, String)> {
        match self.get(Col::Measure) {
            Some((_, measure)) => {
                let value = self.get(Col::Value).map_or(0, |(i, _)| i);
                vec![(value, measure.to_string())]
            }
            None => (0..self.cols.len())
                .filter(|&i| self.cols[i] == Col::Mapped)
                .map(|i| (i, self.header[i].to_string()))
                .collect(),
        }
    }

    fn error(&self, i: usize, msg: String, fix: &str) -> InputError {
        self.text
            .error((self.at, i), self.delimiter, &self.header[i], msg, fix)
    }

    /// The observations this row gives (none for a skipped period or region).
    fn observations(
        &self,
        mapping: &Mapping,
        regions: &Regions,
        table: &mut Table,
    ) -> Result<Vec<Obs>, Vec<InputError>> {
        let (pi, period) = self.get(Col::Period).unwrap_or((0, ""));
        let fix = "write the period as CBS does: 2021JJ00 for a year";
        let year = match year(period) {
            Ok(Some(y)) => y,
            Ok(None) => {
                table.skipped_periods.insert(period.to_string());
                return Ok(Vec::new());
            }
            Err(e) => return Err(vec![self.error(pi, e, fix)]),
        };
        let (_, region) = self.get(Col::Region).unwrap_or((0, ""));
        let Some(municipality) = regions.get(region) else {
            table.skipped_regions += 1;
            return Ok(Vec::new());
        };
        table
            .regions
            .entry(municipality.clone())
            .or_default()
            .insert(region.to_string());
        let referrer = self.get(Col::Referrer).map_or("", |(_, r)| r).to_string();
        let form = self.get(Col::Form).map_or("", |(_, f)| f).to_string();
        let cells = self.measure_cells();
        let mut obs = Vec::new();
        let mut errors = Vec::new();
        for (i, measure) in cells {
            let rule = (measure, form.clone());
            let imported = mapping.rules.get(&rule).and_then(|r| r.care_form.as_ref());
            if imported.is_none() {
                continue;
            }
            match cells::parse(self.record.get(i).unwrap_or("")) {
                Ok(cell) => obs.push(Obs {
                    year,
                    municipality: municipality.clone(),
                    region: region.to_string(),
                    referrer: referrer.clone(),
                    rule,
                    cell,
                    at: (self.at, i),
                }),
                Err(e) => {
                    errors.push(self.error(i, e, "write a count, or `.` where CBS suppressed it"))
                }
            }
        }
        if errors.is_empty() {
            Ok(obs)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(year("2021JJ00"), Ok(Some(2021)));
        assert_eq!(year(" 2022* "), Ok(Some(2022)));
        assert_eq!(year("2023HJ01"), Ok(None));
        assert_eq!(year("2023KW02"), Ok(None));
        assert!(year("21JJ00").is_err());
        assert!(year("2021-01").is_err());
        assert!(year("").is_err());
        assert!(year("20é1JJ00").is_err());
    }

    #[test]
    fn measure_keys() {
        assert!(is_measure_key("TotaalBegonnenTrajecten_2"));
        assert!(!is_measure_key("VormenVanJeugdhulp"));
        assert!(!is_measure_key("_2"));
        assert!(!is_measure_key("A_"));
    }
}
