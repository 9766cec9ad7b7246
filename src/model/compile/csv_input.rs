//! CSV inputs a scenario refers to: empirical durations and the initial
//! caseload, parsed from the bytes read at load time (no file IO here).
//! Errors name the CSV file, its line and column.

use crate::error::{InputError, Location};
use crate::model::{FormId, InitialClient, InitialStatus, PRIORITY_NAMES, SegmentId};
use crate::scenario::files::Files;
use crate::scenario::validate::MAX_DAYS;
use std::path::Path;

fn csv_location(path: &Path, line: u64, column: usize) -> Location {
    Location {
        file: path.display().to_string(),
        line: line as usize,
        column,
        source_line: String::new(),
    }
}

type Reader<'a> = csv::Reader<&'a [u8]>;

fn open<'a>(files: &'a Files, path: &Path, what: &str) -> Result<Reader<'a>, InputError> {
    let bytes = files.get(&path.to_string_lossy()).map_err(|e| {
        InputError::new(format!("cannot read {what} {}: {e}", path.display()))
            .fix("check the path; it is relative to the scenario file that names it")
    })?;
    crate::scenario::text::utf8(&path.display().to_string(), bytes)?;
    Ok(csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes))
}

fn header_index(reader: &mut Reader<'_>, path: &Path, column: &str) -> Result<usize, InputError> {
    let headers = reader.headers().map_err(|e| {
        InputError::new(format!("cannot read the header of {}: {e}", path.display()))
            .at(csv_location(path, 1, 1))
    })?;
    headers.iter().position(|h| h == column).ok_or_else(|| {
        InputError::new(format!(
            "{} has no column `{column}` (columns: {})",
            path.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        ))
        .at(csv_location(path, 1, 1))
        .fix(format!("add a header line naming a `{column}` column"))
    })
}

/// Reads a column of non-negative durations (days), sorted ascending.
pub fn read_durations(files: &Files, path: &Path, column: &str) -> Result<Vec<f64>, InputError> {
    let mut reader = open(files, path, "empirical duration file")?;
    let index = header_index(&mut reader, path, column)?;
    let mut values = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| malformed(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = record.get(index).unwrap_or("");
        let value: f64 = cell.parse().map_err(|_| {
            InputError::new(format!("`{cell}` is not a number of days"))
                .field(column.to_string())
                .at(csv_location(path, line, index + 1))
                .fix("write each duration as a plain number of days, e.g. 183.5")
        })?;
        if value.is_nan() || !(0.0..=MAX_DAYS).contains(&value) {
            return Err(InputError::new(format!(
                "duration {value} is negative, not finite or above {MAX_DAYS} days"
            ))
            .field(column.to_string())
            .at(csv_location(path, line, index + 1))
            .fix("durations are days, 0 to 36500 (check the unit and the number of digits)"));
        }
        values.push(value);
    }
    if values.is_empty() {
        return Err(
            InputError::new(format!("{} holds no durations", path.display()))
                .at(csv_location(path, 1, 1))
                .fix("add at least one row of observed durations under the header"),
        );
    }
    values.sort_by(f64::total_cmp);
    Ok(values)
}

/// Names the caseload rows refer to, for resolving them to indices.
pub struct CaseloadNames<'a> {
    pub municipalities: &'a [String],
    pub areas: &'a [String],
    pub forms: &'a [String],
    /// segment index of (municipality, area), if that pair exists.
    pub segment: &'a dyn Fn(usize, usize) -> Option<usize>,
    /// [form] youngest age of its age bands (years).
    pub youngest: &'a [f64],
    /// `ageing.hard_exit_age`: nobody is in care at or above it.
    pub hard_exit_age: f64,
}

const CASELOAD_COLUMNS: [&str; 7] = [
    "municipality",
    "area",
    "care_form",
    "priority",
    "age",
    "days",
    "status",
];

