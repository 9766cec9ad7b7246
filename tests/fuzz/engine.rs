//! The loop: structured cases first, then random ones (noise or mutations
//! of a seed file) until the case count or the deadline; every finding is
//! deduplicated by its signature (target, symptom, key), checked against
//! `KNOWN_UNFIXED`, and — when new — minimised and saved under
//! `target/fuzz-findings/`.

use super::known;
use super::mutate;
use super::oracle::{Finding, Verdict};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One input: file `file` of the target's seeds replaced by `bytes` (or
/// removed).
#[derive(Clone, Debug)]
pub struct Case {
    pub file: usize,
    pub bytes: Vec<u8>,
    pub removed: bool,
    pub label: String,
}

impl Case {
    pub fn new(file: usize, bytes: Vec<u8>, label: String) -> Case {
        Case {
            file,
            bytes,
            removed: false,
            label,
        }
    }
}

/// A reader under test.
pub trait Target {
    fn name(&self) -> &'static str;
    /// The files a case replaces: name and valid contents.
    fn seeds(&self) -> &[(String, Vec<u8>)];
    /// The deterministic structured cases.
    fn structured(&self) -> Vec<Case>;
    /// Judges one case; `deep` asks for the expensive follow-up (running
    /// the binary on what validated).
    fn check(&self, case: &Case, deep: bool) -> Verdict;
}

/// How much to try.
pub struct Plan {
    pub seed: u64,
    /// Take every n-th structured case (0: none).
    pub structured_every: usize,
    pub random_cases: usize,
    /// Every n-th case also gets the deep check.
    pub deep_every: usize,
    pub deadline: Option<Instant>,
    /// Oracle calls spent minimising each new finding (each known one too
    /// with `minimise_known`).
    pub minimise_budget: usize,
    pub minimise_known: bool,
    /// Long runs: write each in-process input to `current/` first, so an
    /// abort that kills the harness leaves its input behind.
    pub keep_current: bool,
}

/// One distinct finding.
#[derive(Clone, Debug)]
pub struct Found {
    pub finding: Finding,
    pub label: String,
    pub count: usize,
    /// The issue-12 class it belongs to, if it is a known one.
    pub known: Option<&'static str>,
    pub saved: Option<PathBuf>,
}

#[derive(Default)]
pub struct Tally {
    pub tried: usize,
    pub accepted: usize,
    pub rejected: usize,
    pub findings: BTreeMap<String, Found>,
}

impl Tally {
    pub fn unknown(&self) -> Vec<&Found> {
        self.findings
            .values()
            .filter(|f| f.known.is_none())
            .collect()
    }

    pub fn print(&self, title: &str) {
        eprintln!(
            "fuzz {title}: {} inputs ({} accepted, {} rejected), {} distinct findings",
            self.tried,
            self.accepted,
            self.rejected,
            self.findings.len()
        );
        for (signature, f) in &self.findings {
            let known = f.known.map_or("NEW".to_string(), |k| format!("known: {k}"));
            eprintln!("  [{known}] {signature} ×{} — e.g. {}", f.count, f.label);
            if let Some(saved) = &f.saved {
                eprintln!("      saved: {}", saved.display());
            }
        }
    }
}

pub fn findings_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-findings")
}

/// Runs `plan` against `target`, adding to `tally`.
pub fn run(target: &dyn Target, plan: &Plan, tally: &mut Tally) {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let take = if plan.structured_every == 0 {
        0
    } else {
        usize::MAX
    };
    let structured = target.structured().into_iter();
    let structured = structured.step_by(plan.structured_every.max(1)).take(take);
    let random = std::iter::repeat_with(|| None).take(plan.random_cases);
    for (index, case) in structured.map(Some).chain(random).enumerate() {
        if plan.deadline.is_some_and(|d| Instant::now() > d) {
            break;
        }
        let case = case.unwrap_or_else(|| random_case(target, &mut rng));
        let deep = index.is_multiple_of(plan.deep_every.max(1));
        if plan.keep_current {
            keep_current(target, &case);
            if tally.tried.is_multiple_of(200) {
                eprintln!("FUZZ-PROGRESS {}", tally.tried);
            }
        }
        if !judge_one(target, plan, tally, case, deep) {
            break;
        }
    }
}

