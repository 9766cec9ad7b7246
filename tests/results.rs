//! Result files through the real binary: determinism across threads and
//! shards, common random numbers, exact money, and the file contracts.

use std::path::Path;

use crate::util::{self, DEFAULT, RESULT_FILES, binary, read_result as read, run_into as run};

#[test]
fn output_is_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    run(
        &["--replications", "6", "--seed", "9", "--threads", "1"],
        &one,
    );
    run(
        &["--replications", "6", "--seed", "9", "--threads", "2"],
        &two,
    );
    for f in RESULT_FILES {
        assert!(
            read(&one, f) == read(&two, f),
            "{f} differs between 1 and 2 threads"
        );
    }
    // A different seed gives different numbers (the comparison can fail).
    let other = tmp.path().join("seed10");
    run(
        &["--replications", "6", "--seed", "10", "--threads", "2"],
        &other,
    );
    assert!(read(&one, "summary.csv") != read(&other, "summary.csv"));
}

#[test]
fn shards_merge_to_the_unsharded_result() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    run(&["--replications", "7", "--seed", "3"], &whole);
    let mut shards = Vec::new();
    for k in 1..=3 {
        let dir = tmp.path().join(format!("shard{k}"));
        run(
            &[
                "--replications",
                "7",
                "--seed",
                "3",
                "--shard",
                &format!("{k}/3"),
                "--threads",
                "1",
            ],
            &dir,
        );
        shards.push(dir);
    }
    let merged = tmp.path().join("merged");
    // Order of the arguments does not matter.
    binary()
        .arg("merge")
        .args([&shards[2], &shards[0], &shards[1]])
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    for f in RESULT_FILES {
        assert!(
            read(&whole, f) == read(&merged, f),
            "{f} of merged shards differs from the unsharded run"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&merged, "manifest.json")).unwrap();
    assert_eq!(manifest["replications"], 7);
    assert_eq!(manifest["parts"].as_array().unwrap().len(), 3);

    // Missing and duplicated shards are refused with exit code 2.
    binary()
        .arg("merge")
        .args([&shards[0], &shards[1]])
        .arg("--out")
        .arg(tmp.path().join("m2"))
        .assert()
        .code(2);
    binary()
        .arg("merge")
        .args([&shards[0], &shards[0], &shards[1], &shards[2]])
        .arg("--out")
        .arg(tmp.path().join("m3"))
        .assert()
        .code(2);
    // A shard of another seed is refused.
    let alien = tmp.path().join("alien");
    run(
        &["--replications", "7", "--seed", "4", "--shard", "3/3"],
        &alien,
    );
    let out = binary()
        .arg("merge")
        .args([&shards[0], &shards[1], &alien])
        .arg("--out")
        .arg(tmp.path().join("m4"))
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("seed"));
}

#[test]
fn common_random_numbers_keep_flows_identical_when_a_tariff_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base.toml");
    std::fs::write(&base, DEFAULT).unwrap();
    let variant = tmp.path().join("variant.toml");
    std::fs::write(
        &variant,
        "extends = \"base.toml\"\n[care_forms.residential]\ntariff = 450\n",
    )
    .unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&[base.to_str().unwrap(), "--replications", "3"], &a);
    run(&[variant.to_str().unwrap(), "--replications", "3"], &b);
    let rows = |dir: &Path| -> Vec<csv::StringRecord> {
        csv::Reader::from_path(dir.join("summary.csv"))
            .unwrap()
            .records()
            .map(Result::unwrap)
            .collect()
    };
    let (ra, rb) = (rows(&a), rows(&b));
    assert_eq!(ra.len(), rb.len());
    let mut money_differs = false;
    for (x, y) in ra.iter().zip(&rb) {
        // Money, and what the contract derives from money (adjustments, shares).
        let derived_from_money = [
            "adjusted_down",
            "adjusted_up_growth",
            "adjusted_up_shock",
            "insolvent",
            "contribution_share",
        ];
        if x[5].ends_with("_eur") || derived_from_money.contains(&&x[5]) {
            money_differs |= x != y;
        } else {
            assert_eq!(x, y, "flow metric changed with a tariff");
        }
    }
    assert!(money_differs, "the tariff change shows in the money");
}

/// Two clients in care and one waiting, fixed durations, no arrivals: every
/// euro is known in advance.
#[test]
fn deterministic_scenario_costs_to_the_cent() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("caseload.csv"),
        "municipality,area,care_form,priority,age,days,status\n\
         town,centre,bed,regular,10,0,in_care\n\
         town,centre,bed,safety,11,0,in_care\n\
         town,centre,bed,crisis,12,5,waiting\n",
    )
    .unwrap();
    let scenario = r#"
