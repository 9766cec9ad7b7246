//! The files a scenario refers to (`file = …` of an empirical duration,
//! `caseload = …` of the initial state), read once at load time: compiling
//! does no IO, and the scenario hash covers exactly the bytes that were read.

use std::collections::BTreeMap;

/// Keys whose string values are file paths, resolved relative to the file
/// that names them so that `extends` chains can live in different folders.
pub const PATH_KEYS: [&str; 2] = ["file", "caseload"];

/// Calls `f` on every file path of a scenario table (any depth, arrays of
/// tables included).
pub fn for_each_path(table: &mut toml::Table, f: &mut dyn FnMut(&mut String)) {
    for (key, value) in table.iter_mut() {
        match value {
            toml::Value::String(s) if PATH_KEYS.contains(&key.as_str()) => f(s),
            toml::Value::Table(t) => for_each_path(t, f),
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        for_each_path(t, f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Contents of every referenced file by the path the scenario names it with;
/// a file that could not be read keeps the reason (reported at compile time,
/// with the field that names it).
#[derive(Clone, Debug, Default)]
pub struct Files {
    /// Shared: every replication's model compiles from the same bytes.
    read: std::sync::Arc<BTreeMap<String, Result<Vec<u8>, String>>>,
}

impl Files {
    /// Reads every path the merged scenario names.
    pub fn read_all(merged: &toml::Table) -> Files {
        Files::read_all_known(merged, &Files::default())
    }

    /// Like [`Files::read_all`], taking what `known` already read from it
    /// (a what-if re-reads none of its base's files).
    pub fn read_all_known(merged: &toml::Table, known: &Files) -> Files {
        let mut read = BTreeMap::new();
        for_each_path(&mut merged.clone(), &mut |path| {
            if !read.contains_key(path.as_str()) {
                let content = match known.read.get(path.as_str()) {
                    Some(done) => done.clone(),
                    None => crate::limits::read_input(std::path::Path::new(path.as_str()))
                        .map_err(|e| e.to_string()),
                };
                read.insert(path.clone(), content);
            }
        });
        Files {
            read: std::sync::Arc::new(read),
        }
    }

    /// The bytes of `path`, or why it could not be read.
    pub fn get(&self, path: &str) -> Result<&[u8], String> {
        match self.read.get(path) {
            Some(Ok(bytes)) => Ok(bytes),
            Some(Err(why)) => Err(why.clone()),
            None => Err("the file was not named when the scenario was loaded".to_string()),
        }
    }
}
