//! Calibration checked on histories it was never tuned to: a three-
//! municipality region with declining demand, lognormal ambulant stays and
//! moves both ways between its two forms (unlike `calibration.rs`'s truth
//! and `examples/truth.toml`), simulated by the tool itself. Each history is
//! fitted from the library; what must hold over the histories, with
//! tolerances from their count:
//! (a) every fit is written and re-loads; (c) the mean stays are unbiased
//! under the trend (Little's law on the same histories is not) and their
//! standard errors are honest; (d) entry and destination shares get
//! intervals that cover the truth at their nominal rate; (e) the backtest's
//! intervals hold held-out actuals at about their nominal rates.

use crate::util::*;
use jeugdstroom::calibrate::fit::Calibration;
use jeugdstroom::model::Model;
use jeugdstroom::pipeline::calibrate as pipeline;
use jeugdstroom::record::{CellMetric, Exposure};
use std::fmt::Write;
use std::path::Path;

const YEARS: usize = 7;
const FIRST: i32 = 2016;
const AMBULANT_DAYS: f64 = 240.0;
const RESIDENTIAL_DAYS: f64 = 160.0;
const ENTRY_AMBULANT: f64 = 0.8;
const TO_RESIDENTIAL: f64 = 0.15;
const TO_AMBULANT: f64 = 0.3;

pub fn truth() -> String {
    format!(
        r#"
name = "declining-truth"
[horizon]
start_year = {FIRST}
years = {YEARS}
[initial_state]
warmup_years = 5
[municipalities.noord]
[municipalities.midden]
[municipalities.zuid]
[areas.noord]
youth = {{ noord = 9000 }}
[areas.midden]
youth = {{ midden = 6000 }}
[areas.zuid]
youth = {{ zuid = 4000 }}
[arrivals]
population_year = {FIRST}
rate_per_1000 = 55
trend = -0.05
entry = {{ ambulant = 0.8, residential = 0.2 }}
priority = {{ regular = 1.0 }}
[care_forms.ambulant]
kind = "ambulant"
duration = {{ distribution = "lognormal", mean = {AMBULANT_DAYS}, cv = 0.9 }}
tariff = 40
age = [ {{ from = 0, to = 8, weight = 1 }} ]
transitions = {{ residential = {TO_RESIDENTIAL} }}
[care_forms.residential]
kind = "residential"
duration = {{ distribution = "exponential", mean = {RESIDENTIAL_DAYS} }}
tariff = 250
age = [ {{ from = 0, to = 8, weight = 1 }} ]
transitions = {{ ambulant = {TO_AMBULANT} }}
[lumpsum]
region = 10_000_000
"#
    )
}

/// The base the fit starts from: the truth with its demand, stays and shares
/// 30 % off (the shapes of the stays kept: calibrate fits means, not shapes).
fn base() -> String {
    truth()
        .replace("rate_per_1000 = 55", "rate_per_1000 = 38")
        .replace("trend = -0.05", "trend = 0.0")
        .replace(&format!("mean = {AMBULANT_DAYS},"), "mean = 170,")
        .replace(&format!("mean = {RESIDENTIAL_DAYS} "), "mean = 210 ")
        .replace(
            "ambulant = 0.8, residential = 0.2",
            "ambulant = 0.6, residential = 0.4",
        )
}

/// One replication as a history CSV; with two forms every transfer into one
/// came from the other, so moves are starts minus new arrivals.
pub fn history_csv(model: &Model, e: &Exposure) -> String {
    let form = |n: &str| model.forms.iter().position(|f| f.name == n).unwrap();
    let (amb, res) = (form("ambulant"), form("residential"));
    let mut out = String::from(
        "year,municipality,care_form,started,ended,in_care_end,youth_population,cost_eur,transitions_to_ambulant,transitions_to_residential\n",
    );
    for y in 0..YEARS {
        for (s, seg) in model.segments.iter().enumerate() {
            let m = &model.municipalities[seg.municipality].name;
            let c = |f: usize, k: CellMetric| e.cell(y, s, f, k);
            let moved_in = |f: usize| c(f, CellMetric::Starts) - c(f, CellMetric::Inflow);
            let year = FIRST + y as i32;
            let youth = seg.youth[y];
            for (f, other, name, tariff) in [
                (amb, res, "ambulant", 40.0),
                (res, amb, "residential", 250.0),
            ] {
                let moved = moved_in(other);
                let (to_amb, to_res) = if f == amb {
                    (String::new(), moved.to_string())
                } else {
                    (moved.to_string(), String::new())
                };
                let _ = writeln!(
                    out,
                    "{year},{m},{name},{},{},{},{youth},{},{to_amb},{to_res}",
                    c(f, CellMetric::Starts),
                    c(f, CellMetric::Outflow) + moved,
                    c(f, CellMetric::ActiveEnd),
                    c(f, CellMetric::ClientDays) * tariff
                );
            }
        }
    }
    out
}

