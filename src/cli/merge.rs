//! `merge SHARD_DIR…`: combine shard folders into the result of one
//! unsharded run (see `pipeline::merge`).

use crate::error::Error;
use crate::output;
use crate::pipeline::merge::merge_parts;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard result folders.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Folder for the merged result.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn merge(args: MergeArgs) -> Result<(), Error> {
    let (name, replications, overview) = merge_parts(&args.shards, &args.out)?;
    let mut stdout = std::io::stdout().lock();
    output::print_overview(&mut stdout, &name, replications, &overview)?;
    Ok(())
}
