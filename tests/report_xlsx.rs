//! `report.xlsx` from a real result folder: every number of the feasibility
//! and region-per-year sheets is a numeric cell equal to the CSV it came
//! from, and the sheets are named in the report's language.

use crate::util::binary;
use calamine::{Data, Range, Reader, open_workbook_auto};
use jeugdstroom::report::Lang;
use jeugdstroom::report::xlsx::{FEASIBILITY, METRICS, write_workbook};
use std::collections::HashMap;
use std::path::Path;

/// A result folder of the embedded default scenario (3 replications).
fn result_folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut cmd = binary();
    cmd.args(["run", "--replications", "3", "--quiet", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    tmp
}

/// A CSV file as rows of (header → text).
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("csv opens");
    let headers = reader.headers().expect("csv header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("csv row");
            headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn sheets(
    path: &Path,
) -> (
    Vec<String>,
    calamine::Sheets<std::io::BufReader<std::fs::File>>,
) {
    let book = open_workbook_auto(path).expect("workbook opens");
    (book.sheet_names(), book)
}

fn cell(range: &Range<Data>, row: usize, col: usize) -> Data {
    range.get((row, col)).cloned().unwrap_or(Data::Empty)
}

/// The value of a cell that must be numeric (never a number stored as text).
fn number(data: &Data, what: &str) -> f64 {
    match data {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{what}: {other:?} is not a numeric cell"),
    }
}

fn text(data: &Data, what: &str) -> String {
    match data {
        Data::String(s) => s.clone(),
        other => panic!("{what}: {other:?} is not a text cell"),
    }
}

/// Compares a sheet cell with the CSV text it came from (empty stays empty).
fn assert_same(data: &Data, csv: &str, what: &str) {
    if csv.is_empty() {
        assert_eq!(*data, Data::Empty, "{what}: the CSV cell is empty");
        return;
    }
    let (got, want): (f64, f64) = (number(data, what), csv.parse().expect("CSV number"));
    let tolerance = 1e-6 * got.abs().max(want.abs());
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: sheet {got}, CSV {want}"
    );
}

#[test]
fn feasibility_and_region_sheets_hold_the_csv_numbers() {
    let dir = result_folder();
    let dir = dir.path();
    let out = dir.join("report.xlsx");
    write_workbook(dir, &out, Lang::Nl).expect("workbook written");
    assert!(!dir.join(".report.xlsx.tmp").exists(), "temp file left");
    let (_, mut book) = sheets(&out);
    feasibility_sheet_holds_the_csv(dir, &mut book);
    let years = region_sheet_holds_the_summary(dir, &mut book);
    copied_sheets_hold_numbers(dir, &mut book, years);
    about_sheet_holds_the_provenance(dir, &mut book);
}

type Book = calamine::Sheets<std::io::BufReader<std::fs::File>>;

fn feasibility_sheet_holds_the_csv(dir: &Path, book: &mut Book) {
    // Feasibility: the same rows as the CSV, matched by year, scope and name.
    let csv = read_csv(&dir.join("feasibility.csv"));
    let by_key: HashMap<(String, String, String), &HashMap<String, String>> = csv
        .iter()
        .map(|r| {
            (
                (r["year"].clone(), r["scope"].clone(), r["name"].clone()),
                r,
            )
        })
        .collect();
    let sheet = book
        .worksheet_range("Haalbaarheid")
        .expect("feasibility sheet");
    assert_eq!(sheet.height(), csv.len() + 1, "one sheet row per CSV row");
    let header: Vec<String> = (0..sheet.width())
        .map(|c| text(&cell(&sheet, 0, c), "header"))
        .collect();
    let columns: Vec<(usize, &str)> = FEASIBILITY
        .iter()
        .map(|(key, _, nl)| {
            (
                header
                    .iter()
                    .position(|h| h == nl)
                    .unwrap_or_else(|| panic!("no column {nl}")),
                *key,
            )
        })
        .collect();
    let mut compared = 0;
    for r in 1..sheet.height() {
        let year = number(&cell(&sheet, r, 0), "year");
        let key = (
            format!("{year}"),
            text(&cell(&sheet, r, 1), "scope"),
            text(&cell(&sheet, r, 2), "name"),
        );
        let row = by_key
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} is not in feasibility.csv"));
        for &(c, name) in &columns {
            assert_same(
                &cell(&sheet, r, c),
                &row[name],
                &format!("Haalbaarheid {key:?} {name}"),
            );
            compared += 1;
        }
    }
    assert_eq!(compared, csv.len() * FEASIBILITY.len());
}

