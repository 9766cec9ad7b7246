//! The municipal budget cycle (seed 004): its mechanics on a constructed
//! exposure against closed forms (a fixed declaration delay makes every lag
//! fraction a ratio of days), its file's identities on a small synthetic
//! run, and the Ouder-Amstel 2020 hindcast against the deficit the memo
//! reports.

use crate::util;

use jeugdstroom::finance::{CycleYear, Ledger};
use jeugdstroom::metrics::{Layout, Metric};
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Draws, Exposure};

/// Municipality `a` (area north) has a budget cycle, `b` (south) none.
/// `amb` costs €100 a client-day, the legacy form `old` €50; the delay from
/// care to the municipality seeing it is `delay` days for every client.
fn scenario(delay: u32, rate: f64, replications: u32) -> String {
    format!(
        r#"
name = "cycle"
[horizon]
start_year = 2020
years = 3
[simulation]
replications = {replications}
[municipalities.a.budget_cycle]
primitieve_begroting = {{ 2020 = 150_000, 2021 = 200_000 }}
burap1 = {{ 2020 = 1_000 }}
burap2 = {{ 2021 = -500 }}
risk_allowance = {{ 2021 = 20_000 }}
one_off = {{ 2021 = 300 }}
realised_deficit = {{ 2021 = 60_000 }}
incidental_forms = ["old"]
burap1_day = 120
burap2_day = 240
closing_days = 60
[municipalities.b]
[areas.north]
youth = {{ a = 1000 }}
[areas.south]
youth = {{ b = 1000 }}
[arrivals]
population_year = 2020
rate_per_1000 = {rate}
entry = {{ amb = 0.9, old = 0.1 }}
priority = {{ regular = 1.0 }}
[care_forms.amb]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 100 }}
tariff = 100
age = [ {{ from = 0, to = 10, weight = 1 }} ]
[care_forms.old]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 300 }}
tariff = 50
age = [ {{ from = 0, to = 10, weight = 1 }} ]
[lumpsum]
region = 400_000
[declaration_lag]
delay = {{ distribution = "fixed", days = {delay} }}
"#
    )
}

fn model(delay: u32) -> Model {
    util::prepare(&scenario(delay, 0.0, 10)).model
}

/// Client-days of `a` per year: amb 1000/2000/3000, old 400/200/100; `b` 500 amb a year.
fn settle(m: &Model) -> Ledger {
    let mut e = Exposure::new(m.years, m.segments.len(), m.forms.len(), m.pools.len());
    let a = m.segments.iter().position(|s| s.municipality == 0).unwrap();
    let b = m.segments.iter().position(|s| s.municipality == 1).unwrap();
    for (y, (amb, old)) in [(1000.0, 400.0), (2000.0, 200.0), (3000.0, 100.0)]
        .into_iter()
        .enumerate()
    {
        *e.cell_mut(y, a, 0, CellMetric::LocalDays) = amb;
        *e.cell_mut(y, a, 1, CellMetric::LocalDays) = old;
        *e.cell_mut(y, b, 0, CellMetric::LocalDays) = 500.0;
    }
    let draws = Draws::new(m.years, m.forms.len(), m.interventions.len());
    jeugdstroom::finance::settle(m, &e, &draws)
}

/// Euros → cents, rounded.
fn c(euros: f64) -> i64 {
    (euros * 100.0).round() as i64
}

fn close(got: i64, want: f64, what: &str) {
    // Lag fractions are kept to nine decimals: at most a cent on these amounts.
    assert!(
        (got - c(want)).abs() <= 1,
        "{what}: {got} cents, want {want} €"
    );
}

