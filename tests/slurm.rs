//! The generated sbatch scripts, run locally per array index (as Slurm
//! would run them), give the same result as one unsharded run; re-running
//! a finished task skips it. `scripts/slurm-test.sh` does the same on a
//! real single-node Slurm cluster.

use crate::util::{DEFAULT, binary};
use std::path::Path;

fn bash(script: &Path, task: Option<u32>) -> std::process::Output {
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(script);
    if let Some(k) = task {
        cmd.env("SLURM_ARRAY_TASK_ID", k.to_string());
    }
    cmd.env("SLURM_CPUS_PER_TASK", "1").output().unwrap()
}

fn assert_ran(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn sbatch_bodies_run_per_array_index_reproduce_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("it's a scenario.toml"); // a quote in the path must not break the script
    std::fs::write(&scenario, DEFAULT).unwrap();
    let out = tmp.path().join("cluster out");
    binary()
        .args([
            "slurm",
            "--shards",
            "3",
            "--replications",
            "5",
            "--seed",
            "8",
            "--time",
            "00:10:00",
            "--scenario",
        ])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .arg("--binary")
        .arg(assert_cmd::cargo::cargo_bin("jeugdstroom"))
        .assert()
        .success();
    let scripts = out.join("slurm");
    let array = std::fs::read_to_string(scripts.join("array.sbatch")).unwrap();
    assert!(array.contains("#SBATCH --array=1-3") && array.contains("#SBATCH --time=00:10:00"));
    assert!(
        std::fs::read_to_string(scripts.join("submit.sh"))
            .unwrap()
            .contains("--dependency=afterok:")
    );
    for k in 1..=3 {
        assert_ran(&bash(&scripts.join("array.sbatch"), Some(k)));
    }
    // Re-running a finished task skips it.
    let again = bash(&scripts.join("array.sbatch"), Some(2));
    assert!(String::from_utf8_lossy(&again.stdout).contains("complete; skipping"));
    let merge = bash(&scripts.join("merge.sbatch"), None);
    assert_ran(&merge);

    let whole = tmp.path().join("whole");
    binary()
        .arg("run")
        .arg(&scenario)
        .args(["--replications", "5", "--seed", "8", "--quiet", "--out"])
        .arg(&whole)
        .assert()
        .success();
    for f in [
        "summary.csv",
        "feasibility.csv",
        "replications.csv",
        "providers.csv",
    ] {
        let a = std::fs::read(whole.join(f)).unwrap();
        let b = std::fs::read(out.join("merged").join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the Slurm-style shards and one run"
        );
    }
}

#[test]
fn bad_slurm_flags_are_refused() {
    for args in [
        vec![
            "slurm",
            "--shards",
            "2",
            "--out",
            "o",
            "--scenario",
            "scenarios/amsterdam-duo.toml",
            "--time",
            "2h",
        ],
        vec![
            "slurm",
            "--shards",
            "0",
            "--out",
            "o",
            "--scenario",
            "scenarios/amsterdam-duo.toml",
        ],
        vec!["slurm", "--shards", "2", "--out", "o"],
        vec![
            "slurm",
            "--shards",
            "2",
            "--out",
            "o",
            "--scenario",
            "missing.toml",
        ],
    ] {
        let out = binary().args(&args).assert().code(2);
        assert!(
            !String::from_utf8_lossy(&out.get_output().stderr).contains("panicked"),
            "{args:?}"
        );
    }
}

#[test]
fn sweep_shards_through_sbatch_bodies_equal_an_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let base = DEFAULT.replace("warmup_years = 5", "warmup_years = 1");
    std::fs::write(tmp.path().join("base.toml"), base).unwrap();
    let sweep = tmp.path().join("sweep.toml");
    std::fs::write(
        &sweep,
        "base = \"base.toml\"\nmode = \"one_at_a_time\"\nreplications = 3\nseed = 2\n[parameters]\n\
         \"arrivals.trend\" = [0.01, 0.03]\n",
    )
    .unwrap();
    let out = tmp.path().join("cluster");
    binary()
        .args(["slurm", "--shards", "2", "--sweep"])
        .arg(&sweep)
        .arg("--out")
        .arg(&out)
        .arg("--binary")
        .arg(assert_cmd::cargo::cargo_bin("jeugdstroom"))
        .assert()
        .success();
    for k in 1..=2 {
        assert_ran(&bash(&out.join("slurm").join("array.sbatch"), Some(k)));
    }
    let merge = bash(&out.join("slurm").join("merge.sbatch"), None);
    assert_ran(&merge);
    let local = tmp.path().join("local");
    binary()
        .arg("sweep")
        .arg(&sweep)
        .args(["--quiet", "--out"])
        .arg(&local)
        .assert()
        .success();
    for f in ["sweep.csv", "tornado.csv"] {
        assert!(
            std::fs::read(local.join(f)).unwrap()
                == std::fs::read(out.join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
}