/// Judges one case and records it; false if the target hung in process
/// (its thread is still running: stop feeding it).
fn judge_one(target: &dyn Target, plan: &Plan, tally: &mut Tally, case: Case, deep: bool) -> bool {
    tally.tried += 1;
    let finding = match target.check(&case, deep) {
        Verdict::Accepted => {
            tally.accepted += 1;
            return true;
        }
        Verdict::Rejected => {
            tally.rejected += 1;
            return true;
        }
        Verdict::Finding(f) => f,
    };
    let signature = format!("{} {} {}", target.name(), finding.symptom, finding.key);
    let stuck = finding.symptom == "hang" && finding.detail.starts_with("no answer");
    if let Some(seen) = tally.findings.get_mut(&signature) {
        seen.count += 1;
        return !stuck;
    }
    let known = known::class_of(target.name(), &finding);
    let wanted = known.is_none() || plan.minimise_known;
    let budget = match finding.symptom {
        "hang" => 0,
        _ if wanted => plan.minimise_budget,
        _ => 0,
    };
    let small = minimise(target, case, &signature, deep, budget);
    let saved = save(target, &small, &signature, &finding, known);
    let found = Found {
        finding,
        label: small.label.clone(),
        count: 1,
        known,
        saved,
    };
    tally.findings.insert(signature, found);
    !stuck
}

fn random_case(target: &dyn Target, rng: &mut ChaCha8Rng) -> Case {
    let seeds = target.seeds();
    let file = rng.random_range(0..seeds.len());
    let roll = rng.random_range(0..100);
    if roll < 10 {
        Case::new(file, mutate::random_bytes(rng), "random bytes".into())
    } else if roll < 12 {
        Case {
            removed: true,
            ..Case::new(file, Vec::new(), format!("{} removed", seeds[file].0))
        }
    } else {
        let label = format!("mutated {}", seeds[file].0);
        Case::new(file, mutate::mutate(rng, &seeds[file].1), label)
    }
}

/// Removes chunks of lines, then of bytes, while the signature stays.
fn minimise(target: &dyn Target, case: Case, signature: &str, deep: bool, budget: usize) -> Case {
    let mut best = case;
    let mut calls = 0;
    let same = |candidate: &Case, calls: &mut usize| {
        *calls += 1;
        match target.check(candidate, deep) {
            Verdict::Finding(f) => {
                format!("{} {} {}", target.name(), f.symptom, f.key) == signature
            }
            _ => false,
        }
    };
    for unit in [Unit::Lines, Unit::Bytes] {
        let mut parts = unit.split(&best.bytes);
        let mut chunk = parts.len() / 2;
        while chunk >= 1 && calls < budget && !best.removed {
            let mut i = 0;
            while i < parts.len() && calls < budget {
                let mut fewer = parts.clone();
                fewer.drain(i..(i + chunk).min(parts.len()));
                let candidate = Case {
                    bytes: fewer.concat(),
                    ..best.clone()
                };
                if same(&candidate, &mut calls) {
                    parts = fewer;
                    best = candidate;
                } else {
                    i += chunk;
                }
            }
            chunk /= 2;
        }
    }
    best
}

#[derive(Clone, Copy)]
enum Unit {
    Lines,
    Bytes,
}

impl Unit {
    fn split(self, bytes: &[u8]) -> Vec<Vec<u8>> {
        match self {
            Unit::Lines => bytes
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect(),
            Unit::Bytes if bytes.len() <= 4096 => bytes.iter().map(|&b| vec![b]).collect(),
            Unit::Bytes => vec![bytes.to_vec()],
        }
    }
}

/// Writes the (minimised) input and what it did under
/// `target/fuzz-findings/<target>/<signature hash>/`.
fn save(
    target: &dyn Target,
    case: &Case,
    signature: &str,
    finding: &Finding,
    known: Option<&str>,
) -> Option<PathBuf> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    signature.hash(&mut hasher);
    let dir = findings_dir()
        .join(target.name())
        .join(format!("{:016x}", hasher.finish()));
    std::fs::create_dir_all(&dir).ok()?;
    let name = &target.seeds()[case.file].0;
    if !case.removed {
        std::fs::write(dir.join(name), &case.bytes).ok()?;
    }
    let note = format!(
        "signature: {signature}\ncase: {}\nfile: {name}{}\nknown: {}\n\n{}\n",
        case.label,
        if case.removed { " (removed)" } else { "" },
        known.unwrap_or("NEW"),
        finding.detail
    );
    std::fs::write(dir.join("finding.txt"), note).ok()?;
    Some(dir)
}

fn keep_current(target: &dyn Target, case: &Case) {
    let dir = findings_dir().join("current");
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("{}-{}", target.name(), target.seeds()[case.file].0);
    let _ = std::fs::write(dir.join("case.txt"), format!("{name}\n{}\n", case.label));
    let _ = std::fs::write(dir.join("input"), &case.bytes);
}

/// A deadline `seconds` from now.
pub fn after(seconds: u64) -> Option<Instant> {
    Some(Instant::now() + Duration::from_secs(seconds))
}
