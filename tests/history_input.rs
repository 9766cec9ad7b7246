//! The calibration history CSV: a valid file parses with its line numbers,
//! every kind of bad input is reported with file, line, column, field and a
//! fix, and no input makes the reader panic.

use jeugdstroom::calibrate::history::{History, read_history, totals};
use jeugdstroom::error::{InputError, InputErrors};
use std::path::PathBuf;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn read_bytes(bytes: &[u8]) -> (PathBuf, Result<History, InputErrors>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.csv");
    std::fs::write(&path, bytes).unwrap();
    let forms = names(&["ambulant", "residential"]);
    let municipalities = names(&["town", "village"]);
    let result = read_history(&path, &forms, &municipalities);
    (path, result)
}

fn read(text: &str) -> History {
    match read_bytes(text.as_bytes()).1 {
        Ok(history) => history,
        Err(e) => panic!("expected a valid history, got:\n{e}"),
    }
}

/// Reads `text`, expects exactly one error and checks its message, field,
/// line and the `file:line:` prefix of the rendered errors.
fn one_error(text: &str, message: &str, field: Option<&str>, line: usize) -> InputError {
    let (path, result) = read_bytes(text.as_bytes());
    let errors = result.expect_err("expected an input error");
    assert_eq!(errors.0.len(), 1, "expected one error, got:\n{errors}");
    let error = errors.0[0].clone();
    assert!(
        error.message.contains(message),
        "`{}` lacks `{message}`",
        error.message
    );
    assert_eq!(error.field.as_deref(), field, "field of {error}");
    let location = error.location.as_ref().expect("a location");
    assert_eq!(location.line, line, "line of {error}");
    assert_eq!(location.file, path.display().to_string());
    let shown = errors.to_string();
    assert!(
        shown.contains(&format!("{}:{line}:", path.display())),
        "{shown}"
    );
    assert!(error.fix.is_some(), "no fix in {error}");
    error
}

const HEADER: &str = "year,municipality,care_form,started,ended,in_care_end\n";

/// A valid three-year file with `row` (and a newline) appended as line 5.
fn base_with(row: &str) -> String {
    format!(
        "{HEADER}2019,town,ambulant,100,80,200\n2020,town,ambulant,110,90,220\n\
         2021,town,ambulant,120,100,240\n{row}\n"
    )
}

#[test]
fn valid_file_with_optional_and_transition_columns() {
    let text = "\
care_form,year,municipality,started,ended,in_care_end,youth_population,mean_duration_days,cost_eur,transitions_to_residential,transitions_to_ambulant
ambulant,2019,town,100,80,200,5000,300,1000000,5,
ambulant,2019,village,50,40,60,2000,200,400000,2,
residential,2019,town,10,8,20,5000,400,2000000,,3

ambulant,2020,town,110,90,220,5010,310,1100000,6,
ambulant,2020,village,50,60,50,,150,410000,1,
\"ambulant\",2021,town,120,100,240,5020,320,1200000,7,
residential,2021,town, 12 ,10,22,5000,410,2100000,,4
residential,2020,town,11,9,22,5000,405,2050000,,3
ambulant,2021,village,50,50,50,2000,150,400000,1,
residential,2019,village,0,0,0,,,,,0
residential,2020,village,0,0,0,,,,,0
residential,2021,village,0,0,0,,,,,0
";
    let history = read(text);
    assert_eq!(history.years, vec![2019, 2020, 2021]);
    assert_eq!(history.rows.len(), 12);
    let lines: Vec<usize> = history.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    let r = &history.rows[0];
    assert_eq!((r.year, r.municipality.as_str()), (2019, "town"));
    assert_eq!(r.care_form, "ambulant");
    assert_eq!((r.started, r.ended, r.in_care_end), (100.0, 80.0, 200.0));
    assert_eq!(r.youth_population, Some(5000.0));
    assert_eq!(r.mean_duration_days, Some(300.0));
    assert_eq!(r.cost_eur, Some(1_000_000.0));
    assert_eq!(r.transitions.len(), 1);
    assert_eq!(r.transitions["residential"], 5.0);
    assert_eq!(history.rows[2].transitions["ambulant"], 3.0);
    assert_eq!(history.rows[4].youth_population, None);
    assert_eq!(history.rows[5].care_form, "ambulant");
    assert_eq!(history.rows[6].started, 12.0);

    let t = totals(&history, 2019, "ambulant").unwrap();
    assert_eq!((t.started, t.ended, t.in_care_end), (150.0, 120.0, 260.0));
    assert_eq!(t.youth_population, Some(7000.0));
    assert_eq!(t.cost_eur, Some(1_400_000.0));
    let duration = t.mean_duration_days.unwrap();
    assert!((duration - (300.0 * 80.0 + 200.0 * 40.0) / 120.0).abs() < 1e-9);
    assert_eq!(t.transitions["residential"], 7.0);
    assert!(!t.transitions.contains_key("ambulant"));
    assert_eq!((t.line, t.municipality.as_str()), (2, ""));
    let t = totals(&history, 2020, "ambulant").unwrap();
    assert_eq!(t.youth_population, None);
    assert_eq!(t.cost_eur, Some(1_510_000.0));
    assert!(totals(&history, 2022, "ambulant").is_none());
}

