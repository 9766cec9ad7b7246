//! `jeugdstroom serve`: a local what-if page for the negotiating table.
//! The binary serves one page (every asset embedded) and a JSON API; each
//! change of a lever re-runs the scenario against its base on common random
//! numbers and streams the result as replications finish.
//!
//! `levers` finds the inputs in any scenario, `whatif` turns the page's
//! overrides into the small TOML a file extending the scenario would hold
//! (loaded through the scenario loader), `runs` simulates (cancellable, the
//! base kept), `summary` makes the per-party, per-year answer, `files`
//! saves and exports, `http` is the server and its guards.

mod api;
mod files;
mod guard;
mod http;
mod inverse;
pub mod levers;
pub mod runs;
pub mod stream;
pub mod summary;
pub mod whatif;

use crate::error::{Error, InputError, InputErrors};
use crate::metrics::{Layout, Metric, ScopeKind};
use crate::model::Model;
use crate::pipeline::{Prepared, prepare_loaded};
use crate::report::Lang;
use crate::scenario::assumptions::Labels;
use crate::scenario::{Loaded, load_default, load_file};
use levers::Lever;
use runs::Runs;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use summary::Party;

/// What `serve` was asked.
#[derive(Clone, Debug)]
pub struct Options {
    pub scenario: Option<PathBuf>,
    pub bind: IpAddr,
    pub port: u16,
    pub lang: Lang,
    /// The page's replication count.
    pub replications: u64,
    /// The most replications a request may ask.
    pub max_replications: u64,
    pub threads: usize,
}

/// The served scenario and everything requests share.
pub struct Served {
    pub loaded: Loaded,
    /// Folder of the scenario file; `None` for the embedded default.
    pub folder: Option<PathBuf>,
    /// File name the saved what-ifs `extends`.
    pub base_file: String,
    pub name: String,
    pub description: String,
    pub levers: Vec<Lever>,
    pub lever_paths: Vec<String>,
    pub runs: Runs,
    pub lang: Lang,
    pub replications: u64,
    pub max_replications: u64,
    /// One simulation at a time: a run holds it while it computes.
    pub slot: Arc<tokio::sync::Mutex<()>>,
}

impl Served {
    /// Loads, validates and compiles the scenario (exit 2 on bad input).
    pub fn new(options: &Options) -> Result<Served, Error> {
        let loaded = match &options.scenario {
            Some(p) => load_file(p),
            None => load_default(),
        }
        .map_err(|e| InputErrors(vec![e]))?;
        let base = prepare_loaded(loaded.clone())?;
        let (folder, base_file) = match &options.scenario {
            Some(p) => {
                let folder = std::fs::canonicalize(
                    p.parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new(".")),
                )
                .map_err(|e| {
                    InputErrors(vec![
                        InputError::new(format!("cannot resolve the scenario's folder: {e}"))
                            .in_file(p),
                    ])
                })?;
                let file = p.file_name().map_or_else(
                    || "scenario.toml".to_string(),
                    |f| f.to_string_lossy().into_owned(),
                );
                (Some(folder), file)
            }
            None => (None, "amsterdam-duo.toml".to_string()),
        };
        let model = &base.model;
        let years: Vec<i32> = (0..model.years as i32)
            .map(|y| model.start_year + y)
            .collect();
        let parties = parties(model, options.lang);
        let levers = levers::levers(
            &loaded.merged,
            options.lang,
            (years[0], *years.last().unwrap_or(&years[0])),
        );
        let lever_paths = levers.iter().map(|l| l.path.clone()).collect();
        let name = base.name.clone();
        let description = loaded.scenario.description.clone();
        let runs =
            Runs::new(base, parties, years, options.threads).map_err(|e| InputErrors(vec![e]))?;
        Ok(Served {
            loaded,
            folder,
            base_file,
            name,
            description,
            levers,
            lever_paths,
            runs,
            lang: options.lang,
            replications: options.replications.min(options.max_replications),
            max_replications: options.max_replications,
            slot: Arc::default(),
        })
    }

    /// Holds the one simulation slot, after cancelling the running request;
    /// returns this request's cancel flag beside it.
    pub async fn take_slot(&self) -> (Arc<AtomicBool>, tokio::sync::OwnedMutexGuard<()>) {
        let cancel = self.runs.supersede();
        let slot = self.slot.clone().lock_owned().await;
        (cancel, slot)
    }

    /// The base as a what-if sees it.
    pub fn whatif_base(&self) -> whatif::Base<'_> {
        whatif::Base {
            loaded: &self.loaded,
            folder: self.folder.as_deref(),
            start_year: self.runs.years[0],
            lever_paths: &self.lever_paths,
        }
    }

    /// The what-if of `overrides`, validated and compiled; `None` when
    /// there is nothing to change (the base itself).
    pub fn prepare(
        &self,
        overrides: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Option<(whatif::WhatIf, Prepared)>, Error> {
        let base = self.whatif_base();
        let what = whatif::build(&base, overrides).map_err(|e| InputErrors(vec![e]))?;
        if what.text.is_empty() {
            return Ok(None);
        }
        let loaded = whatif::load(&base, &what).map_err(|e| InputErrors(vec![e]))?;
        let prepared = prepare_loaded(loaded)?;
        Ok(Some((what, prepared)))
    }
}

/// The region, then every municipality and provider with a lumpsum, in
/// the order of the layout, labelled.
fn parties(model: &Model, lang: Lang) -> Vec<Party> {
    let layout = Layout::new(model);
    let labels = Labels::of(model);
    let mut found: Vec<Party> = Vec::new();
    for key in layout.keys.iter().filter(|k| {
        k.metric == Metric::LumpsumEur && k.is_party_total() && k.year == model.start_year
    }) {
        let (kind, name) = key.scope();
        let labels = match kind {
            ScopeKind::Region => None,
            ScopeKind::Municipality => Some(&labels.municipalities),
            ScopeKind::Provider => Some(&labels.providers),
            ScopeKind::Area => continue,
        };
        let label = match labels {
            None if lang == Lang::Nl => "Regio".to_string(),
            None => "Region".to_string(),
            Some(l) => l.get(name).cloned().unwrap_or_else(|| name.to_string()),
        };
        if !found.iter().any(|p| p.kind == kind && p.name == name) {
            found.push(Party {
                kind,
                name: name.to_string(),
                label,
            });
        }
    }
    let order = |k: ScopeKind| {
        [
            ScopeKind::Region,
            ScopeKind::Municipality,
            ScopeKind::Provider,
        ]
        .iter()
        .position(|x| *x == k)
    };
    found.sort_by_key(|p| order(p.kind));
    found
}

/// Serves until interrupted (Ctrl-C or SIGTERM).
pub fn serve(options: Options) -> Result<(), Error> {
    let served = Arc::new(Served::new(&options)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)?;
    let address = SocketAddr::new(options.bind, options.port);
    runtime.block_on(http::serve(served, address))
}
