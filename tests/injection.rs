//! Injection (issue 12, class 6): user text is data wherever it goes. Slurm
//! options outside Slurm's syntax are refused and paths are quoted in the
//! generated scripts; control characters in names, paths and echoed source
//! lines never reach the terminal raw; a key that looks like a spreadsheet
//! formula keeps its label in report.html while the CSV stays protected.

use crate::util::*;
use std::path::Path;

/// Control characters a terminal acts on; none may appear on stdout or stderr.
const RAW: [char; 4] = ['\u{1b}', '\u{7}', '\r', '\u{9b}'];

fn assert_no_raw_controls(text: &str) {
    for c in RAW {
        assert!(!text.contains(c), "raw {c:?} reached the terminal:\n{text}");
    }
}

/// `slurm` on the default scenario with extra flags, into `out`.
fn slurm(dir: &Path, out: &Path, extra: &[&str]) -> Out {
    let scenario = dir.join("s.toml");
    std::fs::write(&scenario, DEFAULT).unwrap();
    let mut args = vec!["slurm", "--scenario", path_str(&scenario), "--shards", "2"];
    args.extend(["--out", path_str(out)]);
    args.extend(extra);
    jeugdstroom(&args)
}

#[test]
fn slurm_options_with_newline_semicolon_or_command_substitution_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (flag, bad) in [
        ("--mem", "4G\ntouch /tmp/pwned"),
        ("--mem", "4G; rm -rf ~"),
        ("--mem", "$(id)"),
        ("--partition", "short\n#SBATCH --uid=0"),
        ("--partition", "a;b"),
        ("--partition", "gpu,"),
        ("--account", "`id`"),
        ("--account", "proj $(id)"),
        ("--time", "01:00:00\nid"),
        ("--time", "1:00;id"),
    ] {
        let o = slurm(dir.path(), &out, &[flag, bad]);
        o.rejected().contains(flag);
        assert_no_raw_controls(&o.stderr);
        assert!(!out.join("slurm").exists(), "{flag} {bad:?} wrote scripts");
    }
    for (flag, good) in [
        ("--mem", "500M"),
        ("--mem", "0"),
        ("--partition", "gpu,short-1.a"),
        ("--account", "proj_42"),
        ("--time", "2-12:00:00"),
    ] {
        assert_eq!(
            slurm(dir.path(), &out, &[flag, good]).code,
            Some(0),
            "{flag} {good}"
        );
    }
}

#[test]
fn slurm_paths_with_a_newline_are_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out\nid");
    let o = slurm(dir.path(), &out, &[]);
    o.rejected().contains("--out").contains("control character");
    assert_no_raw_controls(&o.stderr);
    let binary = dir.path().join("bin\u{1b}[2J");
    let o = slurm(
        dir.path(),
        &dir.path().join("ok"),
        &["--binary", path_str(&binary)],
    );
    o.rejected().contains("--binary");
    assert_no_raw_controls(&o.stderr);
}

/// A stand-in for the binary that records its arguments, one a line.
fn recorder(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("record-args");
    let log = dir.join("args.txt");
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display());
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[test]
fn shell_metacharacters_in_paths_stay_data_in_the_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let nasty = format!(
        "x'; touch {0}; $(touch {0}) `touch {0}` \"%a #",
        marker.display()
    );
    let root = dir.path().join(&nasty);
    std::fs::create_dir_all(&root).unwrap();
    let (out, bin) = (root.join("out"), recorder(dir.path()));
    slurm(&root, &out, &["--binary", path_str(&bin)]).accepted_code();
    let array = std::fs::read_to_string(out.join("slurm/array.sbatch")).unwrap();
    // Slurm's own #SBATCH parser: double quotes, `"` escaped, `%` doubled.
    assert!(array.contains("#SBATCH --output=\""), "{array}");
    assert!(
        array.contains("\\\"%%a #/out/slurm/shard-%a.log\""),
        "{array}"
    );
    let run = std::process::Command::new("bash")
        .arg(out.join("slurm/array.sbatch"))
        .env("SLURM_ARRAY_TASK_ID", "1")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!marker.exists(), "a path ran as a command");
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args[0], "run");
    assert_eq!(args[1], path_str(&root.join("s.toml")));
    assert_eq!(args.last(), Some(&path_str(&out.join("shard-1"))));
}

impl Out {
    fn accepted_code(&self) -> &Self {
        assert_eq!(self.code, Some(0), "stderr:\n{}", self.stderr);
        self
    }
}