#[test]
fn a_missing_year_or_row_is_refused_where_it_would_be() {
    // 2019 is missing entirely: located at the first row of 2020.
    let text = format!(
        "{HEADER}2018,town,ambulant,10,5,5\n2020,town,ambulant,10,5,5\n2021,town,ambulant,10,10,5\n"
    );
    let e = one_error(&text, "no row for 2019, town, ambulant", Some("year"), 3);
    assert!(e.fix.as_deref().unwrap_or("").contains("0..10"), "{e}");
    // One municipality lacks a form in one year.
    let text = format!(
        "{HEADER}2019,town,ambulant,1,1,1\n2019,village,ambulant,1,1,1\n\
         2020,town,ambulant,1,1,1\n2021,town,ambulant,1,1,1\n2021,village,ambulant,1,1,1\n"
    );
    one_error(&text, "no row for 2020, village, ambulant", Some("year"), 4);
}

#[test]
fn a_blank_transition_cell_is_refused_unless_it_is_the_rows_own_form() {
    let header =
        "year,municipality,care_form,started,ended,in_care_end,transitions_to_residential\n";
    let rows =
        "2019,town,ambulant,10,5,5,1\n2020,town,ambulant,10,5,5,\n2021,town,ambulant,10,5,5,0..3\n";
    let e = one_error(
        &format!("{header}{rows}"),
        "`transitions_to_residential` is blank for 2020, town, ambulant",
        Some("transitions_to_residential"),
        3,
    );
    assert_eq!(e.location.as_ref().unwrap().column, 27);
    let own = "2019,town,residential,10,5,5,\n2020,town,residential,10,5,5,\n2021,town,residential,10,5,5,\n";
    assert_eq!(read(&format!("{header}{own}")).rows.len(), 3);
}

