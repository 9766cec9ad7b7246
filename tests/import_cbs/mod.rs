//! `import cbs`: a CBS export in the documented 85097NED layout (wide), the
//! same cells in the long (OData v4) layout and in the 2015–2020 layout with
//! a form-of-care dimension all give one history whose ranges hold the true
//! counts behind the rounded and suppressed cells; bad input exits 2 located.

mod sample;

use crate::util::{Out, jeugdstroom, path_str};
use sample::{Flow, GROUPS, YEARS};
use std::path::{Path, PathBuf};

const SAMPLE: &str = "examples/cbs-85097NED-sample.csv";
const REGIONS: &str = "examples/cbs-municipalities-duo.csv";

fn root(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// `import cbs FILE --municipality-map REGIONS --out DIR/history.csv ARGS`.
fn import(file: &Path, dir: &Path, args: &[&str]) -> (Out, PathBuf) {
    let out = dir.join("history.csv");
    let regions = root(REGIONS);
    let mut all = vec![
        "import",
        "cbs",
        path_str(file),
        "--municipality-map",
        path_str(&regions),
    ];
    all.extend_from_slice(&["--out", path_str(&out)]);
    all.extend_from_slice(args);
    (jeugdstroom(&all), out)
}

/// A `LOW..HIGH` or plain cell as (low, high).
fn range(cell: &str) -> (u64, u64) {
    match cell.split_once("..") {
        Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
        None => (cell.parse().unwrap(), cell.parse().unwrap()),
    }
}

#[test]
fn the_sample_file_is_the_generated_one() {
    let (csv, _) = sample::sample();
    let path = root(SAMPLE);
    if std::env::var_os("JEUGDSTROOM_WRITE_SAMPLE").is_some() {
        std::fs::write(&path, &csv).unwrap();
    }
    let shipped = std::fs::read_to_string(&path).unwrap();
    assert!(
        shipped == csv,
        "{SAMPLE} differs from tests/import_cbs/sample.rs; regenerate with JEUGDSTROOM_WRITE_SAMPLE=1"
    );
}

#[test]
fn ranges_hold_the_true_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (out, history) = import(&root(SAMPLE), dir.path(), &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("referrer: T001082"), "{}", out.stdout);
    assert!(
        out.stdout.contains("amsterdam = GM0363 + GM0457"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("not yearly, left out: 2023HJ01"),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(history).unwrap();
    let (_, truth) = sample::sample();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("year,municipality,care_form,started,ended,in_care_end,mean_duration_days")
    );
    let (mut rows, mut suppressed, mut durations) = (0, 0, 0);
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let key = (
            f[0].parse::<i32>().unwrap(),
            f[1].to_string(),
            f[2].to_string(),
        );
        let t: &Flow = &truth[&key];
        // Amsterdam has two region codes in 2021 (Weesp), so up to two cells.
        let cells = if key.0 == 2021 && key.1 == "amsterdam" {
            2
        } else {
            1
        };
        for (i, (name, want)) in [
            ("started", t.started),
            ("ended", t.ended),
            ("in_care_end", t.end()),
        ]
        .iter()
        .enumerate()
        {
            let (lo, hi) = range(f[3 + i]);
            assert!(
                lo <= *want && *want <= hi,
                "{name} {want} outside {} in {line}",
                f[3 + i]
            );
            let limit = if *name == "in_care_end" {
                18 * cells
            } else {
                9 * cells
            };
            assert!(
                hi - lo <= limit,
                "{name} range {} too wide in {line}",
                f[3 + i]
            );
            suppressed += usize::from(hi - lo >= 9);
        }
        if let Ok(mean) = f[6].parse::<f64>() {
            let exact = t.days / t.ended as f64;
            assert!(
                (mean - exact).abs() <= 0.02 * exact + 1.0,
                "mean stay {mean} vs {exact:.1} in {line}"
            );
            durations += 1;
        }
        rows += 1;
    }
    assert_eq!(
        rows,
        YEARS.len() * 4 * 7,
        "3 years × 4 municipalities × 7 care forms"
    );
    assert!(
        suppressed >= 5,
        "the sample must exercise suppressed cells ({suppressed})"
    );
    assert!(
        durations >= rows / 2,
        "mean stays written for {durations} rows"
    );
}

