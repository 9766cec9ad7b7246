//! Gaps the validation had: each of these was accepted (or reported at the
//! wrong place) before; each is now refused with exit 2 at its own file,
//! line and column, naming the field and a fix.

use crate::util::*;

const RESIDENTIAL_DURATION: &str =
    "duration = { distribution = \"lognormal\", mean = 210, cv = 0.9 }";

#[test]
fn shape_ending_before_its_start_was_accepted() {
    rejects_edit(
        "from = 330, to = 450, start = 2028, end = 2034 }",
        "from = 330, to = 450, start = 2034, end = 2028 }",
        "care_forms.family_home.capacity.places.end",
    )
    .contains("before its start");
}

/// An empirical duration in `residential` read from `stays.csv`.
fn empirical(csv: &[u8]) -> Case {
    let text = edit(
        RESIDENTIAL_DURATION,
        "duration = { distribution = \"empirical\", file = \"stays.csv\" }",
    );
    let case = Case::new(&text);
    std::fs::write(case.dir.path().join("stays.csv"), csv).unwrap();
    case
}

#[test]
fn empirical_duration_of_1e300_days_was_accepted() {
    let case = empirical(b"days\n120\n1e300\n");
    case.validate()
        .input_error(&case.dir.path().join("stays.csv"), 3, Some("days"))
        .contains("36500");
}

#[test]
fn non_utf8_byte_in_a_csv_was_reported_at_line_1() {
    let case = empirical(b"days\n120\n130\n14\xff0\n");
    case.validate()
        .input_error(&case.dir.path().join("stays.csv"), 4, None)
        .contains("UTF-8");
}

#[test]
fn non_utf8_byte_in_a_scenario_was_reported_at_line_1() {
    let mut bytes = DEFAULT.as_bytes().to_vec();
    let at = DEFAULT.find("[horizon]").unwrap();
    bytes.splice(at..at, b"# caf\xe9\n".iter().copied());
    let line = DEFAULT[..at].matches('\n').count() + 1;
    let case = Case::new("");
    std::fs::write(&case.scenario, &bytes).unwrap();
    case.validate()
        .input_error(&case.scenario, line, None)
        .contains("0xe9");
    // … and in a base the scenario extends.
    let over = Case::new("extends = \"base.toml\"\n");
    std::fs::write(over.dir.path().join("base.toml"), &bytes).unwrap();
    over.validate()
        .input_error(&over.dir.path().join("base.toml"), line, None);
}

/// The default starting from a caseload file `caseload.csv` with `rows`.
fn caseload(rows: &str) -> (Case, String) {
    let text = edit("warmup_years = 5", "caseload = \"caseload.csv\"");
    let case = Case::new(&text);
    let csv = format!("municipality,area,care_form,priority,age,days,status\n{rows}");
    std::fs::write(case.dir.path().join("caseload.csv"), csv).unwrap();
    (case, text)
}

#[test]
fn missing_caseload_file_was_located_at_no_scenario_line() {
    let (case, text) = caseload("");
    std::fs::remove_file(case.dir.path().join("caseload.csv")).unwrap();
    case.validate()
        .input_error(
            &case.scenario,
            line_of(&text, "caseload = "),
            Some("initial_state.caseload"),
        )
        .contains("caseload.csv");
}

#[test]
fn caseload_ages_outside_the_bands_and_ageing_were_accepted() {
    for (age, days) in [("40", "10"), ("2", "10"), ("15", "1e300")] {
        let (case, _) = caseload(&format!(
            "amsterdam,centrum_zuid,secure,regular,{age},{days},in_care\n"
        ));
        let field = if days == "10" { "age" } else { "days" };
        case.validate()
            .input_error(&case.dir.path().join("caseload.csv"), 2, Some(field));
    }
}

#[test]
fn population_year_of_minus_two_billion_never_finished() {
    rejects_edit(
        "population_year = 2025",
        "population_year = -2000000000",
        "arrivals.population_year",
    )
    .contains("outside");
}

#[test]
fn indexation_compounding_past_decimal_range_panicked() {
    let text = "extends = \"base.toml\"\n[horizon]\nyears = 100\n\
                [indexation]\nbase_year = 2025\ncosts = 1.0\nlumpsum = 0.02\n";
    rejects_override(text, "costs = 1.0", "indexation.costs").contains("compounds");
    let text =
        "extends = \"base.toml\"\n[indexation]\nbase_year = 1000\ncosts = 0.03\nlumpsum = 0.02\n";
    rejects_override(text, "base_year = 1000", "indexation.base_year");
}

#[test]
fn extends_cycle_and_chain_length_are_refused_at_the_extends_line() {
    let case = Case::new("extends = \"b.toml\"\nname = \"a\"\n");
    case.file("b.toml", "extends = \"bad.toml\"\n");
    case.validate()
        .input_error(&case.dir.path().join("b.toml"), 1, Some("extends"))
        .contains("cycle");
    let case = Case::new("extends = \"f1.toml\"\n");
    for k in 1..20 {
        case.file(
            &format!("f{k}.toml"),
            &format!("extends = \"f{}.toml\"\n", k + 1),
        );
    }
    case.file("f20.toml", DEFAULT);
    case.validate()
        .input_error(&case.dir.path().join("f15.toml"), 1, Some("extends"))
        .contains("16 files");
}

#[test]
fn history_with_zero_youth_was_reported_as_too_few_years() {
    let case = Case::new(DEFAULT);
    let history = case.file(
        "history.csv",
        "year,municipality,care_form,started,ended,in_care_end,youth_population\n\
         2020,amsterdam,secure,10,2,8,0\n2021,amsterdam,secure,10,2,8,0\n2022,amsterdam,secure,10,2,8,0\n",
    );
    let out = jeugdstroom(&[
        "calibrate",
        path_str(&history),
        "--base",
        path_str(&case.scenario),
        "--out",
        path_str(&case.dir.path().join("c.toml")),
    ]);
    out.input_error(&history, 2, Some("youth_population"))
        .contains("youth population of 2020 is 0");
    assert!(!out.stderr.contains("too few years"), "{}", out.stderr);
}
