//! Slurm scripts: an sbatch job array (one task per shard) and a merge job
//! that depends on it, so a cluster runs the same shards and merge as a
//! laptop would. Re-submitting skips shards whose manifest is complete.

use crate::error::{Error, InputError};
use crate::output::AtomicFile;
use crate::text::printable_path;
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

/// The allowed forms, as the messages and the reference name them.
pub const MEM_FORM: &str = "digits with an optional K, M, G or T suffix, e.g. 4G or 500M";
pub const TIME_FORM: &str = "MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 02:00:00";
pub const PARTITION_FORM: &str =
    "Slurm names of letters, digits, `_`, `.` and `-`, comma-separated, e.g. gpu,short";
pub const ACCOUNT_FORM: &str = "a Slurm name of letters, digits, `_`, `.` and `-`, e.g. proj_42";

/// `value` as a message shows it: control characters escaped.
fn shown(value: &str) -> String {
    value.escape_debug().to_string()
}

/// Accepts Slurm's memory sizes: digits with an optional unit K, M, G or T.
pub fn parse_mem(value: &str) -> Result<String, String> {
    let digits = value.trim_end_matches(['K', 'M', 'G', 'T', 'k', 'm', 'g', 't']);
    let ok = (1..=15).contains(&digits.len())
        && value.len() - digits.len() <= 1
        && digits.chars().all(|c| c.is_ascii_digit());
    match ok {
        true => Ok(value.to_string()),
        false => Err(format!(
            "`{}` is not a Slurm memory size; use {MEM_FORM}",
            shown(value)
        )),
    }
}

/// Whether `name` is a Slurm name of the characters this tool lets through.
fn slurm_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Accepts a partition or a comma-separated list of partitions.
pub fn parse_partition(value: &str) -> Result<String, String> {
    match value.len() <= 1024 && value.split(',').all(slurm_name) {
        true => Ok(value.to_string()),
        false => Err(format!(
            "`{}` is not a Slurm partition list; use {PARTITION_FORM}",
            shown(value)
        )),
    }
}

/// Accepts an account name.
pub fn parse_account(value: &str) -> Result<String, String> {
    match slurm_name(value) {
        true => Ok(value.to_string()),
        false => Err(format!(
            "`{}` is not a Slurm account; use {ACCOUNT_FORM}",
            shown(value)
        )),
    }
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
            "`{}` is not a Slurm time; use {TIME_FORM}",
            shown(value)
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
    /// The scripts folder, for the `#SBATCH --output` lines (see `log_file`).
    log_dir: String,
    bin: String,
    input: String,
    out: String,
}

/// A parser of one Slurm option, its flag and the form it allows.
type OptionCheck<'a> = (
    &'a str,
    Option<&'a str>,
    fn(&str) -> Result<String, String>,
    &'a str,
);

/// Refuses options outside Slurm's syntax (a library caller may build a
/// `SlurmJob` without the command line's parsers).
fn check_options(job: &SlurmJob) -> Result<(), Error> {
    let checks: [OptionCheck<'_>; 4] = [
        ("--mem", Some(&job.mem), parse_mem, MEM_FORM),
        ("--time", Some(&job.time), parse_time, TIME_FORM),
        (
            "--partition",
            job.partition.as_deref(),
            parse_partition,
            PARTITION_FORM,
        ),
        (
            "--account",
            job.account.as_deref(),
            parse_account,
            ACCOUNT_FORM,
        ),
    ];
    for (flag, value, parse, form) in checks {
        if let Some(Err(message)) = value.map(parse) {
            let fix = format!("give {flag} as {form}");
            return Err(InputError::new(message).field(flag).fix(fix).into());
        }
    }
    for (flag, value) in [
        ("--shards", job.shards),
        ("--cpus-per-task", job.cpus_per_task),
    ] {
        if value == 0 {
            let e = InputError::new(format!("{flag} must be at least 1"));
            return Err(e.field(flag).fix(format!("give {flag} 1 or more")).into());
        }
    }
    Ok(())
}

/// A path as the scripts write it: UTF-8 without control characters (a
/// lossy or multi-line path would name another file, or run a command).
/// The result folder also lies in `#SBATCH --output`, where Slurm reads a
/// backslash as "no %a patterns": refused there too.
fn script_path(flag: &str, path: &Path) -> Result<String, Error> {
    let refuse = |what: &str| -> Error {
        let message = format!("{} {what}", printable_path(path));
        let fix = "choose a path of printable UTF-8 characters";
        InputError::new(message).field(flag).fix(fix).into()
    };
    let text = path.to_str().ok_or_else(|| refuse("is not UTF-8"))?;
    if text.chars().any(char::is_control) {
        return Err(refuse("holds a control character (a newline, ESC, …)"));
    }
    if flag == "--out" && text.contains('\\') {
        return Err(refuse(
            "holds a backslash, which Slurm's --output does not allow",
        ));
    }
    Ok(text.to_string())
}

