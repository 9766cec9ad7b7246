//! Reading scenario files: TOML syntax, `extends` chains, relative paths,
//! and typed deserialisation with errors that point into the right file.

use super::files::{Files, for_each_path};
use super::locate::Sources;
use super::schema::Scenario;
use super::uncertain::{self, Parameter};
use crate::error::{InputError, Location};
use crate::limits::MAX_EXTENDS_DEPTH;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded default scenario (Amsterdam-DUO 2028–2037).
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/amsterdam-duo.toml");
/// Name under which errors in the embedded default are reported.
pub const DEFAULT_ORIGIN: &str = "<embedded>/scenarios/amsterdam-duo.toml";

/// A parsed scenario plus everything needed to report errors and hash it.
/// Cheap to clone (the texts and tables are shared), so that a replication
/// with drawn parameters can carry its own `scenario` beside them.
#[derive(Clone)]
pub struct Loaded {
    /// The scenario with every uncertain parameter at its mean.
    pub scenario: Scenario,
    /// Files of the `extends` chain, the named file first.
    pub sources: Sources,
    /// The merged scenario as a TOML value, distributions as written
    /// (canonical form for hashing).
    pub merged: Arc<toml::Table>,
    /// The merged scenario with every distribution replaced by its mean.
    pub at_mean: Arc<toml::Table>,
    /// The uncertain parameters, in file order of their paths.
    pub parameters: Arc<Vec<Parameter>>,
    /// Every file the scenario refers to, read once.
    pub files: Files,
}

impl Loaded {
    /// The scenario with the uncertain parameters at `values` (in the order
    /// of `parameters`), typed but not validated.
    pub fn scenario_at(&self, values: &[f64]) -> Result<Scenario, InputError> {
        let table = super::uncertain::with_values(&self.at_mean, &self.parameters, values);
        deserialize(table, &self.sources)
    }
}

fn parse_table(origin: &str, text: &str) -> Result<toml::Table, InputError> {
    text.parse::<toml::Table>().map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        InputError::new(format!("invalid TOML: {}", e.message().trim()))
            .at(Location::from_offset(origin, text, offset))
            .fix("correct the TOML syntax at the marked position")
    })
}

fn resolve_paths(table: &mut toml::Table, dir: &Path) {
    for_each_path(table, &mut |s| {
        let p = Path::new(s.as_str());
        if p.is_relative() {
            *s = dir.join(p).to_string_lossy().into_owned();
        }
    });
}

/// Keys that name the kind of a table (a distribution, an overflow policy, a
/// capacity scope, a profile shape). A table that names its kind is complete:
/// it replaces the base table instead of merging into it, so a variant can
/// switch `policy = "out_of_region"` to `policy = "wait"` without inheriting
/// `tariff_multiplier`.
const KIND_KEYS: [&str; 5] = ["distribution", "policy", "scope", "shape", "lever"];

/// Whether an extending file's table `over` merges into the base's table
/// `base` key by key (else it replaces it whole): neither names its kind
/// nor is a distribution. `serve` writes a what-if by the same rule.
pub fn merges_key_by_key(base: &toml::Table, over: &toml::Table) -> bool {
    !KIND_KEYS.iter().any(|k| over.contains_key(*k))
        && !uncertain::looks_like_distribution(over)
        && !uncertain::looks_like_distribution(base)
}