/// The default with ESC and BEL in the scenario name and a label, a
/// municipality key that looks like a formula and a provider key `+cmd`.
fn hostile_default() -> String {
    DEFAULT
        .replacen(
            "name = \"amsterdam-duo\"",
            "name = \"evil\\u001b[31mred\\u0007\"",
            1,
        )
        .replacen(
            "[municipalities.diemen]",
            "[municipalities.\"=HYPERLINK(1)\"]",
            1,
        )
        .replacen("youth = { diemen = ", "youth = { \"=HYPERLINK(1)\" = ", 1)
        .replacen(
            "[providers.verblijf]",
            "[providers.\"+cmd\\u001b]0;t\\u0007\"]",
            1,
        )
}

#[test]
fn escape_sequences_in_names_do_not_reach_the_terminal() {
    let case = Case::new(&hostile_default());
    let o = case.validate();
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert!(
        o.stdout.contains("ok: evil\u{fffd}[31mred\u{fffd}"),
        "{}",
        o.stdout
    );
    assert_no_raw_controls(&o.stdout);
    let out = case.dir.path().join("out");
    let o = jeugdstroom(&[
        "run",
        path_str(&case.scenario),
        "--replications",
        "2",
        "--quiet",
        "--out",
        path_str(&out),
    ]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_no_raw_controls(&o.stdout);
    assert!(
        o.stdout.contains("+cmd\u{fffd}]0;t\u{fffd}"),
        "{}",
        o.stdout
    );
}

#[test]
fn escape_sequences_in_a_bad_line_are_neutralised_with_the_caret_in_place() {
    let text = edit(
        "rate_per_1000 = { mean = 82, sd = 4.92 }",
        "rate_per_1000 = \"\u{1b}[2J\u{7}\"",
    );
    let case = Case::new(&text);
    let o = case.validate();
    o.input_error(&case.scenario, line_of(&text, "rate_per_1000 ="), None);
    assert_no_raw_controls(&o.stderr);
    assert!(o.stderr.contains("\"\u{fffd}[2J\u{fffd}\""), "{}", o.stderr);
    // One character for one: the caret stays under the column it names.
    let echoed = o
        .stderr
        .lines()
        .find(|l| l.contains("rate_per_1000 ="))
        .unwrap();
    let caret = o
        .stderr
        .lines()
        .find(|l| l.trim_end().ends_with('^'))
        .unwrap();
    let column = caret.chars().count() - 1;
    assert!(echoed.chars().nth(column).is_some(), "{echoed}\n{caret}");
}

#[test]
fn a_scenario_path_with_escape_sequences_is_shown_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x\u{1b}]0;title\u{7}.toml");
    let o = jeugdstroom(&["validate", path_str(&path)]);
    o.rejected();
    assert_no_raw_controls(&o.stderr);
}

#[test]
fn a_formula_looking_key_keeps_its_label_in_the_report() {
    let case = Case::new(&hostile_default());
    let out = case.dir.path().join("out");
    run_into(
        &[path_str(&case.scenario), "--replications", "2", "--report"],
        &out,
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // The label of `=HYPERLINK(1)` (the municipality that was `diemen`).
    assert!(
        html.contains("<td class=\"text\">Diemen</td>"),
        "label missing"
    );
    assert!(
        html.contains("<td class=\"text\">Consortium verblijf"),
        "label missing"
    );
    assert!(
        !html.contains("&#39;=HYPERLINK"),
        "the CSV protection leaked"
    );
    assert!(!html.contains("'=HYPERLINK"), "the CSV protection leaked");
    // The CSV keeps its protection.
    let feasibility = std::fs::read_to_string(out.join("feasibility.csv")).unwrap();
    assert!(feasibility.contains(",'=HYPERLINK(1),"), "{feasibility}");
    assert!(!feasibility.contains(",=HYPERLINK"));
}

#[test]
fn a_quote_or_newline_in_the_base_name_stays_data_in_the_calibrated_toml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let truth = std::fs::read_to_string(root.join("examples/truth.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base \"q\".toml");
    let hostile = "name = \"tru\\\"th\\n[evil]\\u001b\"";
    std::fs::write(&base, truth.replacen("name = \"truth\"", hostile, 1)).unwrap();
    let out = dir.path().join("calibrated.toml");
    let history = root.join("examples/history-synthetic.csv");
    let o = jeugdstroom(&[
        "calibrate",
        path_str(&history),
        "--base",
        path_str(&base),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    assert_no_raw_controls(&o.stdout);
    let written: toml::Table = toml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        written["name"].as_str(),
        Some("tru\"th\n[evil]\u{1b}-calibrated")
    );
    assert!(written.get("evil").is_none());
}
