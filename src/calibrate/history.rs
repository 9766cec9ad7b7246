//! Observed history to calibrate against: yearly aggregates in the style of
//! CBS Beleidsinformatie Jeugd, one CSV row per year × municipality × care
//! form.
//!
//! Required columns: `year,municipality,care_form,started,ended,in_care_end`
//! (episodes started and ended in the year, clients in care at its end).
//! Optional: `youth_population`, `mean_duration_days` (of the episodes that
//! ended), `cost_eur`, and any number of `transitions_to_<form>` (episodes of
//! this form that ended with a move to `<form>`). Columns may come in any
//! order; an empty `youth_population`, `mean_duration_days` or `cost_eur`
//! cell means "not known". A `transitions_to_<form>` cell may be blank only in
//! a row of `<form>` itself: elsewhere a blank would silently turn those
//! moves into new arrivals, so an unknown count is written as a range.
//!
//! Any numeric cell may be a range `LOW..HIGH` (inclusive; see [`span`]):
//! CBS rounds and suppresses small counts. The point estimates use the
//! middle, the consistency checks ask only that some values inside the
//! ranges agree, and `calibrate` adds the ranges to its uncertainty.
//!
//! Every year × municipality × care form between the first and the last year
//! must have its row: a missing row would read as zero clients. Every problem
//! found is reported with file, line, column, the column name as field and a
//! fix.

mod checks;

use super::span::{self, Span};
use crate::error::{InputError, InputErrors, Location};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The numeric columns, required ones first; `Column::Number` indexes them.
const NUMBERS: [&str; 6] = [
    "started",
    "ended",
    "in_care_end",
    "youth_population",
    "mean_duration_days",
    "cost_eur",
];
const REQUIRED_NUMBERS: usize = 3;
const TRANSITIONS: &str = "transitions_to_";
const MIN_YEARS: usize = 3;
const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

#[derive(Clone, Debug)]
pub struct HistoryRow {
    pub year: i32,
    pub municipality: String,
    pub care_form: String,
    pub started: f64,
    pub ended: f64,
    pub in_care_end: f64,
    pub youth_population: Option<f64>,
    pub mean_duration_days: Option<f64>,
    pub cost_eur: Option<f64>,
    /// target form → count, from `transitions_to_<form>` columns
    pub transitions: BTreeMap<String, f64>,
    /// The ranges of the counts above (which are their middles).
    pub spans: Spans,
    /// 1-based line in the file (for messages)
    pub line: usize,
}

/// The ranges of a row's counts; a plain number is a range of width 0.
#[derive(Clone, Debug)]
pub struct Spans {
    pub started: Span,
    pub ended: Span,
    pub in_care_end: Span,
    pub transitions: BTreeMap<String, Span>,
}

impl Spans {
    /// True when every count is known exactly.
    pub fn exact(&self) -> bool {
        [self.started, self.ended, self.in_care_end]
            .iter()
            .chain(self.transitions.values())
            .all(Span::is_exact)
    }
}

#[derive(Clone, Debug)]
pub struct History {
    pub file: String,
    pub rows: Vec<HistoryRow>,
    /// distinct years, ascending
    pub years: Vec<i32>,
}

/// What a header column holds; `Number(i)` indexes `NUMBERS`.
#[derive(Clone, Debug)]
enum Column {
    Year,
    Municipality,
    CareForm,
    Number(usize),
    Transition(String),
}