/// Overlays `over` onto `base`: tables merge key by key, anything else (and
/// any table naming its kind) is replaced. A distribution replaces what it
/// overrides (a number, a year table) and is replaced whole by what
/// overrides it: a distribution is one value, never merged key by key.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) if merges_key_by_key(b, &o) => {
                merge(b, o)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn read_chain(
    origin: &str,
    text: String,
    dir: &Path,
    sources: &mut Sources,
    depth: usize,
) -> Result<toml::Table, InputError> {
    let mut table = parse_table(origin, &text)?;
    super::year_order::check(origin, &text)?;
    sources.push(origin.to_string(), text);
    resolve_paths(&mut table, dir);
    let Some(extends) = table.remove("extends") else {
        return Ok(table);
    };
    let here = sources.len() - 1;
    let Some(base_name) = extends.as_str() else {
        return Err(sources
            .error_at(here, &["extends"], "`extends` must be a path string")
            .fix("write extends = \"base.toml\""));
    };
    let base_path = {
        let p = Path::new(base_name);
        if p.is_relative() {
            dir.join(p)
        } else {
            p.to_path_buf()
        }
    };
    check_chain(sources, here, &base_path, depth)?;
    let base_text = super::text::read(&base_path, |e| {
        sources
            .error_at(
                here,
                &["extends"],
                format!("cannot read base scenario {}: {e}", base_path.display()),
            )
            .fix("point `extends` at an existing scenario file, relative to this file")
    })?;
    let base_dir = base_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut base = read_chain(
        &base_path.display().to_string(),
        base_text,
        &base_dir,
        sources,
        depth + 1,
    )?;
    merge(&mut base, table);
    Ok(base)
}

/// Refuses an `extends` that comes back to a file of the chain, or one that
/// would make the chain longer than `MAX_EXTENDS_DEPTH` files.
fn check_chain(
    sources: &Sources,
    here: usize,
    base: &Path,
    depth: usize,
) -> Result<(), InputError> {
    let same = |origin: &str| {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        canonical(Path::new(origin)).is_some_and(|c| Some(c) == canonical(base))
    };
    let chain: Vec<&str> = sources.origins().collect();
    if let Some(first) = chain.iter().position(|o| same(o)) {
        let mut cycle: Vec<&str> = chain[first..].to_vec();
        cycle.push(chain[first]);
        return Err(sources
            .error_at(
                here,
                &["extends"],
                format!("`extends` cycle: {}", cycle.join(" → ")),
            )
            .fix("make sure no scenario extends itself, directly or indirectly"));
    }
    if depth + 2 > MAX_EXTENDS_DEPTH {
        let message = format!("`extends` chain is longer than {MAX_EXTENDS_DEPTH} files");
        return Err(sources
            .error_at(here, &["extends"], message)
            .fix("extend a scenario that sets more itself, so the chain gets shorter"));
    }
    Ok(())
}

/// Loads a scenario from text; `origin` names it in errors and `dir` anchors relative paths.
pub fn load_str(origin: &str, text: &str, dir: &Path) -> Result<Loaded, InputError> {
    load_str_with(origin, text, dir, &[])
}

/// A sweep override: a dotted path into the scenario and its new value.
pub type Override = (String, toml::Value);

/// Sets a dotted path of the merged scenario; the path must already exist
/// (a sweep varies parameters of its base, it does not invent new ones).
fn apply_override(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut current = table;
    for (i, seg) in segments.iter().enumerate() {
        let missing = || {
            format!(
                "`{}` does not exist in the scenario",
                segments[..=i].join(".")
            )
        };
        if i + 1 == segments.len() {
            let slot = current.get_mut(*seg).ok_or_else(missing)?;
            *slot = value;
            return Ok(());
        }
        current = match current.get_mut(*seg) {
            Some(toml::Value::Table(t)) => t,
            _ => return Err(missing()),
        };
    }
    Err("empty parameter path".to_string())
}

/// Like `load_str`, with overrides applied to the merged scenario first.
pub fn load_str_with(
    origin: &str,
    text: &str,
    dir: &Path,
    overrides: &[Override],
) -> Result<Loaded, InputError> {
    let mut sources = Sources::default();
    let mut merged = read_chain(origin, text.to_string(), dir, &mut sources, 0)?;
    for (path, value) in overrides {
        apply_override(&mut merged, path, value.clone()).map_err(|why| {
            InputError::new(format!("sweep parameter `{path}`: {why}"))
                .field(path.clone())
                .fix("use the dotted path of a value the base scenario sets, e.g. care_forms.residential.tariff")
        })?;
    }
    let files = Files::read_all(&merged);
    finish(merged, sources, files)
}

