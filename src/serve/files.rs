//! "Save as scenario" and "export": the what-if as a small TOML file that
//! `extends` the served scenario, written beside it (temporary file, then
//! rename, never over an existing file, validated by loading it back), and
//! the result folder with its report, as `run --report` writes them.

use super::Served;
use super::api::{ApiRequest, Failure, body, internal, replications};
use crate::pipeline::job::{self, Job, Runner};
use crate::scenario::DEFAULT_SCENARIO;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Longest name of a saved what-if.
const MAX_NAME: usize = 64;

/// The name asked for, if it is safe as a file name: `[a-z0-9_-]{1,64}`.
fn checked_name(name: Option<&str>) -> Result<String, Failure> {
    let name = name.unwrap_or("what-if");
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        let mut f = Failure::new(
            StatusCode::BAD_REQUEST,
            format!("name {name:?} is not a file name we write"),
            "use 1 to 64 characters of a-z, 0-9, _ and -, e.g. tafel-variant",
        );
        f.1.field = Some("name".into());
        return Err(f);
    }
    Ok(name.to_string())
}

/// The saved scenario's text: a header, `extends`, its name, then each
/// override with the lever's label and base value as a comment.
pub fn saved_text(s: &Served, request: &ApiRequest) -> Result<String, Failure> {
    let name = checked_name(request.name.as_deref())?;
    let base = s.whatif_base();
    let what = super::whatif::build(&base, &request.overrides)?;
    // Loading it is the check `validate` makes of the saved file.
    super::whatif::load(&base, &what)?;
    let mut text = format!(
        "# What-if of {} made at the table with `jeugdstroom serve`.\n# Check it with `jeugdstroom validate`, run it with `jeugdstroom run`.\nextends = {}\nname = {}\ndescription = {}\n",
        s.name,
        toml::Value::String(s.base_file.clone()),
        toml::Value::String(format!("{}-{name}", s.name)),
        toml::Value::String(format!("{} — what-if {name}", s.name)),
    );
    for (line, path) in what.text.lines().zip(&what.paths) {
        text.push_str(&comment(s, path));
        text.push_str(line);
        text.push('\n');
    }
    Ok(text)
}

/// The comment above one line of a saved what-if: the labels and base
/// values of the levers it sets, and the assumption an added table makes.
fn comment(s: &Served, path: &str) -> String {
    let inside =
        |outer: &str, inner: &str| inner == outer || inner.starts_with(&format!("{outer}."));
    let mut lines: String = (s.levers.iter())
        .filter(|l| inside(path, &l.path) || inside(&l.path, path))
        .map(|l| format!("# {} (base {})\n", l.label, l.value))
        .collect();
    if path == "indexation" && !s.loaded.merged.contains_key("indexation") {
        let start = s.runs.years[0];
        lines.push_str(&format!("# ASSUMPTION: the scenario's amounts are at the price level of {}, so indexation acts from {start}\n", start - 1));
    }
    lines
}

/// Where saved what-ifs go: the scenario's folder, or the working
/// directory for the embedded default.
fn folder(s: &Served) -> PathBuf {
    s.folder.clone().unwrap_or_else(|| PathBuf::from("."))
}

pub async fn save(State(s): State<Arc<Served>>, bytes: Bytes) -> Result<Response, Failure> {
    let request = body(&bytes)?;
    let answer = tokio::task::spawn_blocking(move || write_saved(&s, &request))
        .await
        .map_err(internal)??;
    Ok(axum::Json(answer).into_response())
}

fn write_saved(s: &Served, request: &ApiRequest) -> Result<serde_json::Value, Failure> {
    let name = checked_name(request.name.as_deref())?;
    let text = saved_text(s, request)?;
    let dir = folder(s);
    let path = dir.join(format!("{name}.toml"));
    if path.exists() {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            format!("{} exists", path.display()),
            "choose another name; nothing was overwritten",
        ));
    }
    if s.folder.is_none() {
        write_base(&dir)?;
    }
    write_new(&path, &text)?;
    let path = std::fs::canonicalize(&path).map_err(internal)?;
    if let Err(e) = crate::pipeline::prepare(Some(&path)) {
        let _ = std::fs::remove_file(&path);
        return Err(crate::error::Error::from(e).into());
    }
    Ok(serde_json::json!({
        "path": path.display().to_string(),
        "text": text,
        "validate": format!("jeugdstroom validate {}", path.display()),
    }))
}

/// For the embedded default: the base beside the saved file, unless the
/// same text is there already.
fn write_base(dir: &Path) -> Result<(), Failure> {
    let path = dir.join("amsterdam-duo.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) if text == DEFAULT_SCENARIO => Ok(()),
        Ok(_) => Err(Failure::new(
            StatusCode::CONFLICT,
            format!("{} exists and is not the embedded default", path.display()),
            "serve that file (`jeugdstroom serve amsterdam-duo.toml`) or run the server in another folder",
        )),
        Err(_) => write_new(&path, DEFAULT_SCENARIO),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot write {}: {e}", path.display()),
                "check that the scenario's folder is writable",
            )
        })
}

pub async fn export(State(s): State<Arc<Served>>, bytes: Bytes) -> Result<Response, Failure> {
    let request = body(&bytes)?;
    let n = replications(&s, request.replications)?;
    let cancel = s.runs.supersede();
    let slot = s.slot.clone().lock_owned().await;
    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let answer = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        write_export(&s, &request, n)
    })
    .await
    .map_err(internal)??;
    Ok(axum::Json(answer).into_response())
}

/// The result folder `out/serve/<scenario>-<name>` (the files `run` writes)
/// and its report, in the server's language.
fn write_export(s: &Served, request: &ApiRequest, n: u64) -> Result<serde_json::Value, Failure> {
    let name = checked_name(request.name.as_deref())?;
    let prepared = s.prepare(&request.overrides)?;
    let prepared = match &prepared {
        Some((_, p)) => p,
        None => &s.runs.base,
    };
    let out = PathBuf::from("out")
        .join("serve")
        .join(format!("{}-{name}", s.name));
    let runner = Runner {
        threads: s.runs.threads,
        quiet: true,
    };
    job::run_with_views(Job::whole(prepared, s.runs.seed, n, runner, &out))
        .map_err(Failure::from)?;
    let (html, _) = crate::report::write(&out, None, s.lang).map_err(Failure::from)?;
    let canonical = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    Ok(serde_json::json!({ "folder": canonical(&out), "report": canonical(&html) }))
}
