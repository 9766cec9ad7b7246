//! The readable per-year table `run` prints to stdout.

use super::YearOverview;
use std::io::Write;

fn millions(euros: &str) -> String {
    euros
        .parse::<f64>()
        .map_or_else(|_| euros.to_string(), |e| format!("{:.1}", e / 1e6))
}

pub fn print_overview(
    out: &mut impl Write,
    scenario: &str,
    replications: u64,
    rows: &[YearOverview],
) -> std::io::Result<()> {
    writeln!(
        out,
        "jeugdstroom — {scenario}: {replications} replications (region totals)"
    )?;
    writeln!(
        out,
        "{:>6}  {:>12}  {:>15}  {:>13}  {:>15}  {:>12}",
        "year", "lumpsum €M", "exp. cost €M", "P(cost > ls)", "clients in care", "waiting list"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:>6}  {:>12}  {:>15}  {:>12.1}%  {:>15.0}  {:>12.0}",
            r.year,
            millions(&r.lumpsum),
            millions(&r.cost_mean),
            r.p_overrun * 100.0,
            r.active_end,
            r.waiting_end
        )?;
    }
    Ok(())
}
