//! Bad input must be rejected by the real binary with exit code 2 and an
//! error that says where (file:line:col), what (the dotted field) and how to
//! fix it — never with a panic. Every scenario here is the embedded default
//! with exactly one change.

use crate::util::*;

/// The default with one edit; returns the case and the line of `to`.
fn edited(from: &str, to: &str) -> (Case, usize) {
    let text = edit(from, to);
    let line = line_of(&text, to);
    (Case::new(&text), line)
}

// ---------------------------------------------------------------- syntax, keys, types

#[test]
fn malformed_toml_is_located() {
    let (case, line) = edited("tariff = 700\n", "tariff = 700 ]\n");
    case.validate()
        .input_error(&case.scenario, line, None)
        .contains("invalid TOML");
}

#[test]
fn unknown_top_level_key() {
    rejects_edit("description = ", "descripton = ", "descripton").contains("unknown field");
}

#[test]
fn unknown_key_in_care_form_of_an_override() {
    let text = "extends = \"base.toml\"\n\n[care_forms.secure]\ntarif = 650\n";
    let case = Case::over_default(text);
    case.validate()
        .input_error(
            &case.scenario,
            line_of(text, "tarif ="),
            Some("care_forms.secure.tarif"),
        )
        .contains("unknown field `tarif`");
}

#[test]
fn string_where_a_number_is_expected() {
    rejects_edit(
        "extension_probability = 0.10\n",
        "extension_probability = \"high\"\n",
        "care_forms.secure.extension_probability",
    )
    .contains("expected a number");
}

// ---------------------------------------------------------------- ranges

#[test]
fn extension_probability_above_one() {
    rejects_edit(
        "extension_probability = 0.10\n",
        "extension_probability = 1.5\n",
        "care_forms.secure.extension_probability",
    )
    .contains("[0, 1]");
}

#[test]
fn negative_transition_probability() {
    rejects_edit(
        "transitions = { residential = 0.40,",
        "transitions = { residential = -0.1,",
        "care_forms.secure.transitions.residential",
    )
    .contains("found -0.1");
}

#[test]
fn transition_row_summing_above_one() {
    rejects_edit(
        "transitions = { residential = 0.40,",
        "transitions = { residential = 0.70,",
        "care_forms.secure.transitions",
    )
    .contains("above 1");
}

#[test]
fn negative_duration_mean() {
    rejects_edit(
        "mean = 120, cv = 0.7",
        "mean = -120, cv = 0.7",
        "care_forms.secure.duration.mean",
    );
}

#[test]
fn negative_tariff() {
    rejects_edit(
        "tariff = 700\n",
        "tariff = -700\n",
        "care_forms.secure.tariff",
    );
}

#[test]
fn negative_capacity_places() {
    rejects_edit(
        "capacity.places.noord = 55\n",
        "capacity.places.noord = -55\n",
        "care_forms.residential.capacity.places.noord",
    );
}

#[test]
fn negative_region_lumpsum() {
    rejects_edit(
        "region = { 2028 = 262_600_000",
        "region = { 2028 = -262_600_000",
        "lumpsum.region",
    );
}

#[test]
fn negative_fixed_cost_in_an_override() {
    let text = "# cheaper crisis service\nextends = \"base.toml\"\n\n[fixed_costs]\ncrisis_service = -4_000_000\n";
    let case = Case::over_default(text);
    case.validate().input_error(
        &case.scenario,
        line_of(text, "crisis_service ="),
        Some("fixed_costs.crisis_service"),
    );
}

#[test]
fn zero_cv_of_lognormal() {
    rejects_edit(
        "mean = 120, cv = 0.7",
        "mean = 120, cv = 0",
        "care_forms.secure.duration.cv",
    )
    .contains("coefficient of variation");
}

#[test]
fn negative_cv_of_gamma() {
    rejects_edit(
        "mean = 720, cv = 1.0",
        "mean = 720, cv = -0.5",
        "care_forms.foster_care.duration.cv",
    )
    .contains("coefficient of variation");
}

// ---------------------------------------------------------------- references

#[test]
fn unknown_area_in_capacity_places() {
    rejects_edit(
        "capacity.places.noord =",
        "capacity.places.nord =",
        "care_forms.residential.capacity.places.nord",
    )
    .contains("unknown area `nord`");
}

#[test]
fn unknown_area_in_area_teams() {
    rejects_edit(
        "noord = 1_300_000, oost",
        "nord = 1_300_000, oost",
        "fixed_costs.area_teams.nord",
    )
    .contains("unknown area `nord`");
}

#[test]
fn unknown_care_form_in_transitions() {
    rejects_edit(
        "transitions = { residential = 0.40,",
        "transitions = { residental = 0.40,",
        "care_forms.secure.transitions.residental",
    )
    .contains("unknown care form `residental`");
}

#[test]
fn unknown_care_form_in_entry() {
    rejects_edit(
        "family_home = 0.008, residential = 0.025",
        "family_home = 0.008, residental = 0.025",
        "arrivals.entry.residental",
    )
    .contains("unknown care form `residental`");
}

#[test]
fn unknown_municipality_in_youth_table() {
    rejects_edit(
        "ouder_amstel = 2_900 }",
        "ouder_amstel = 2_900, weesp = 100 }",
        "areas.duo.youth.weesp",
    )
    .contains("unknown municipality `weesp`");
}

// ---------------------------------------------------------------- years and tables

#[test]
fn profile_table_year_before_the_horizon() {
    rejects_edit(
        "tariff = 30\n",
        "tariff = { 2027 = 30 }\n",
        "care_forms.ambulant_network.tariff",
    )
    .contains("year 2027");
}

