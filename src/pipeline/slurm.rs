//! Slurm scripts: an sbatch job array (one task per shard) and a merge job
//! that depends on it, so a cluster runs the same shards and merge as a
//! laptop would. Re-submitting skips shards whose manifest is complete.

use crate::error::{Error, InputError};
use crate::output::AtomicFile;
use std::path::{Path, PathBuf};

/// What the array tasks run: shards of a scenario, or of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Run,
    Sweep,
}

impl Kind {
    /// The subcommand a task calls.
    fn command(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
        }
    }
}

/// The job to script: the input, its shards, and what each task may use.
#[derive(Clone, Debug)]
pub struct SlurmJob {
    pub kind: Kind,
    pub input: PathBuf,
    /// Result folder: shard-K/, merged/ and the scripts in slurm/.
    pub out: PathBuf,
    pub shards: u64,
    pub replications: Option<u64>,
    pub seed: Option<u64>,
    pub partition: Option<String>,
    pub account: Option<String>,
    pub time: String,
    pub mem: String,
    pub cpus_per_task: u64,
    /// The binary the jobs call (default: this one).
    pub binary: Option<PathBuf>,
}

/// The input of exactly one of `--scenario` and `--sweep`.
pub fn input<'a>(
    scenario: Option<&'a Path>,
    sweep: Option<&'a Path>,
) -> Result<(Kind, &'a Path), Error> {
    match (scenario, sweep) {
        (Some(s), None) => Ok((Kind::Run, s)),
        (None, Some(s)) => Ok((Kind::Sweep, s)),
        _ => Err(
            InputError::new("give exactly one of --scenario and --sweep")
                .field("--scenario / --sweep")
                .fix("jeugdstroom slurm --scenario my.toml --shards 8 --out results")
                .into(),
        ),
    }
}

/// Quotes a value for a POSIX shell: names and paths are data, not code.
fn sh(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Accepts Slurm's time formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
pub fn parse_time(value: &str) -> Result<String, String> {
    let numbers = |s: &str, max_parts: usize| {
        let parts: Vec<&str> = s.split(':').collect();
        !s.is_empty()
            && parts.len() <= max_parts
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    };
    let ok = match value.split_once('-') {
        Some((days, rest)) => {
            !days.is_empty() && days.chars().all(|c| c.is_ascii_digit()) && numbers(rest, 3)
        }
        None => numbers(value, 3),
    };
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "`{value}` is not a Slurm time; use MM, HH:MM:SS or D-HH:MM:SS, e.g. 02:00:00"
        ))
    }
}

fn absolute(path: &Path) -> Result<PathBuf, Error> {
    Ok(if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    })
}

/// Absolute paths and shell-quoted values the scripts use.
struct Paths {
    scripts: PathBuf,
    bin: String,
    input: String,
    out: String,
}