/// `dir/file` as an `#SBATCH --output` argument: as is when `dir` holds only
/// plain path characters, else in double quotes with `\` and `"` escaped
/// (the quoting of Slurm's own `#SBATCH` parser) and `%` doubled so Slurm's
/// filename patterns leave it alone. `file` is ours (`shard-%a.log`).
fn log_file(dir: &str, file: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/_.+,:=@-".contains(c);
    if dir.chars().all(plain) {
        return format!("{dir}/{file}");
    }
    let escaped = dir
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}/{file}\"")
}

/// Writes `array.sbatch`, `merge.sbatch` and `submit.sh` into `OUT/slurm`;
/// returns that folder.
pub fn write_scripts(job: &SlurmJob) -> Result<PathBuf, Error> {
    check_options(job)?;
    if !job.input.exists() {
        return Err(
            InputError::new(format!("{} does not exist", printable_path(&job.input)))
                .in_file(&job.input)
                .into(),
        );
    }
    let input = script_path(input_flag(job.kind), &absolute(&job.input)?)?;
    let out = absolute(&job.out)?;
    let out_text = script_path("--out", &out)?;
    let binary = match &job.binary {
        Some(b) => absolute(b)?,
        None => std::env::current_exe()?,
    };
    let bin = script_path("--binary", &binary)?;
    let scripts = out.join("slurm");
    std::fs::create_dir_all(&scripts).map_err(|e| {
        InputError::new(format!("cannot create {}: {e}", printable_path(&scripts)))
            .field("--out")
            .fix("choose a writable folder")
    })?;
    let paths = Paths {
        log_dir: format!("{out_text}/slurm"),
        bin: sh(&bin),
        input: sh(&input),
        out: sh(&out_text),
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

/// The flag that named the input.
fn input_flag(kind: Kind) -> &'static str {
    match kind {
        Kind::Run => "--scenario",
        Kind::Sweep => "--sweep",
    }
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
        "{header}#SBATCH --array=1-{n}\n#SBATCH --output={log}\n\
         # One array task per shard; a shard with a complete manifest is skipped,\n\
         # so re-submitting after a node failure or time-out only redoes what is missing.\n\
         set -euo pipefail\n\
         K=\"${{SLURM_ARRAY_TASK_ID:?run as a Slurm array task or set SLURM_ARRAY_TASK_ID}}\"\n\
         OUT={outq}/shard-\"$K\"\n\
         if [ -f \"$OUT/manifest.json\" ]; then echo \"shard $K/{n} is complete; skipping\"; exit 0; fi\n\
         exec {bin} {kind} {inp}{flags} --shard \"$K/{n}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --quiet --out \"$OUT\"\n",
        header = header(job),
        log = log_file(&p.log_dir, "shard-%a.log"),
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
        "{}#SBATCH --output={log}\n# Runs after every array task succeeded (submit.sh adds --dependency=afterok).\nset -euo pipefail\n{merge_command}",
        header(job),
        log = log_file(&p.log_dir, "merge.log")
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

    #[test]
    fn slurm_options_outside_slurm_syntax_are_refused() {
        for ok in ["0", "4G", "500M", "16384", "2t"] {
            assert!(parse_mem(ok).is_ok(), "{ok}");
        }
        for bad in ["", "G", "4GB", "4G\nid", "4G;id", "$(id)", "-1", "1.5G"] {
            assert!(parse_mem(bad).is_err(), "{bad}");
        }
        for ok in ["gpu", "gpu,short", "a.b_c-1"] {
            assert!(
                parse_partition(ok).is_ok() && parse_account(ok.split(',').next().unwrap()).is_ok()
            );
        }
        for bad in ["", "a,", ",a", "a b", "a\nb", "a;b", "`id`", "$(id)", "a'b"] {
            assert!(
                parse_partition(bad).is_err() && parse_account(bad).is_err(),
                "{bad}"
            );
        }
        assert!(parse_account("a,b").is_err());
        assert!(parse_mem("4G\u{1b}").unwrap_err().contains(r"4G\u{1b}"));
    }

    #[test]
    fn log_paths_are_quoted_for_slurm_only_when_needed() {
        assert_eq!(
            log_file("/tmp/tmp.Ab1/slurm", "merge.log"),
            "/tmp/tmp.Ab1/slurm/merge.log"
        );
        assert_eq!(
            log_file("/a b/\"x\"/100%/#", "shard-%a.log"),
            r#""/a b/\"x\"/100%%/#/shard-%a.log""#
        );
    }
}
