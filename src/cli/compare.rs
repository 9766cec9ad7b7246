//! `compare A.toml B.toml`: both scenarios with the same seed and
//! replication streams (common random numbers), then paired differences
//! B − A per year and scope with 95 % intervals, and the variance reduction
//! against independent runs.

use super::CompareArgs;
use super::run::{Job, simulate, threads};
use crate::error::{Error, InputError};
use crate::montecarlo::binfile::FILE_NAME as BIN;
use crate::output::comparison::{CUMULATIVE_COST, payback_year};
use crate::output::{self, Manifest};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

pub fn compare(args: CompareArgs) -> Result<(), Error> {
    let started = Instant::now();
    let lang = args.report.then(|| args.lang.lang()).transpose()?;
    let a = crate::pipeline::prepare(Some(&args.a))?;
    let b = crate::pipeline::prepare(Some(&args.b))?;
    if a.model.start_year != b.model.start_year || a.model.years != b.model.years {
        return Err(InputError::new(format!(
            "{} and {} cover different horizons",
            args.a.display(),
            args.b.display()
        ))
        .field("horizon")
        .fix("compare scenarios over the same years (start_year and years)")
        .into());
    }
    let replications = args
        .sim
        .replications
        .unwrap_or(a.default_replications as u64);
    if replications < 2 {
        return Err(
            InputError::new("a paired comparison needs at least 2 replications")
                .field("--replications")
                .fix("use --replications 2 or more (a few hundred for tight intervals)")
                .into(),
        );
    }
    let seed = args.sim.seed.unwrap_or(a.default_seed);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("compare-{}-vs-{}", a.name, b.name)));
    output::prepare_out_dir(&out)?;
    let threads = threads(args.sim.threads);
    for (prepared, sub) in [(&a, "a"), (&b, "b")] {
        let dir = out.join(sub);
        let job = Job {
            prepared,
            seed,
            replications,
            range: 0..replications,
            shard: None,
            overrides: Vec::new(),
            threads,
            quiet: args.sim.quiet,
            out: &dir,
            views_from: None,
        };
        simulate(&job)?;
    }
    let rows =
        output::comparison::compare_bins(&out.join("a").join(BIN), &out.join("b").join(BIN))?;
    output::comparison::write_comparison(&out, &rows)?;

    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "jeugdstroom compare — B: {} minus A: {} ({replications} paired replications, seed {seed})",
        b.name, a.name
    )?;
    writeln!(
        stdout,
        "{:>6}  {:>22}  {:>14}  {:>18}  {:>22}  {:>10}",
        "year",
        "Δ expected cost €M",
        "± 95 % (CRN)",
        "Δ cumulative €M",
        "Δ P(cost > lumpsum)",
        "var. red."
    )?;
    for r in rows
        .iter()
        .filter(|r| r.scope == "region" && r.metric == "cost_eur")
    {
        let p = rows
            .iter()
            .find(|o| o.year == r.year && o.scope == "region" && o.metric == "p_overrun")
            .map_or(0.0, |o| o.diff_mean);
        let cumulative = rows
            .iter()
            .find(|o| o.year == r.year && o.scope == "region" && o.metric == CUMULATIVE_COST)
            .map_or(0.0, |o| o.diff_mean);
        writeln!(
            stdout,
            "{:>6}  {:>22.2}  {:>14.2}  {:>18.2}  {:>21.1}%  {:>10}",
            r.year,
            r.diff_mean / 1e6,
            r.half_width / 1e6,
            cumulative / 1e6,
            p * 100.0,
            r.variance_reduction()
                .map_or("—".to_string(), |v| format!("{v:.0}×"))
        )?;
    }
    let invested = rows
        .iter()
        .any(|r| r.metric == CUMULATIVE_COST && r.scope == "region" && r.diff_mean > 0.0);
    match (payback_year(&rows), invested) {
        (Some(year), _) => writeln!(
            stdout,
            "B pays back against A in {year}: from then on its cumulative cost stays below A's"
        )?,
        (None, true) => writeln!(
            stdout,
            "B does not pay back against A within the horizon (its cumulative cost stays above A's at the end)"
        )?,
        (None, false) => writeln!(stdout, "B never costs more than A cumulatively")?,
    }
    writeln!(
        stdout,
        "results: {} (comparison.csv; full results of A and B in a/ and b/)",
        out.display()
    )?;

    let mut manifest = Manifest::new(
        &format!("{} vs {}", a.name, b.name),
        &format!("{}+{}", a.sha256, b.sha256),
        seed,
        replications,
        [0, replications],
    );
    manifest.threads = threads;
    manifest.wall_seconds = (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    manifest.parts = vec![
        out.join("a").display().to_string(),
        out.join("b").display().to_string(),
    ];
    output::AtomicFile::write_all(
        &out.join(output::manifest::FILE_NAME),
        serde_json::to_string_pretty(&manifest)
            .map_err(anyhow::Error::from)?
            .as_bytes(),
    )?;
    if let Some(lang) = lang {
        super::report_cmd::write_and_tell(&out, None, lang)?;
    }
    Ok(())
}
