//! Result folders as input (issue 12): a damaged, edited, truncated or
//! missing file inside a result folder, and `--out` paths that cannot be
//! written, are the user's input — exit 2 naming the file, never a panic,
//! an abort, exit 1, a silent merge, or a `.tmp` left behind. Each test is
//! named after what broke.

use crate::util::*;
use jeugdstroom::metrics::ColumnKey;
use jeugdstroom::montecarlo::rowfile::{FILE_NAME, RowReader, RowWriter};
use jeugdstroom::output::checksum::sha256_file;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Two shards (replications 0..3 and 3..6) of a small scenario.
struct Shards {
    tmp: TempDir,
    dirs: [PathBuf; 2],
}

fn shards() -> Shards {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write_single_form(tmp.path(), "", 2);
    let dirs = ["1/2", "2/2"].map(|k| {
        let dir = tmp.path().join(format!("shard{}", &k[..1]));
        run_into(
            &[
                path_str(&scenario),
                "--replications",
                "6",
                "--seed",
                "3",
                "--shard",
                k,
            ],
            &dir,
        );
        dir
    });
    Shards { tmp, dirs }
}

impl Shards {
    fn out(&self) -> PathBuf {
        self.tmp.path().join("merged")
    }

    fn merge(&self) -> Out {
        let out = self.out();
        let mut args = vec!["merge"];
        args.extend(self.dirs.iter().map(|d| path_str(d)));
        args.extend(["--out", path_str(&out)]);
        jeugdstroom(&args)
    }
}

fn bin(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Records the current checksum of `name` in the folder's manifest, as a
/// hostile edit would: the file's own checks must still refuse it.
fn reseal(dir: &Path, name: &str) {
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    m["files"][name] = sha256_file(&dir.join(name)).unwrap().into();
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

/// The rows of a row file.
type Rows = Vec<(u64, Vec<f64>)>;

/// Rewrites a row file with `edit` applied to its rows (a well-formed
/// Parquet file holding wrong rows, as a tool other than ours could write).
fn rewrite(path: &Path, edit: impl Fn(&[ColumnKey], &mut Rows)) {
    let mut reader = RowReader::open(path).unwrap();
    let columns = reader.columns.clone();
    let mut rows = Rows::new();
    while let Some(row) = reader.next_row().unwrap() {
        rows.push((row.replication(), row.values().to_vec()));
    }
    edit(&columns, &mut rows);
    let mut writer = RowWriter::create(path, &columns).unwrap();
    for (replication, values) in &rows {
        writer.write(*replication, values).unwrap();
    }
    writer.finish().unwrap();
}

/// Exit 2, no panic, and the message names `file`.
fn refused_naming(out: &Out, file: &Path) {
    out.rejected().contains(&file.display().to_string());
}

fn no_tmp_left(dir: &Path) {
    for entry in walk(dir) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "left behind: {}", entry.display());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            all.extend(walk(&p));
        }
        all.push(p);
    }
    all
}

#[test]
fn error_past_column_65535_panicked() {
    // One very long line (a one-line file), the error far to its right.
    let long = "x".repeat(70_000);
    for text in [
        format!("name = \"{long}\" extra = 1\n"),
        format!("name = \"{long}\" ="),
    ] {
        let case = Case::new(&text);
        let out = case.validate();
        out.input_error(&case.scenario, 1, None);
        assert!(
            out.stderr.len() < 2_000,
            "{} bytes echoed",
            out.stderr.len()
        );
    }
}

#[test]
fn corrupt_money_value_in_replications_bin_panicked() {
    for bad in [f64::NAN, f64::INFINITY, 1e300, 0.5] {
        let s = shards();
        let money = |c: &[ColumnKey]| c.iter().position(|k| k.money).unwrap();
        rewrite(&bin(&s.dirs[1]), |c, rows| rows[1].1[money(c)] = bad);
        // As edited: the checksum no longer matches.
        refused_naming(&s.merge(), &bin(&s.dirs[1]));
        // Resealed: the value itself is refused, not a panic inside rust_decimal.
        reseal(&s.dirs[1], FILE_NAME);
        refused_naming(&s.merge(), &bin(&s.dirs[1]));
        assert!(
            !s.out().exists(),
            "merge wrote before verifying every shard"
        );
    }
}