/// Returns the number of years.
fn region_sheet_holds_the_summary(dir: &Path, book: &mut Book) -> usize {
    // Region per year: the mean (cost also P5, P95) of every listed metric.
    let summary = read_csv(&dir.join("summary.csv"));
    let region: HashMap<(String, String), &HashMap<String, String>> = summary
        .iter()
        .filter(|r| {
            ["municipality", "area", "provider", "care_form"]
                .iter()
                .all(|c| r[*c] == "all")
        })
        .map(|r| ((r["year"].clone(), r["metric"].clone()), r))
        .collect();
    let mut years: Vec<&String> = region.keys().map(|(y, _)| y).collect();
    years.sort();
    years.dedup();
    let sheet = book
        .worksheet_range("Regio per jaar")
        .expect("region sheet");
    assert_eq!(sheet.height(), years.len() + 1, "one sheet row per year");
    assert_eq!(text(&cell(&sheet, 0, 0), "header"), "Jaar");
    let mut columns = Vec::new(); // (column, metric, statistic)
    for c in 1..sheet.width() {
        let header = text(&cell(&sheet, 0, c), "header");
        let found = METRICS.iter().find_map(|(key, _, nl, on_region, _)| {
            let stat = [("", "mean"), (" P5", "p05"), (" P95", "p95")]
                .into_iter()
                .find(|(suffix, _)| header == format!("{nl}{suffix}"))?;
            on_region.then_some((c, *key, stat.1))
        });
        columns.push(found.unwrap_or_else(|| panic!("unknown region column {header}")));
    }
    for (key, _, _, on_region, _) in METRICS {
        let in_csv = region.keys().any(|(_, m)| *m == key.name());
        assert_eq!(
            on_region && in_csv,
            columns.iter().any(|c| c.1 == key),
            "column for {}",
            key.name()
        );
    }
    assert!(columns.len() >= 8, "region columns: {columns:?}");
    for (r, year) in years.iter().enumerate() {
        assert_same(&cell(&sheet, r + 1, 0), year, "Regio per jaar year");
        for &(c, metric, stat) in &columns {
            let row = region[&((*year).clone(), metric.name())];
            assert_same(
                &cell(&sheet, r + 1, c),
                &row[stat],
                &format!("Regio per jaar {year} {} {stat}", metric.name()),
            );
        }
    }
    years.len()
}

fn copied_sheets_hold_numbers(dir: &Path, book: &mut Book, years: usize) {
    // Care forms and the copied tables: numbers are numeric cells too.
    let forms = book.worksheet_range("Zorgvormen").expect("care-form sheet");
    assert!(forms.height() > years);
    for r in 1..forms.height() {
        number(&cell(&forms, r, 0), "Zorgvormen year");
        assert_ne!(text(&cell(&forms, r, 1), "care form"), "all");
    }
    let providers = book.worksheet_range("Aanbieders").expect("provider sheet");
    let csv = read_csv(&dir.join("providers.csv"));
    assert_eq!(providers.height(), csv.len() + 1);
    assert_same(&cell(&providers, 1, 0), &csv[0]["year"], "Aanbieders year");
    assert_eq!(
        text(&cell(&providers, 1, 1), "provider"),
        csv[0]["provider"]
    );
    assert_same(
        &cell(&providers, 1, 2),
        &csv[0]["lumpsum_mean_eur"],
        "Aanbieders lumpsum",
    );
    // The lumpsum enough with each certainty: the money a council asks for.
    let sufficient = (book.worksheet_range("Benodigde lumpsum")).expect("sufficient sheet");
    let csv = read_csv(&dir.join("sufficient_lumpsum.csv"));
    assert_eq!(sufficient.height(), csv.len() + 1);
    let last = csv.len();
    for (col, name) in [(3, "certainty"), (4, "lumpsum_eur"), (6, "gap_eur")] {
        assert_same(&cell(&sufficient, last, col), &csv[last - 1][name], name);
    }
}

fn about_sheet_holds_the_provenance(dir: &Path, book: &mut Book) {
    // About: provenance from the manifest.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    let about = book.worksheet_range("Over").expect("about sheet");
    let values: Vec<Data> = (1..about.height()).map(|r| cell(&about, r, 1)).collect();
    assert!(values.contains(&Data::String(
        manifest["scenario"].as_str().expect("scenario").into()
    )));
    assert!(values.contains(&Data::String(manifest["seed"].to_string())));
}

#[test]
fn sheet_names_follow_the_language() {
    let dir = result_folder();
    let dir = dir.path();
    let (nl, en) = (dir.join("report.xlsx"), dir.join("report-en.xlsx"));
    write_workbook(dir, &nl, Lang::Nl).expect("Dutch workbook");
    write_workbook(dir, &en, Lang::En).expect("English workbook");
    let expected_nl = [
        "Over",
        "Haalbaarheid",
        "Regio per jaar",
        "Zorgvormen",
        "Aanbieders",
        "Gemeenten",
        "Kostengroei",
        "Benodigde lumpsum",
        "Onzekerheid",
    ];
    let expected_en = [
        "About",
        "Feasibility",
        "Region per year",
        "Care forms",
        "Providers",
        "Municipalities",
        "Cost growth",
        "Sufficient lumpsum",
        "Uncertainty",
    ];
    assert_eq!(sheets(&nl).0, expected_nl);
    assert_eq!(sheets(&en).0, expected_en);
    let (_, mut book) = sheets(&en);
    let sheet = book
        .worksheet_range("Feasibility")
        .expect("feasibility sheet");
    assert_eq!(text(&cell(&sheet, 0, 3), "header"), FEASIBILITY[0].1);
}

#[test]
fn a_folder_without_results_is_an_error_not_a_panic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let err = write_workbook(tmp.path(), &tmp.path().join("report.xlsx"), Lang::En)
        .expect_err("no results");
    assert!(format!("{err:#}").contains("manifest.json"), "{err:#}");
    assert!(!tmp.path().join("report.xlsx").exists());
}
