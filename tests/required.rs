//! `jeugdstroom required` against a case solved in closed form, its bad
//! flags, its determinism, and where it writes; `sufficient_lumpsum.csv`
//! against the same case.
//!
//! The closed-form case: one care form, Poisson arrivals (λ = 120 a year),
//! stays of 0.01 day at €10 000 a day — €100 a client — and a lumpsum of
//! €11 050 in a one-year horizon. Cost overruns exactly when more than 110
//! clients arrive (the stays are too short to straddle New Year in practice:
//! the chance of an arrival in the year's last 0.005 day is 0.2 %). With
//! inflow × (1 + x), P(overrun) = P(Poisson(120 (1 + x)) > 110), so the
//! change for a target P follows from the Poisson distribution.

use crate::util::{binary, jeugdstroom, read_result};
use jeugdstroom::pipeline::required::{self, Party, Question, RequiredLever, Settings};
use jeugdstroom::pipeline::{Runner, prepare_loaded};
use jeugdstroom::scenario;
use std::path::Path;

const LAMBDA: f64 = 120.0;
const K: u64 = 110;

const POISSON: &str = r#"
name = "poisson"
[horizon]
start_year = 2028
years = 1
[simulation]
replications = 400
seed = 11
[municipalities.town]
[areas.centre]
youth = { town = 1000 }
[arrivals]
population_year = 2028
rate_per_1000 = 120
entry = { home = 1.0 }
priority = { regular = 1.0 }
[care_forms.home]
kind = "ambulant"
duration = { distribution = "fixed", days = 0.01 }
tariff = 10000
age = [ { from = 0, to = 10, weight = 1 } ]
[lumpsum]
region = 11050
"#;

/// P(N > k) for N ~ Poisson(μ).
fn poisson_above(k: u64, mu: f64) -> f64 {
    let mut term = (-mu).exp();
    let mut cdf = term;
    for i in 1..=k {
        term *= mu / i as f64;
        cdf += term;
    }
    1.0 - cdf
}

/// The inflow change x with P(Poisson(λ(1 + x)) > K) = p (bisection on μ).
fn closed_form_change(p: f64) -> f64 {
    let (mut lo, mut hi) = (1.0, 400.0);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if poisson_above(K, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi) / LAMBDA - 1.0
}

fn write_scenario(dir: &Path) -> String {
    let path = dir.join("poisson.toml");
    std::fs::write(&path, POISSON).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_required_inflow_change_matches_the_poisson_answer_and_hits_its_target() {
    let loaded = scenario::load_str("poisson.toml", POISSON, Path::new(".")).unwrap();
    let prepared = prepare_loaded(loaded).unwrap();
    let replications = 400;
    let question = Question {
        lever: RequiredLever::Inflow,
        year: 2028,
        from: None,
        targets: vec![0.5, 0.2],
        party: "region".parse::<Party>().unwrap(),
    };
    let settings = Settings {
        seed: 11,
        replications,
        runner: Runner {
            threads: 2,
            quiet: true,
        },
    };
    let mut runs = 0;
    let rows = required::required(&prepared, &question, settings, &mut |_, _| runs += 1).unwrap();
    assert!(runs <= 40, "{runs} runs");
    for row in &rows {
        let p = row.target_p_overrun;
        let exact = closed_form_change(p);
        println!(
            "target {p}: closed form {exact:.4}, estimate {:.4} (95 %: {:.4} … {:.4}), confirmed {:.3}, {runs} runs",
            row.change, row.change_ci95_low, row.change_ci95_high, row.p_overrun_confirmed
        );
        assert_eq!(row.status, "found");
        assert!(
            row.change_ci95_low <= exact && exact <= row.change_ci95_high,
            "target {p}: closed form {exact:.4} outside [{:.4}, {:.4}] (estimate {:.4})",
            row.change_ci95_low,
            row.change_ci95_high,
            row.change
        );
        // Re-simulated on fresh replications: the binomial error of the
        // confirmation plus that of the estimate, at four standard errors.
        let tolerance = 4.0 * (2.0 * p * (1.0 - p) / replications as f64).sqrt();
        assert!(
            (row.p_overrun_confirmed - p).abs() < tolerance,
            "target {p}: confirmed {}",
            row.p_overrun_confirmed
        );
        // And the exact probability at the estimated change is near the target too.
        let at_estimate = poisson_above(K, LAMBDA * (1.0 + row.change));
        assert!(
            (at_estimate - p).abs() < tolerance,
            "target {p}: exact {at_estimate}"
        );
    }
    // The lower target needs the larger cut.
    assert!(rows[1].change < rows[0].change);
}

#[test]
fn required_is_the_same_for_any_thread_count_and_joins_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write_scenario(tmp.path());
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    let args = |threads: &str, out: &Path| {
        let mut a: Vec<String> = ["required", &scenario, "--lever", "inflow", "--year", "2028"]
            .map(String::from)
            .to_vec();
        a.extend(
            [
                "--target",
                "0.5",
                "--replications",
                "100",
                "--quiet",
                "--threads",
                threads,
            ]
            .map(String::from),
        );
        a.extend(["--out".to_string(), out.to_str().unwrap().to_string()]);
        a
    };
    // Into a finished run of the same scenario: required.csv joins it.
    binary()
        .args(["run", &scenario, "--replications", "20", "--quiet", "--out"])
        .arg(&one)
        .assert()
        .success();
    let out = binary().args(args("1", &one)).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("brings P(cost > lumpsum) in 2028 to 50 %"),
        "{stdout}"
    );
    binary().args(args("2", &two)).assert().success();
    assert_eq!(
        read_result(&one, "required.csv"),
        read_result(&two, "required.csv")
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&read_result(&one, "manifest.json")).unwrap();
    assert!(manifest["files"]["required.csv"].is_string());
    assert!(manifest["files"]["replications.parquet"].is_string());
    let csv = String::from_utf8(read_result(&one, "required.csv")).unwrap();
    assert!(csv.starts_with(
        "lever,year,scope,name,target_p_overrun,change,change_ci95_low,change_ci95_high,p_overrun_confirmed,from_year,status\n"
    ));
    // The report of the run folder shows the answer.
    let report = tmp.path().join("report.html");
    binary()
        .args([
            "report",
            one.to_str().unwrap(),
            "--out",
            report.to_str().unwrap(),
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("<section id=\"required\""),
        "no required section"
    );
    assert!(html.contains("What would have to change?"));
    assert!(
        html.contains("table-sufficient") && html.contains("Lumpsum enough with 80 % certainty")
    );
    binary()
        .args([
            "report",
            one.to_str().unwrap(),
            "--lang",
            "nl",
            "--out",
            report.to_str().unwrap(),
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains("Wat zou er moeten veranderen?"));
    assert!(html.contains("Benodigde lumpsum bij 80 % zekerheid"));
    // A run folder of another scenario is refused before any simulation.
    let other = tmp.path().join("other.toml");
    std::fs::write(&other, POISSON.replace("region = 11050", "region = 12000")).unwrap();
    let refused = jeugdstroom(&[
        "required",
        other.to_str().unwrap(),
        "--lever",
        "inflow",
        "--year",
        "2028",
        "--target",
        "0.5",
        "--out",
        one.to_str().unwrap(),
    ]);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("another scenario"),
        "{}",
        refused.stderr
    );
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write_scenario(tmp.path());
    let out = tmp.path().join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "required",
            &scenario,
            "--replications",
            "5",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        jeugdstroom(&args)
    };
    let base = ["--lever", "inflow", "--year", "2028", "--target", "0.5"];
    let with = |flag: &str, value: &str| {
        let mut a: Vec<&str> = base.to_vec();
        match a.iter().position(|f| *f == flag) {
            Some(i) => a[i + 1] = value,
            None => a.extend([flag, value]),
        }
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let cases: [(Vec<String>, &str, &str); 8] = [
        (
            with("--scope", "provider:nobody"),
            "--scope",
            "single_provider",
        ),
        (
            with("--scope", "municipality:atlantis"),
            "--scope",
            "municipality:town",
        ),
        (with("--scope", "everyone"), "--scope", "provider:NAME"),
        (with("--year", "2031"), "--year", "2028"),
        (with("--from", "2020"), "--from", "2028"),
        (with("--target", "0"), "--target", "between 0 and 1"),
        (with("--target", "1.5"), "--target", "between 0 and 1"),
        (with("--lever", "magic"), "--lever", "inflow"),
    ];
    for (args, flag, hint) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&refs);
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains(flag) && o.stderr.contains(hint),
            "{args:?}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
    }
    assert!(
        !out.join("required.csv").exists(),
        "nothing written on bad flags"
    );
}

