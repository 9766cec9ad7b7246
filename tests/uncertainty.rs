//! Uncertain parameters: `{ mean, sd }` and `{ low, mode, high }` on any
//! number, drawn once per replication and truncated to the valid range;
//! common random numbers across scenarios that share a parameter; the
//! variance split of `uncertainty.csv` against a gamma–Poisson-like case
//! whose answer is known; determinism over threads and shards; and bad
//! distributions refused at their line.

use crate::util::{Case, binary, line_of, path_str, prepare, read_result, single_form};
use std::path::Path;

/// Replications of the in-process draw tests.
const DRAWS: u64 = 2_000;

/// The drawn values of `parameter` over `DRAWS` replications.
fn draws(text: &str, parameter: &str) -> Vec<f64> {
    let prepared = prepare(text);
    let u = prepared.uncertainty.as_ref().expect("uncertain parameters");
    let at = u
        .names()
        .iter()
        .position(|n| n == parameter)
        .expect("parameter drawn");
    let sampler = u.sampler(7);
    (0..DRAWS)
        .map(|r| sampler.model(r).unwrap_or_else(|e| panic!("{e}")).1[at])
        .collect()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, var.sqrt())
}

/// The one-form scenario with `rate_per_1000` and the form's extra TOML.
fn scenario(rate: &str, extra: &str) -> String {
    single_form(1.0, "{ distribution = \"fixed\", days = 1 }", extra, 2, 0)
        .replace("rate_per_1000 = 1", &format!("rate_per_1000 = {rate}"))
}

#[test]
fn a_normal_parameter_has_its_mean_and_sd_across_replications() {
    let text = scenario("100", "").replace("tariff = 100\n", "tariff = { mean = 100, sd = 10 }\n");
    let v = draws(&text, "care_forms.bed.tariff");
    let (m, s) = mean_sd(&v);
    let n = DRAWS as f64;
    // Four standard errors: of the mean σ/√n, of the sd σ/√(2(n−1)).
    assert!((m - 100.0).abs() < 4.0 * 10.0 / n.sqrt(), "mean {m}");
    assert!(
        (s - 10.0).abs() < 4.0 * 10.0 / (2.0 * (n - 1.0)).sqrt(),
        "sd {s}"
    );
}

#[test]
fn a_pert_parameter_has_the_pert_mean() {
    let text = scenario("100", "").replace(
        "tariff = 100\n",
        "tariff = { low = 50, mode = 100, high = 250 }\n",
    );
    let v = draws(&text, "care_forms.bed.tariff");
    let (m, s) = mean_sd(&v);
    // PERT: mean (a + 4b + c)/6, variance (μ − a)(c − μ)/7.
    let mean = (50.0 + 4.0 * 100.0 + 250.0) / 6.0;
    let sd = ((mean - 50.0) * (250.0 - mean) / 7.0_f64).sqrt();
    assert!(
        (m - mean).abs() < 4.0 * sd / (DRAWS as f64).sqrt(),
        "mean {m}"
    );
    assert!((s - sd).abs() < 0.1 * sd, "sd {s} vs {sd}");
    assert!(v.iter().all(|x| (50.0..=250.0).contains(x)));
    let tri = text.replace(
        "high = 250 }",
        "high = 250, distribution = \"triangular\" }",
    );
    let (m, _) = mean_sd(&draws(&tri, "care_forms.bed.tariff"));
    let tri_sd = ((50.0f64.powi(2) + 100.0f64.powi(2) + 250.0f64.powi(2)
        - 50.0 * 100.0
        - 50.0 * 250.0
        - 100.0 * 250.0)
        / 18.0)
        .sqrt();
    assert!(
        (m - 400.0 / 3.0).abs() < 4.0 * tri_sd / (DRAWS as f64).sqrt(),
        "triangular mean {m}"
    );
}

