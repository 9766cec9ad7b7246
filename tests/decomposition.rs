//! `decomposition.csv` through the real binary: its header, the four parts
//! adding up to the change to the cent, the change equal to the difference
//! of the expected costs in `summary.csv` and `feasibility.csv`, a tariff
//! step that shows up as price only, inflow growth that shows up mostly as
//! volume, and merged shards that give the bytes of a single run.

use crate::util::{binary, path_str, read_result, run_into, single_form};
use std::collections::HashMap;
use std::path::Path;

const HEADER: &str = "year,scope,name,cost_change_eur,volume_eur,mix_eur,duration_eur,price_eur";

/// Euros with two decimals as whole cents, exactly.
fn cents(text: &str) -> i64 {
    let (int, frac) = text.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2, "{text} has two decimals");
    let sign = if int.starts_with('-') { -1 } else { 1 };
    let whole: i64 = int.trim_start_matches('-').parse().unwrap();
    sign * (whole * 100 + frac.parse::<i64>().unwrap())
}

/// The rows of a CSV as maps from column name to cell.
fn rows(dir: &Path, file: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join(file)).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// (year, scope, name) → (change, [volume, mix, duration, price]) in cents.
type Split = HashMap<(i32, String, String), (i64, [i64; 4])>;

fn splits(dir: &Path) -> Split {
    rows(dir, "decomposition.csv")
        .into_iter()
        .map(|r| {
            let key = (
                r["year"].parse().unwrap(),
                r["scope"].clone(),
                r["name"].clone(),
            );
            let parts =
                ["volume_eur", "mix_eur", "duration_eur", "price_eur"].map(|c| cents(&r[c]));
            (key, (cents(&r["cost_change_eur"]), parts))
        })
        .collect()
}

#[test]
fn parts_add_up_to_the_change_of_the_expected_cost_to_the_cent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    run_into(&["--replications", "6", "--seed", "4"], &dir);
    let text = String::from_utf8(read_result(&dir, "decomposition.csv")).unwrap();
    assert_eq!(text.lines().next(), Some(HEADER));
    let split = splits(&dir);
    // Expected cost per (year, scope, name), from both files that write it.
    let mut cost: HashMap<(i32, String, String), i64> = HashMap::new();
    for r in rows(&dir, "feasibility.csv") {
        let key = (
            r["year"].parse().unwrap(),
            r["scope"].clone(),
            r["name"].clone(),
        );
        cost.insert(key, cents(&r["cost_mean_eur"]));
    }
    for r in rows(&dir, "summary.csv") {
        if r["metric"] != "cost_eur" || r["care_form"] != "all" || r["area"] != "all" {
            continue;
        }
        let (scope, name) = match (r["municipality"].as_str(), r["provider"].as_str()) {
            ("all", "all") => ("region", "region"),
            ("all", p) => ("provider", p),
            (m, _) => ("municipality", m),
        };
        let key = (
            r["year"].parse().unwrap(),
            scope.to_string(),
            name.to_string(),
        );
        assert_eq!(cost.get(&key), Some(&cents(&r["mean"])), "{key:?}");
    }
    let years: Vec<i32> = {
        let mut y: Vec<i32> = cost.keys().map(|k| k.0).collect();
        y.sort();
        y.dedup();
        y
    };
    // Every party of feasibility.csv in every year after the first, and no other row.
    assert_eq!(split.len(), cost.len() / years.len() * (years.len() - 1));
    for ((year, scope, name), (change, parts)) in &split {
        assert_eq!(parts.iter().sum::<i64>(), *change, "{year} {scope} {name}");
        let before = cost[&(year - 1, scope.clone(), name.clone())];
        let after = cost[&(*year, scope.clone(), name.clone())];
        assert_eq!(*change, after - before, "{year} {scope} {name}");
    }
    // The default grows (more clients), so the parts are not all zero.
    assert!(
        split
            .values()
            .any(|(_, p)| p[0] != 0 && p[1] != 0 && p[2] != 0)
    );
}

/// Mean and standard deviation over the replications of a region total.
#[derive(Clone, Copy, Debug)]
struct Stat {
    mean: f64,
    sd: f64,
}

