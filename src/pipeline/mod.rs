//! The library workflow: a scenario file in, a compiled model (and its
//! demand-led twin) out, ready to simulate.

mod prepare;

pub use prepare::{Prepared, prepare, prepare_loaded};