/// Little's law on a history's totals: mean in care ÷ starts per day, the
/// estimator calibrate used before (to show the test can tell the difference).
fn little(history: &jeugdstroom::calibrate::history::History, form: &str) -> f64 {
    use jeugdstroom::calibrate::history::totals;
    let rows: Vec<_> = (0..YEARS)
        .map(|y| totals(history, FIRST + y as i32, form).unwrap())
        .collect();
    let (mut stock, mut starts) = (0.0, 0.0);
    for p in rows.windows(2) {
        stock += (p[0].in_care_end + p[1].in_care_end) / 2.0;
        starts += p[1].started;
    }
    stock / starts * 365.0
}

struct Fitted {
    calibration: Calibration,
    little: [f64; 2],
}

/// Simulates `n` histories of the truth, fits each on the base and writes
/// the fitted scenario (which must re-load) into `dir`.
fn fit_histories(dir: &Path, n: usize) -> Vec<Fitted> {
    let model = prepare(&truth()).model;
    let base_file = dir.join("base.toml");
    std::fs::write(&base_file, base()).unwrap();
    let base = pipeline::load_base(Some(&base_file)).unwrap_or_else(|e| panic!("{e}"));
    let exposures = per_replication(&model, 4242, n as u64, |e| e.clone());
    (exposures.iter().enumerate())
        .map(|(k, e)| {
            let file = dir.join(format!("h{k}.csv"));
            std::fs::write(&file, history_csv(&model, e)).unwrap();
            let history = pipeline::read_history(&base, &file).unwrap_or_else(|e| panic!("{e}"));
            let last = FIRST + YEARS as i32 - 1;
            let calibration = pipeline::fit(&base, &history, last).unwrap();
            let out = dir.join(format!("h{k}.toml"));
            pipeline::write_scenario(&base, &calibration, &file, &out, None)
                .unwrap_or_else(|e| panic!("history {k}: {e}"));
            Fitted {
                calibration,
                little: [
                    little(&history, "ambulant"),
                    little(&history, "residential"),
                ],
            }
        })
        .collect()
}

/// Four binomial standard errors around a nominal coverage over `n` trials.
fn band(nominal: f64, n: usize) -> (f64, f64) {
    let se = (nominal * (1.0 - nominal) / n as f64).sqrt();
    (nominal - 4.0 * se, nominal + 4.0 * se)
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let m = mean(v);
    let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
    (m, sd)
}

