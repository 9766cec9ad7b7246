//! `import cbs`: the scenario gives the names (care forms, municipalities)
//! the CBS counts are filed under; `import` reads the file; the history CSV
//! is written atomically.

use crate::error::{Error, InputErrors};
use crate::import::{self, CbsOptions, Imported, Rounding};
use crate::output::{AtomicFile, prepare_out_file};
use crate::scenario;
use std::path::{Path, PathBuf};

pub struct ImportCbs<'a> {
    pub file: &'a Path,
    /// None: the embedded default scenario.
    pub scenario: Option<&'a Path>,
    pub mapping: Option<&'a Path>,
    pub municipality_map: Option<&'a Path>,
    pub referrer: Option<&'a str>,
    pub rounding: Rounding,
    pub out: Option<PathBuf>,
}

/// Imports and writes the history; returns what was imported and where.
pub fn import_cbs(args: &ImportCbs) -> Result<(Imported, PathBuf), Error> {
    let loaded = match args.scenario {
        Some(p) => scenario::load_file(p),
        None => scenario::load_default(),
    }
    .map_err(|e| Error::from(InputErrors(vec![e])))?;
    let s = &loaded.scenario;
    let forms: Vec<String> = s.care_forms.keys().cloned().collect();
    let municipalities: Vec<(String, Option<String>)> = (s.municipalities.iter())
        .map(|(name, m)| (name.clone(), m.label.clone()))
        .collect();
    let out = (args.out.clone())
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}-history-cbs.csv", s.name)));
    prepare_out_file(&out, "--out")?;
    let imported = import::cbs(&CbsOptions {
        file: args.file,
        forms: &forms,
        municipalities: &municipalities,
        mapping: args.mapping,
        municipality_map: args.municipality_map,
        referrer: args.referrer,
        rounding: args.rounding,
    })?;
    AtomicFile::write_all(&out, imported.csv.as_bytes())?;
    Ok((imported, out))
}