#[test]
fn interval_cells_are_read_as_ranges_and_checked_for_feasibility() {
    let header =
        "year,municipality,care_form,started,ended,in_care_end,transitions_to_residential\n";
    let rows = "2019,town,ambulant,8..12,5,5,0..4\n2020,town,ambulant,10,5..9,0..9,2\n2021,town,ambulant,10,5,5,1\n";
    let history = read(&format!("{header}{rows}"));
    let r = &history.rows[0];
    assert_eq!(
        (r.started, r.spans.started.low, r.spans.started.high),
        (10.0, 8.0, 12.0)
    );
    assert_eq!(r.transitions["residential"], 2.0);
    let t = totals(&history, 2020, "ambulant").unwrap();
    assert_eq!(
        (t.ended, t.spans.ended.low, t.spans.ended.high),
        (7.0, 5.0, 9.0)
    );
    assert!(!t.spans.exact() && totals(&history, 2021, "ambulant").unwrap().spans.exact());
    // Feasible only at the bounds: 2020's ended 5..9 ≤ started 10 + 2019's in care 5.
    // Infeasible even at the bounds: at least 16 ended, at most 10 + 5 available.
    let bad = rows.replace("5..9,0..9", "16..20,0..9");
    one_error(
        &format!("{header}{bad}"),
        "16 episodes ended but at most 10 started plus 5",
        Some("ended"),
        3,
    );
    // Transitions whose low ends exceed the high end of ended.
    let bad = rows.replace(
        "2021,town,ambulant,10,5,5,1",
        "2021,town,ambulant,10,0..3,5,4..6",
    );
    one_error(
        &format!("{header}{bad}"),
        "4 episodes moved",
        Some("ended"),
        4,
    );
    for (cell, message) in [
        ("9..3", "low end lies above its high end"),
        ("..3", "a range with a bound missing"),
        ("-1..3", "negative"),
    ] {
        let bad = rows.replace("8..12", cell);
        one_error(&format!("{header}{bad}"), message, Some("started"), 2);
    }
}

#[test]
fn unreadable_file() {
    let forms = names(&["ambulant"]);
    let path = std::path::Path::new("/nonexistent/dir/history.csv");
    let errors = read_history(path, &forms, &forms).unwrap_err();
    let error = &errors.0[0];
    assert!(error.message.contains("cannot read history file"));
    assert_eq!(error.location.as_ref().unwrap().line, 1);
    assert!(
        errors
            .to_string()
            .contains("/nonexistent/dir/history.csv:1:")
    );
}

#[test]
fn empty_and_header_only_files() {
    one_error("", "is empty", None, 1);
    one_error("\n  \n", "is empty", None, 1);
    one_error(HEADER, "has a header but no rows", None, 1);
}

#[test]
fn missing_required_columns_are_listed() {
    let text = "year,municipality,care_form,ended\n2019,town,ambulant,1\n";
    let e = one_error(
        text,
        "lacks column(s) started, in_care_end",
        Some("started, in_care_end"),
        1,
    );
    assert!(e.fix.unwrap().contains("year,municipality,care_form"));
}

#[test]
fn unknown_column_lists_the_accepted_ones() {
    let text = base_with("").replace("in_care_end\n", "in_care_end,colour\n");
    let e = one_error(&text, "unknown column `colour`", Some("colour"), 1);
    assert_eq!(e.location.unwrap().column, HEADER.len() + 1);
    let fix = e.fix.unwrap();
    assert!(fix.contains("youth_population") && fix.contains("transitions_to_<care form>"));
}

#[test]
fn duplicate_header_column() {
    let text =
        "year,municipality,care_form,started,ended,in_care_end,ended\n2019,town,ambulant,1,1,1,1\n";
    one_error(text, "column `ended` appears twice", Some("ended"), 1);
}

#[test]
fn unparsable_negative_and_non_finite_numbers() {
    let e = one_error(
        &base_with("2022,town,ambulant,12a,1,1"),
        "`12a` is not a number",
        Some("started"),
        5,
    );
    assert_eq!(e.location.unwrap().column, "2022,town,ambulant,".len() + 1);
    one_error(
        &base_with("2022,town,ambulant,1,-3,1"),
        "`ended` is negative",
        Some("ended"),
        5,
    );
    // Finite but beyond any fitted scenario: refused at its cell, not after
    // the fit as an internal error (found by the fuzz harness).
    one_error(
        &base_with("2022,town,ambulant,1,1,1e300"),
        "implausibly large",
        Some("in_care_end"),
        5,
    );
    for bad in ["inf", "NaN", "-inf", "1e400"] {
        one_error(
            &base_with(&format!("2022,town,ambulant,1,1,{bad}")),
            "not a finite number",
            Some("in_care_end"),
            5,
        );
    }
    one_error(
        &base_with("2022,town,ambulant,,1,1"),
        "`started` is empty",
        Some("started"),
        5,
    );
    one_error(
        &base_with("2022,town,ambulant,\"1,000\",1,1"),
        "`1,000` is not a number",
        Some("started"),
        5,
    );
}

