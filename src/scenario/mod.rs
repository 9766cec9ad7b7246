//! Scenario files: the TOML format (`schema`), time profiles (`profile`),
//! loading with `extends` (`load`), error locations (`locate`) and checks of
//! meaning (`validate`), and the files a scenario refers to, read once
//! (`files`). It knows nothing of the compiled model.

pub mod assumptions;
pub mod files;
mod load;
mod locate;
pub mod profile;
pub mod schema;
pub mod text;
pub mod uncertain;
pub mod validate;
mod year_order;

pub use load::{
    DEFAULT_ORIGIN, DEFAULT_SCENARIO, Loaded, Override, load_default, load_file, load_file_with,
    load_overlay, load_str, load_str_with, merges_key_by_key,
};
pub use locate::Sources;