name = "cents"
[horizon]
start_year = 2028
years = 1
[initial_state]
caseload = "caseload.csv"
[municipalities.town]
[areas.centre]
youth = { town = 1000 }
[arrivals]
population_year = 2028
rate_per_1000 = 0
entry = { bed = 1.0 }
priority = { regular = 1.0 }
[care_forms.bed]
kind = "residential"
duration = { distribution = "fixed", days = 100 }
tariff = 123.45
age = [ { from = 0, to = 17, weight = 1 } ]
capacity = { scope = "region", places = 2 }
overflow = { policy = "out_of_region", tariff_multiplier = 1.5 }
fixed_cost_per_place_day = 10.10
[fixed_costs]
crisis_service = 500.50
area_teams = { centre = 1000 }
[lumpsum]
region = 60_000
"#;
    let path = tmp.path().join("cents.toml");
    std::fs::write(&path, scenario).unwrap();
    let out = tmp.path().join("out");
    run(&[path.to_str().unwrap(), "--replications", "3"], &out);
    // 200 local days × 123.45 = 24,690.00; 100 out-of-region days × 123.45 × 1.5
    // = 18,517.50; 2 places × 365 days × 10.10 = 7,373.00; fixed 1,500.50.
    let expect = [
        ("bed", "cost_eur", "50580.50"),
        ("all", "cost_eur", "52081.00"),
        ("all", "balance_eur", "7919.00"),
    ];
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("summary.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    for (form, metric, value) in expect {
        let row = rows
            .iter()
            .find(|r| &r[1] == "all" && &r[2] == "all" && &r[4] == form && &r[5] == metric)
            .unwrap_or_else(|| panic!("row {form}/{metric}"));
        for stat in 6..15 {
            let want = if stat == 7 { "0.00" } else { value };
            assert_eq!(&row[stat], want, "{form}/{metric} column {stat}");
        }
    }
    let f: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("feasibility.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&f[0][3], "60000.00");
    assert_eq!(&f[0][4], "52081.00");
    assert_eq!(&f[0][7], "0.000000");
}

#[test]
fn result_files_follow_the_contract() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = binary()
        .args(["run", "--replications", "4", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("2028") && stdout.contains("2037") && stdout.contains("P(cost > ls)"),
        "{stdout}"
    );
    assert!(
        assert.get_output().stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
    summary_follows_the_contract(&out);
    feasibility_and_party_tables_follow_the_contract(&out);
    replications_follow_the_contract(&out);
    manifest_follows_the_contract(&out);
}

fn summary_follows_the_contract(out: &std::path::Path) {
    let mut summary = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    assert_eq!(
        summary.headers().unwrap(),
        vec![
            "year",
            "municipality",
            "area",
            "provider",
            "care_form",
            "metric",
            "mean",
            "sd",
            "p05",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "p95"
        ]
    );
    let metrics: std::collections::BTreeSet<String> = summary
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    for m in [
        "inflow",
        "starts",
        "outflow",
        "active_end",
        "client_days",
        "place_days_occupied",
        "place_days_vacant",
        "occupancy",
        "waiting_end",
        "wait_days_mean",
        "p_wait",
        "wait_days_home_mean",
        "wait_days_blocked_mean",
        "blocked_days",
        "left_region",
        "out_of_region_starts",
        "reneged",
        "aged_out",
        "cost_eur",
        "lumpsum_eur",
        "balance_eur",
    ] {
        assert!(metrics.contains(m), "metric {m} in summary.csv");
    }
}

fn feasibility_and_party_tables_follow_the_contract(out: &std::path::Path) {
    let mut feas = csv::Reader::from_path(out.join("feasibility.csv")).unwrap();
    assert_eq!(
        feas.headers().unwrap(),
        vec![
            "year",
            "scope",
            "name",
            "lumpsum_eur",
            "cost_mean_eur",
            "cost_p50_eur",
            "cost_p95_eur",
            "p_overrun",
            "expected_shortfall_eur",
            "shortfall_p90_eur",
            "shortfall_p95_eur",
            "p_insolvent"
        ]
    );
    // 10 years × (region + 4 municipalities + 3 providers).
    assert_eq!(feas.records().count(), 80);
    for extra in ["providers.csv", "municipalities.csv", "regimes.csv"] {
        assert!(out.join(extra).exists(), "{extra} written");
    }
}

fn replications_follow_the_contract(out: &std::path::Path) {
    let mut reps = csv::Reader::from_path(out.join("replications.csv")).unwrap();
    assert_eq!(
        reps.headers().unwrap(),
        vec!["replication", "year", "scope", "name", "metric", "value"]
    );
    let replications: std::collections::BTreeSet<String> =
        reps.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(replications.len(), 4);
}

fn manifest_follows_the_contract(out: &std::path::Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "version",
        "scenario_sha256",
        "seed",
        "replications",
        "events",
        "wall_seconds",
        "created_at",
        "threads",
    ] {
        assert!(manifest.get(key).is_some(), "manifest has {key}");
    }
    assert!(manifest["events"].as_u64().unwrap() > 1_000_000);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    // No temporary files are left behind.
    for entry in std::fs::read_dir(out).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(!name.ends_with(".tmp"), "left over {name}");
    }
}