#[test]
fn the_sufficient_lumpsum_at_80_percent_is_the_poisson_quantile_and_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write_scenario(tmp.path());
    let out = tmp.path().join("run");
    binary()
        .args([
            "run",
            &scenario,
            "--replications",
            "400",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8(read_result(&out, "sufficient_lumpsum.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("year,scope,name,certainty,lumpsum_eur,lumpsum_now_eur,gap_eur")
    );
    let region80: Vec<&str> = lines
        .find(|l| l.starts_with("2028,region,region,0.800000,"))
        .expect("region row at 80 %")
        .split(',')
        .collect();
    let (lumpsum, now, gap): (f64, f64, f64) = (
        region80[4].parse().unwrap(),
        region80[5].parse().unwrap(),
        region80[6].parse().unwrap(),
    );
    assert_eq!(now, 11050.0);
    assert!((now + gap - lumpsum).abs() < 0.005, "adds up to the cent");
    // The 80 % quantile of 100 × Poisson(120) is €12 900 (P(N ≤ 129) = 0.80…);
    // an empirical quantile over 400 replications lies within a few clients.
    let mut n = 0;
    while 1.0 - poisson_above(n, LAMBDA) < 0.8 {
        n += 1;
    }
    assert!(
        (lumpsum - 100.0 * n as f64).abs() <= 300.0,
        "{lumpsum} vs {}",
        100 * n
    );
    // And it is enough in at least 80 % of the replications it came from.
    let reps = String::from_utf8(read_result(&out, "replications.csv")).unwrap();
    let costs: Vec<f64> = reps
        .lines()
        .filter(|l| l.contains(",2028,region,region,cost_eur,"))
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(costs.len(), 400);
    let short = costs.iter().filter(|&&c| c > lumpsum).count();
    assert!(
        short <= 80,
        "{short} of 400 replications exceed the 80 % lumpsum"
    );
}

#[test]
fn the_shipped_tornado_over_the_levers_runs_and_ranks_all_five() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tmp.path().join("tornado");
    binary()
        .arg("sweep")
        .arg(root.join("examples/tornado-levers.toml"))
        .args(["--replications", "2", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let tornado = String::from_utf8(read_result(&out, "tornado.csv")).unwrap();
    for lever in ["inflow", "duration", "tariff", "exit", "access"] {
        let path = format!("interventions.tornado_{lever}.effect");
        assert!(tornado.contains(&path), "{path} missing from\n{tornado}");
    }
    // On the same futures, more inflow, longer stays and higher tariffs cost
    // more; more exit and access cost less.
    for line in tornado.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (low, high): (f64, f64) = (cells[5].parse().unwrap(), cells[6].parse().unwrap());
        let raises = !(cells[0].contains("exit") || cells[0].contains("access"));
        assert_eq!(high > low, raises, "{line}");
    }
}
