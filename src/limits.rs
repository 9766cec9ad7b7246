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
/// Most overrides one what-if request of `serve` may carry.
pub const MAX_OVERRIDES: usize = 256;
/// Longest request body `serve` reads (JSON overrides).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;
/// Most files in one `extends` chain (the named file included).
pub const MAX_EXTENDS_DEPTH: usize = 16;
/// Most (municipality, area) × care form × year cells one replication
/// records (its memory per thread grows with them).
pub const MAX_CELLS: usize = 1_000_000;

/// Largest file a user names (scenario, `extends` base, sweep, caseload,
/// duration and history CSVs) or a result folder holds for reading back.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Reads a file a user named, within the bounds of this version: only a
/// regular file (a device or pipe such as `/dev/zero` never ends), of at
/// most `MAX_INPUT_BYTES`. The error reads like the system's own, so callers
/// word it as they word any unreadable file.
pub fn read_input(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    check_input(path)?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Checks that `path` is a regular file of at most `MAX_INPUT_BYTES`, for
/// readers that stream it.
pub fn check_input(path: &std::path::Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::other("Is a directory"));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a device or pipe is not read)",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> std::io::Error {
    std::io::Error::other(format!(
        "larger than the limit of {} MiB",
        MAX_INPUT_BYTES >> 20
    ))
}