/// The wide sample as long (OData v4 `Observations`) rows.
fn long(wide: &str) -> String {
    let lines = wide.lines().skip(1);
    let mut out =
        String::from("Id,Measure,VerwijzerJeugdzorg,RegioS,Perioden,Value,ValueAttribute\n");
    let mut id = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        for i in 4..f.len() {
            let (value, attr) = if f[i] == "." {
                ("", "Confidential")
            } else {
                (f[i], "None")
            };
            out.push_str(&format!(
                "{id},M{:06},{},{},{},{value},{attr}\n",
                i - 3,
                f[1],
                f[2],
                f[3]
            ));
            id += 1;
        }
    }
    out
}

/// The default measure table with `M000123` codes for the keys.
fn long_mapping(wide: &str) -> String {
    let header: Vec<&str> = wide.lines().next().unwrap().split(',').collect();
    let default = std::fs::read_to_string(root("examples/cbs-mapping-85097NED.csv")).unwrap();
    default
        .lines()
        .map(|l| {
            match header
                .iter()
                .position(|h| !l.starts_with('#') && l.starts_with(&format!("{h},")))
            {
                Some(i) => l.replacen(header[i], &format!("M{:06}", i - 3), 1),
                None => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The wide sample with the kinds of care as a dimension (the 2015–2020
/// layout, ASSUMPTION in docs/reference.md), mapped by form codes.
fn with_form_dimension(wide: &str) -> (String, String) {
    let lines = wide.lines().skip(1);
    let measures = [
        "Jeugdhulptrajecten_1",
        "BegonnenJeugdhulptrajecten_2",
        "BeeindigdeJeugdhulptrajecten_3",
        "GemiddeldeDuurBeeindigd_4",
    ];
    let mut out = format!(
        "ID,Verwijzer,TypeJeugdhulp,RegioS,Perioden,{}\n",
        measures.join(",")
    );
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        for (g, (stem, _)) in GROUPS.iter().enumerate() {
            let at = |k: usize| f[4 + 10 * g + k];
            out.push_str(&format!(
                "{},{},{stem},{},{},{},{},{},{}\n",
                f[0],
                f[1],
                f[2],
                f[3],
                at(0),
                at(1),
                at(6),
                at(7)
            ));
        }
    }
    // The shipped template names the kinds by these placeholder codes.
    let mapping = std::fs::read_to_string(root("examples/cbs-mapping-2015-2020.csv")).unwrap();
    (out, mapping)
}

#[test]
fn three_layouts_give_one_history() {
    let dir = tempfile::tempdir().unwrap();
    let wide = std::fs::read_to_string(root(SAMPLE)).unwrap();
    let (out, history) = import(&root(SAMPLE), dir.path(), &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let expected = std::fs::read_to_string(history).unwrap();
    let cases = [("long", long(&wide), long_mapping(&wide)), {
        let (file, mapping) = with_form_dimension(&wide);
        ("form dimension", file, mapping)
    }];
    for (name, file, mapping) in cases {
        let sub = dir.path().join(name.replace(' ', "-"));
        std::fs::create_dir(&sub).unwrap();
        let (cbs, map) = (sub.join("cbs.csv"), sub.join("mapping.csv"));
        std::fs::write(&cbs, file).unwrap();
        std::fs::write(&map, mapping).unwrap();
        let (out, history) = import(&cbs, &sub, &["--mapping", path_str(&map)]);
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        assert_eq!(
            std::fs::read_to_string(history).unwrap(),
            expected,
            "{name}"
        );
    }
}

/// The sample with one edit, imported: must exit 2 at `line`, naming `field`.
fn rejects(edit: impl Fn(&str) -> String, args: &[&str], line: usize, field: &str, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cbs.csv");
    std::fs::write(&file, edit(&std::fs::read_to_string(root(SAMPLE)).unwrap())).unwrap();
    let (out, history) = import(&file, dir.path(), args);
    out.input_error(&file, line, Some(field)).contains(says);
    assert!(
        !history.exists(),
        "a refused import wrote {}",
        history.display()
    );
}

/// Replaces field `index` of line `line` (1-based) with `value`.
fn cell(text: &str, line: usize, index: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut f: Vec<&str> = lines[line - 1].split(',').collect();
    f[index] = value;
    lines[line - 1] = f.join(",");
    lines.join("\n") + "\n"
}

#[test]
fn bad_input_is_located() {
    let sample = std::fs::read_to_string(root(SAMPLE)).unwrap();
    let line = 1
        + sample
            .lines()
            .skip(1)
            .position(|l| l.contains(",T001082,GM0437") && l.contains("2022JJ00"))
            .unwrap()
        + 1;
    // Pleegzorg's started count (column 82) not a multiple of 5.
    rejects(
        |t| cell(t, line, 4 + 81, "37"),
        &[],
        line,
        "TotaalBegonnenTrajecten_82",
        "--rounding 1",
    );
    rejects(
        |t| cell(t, line, 4 + 81, "many"),
        &[],
        line,
        "TotaalBegonnenTrajecten_82",
        "not a number",
    );
    rejects(
        |t| cell(t, line, 3, "2022-01"),
        &[],
        line,
        "Perioden",
        "2021JJ00",
    );
    // A renamed measure column: the default table's key is missing.
    rejects(
        |t| t.replacen("Pleegzorg_81", "Pleegzorg_X", 1),
        &[],
        1,
        "measure",
        "Pleegzorg_81",
    );
    rejects(
        |t| t.replace(",T001082,", ",A000003,"),
        &[],
        1,
        "--referrer",
        "Totaal verwijzers",
    );
    rejects(
        |t| t.replace("GM0437", "GM9999"),
        &[],
        1,
        "RegioS",
        "ouder_amstel",
    );
    rejects(
        |t| t.to_string(),
        &["--referrer", "Z1"],
        1,
        "--referrer",
        "A000001",
    );
    // Exact counts are fine when said so; then 37 is read as 37.
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = import(&root(SAMPLE), dir.path(), &["--referrer", "A000001"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn files_around_the_import_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("regions.csv");
    std::fs::write(&map, "cbs_code,municipality\nGM0363,adam\n").unwrap();
    let out = jeugdstroom(&[
        "import",
        "cbs",
        path_str(&root(SAMPLE)),
        "--municipality-map",
        path_str(&map),
        "--out",
        path_str(&dir.path().join("h.csv")),
    ]);
    out.input_error(&map, 2, Some("municipality"))
        .contains("amsterdam");
    // Without a map, the codes of a TypedDataSet match no municipality.
    let out = jeugdstroom(&[
        "import",
        "cbs",
        path_str(&root(SAMPLE)),
        "--out",
        path_str(&dir.path().join("h.csv")),
    ]);
    out.input_error(&root(SAMPLE), 1, Some("RegioS"))
        .contains("--municipality-map");
    let mapping = dir.path().join("m.csv");
    std::fs::write(
        &mapping,
        "measure,care_form,quantity\nPleegzorg_81,foster,total\n",
    )
    .unwrap();
    let (out, _) = import(
        &root(SAMPLE),
        dir.path(),
        &["--mapping", path_str(&mapping)],
    );
    out.input_error(&mapping, 2, Some("care_form"))
        .contains("foster_care");
    let (out, _) = import(&dir.path().join("missing.csv"), dir.path(), &[]);
    out.rejected().contains("cannot read CBS file");
}

/// Import, then `calibrate` on the result: the ranges are read as intervals
/// (issue 14 item 6) and the fitted scenario validates.
#[test]
fn calibrate_reads_the_imported_history() {
    let dir = tempfile::tempdir().unwrap();
    let (out, history) = import(&root(SAMPLE), dir.path(), &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let fitted = dir.path().join("calibrated.toml");
    let cal = jeugdstroom(&["calibrate", path_str(&history), "--out", path_str(&fitted)]);
    assert_eq!(
        cal.code,
        Some(0),
        "calibrate refused the import:\n{}",
        cal.stderr
    );
    let valid = jeugdstroom(&["validate", path_str(&fitted)]);
    assert_eq!(valid.code, Some(0), "{}", valid.stderr);
}
