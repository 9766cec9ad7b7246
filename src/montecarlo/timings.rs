//! Opt-in phase timings on stderr (`JEUGDSTROOM_TIMINGS=1`): where a run
//! spends its wall time outside the replications, so the serial part of a
//! run can be measured (`scripts/serial-fraction.sh`) instead of guessed.
//! Measurement only: no result depends on it, and without the variable
//! nothing is timed or printed.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

/// The environment variable that turns the timings on.
pub const VARIABLE: &str = "JEUGDSTROOM_TIMINGS";

/// Whether timings are on (read once).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var(VARIABLE).is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// Prints one timing line: `timing <folder> <phase> <seconds>`.
pub fn report(dir: &Path, phase: &str, seconds: f64) {
    if enabled() {
        let folder = dir.file_name().unwrap_or_default().to_string_lossy();
        eprintln!("timing\t{folder}\t{phase}\t{seconds:.4}");
    }
}

/// Runs `f`, timing it as `phase` of the run in `dir` when timings are on.
pub fn phase<T>(dir: &Path, phase: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = Instant::now();
    let out = f();
    report(dir, phase, started.elapsed().as_secs_f64());
    out
}