#[test]
fn truncation_keeps_draws_in_the_valid_range_with_the_truncated_mean() {
    // rate ≥ 0: normal(1, 2) truncated at 0 has mean 1 + 2 φ(0.5) / Φ(0.5).
    let v = draws(
        &scenario("{ mean = 1, sd = 2 }", ""),
        "arrivals.rate_per_1000",
    );
    assert!(v.iter().all(|x| *x >= 0.0), "a negative rate was drawn");
    let phi = (-0.125f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let want = 1.0 + 2.0 * phi / 0.691_462_461;
    let (m, s) = mean_sd(&v);
    assert!(
        (m - want).abs() < 4.0 * s / (DRAWS as f64).sqrt(),
        "mean {m} vs {want}"
    );
    // A probability stays in [0, 1] (half the normal's mass lies above 1).
    let p = draws(
        &scenario("1", "extension_probability = { mean = 0.9, sd = 0.3 }"),
        "care_forms.bed.extension_probability",
    );
    assert!(p.iter().all(|x| (0.0..=1.0).contains(x)));
    assert!(p.iter().any(|x| *x > 0.99) && p.iter().any(|x| *x < 0.5));
}

#[test]
fn a_distribution_without_spread_is_just_the_number() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    std::fs::write(&a, scenario("100", "")).unwrap();
    std::fs::write(&b, scenario("{ mean = 100, sd = 0 }", "")).unwrap();
    for (file, out) in [(&a, "ra"), (&b, "rb")] {
        run(
            file,
            &tmp.path().join(out),
            &["--replications", "20", "--seed", "3"],
        );
    }
    for f in ["summary.csv", "replications.csv", "uncertainty.csv"] {
        assert_eq!(
            read_result(&tmp.path().join("ra"), f),
            read_result(&tmp.path().join("rb"), f),
            "{f}"
        );
    }
    assert!(!tmp.path().join("rb/parameters.csv").exists());
}