#[test]
fn profile_shape_ending_after_the_horizon() {
    rejects_edit(
        "from = 1050, to = 1250, start = 2028, end = 2037",
        "from = 1050, to = 1250, start = 2028, end = 2045",
        "care_forms.foster_care.capacity.places",
    )
    .contains("year 2045");
}

#[test]
fn region_lumpsum_missing_a_year_is_located_in_the_base() {
    // Without `extend = "flat"` the region table (2028, 2029) lacks 2030; the
    // table itself is in the base file, so that is where the error points.
    let case = Case::over_default("extends = \"base.toml\"\n\n[lumpsum]\nextend = \"none\"\n");
    let base = case.dir.path().join("base.toml");
    case.validate()
        .input_error(
            &base,
            line_of(DEFAULT, "region = { 2028"),
            Some("lumpsum.region"),
        )
        .contains("no value for 2030");
}

#[test]
fn area_with_empty_youth_table() {
    rejects_edit(
        "youth = { amsterdam = 21_000 }",
        "youth = {}",
        "areas.noord.youth",
    )
    .contains("holds no municipality");
}

// ---------------------------------------------------------------- empirical CSV

const EMPIRICAL: &str = "duration = { distribution = \"empirical\", file = \"d.csv\" }";

fn empirical_case() -> (Case, usize) {
    edited(
        "duration = { distribution = \"lognormal\", mean = 120, cv = 0.7 }",
        EMPIRICAL,
    )
}

#[test]
fn empirical_csv_missing() {
    let (case, line) = empirical_case();
    case.validate()
        .input_error(
            &case.scenario,
            line,
            Some("care_forms.secure.duration.file"),
        )
        .contains("d.csv");
}

#[test]
fn empirical_csv_header_only() {
    let (case, _) = empirical_case();
    let csv = case.file("d.csv", "days\n");
    case.validate()
        .input_error(&csv, 1, None)
        .contains("holds no durations");
}

#[test]
fn empirical_csv_non_numeric_cell() {
    let (case, _) = empirical_case();
    let text = "days\n183\n240.5\nabc\n90\n";
    let csv = case.file("d.csv", text);
    case.validate()
        .input_error(&csv, line_of(text, "abc"), Some("days"))
        .contains("`abc` is not a number");
}

// ---------------------------------------------------------------- files and flags

#[test]
fn extends_a_missing_file() {
    let text = "# my variant\n\nextends = \"nope.toml\"\nname = \"variant\"\n";
    let case = Case::new(text);
    case.validate()
        .input_error(&case.scenario, line_of(text, "extends"), Some("extends"))
        .contains("nope.toml");
}

#[test]
fn validate_a_missing_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    jeugdstroom(&["validate", path_str(&missing)])
        .input_error(&missing, 1, None)
        .contains("cannot read scenario");
}

/// `run` on the valid default with extra flags; nothing may be written.
fn run_default_with(flags: &[&str]) -> Out {
    let case = Case::new(DEFAULT);
    let out_dir = case.dir.path().join("out");
    let mut args = vec!["run", path_str(&case.scenario)];
    args.extend(flags);
    args.extend(["--out", path_str(&out_dir)]);
    let out = jeugdstroom(&args);
    assert!(!out_dir.join("manifest.json").exists());
    out
}

#[test]
fn shard_index_above_count() {
    run_default_with(&["--shard", "3/2"])
        .rejected()
        .contains("--shard")
        .contains("K must lie between 1 and N");
}

#[test]
fn shard_index_zero() {
    run_default_with(&["--shard", "0/2"])
        .rejected()
        .contains("--shard")
        .contains("K must lie between 1 and N");
}

#[test]
fn zero_replications() {
    run_default_with(&["--replications", "0"])
        .rejected()
        .contains("--replications")
        .contains("0 is not in 1..");
}

#[test]
fn unwritable_out_folder() {
    let case = Case::new(DEFAULT);
    let blocker = case.file("not-a-dir", "");
    let out = blocker.join("sub");
    jeugdstroom(&[
        "run",
        path_str(&case.scenario),
        "--replications",
        "1",
        "--out",
        path_str(&out),
    ])
    .rejected()
    .contains("fix:")
    .contains("field: --out")
    .contains(&out.display().to_string());
}

// ---------------------------------------------------------------- run rejects too

#[test]
fn run_rejects_malformed_toml() {
    let (case, line) = edited("tariff = 700\n", "tariff = 700 ]\n");
    case.run().input_error(&case.scenario, line, None);
}

#[test]
fn run_rejects_negative_tariff() {
    let (case, line) = edited("tariff = 700\n", "tariff = -700\n");
    case.run()
        .input_error(&case.scenario, line, Some("care_forms.secure.tariff"));
}

#[test]
fn run_rejects_unknown_area() {
    let (case, line) = edited("capacity.places.noord =", "capacity.places.nord =");
    case.run().input_error(
        &case.scenario,
        line,
        Some("care_forms.residential.capacity.places.nord"),
    );
}

#[test]
fn run_rejects_missing_empirical_csv() {
    let (case, line) = empirical_case();
    case.run().input_error(
        &case.scenario,
        line,
        Some("care_forms.secure.duration.file"),
    );
}

// ---------------------------------------------------------------- and a good one

#[test]
fn minimal_override_validates() {
    let case = Case::over_default("extends = \"base.toml\"\n\n[care_forms.secure]\ntariff = 650\n");
    case.validate().accepted();
}
