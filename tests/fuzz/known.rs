//! KNOWN_UNFIXED: the findings on main that issue 12 already describes
//! (classes 1–6, being fixed on other branches). The short run reports them
//! but does not fail on them; anything else fails it. Empty this list as the
//! fixes are merged — a fixed class that still matches here would hide a
//! regression.

use super::oracle::Finding;

/// One known class: which target, which symptom, and a piece of the key.
pub struct Known {
    /// The issue-12 class, in its words.
    pub class: &'static str,
    /// The target it shows in (None: any).
    pub target: Option<&'static str>,
    pub symptom: &'static str,
    /// A substring of the finding's key ("" matches every key).
    pub key: &'static str,
}

const PANICS: &str = "1. Panics and aborts";
const HANGS: &str = "2. Hangs";
const MERGE_LOSS: &str = "3. Silent data loss in merge (and report): result files unverified";
const INTERNAL: &str = "4. Bad input reported as an internal error";
const GAPS: &str = "5. Validation gaps";
const INJECTION: &str = "6. Injection";

pub const KNOWN_UNFIXED: &[Known] = &[
    // "Formatting an error whose column is past 65,535 panics (src/error.rs)"
    Known {
        class: PANICS,
        target: None,
        symptom: "panic",
        key: "src/error.rs",
    },
    // "a corrupt value in replications.bin panics inside rust_decimal"
    Known {
        class: PANICS,
        target: Some("results"),
        symptom: "panic",
        key: "rust_decimal",
    },
    // "a corrupt header length makes BinReader allocate without bound and
    // aborts" (u64::MAX: capacity overflow panic; 2^40: allocation abort)
    Known {
        class: PANICS,
        target: Some("results"),
        symptom: "panic",
        key: "raw_vec",
    },
    Known {
        class: PANICS,
        target: Some("results"),
        symptom: "signal",
        key: "",
    },
    // "a sweep grid of 20^8 points is built up front and aborts on memory"
    Known {
        class: PANICS,
        target: Some("sweep"),
        symptom: "signal",
        key: "",
    },
    // "A scenario that validates can run forever"
    Known {
        class: HANGS,
        target: Some("scenario"),
        symptom: "hang",
        key: "",
    },
    Known {
        class: HANGS,
        target: Some("scenario-csv"),
        symptom: "hang",
        key: "",
    },
    // "Merge checks the manifests but trusts replications.bin … record each
    // file's SHA-256 in manifest.json, check it on merge and report, and
    // check that the rows hold each replication of replication_range
    // exactly once. Any mismatch: exit 2 naming the file."
    Known {
        class: MERGE_LOSS,
        target: Some("results"),
        symptom: "silent-corruption",
        key: "",
    },
    Known {
        class: MERGE_LOSS,
        target: Some("results"),
        symptom: "unlocated",
        key: "the shards cover",
    },
    // "A missing, truncated or corrupt file inside a result folder, a
    // corrupt CSV there … exit 1 internal today": every exit 1 of report
    // and merge on a changed result file; and report's panic on an empty
    // summary.csv and its hang on a non-finite value in summary.csv (both
    // corrupt files there; the checksums of class 3 refuse them first).
    Known {
        class: INTERNAL,
        target: Some("results"),
        symptom: "exit-1",
        key: "",
    },
    Known {
        class: INTERNAL,
        target: Some("results"),
        symptom: "panic",
        key: "src/report/",
    },
    Known {
        class: INTERNAL,
        target: Some("results"),
        symptom: "hang",
        key: "",
    },
    // A history whose numbers make the calibrated scenario fail its own
    // validation: `calibrate` exits 1 "the calibrated scenario does not load".
    Known {
        class: INTERNAL,
        target: Some("history"),
        symptom: "exit-1",
        key: "calibrated scenario does not load",
    },
    // "a bad value in a sweep file located in the base scenario instead of
    // the sweep file, printed once per point": an unknown parameter path is
    // located nowhere.
    Known {
        class: GAPS,
        target: Some("sweep"),
        symptom: "unlocated",
        key: "sweep parameter",
    },
    // … and the same class: a bad value of a point is printed by `sweep`
    // as it goes and then again as the command's error.
    Known {
        class: GAPS,
        target: Some("sweep"),
        symptom: "message",
        key: "error printed twice: PATH sweep point",
    },
    // "Source lines echoed in error messages and names printed on the
    // terminal pass raw escape sequences (ESC, BEL) to the terminal:
    // neutralise control characters wherever user text reaches a terminal."
    Known {
        class: INJECTION,
        target: None,
        symptom: "message",
        key: "control character",
    },
];

/// The issue-12 class a finding belongs to, if it is a known one.
pub fn class_of(target: &str, finding: &Finding) -> Option<&'static str> {
    KNOWN_UNFIXED
        .iter()
        .find(|k| {
            k.target.is_none_or(|t| t == target)
                && k.symptom == finding.symptom
                && (finding.key.contains(k.key)
                    || (finding.symptom != "panic" && finding.detail.contains(k.key)))
        })
        .map(|k| k.class)
}