#[test]
fn huge_header_length_in_replications_bin_aborted() {
    // The footer's length (the 4 bytes before the closing `PAR1`).
    for len in [u32::MAX, 1 << 30, 1 << 20, 0] {
        let s = shards();
        let mut bytes = std::fs::read(bin(&s.dirs[0])).unwrap();
        let at = bytes.len() - 8;
        bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
        std::fs::write(bin(&s.dirs[0]), &bytes).unwrap();
        reseal(&s.dirs[0], FILE_NAME);
        refused_naming(&s.merge(), &bin(&s.dirs[0]));
    }
}

#[test]
fn dropped_or_duplicated_row_merged_with_exit_0() {
    let edits: [fn(&[ColumnKey], &mut Rows); 4] = [
        |_, rows| drop(rows.pop()),
        |_, rows| rows.push(rows[rows.len() - 1].clone()),
        |_, rows| {
            let n = rows.len();
            rows[n - 1] = rows[n - 2].clone();
        },
        |_, rows| rows.swap(0, 1),
    ];
    for edit in edits {
        for resealed in [false, true] {
            let s = shards();
            rewrite(&bin(&s.dirs[1]), edit);
            if resealed {
                reseal(&s.dirs[1], FILE_NAME);
            }
            refused_naming(&s.merge(), &bin(&s.dirs[1]));
            assert!(!s.out().exists());
        }
    }
}

#[test]
fn truncated_or_missing_replications_bin_was_internal() {
    for keep in [Some(0isize), Some(12), Some(20), Some(-20), Some(-1), None] {
        let s = shards();
        match keep {
            Some(n) => {
                let bytes = std::fs::read(bin(&s.dirs[0])).unwrap();
                let n = if n < 0 {
                    bytes.len() - n.unsigned_abs()
                } else {
                    n as usize
                };
                std::fs::write(bin(&s.dirs[0]), &bytes[..n]).unwrap();
                reseal(&s.dirs[0], FILE_NAME);
            }
            None => std::fs::remove_file(bin(&s.dirs[0])).unwrap(),
        }
        refused_naming(&s.merge(), &bin(&s.dirs[0]));
    }
}

#[test]
fn merged_result_records_its_own_checksums() {
    let s = shards();
    assert_eq!(s.merge().code, Some(0));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(s.out().join("manifest.json")).unwrap()).unwrap();
    for name in [FILE_NAME, "summary.csv", "feasibility.csv", "labels.json"] {
        let want = sha256_file(&s.out().join(name)).unwrap();
        assert_eq!(m["files"][name], want.as_str(), "{name}");
    }
    no_tmp_left(s.tmp.path());
}

#[test]
fn manifest_without_checksums_is_refused_with_a_re_run() {
    let s = shards();
    for dir in &s.dirs {
        let path = dir.join("manifest.json");
        let mut m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        m.as_object_mut().unwrap().remove("files");
        std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    }
    s.merge()
        .rejected()
        .contains("checksums")
        .contains("re-run");
    jeugdstroom(&["report", path_str(&s.dirs[0])])
        .rejected()
        .contains("checksums");
}

#[test]
fn edited_or_corrupt_csv_in_a_result_folder_was_internal() {
    let s = shards();
    assert_eq!(s.merge().code, Some(0));
    let dir = s.out();
    let report = || jeugdstroom(&["report", path_str(&dir)]);
    assert_eq!(report().code, Some(0));
    for (file, text) in [
        ("summary.csv", "a,b\n1,2\n"),
        ("summary.csv", "year\nnot-a-year\n"),
        ("feasibility.csv", "year,scope\n\"unclosed\n"),
        ("labels.json", "{"),
    ] {
        let path = dir.join(file);
        let original = std::fs::read(&path).unwrap();
        std::fs::write(&path, text).unwrap();
        refused_naming(&report(), &path);
        reseal(&dir, file);
        refused_naming(&report(), &path);
        std::fs::write(&path, original).unwrap();
        reseal(&dir, file);
    }
    std::fs::remove_file(dir.join("feasibility.csv")).unwrap();
    refused_naming(&report(), &dir.join("feasibility.csv"));
}