fn run(scenario: &Path, out: &Path, args: &[&str]) {
    binary()
        .arg("run")
        .arg(scenario)
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// (replication, value) of `metric` of the region in `year` from replications.csv.
fn region_values(dir: &Path, year: &str, metric: &str) -> Vec<f64> {
    csv::Reader::from_path(dir.join("replications.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[1] == year && &r[2] == "region" && &r[4] == metric)
        .map(|r| r[5].parse().unwrap())
        .collect()
}

#[test]
fn scenarios_sharing_a_parameter_share_its_draws_and_keep_the_paired_variance_reduction() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.toml"), tmp.path().join("b.toml"));
    let text = scenario("{ mean = 100, sd = 30 }", "");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(
        &b,
        text.replace("tariff = 100\n", "tariff = { mean = 110, sd = 3 }\n"),
    )
    .unwrap();
    let args = ["--replications", "300", "--seed", "4"];
    run(&a, &tmp.path().join("ra"), &args);
    run(&b, &tmp.path().join("rb"), &args);
    let rate = |dir: &str| -> Vec<String> {
        std::fs::read_to_string(tmp.path().join(dir).join("parameters.csv"))
            .unwrap()
            .lines()
            .filter(|l| l.contains("rate_per_1000"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        rate("ra"),
        rate("rb"),
        "the shared parameter drew the same values"
    );
    let ca = region_values(&tmp.path().join("ra"), "2029", "cost_eur");
    let cb = region_values(&tmp.path().join("rb"), "2029", "cost_eur");
    let diff: Vec<f64> = ca.iter().zip(&cb).map(|(x, y)| y - x).collect();
    let (sa, sb, sd) = (mean_sd(&ca).1, mean_sd(&cb).1, mean_sd(&diff).1);
    assert!(sd < 0.25 * sa.min(sb), "paired sd {sd} vs {sa}, {sb}");
}

/// `share_parameter` of the region's `metric` in `year`.
fn share(dir: &Path, year: &str, metric: &str) -> f64 {
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(dir.join("uncertainty.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[0] == year && &r[1] == "region" && &r[3] == metric)
        .collect();
    rows[0][6].parse().unwrap()
}

#[test]
fn the_variance_split_matches_poisson_counts_with_an_uncertain_rate() {
    // Arrivals per year: Poisson(λ) with λ ~ normal(100, 30) (truncation at 0
    // is 4 sd away): Var = E λ + Var λ, the parameter's share Var λ / (E λ + Var λ) = 0.9.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(&file, scenario("{ mean = 100, sd = 30 }", "")).unwrap();
    let n: f64 = 2_000.0;
    run(
        &file,
        &tmp.path().join("r"),
        &["--replications", "2000", "--seed", "8"],
    );
    // The share's standard error is about √2 · 0.1 · √(2/n) ≈ 0.0045 here.
    let tolerance = 4.0 * 2f64.sqrt() * 0.1 * (2.0 / n).sqrt();
    for year in ["2028", "2029"] {
        let s = share(&tmp.path().join("r"), year, "inflow");
        assert!((s - 0.9).abs() < tolerance, "{year}: share {s}");
    }
    // Without a distribution there is no twin and the share is 0.
    std::fs::write(&file, scenario("100", "")).unwrap();
    run(
        &file,
        &tmp.path().join("f"),
        &["--replications", "50", "--seed", "8"],
    );
    assert_eq!(share(&tmp.path().join("f"), "2028", "inflow"), 0.0);
    assert!(!tmp.path().join("f/replications_at_mean.parquet").exists());
}

/// Every file of a result folder but the manifest, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "manifest.json" && !n.ends_with(".html"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| (n.clone(), read_result(dir, &n)))
        .collect()
}

#[test]
fn uncertain_runs_are_identical_for_any_thread_count_and_for_shards_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    let text = scenario("{ mean = 100, sd = 30 }", "").replace(
        "tariff = 100\n",
        "tariff = { low = 80, mode = 100, high = 150 }\n",
    );
    std::fs::write(&file, text).unwrap();
    let base = ["--replications", "9", "--seed", "5"];
    let d = |n: &str| tmp.path().join(n);
    run(&file, &d("t1"), &[&base[..], &["--threads", "1"]].concat());
    run(&file, &d("t2"), &[&base[..], &["--threads", "2"]].concat());
    for k in ["1/2", "2/2"] {
        let out = d(&format!("s{}", &k[..1]));
        run(&file, &out, &[&base[..], &["--shard", k]].concat());
    }
    binary()
        .args([
            "merge",
            path_str(&d("s1")),
            path_str(&d("s2")),
            "--out",
            path_str(&d("m")),
        ])
        .assert()
        .success();
    let one = files(&d("t1"));
    assert!(one.iter().any(|(n, _)| n == "parameters.csv"));
    assert_eq!(one, files(&d("t2")), "threads 1 vs 2");
    assert_eq!(one, files(&d("m")), "single run vs 2 shards merged");
}

#[test]
fn a_distribution_replaces_the_value_it_overrides_in_extends() {
    let case = Case::new(&scenario("{ 2028 = 50, 2029 = 60 }", ""));
    let base = case.file("base.toml", &scenario("{ 2028 = 50, 2029 = 60 }", ""));
    let over = case.file(
        "over.toml",
        "extends = \"base.toml\"\n[arrivals]\nrate_per_1000 = { mean = 100, sd = 10 }\n",
    );
    let loaded = jeugdstroom::scenario::load_file(&over).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.parameters.len(), 1);
    assert_eq!(loaded.parameters[0].name(), "arrivals.rate_per_1000");
    // And the other way round: a number replaces a distribution of the base.
    std::fs::write(&base, scenario("{ mean = 100, sd = 10 }", "")).unwrap();
    std::fs::write(
        &over,
        "extends = \"base.toml\"\n[arrivals]\nrate_per_1000 = 40\n",
    )
    .unwrap();
    let loaded = jeugdstroom::scenario::load_file(&over).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.parameters.is_empty());
}

/// `bad` in place of the rate (or in the form's extra TOML) is refused at its line.
fn refused(rate: &str, extra: &str, at: &str, field: &str, says: &str) {
    let text = scenario(rate, extra);
    let case = Case::new(&text);
    let out = case.validate();
    out.input_error(&case.scenario, line_of(&text, at), Some(field))
        .contains(says);
    case.run()
        .input_error(&case.scenario, line_of(&text, at), Some(field));
}

#[test]
fn bad_distributions_are_refused_at_their_line() {
    let rate = "arrivals.rate_per_1000";
    refused(
        "{ mean = 100, sd = -1 }",
        "",
        "sd = -1",
        rate,
        "sd must be 0 or more",
    );
    refused(
        "{ low = 5, mode = 4, high = 9 }",
        "",
        "low = 5",
        rate,
        "low ≤ mode ≤ high",
    );
    refused(
        "{ mean = 100, sd = 1, max = 3 }",
        "",
        "max = 3",
        rate,
        "unknown key(s) max",
    );
    refused(
        "{ low = 1, mode = 2, high = 3, distribution = \"beta\" }",
        "",
        "beta",
        rate,
        "\"triangular\"",
    );
    refused(
        "{ mean = -5, sd = 1 }",
        "",
        "mean = -5",
        rate,
        "non-negative",
    );
    let ext = "care_forms.bed.extension_probability";
    refused(
        "1",
        "extension_probability = { mean = 0.5, sd = 100 }",
        "sd = 100",
        ext,
        "% of it lies inside",
    );
}
