//! Derived per-party tables: `providers.csv`, `municipalities.csv` and
//! `regimes.csv`, read off the summary statistics (means, spread and
//! trigger frequencies over replications).

use super::atomic::AtomicFile;
use super::results::Captured;
use super::safe_cell;
use crate::finance::REGIMES;
use anyhow::Result;
use std::collections::BTreeSet;
use std::path::Path;

const MEAN: usize = 0;
const SD: usize = 1;
const P05: usize = 2;
const P95: usize = 8;

/// Years and names of a scope present in the captured statistics.
fn parties(captured: &Captured, metric: &str) -> Vec<(i32, String)> {
    let set: BTreeSet<(i32, String)> = captured
        .keys()
        .filter(|(_, _, m)| m == metric)
        .map(|(y, n, _)| (*y, n.clone()))
        .collect();
    set.into_iter().collect()
}

fn cell<'a>(captured: &'a Captured, year: i32, name: &str, metric: &str, stat: usize) -> &'a str {
    captured
        .get(&(year, name.to_string(), metric.to_string()))
        .map_or("", |cells| cells[stat].as_str())
}

fn write(dir: &Path, file: &str, header: &[&str], rows: Vec<Vec<String>>) -> Result<()> {
    let mut out = AtomicFile::create(&dir.join(file))?;
    {
        let mut w = csv::Writer::from_writer(out.writer());
        w.write_record(header)?;
        for row in rows {
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    out.commit()
}

/// A per-party table: one row per (year, party) that has `key_metric`, and
/// one column per (header, metric, statistic).
fn party_table(
    dir: &Path,
    file: &str,
    captured: &Captured,
    party: &str,
    key_metric: &str,
    columns: &[(&str, &str, usize)],
) -> Result<()> {
    let mut header = vec!["year", party];
    header.extend(columns.iter().map(|(h, _, _)| *h));
    let rows = parties(captured, key_metric)
        .into_iter()
        .map(|(y, n)| {
            let mut row = vec![y.to_string(), safe_cell(&n).into_owned()];
            row.extend(
                columns
                    .iter()
                    .map(|(_, m, stat)| cell(captured, y, &n, m, *stat).to_string()),
            );
            row
        })
        .collect();
    write(dir, file, &header, rows)
}

pub fn write_tables(dir: &Path, captured: &Captured) -> Result<()> {
    let get = |y: i32, n: &str, m: &str, s: usize| cell(captured, y, n, m, s).to_string();
    party_table(
        dir,
        "providers.csv",
        captured,
        "provider",
        "cumulative_result_eur",
        &[
            ("lumpsum_mean_eur", "lumpsum_eur", MEAN),
            ("cost_mean_eur", "cost_eur", MEAN),
            ("result_mean_eur", "balance_eur", MEAN),
            ("cumulative_result_mean_eur", "cumulative_result_eur", MEAN),
            ("cumulative_result_p05_eur", "cumulative_result_eur", P05),
            ("p_adjusted_down", "adjusted_down", MEAN),
            ("p_adjusted_up_growth", "adjusted_up_growth", MEAN),
            ("p_adjusted_up_shock", "adjusted_up_shock", MEAN),
            ("p_insolvent", "insolvent", MEAN),
        ],
    )?;
    party_table(
        dir,
        "municipalities.csv",
        captured,
        "municipality",
        "contribution_share",
        &[
            ("contribution_mean_eur", "lumpsum_eur", MEAN),
            ("share_mean", "contribution_share", MEAN),
            ("share_sd", "contribution_share", SD),
            ("share_p05", "contribution_share", P05),
            ("share_p95", "contribution_share", P95),
            ("own_cost_mean_eur", "cost_eur", MEAN),
            ("balance_mean_eur", "balance_eur", MEAN),
        ],
    )?;
    let years: BTreeSet<i32> = captured.keys().map(|(y, _, _)| *y).collect();
    let municipality_names: Vec<String> = parties(captured, "contribution_share")
        .into_iter()
        .map(|(_, n)| n)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut regimes = Vec::new();
    for y in years {
        for r in REGIMES {
            let paid = format!("paid_{}_eur", r.name());
            let result = format!("provider_result_{}_eur", r.name());
            let mut row = vec![
                y.to_string(),
                r.name().to_string(),
                get(y, "region", &paid, MEAN),
                get(y, "region", &paid, SD),
                get(y, "region", &result, MEAN),
                get(y, "region", &result, SD),
            ];
            // The largest spread one municipality carries.
            let max_sd = municipality_names
                .iter()
                .filter_map(|m| cell(captured, y, m, &paid, SD).parse::<f64>().ok())
                .fold(0.0f64, f64::max);
            row.push(format!("{max_sd:.2}"));
            regimes.push(row);
        }
    }
    write(
        dir,
        "regimes.csv",
        &[
            "year",
            "regime",
            "municipalities_pay_mean_eur",
            "municipalities_pay_sd_eur",
            "provider_result_mean_eur",
            "provider_result_sd_eur",
            "largest_municipal_pay_sd_eur",
        ],
        regimes,
    )
}
