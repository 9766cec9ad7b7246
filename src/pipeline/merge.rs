//! Merging shard folders into the result of one unsharded run. Refuses
//! shards that do not belong together; the merged files equal a single
//! run's byte for byte because they depend only on `replications.parquet`.

use super::job::wall_seconds;
use crate::error::{Error, InputError};
use crate::montecarlo::rowfile::{FILE_NAME as ROW_FILE, RowReader, RowWriter};
use crate::montecarlo::{PARAMETERS_FILE, TWIN_FILE};
use crate::output::{self, Manifest, Overview, TempFile};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A shard folder and its manifest.
type Part = (PathBuf, Manifest);

/// Merges shard folders into `out`; returns the scenario name, the
/// replication count and the overview of the merged result.
pub fn merge_parts(shards: &[PathBuf], out: &Path) -> Result<(String, u64, Overview), Error> {
    let started = Instant::now();
    let mut parts = read_parts(shards)?;
    let first = parts[0].1.clone();
    check_same_run(&parts, &shards[0])?;
    parts.sort_by_key(|(_, m)| m.replication_range);
    check_coverage(&parts, first.replications)?;
    // Every shard is verified before anything is written.
    verify_parts(&parts)?;
    check_out_is_new(&parts, out)?;

    output::prepare_out_dir(out)?;
    let events = concatenate(&parts, out, ROW_FILE)?;
    if parts[0].1.files.contains_key(TWIN_FILE) {
        concatenate(&parts, out, TWIN_FILE)?;
        concatenate_csv(&parts, out, PARAMETERS_FILE)?;
    }
    // Same scenario in every shard (checked above): keep its assumptions and labels.
    for name in KEPT {
        if parts[0].1.files.contains_key(name) {
            let bytes = std::fs::read(parts[0].0.join(name))?;
            output::AtomicFile::write_all(&out.join(name), &bytes)?;
        }
    }
    let mut manifest = Manifest::new(
        &first.scenario,
        &first.scenario_sha256,
        first.seed,
        first.replications,
        [0, first.replications],
    );
    manifest.threads = parts.iter().map(|(_, m)| m.threads).max().unwrap_or(1);
    manifest.events = events;
    manifest.wall_seconds = wall_seconds(started);
    manifest.parts = parts.iter().map(|(d, _)| d.display().to_string()).collect();
    manifest.overrides = first.overrides.clone();
    let overview = output::finalize(out, &manifest)?;
    Ok((first.scenario.clone(), first.replications, overview))
}

/// Files of a shard that the merged result keeps (from the first shard).
const KEPT: [&str; 2] = [
    crate::scenario::assumptions::FILE_NAME,
    crate::scenario::assumptions::LABELS_FILE,
];

fn read_parts(shards: &[PathBuf]) -> Result<Vec<Part>, Error> {
    if shards.is_empty() {
        return Err(InputError::new("no shard folders to merge")
            .field("SHARD_DIR")
            .fix("pass the result folders of every shard")
            .into());
    }
    let mut parts = Vec::new();
    for dir in shards {
        let manifest = Manifest::read(dir).map_err(|e| {
            InputError::new(format!("{} is not a complete result folder: {}", dir.display(), e.message))
                .field("SHARD_DIR")
                .in_file(&dir.join(output::manifest::FILE_NAME))
                .fix("pass folders written by `jeugdstroom run --shard K/N`; a folder without manifest.json did not finish")
        })?;
        parts.push((dir.clone(), manifest));
    }
    Ok(parts)
}

