//! The readable summary `run` and `merge` print to stdout: the region per
//! year, P(cost > lumpsum) per municipality and provider, lumpsum
//! adjustments per provider, and the financing regimes side by side for
//! the last year.

use super::feasibility::YearOverview;
use super::results::Overview;
use crate::finance::{REGIMES, Regime};
use crate::metrics::{Metric, ScopeKind};
use crate::stats::Value;
use crate::text::printable;
use std::io::{Result, Write};

/// Euros as written, in millions with one decimal.
fn millions(v: Value) -> String {
    format!("{:.1}", v.as_written() / 1e6)
}

pub fn print_overview(
    out: &mut impl Write,
    scenario: &str,
    replications: u64,
    overview: &Overview,
) -> Result<()> {
    print_region(out, scenario, replications, &overview.years)?;
    let parties = parties(overview);
    if !parties.is_empty() {
        print_overruns(out, overview, &parties)?;
    }
    let providers: Vec<&str> = parties
        .iter()
        .filter(|(s, _)| *s == ScopeKind::Provider)
        .map(|(_, n)| *n)
        .collect();
    if !providers.is_empty() {
        print_adjustments(out, overview, &providers)?;
    }
    if let Some(last) = overview.years.last() {
        print_regimes(out, overview, last.year)?;
    }
    if !overview.cycles.is_empty() {
        print_cycles(out, overview)?;
    }
    Ok(())
}

/// The jaarrekening of each municipality-year with a budget cycle.
fn print_cycles(out: &mut impl Write, overview: &Overview) -> Result<()> {
    let k = |d: rust_decimal::Decimal| {
        let euros = (d / rust_decimal::Decimal::from(100_000)).round_dp(0);
        format!("{euros}k")
    };
    writeln!(
        out,
        "\nBudget cycle: deficit at the jaarrekening (€; 95 % range; structural + incidental; reserve for 90 % / 95 % of futures)"
    )?;
    for c in &overview.cycles {
        write!(
            out,
            "{:>6}  {:>13.13}  mean {} ({} … {}) = {} + {}; reserve {} / {}",
            c.year,
            printable(&c.municipality),
            k(c.deficit_mean),
            k(c.deficit_p025),
            k(c.deficit_p975),
            k(c.structural_mean),
            k(c.incidental_mean),
            k(c.reserve_p90),
            k(c.reserve_p95)
        )?;
        if let Some((realised, p)) = c.realised {
            write!(
                out,
                "; P(deficit ≥ realised {}) = {:.1}%",
                k(realised),
                p * 100.0
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn print_region(
    out: &mut impl Write,
    scenario: &str,
    replications: u64,
    years: &[YearOverview],
) -> Result<()> {
    writeln!(
        out,
        "jeugdstroom — {}: {replications} replications (region totals)",
        printable(scenario)
    )?;
    writeln!(
        out,
        "{:>6}  {:>12}  {:>15}  {:>13}  {:>15}  {:>12}",
        "year", "lumpsum €M", "exp. cost €M", "P(cost > ls)", "clients in care", "waiting list"
    )?;
    for r in years {
        writeln!(
            out,
            "{:>6}  {:>12}  {:>15}  {:>12.1}%  {:>15.0}  {:>12.0}",
            r.year,
            millions(r.lumpsum),
            millions(r.cost_mean),
            r.p_overrun * 100.0,
            r.active_end,
            r.waiting_end
        )?;
    }
    Ok(())
}

/// Municipalities and providers with a budget, in first-seen order.
fn parties(overview: &Overview) -> Vec<(ScopeKind, &str)> {
    let mut seen = Vec::new();
    for f in &overview.feasibility {
        let party = (f.scope, f.name.as_str());
        if f.scope != ScopeKind::Region && !seen.contains(&party) {
            seen.push(party);
        }
    }
    seen
}

fn print_overruns(
    out: &mut impl Write,
    overview: &Overview,
    parties: &[(ScopeKind, &str)],
) -> Result<()> {
    writeln!(out, "\nP(cost > lumpsum) per municipality and provider")?;
    write!(out, "{:>6}", "year")?;
    for (_, name) in parties {
        write!(out, "  {:>13.13}", printable(name))?;
    }
    writeln!(out)?;
    for r in &overview.years {
        write!(out, "{:>6}", r.year)?;
        for (scope, name) in parties {
            let p = overview
                .feasibility
                .iter()
                .find(|f| f.year == r.year && f.scope == *scope && f.name == *name)
                .map_or(0.0, |f| f.p_overrun);
            write!(out, "  {:>12.1}%", p * 100.0)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn print_adjustments(out: &mut impl Write, overview: &Overview, providers: &[&str]) -> Result<()> {
    let share = |year: i32, name: &str, metric: Metric| {
        overview
            .stats
            .get(year, name, metric)
            .map_or(0.0, |s| s.mean.as_written())
            * 100.0
    };
    writeln!(
        out,
        "\nLumpsum adjustments taking effect (share of futures: down / up for growth or shock)"
    )?;
    write!(out, "{:>6}", "year")?;
    for name in providers {
        write!(out, "  {:>15.15}", printable(name))?;
    }
    writeln!(out)?;
    for r in &overview.years {
        write!(out, "{:>6}", r.year)?;
        for name in providers {
            let up = share(r.year, name, Metric::AdjustedUpGrowth)
                + share(r.year, name, Metric::AdjustedUpShock);
            let down = share(r.year, name, Metric::AdjustedDown);
            write!(out, "  {:>15}", format!("{down:.0}% / {up:.0}%"))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn print_regimes(out: &mut impl Write, overview: &Overview, year: i32) -> Result<()> {
    let region = ScopeKind::Region.name();
    let get = |metric: Metric, sd: bool| {
        overview
            .stats
            .get(year, region, metric)
            .map_or(String::new(), |s| millions(if sd { s.sd } else { s.mean }))
    };
    writeln!(
        out,
        "\nFinancing regimes in {year} under the same demand (€M; sd = who carries the variance)"
    )?;
    writeln!(
        out,
        "{:>18}  {:>14}  {:>8}  {:>16}  {:>8}",
        "regime", "municipalities", "sd", "provider result", "sd"
    )?;
    // The regime in force that year, only with a `[regimes] schedule`.
    let scheduled = Some(Regime::Scheduled).filter(|r| {
        (overview.stats)
            .get(year, region, Metric::PaidEur(*r))
            .is_some()
    });
    for r in REGIMES.into_iter().chain(scheduled) {
        let (paid, result) = (Metric::PaidEur(r), Metric::ProviderResultEur(r));
        writeln!(
            out,
            "{:>18}  {:>14}  {:>8}  {:>16}  {:>8}",
            r.name(),
            get(paid, false),
            get(paid, true),
            get(result, false),
            get(result, true)
        )?;
    }
    Ok(())
}
