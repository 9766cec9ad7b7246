//! Scenario files: the TOML format (`schema`), time profiles (`profile`),
//! loading with `extends` (`load`), error locations (`locate`) and checks of
//! meaning (`validate`). `prepare` runs all of it and compiles the model.

mod load;
mod locate;
pub mod profile;
pub mod schema;
pub mod schema_landscape;
pub mod schema_money;
pub mod validate;
mod validate_landscape;
mod validate_money;

pub use load::{
    DEFAULT_ORIGIN, DEFAULT_SCENARIO, Loaded, Override, load_default, load_file, load_file_with,
    load_str, load_str_with,
};
pub use locate::Sources;

use crate::error::InputErrors;
use crate::model::{self, Model};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A compiled model plus what the result files record about its source.
pub struct Prepared {
    pub model: Model,
    pub name: String,
    /// SHA-256 of the merged scenario, with referenced CSV files replaced by
    /// the hash of their content (so the hash does not depend on where the
    /// files live, only on what they say).
    pub sha256: String,
    pub default_replications: u32,
    pub default_seed: u64,
}

/// Loads (the file, or the embedded default), validates and compiles.
pub fn prepare(path: Option<&Path>) -> Result<Prepared, InputErrors> {
    let loaded = match path {
        Some(p) => load_file(p),
        None => load_default(),
    }
    .map_err(|e| InputErrors(vec![e]))?;
    prepare_loaded(loaded)
}

/// Validates and compiles an already loaded scenario.
pub fn prepare_loaded(loaded: Loaded) -> Result<Prepared, InputErrors> {
    validate::validate(&loaded.scenario, &loaded.sources)?;
    let model = model::compile(&loaded)?;
    Ok(Prepared {
        model,
        name: loaded.scenario.name.clone(),
        sha256: content_hash(&loaded.merged),
        default_replications: loaded.scenario.simulation.replications,
        default_seed: loaded.scenario.simulation.seed,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_hash(merged: &toml::Table) -> String {
    fn replace_paths(table: &mut toml::Table) {
        for (key, value) in table.iter_mut() {
            match value {
                toml::Value::String(s) if key == "file" || key == "caseload" => {
                    if let Ok(bytes) = std::fs::read(s.as_str()) {
                        *s = format!("sha256:{}", hex(&Sha256::digest(&bytes)));
                    }
                }
                toml::Value::Table(t) => replace_paths(t),
                toml::Value::Array(items) => items.iter_mut().for_each(|v| {
                    if let toml::Value::Table(t) = v {
                        replace_paths(t)
                    }
                }),
                _ => {}
            }
        }
    }
    let mut canonical = merged.clone();
    replace_paths(&mut canonical);
    let json = serde_json::to_string(&canonical).expect("TOML tables serialise to JSON");
    hex(&Sha256::digest(json.as_bytes()))
}
