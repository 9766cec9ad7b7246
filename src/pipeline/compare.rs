//! Comparing two scenarios: both run with the same seed and replication
//! streams (common random numbers) into `a/` and `b/`, then paired
//! differences B − A per year and scope with 95 % intervals, and the
//! variance reduction against independent runs.

use super::job::{Job, Runner, simulate, wall_seconds};
use crate::error::{Error, InputError};
use crate::metrics::{Derived, Figure, Metric, ScopeKind};
use crate::montecarlo::rowfile::FILE_NAME as ROW_FILE;
use crate::output::comparison::{CUMULATIVE_COST, ComparisonRow, payback_year};
use crate::output::{self, Manifest};
use crate::pipeline::Prepared;
use crate::text::{printable, printable_path};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// A paired comparison of scenario B against the reference A.
pub struct Comparison<'a> {
    pub a: &'a Prepared,
    pub b: &'a Prepared,
    pub seed: u64,
    pub replications: u64,
    pub runner: Runner,
    /// Folder for `comparison.csv` and the result folders `a/` and `b/`.
    pub out: &'a Path,
}

/// Refuses scenarios over different years, and fewer than 2 replications.
pub fn check(a: (&Prepared, &Path), b: (&Prepared, &Path), replications: u64) -> Result<(), Error> {
    let (ma, mb) = (&a.0.model, &b.0.model);
    if ma.start_year != mb.start_year || ma.years != mb.years {
        return Err(InputError::new(format!(
            "{} and {} cover different horizons",
            a.1.display(),
            b.1.display()
        ))
        .field("horizon")
        .fix("compare scenarios over the same years (start_year and years)")
        .into());
    }
    if replications < 2 {
        return Err(
            InputError::new("a paired comparison needs at least 2 replications")
                .field("--replications")
                .fix("use --replications 2 or more (a few hundred for tight intervals)")
                .into(),
        );
    }
    Ok(())
}

/// Runs A and B, writes `comparison.csv` and, last, the manifest; returns
/// the paired rows.
pub fn run(c: &Comparison<'_>) -> Result<Vec<ComparisonRow>, Error> {
    let started = Instant::now();
    output::prepare_out_dir(c.out)?;
    for (prepared, sub) in [(c.a, "a"), (c.b, "b")] {
        let dir = c.out.join(sub);
        simulate(&Job::whole(
            prepared,
            c.seed,
            c.replications,
            c.runner,
            &dir,
        ))?;
    }
    let rows = output::comparison::compare_row_files(
        &c.out.join("a").join(ROW_FILE),
        &c.out.join("b").join(ROW_FILE),
    )?;
    output::comparison::write_comparison(c.out, &rows)?;
    let mut manifest = Manifest::new(
        &format!("{} vs {}", c.a.name, c.b.name),
        &format!("{}+{}", c.a.sha256, c.b.sha256),
        c.seed,
        c.replications,
        [0, c.replications],
    );
    manifest.threads = c.runner.threads;
    manifest.wall_seconds = wall_seconds(started);
    manifest.parts = ["a", "b"]
        .map(|sub| c.out.join(sub).display().to_string())
        .to_vec();
    manifest.files = output::checksum::record(c.out, &[output::comparison::FILE_NAME])?;
    output::manifest::write(c.out, &manifest)?;
    Ok(rows)
}

/// The region's yearly differences, the payback verdict and where the files are.
pub fn print(
    out: &mut impl Write,
    c: &Comparison<'_>,
    rows: &[ComparisonRow],
) -> std::io::Result<()> {
    writeln!(
        out,
        "jeugdstroom compare — B: {} minus A: {} ({} paired replications, seed {})",
        printable(&c.b.name),
        printable(&c.a.name),
        c.replications,
        c.seed
    )?;
    print_years(out, rows)?;
    print_payback(out, rows)?;
    writeln!(
        out,
        "results: {} (comparison.csv; full results of A and B in a/ and b/)",
        printable_path(c.out)
    )
}

fn print_years(out: &mut impl Write, rows: &[ComparisonRow]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>6}  {:>22}  {:>14}  {:>18}  {:>22}  {:>10}",
        "year",
        "Δ expected cost €M",
        "± 95 % (CRN)",
        "Δ cumulative €M",
        "Δ P(cost > lumpsum)",
        "var. red."
    )?;
    let region = |year: i32, metric: Figure| {
        rows.iter()
            .find(|o| o.year == year && o.scope == ScopeKind::Region && o.metric == metric)
            .map_or(0.0, |o| o.diff_mean)
    };
    for r in rows
        .iter()
        .filter(|r| r.scope == ScopeKind::Region && r.metric == Figure::Metric(Metric::CostEur))
    {
        writeln!(
            out,
            "{:>6}  {:>22.2}  {:>14.2}  {:>18.2}  {:>21.1}%  {:>10}",
            r.year,
            r.diff_mean / 1e6,
            r.half_width / 1e6,
            region(r.year, CUMULATIVE_COST) / 1e6,
            region(r.year, Figure::Derived(Derived::POverrun)) * 100.0,
            r.variance_reduction()
                .map_or("—".to_string(), |v| format!("{v:.0}×"))
        )?;
    }
    Ok(())
}

fn print_payback(out: &mut impl Write, rows: &[ComparisonRow]) -> std::io::Result<()> {
    let invested = rows
        .iter()
        .any(|r| r.metric == CUMULATIVE_COST && r.scope == ScopeKind::Region && r.diff_mean > 0.0);
    match (payback_year(rows), invested) {
        (Some(year), _) => writeln!(
            out,
            "B pays back against A in {year}: from then on its cumulative cost stays below A's"
        ),
        (None, true) => writeln!(
            out,
            "B does not pay back against A within the horizon (its cumulative cost stays above A's at the end)"
        ),
        (None, false) => writeln!(out, "B never costs more than A cumulatively"),
    }
}
