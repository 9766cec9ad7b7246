//! Domain-free discrete-event machinery: a future event list, a clock and
//! reproducible random-number streams.
//!
//! Nothing here knows about youth care, so the event loop can be tested and
//! benchmarked on its own (see `benches/`), and reused by any model that
//! schedules plain `Copy` events.

mod queue;
mod rng;

pub use queue::{EventQueue, Scheduled};
pub use rng::{Purpose, StreamFactory, StreamRng};
