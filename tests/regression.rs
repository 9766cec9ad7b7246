//! Regression tests, each named after what broke. Found by mutating every
//! number of the default (commit d6f33b1): a CV of 1e300 panicked in the
//! distribution constructor, huge rates simulated forever.

use crate::util::*;

#[test]
fn cv_of_1e300_panicked() {
    rejects_edit(
        "mean = 120, cv = 0.7",
        "mean = 120, cv = 1e300",
        "care_forms.secure.duration.cv",
    )
    .contains("implausibly large");
}

#[test]
fn million_day_duration_was_accepted() {
    rejects_edit(
        "mean = 120, cv = 0.7",
        "mean = 1e6, cv = 0.7",
        "care_forms.secure.duration.mean",
    )
    .contains("days");
}

#[test]
fn rate_per_1000_of_82000_never_finished() {
    rejects_edit(
        "rate_per_1000 = { mean = 82, sd = 4.92 }",
        "rate_per_1000 = 82000",
        "arrivals.rate_per_1000",
    )
    .contains("implausibly large");
}

#[test]
fn billions_of_youth_never_finished() {
    // The error points at the rate, the field the message asks to check first.
    let text = edit(
        "youth = { amsterdam = 21_000 }",
        "youth = { amsterdam = 21_000_000_000 }",
    );
    let case = Case::new(&text);
    case.validate()
        .input_error(
            &case.scenario,
            line_of(&text, "rate_per_1000 = { mean = 82, sd = 4.92 }"),
            Some("arrivals.rate_per_1000"),
        )
        .contains("arrivals a year");
}

/// A device or pipe named as an input file was read forever (found trying
/// `/dev/zero` as a scenario, history, sweep file and `extends` base):
/// only regular files of bounded size are read.
#[test]
fn dev_zero_as_an_input_file_never_finished() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = path_str(&out);
    for args in [
        vec!["validate", "/dev/zero"],
        vec!["calibrate", "/dev/zero", "--out", out],
        vec!["sweep", "/dev/zero", "--out", out],
    ] {
        jeugdstroom(&args)
            .rejected()
            .contains("/dev/zero")
            .contains("not a regular file");
    }
    let base = tmp.path().join("s.toml");
    std::fs::write(&base, "name = \"x\"\nextends = \"/dev/zero\"\n").unwrap();
    jeugdstroom(&["validate", path_str(&base)])
        .rejected()
        .contains("not a regular file");
}

/// `capacity --out` under a file (e.g. `/dev/null/x.csv`) was an internal
/// error ("File exists") after the simulations; it is refused up front.
#[test]
fn capacity_out_under_a_file_was_internal() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let out = file.join("advice.csv");
    let scenario = write_single_form(
        tmp.path(),
        "capacity = { scope = \"region\", places = 5 }",
        1,
    );
    let args = ["capacity", path_str(&scenario), "--out", path_str(&out)];
    jeugdstroom(&args).rejected().contains("--out");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