#[test]
fn stays_and_shares_recover_a_declining_truth_with_honest_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 40;
    let fits = fit_histories(tmp.path(), n);
    for (i, (form, truth)) in [
        ("ambulant", AMBULANT_DAYS),
        ("residential", RESIDENTIAL_DAYS),
    ]
    .into_iter()
    .enumerate()
    {
        let stays: Vec<_> = (fits.iter())
            .map(|f| f.calibration.forms[form].duration.clone().unwrap())
            .collect();
        let means: Vec<f64> = stays.iter().map(|s| s.mean).collect();
        let (m, sd) = mean_sd(&means);
        let se_mean = sd / (n as f64).sqrt();
        let reported = mean(&stays.iter().map(|s| s.se).collect::<Vec<_>>());
        let covered = (stays.iter())
            .filter(|s| (s.mean - truth).abs() <= 1.96 * s.se)
            .count() as f64
            / n as f64;
        let (l, lsd) = mean_sd(&fits.iter().map(|f| f.little[i]).collect::<Vec<_>>());
        eprintln!(
            "{form}: true {truth}, stock-flow fit {m:.2} (bias {:+.2} %, {:.1} se), sd {sd:.2}, reported se {reported:.2}, 95 % coverage {covered:.3}; Little's law {l:.2} (bias {:+.2} %, {:.1} se)",
            100.0 * (m / truth - 1.0),
            (m - truth) / se_mean,
            100.0 * (l / truth - 1.0),
            (l - truth) / (lsd / (n as f64).sqrt())
        );
        assert!(
            (m - truth).abs() < 4.0 * se_mean,
            "{form}: bias {m} vs {truth}"
        );
        // The sd of a sample sd over n values is about sd/√(2(n−1)).
        let slack = 4.0 / (2.0 * (n as f64 - 1.0)).sqrt();
        assert!(
            (reported / sd - 1.0).abs() < slack,
            "{form}: reported se {reported:.2} vs actual {sd:.2}"
        );
        assert!(covered >= band(0.95, n).0, "{form}: coverage {covered}");
        if i == 0 {
            assert!(
                (l - truth) / (lsd / (n as f64).sqrt()) > 4.0,
                "Little's law should be visibly biased on a declining truth ({l} vs {truth})"
            );
        }
    }
    // Shares: the Dirichlet marginal's 95 % interval around the estimate.
    let share_cover = |get: &dyn Fn(&Calibration) -> (f64, f64), truth: f64| -> f64 {
        (fits.iter())
            .filter(|f| {
                let (p, alpha) = get(&f.calibration);
                (p - truth).abs() <= 1.96 * (p * (1.0 - p) / (alpha + 1.0)).sqrt()
            })
            .count() as f64
            / n as f64
    };
    let entry = share_cover(
        &|c| (c.entry["ambulant"], c.entry_concentration),
        ENTRY_AMBULANT,
    );
    let to_res = share_cover(
        &|c| {
            let f = &c.forms["ambulant"];
            (f.transitions["residential"], f.transition_concentration)
        },
        TO_RESIDENTIAL,
    );
    let to_amb = share_cover(
        &|c| {
            let f = &c.forms["residential"];
            (f.transitions["ambulant"], f.transition_concentration)
        },
        TO_AMBULANT,
    );
    eprintln!(
        "95 % share intervals cover: entry {entry:.3}, ambulant→residential {to_res:.3}, residential→ambulant {to_amb:.3}"
    );
    for (name, c) in [
        ("entry", entry),
        ("to residential", to_res),
        ("to ambulant", to_amb),
    ] {
        assert!(c >= band(0.95, n).0, "{name}: coverage {c}");
    }
}

#[test]
fn backtest_intervals_hold_held_out_years_at_their_nominal_rates() {
    let tmp = tempfile::tempdir().unwrap();
    let model = prepare(&truth()).model;
    let base_file = tmp.path().join("base.toml");
    std::fs::write(&base_file, base()).unwrap();
    let n: u64 = 24;
    let mut inside = [0usize; 3];
    let mut values = 0;
    for (k, e) in per_replication(&model, 977, n, |e| e.clone())
        .iter()
        .enumerate()
    {
        let file = tmp.path().join(format!("h{k}.csv"));
        std::fs::write(&file, history_csv(&model, e)).unwrap();
        let out = tmp.path().join(format!("bt{k}"));
        let run = jeugdstroom(&[
            "backtest",
            path_str(&file),
            "--base",
            path_str(&base_file),
            "--fit-until",
            "2019",
            "--replications",
            "100",
            "--quiet",
            "--out",
            path_str(&out),
        ]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            for (j, name) in ["in50", "in80", "in90"].iter().enumerate() {
                inside[j] += usize::from(cells[col(name)] == "1");
            }
            values += 1;
        }
    }
    let shares: Vec<f64> = inside.iter().map(|i| *i as f64 / values as f64).collect();
    eprintln!(
        "backtest over {n} histories, {values} held-out values: 50/80/90 % intervals hold {:.3}/{:.3}/{:.3}",
        shares[0], shares[1], shares[2]
    );
    // Values of one history share its fit: the histories are the independent
    // trials, so the band is from their count.
    for (share, nominal) in shares.iter().zip([0.5, 0.8, 0.9]) {
        let (lo, hi) = band(nominal, n as usize);
        assert!((lo..=hi).contains(share), "{nominal}: {share}");
    }
}

