//! `compare`: common random numbers make paired differences far more precise
//! than independent runs, and each side equals a plain run of that scenario.

use crate::util::{DEFAULT, binary};

#[test]
fn paired_differences_of_a_small_tariff_change_are_at_least_five_times_narrower() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.toml");
    std::fs::write(&a, DEFAULT).unwrap();
    let b = tmp.path().join("b.toml");
    std::fs::write(
        &b,
        "extends = \"a.toml\"\nname = \"b\"\n[care_forms.residential]\ntariff = 387.60\n",
    )
    .unwrap();
    let out = tmp.path().join("cmp");
    binary()
        .arg("compare")
        .args([&a, &b])
        .args(["--replications", "8", "--seed", "5", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("comparison.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let region_cost: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[1] == "region" && &r[3] == "cost_eur")
        .collect();
    assert_eq!(region_cost.len(), 10);
    for r in region_cost {
        let num = |i: usize| r[i].parse::<f64>().unwrap();
        let (diff, low, high, independent) = (num(6), num(7), num(8), num(9));
        // +2 % on the residential tariff: about € 1 M a year, certainly positive.
        assert!(low > 0.0 && diff > 5e5 && diff < 3e6, "{r:?}");
        let paired = (high - low) / 2.0;
        assert!(
            independent / paired >= 5.0,
            "CRN interval only {:.1}× narrower: {r:?}",
            independent / paired
        );
    }
    // Flows are identical under CRN: the waiting-time difference is exactly zero.
    assert!(
        rows.iter()
            .filter(|r| &r[3] == "wait_days_mean")
            .all(|r| r[6].parse::<f64>().unwrap() == 0.0)
    );
    // Side A is exactly a plain run of A with the same seed.
    let plain = tmp.path().join("plain");
    binary()
        .arg("run")
        .arg(&a)
        .args(["--replications", "8", "--seed", "5", "--quiet", "--out"])
        .arg(&plain)
        .assert()
        .success();
    let read = |p: std::path::PathBuf| std::fs::read(p).unwrap();
    assert!(read(plain.join("summary.csv")) == read(out.join("a").join("summary.csv")));
    assert!(out.join("manifest.json").exists());
}

#[test]
fn compare_refuses_bad_input() {
    let out = binary()
        .args([
            "compare",
            "missing-a.toml",
            "missing-b.toml",
            "--replications",
            "2",
        ])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("missing-a.toml"));
    binary()
        .args(["compare", "a.toml", "b.toml", "--replications", "1"])
        .assert()
        .code(2);
}