#[test]
fn hostile_names_cannot_start_spreadsheet_formulas() {
    let text = util::single_form(
        10.0,
        r#"{ distribution = "exponential", mean = 20 }"#,
        "",
        2,
        0,
    )
    .replace(
        "[municipalities.town]",
        "[municipalities.\"=HYPERLINK(1)\"]",
    )
    .replace(
        "youth = { town = 1000 }",
        "youth = { \"=HYPERLINK(1)\" = 1000 }",
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("hostile.toml");
    std::fs::write(&path, text).unwrap();
    let out = tmp.path().join("out");
    run(&[path.to_str().unwrap(), "--replications", "2"], &out);
    for f in RESULT_FILES {
        let text = String::from_utf8(read(&out, f)).unwrap();
        assert!(
            !text.contains(",=HYPERLINK") && !text.contains("\n=HYPERLINK"),
            "{f} starts a formula"
        );
        if f != "summary.csv" || text.contains("HYPERLINK") {
            assert!(
                text.contains("'=HYPERLINK"),
                "{f} keeps the name, neutralised"
            );
        }
    }
}

#[test]
fn scenario_prints_the_shipped_default_and_a_schema_with_every_section() {
    let out = binary().args(["scenario", "default"]).assert().success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), DEFAULT);
    let out = binary().args(["scenario", "schema"]).assert().success();
    let schema: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "horizon",
        "municipalities",
        "areas",
        "arrivals",
        "care_forms",
        "lumpsum",
        "initial_state",
    ] {
        assert!(props.contains_key(key), "schema has {key}");
    }
}

/// With every money rule switched on (indexation, shocks, growth adjustments,
/// equal split of extra costs, declaration lag) threads and shards still
/// give the same bytes.
#[test]
fn all_money_rules_on_stay_deterministic_and_mergeable() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("base.toml"), DEFAULT).unwrap();
    let variant = tmp.path().join("all-on.toml");
    std::fs::write(
        &variant,
        "extends = \"base.toml\"\n\
         [indexation]\nbase_year = 2025\ncosts = 0.03\nlumpsum = 0.02\n\
         [contract]\nshocks = { 2030 = 0.04 }\nupward_growth_threshold = 0.02\nextra_cost_split = \"equal\"\n",
    )
    .unwrap();
    let v = variant.to_str().unwrap();
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    run(&[v, "--replications", "4", "--threads", "1"], &one);
    run(&[v, "--replications", "4", "--threads", "2"], &two);
    let mut parts = Vec::new();
    for k in 1..=2 {
        let dir = tmp.path().join(format!("s{k}"));
        run(
            &[v, "--replications", "4", "--shard", &format!("{k}/2")],
            &dir,
        );
        parts.push(dir);
    }
    let merged = tmp.path().join("merged");
    binary()
        .arg("merge")
        .args(&parts)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    for f in RESULT_FILES
        .iter()
        .chain(&["providers.csv", "municipalities.csv", "regimes.csv"])
    {
        assert!(read(&one, f) == read(&two, f), "{f}: threads");
        assert!(read(&one, f) == read(&merged, f), "{f}: merge");
    }
    // The shock shows: every provider is adjusted up in 2030 in every future.
    let providers = String::from_utf8(read(&one, "providers.csv")).unwrap();
    let shocked: Vec<&str> = providers
        .lines()
        .filter(|l| l.starts_with("2030,"))
        .collect();
    assert_eq!(shocked.len(), 3);
    assert!(
        shocked
            .iter()
            .all(|l| l.split(',').nth(9) == Some("1.000000")),
        "{shocked:?}"
    );
}