/// Writes the truth, the base and 100 histories to `target/calib-truth/`
/// for measuring other binaries on them:
/// `cargo test --release -- --ignored write_declining_histories`.
#[test]
#[ignore]
fn write_declining_histories() {
    let dir = Path::new("target/calib-truth");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("truth.toml"), truth()).unwrap();
    std::fs::write(dir.join("base.toml"), base()).unwrap();
    let model = prepare(&truth()).model;
    for (k, e) in per_replication(&model, 4242, 100, |e| e.clone())
        .iter()
        .enumerate()
    {
        std::fs::write(dir.join(format!("h{k}.csv")), history_csv(&model, e)).unwrap();
    }
}

/// The history's count cells rounded to multiples of `step` and written as
/// the range of values that round there (what CBS's rounding leaves).
fn rounded(csv: &str, step: f64) -> String {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let counts: Vec<bool> = (header.iter())
        .map(|h| {
            ["started", "ended", "in_care_end"].contains(h) || h.starts_with("transitions_to_")
        })
        .collect();
    let mut out = header.join(",") + "\n";
    for line in lines {
        let cells: Vec<String> = (line.split(',').zip(&counts))
            .map(|(cell, count)| match (count, cell.parse::<f64>()) {
                (true, Ok(v)) => {
                    let r = (v / step).round() * step;
                    format!(
                        "{}..{}",
                        (r - step / 2.0).max(0.0).ceil(),
                        r + step / 2.0 - 1.0
                    )
                }
                _ => cell.to_string(),
            })
            .collect();
        out += &(cells.join(",") + "\n");
    }
    out
}

#[test]
fn rounded_counts_calibrate_as_ranges_with_wider_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let model = prepare(&truth()).model;
    let base_file = tmp.path().join("base.toml");
    std::fs::write(&base_file, base()).unwrap();
    let base = pipeline::load_base(Some(&base_file)).unwrap();
    let csv = history_csv(&model, &per_replication(&model, 31, 1, |e| e.clone())[0]);
    let fit = |text: &str, name: &str| {
        let file = tmp.path().join(name);
        std::fs::write(&file, text).unwrap();
        let history = pipeline::read_history(&base, &file).unwrap_or_else(|e| panic!("{e}"));
        let c = pipeline::fit(&base, &history, FIRST + YEARS as i32 - 1).unwrap();
        pipeline::write_scenario(&base, &c, &file, &file.with_extension("toml"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        c
    };
    let exact = fit(&csv, "exact.csv");
    let ranged_text = rounded(&csv, 50.0);
    assert!(ranged_text.contains(".."), "{ranged_text}");
    let ranged = fit(&ranged_text, "ranged.csv");
    for form in ["ambulant", "residential"] {
        let (e, r) = (
            exact.forms[form].duration.clone().unwrap(),
            ranged.forms[form].duration.clone().unwrap(),
        );
        eprintln!(
            "{form}: exact {:.1} (se {:.2}), ranged {:.1} (se {:.2})",
            e.mean, e.se, r.mean, r.se
        );
        assert!(
            r.se > e.se,
            "{form}: ranges must widen the error ({} vs {})",
            r.se,
            e.se
        );
        assert!((r.mean - e.mean).abs() < 4.0 * r.se, "{form}");
    }
    assert!(ranged.entry_concentration < exact.entry_concentration);
}

#[test]
fn a_fit_outside_the_valid_ranges_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let base_file = tmp.path().join("base.toml");
    std::fs::write(&base_file, base()).unwrap();
    let history = tmp.path().join("jump.csv");
    std::fs::write(
        &history,
        "year,municipality,care_form,started,ended,in_care_end\n2016,noord,ambulant,1,0,1\n\
         2017,noord,ambulant,100000,0,100001\n2018,noord,ambulant,99999999,0,99999999\n",
    )
    .unwrap();
    let out = tmp.path().join("new").join("fitted.toml");
    let run = jeugdstroom(&[
        "calibrate",
        path_str(&history),
        "--base",
        path_str(&base_file),
        "--out",
        path_str(&out),
    ]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("jump.csv") && run.stderr.contains("not written"),
        "{}",
        run.stderr
    );
    assert!(!out.exists() && !tmp.path().join("new").exists());
}