/// A what-if on top of a loaded scenario: `text` (TOML without `extends`)
/// merges onto the base's merged table exactly as a file that `extends` the
/// base would, so what is run equals what `jeugdstroom validate` accepts of
/// that file. Errors in `text` point into `origin`; files the base named
/// are not read again.
pub fn load_overlay(
    base: &Loaded,
    origin: &str,
    text: &str,
    dir: &Path,
) -> Result<Loaded, InputError> {
    let mut over = parse_table(origin, text)?;
    super::year_order::check(origin, text)?;
    if over.contains_key("extends") {
        return Err(InputError::new("a what-if cannot name its own `extends`")
            .at(Location::from_offset(origin, text, 0))
            .field("extends")
            .fix("leave `extends` out: the what-if always extends the served scenario"));
    }
    resolve_paths(&mut over, dir);
    let mut sources = Sources::default();
    sources.push(origin.to_string(), text.to_string());
    for (o, t) in base.sources.origins().zip(base.sources.texts()) {
        sources.push(o.to_string(), t.to_string());
    }
    let mut merged = (*base.merged).clone();
    merge(&mut merged, over);
    let files = Files::read_all_known(&merged, &base.files);
    finish(merged, sources, files)
}

/// The typed scenario and its uncertain parameters of a merged table.
fn finish(merged: toml::Table, sources: Sources, files: Files) -> Result<Loaded, InputError> {
    let mut at_mean = merged.clone();
    let parameters =
        uncertain::extract(&mut at_mean, &sources).map_err(|mut errors| errors.0.swap_remove(0))?;
    let scenario = deserialize(at_mean.clone(), &sources)?;
    Ok(Loaded {
        scenario,
        sources,
        merged: Arc::new(merged),
        at_mean: Arc::new(at_mean),
        parameters: Arc::new(parameters),
        files,
    })
}

/// The typed scenario of a merged table; errors point into `sources`.
fn deserialize(table: toml::Table, sources: &Sources) -> Result<Scenario, InputError> {
    let value = toml::Value::Table(table);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path: Vec<String> = e
            .path()
            .iter()
            .map(|seg| match seg {
                serde_path_to_error::Segment::Seq { index } => index.to_string(),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => "?".to_string(),
            })
            .filter(|s| s != "?")
            .collect();
        let message = e.inner().to_string();
        let message = message.trim().to_string();
        // serde_path_to_error already ends the path with the unknown key for
        // structs (not for internally tagged enums); add it only when missing.
        if let Some(unknown) = unknown_field(&message)
            && path.last() != Some(&unknown)
        {
            path.push(unknown);
        }
        let fix = if message.contains("unknown field") {
            "remove the key or correct its spelling; the accepted keys are listed above"
        } else if message.contains("missing field") {
            "add the missing field"
        } else if message.contains("floating point") {
            "give a whole number here (distributions are for real-valued parameters)"
        } else {
            "give the field a value of the expected type"
        };
        let refs: Vec<&str> = path.iter().map(String::as_str).collect();
        sources.error(&refs, message).fix(fix)
    })
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// Loads a scenario file from disk.
pub fn load_file(path: &Path) -> Result<Loaded, InputError> {
    load_file_with(path, &[])
}

/// Loads a scenario file with sweep overrides applied.
pub fn load_file_with(path: &Path, overrides: &[Override]) -> Result<Loaded, InputError> {
    let text = super::text::read(path, |e| {
        InputError::new(format!("cannot read scenario {}: {e}", path.display()))
            .fix("check the path; `jeugdstroom scenario default > my.toml` writes a starting point")
            .in_file(path)
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_str_with(&path.display().to_string(), &text, &dir, overrides)
}

/// Loads the embedded default; relative paths resolve against the working directory.
pub fn load_default() -> Result<Loaded, InputError> {
    load_str(DEFAULT_ORIGIN, DEFAULT_SCENARIO, &PathBuf::from("."))
}
