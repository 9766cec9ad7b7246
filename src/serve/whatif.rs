//! A what-if: the page's overrides (dotted path → value) turned into the
//! small TOML a file extending the served scenario would hold, then loaded
//! through the scenario loader — so a bad value gets the loader's located
//! message, and what runs is exactly what "save as scenario" writes.

use super::levers::{WHATIF_KINDS, WHATIF_PREFIX, whatif_name};
use crate::error::InputError;
use crate::limits::MAX_OVERRIDES;
use crate::scenario::files::for_each_path;
use crate::scenario::{Loaded, load_overlay, merges_key_by_key};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// Name under which a what-if's errors are located.
pub const WHATIF_ORIGIN: &str = "what-if.toml";

/// The served scenario as a what-if sees it.
pub struct Base<'a> {
    pub loaded: &'a Loaded,
    /// The folder of the scenario file (`None`: the embedded default; then
    /// no override may name a file).
    pub folder: Option<&'a Path>,
    pub start_year: i32,
    /// Paths the page offers, which may be added where the base sets nothing.
    pub lever_paths: &'a [String],
}

/// The overrides as the lines of an extending file (no `extends`).
#[derive(Clone, Debug)]
pub struct WhatIf {
    pub text: String,
    /// Dotted paths set, in order (for the saved file's comments).
    pub paths: Vec<String>,
}

/// Turns the overrides into a what-if; refuses paths the scenario does not
/// have (unless a lever adds them), files outside the scenario's folder,
/// and values that are not TOML values.
pub fn build(
    base: &Base<'_>,
    overrides: &serde_json::Map<String, serde_json::Value>,
) -> Result<WhatIf, InputError> {
    if overrides.len() > MAX_OVERRIDES {
        return Err(InputError::new(format!(
            "{} overrides; at most {MAX_OVERRIDES} are taken",
            overrides.len()
        ))
        .field("overrides")
        .fix("send only the levers that changed"));
    }
    let mut target = (*base.loaded.merged).clone();
    let mut explicit = Vec::new();
    for (path, json) in overrides {
        let value = to_toml(path, json)?;
        let segments: Vec<&str> = path.split('.').collect();
        add_whatif_intervention(&mut target, &segments, base.start_year);
        let may_add = base.lever_paths.iter().any(|p| p == path);
        set(&mut target, &segments, value, may_add).map_err(|why| {
            InputError::new(format!("override `{path}`: {why}"))
                .field(path.clone())
                .fix("use a lever path from GET /api/scenario or the dotted path of a value the scenario sets")
        })?;
        explicit.push(path.clone());
    }
    add_implied(&mut target, base, &explicit);
    drop_neutral_whatifs(&mut target);
    let mut entries = Vec::new();
    diff(&base.loaded.merged, &target, &mut Vec::new(), &mut entries);
    check_files(&entries, base.folder)?;
    let text = entries
        .iter()
        .map(|(path, value)| format!("{} = {}\n", dotted_key(path), inline(value)))
        .collect();
    Ok(WhatIf {
        text,
        paths: entries.iter().map(|(p, _)| p.join(".")).collect(),
    })
}

/// Loads the what-if on the base: the loader's own checks and messages.
pub fn load(base: &Base<'_>, whatif: &WhatIf) -> Result<Loaded, InputError> {
    let dir = base
        .folder
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let origin = base.folder.map_or_else(
        || WHATIF_ORIGIN.to_string(),
        |f| f.join(WHATIF_ORIGIN).display().to_string(),
    );
    load_overlay(base.loaded, &origin, &whatif.text, &dir)
}

/// JSON → TOML; `null` has no TOML form.
fn to_toml(path: &str, json: &serde_json::Value) -> Result<Value, InputError> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => {
            return Err(InputError::new(format!("override `{path}` is null"))
                .field(path.to_string())
                .fix("give a number (or leave the lever out to keep the scenario's value)"));
        }
        J::Bool(b) => Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| to_toml(path, v))
                .collect::<Result<_, _>>()?,
        ),
        J::Object(map) => Value::Table(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), to_toml(path, v)?)))
                .collect::<Result<_, InputError>>()?,
        ),
    })
}

/// Sets `path` in `table`; every table on the way must exist, the last key
/// too unless `may_add` (a lever the page offers where the base sets none).
fn set(table: &mut Table, path: &[&str], value: Value, may_add: bool) -> Result<(), String> {
    let missing = |i: usize| format!("`{}` does not exist in the scenario", path[..=i].join("."));
    let mut current = table;
    for (i, seg) in path.iter().enumerate() {
        if seg.is_empty() {
            return Err("the path has an empty part".to_string());
        }
        if i + 1 == path.len() {
            if !current.contains_key(*seg) && !may_add {
                return Err(missing(i));
            }
            current.insert(seg.to_string(), value);
            return Ok(());
        }
        if may_add && !current.contains_key(*seg) {
            current.insert(seg.to_string(), Value::Table(Table::new()));
        }
        current = match current.get_mut(*seg) {
            Some(Value::Table(t)) => t,
            _ => return Err(missing(i)),
        };
    }
    Err("empty path".to_string())
}