/// Reads and validates a history file against the care forms and
/// municipalities of the base scenario.
pub fn read_history(
    path: &Path,
    forms: &[String],
    municipalities: &[String],
) -> Result<History, InputErrors> {
    let file = path.display().to_string();
    let fail = |e: InputError| Err(InputErrors(vec![e]));
    let bytes = match crate::limits::read_input(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let msg = format!("cannot read history file {file}: {e}");
            return fail(
                InputError::new(msg)
                    .in_file(path)
                    .fix("check the path of the history file"),
            );
        }
    };
    let text = match crate::scenario::text::utf8(&file, &bytes) {
        Ok(text) => text,
        Err(e) => return fail(e),
    };
    if text.trim().is_empty() {
        let columns: Vec<&str> = required().collect();
        let fix = format!(
            "write a header line `{}` and one row per year, municipality and care form",
            columns.join(",")
        );
        return fail(
            InputError::new(format!("history file {file} is empty"))
                .in_file(path)
                .fix(fix),
        );
    }
    let mut reader = Reader {
        file,
        text,
        forms,
        municipalities,
        errors: Vec::new(),
    };
    let history = reader.read();
    let mut errors = reader.errors;
    if errors.is_empty() {
        return Ok(history);
    }
    errors.sort_by_key(|e| e.location.as_ref().map(|l| (l.line, l.column)));
    Err(InputErrors(errors))
}

/// The first row of the first year up to `until` whose youth population is
/// given but 0 in every row: arrival rates per 1,000 youth cannot be fitted.
pub fn zero_youth(history: &History, until: i32) -> Option<&HistoryRow> {
    history
        .years
        .iter()
        .filter(|&&y| y <= until)
        .find_map(|&y| {
            let mut rows = history.rows.iter().filter(|r| r.year == y);
            let given = rows.clone().any(|r| r.youth_population.is_some());
            let positive = rows
                .clone()
                .any(|r| r.youth_population.unwrap_or(0.0) > 0.0);
            (given && !positive).then(|| rows.next()).flatten()
        })
}

/// Sums of the rows of one year and care form over all municipalities (None
/// for the optional columns if any row lacks them). `municipality` is empty,
/// `line` is that of the first row, `mean_duration_days` is the mean weighted
/// by `ended` (a plain mean if nothing ended) and a transition target is kept
/// only if every row has it. None if no row matches.
pub fn totals(history: &History, year: i32, care_form: &str) -> Option<HistoryRow> {
    let rows: Vec<&HistoryRow> = history
        .rows
        .iter()
        .filter(|r| r.year == year && r.care_form == care_form)
        .collect();
    let first = rows.first()?;
    let sum = |f: &dyn Fn(&HistoryRow) -> f64| rows.iter().map(|r| f(r)).sum::<f64>();
    let all = |f: fn(&HistoryRow) -> Option<f64>| rows.iter().all(|r| f(r).is_some());
    let opt = |f: fn(&HistoryRow) -> Option<f64>| all(f).then(|| sum(&|r| f(r).unwrap_or(0.0)));
    let ended = sum(&|r| r.ended);
    let duration = |r: &HistoryRow| r.mean_duration_days.unwrap_or(0.0);
    let mean_duration_days = all(|r| r.mean_duration_days).then(|| match ended > 0.0 {
        true => sum(&|r| duration(r) * r.ended) / ended,
        false => sum(&duration) / rows.len() as f64,
    });
    let transitions = (first.transitions.keys())
        .filter_map(|t| {
            let count: Option<f64> = rows.iter().map(|r| r.transitions.get(t).copied()).sum();
            Some((t.clone(), count?))
        })
        .collect();
    let span_sum = |f: &dyn Fn(&Spans) -> Span| rows.iter().map(|r| f(&r.spans)).sum::<Span>();
    let spans = Spans {
        started: span_sum(&|s| s.started),
        ended: span_sum(&|s| s.ended),
        in_care_end: span_sum(&|s| s.in_care_end),
        transitions: (first.spans.transitions.keys())
            .filter_map(|t| {
                let count: Option<Span> = rows
                    .iter()
                    .map(|r| r.spans.transitions.get(t).copied())
                    .sum();
                Some((t.clone(), count?))
            })
            .collect(),
    };
    Some(HistoryRow {
        year,
        municipality: String::new(),
        care_form: care_form.to_string(),
        started: sum(&|r| r.started),
        ended,
        in_care_end: sum(&|r| r.in_care_end),
        youth_population: opt(|r| r.youth_population),
        mean_duration_days,
        cost_eur: opt(|r| r.cost_eur),
        transitions,
        spans,
        line: rows.iter().map(|r| r.line).min().unwrap_or(first.line),
    })
}

