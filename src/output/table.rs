//! The readable summary `run` and `merge` print to stdout: the region per
//! year, P(cost > lumpsum) per municipality and provider, and the financing
//! regimes side by side for the last year.

use super::Overview;
use crate::finance::REGIMES;
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
    overview: &Overview,
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
    for r in &overview.years {
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
    let parties: Vec<(&str, &str)> = {
        let mut seen = Vec::new();
        for (_, scope, name, _) in &overview.feasibility {
            if *scope != "region" && !seen.contains(&(*scope, name.as_str())) {
                seen.push((*scope, name.as_str()));
            }
        }
        seen
    };
    if !parties.is_empty() {
        writeln!(out, "\nP(cost > lumpsum) per municipality and provider")?;
        write!(out, "{:>6}", "year")?;
        for (_, name) in &parties {
            write!(out, "  {:>13.13}", name)?;
        }
        writeln!(out)?;
        for r in &overview.years {
            write!(out, "{:>6}", r.year)?;
            for (scope, name) in &parties {
                let p = overview
                    .feasibility
                    .iter()
                    .find(|(y, s, n, _)| *y == r.year && s == scope && n == name)
                    .map_or(0.0, |f| f.3);
                write!(out, "  {:>12.1}%", p * 100.0)?;
            }
            writeln!(out)?;
        }
    }
    let providers: Vec<&str> = parties
        .iter()
        .filter(|(s, _)| *s == "provider")
        .map(|(_, n)| *n)
        .collect();
    if !providers.is_empty() {
        let share = |year: i32, name: &str, metric: &str| {
            overview
                .captured
                .get(&(year, name.to_string(), metric.to_string()))
                .and_then(|c| c[0].parse::<f64>().ok())
                .unwrap_or(0.0)
                * 100.0
        };
        writeln!(
            out,
            "\nLumpsum adjustments taking effect (share of futures: down / up for growth or shock)"
        )?;
        write!(out, "{:>6}", "year")?;
        for name in &providers {
            write!(out, "  {:>15.15}", name)?;
        }
        writeln!(out)?;
        for r in &overview.years {
            write!(out, "{:>6}", r.year)?;
            for name in &providers {
                let up = share(r.year, name, "adjusted_up_growth")
                    + share(r.year, name, "adjusted_up_shock");
                write!(
                    out,
                    "  {:>15}",
                    format!("{:.0}% / {:.0}%", share(r.year, name, "adjusted_down"), up)
                )?;
            }
            writeln!(out)?;
        }
    }
    if let Some(last) = overview.years.last() {
        let get = |metric: &str, stat: usize| {
            overview
                .captured
                .get(&(last.year, "region".to_string(), metric.to_string()))
                .map_or(String::new(), |c| millions(&c[stat]))
        };
        writeln!(
            out,
            "\nFinancing regimes in {} under the same demand (€M; sd = who carries the variance)",
            last.year
        )?;
        writeln!(
            out,
            "{:>18}  {:>14}  {:>8}  {:>16}  {:>8}",
            "regime", "municipalities", "sd", "provider result", "sd"
        )?;
        for r in REGIMES {
            let paid = format!("paid_{}_eur", r.name());
            let result = format!("provider_result_{}_eur", r.name());
            writeln!(
                out,
                "{:>18}  {:>14}  {:>8}  {:>16}  {:>8}",
                r.name(),
                get(&paid, 0),
                get(&paid, 1),
                get(&result, 0),
                get(&result, 1)
            )?;
        }
    }
    Ok(())
}
