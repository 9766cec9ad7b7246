//! `run`: simulate a scenario and write the result folder.

use super::RunArgs;
use crate::aggregate::Layout;
use crate::error::Error;
use crate::montecarlo::{self, Plan, binfile};
use crate::output::{self, Manifest};
use crate::scenario;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// A progress bar on stderr, hidden unless stderr is a terminal and not `--quiet`.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub fn run(args: RunArgs) -> Result<(), Error> {
    let started = Instant::now();
    let prepared = scenario::prepare(args.scenario.as_deref())?;
    let replications = args
        .replications
        .unwrap_or(prepared.default_replications as u64);
    let seed = args.seed.unwrap_or(prepared.default_seed);
    let threads = args
        .threads
        .map(|t| t as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let range = args
        .shard
        .map_or(0..replications, |s| s.range(replications));
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("out").join(&prepared.name));
    output::prepare_out_dir(&out)?;

    let model = &prepared.model;
    let layout = Layout::new(model);
    let plan = Plan {
        seed,
        replications: range.clone(),
        threads,
    };
    let bar = progress_bar(range.end - range.start, args.quiet);
    let tmp_bin = out.join(format!(".{}.tmp", binfile::FILE_NAME));
    let events = montecarlo::run_to_file(model, &layout, &plan, &tmp_bin, &|done| {
        bar.set_position(done)
    })?;
    bar.finish_and_clear();
    std::fs::rename(&tmp_bin, out.join(binfile::FILE_NAME))?;

    let mut manifest = Manifest::new(
        &prepared.name,
        &prepared.sha256,
        seed,
        replications,
        [range.start, range.end],
    );
    manifest.shard = args.shard.map(|s| s.to_string());
    manifest.threads = threads;
    manifest.events = events;
    manifest.wall_seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let overview = output::finalize(&out, &manifest)?;
    let mut stdout = std::io::stdout().lock();
    output::print_overview(
        &mut stdout,
        &prepared.name,
        range.end - range.start,
        &overview,
    )?;
    use std::io::Write;
    writeln!(stdout, "results: {}", out.display())?;
    Ok(())
}
