//! `slurm`: writes an sbatch job array (one task per shard) and a merge job
//! that depends on it, so a cluster runs the same shards and merge as a
//! laptop would. Re-submitting skips shards whose manifest is complete.

use super::SlurmArgs;
use crate::error::{Error, InputError};
use crate::output::AtomicFile;
use std::path::{Path, PathBuf};

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

pub fn slurm(args: SlurmArgs) -> Result<(), Error> {
    let (kind, input) = match (&args.scenario, &args.sweep) {
        (Some(s), None) => ("run", s),
        (None, Some(s)) => ("sweep", s),
        _ => {
            return Err(
                InputError::new("give exactly one of --scenario and --sweep")
                    .field("--scenario / --sweep")
                    .fix("jeugdstroom slurm --scenario my.toml --shards 8 --out results")
                    .into(),
            );
        }
    };
    if !input.exists() {
        return Err(
            InputError::new(format!("{} does not exist", input.display()))
                .in_file(input)
                .into(),
        );
    }
    let input = absolute(input)?;
    let out = absolute(&args.out)?;
    let scripts = out.join("slurm");
    std::fs::create_dir_all(&scripts).map_err(|e| {
        InputError::new(format!("cannot create {}: {e}", scripts.display()))
            .field("--out")
            .fix("choose a writable folder")
    })?;
    let binary = match &args.binary {
        Some(b) => absolute(b)?,
        None => std::env::current_exe()?,
    };
    let n = args.shards;
    let mut flags = String::new();
    if let Some(r) = args.replications {
        flags.push_str(&format!(" --replications {r}"));
    }
    if let Some(s) = args.seed {
        flags.push_str(&format!(" --seed {s}"));
    }
    let mut header = format!(
        "#!/bin/bash\n#SBATCH --job-name=jeugdstroom\n#SBATCH --cpus-per-task={}\n#SBATCH --time={}\n#SBATCH --mem={}\n",
        args.cpus_per_task, args.time, args.mem
    );
    if let Some(p) = &args.partition {
        header.push_str(&format!("#SBATCH --partition={p}\n"));
    }
    if let Some(a) = &args.account {
        header.push_str(&format!("#SBATCH --account={a}\n"));
    }
    let (bin, inp, outq) = (
        sh(&binary.display().to_string()),
        sh(&input.display().to_string()),
        sh(&out.display().to_string()),
    );
    let array = format!(
        "{header}#SBATCH --array=1-{n}\n#SBATCH --output={log}/shard-%a.log\n\
         # One array task per shard; a shard with a complete manifest is skipped,\n\
         # so re-submitting after a node failure or time-out only redoes what is missing.\n\
         set -euo pipefail\n\
         K=\"${{SLURM_ARRAY_TASK_ID:?run as a Slurm array task or set SLURM_ARRAY_TASK_ID}}\"\n\
         OUT={outq}/shard-\"$K\"\n\
         if [ -f \"$OUT/manifest.json\" ]; then echo \"shard $K/{n} is complete; skipping\"; exit 0; fi\n\
         exec {bin} {kind} {inp}{flags} --shard \"$K/{n}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --quiet --out \"$OUT\"\n",
        log = scripts.display(),
    );
    let shard_dirs: Vec<String> = (1..=n).map(|k| format!("{outq}/shard-{k}")).collect();
    let merge_command = match kind {
        "run" => format!(
            "exec {bin} merge {} --out {outq}/merged\n",
            shard_dirs.join(" ")
        ),
        _ => format!(
            "exec {bin} sweep {inp}{flags} --merge {} --out {outq}/merged\n",
            shard_dirs.join(" ")
        ),
    };
    let merge = format!(
        "{header}#SBATCH --output={log}/merge.log\n# Runs after every array task succeeded (submit.sh adds --dependency=afterok).\nset -euo pipefail\n{merge_command}",
        log = scripts.display()
    );
    let submit = format!(
        "#!/bin/bash\n# Submits the shard array and the merge job that waits for it.\nset -euo pipefail\n\
         array=$(sbatch --parsable {a})\narray=${{array%%;*}}\n\
         merge=$(sbatch --parsable --dependency=afterok:\"$array\" {m})\n\
         echo \"array job $array, merge job ${{merge%%;*}}\"\n",
        a = sh(&scripts.join("array.sbatch").display().to_string()),
        m = sh(&scripts.join("merge.sbatch").display().to_string()),
    );
    for (name, text) in [
        ("array.sbatch", &array),
        ("merge.sbatch", &merge),
        ("submit.sh", &submit),
    ] {
        let path = scripts.join(name);
        AtomicFile::write_all(&path, text.as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
    }
    println!(
        "wrote {0}/array.sbatch, {0}/merge.sbatch and {0}/submit.sh",
        scripts.display()
    );
    println!("submit with: {}/submit.sh", scripts.display());
    Ok(())
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
