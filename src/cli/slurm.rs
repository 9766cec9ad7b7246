//! `slurm`: write the sbatch scripts that run shards and their merge on a
//! cluster (see `pipeline::slurm`).

use super::SimFlags;
use crate::error::Error;
use crate::pipeline::slurm::{self, SlurmJob};
use crate::text::printable_path;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SlurmArgs {
    /// Scenario to run in shards.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Sweep file to run in shards.
    #[arg(long)]
    pub sweep: Option<PathBuf>,
    /// Number of shards (array tasks).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..100_001))]
    pub shards: u64,
    /// Result folder: shard-K/, merged/ and the scripts in slurm/.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub sim: SimFlags,
    /// Partition(s), comma-separated (Slurm names: letters, digits, _ . -).
    #[arg(long, value_parser = slurm::parse_partition)]
    pub partition: Option<String>,
    /// Account to charge (a Slurm name: letters, digits, _ . -).
    #[arg(long, value_parser = slurm::parse_account)]
    pub account: Option<String>,
    /// Wall-time limit per task (Slurm format, e.g. 02:00:00).
    #[arg(long, default_value = "01:00:00", value_parser = slurm::parse_time)]
    pub time: String,
    /// Memory per task (Slurm format, e.g. 4G).
    #[arg(long, default_value = "2G", value_parser = slurm::parse_mem)]
    pub mem: String,
    /// CPUs per task = threads per shard.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..1025))]
    pub cpus_per_task: u64,
    /// jeugdstroom binary the jobs call (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
}

pub fn slurm(args: SlurmArgs) -> Result<(), Error> {
    let (kind, input) = slurm::input(args.scenario.as_deref(), args.sweep.as_deref())?;
    let scripts = slurm::write_scripts(&SlurmJob {
        kind,
        input: input.to_path_buf(),
        out: args.out,
        shards: args.shards,
        replications: args.sim.replications,
        seed: args.sim.seed,
        partition: args.partition,
        account: args.account,
        time: args.time,
        mem: args.mem,
        cpus_per_task: args.cpus_per_task,
        binary: args.binary,
    })?;
    let scripts = printable_path(&scripts);
    println!("wrote {scripts}/array.sbatch, {scripts}/merge.sbatch and {scripts}/submit.sh");
    println!("submit with: {scripts}/submit.sh");
    Ok(())
}
