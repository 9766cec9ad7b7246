//! The two views of a budget-capped run on the terminal: what the lumpsum
//! buys (budget-capped: waiting) beside what demand would cost (demand-led).

use crate::metrics::{Derived, Metric, ScopeKind};
use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Prints the region rows of `views.csv` per year.
pub fn print_views(out: &mut impl Write, views: &Path) -> Result<()> {
    let mut reader = csv::Reader::from_path(views)?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(year), Some(scope), Some(metric), Some(a), Some(b)) = (
        col("year"),
        col("scope"),
        col("metric"),
        col("a_mean"),
        col("b_mean"),
    ) else {
        anyhow::bail!("{} lacks the expected columns", views.display());
    };
    let mut rows: Vec<(String, String, f64, f64)> = Vec::new();
    for record in reader.records() {
        let r = record?;
        if &r[scope] != ScopeKind::Region.name() {
            continue;
        }
        let num = |i: usize| r[i].parse::<f64>().unwrap_or(f64::NAN);
        rows.push((r[year].to_string(), r[metric].to_string(), num(a), num(b)));
    }
    let get = |y: &str, m: &str| {
        rows.iter()
            .find(|r| r.0 == y && r.1 == m)
            .map_or((f64::NAN, f64::NAN), |r| (r.2, r.3))
    };
    let mut years: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    years.dedup();
    writeln!(
        out,
        "\nTwo views (views.csv): budget-capped (what the lumpsum buys) vs demand-led (every client at once)"
    )?;
    writeln!(
        out,
        "{:>6}  {:>14}  {:>14}  {:>12}  {:>12}  {:>12}",
        "year", "cost capped €M", "cost demand €M", "P(over) cap", "P(over) dem", "wait days"
    )?;
    for y in years {
        let (cost_a, cost_b) = get(y, &Metric::CostEur.name());
        let (p_a, p_b) = get(y, Derived::POverrun.name());
        let (wait_a, _) = get(y, &Metric::WaitDaysMean.name());
        writeln!(
            out,
            "{y:>6}  {:>14.1}  {:>14.1}  {:>11.1}%  {:>11.1}%  {:>12.1}",
            cost_a / 1e6,
            cost_b / 1e6,
            p_a * 100.0,
            p_b * 100.0,
            wait_a
        )?;
    }
    Ok(())
}