#[test]
fn stages_and_split_follow_the_lag_closed_forms() {
    let m = model(200);
    let ledger = settle(&m);
    // Fixed delay 200 days, care spread evenly over the year, accounts closing
    // 60 days after the year end: the own year's share charged to it is
    // (365 + 60 − 200)/365; the rest lands next year. By day 120 nothing of the
    // year is visible, by day 240 (240 − 200)/240 of it; last year's late part
    // booked by day t is ((365 + t − 200) − 225)/365, capped at what is late.
    let own = 225.0 / 365.0;
    let late = 1.0 - own;
    let by = |t: f64| (((365.0 + t - 200.0) / 365.0).min(1.0) - own).max(0.0);
    // Cost of a's care (euros): ongoing, legacy.
    let costs = [
        (100_000.0, 20_000.0),
        (200_000.0, 10_000.0),
        (300_000.0, 5_000.0),
    ];
    let declared = |y: usize| costs[y].0 + costs[y].1;
    let y1: &CycleYear = ledger.cycle(1, 0).expect("2021 has a cycle");
    let prior = declared(0) * late;
    close(y1.prior_year, prior, "prior-year cost");
    assert_eq!(
        (y1.ongoing, y1.legacy, y1.one_off),
        (c(200_000.0), c(10_000.0), c(300.0))
    );
    let burden = 200_000.0 + 10_000.0 + 300.0 + prior;
    close(y1.burden(), burden, "burden");
    assert_eq!(y1.final_budget(), c(199_500.0));
    assert_eq!(y1.structural(), c(200_000.0 - 199_500.0));
    assert_eq!(
        y1.structural() + y1.incidental(),
        y1.deficit(),
        "split adds up"
    );
    close(y1.charged, declared(1) * own + 300.0 + prior, "charged");
    close(
        y1.seen[0],
        210_300.0 + declared(0) * by(120.0),
        "1e Burap sees",
    );
    close(
        y1.seen[1],
        210_300.0 + declared(0) * by(240.0),
        "2e Burap sees",
    );
    close(
        y1.visible[0],
        300.0 + declared(0) * by(120.0),
        "1e Burap run rate",
    );
    close(
        y1.visible[1],
        declared(1) * 40.0 / 240.0 + 300.0 + declared(0) * by(240.0),
        "2e Burap run rate",
    );
    // The first year's prior-year cost is taken at its own level.
    let y0 = ledger.cycle(0, 0).expect("2020 has a cycle");
    close(y0.prior_year, declared(0) * late, "first year");
    assert_eq!(y0.final_budget(), c(151_000.0));
    // No original budget for 2022, no cycle for b.
    assert!(ledger.cycle(2, 0).is_none());
    assert!((0..3).all(|y| ledger.cycle(y, 1).is_none()));
}

#[test]
fn without_a_lag_every_stage_sees_the_year_and_nothing_is_prior() {
    let ledger = settle(&model(0));
    let y1 = ledger.cycle(1, 0).unwrap();
    assert_eq!(y1.prior_year, 0);
    assert_eq!(y1.seen, [y1.burden(); 2]);
    assert_eq!(y1.visible, [y1.burden(); 2]);
    assert_eq!(y1.charged, y1.burden());
}

#[test]
fn cycle_columns_exist_only_where_a_cycle_year_does() {
    let m = model(30);
    let layout = Layout::new(&m);
    let cycle: Vec<_> = layout
        .keys
        .iter()
        .filter(|k| matches!(k.metric, Metric::Cycle(_)))
        .collect();
    assert!(!cycle.is_empty());
    assert!(
        cycle
            .iter()
            .all(|k| k.municipality == "a" && k.year <= 2021)
    );
    let realised = cycle
        .iter()
        .filter(|k| k.metric.name() == "cycle_realised_deficit_eur")
        .count();
    assert_eq!(realised, 1, "only 2021 gives a realised deficit");
}