/// Found by the fuzz harness: with its checksum resealed, a summary.csv
/// holding an infinite or absurd mean stalled the report's chart axes for
/// minutes, and an empty one panicked (index out of bounds).
#[test]
fn resealed_summary_with_inf_mean_hung_and_empty_one_panicked() {
    let s = shards();
    assert_eq!(s.merge().code, Some(0));
    let dir = s.out();
    let path = dir.join("summary.csv");
    let original = std::fs::read_to_string(&path).unwrap();
    let header = original.lines().next().unwrap().to_string();
    let first = original.lines().nth(1).unwrap();
    let fields: Vec<&str> = first.split(',').collect();
    for mean in ["inf", "NaN", "1e308"] {
        let mut row = fields.clone();
        row[6] = mean;
        std::fs::write(&path, format!("{header}\n{}\n", row.join(","))).unwrap();
        reseal(&dir, "summary.csv");
        refused_naming(&jeugdstroom(&["report", path_str(&dir)]), &path);
    }
    std::fs::write(&path, format!("{header}\n")).unwrap();
    reseal(&dir, "summary.csv");
    refused_naming(&jeugdstroom(&["report", path_str(&dir)]), &path);
}

#[test]
fn out_naming_a_file_or_a_foreign_folder_was_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "mine").unwrap();
    let scenario = write_single_form(tmp.path(), "", 1);
    let run = |out: &Path| {
        jeugdstroom(&[
            "run",
            path_str(&scenario),
            "--replications",
            "2",
            "--quiet",
            "--out",
            path_str(out),
        ])
    };
    // An existing file, a folder of other files, a path under a file.
    for out in [file.clone(), tmp.path().to_path_buf(), file.join("sub")] {
        let o = run(&out);
        o.rejected().contains("--out").contains("fix:");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    // A result folder of this tool may be written again.
    let again = tmp.path().join("again");
    assert_eq!(run(&again).code, Some(0));
    assert_eq!(run(&again).code, Some(0));
}

#[test]
fn merge_into_one_of_its_shards_was_accepted() {
    let s = shards();
    let out = jeugdstroom(&[
        "merge",
        path_str(&s.dirs[0]),
        path_str(&s.dirs[1]),
        "--out",
        path_str(&s.dirs[1]),
    ]);
    out.rejected().contains("--out");
    assert!(s.dirs[1].join("manifest.json").exists());
}

#[test]
fn report_out_into_a_missing_folder_was_internal() {
    let s = shards();
    let missing = s.tmp.path().join("nowhere").join("r.html");
    jeugdstroom(&["report", path_str(&s.dirs[0]), "--out", path_str(&missing)])
        .rejected()
        .contains("nowhere")
        .contains("fix:");
    jeugdstroom(&[
        "report",
        path_str(&s.dirs[0]),
        "--out",
        path_str(s.tmp.path()),
    ])
    .rejected()
    .contains("is a folder");
}

#[test]
fn failed_rename_left_a_tmp_file_behind() {
    let s = shards();
    // A folder where a result file goes: its rename fails.
    let blocker = s.dirs[0].join("summary.csv");
    std::fs::remove_file(&blocker).unwrap();
    std::fs::create_dir_all(blocker.join("inside")).unwrap();
    let scenario = s.tmp.path().join("s.toml");
    let out = jeugdstroom(&[
        "run",
        path_str(&scenario),
        "--replications",
        "2",
        "--quiet",
        "--out",
        path_str(&s.dirs[0]),
    ]);
    refused_naming(&out, &blocker);
    no_tmp_left(s.tmp.path());
}

#[test]
fn unwritable_backtest_out_was_found_after_the_fit() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("f");
    std::fs::write(&file, "").unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    jeugdstroom(&[
        "backtest",
        &format!("{root}/examples/history-synthetic.csv"),
        "--base",
        &format!("{root}/examples/truth.toml"),
        "--fit-until",
        "2021",
        "--replications",
        "2",
        "--quiet",
        "--out",
        path_str(&file.join("sub")),
    ])
    .rejected()
    .contains("--out");
}
