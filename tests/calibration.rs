//! Calibration against a known truth: synthetic histories are simulated from
//! known parameters, written as history CSVs, read back and calibrated; the
//! known values must fall inside the estimated 95 % intervals about 95 % of
//! the time. Then `calibrate` and `backtest` through the real binary.

use crate::util::*;
use jeugdstroom::calibrate::fit::{BaseForms, calibrate, t95};
use jeugdstroom::calibrate::history::read_history;
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Exposure};
use std::fmt::Write;
use std::path::Path;

const RATE: f64 = 60.0;
const TREND: f64 = 0.03;
const AMBULANT_DAYS: f64 = 200.0;
const YEARS: usize = 8;

fn truth() -> String {
    format!(
        r#"
name = "truth"
[horizon]
start_year = 2016
years = {YEARS}
[initial_state]
warmup_years = 4
[municipalities.town]
[municipalities.village]
[areas.centre]
youth = {{ town = 6000, village = 4000 }}
[arrivals]
population_year = 2016
rate_per_1000 = {RATE}
trend = {TREND}
entry = {{ ambulant = 0.9, residential = 0.1 }}
priority = {{ regular = 1.0 }}
[care_forms.ambulant]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = {AMBULANT_DAYS} }}
tariff = 30
age = [ {{ from = 0, to = 8, weight = 1 }} ]
transitions = {{ residential = 0.1 }}
[care_forms.residential]
kind = "residential"
duration = {{ distribution = "exponential", mean = 150 }}
tariff = 300
age = [ {{ from = 0, to = 8, weight = 1 }} ]
[lumpsum]
region = 10_000_000
"#
    )
}

/// One replication as a history CSV (what CBS-like statistics would show).
fn history_csv(model: &Model, e: &Exposure) -> String {
    let form = |n: &str| model.forms.iter().position(|f| f.name == n).unwrap();
    let (amb, res) = (form("ambulant"), form("residential"));
    let mut out = String::from(
        "year,municipality,care_form,started,ended,in_care_end,youth_population,transitions_to_residential,cost_eur\n",
    );
    for y in 0..YEARS {
        for (s, seg) in model.segments.iter().enumerate() {
            let m = &model.municipalities[seg.municipality].name;
            let c = |f: usize, k: CellMetric| e.cell(y, s, f, k);
            let moved = c(res, CellMetric::Starts) - c(res, CellMetric::Inflow);
            let year = 2016 + y;
            let youth = seg.youth[y];
            let cost = |f: usize, tariff: f64| c(f, CellMetric::ClientDays) * tariff;
            let _ = writeln!(
                out,
                "{year},{m},ambulant,{},{},{},{youth},{moved},{}",
                c(amb, CellMetric::Starts),
                c(amb, CellMetric::Outflow) + moved,
                c(amb, CellMetric::ActiveEnd),
                cost(amb, 30.0)
            );
            let _ = writeln!(
                out,
                "{year},{m},residential,{},{},{},{youth},0,{}",
                c(res, CellMetric::Starts),
                c(res, CellMetric::Outflow),
                c(res, CellMetric::ActiveEnd),
                cost(res, 300.0)
            );
        }
    }
    out
}

#[test]
fn known_parameters_fall_inside_their_intervals_at_the_stated_rate() {
    let model = prepare(&truth()).model;
    let tmp = tempfile::tempdir().unwrap();
    let forms = vec!["ambulant".to_string(), "residential".to_string()];
    let municipalities = vec!["town".to_string(), "village".to_string()];
    let durations: Vec<_> = (forms.iter())
        .map(|f| {
            model
                .forms
                .iter()
                .find(|m| &m.name == f)
                .unwrap()
                .duration
                .clone()
        })
        .collect();
    let histories = 60;
    let mut hits = [0usize; 4];
    let mut transition = Vec::new();
    for (k, e) in per_replication(&model, 77, histories, |e| e.clone())
        .iter()
        .enumerate()
    {
        let path = tmp.path().join(format!("h{k}.csv"));
        std::fs::write(&path, history_csv(&model, e)).unwrap();
        let history =
            read_history(&path, &forms, &municipalities).unwrap_or_else(|e| panic!("{e}"));
        let base = BaseForms {
            forms: &forms,
            durations: &durations,
            youth: 10_000.0,
        };
        let c = calibrate(&history, 2016 + YEARS as i32 - 1, &base).unwrap();
        let r = &c.rate;
        let t = t95((r.n - 2) as f64);
        // True arrivals per 1,000 youth in the last year: rate × (1 + trend)^7.
        let true_level = RATE * (1.0 + TREND).powi(YEARS as i32 - 1);
        hits[0] += usize::from((r.level.ln() - true_level.ln()).abs() <= t * r.se_log_level);
        hits[1] += usize::from(((1.0 + r.trend).ln() - (1.0 + TREND).ln()).abs() <= t * r.se_trend);
        let d = c.forms["ambulant"].duration.clone().unwrap();
        hits[2] += usize::from((d.mean - AMBULANT_DAYS).abs() <= 1.96 * d.se);
        let entry = c.entry["ambulant"];
        // Entry share: a binomial proportion over all fitted arrivals.
        let arrivals: f64 = c
            .forms
            .values()
            .flat_map(|f| f.arrivals.iter().map(|a| a.1))
            .sum();
        let se = (entry * (1.0 - entry) / arrivals).sqrt();
        hits[3] += usize::from((entry - 0.9).abs() <= 1.96 * se);
        transition.push(c.forms["ambulant"].transitions["residential"]);
    }
    let n = histories as f64;
    let rates: Vec<f64> = hits.iter().map(|h| *h as f64 / n).collect();
    eprintln!(
        "recovery coverage of nominal 95 % intervals over {histories} synthetic histories: \
         level {:.3}, trend {:.3}, ambulant duration {:.3}, entry share {:.3}",
        rates[0], rates[1], rates[2], rates[3]
    );
    // 95 % nominal: four binomial standard errors below is a false alarm
    // about once in 30,000 runs.
    let floor = 0.95 - 4.0 * (0.95f64 * 0.05 / n).sqrt();
    for (name, rate) in ["level", "trend", "duration", "entry"].iter().zip(&rates) {
        assert!(
            *rate >= floor,
            "{name}: coverage {rate:.3} below {floor:.3}"
        );
    }
    let (m, se) = (mean(&transition), std_error(&transition));
    assert!(
        (m - 0.1).abs() < 4.0 * se,
        "transition share {m:.4} ± {se:.4}"
    );
}

