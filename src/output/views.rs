//! A run beside its twin on the terminal: what the lumpsum buys
//! (budget-capped: waiting) beside what demand would cost (demand-led), and
//! the plan beside the counterfactual without it.

use crate::metrics::{Derived, Metric, ScopeKind};
use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// How a pair of runs is titled on the terminal.
pub struct PairTitles {
    pub heading: &'static str,
    /// Column suffixes of the run (A) and its twin (B).
    pub a: &'static str,
    pub b: &'static str,
}

/// `views.csv`: budget-capped beside demand-led.
pub const VIEWS: PairTitles = PairTitles {
    heading: "Two views (views.csv): budget-capped (what the lumpsum buys) vs demand-led (every client at once)",
    a: "capped",
    b: "demand",
};

/// `plan.csv`: the plan beside the counterfactual without it.
pub const PLAN: PairTitles = PairTitles {
    heading: "The plan vs without the plan (plan.csv; same random numbers)",
    a: "plan",
    b: "no plan",
};

/// Prints the region rows of a paired file (`views.csv`, `plan.csv`) per year.
pub fn print_views(out: &mut impl Write, views: &Path, titles: &PairTitles) -> Result<()> {
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
    let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    writeln!(out, "\n{}", titles.heading)?;
    writeln!(
        out,
        "{:>6}  {:>16}  {:>16}  {:>14}  {:>14}  {:>12}",
        "year",
        format!("cost {} €M", titles.a),
        format!("cost {} €M", titles.b),
        format!("P(over) {}", titles.a),
        format!("P(over) {}", titles.b),
        "wait days"
    )?;
    for y in years {
        let (cost_a, cost_b) = get(y, &Metric::CostEur.name());
        let (p_a, p_b) = get(y, Derived::POverrun.name());
        let (wait_a, _) = get(y, &Metric::WaitDaysMean.name());
        writeln!(
            out,
            "{y:>6}  {:>16.1}  {:>16.1}  {:>13.1}%  {:>13.1}%  {:>12.1}",
            cost_a / 1e6,
            cost_b / 1e6,
            p_a * 100.0,
            p_b * 100.0,
            wait_a
        )?;
    }
    Ok(())
}