#[test]
fn optional_numbers_are_checked_too() {
    let text = "year,municipality,care_form,started,ended,in_care_end,cost_eur,transitions_to_ambulant\n\
         2019,town,ambulant,1,1,1,,\n2020,town,ambulant,1,1,1,-5,\n2021,town,ambulant,1,1,1,,x\n";
    let (_, result) = read_bytes(text.as_bytes());
    let errors = result.unwrap_err();
    assert_eq!(errors.0.len(), 2, "{errors}");
    assert_eq!(errors.0[0].field.as_deref(), Some("cost_eur"));
    assert_eq!(errors.0[0].location.as_ref().unwrap().line, 3);
    assert_eq!(
        errors.0[1].field.as_deref(),
        Some("transitions_to_ambulant")
    );
    assert_eq!(errors.0[1].location.as_ref().unwrap().line, 4);
}

#[test]
fn years_must_be_plausible_integers() {
    one_error(
        &base_with("1850,town,ambulant,1,1,1"),
        "year 1850 is outside 1900–2200",
        Some("year"),
        5,
    );
    one_error(
        &base_with("2020.5,town,ambulant,1,1,1"),
        "`2020.5` is not a year",
        Some("year"),
        5,
    );
}

#[test]
fn unknown_care_form_municipality_and_transition_target() {
    let e = one_error(
        &base_with("2022,town,secure,1,1,1"),
        "unknown care form `secure`",
        Some("care_form"),
        5,
    );
    assert!(e.fix.unwrap().contains("ambulant, residential"));
    let e = one_error(
        &base_with("2022,Súdwest-Fryslân,ambulant,1,1,1"),
        "unknown municipality `Súdwest-Fryslân`",
        Some("municipality"),
        5,
    );
    assert!(e.fix.unwrap().contains("town, village"));
    assert_eq!(e.location.unwrap().column, 6);
    let text = base_with("").replace("in_care_end\n", "in_care_end,transitions_to_secure\n");
    let e = one_error(
        &text,
        "`transitions_to_secure` names unknown care form `secure`",
        Some("transitions_to_secure"),
        1,
    );
    assert!(e.fix.unwrap().contains("ambulant, residential"));
}

#[test]
fn duplicate_rows() {
    let e = one_error(
        &base_with("2020,town,ambulant,110,90,220"),
        "duplicate row for 2020, town, ambulant (first on line 3)",
        Some("year"),
        5,
    );
    assert_eq!(e.location.unwrap().column, 1);
}

#[test]
fn more_ended_than_started_plus_in_care() {
    // 2021: 100 started + 220 in care at the end of 2020 < 400 ended.
    let text = base_with("").replace(
        "2021,town,ambulant,120,100,240",
        "2021,town,ambulant,100,400,240",
    );
    let e = one_error(&text, "400 episodes ended", Some("ended"), 4);
    assert!(e.message.contains("line 3"), "{}", e.message);
    assert_eq!(
        e.location.unwrap().column,
        "2021,town,ambulant,100,".len() + 1
    );
}

#[test]
fn a_trend_needs_three_years() {
    let text = format!("{HEADER}2019,town,ambulant,1,1,1\n2020,town,ambulant,1,1,1\n");
    one_error(&text, "a trend needs at least 3 years", Some("year"), 1);
}

#[test]
fn rows_with_the_wrong_number_of_fields() {
    one_error(
        &base_with("2022,town,ambulant,1,1"),
        "this row has 5 fields but the header has 6",
        None,
        5,
    );
}

#[test]
fn not_utf8() {
    let mut bytes = base_with("2022,town,ambulant,1,1,1").into_bytes();
    bytes.extend_from_slice(b"2023,t\xffwn,ambulant,1,1,1\n");
    let (_, result) = read_bytes(&bytes);
    let errors = result.unwrap_err();
    assert!(errors.0[0].message.contains("not UTF-8"), "{errors}");
    let location = errors.0[0].location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (6, 7));
}

