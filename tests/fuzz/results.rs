//! The result-file readers through the real binary: a small real result
//! folder (shard 2 of 2 of the tiny scenario) is copied, one file changed
//! or removed, then `report` (on that folder) and `merge` (shard 1 and the
//! changed shard 2) are run. Besides the oracle's property: a command that
//! exits 0 although a file it reads was changed has lost data silently
//! (manifest.json excepted — it holds the checksums of the others).

use super::engine::{Case, Target};
use super::oracle::{Finding, Verdict, binary, judge};
use super::structured;
use super::targets::{QUICK_LIMIT, RUN_LIMIT, arg, fill, tiny_files};
use tempfile::TempDir;

/// Files `report` reads; `merge` reads the manifest, replications.parquet and
/// copies the labels and assumptions.
const REPORT_READS: [&str; 9] = [
    "manifest.json",
    "summary.csv",
    "feasibility.csv",
    "decomposition.csv",
    "sufficient_lumpsum.csv",
    "labels.json",
    "assumptions.json",
    "providers.csv",
    "municipalities.csv",
];
const MERGE_READS: [&str; 4] = [
    "manifest.json",
    "replications.parquet",
    "labels.json",
    "assumptions.json",
];

pub struct ResultsTarget {
    /// Holds shard 1 (`s1/`) for the whole run.
    home: TempDir,
    /// The files of shard 2.
    seeds: Vec<(String, Vec<u8>)>,
}

impl ResultsTarget {
    /// Runs the tiny scenario as two shards of four replications.
    pub fn new() -> Self {
        let home = tempfile::tempdir().expect("a temporary folder");
        for (name, bytes) in tiny_files() {
            std::fs::write(home.path().join(name), bytes).expect("a temporary file");
        }
        let scenario = home.path().join("tiny.toml");
        for shard in ["1/2", "2/2"] {
            let out = home.path().join(format!("s{}", &shard[..1]));
            let args = [
                "run",
                arg(&scenario),
                "--replications",
                "4",
                "--shard",
                shard,
                "--quiet",
                "--out",
                arg(&out),
            ];
            let ran = binary(&args, RUN_LIMIT);
            assert_eq!(ran.code, Some(0), "the fixture runs: {}", ran.stderr);
        }
        let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(home.path().join("s2"))
            .expect("shard 2")
            .map(|e| {
                let path = e.expect("an entry").path();
                let name = path
                    .file_name()
                    .expect("a name")
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read(&path).expect("a result file"))
            })
            .collect();
        seeds.sort();
        ResultsTarget { home, seeds }
    }

    fn seed(&self, name: &str) -> usize {
        self.seeds
            .iter()
            .position(|(n, _)| n == name)
            .expect("a result file")
    }
}

impl Target for ResultsTarget {
    fn name(&self) -> &'static str {
        "results"
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        let text =
            |name: &str| String::from_utf8_lossy(&self.seeds[self.seed(name)].1).into_owned();
        let mut cases = Vec::new();
        for (i, (name, _)) in self.seeds.iter().enumerate() {
            cases.push(Case {
                removed: true,
                ..Case::new(i, Vec::new(), format!("{name} removed"))
            });
            cases.push(Case::new(i, Vec::new(), format!("{name} empty")));
        }
        let bin = self.seed("replications.parquet");
        cases.extend(structured::bin_cases(bin, &self.seeds[bin].1));
        for name in ["manifest.json", "labels.json"] {
            cases.extend(structured::json_cases(self.seed(name), &text(name)));
        }
        for name in ["summary.csv", "feasibility.csv"] {
            cases.extend(structured::csv_cases(self.seed(name), &text(name), 1));
        }
        cases
    }

    fn check(&self, case: &Case, _deep: bool) -> Verdict {
        let case_dir = tempfile::tempdir().expect("a temporary folder");
        let dir = case_dir.path().join("s2");
        std::fs::create_dir(&dir).expect("a temporary folder");
        fill(&dir, &self.seeds, &[], case);
        let (name, seed) = &self.seeds[case.file];
        let changed = case.removed || &case.bytes != seed;
        let report = case_dir.path().join("report.html");
        let merged = case_dir.path().join("merged");
        let s1 = self.home.path().join("s1");
        let commands: [(&str, &[&str], &[&str]); 2] = [
            (
                "report",
                &["report", arg(&dir), "--out", arg(&report)],
                &REPORT_READS,
            ),
            (
                "merge",
                &["merge", arg(&s1), arg(&dir), "--out", arg(&merged)],
                &MERGE_READS,
            ),
        ];
        let mut verdict = Verdict::Accepted;
        for (command, args, reads) in commands {
            let reads = reads.contains(&name.as_str());
            if !reads && command == "report" {
                continue;
            }
            match judge(&binary(args, QUICK_LIMIT), case_dir.path()) {
                Verdict::Accepted if changed && reads && name != "manifest.json" => {
                    return Verdict::Finding(Finding::new(
                        "silent-corruption",
                        &format!("{command} exited 0 although {name} was changed"),
                    ));
                }
                Verdict::Accepted => {}
                Verdict::Rejected => verdict = Verdict::Rejected,
                finding => return finding,
            }
        }
        verdict
    }
}