struct Reader<'a> {
    file: String,
    text: &'a str,
    forms: &'a [String],
    municipalities: &'a [String],
    errors: Vec<InputError>,
}

impl Reader<'_> {
    /// Location of field `index` of the record starting at byte `offset`
    /// (csv puts a record after blank lines at the first of them).
    fn at(&self, offset: usize, index: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset +=
            self.text[offset..].len() - self.text[offset..].trim_start_matches(['\n', '\r']).len();
        let mut loc = Location::from_offset(&self.file, self.text, offset);
        loc.column = field_column(&loc.source_line, index);
        loc
    }

    fn error(&mut self, at: (usize, usize), field: &str, message: String, fix: impl Into<String>) {
        let loc = self.at(at.0, at.1);
        let mut error = InputError::new(message).at(loc).fix(fix);
        if !field.is_empty() {
            error = error.field(field);
        }
        self.errors.push(error);
    }

    fn read(&mut self) -> History {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut history = History {
            file: self.file.clone(),
            rows: Vec::new(),
            years: Vec::new(),
        };
        let header = match csv.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                let msg = format!("cannot read the header of {}: {e}", self.file);
                self.error((0, 0), "", msg, "write a plain CSV header line");
                return history;
            }
        };
        let header_at = header.position().map_or(0, |p| p.byte() as usize);
        let Some(columns) = self.columns(&header, header_at) else {
            return history;
        };
        let find = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
        let (year_index, ended_index) = (find("year"), find("ended"));
        let data = self.data_rows(&mut csv, &columns, &header, year_index);
        if data.count == 0 {
            let msg = format!("history file {} has a header but no rows", self.file);
            let fix = "add one row per year, municipality and care form";
            self.error((header_at, 0), "", msg, fix);
            return history;
        }
        history.rows = data.rows;
        self.check_flows(&history.rows, &data.offsets, ended_index);
        self.check_complete(&history.rows, &data.offsets, year_index);
        history.years = data.years.into_iter().filter(|y| in_range(*y)).collect();
        if history.years.len() < MIN_YEARS {
            let list: Vec<String> = history.years.iter().map(i32::to_string).collect();
            let msg = format!(
                "the history covers {} distinct year(s) ({}); a trend needs at least {MIN_YEARS} years",
                history.years.len(),
                list.join(", ")
            );
            let fix = format!("add rows for at least {MIN_YEARS} different years");
            self.error((header_at, year_index), "year", msg, fix);
        }
        history
    }

    /// Reads the data rows after the header, pushing an error per bad row.
    fn data_rows(
        &mut self,
        csv: &mut csv::Reader<&[u8]>,
        columns: &[Column],
        header: &csv::StringRecord,
        year_index: usize,
    ) -> DataRows {
        let mut keys: HashMap<(i32, String, String), usize> = HashMap::new();
        let mut data = DataRows::default();
        let mut record = csv::StringRecord::new();
        loop {
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let at = e.position().map_or(0, |p| p.byte() as usize);
                    let msg = format!("malformed CSV in {}: {e}", self.file);
                    self.error((at, 0), "", msg, "check the quotes of this line");
                    break;
                }
            }
            if record.iter().all(str::is_empty) {
                continue;
            }
            data.count += 1;
            let offset = record.position().map_or(0, |p| p.byte() as usize);
            if record.len() != columns.len() {
                let msg = format!(
                    "this row has {} fields but the header has {}",
                    record.len(),
                    columns.len()
                );
                let fix = "give every row one value per header column (leave unknown optional values empty)";
                self.error((offset, 0), "", msg, fix);
                continue;
            }
            if let Some(row) = self.row(columns, header, &record, offset, &mut keys) {
                data.years.insert(row.year);
                data.offsets.push(offset);
                data.rows.push(row);
            } else if let Some(year) = record.get(year_index).and_then(|y| y.parse().ok()) {
                data.years.insert(year);
            }
        }
        data
    }

    /// Classifies the header; None (with errors pushed) if it is unusable.
    fn columns(&mut self, header: &csv::StringRecord, at: usize) -> Option<Vec<Column>> {
        let before = self.errors.len();
        let mut columns = Vec::new();
        for (i, name) in header.iter().enumerate() {
            if header.iter().take(i).any(|h| h == name) {
                let msg = format!("column `{name}` appears twice in the header");
                self.error((at, i), name, msg, "remove one of the two");
            }
            let column = match name {
                "year" => Column::Year,
                "municipality" => Column::Municipality,
                "care_form" => Column::CareForm,
                _ => match NUMBERS.iter().position(|n| *n == name) {
                    Some(n) => Column::Number(n),
                    None => match name.strip_prefix(TRANSITIONS) {
                        Some(target) if self.forms.iter().any(|f| f == target) => {
                            Column::Transition(target.to_string())
                        }
                        Some(target) => {
                            let msg = format!("`{name}` names unknown care form `{target}`");
                            let fix = format!("known care forms: {}", self.forms.join(", "));
                            self.error((at, i), name, msg, fix);
                            continue;
                        }
                        None => {
                            let msg = format!("unknown column `{name}` in the history header");
                            let fix = format!(
                                "accepted columns: year, municipality, care_form, {}, {TRANSITIONS}<care form>",
                                NUMBERS.join(", ")
                            );
                            self.error((at, i), name, msg, fix);
                            continue;
                        }
                    },
                },
            };
            columns.push(column);
        }
        let missing: Vec<&str> = required()
            .filter(|r| !header.iter().any(|h| h == *r))
            .collect();
        if !missing.is_empty() {
            let msg = format!("the history header lacks column(s) {}", missing.join(", "));
            let all = required().collect::<Vec<_>>().join(",");
            let fix = format!("the header needs at least: {all}");
            self.error((at, 0), &missing.join(", "), msg, fix);
        }
        (self.errors.len() == before).then_some(columns)
    }

    /// Parses one data row; None (with errors pushed) if any cell is bad.
    fn row(
        &mut self,
        columns: &[Column],
        header: &csv::StringRecord,
        record: &csv::StringRecord,
        offset: usize,
        keys: &mut HashMap<(i32, String, String), usize>,
    ) -> Option<HistoryRow> {
        let before = self.errors.len();
        let line = self.at(offset, 0).line;
        let (mut year, mut municipality, mut care_form) = (None, None, None);
        let mut numbers: [Option<Span>; 6] = [None; 6];
        let mut transitions = BTreeMap::new();
        let mut blank = Vec::new();
        for (i, column) in columns.iter().enumerate() {
            let (cell, name, at) = (record.get(i).unwrap_or(""), &header[i], (offset, i));
            match column {
                Column::Year => year = self.year(cell, at),
                Column::Municipality => {
                    municipality = self.name(cell, at, name, self.municipalities, "municipality")
                }
                Column::CareForm => care_form = self.name(cell, at, name, self.forms, "care form"),
                Column::Number(n) if cell.is_empty() && *n >= REQUIRED_NUMBERS => {}
                Column::Number(n) => numbers[*n] = self.number(cell, at, name),
                Column::Transition(target) if cell.is_empty() => blank.push((target, i)),
                Column::Transition(target) => {
                    if let Some(v) = self.number(cell, at, name) {
                        transitions.insert(target.clone(), v);
                    }
                }
            }
        }
        let (year, municipality, care_form) = (year?, municipality?, care_form?);
        for (_, i) in blank.into_iter().filter(|(t, _)| **t != care_form) {
            let msg = format!(
                "`{}` is blank for {year}, {municipality}, {care_form}: a blank would count those moves as new arrivals",
                &header[i]
            );
            let fix = "write the count (0 if none moved), or a range such as 0..40 when it is not known exactly";
            self.error((offset, i), &header[i], msg, fix);
        }
        let key = (year, municipality.clone(), care_form.clone());
        if let Some(first) = keys.get(&key) {
            let msg = format!(
                "duplicate row for {year}, {municipality}, {care_form} (first on line {first})"
            );
            let fix = "keep one row per year, municipality and care form";
            let year_index = columns.iter().position(|c| matches!(c, Column::Year));
            self.error((offset, year_index.unwrap_or(0)), "year", msg, fix);
        } else {
            keys.insert(key, line);
        }
        if self.errors.len() > before {
            return None;
        }
        let spans = Spans {
            started: numbers[0]?,
            ended: numbers[1]?,
            in_care_end: numbers[2]?,
            transitions,
        };
        let mid = |n: usize| numbers[n].map(|s| s.mid());
        Some(HistoryRow {
            year,
            municipality,
            care_form,
            started: spans.started.mid(),
            ended: spans.ended.mid(),
            in_care_end: spans.in_care_end.mid(),
            youth_population: mid(3),
            mean_duration_days: mid(4),
            cost_eur: mid(5),
            transitions: (spans.transitions.iter())
                .map(|(t, s)| (t.clone(), s.mid()))
                .collect(),
            spans,
            line,
        })
    }

    fn year(&mut self, cell: &str, at: (usize, usize)) -> Option<i32> {
        let msg = match cell.parse::<i32>() {
            Ok(y) if in_range(y) => return Some(y),
            Ok(y) => format!("year {y} is outside {FIRST_YEAR}–{LAST_YEAR}"),
            Err(_) => format!("`{cell}` is not a year"),
        };
        self.error(at, "year", msg, "write the calendar year, e.g. 2021");
        None
    }

    fn name(
        &mut self,
        cell: &str,
        at: (usize, usize),
        field: &str,
        known: &[String],
        what: &str,
    ) -> Option<String> {
        if known.iter().any(|k| k == cell) {
            return Some(cell.to_string());
        }
        let msg = format!("unknown {what} `{cell}`: the base scenario has no such {what}");
        let fix = format!("use one of: {}", known.join(", "));
        self.error(at, field, msg, fix);
        None
    }

    fn number(&mut self, cell: &str, at: (usize, usize), field: &str) -> Option<Span> {
        let max = largest(field);
        let problem = match span::parse(cell, max) {
            Ok(span) => return Some(span),
            Err(span::Problem::TooLarge(max)) => format!(
                "`{field}` = {cell} is implausibly large (at most {max:e}); the fitted scenario would be refused"
            ),
            Err(span::Problem::Negative) => format!("`{field}` is negative ({cell})"),
            Err(span::Problem::NotFinite) => format!("`{field}` is not a finite number ({cell})"),
            Err(span::Problem::Empty) if cell.is_empty() => format!("`{field}` is empty"),
            Err(span::Problem::Empty) => format!("`{cell}` is a range with a bound missing"),
            Err(span::Problem::Reversed) => {
                format!("`{field}` = {cell} is a range whose low end lies above its high end")
            }
            Err(span::Problem::NotANumber) => format!("`{cell}` is not a number"),
        };
        let fix = "write a plain number of 0 or more, e.g. 120 or 37.5 (no thousands separators), or a range LOW..HIGH such as 30..39 when only that is known";
        self.error(at, field, problem, fix);
        None
    }
}

/// What the data rows gave: the valid rows with their byte offsets, every
/// year seen (also on invalid rows) and the number of non-blank rows.
#[derive(Default)]
struct DataRows {
    rows: Vec<HistoryRow>,
    offsets: Vec<usize>,
    years: BTreeSet<i32>,
    count: usize,
}

fn required() -> impl Iterator<Item = &'static str> {
    ["year", "municipality", "care_form"]
        .into_iter()
        .chain(NUMBERS[..REQUIRED_NUMBERS].iter().copied())
}

fn in_range(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// 1-based character column where field `index` starts in a CSV `line`.
fn field_column(line: &str, index: usize) -> usize {
    crate::import::field_column(line, index, ',')
}

/// The largest value a history cell may hold: ten times the Dutch population
/// for counts, the scenario's bound for amounts and stays. Beyond these the
/// fitted scenario could not be valid, so the cell is refused where it is.
fn largest(field: &str) -> f64 {
    match field {
        "cost_eur" => 1e12,
        "mean_duration_days" => crate::calendar::DAYS_PER_YEAR * 100.0,
        _ => 1e8,
    }
}