#[test]
fn all_errors_are_reported_in_line_order() {
    let text = format!(
        "{HEADER}2019,town,ambulant,1,1,1\n2020,nowhere,ambulant,1,1,1\n\
         2021,town,ambulant,x,-1,1\n2022,town,ambulant,1,1,1\n"
    );
    let (path, result) = read_bytes(text.as_bytes());
    let errors = result.unwrap_err();
    let found: Vec<(usize, Option<&str>)> = errors
        .0
        .iter()
        .map(|e| (e.location.as_ref().unwrap().line, e.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, Some("municipality")),
            (4, Some("started")),
            (4, Some("ended"))
        ]
    );
    let shown = errors.to_string();
    for line in [3, 4] {
        assert!(shown.contains(&format!("{}:{line}:", path.display())));
    }
}

/// Deterministic 64-bit LCG (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn no_input_makes_the_reader_panic() {
    let mut rng = Lcg(0x5eed);
    let valid = "\
year,municipality,care_form,started,ended,in_care_end,cost_eur,transitions_to_residential
2019,town,ambulant,100,80,200,1000,5
2020,village,residential,50,40,60,,2
2021,town,ambulant,120,100,240,1200,
";
    let pieces: [&[u8]; 16] = [
        b",",
        b"\"",
        b"\n",
        b"\r\n",
        b" ",
        b"",
        b"-1",
        b"NaN",
        b"1e999",
        b"\xc3\xa9",
        b"\xff",
        b"\xf0\x9f\x98\x80",
        b"town",
        b"transitions_to_",
        b"2020",
        b"\"\"",
    ];
    for case in 0..400 {
        let bytes: Vec<u8> = if case % 2 == 0 {
            // random bytes, biased towards CSV punctuation
            let len = rng.below(120);
            (0..len)
                .map(|_| match rng.below(4) {
                    0 => b",\n\" "[rng.below(4)],
                    _ => rng.next() as u8,
                })
                .collect()
        } else {
            // a valid file with a few random splices
            let mut bytes = valid.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len() + 1);
                let cut = rng.below(4).min(bytes.len() - at);
                let piece = pieces[rng.below(pieces.len())];
                bytes.splice(at..at + cut, piece.iter().copied());
            }
            bytes
        };
        let (_, result) = read_bytes(&bytes);
        match result {
            Ok(history) => {
                assert!(history.years.len() >= 3);
                for year in history.years.clone() {
                    let _ = totals(&history, year, "ambulant");
                }
            }
            Err(errors) => {
                assert!(!errors.0.is_empty());
                let _ = errors.to_string();
            }
        }
    }
}

#[test]
fn bom_crlf_and_blank_lines_are_accepted() {
    let text = format!(
        "\u{feff}{}\r\n\r\n2019,town,ambulant,1,1,1\r\n2020,town,ambulant,1,1,1\r\n   \r\n2021,town,ambulant,1,1,1\r\n",
        HEADER.trim_end()
    );
    let history = read(&text);
    let lines: Vec<usize> = history.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 6]);
    let text = text.replace("2021,town,ambulant,1,1,1", "2021,town,ambulant,1,x,1");
    one_error(&text, "`x` is not a number", Some("ended"), 6);
}

/// Found by the long fuzz run: 29 transitions out of 7 ended episodes were
/// read, and the fitted transition share of 3.2 was refused only after the
/// fit, against the calibrated file instead of the history line.
#[test]
fn more_transitions_than_ended_episodes() {
    let text = "year,municipality,care_form,started,ended,in_care_end,transitions_to_ambulant\n\
                2019,town,ambulant,100,80,200,0\n2020,town,ambulant,110,90,220,0\n\
                2021,town,ambulant,120,7,240,29\n";
    one_error(
        text,
        "29 episodes moved to another form but only 7 ended",
        Some("ended"),
        4,
    );
}
