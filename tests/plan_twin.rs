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

/// The report opens with the answers: P with and without the plan, the
/// share of the spread from uncertain parameters, what `required` found,
/// the lumpsum enough with 80 % certainty, and where growth comes from.
#[test]
fn the_report_leads_with_the_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("plan.toml");
    let text = planned().replace(
        "rate_per_1000 = 400",
        "rate_per_1000 = { mean = 400, sd = 80 }",
    );
    assert!(text.contains("sd = 80"), "the rate is uncertain");
    std::fs::write(&scenario, text).unwrap();
    let out = tmp.path().join("out");
    let path = scenario.to_str().unwrap();
    run_into(&[path, "--replications", "20"], &out);
    binary()
        .args(["required", path, "--lever", "inflow", "--year", "2029"])
        .args([
            "--target",
            "0.5",
            "--replications",
            "20",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    binary()
        .args(["report", out.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let answers = &html[html.find("id=\"answers\"").expect("answers first")..];
    let answers = &answers[..answers.find("</ol>").unwrap()];
    let headline = html.find("id=\"headline\"").unwrap();
    assert!(
        html.find("id=\"answers\"").unwrap() > headline,
        "inside the headline"
    );
    assert!(html.find("id=\"answers\"").unwrap() < html.find("fan-cost").unwrap());
    for key in ["plan", "uncertainty", "required", "sufficient", "growth"] {
        assert!(
            answers.contains(&format!("data-answer=\"{key}\"")),
            "{key}: {answers}"
        );
    }
    assert!(answers.contains("without the plan"), "{answers}");
    assert!(
        answers.contains("confirmed"),
        "required's answer is quoted: {answers}"
    );
    // A rate sd of 20 % against Poisson noise of 5 %: most of the spread is
    // the parameter, so the share is quoted as a percentage, not "no uncertain".
    assert!(!answers.contains("no uncertain parameters"), "{answers}");
}