/// Each shard's files against its manifest's checksums, its rows against its
/// replication range, and every shard's columns against the first's.
fn verify_parts(parts: &[Part]) -> Result<(), Error> {
    let mut first: Option<Vec<crate::metrics::ColumnKey>> = None;
    let drawn = [TWIN_FILE, PARAMETERS_FILE];
    for (dir, m) in parts {
        for name in drawn {
            if m.files.contains_key(name) != parts[0].1.files.contains_key(name) {
                return Err(InputError::new(format!(
                    "{} has {name} where {} has not, or the other way round",
                    dir.display(),
                    parts[0].0.display()
                ))
                .in_file(&dir.join(output::manifest::FILE_NAME))
                .fix("merge only shards of one run")
                .into());
            }
        }
        for name in KEPT
            .iter()
            .chain(&drawn)
            .filter(|n| m.files.contains_key(**n))
        {
            output::checksum::verify(dir, m, name)?;
        }
        let columns = output::checksum::verify_rows(dir, m)?;
        match &first {
            None => first = Some(columns),
            Some(c) if *c != columns => {
                return Err(InputError::new(format!(
                    "{} has other columns than {}",
                    dir.join(ROW_FILE).display(),
                    parts[0].0.join(ROW_FILE).display()
                ))
                .in_file(&dir.join(ROW_FILE))
                .fix("merge only shards of one run")
                .into());
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The merged result may not overwrite one of the shards it is merged from.
fn check_out_is_new(parts: &[Part], out: &Path) -> Result<(), Error> {
    let same = |dir: &Path| match (std::fs::canonicalize(dir), std::fs::canonicalize(out)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some((dir, _)) = parts.iter().find(|(dir, _)| same(dir)) {
        return Err(InputError::new(format!(
            "--out {} is the shard folder {}",
            out.display(),
            dir.display()
        ))
        .field("--out")
        .fix("write the merged result to a new folder")
        .into());
    }
    Ok(())
}

/// Every shard must come from one run: same scenario, seed, version and count.
fn check_same_run(parts: &[Part], first_dir: &Path) -> Result<(), Error> {
    let first = &parts[0].1;
    for (dir, m) in &parts[1..] {
        let differs = |what: &str, a: String, b: String| -> Error {
            InputError::new(format!(
                "{} has {what} {b}, but {} has {a}",
                dir.display(),
                first_dir.display()
            ))
            .field(what.to_string())
            .fix("merge only shards of one run: same scenario, seed, replication count and tool version")
            .into()
        };
        if m.scenario_sha256 != first.scenario_sha256 {
            return Err(differs(
                "scenario_sha256",
                first.scenario_sha256.clone(),
                m.scenario_sha256.clone(),
            ));
        }
        if m.seed != first.seed {
            return Err(differs("seed", first.seed.to_string(), m.seed.to_string()));
        }
        if m.version != first.version {
            return Err(differs("version", first.version.clone(), m.version.clone()));
        }
        if m.replications != first.replications {
            return Err(differs(
                "replications",
                first.replications.to_string(),
                m.replications.to_string(),
            ));
        }
    }
    Ok(())
}

/// The sorted shards must cover replications `0..replications` without gap or overlap.
fn check_coverage(parts: &[Part], replications: u64) -> Result<(), Error> {
    let mut expected = 0;
    for (dir, m) in parts {
        let [start, end] = m.replication_range;
        if start != expected {
            let (what, fix) = if start < expected {
                ("overlap", "pass each shard once")
            } else {
                ("gap", "pass every shard of the run")
            };
            return Err(InputError::new(format!(
                "replications {expected}..{start} are missing or overlap: {} covers {start}..{end} ({what})",
                dir.display()
            ))
            .field("replication_range")
            .fix(fix)
            .into());
        }
        expected = end;
    }
    if expected != replications {
        return Err(InputError::new(format!(
            "the shards cover replications 0..{expected} of {replications}"
        ))
        .field("replication_range")
        .fix("pass every shard of the run")
        .into());
    }
    Ok(())
}

/// Appends the shards' row files `name` in replication order; returns
/// their events.
fn concatenate(parts: &[Part], out: &Path, name: &str) -> Result<u64, Error> {
    let tmp = TempFile::guard(out.join(format!(".{name}.tmp")));
    let mut writer: Option<RowWriter> = None;
    let mut events = 0u64;
    for (dir, m) in parts {
        let [start, end] = m.replication_range;
        let mut reader = RowReader::open(&dir.join(name))?.expect_replications(start..end)?;
        let w = match &mut writer {
            Some(w) => w,
            None => writer.insert(RowWriter::create(tmp.path(), &reader.columns)?),
        };
        while let Some(row) = reader.next_row()? {
            w.write(row.replication(), row.values())?;
        }
        events = events.saturating_add(m.events);
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    tmp.commit(&out.join(name))?;
    Ok(events)
}

/// Appends the shards' CSV files `name` (verified against their manifests)
/// in replication order, the header once.
fn concatenate_csv(parts: &[Part], out: &Path, name: &str) -> Result<(), Error> {
    let mut bytes = Vec::new();
    for (i, (dir, _)) in parts.iter().enumerate() {
        let text = std::fs::read(dir.join(name))?;
        let body = match text.iter().position(|b| *b == b'\n') {
            Some(end) if i > 0 => &text[end + 1..],
            _ => &text[..],
        };
        bytes.extend_from_slice(body);
    }
    output::AtomicFile::write_all(&out.join(name), &bytes)?;
    Ok(())
}