fn write_base(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("truth.toml");
    std::fs::write(&path, truth()).unwrap();
    path
}

#[test]
fn calibrate_and_backtest_through_the_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_base(tmp.path());
    let model = prepare(&truth()).model;
    let e = per_replication(&model, 5, 1, |e| e.clone()).remove(0);
    let history = tmp.path().join("history.csv");
    std::fs::write(&history, history_csv(&model, &e)).unwrap();
    let out = tmp.path().join("calibrated.toml");
    let run = jeugdstroom(&[
        "calibrate",
        history.to_str().unwrap(),
        "--base",
        base.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("years 2016–2023"), "{text}");
    assert!(text.contains("[interventions.calibration_level]"));
    let validate = jeugdstroom(&["validate", out.to_str().unwrap()]);
    assert_eq!(validate.code, Some(0), "{}", validate.stderr);

    let dir = tmp.path().join("bt");
    let bt = jeugdstroom(&[
        "backtest",
        history.to_str().unwrap(),
        "--base",
        base.to_str().unwrap(),
        "--fit-until",
        "2020",
        "--replications",
        "40",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(bt.code, Some(0), "{}", bt.stderr);
    assert!(bt.stdout.contains("90 % interval"), "{}", bt.stdout);
    let csv = std::fs::read_to_string(dir.join("backtest.csv")).unwrap();
    // 3 held-out years × 2 forms × (starts, in care, cost).
    assert_eq!(csv.lines().count(), 1 + 3 * 2 * 3, "{csv}");
    assert!(dir.join("backtest.html").exists());
    for bad in ["2017", "2023", "2030"] {
        let r = jeugdstroom(&[
            "backtest",
            history.to_str().unwrap(),
            "--base",
            base.to_str().unwrap(),
            "--fit-until",
            bad,
        ]);
        assert_eq!(r.code, Some(2), "--fit-until {bad}: {}", r.stderr);
        assert!(r.stderr.contains("--fit-until"), "{}", r.stderr);
    }
}

#[test]
fn calibrate_refuses_a_bad_history_with_its_location() {
    let tmp = tempfile::tempdir().unwrap();
    let base = write_base(tmp.path());
    let cases = [
        (
            "year,municipality,care_form,started,ended\n2020,town,ambulant,1,1\n",
            "in_care_end",
            1,
        ),
        (
            "year,municipality,care_form,started,ended,in_care_end\n2020,town,ambulant,10,2,8\n2021,town,ambulant,-3,2,8\n2022,town,ambulant,10,2,8\n",
            "negative",
            3,
        ),
        (
            "year,municipality,care_form,started,ended,in_care_end\n2020,town,ambulant,10,2,8\n2021,town,ambulant,1,50,8\n2022,town,ambulant,10,2,8\n",
            "ended",
            3,
        ),
        (
            "year,municipality,care_form,started,ended,in_care_end\n2020,town,daycare,10,2,8\n2021,town,ambulant,1,2,8\n2022,town,ambulant,10,2,8\n",
            "daycare",
            2,
        ),
        (
            "year,municipality,care_form,started,ended,in_care_end\n2020,town,ambulant,10,2,8\n2021,town,ambulant,10,2,8\n",
            "3 years",
            1,
        ),
    ];
    for (k, (text, needle, line)) in cases.iter().enumerate() {
        let history = tmp.path().join(format!("bad{k}.csv"));
        std::fs::write(&history, text).unwrap();
        let out = jeugdstroom(&[
            "calibrate",
            history.to_str().unwrap(),
            "--base",
            base.to_str().unwrap(),
            "--out",
            tmp.path().join("x.toml").to_str().unwrap(),
        ]);
        assert_eq!(out.code, Some(2), "case {k}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "case {k}: {}", out.stderr);
        let located = format!("bad{k}.csv:{line}:");
        assert!(out.stderr.contains(&located), "case {k}: {}", out.stderr);
        assert!(out.stderr.contains("fix"), "case {k}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
}

/// Writes `examples/truth.toml` and `examples/history-synthetic.csv` (the
/// backtest example of docs/guide.md): `cargo test --release -- --ignored write_example_history`.
#[test]
#[ignore]
fn write_example_history() {
    let dir = Path::new("examples");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("truth.toml"), truth()).unwrap();
    let model = prepare(&truth()).model;
    let e = per_replication(&model, 2024, 1, |e| e.clone()).remove(0);
    std::fs::write(dir.join("history-synthetic.csv"), history_csv(&model, &e)).unwrap();
}
