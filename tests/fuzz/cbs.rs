//! `import cbs` under mutation: the synthetic CBS export and its region map
//! (seeds), imported over the default scenario in process; deep: the binary.

use super::engine::{Case, Target};
use super::oracle::{Verdict, binary, judge};
use super::structured;
use super::targets::{QUICK_LIMIT, agrees, arg, in_process, workspace};
use jeugdstroom::import::{self, CbsOptions, Rounding};
use std::path::PathBuf;

const CBS: &str = include_str!("../../examples/cbs-85097NED-sample.csv");
const REGIONS: &str = include_str!("../../examples/cbs-municipalities-duo.csv");

pub struct CbsTarget {
    seeds: Vec<(String, Vec<u8>)>,
    forms: Vec<String>,
    municipalities: Vec<(String, Option<String>)>,
}

impl CbsTarget {
    pub fn new() -> Self {
        let loaded = jeugdstroom::scenario::load_default().expect("the default loads");
        let s = loaded.scenario;
        CbsTarget {
            seeds: vec![
                ("cbs.csv".into(), CBS.as_bytes().to_vec()),
                ("regions.csv".into(), REGIONS.as_bytes().to_vec()),
            ],
            forms: s.care_forms.keys().cloned().collect(),
            municipalities: (s.municipalities.iter())
                .map(|(n, m)| (n.clone(), m.label.clone()))
                .collect(),
        }
    }
}

/// The library's import, as the binary calls it (CBS rounding rule).
fn import(
    file: PathBuf,
    regions: PathBuf,
    forms: Vec<String>,
    munis: Vec<(String, Option<String>)>,
) -> Result<(), String> {
    let options = CbsOptions {
        file: &file,
        forms: &forms,
        municipalities: &munis,
        mapping: None,
        municipality_map: Some(&regions),
        referrer: None,
        rounding: Rounding {
            base: 5,
            suppressed_max: 9,
        },
    };
    import::cbs(&options).map(|_| ()).map_err(|e| e.to_string())
}

impl Target for CbsTarget {
    fn name(&self) -> &'static str {
        "cbs"
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        structured::csv_cases(0, CBS, 2)
    }

    fn check(&self, case: &Case, deep: bool) -> Verdict {
        let dir = workspace(&self.seeds, &[], case);
        let (file, regions) = (dir.path().join("cbs.csv"), dir.path().join("regions.csv"));
        let (f, r, forms, munis) = (
            file.clone(),
            regions.clone(),
            self.forms.clone(),
            self.municipalities.clone(),
        );
        let library = in_process(dir.path(), move || import(f, r, forms, munis));
        if !deep || matches!(library, Verdict::Finding(_)) {
            return library;
        }
        let out = dir.path().join("history.csv");
        let args = [
            "import",
            "cbs",
            arg(&file),
            "--municipality-map",
            arg(&regions),
            "--out",
            arg(&out),
        ];
        agrees(
            &library,
            judge(&binary(&args, QUICK_LIMIT), dir.path()),
            "import cbs",
        )
    }
}
