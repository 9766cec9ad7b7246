//! A sweep file is decided before any point runs: its size, its
//! replications, its base and its tornado year; a bad value is located at
//! that value in the sweep file and reported once, however many points use it.

use crate::util::*;

fn base() -> String {
    single_form(
        73.0,
        r#"{ distribution = "lognormal", mean = 20, cv = 0.8 }"#,
        "capacity = { scope = \"region\", places = 5 }\noverflow = { policy = \"wait\" }",
        3,
        1,
    )
}

/// A sweep `sweep.toml` over `base.toml`; runs `sweep` and returns what it did.
fn sweep(body: &str) -> (Case, Out) {
    let case = Case::new(&base());
    let file = case.file("sweep.toml", body);
    let out = jeugdstroom(&[
        "sweep",
        path_str(&file),
        "--quiet",
        "--out",
        path_str(&case.dir.path().join("o")),
    ]);
    assert!(
        !case.dir.path().join("o").join("point-000").exists(),
        "a point ran"
    );
    (case, out)
}

fn sweep_file(case: &Case) -> std::path::PathBuf {
    case.dir.path().join("sweep.toml")
}

#[test]
fn grid_of_20_to_the_8_points_aborted_on_memory() {
    let values: Vec<String> = (1..=20).map(|v| v.to_string()).collect();
    let list = format!("[{}]", values.join(", "));
    let mut body = "base = \"bad.toml\"\nmode = \"grid\"\n[parameters]\n".to_string();
    for k in 0..8 {
        body.push_str(&format!("\"care_forms.bed.p{k}\" = {list}\n"));
    }
    let (case, out) = sweep(&body);
    out.input_error(
        &sweep_file(&case),
        line_of(&body, "[parameters]"),
        Some("parameters"),
    )
    .contains("25600000000 points")
    .contains("10000");
}

#[test]
fn sweep_with_zero_replications_wrote_zeros() {
    let body = "base = \"bad.toml\"\nreplications = 0\n[parameters]\n\"care_forms.bed.tariff\" = [90, 110]\n";
    let (case, out) = sweep(body);
    out.input_error(&sweep_file(&case), 2, Some("replications"));
}

#[test]
fn bad_sweep_value_was_located_in_the_base_once_per_point() {
    let body = "base = \"bad.toml\"\nmode = \"grid\"\nreplications = 2\n[parameters]\n\
                \"care_forms.bed.duration.mean\" = [15, 20, 25]\n\
                \"care_forms.bed.tariff\" = [90, -5]\n";
    let (case, out) = sweep(body);
    out.input_error(&sweep_file(&case), 6, Some("care_forms.bed.tariff"))
        .contains("-5");
    assert_eq!(out.stderr.matches("error:").count(), 1, "{}", out.stderr);
    assert!(!out.stderr.contains("bad.toml:"), "{}", out.stderr);
}

#[test]
fn unknown_sweep_path_is_located_at_its_key() {
    let body = "base = \"bad.toml\"\n[parameters]\ncare_forms.bed.nonexistent = [1, 2]\n";
    let (case, out) = sweep(body);
    out.input_error(&sweep_file(&case), 3, Some("care_forms.bed.nonexistent"))
        .contains("does not exist");
}

#[test]
fn missing_sweep_base_did_not_name_the_sweep_file() {
    let body = "mode = \"grid\"\nbase = \"nowhere.toml\"\n[parameters]\n\"care_forms.bed.tariff\" = [90]\n";
    let (case, out) = sweep(body);
    out.input_error(&sweep_file(&case), 2, Some("base"))
        .contains("nowhere.toml");
}

#[test]
fn tornado_year_outside_the_horizon_was_found_after_every_point() {
    let body = "base = \"bad.toml\"\nmode = \"one_at_a_time\"\nreplications = 2\nyear = 2099\n\
                [parameters]\n\"care_forms.bed.tariff\" = [90, 110]\n";
    let (case, out) = sweep(body);
    out.input_error(&sweep_file(&case), 4, Some("year"))
        .contains("2028–2030");
}

#[test]
fn non_utf8_sweep_file_is_located_at_its_line() {
    let case = Case::new(&base());
    let file = case.dir.path().join("sweep.toml");
    std::fs::write(&file, b"base = \"bad.toml\"\n# caf\xe9\n[parameters]\n").unwrap();
    jeugdstroom(&["sweep", path_str(&file)])
        .input_error(&file, 2, None)
        .contains("UTF-8");
}
