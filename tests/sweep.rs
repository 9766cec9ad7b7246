//! `sweep`: points are derived scenarios run with the same seed; sharded
//! sweeps merge to the bytes of separate runs; incomplete shards are caught.

use crate::util::{self, RESULT_FILES, binary, read_result};

fn base() -> String {
    util::single_form(
        73.0,
        r#"{ distribution = "lognormal", mean = 20, cv = 0.8 }"#,
        "capacity = { scope = \"region\", places = 5 }\noverflow = { policy = \"wait\" }",
        3,
        1,
    )
}

const GRID: &str = r#"
base = "base.toml"
mode = "grid"
replications = 5
seed = 11
[parameters]
"care_forms.bed.tariff" = [90, 100, 110]
"care_forms.bed.duration.mean" = [15, 20, 25]
"#;

#[test]
fn sharded_grid_merges_to_the_bytes_of_separate_runs() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("base.toml"), base()).unwrap();
    let sweep = tmp.path().join("grid.toml");
    std::fs::write(&sweep, GRID).unwrap();
    let shard = |k: u64| {
        let dir = tmp.path().join(format!("shard{k}"));
        binary()
            .arg("sweep")
            .arg(&sweep)
            .args(["--quiet", "--shard", &format!("{k}/3"), "--out"])
            .arg(&dir)
            .assert()
            .success();
        dir
    };
    let shards: Vec<_> = (1..=3).map(shard).collect();
    // A shard whose point folder lost its manifest is refused by the merge …
    let broken = shards[1].join("point-004").join("manifest.json");
    std::fs::remove_file(&broken).unwrap();
    let merged = tmp.path().join("merged");
    binary()
        .arg("sweep")
        .arg(&sweep)
        .arg("--merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(2);
    // … and re-running only that shard completes the set.
    shard(2);
    binary()
        .arg("sweep")
        .arg(&sweep)
        .arg("--merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();

    // Each of the 9 points equals a separate run of its derived scenario.
    let mut p = 0;
    for duration in [15, 20, 25] {
        for tariff in [90, 100, 110] {
            let derived = tmp.path().join(format!("derived{p}.toml"));
            std::fs::write(
                &derived,
                format!(
                    "extends = \"base.toml\"\n[care_forms.bed]\ntariff = {tariff}\n\
                     duration = {{ distribution = \"lognormal\", mean = {duration}, cv = 0.8 }}\n"
                ),
            )
            .unwrap();
            let single = tmp.path().join(format!("single{p}"));
            binary()
                .arg("run")
                .arg(&derived)
                .args(["--replications", "5", "--seed", "11", "--quiet", "--out"])
                .arg(&single)
                .assert()
                .success();
            let point = merged.join(format!("point-{p:03}"));
            for f in RESULT_FILES {
                assert!(
                    read_result(&single, f) == read_result(&point, f),
                    "point {p} ({tariff}, {duration}): {f}"
                );
            }
            p += 1;
        }
    }
    let table = String::from_utf8(read_result(&merged, "sweep.csv")).unwrap();
    assert!(table.lines().any(|l| l.starts_with("8,care_forms.bed.duration.mean=25; care_forms.bed.tariff=110,")));
}

#[test]
fn one_at_a_time_tornado_ranks_the_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("base.toml"), base()).unwrap();
    let sweep = tmp.path().join("oat.toml");
    std::fs::write(
        &sweep,
        "base = \"base.toml\"\nmode = \"one_at_a_time\"\nreplications = 4\n[parameters]\n\
         \"care_forms.bed.tariff\" = [99, 101]\n\"care_forms.bed.duration.mean\" = [10, 30]\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    binary()
        .arg("sweep")
        .arg(&sweep)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("tornado.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    // Tripling the stay moves cost far more than ±1 % on the tariff.
    assert_eq!(&rows[0][0], "care_forms.bed.duration.mean");
    let swing = |r: &csv::StringRecord| r[7].parse::<f64>().unwrap();
    assert!(swing(&rows[0]) > 10.0 * swing(&rows[1]));
    // ±1 % tariff under common random numbers: exactly ±1 % of the variable cost.
    let tariff = &rows[1];
    let (base, low, high) = (
        tariff[4].parse::<f64>().unwrap(),
        tariff[5].parse::<f64>().unwrap(),
        tariff[6].parse::<f64>().unwrap(),
    );
    assert!(
        (high - base - (base - low)).abs() < 0.02,
        "symmetric: {base} {low} {high}"
    );
}

#[test]
fn bad_sweeps_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("base.toml"), base()).unwrap();
    for (body, needle) in [
        (
            "[parameters]\n\"care_forms.bed.nonexistent\" = [1, 2]\n",
            "does not exist",
        ),
        (
            "[parameters]\n\"care_forms.bed.tariff\" = [\"cheap\", 2]\n",
            "tariff",
        ),
        (
            "[parameters]\n\"care_forms.bed.tariff\" = []\n",
            "empty list",
        ),
        ("[parameters]\n", "no parameters"),
    ] {
        let sweep = tmp.path().join("bad.toml");
        std::fs::write(
            &sweep,
            format!("base = \"base.toml\"\nreplications = 2\n{body}"),
        )
        .unwrap();
        let out = binary()
            .arg("sweep")
            .arg(&sweep)
            .args(["--quiet", "--out"])
            .arg(tmp.path().join("o"))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            stderr.contains(needle) && !stderr.contains("panicked"),
            "{body}: {stderr}"
        );
    }
    let sweep = tmp.path().join("ok.toml");
    std::fs::write(&sweep, GRID).unwrap();
    binary()
        .arg("sweep")
        .arg(&sweep)
        .args(["--shard", "0/4"])
        .assert()
        .code(2);
}
