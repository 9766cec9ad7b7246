//! Turns one replication's exposure and ledger into a flat vector of metric
//! values, one per output cell (year × scope × care form × metric). The
//! layout is fixed per model, so replications stream to disk as plain rows
//! and quantiles are taken column by column (in `stats` and `output`).

mod cycle;
mod evaluate;
mod layout;
mod metric;
mod scope;

pub use cycle::{CYCLE_METRICS, CycleMetric};
pub use layout::Layout;
pub use metric::{Derived, Figure, Metric};
pub use scope::{ALL, ColumnKey, Scope, ScopeKind};
