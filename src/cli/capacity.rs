//! `capacity SCENARIO`: places per pool for a target probability of
//! immediate admission (see `analysis::capacity`).

use super::SimFlags;
use crate::analysis::capacity;
use crate::error::Error;
use crate::pipeline;
use crate::text::printable_path;
use std::io::Write;
use std::path::PathBuf;

/// `--replications` of `capacity` when not given (not the scenario's count:
/// the load estimate and the check need far fewer).
const REPLICATIONS: u64 = 20;

fn parse_target(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a probability strictly between 0 and 1, e.g. 0.95"
        )),
    }
}

#[derive(Debug, clap::Args)]
#[command(mut_arg("replications", |a| a
    .help("Replications for the load estimate and the simulated check")
    .default_value("20")))]
pub struct CapacityArgs {
    pub scenario: PathBuf,
    /// Target probability of immediate admission.
    #[arg(long, default_value_t = 0.95, value_parser = parse_target)]
    pub target: f64,
    #[command(flatten)]
    pub sim: SimFlags,
    /// CSV to write (default: out/<scenario>-capacity.csv).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn capacity(args: CapacityArgs) -> Result<(), Error> {
    let prepared = pipeline::prepare(Some(&args.scenario))?;
    let seed = args.sim.seed.unwrap_or(prepared.default_seed);
    let replications = args.sim.replications.unwrap_or(REPLICATIONS);
    let name = format!("{}-capacity.csv", prepared.name);
    let out = super::default_out(args.out, &name);
    crate::output::prepare_out_file(&out, "--out")?;
    let advice = capacity::advise(&prepared.model, seed, replications, args.target)
        .map_err(|overrun| overrun.to_input_error())?;
    capacity::write_csv(&out, &advice)?;
    let mut stdout = std::io::stdout().lock();
    capacity::print(&mut stdout, &advice)?;
    writeln!(stdout, "written: {}", printable_path(&out))?;
    Ok(())
}