/// A what-if intervention named by `path` (`interventions.whatif_inflow_X.…`)
/// enters the target neutral (effect 0) before its own values are set.
fn add_whatif_intervention(target: &mut Table, path: &[&str], start_year: i32) {
    let [first, name, ..] = path else { return };
    if *first != "interventions" || !name.starts_with(WHATIF_PREFIX) {
        return;
    }
    let Some((kind, form)) = WHATIF_KINDS.iter().find_map(|k| {
        let form = name.strip_prefix(&whatif_name(k.key, ""))?;
        Some((k, form))
    }) else {
        return;
    };
    let forms = target.get("care_forms").and_then(Value::as_table);
    if !forms.is_some_and(|f| f.contains_key(form)) {
        return;
    }
    let all = target
        .entry("interventions")
        .or_insert_with(|| Value::Table(Table::new()));
    let Some(all) = all.as_table_mut() else {
        return;
    };
    if all.contains_key(*name) {
        return;
    }
    let mut t = Table::new();
    t.insert(
        "label".into(),
        Value::String(format!("What-if: {} {form}", kind.en)),
    );
    t.insert("lever".into(), Value::String(kind.lever.into()));
    t.insert(
        "forms".into(),
        Value::Array(vec![Value::String(form.into())]),
    );
    t.insert("start".into(), Value::Integer(i64::from(start_year)));
    t.insert("effect".into(), Value::Float(0.0));
    all.insert(name.to_string(), Value::Table(t));
}

/// What a lever needs beside its own value: `lumpsum.trend` acts only with
/// `extend = "trend"`; indexation added where the base has none states its
/// price level (the year before the start: amounts are in that year's prices).
fn add_implied(target: &mut Table, base: &Base<'_>, explicit: &[String]) {
    let given = |p: &str| explicit.iter().any(|e| e == p);
    if given("lumpsum.trend")
        && !given("lumpsum.extend")
        && let Some(Value::Table(l)) = target.get_mut("lumpsum")
    {
        l.insert("extend".into(), Value::String("trend".into()));
    }
    let had_indexation = base.loaded.merged.contains_key("indexation");
    if !had_indexation
        && explicit.iter().any(|e| e.starts_with("indexation."))
        && let Some(Value::Table(ix)) = target.get_mut("indexation")
    {
        ix.entry("base_year")
            .or_insert(Value::Integer(i64::from(base.start_year - 1)));
        for key in ["costs", "lumpsum"] {
            ix.entry(key).or_insert(Value::Float(0.0));
        }
    }
}

/// A what-if intervention whose effect is 0 does nothing: left out.
fn drop_neutral_whatifs(target: &mut Table) {
    if let Some(Value::Table(all)) = target.get_mut("interventions") {
        all.retain(|name, v| {
            !name.starts_with(WHATIF_PREFIX)
                || v.get("effect")
                    .and_then(|e| e.as_float().or(e.as_integer().map(|i| i as f64)))
                    != Some(0.0)
        });
    }
}

/// The entries an extending file needs so that merging it onto `base`
/// gives `target`: a changed table is written key by key where the
/// loader's merge goes key by key, and whole where it replaces the table.
fn diff(
    base: &Table,
    target: &Table,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Value)>,
) {
    for (key, new) in target {
        let old = base.get(key);
        if old == Some(new) {
            continue;
        }
        prefix.push(key.clone());
        match (old, new) {
            (Some(Value::Table(b)), Value::Table(n)) => {
                let mut inner = Vec::new();
                diff(b, n, &mut prefix.clone(), &mut inner);
                let depth = prefix.len();
                let mut over = Table::new();
                for (p, v) in &inner {
                    insert_at(&mut over, &p[depth..], v.clone());
                }
                if merges_key_by_key(b, &over) {
                    out.extend(inner);
                } else {
                    out.push((prefix.clone(), new.clone()));
                }
            }
            _ => out.push((prefix.clone(), new.clone())),
        }
        prefix.pop();
    }
}

fn insert_at(table: &mut Table, path: &[String], value: Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let sub = table
                .entry(first.clone())
                .or_insert_with(|| Value::Table(Table::new()));
            if let Value::Table(t) = sub {
                insert_at(t, rest, value);
            }
        }
    }
}

/// Refuses a file path outside the scenario's folder (or any file for the
/// embedded default): the server reads nothing else.
fn check_files(entries: &[(Vec<String>, Value)], folder: Option<&Path>) -> Result<(), InputError> {
    for (path, value) in entries {
        let mut wrapper = Table::new();
        insert_at(&mut wrapper, path, value.clone());
        let mut outside = None;
        for_each_path(&mut wrapper, &mut |file| {
            let inside = folder.is_some_and(|dir| within(dir, Path::new(file.as_str())));
            if !inside && outside.is_none() {
                outside = Some(file.clone());
            }
        });
        if let Some(file) = outside {
            return Err(InputError::new(format!(
                "override `{}` names the file {file:?}, outside the scenario's folder",
                path.join(".")
            ))
            .field(path.join("."))
            .fix("name a file in the served scenario's folder (the server reads no other file)"));
        }
    }
    Ok(())
}

/// Whether `file` (relative to `dir` when relative) lies in `dir`.
fn within(dir: &Path, file: &Path) -> bool {
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return false;
    };
    let joined = dir.join(file);
    match std::fs::canonicalize(&joined) {
        Ok(real) => real.starts_with(&dir),
        // A file that does not exist is never read; no `..` may climb out.
        Err(_) => {
            !file
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
                && joined.starts_with(&dir)
        }
    }
}

fn dotted_key(path: &[String]) -> String {
    path.iter()
        .map(|k| {
            if !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                k.clone()
            } else {
                Value::String(k.clone()).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A value on one line (tables inline).
fn inline(value: &Value) -> String {
    match value {
        Value::Table(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{} = {}", dotted_key(std::slice::from_ref(k)), inline(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(inline).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}