/// Writes `array.sbatch`, `merge.sbatch` and `submit.sh` into `OUT/slurm`;
/// returns that folder.
pub fn write_scripts(job: &SlurmJob) -> Result<PathBuf, Error> {
    if !job.input.exists() {
        return Err(
            InputError::new(format!("{} does not exist", job.input.display()))
                .in_file(&job.input)
                .into(),
        );
    }
    let input = absolute(&job.input)?;
    let out = absolute(&job.out)?;
    let scripts = out.join("slurm");
    std::fs::create_dir_all(&scripts).map_err(|e| {
        InputError::new(format!("cannot create {}: {e}", scripts.display()))
            .field("--out")
            .fix("choose a writable folder")
    })?;
    let binary = match &job.binary {
        Some(b) => absolute(b)?,
        None => std::env::current_exe()?,
    };
    let paths = Paths {
        bin: sh(&binary.display().to_string()),
        input: sh(&input.display().to_string()),
        out: sh(&out.display().to_string()),
        scripts,
    };
    for (name, text) in [
        ("array.sbatch", array_script(job, &paths)),
        ("merge.sbatch", merge_script(job, &paths)),
        ("submit.sh", submit_script(&paths.scripts)),
    ] {
        let path = paths.scripts.join(name);
        AtomicFile::write_all(&path, text.as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    Ok(paths.scripts)
}

/// The `#SBATCH` lines both jobs share.
fn header(job: &SlurmJob) -> String {
    let mut header = format!(
        "#!/bin/bash\n#SBATCH --job-name=jeugdstroom\n#SBATCH --cpus-per-task={}\n#SBATCH --time={}\n#SBATCH --mem={}\n",
        job.cpus_per_task, job.time, job.mem
    );
    if let Some(p) = &job.partition {
        header.push_str(&format!("#SBATCH --partition={p}\n"));
    }
    if let Some(a) = &job.account {
        header.push_str(&format!("#SBATCH --account={a}\n"));
    }
    header
}

/// ` --replications R --seed S`, as given.
fn sim_flags(job: &SlurmJob) -> String {
    let mut flags = String::new();
    if let Some(r) = job.replications {
        flags.push_str(&format!(" --replications {r}"));
    }
    if let Some(s) = job.seed {
        flags.push_str(&format!(" --seed {s}"));
    }
    flags
}

fn array_script(job: &SlurmJob, p: &Paths) -> String {
    let (n, bin, kind, inp, outq) = (job.shards, &p.bin, job.kind.command(), &p.input, &p.out);
    format!(
        "{header}#SBATCH --array=1-{n}\n#SBATCH --output={log}/shard-%a.log\n\
         # One array task per shard; a shard with a complete manifest is skipped,\n\
         # so re-submitting after a node failure or time-out only redoes what is missing.\n\
         set -euo pipefail\n\
         K=\"${{SLURM_ARRAY_TASK_ID:?run as a Slurm array task or set SLURM_ARRAY_TASK_ID}}\"\n\
         OUT={outq}/shard-\"$K\"\n\
         if [ -f \"$OUT/manifest.json\" ]; then echo \"shard $K/{n} is complete; skipping\"; exit 0; fi\n\
         exec {bin} {kind} {inp}{flags} --shard \"$K/{n}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --quiet --out \"$OUT\"\n",
        header = header(job),
        log = p.scripts.display(),
        flags = sim_flags(job),
    )
}

fn merge_script(job: &SlurmJob, p: &Paths) -> String {
    let (bin, inp, outq) = (&p.bin, &p.input, &p.out);
    let shard_dirs: Vec<String> = (1..=job.shards)
        .map(|k| format!("{outq}/shard-{k}"))
        .collect();
    let merge_command = match job.kind {
        Kind::Run => format!(
            "exec {bin} merge {} --out {outq}/merged\n",
            shard_dirs.join(" ")
        ),
        Kind::Sweep => format!(
            "exec {bin} sweep {inp}{} --merge {} --out {outq}/merged\n",
            sim_flags(job),
            shard_dirs.join(" ")
        ),
    };
    format!(
        "{}#SBATCH --output={log}/merge.log\n# Runs after every array task succeeded (submit.sh adds --dependency=afterok).\nset -euo pipefail\n{merge_command}",
        header(job),
        log = p.scripts.display()
    )
}

fn submit_script(scripts: &Path) -> String {
    format!(
        "#!/bin/bash\n# Submits the shard array and the merge job that waits for it.\nset -euo pipefail\n\
         array=$(sbatch --parsable {a})\narray=${{array%%;*}}\n\
         merge=$(sbatch --parsable --dependency=afterok:\"$array\" {m})\n\
         echo \"array job $array, merge job ${{merge%%;*}}\"\n",
        a = sh(&scripts.join("array.sbatch").display().to_string()),
        m = sh(&scripts.join("merge.sbatch").display().to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slurm_times_and_quoting() {
        for ok in ["30", "30:00", "02:00:00", "1-00", "1-12:00", "2-00:00:00"] {
            assert!(parse_time(ok).is_ok(), "{ok}");
        }
        for bad in ["", "2h", "1:2:3:4", "-1", "1-", "aa:bb"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(sh("it's"), r"'it'\''s'");
    }
}