/// A one-form scenario in steady state (three warm-up years) over two years
/// at €100 a client-day; `change` edits it. Returns the region's split of
/// 2029 and, per year, the region's clients and client-days from summary.csv.
fn steady(change: (&str, &str), replications: usize) -> ((i64, [i64; 4]), [[Stat; 2]; 2]) {
    let text = single_form(
        400.0,
        r#"{ distribution = "exponential", mean = 30 }"#,
        "",
        2,
        3,
    )
    .replace(change.0, change.1);
    assert!(text.contains(change.1), "the edit applies");
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("steady.toml");
    std::fs::write(&scenario, text).unwrap();
    let dir = tmp.path().join("r");
    let n = replications.to_string();
    run_into(
        &[path_str(&scenario), "--replications", &n, "--seed", "7"],
        &dir,
    );
    let split = splits(&dir)[&(2029, "region".to_string(), "region".to_string())];
    let blank = Stat { mean: 0.0, sd: 0.0 };
    // [clients, client_days][year]
    let mut stats = [[blank; 2]; 2];
    for r in rows(&dir, "summary.csv") {
        let region = ["municipality", "area", "provider", "care_form"]
            .iter()
            .all(|c| r[*c] == "all");
        let metric = ["clients", "client_days"]
            .iter()
            .position(|m| r["metric"] == *m);
        if let (true, Some(m)) = (region, metric) {
            let year = (r["year"].parse::<i32>().unwrap() - 2028) as usize;
            let f = |c: &str| r[c].parse::<f64>().unwrap();
            stats[m][year] = Stat {
                mean: f("mean"),
                sd: f("sd"),
            };
        }
    }
    (split, stats)
}

/// The standard error of the change of a mean between the two years over
/// `n` replications, taking the years as independent (their correlation is
/// positive here, so this is on the safe side).
fn se_change(s: [Stat; 2], n: usize) -> f64 {
    ((s[0].sd.powi(2) + s[1].sd.powi(2)) / n as f64).sqrt()
}

#[test]
fn a_tariff_step_is_price_only() {
    let reps = 30;
    let ((change, [volume, mix, duration, price]), [clients, days]) = steady(
        ("tariff = 100", "tariff = { 2028 = 100, 2029 = 110 }"),
        reps,
    );
    assert_eq!(mix, 0, "one care form has no mix");
    // Volume and duration are sampling noise: within four standard errors
    // of the clients' change (volume) and of the days' change plus that (duration).
    let per_client = days[0].mean / clients[0].mean;
    let (se_n, se_d) = (se_change(clients, reps), se_change(days, reps));
    let cents_per_day = 110.0 * 100.0;
    let volume_tol = 4.0 * se_n * per_client * cents_per_day;
    let duration_tol = 4.0 * (se_d + se_n * per_client) * cents_per_day;
    assert!(
        (volume.abs() as f64) < volume_tol && (duration.abs() as f64) < duration_tol,
        "volume {volume} (±{volume_tol:.0}), duration {duration} (±{duration_tol:.0})"
    );
    // Price is the Shapley part of €10 a day: Δp · (N0·d0/3 + N1·d0/6 + N0·d1/6 + N1·d1/3).
    let (n0, n1) = (clients[0].mean, clients[1].mean);
    let (d0, d1) = (days[0].mean / n0, days[1].mean / n1);
    let want = 10.0 * 100.0 * (n0 * d0 / 3.0 + n1 * d0 / 6.0 + n0 * d1 / 6.0 + n1 * d1 / 3.0);
    assert!(
        (price as f64 - want).abs() < 1e-4 * want + 10.0,
        "price {price}, want {want:.0}; change {change}"
    );
}

#[test]
fn inflow_growth_is_mostly_volume() {
    let reps = 20;
    let ((change, [volume, mix, duration, price]), [_, days]) = steady(
        ("rate_per_1000 = 400", "rate_per_1000 = 400\ntrend = 0.25"),
        reps,
    );
    let tol = 4.0 * se_change(days, reps) * 100.0 * 100.0;
    assert!(
        change as f64 > tol,
        "the growth shows: {change} (±{tol:.0})"
    );
    assert_eq!(mix, 0);
    assert!(price.abs() <= 2, "the tariff did not change: price {price}");
    assert!(
        volume as f64 > 0.8 * change as f64,
        "volume {volume} of {change} (duration {duration})"
    );
}

#[test]
fn merged_shards_write_the_bytes_of_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    run_into(&["--replications", "5", "--seed", "8"], &whole);
    let shards: Vec<_> = (1..=2)
        .map(|k| {
            let dir = tmp.path().join(format!("s{k}"));
            let shard = format!("{k}/2");
            run_into(
                &["--replications", "5", "--seed", "8", "--shard", &shard],
                &dir,
            );
            dir
        })
        .collect();
    let merged = tmp.path().join("merged");
    binary()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    let file = "decomposition.csv";
    assert!(read_result(&whole, file) == read_result(&merged, file));
    assert!(read_result(&whole, file) != read_result(&shards[0], file));
    let manifest: serde_json::Value =
        serde_json::from_slice(&read_result(&merged, "manifest.json")).unwrap();
    assert!(
        manifest["files"][file].is_string(),
        "listed with its checksum"
    );
}