/// `budget_cycle.csv` of a small synthetic run, as rows of named cells.
fn run_cycle_file() -> Vec<std::collections::HashMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cycle.toml");
    std::fs::write(&path, scenario(45, 12.0, 400)).unwrap();
    let out = dir.path().join("out");
    util::run_into(&[util::path_str(&path)], &out);
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("budget_cycle.csv"),
        "listed in the manifest"
    );
    let mut reader = csv::Reader::from_path(out.join("budget_cycle.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn the_file_adds_up_per_stage() {
    let rows = run_cycle_file();
    assert_eq!(rows.len(), 8, "two years × four stages");
    let eur = |r: &std::collections::HashMap<String, String>, k: &str| -> i64 {
        c(r[k]
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("{k}: {}", r[k])))
    };
    let stages: Vec<&str> = rows.iter().take(4).map(|r| r["stage"].as_str()).collect();
    assert_eq!(
        stages,
        ["primitieve_begroting", "burap1", "burap2", "jaarrekening"]
    );
    for r in &rows {
        let what = format!("{} {}", r["year"], r["stage"]);
        assert_eq!(
            eur(r, "structural_mean_eur") + eur(r, "incidental_mean_eur"),
            eur(r, "deficit_mean_eur"),
            "{what}: structural + incidental"
        );
        assert_eq!(
            eur(r, "prior_year_mean_eur") + eur(r, "legacy_mean_eur") + eur(r, "one_off_mean_eur"),
            eur(r, "incidental_mean_eur"),
            "{what}: incidental parts"
        );
        assert_eq!(
            eur(r, "budget_before_eur") + eur(r, "change_eur"),
            eur(r, "budget_eur"),
            "{what}: budget"
        );
        assert_eq!(
            eur(r, "reserve_p95_eur"),
            eur(r, "deficit_p95_eur").max(0),
            "{what}"
        );
        assert!(eur(r, "deficit_p025_eur") <= eur(r, "deficit_p50_eur"));
        assert!(eur(r, "deficit_p50_eur") <= eur(r, "deficit_p975_eur"));
    }
    // 2021: a raise at the 2e Burap lowers the budget by 500 from there on; the
    // incidental part does not depend on the stage, the structural one does.
    let y21: Vec<_> = rows.iter().filter(|r| r["year"] == "2021").collect();
    assert_eq!(eur(y21[2], "change_eur"), c(-500.0));
    assert_eq!(eur(y21[3], "budget_eur"), c(199_500.0));
    assert_eq!(
        eur(y21[1], "structural_mean_eur") + c(500.0),
        eur(y21[3], "structural_mean_eur")
    );
    assert_eq!(y21[3]["realised_deficit_eur"], "60000.00");
    assert!(y21.iter().all(|r| !r["p_deficit_ge_realised"].is_empty()));
    assert!(
        rows.iter()
            .filter(|r| r["year"] == "2020")
            .all(|r| r["realised_deficit_eur"].is_empty())
    );
}

#[test]
fn ouder_amstel_2020_covers_the_realised_deficit() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/ouder-amstel-2020.toml"
    );
    let replications = 1000;
    let out = dir.path().join("oa");
    util::run_into(&[scenario, "--replications", "1000"], &out);
    let mut reader = csv::Reader::from_path(out.join("budget_cycle.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == "2020" && &r[col("stage")] == "jaarrekening")
        .expect("a 2020 jaarrekening row");
    let eur = |name: &str| row[col(name)].parse::<f64>().unwrap();
    // €845,000 against the budget after the 1e Burap (seed 004 l.4-6) lies in
    // the central 95 % of simulated futures, beyond four standard errors of
    // the estimated share at this replication count.
    assert_eq!(eur("realised_deficit_eur"), 845_000.0);
    assert!(eur("deficit_p025_eur") < 845_000.0 && 845_000.0 < eur("deficit_p975_eur"));
    let p = eur("p_deficit_ge_realised");
    let margin = 4.0 * (0.025 * 0.975 / replications as f64).sqrt();
    assert!(
        p > 0.025 + margin && p < 0.975 - margin,
        "P(deficit ≥ 845 k) = {p}"
    );
    // Component C (costs of earlier years, €208 k net of a €34 k correction,
    // l.95-100) follows from the lag alone — no figure of C went into it.
    let prior = eur("prior_year_mean_eur");
    assert!(
        (150_000.0..300_000.0).contains(&prior),
        "prior-year cost {prior}"
    );
}
