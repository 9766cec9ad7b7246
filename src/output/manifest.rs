//! `manifest.json`: provenance of a result folder, written last.

use super::atomic::AtomicFile;
use crate::error::InputError;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE_NAME: &str = "manifest.json";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub scenario: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// Replications of the whole run (all shards together).
    pub replications: u64,
    /// Replications in this folder: [start, end).
    pub replication_range: [u64; 2],
    pub shard: Option<String>,
    pub threads: usize,
    pub events: u64,
    pub wall_seconds: f64,
    pub created_at: String,
    pub host: String,
    /// Pinned versions of the crates that determine the random numbers.
    pub rng_crates: BTreeMap<String, String>,
    /// For a merged result: the folders it was merged from.
    #[serde(default)]
    pub parts: Vec<String>,
    /// For a sweep point: the overrides (`path=value`) applied to the base scenario.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// SHA-256 (hex) of every result file another command reads, by file
    /// name; checked by `merge` and `report`. Empty in manifests written
    /// before checksums were recorded (those folders are refused).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

/// Versions pinned with `=` in Cargo.toml; a test checks they agree.
pub const RNG_CRATES: [(&str, &str); 3] = [
    ("rand", "0.9.5"),
    ("rand_chacha", "0.9.0"),
    ("rand_distr", "0.5.1"),
];

impl Manifest {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &str,
        sha256: &str,
        seed: u64,
        replications: u64,
        range: [u64; 2],
    ) -> Self {
        Manifest {
            tool: "jeugdstroom".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.into(),
            scenario_sha256: sha256.into(),
            seed,
            replications,
            replication_range: range,
            shard: None,
            threads: 1,
            events: 0,
            wall_seconds: 0.0,
            created_at: now_utc(),
            host: host(),
            rng_crates: RNG_CRATES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            parts: Vec::new(),
            overrides: Vec::new(),
            files: BTreeMap::new(),
        }
    }

    /// Reads the manifest of a result folder; a missing or unparsable one
    /// is an `InputError` naming it.
    pub fn read(dir: &Path) -> Result<Self, InputError> {
        let path = dir.join(FILE_NAME);
        let bad = |what: String| {
            InputError::new(what).in_file(&path)
                .fix("pass a folder written by `jeugdstroom run`, `merge` or `compare`; a folder without a valid manifest.json did not finish")
        };
        let text =
            crate::limits::read_input(&path).map_err(|e| bad(format!("cannot be read: {e}")))?;
        let text = String::from_utf8(text).map_err(|e| bad(format!("not UTF-8: {e}")))?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|e| bad(format!("not a valid manifest: {e}")))?;
        let [start, end] = manifest.replication_range;
        if start > end || end > manifest.replications {
            return Err(bad(format!(
                "replication_range {start}..{end} does not lie within the {} replications",
                manifest.replications
            )));
        }
        Ok(manifest)
    }
}

/// Writes the manifest of a result folder. Every result folder gets its
/// manifest through here, after all its other files, so a folder without
/// one is known to be incomplete.
pub fn write(dir: &Path, manifest: &Manifest) -> Result<()> {
    write_text(dir, &serde_json::to_string_pretty(manifest)?)
}

/// Marks a finished sweep shard folder (its points hold their own
/// manifests); Slurm re-runs skip a shard that has it.
pub fn write_sweep_shard(dir: &Path, shard: &str, points: usize) -> Result<()> {
    let marker =
        serde_json::json!({ "tool": "jeugdstroom", "sweep_shard": shard, "points": points });
    write_text(dir, &marker.to_string())
}

fn write_text(dir: &Path, text: &str) -> Result<()> {
    AtomicFile::write_all(&dir.join(FILE_NAME), text.as_bytes())?;
    Ok(())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| std::env::var("HOSTNAME").unwrap_or_default())
}

/// Current time as RFC 3339 UTC, without a date crate.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rng_crate_pins_match_cargo_toml() {
        let toml = include_str!("../../Cargo.toml");
        for (name, version) in super::RNG_CRATES {
            assert!(
                toml.contains(&format!("{name} = \"={version}\"")),
                "{name} must be pinned to ={version}"
            );
        }
    }

    #[test]
    fn timestamp_is_rfc3339() {
        let t = super::now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
    }
}
