//! The hard limits of this version that more than one layer enforces (the
//! scenario file, the sweep file and the command line apply the same caps).
//! Each is listed in docs/reference.md, section "Limits".

/// Most replications of one run, from `simulation.replications`, a sweep's
/// `replications` or `--replications`.
pub const MAX_REPLICATIONS: u64 = 1_000_000;
/// Most worker threads (`--threads`, `--cpus-per-task`).
pub const MAX_THREADS: u64 = 1024;
/// Most shards (`--shard K/N`, `slurm --shards`).
pub const MAX_SHARDS: u64 = 100_000;
/// Most points of one sweep (grid: the product of the value counts).
pub const MAX_SWEEP_POINTS: u64 = 10_000;
/// Most files in one `extends` chain (the named file included).
pub const MAX_EXTENDS_DEPTH: usize = 16;
/// Most (municipality, area) × care form × year cells one replication
/// records (its memory per thread grows with them).
pub const MAX_CELLS: usize = 1_000_000;
