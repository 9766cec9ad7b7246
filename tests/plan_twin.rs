//! The plan as baseline: a scenario whose interventions are marked
//! `plan = true` also runs without them on the same random numbers, writes
//! the paired difference to `plan.csv`, and the report shows both.

use crate::util::{binary, run_into, single_form};

/// One form, 400 arrivals a year, and a plan that halves inflow from the start.
fn planned() -> String {
    single_form(
        400.0,
        r#"{ distribution = "exponential", mean = 30 }"#,
        "",
        3,
        0,
    ) + r#"
[interventions.prevention]
lever = "inflow"
start = 2028
effect = -0.5
plan = true
"#
}

fn column(path: &std::path::Path, metric: &str, col: &str) -> Vec<f64> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (scope, m, c) = (at("scope"), at("metric"), at(col));
    (reader.records().map(Result::unwrap))
        .filter(|r| &r[scope] == "region" && &r[m] == metric)
        .map(|r| r[c].parse().unwrap())
        .collect()
}

#[test]
fn a_plan_runs_beside_its_counterfactual_and_the_report_shows_both() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("plan.toml");
    std::fs::write(&scenario, planned()).unwrap();
    let out = tmp.path().join("out");
    run_into(&[scenario.to_str().unwrap(), "--replications", "20"], &out);
    let twin = out.join("without_plan");
    assert!(
        twin.join("manifest.json").exists(),
        "the counterfactual is a full result"
    );
    let manifest = std::fs::read_to_string(twin.join("manifest.json")).unwrap();
    assert!(manifest.contains("single-form-without-plan"), "{manifest}");
    // Half the inflow: the plan's cost is about half of the cost without it
    // (400 arrivals a year of 30 days: a year's client-days vary by a few
    // per cent, so a ratio outside 0.4–0.6 cannot be luck).
    let plan = out.join("plan.csv");
    let (a, b) = (
        column(&plan, "cost_eur", "a_mean"),
        column(&plan, "cost_eur", "b_mean"),
    );
    assert_eq!(a.len(), 3);
    for (with, without) in a.iter().zip(&b) {
        let ratio = with / without;
        assert!((0.4..0.6).contains(&ratio), "cost {with} vs {without}");
    }
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("plan.csv"), "plan.csv has a checksum");
    let report = binary()
        .args(["report", out.to_str().unwrap(), "--lang", "nl"])
        .assert()
        .success();
    drop(report);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("zonder plan"),
        "the headline fan shows the counterfactual"
    );
}

#[test]
fn without_plan_interventions_no_twin_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("plain.toml");
    std::fs::write(&scenario, planned().replace("plan = true", "plan = false")).unwrap();
    let out = tmp.path().join("out");
    run_into(&[scenario.to_str().unwrap(), "--replications", "2"], &out);
    assert!(!out.join("without_plan").exists() && !out.join("plan.csv").exists());
}
