//! Result files: typed rows written through one exporter (`export`), every
//! file under a temporary name renamed into place; `manifest.json` comes
//! last, so a directory without it is known to be incomplete.
//!
//! - `summary`, `feasibility`, `party_tables`: the tables of one run, built
//!   by `results::finalize` from `replications.parquet`;
//! - `decomposition`: where the change of expected cost comes from;
//! - `comparison`: paired differences of two runs (`compare`, `views.csv`);
//! - `sweep_tables`: a sweep's points side by side and its tornado;
//! - `terminal`, `views`: what `run` and `merge` print.

mod atomic;
pub mod budget_cycle;
pub mod checksum;
pub mod comparison;
pub mod decomposition;
pub mod export;
mod feasibility;
pub mod format;
pub mod manifest;
mod out_dir;
mod party_tables;
pub mod required;
pub mod results;
mod streamed;
pub mod sufficient;
mod summary;
pub mod surcharge;
pub mod sweep_tables;
mod terminal;
pub mod uncertainty;
pub mod views;

pub use atomic::{AtomicFile, TempFile, check_out_file, prepare_out_file};
pub use feasibility::{PartyOverrun, YearOverview};
pub use format::{cell_text, safe_cell};
pub use manifest::Manifest;
pub use out_dir::prepare_out_dir;
pub use results::{Overview, RUN_FILES, finalize, finish};
pub use streamed::Tables;
pub use summary::{PartyStats, summary_columns};
pub use terminal::print_overview;