/// Reads the initial caseload / waiting list.
pub fn read_caseload(
    files: &Files,
    path: &Path,
    names: &CaseloadNames<'_>,
) -> Result<Vec<InitialClient>, InputError> {
    let mut reader = open(files, path, "initial caseload")?;
    let mut idx = [0usize; 7];
    for (i, col) in CASELOAD_COLUMNS.iter().enumerate() {
        idx[i] = header_index(&mut reader, path, col)?;
    }
    let mut clients = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| malformed(path, &e))?;
        let row = Row {
            line: record.position().map_or(0, |p| p.line()),
            record: &record,
            idx: &idx,
            path,
        };
        clients.push(row.client(names)?);
    }
    Ok(clients)
}

/// A CSV syntax error, located at its line.
fn malformed(path: &Path, e: &csv::Error) -> InputError {
    InputError::new(format!("malformed CSV in {}: {e}", path.display())).at(csv_location(
        path,
        e.position().map_or(1, |p| p.line()),
        1,
    ))
}

/// One caseload row with the column positions of its file.
struct Row<'a> {
    record: &'a csv::StringRecord,
    idx: &'a [usize; 7],
    path: &'a Path,
    line: u64,
}

impl Row<'_> {
    fn cell(&self, c: usize) -> &str {
        self.record.get(self.idx[c]).unwrap_or("")
    }

    fn err(&self, c: usize, msg: String, fix: &str) -> InputError {
        InputError::new(msg)
            .field(CASELOAD_COLUMNS[c].to_string())
            .at(csv_location(self.path, self.line, self.idx[c] + 1))
            .fix(fix.to_string())
    }

    fn lookup(&self, c: usize, list: &[String], what: &str) -> Result<usize, InputError> {
        list.iter().position(|n| n == self.cell(c)).ok_or_else(|| {
            self.err(
                c,
                format!("unknown {what} `{}`", self.cell(c)),
                &format!("use one of: {}", list.join(", ")),
            )
        })
    }

    fn number(&self, c: usize) -> Result<f64, InputError> {
        self.cell(c)
            .parse::<f64>()
            .ok()
            .filter(|v| *v >= 0.0 && v.is_finite())
            .ok_or_else(|| {
                self.err(
                    c,
                    format!("`{}` is not a non-negative number", self.cell(c)),
                    "write a plain number, e.g. 14.5",
                )
            })
    }

    /// The client of this row, checked in column order.
    fn client(&self, names: &CaseloadNames<'_>) -> Result<InitialClient, InputError> {
        let municipality = self.lookup(0, names.municipalities, "municipality")?;
        let area = self.lookup(1, names.areas, "area")?;
        let form = self.lookup(2, names.forms, "care form")?;
        let priority = PRIORITY_NAMES
            .iter()
            .position(|p| *p == self.cell(3))
            .ok_or_else(|| {
                let message = format!("unknown priority `{}`", self.cell(3));
                self.err(3, message, "use crisis, safety or regular")
            })?;
        let age_years = self.number(4)?;
        let (youngest, oldest) = (names.youngest[form], names.hard_exit_age);
        if !(youngest..oldest).contains(&age_years) {
            let message = format!(
                "age {age_years} lies outside {youngest}–{oldest} for `{}` (its youngest age band up to ageing.hard_exit_age)",
                self.cell(2)
            );
            return Err(self.err(
                4,
                message,
                "write the age in years; check the form's age bands and [ageing]",
            ));
        }
        let elapsed_days = self.number(5)?;
        if elapsed_days > MAX_DAYS {
            let message = format!("{elapsed_days} days is above the limit of {MAX_DAYS} days");
            return Err(self.err(
                5,
                message,
                "write the days already spent in care (or waiting)",
            ));
        }
        let status = match self.cell(6) {
            "in_care" => InitialStatus::InCare,
            "waiting" => InitialStatus::Waiting,
            other => {
                let message = format!("unknown status `{other}`");
                return Err(self.err(6, message, "use in_care or waiting"));
            }
        };
        let segment = (names.segment)(municipality, area).ok_or_else(|| {
            let (m, a) = (self.cell(0), self.cell(1));
            self.err(
                1,
                format!("municipality `{m}` has no youth in area `{a}`"),
                "use an area listed for that municipality in the scenario",
            )
        })?;
        Ok(InitialClient {
            segment: SegmentId::of(segment),
            form: FormId::of(form),
            priority: priority as u8,
            age_years,
            elapsed_days,
            status,
        })
    }
}
