//! Financing regimes that switch by year (`[regimes] schedule`): the
//! scheduled regime pays what the regime in force pays, the headline
//! (P(overrun), balance) follows it, no contract adjustment follows a per-use
//! year, a scenario without a schedule has no extra columns, and a schedule
//! that leaves a year without a regime is refused at its line.

use crate::util::{self, Case, line_of, run_into};
use jeugdstroom::finance::{Ledger, Regime};
use jeugdstroom::metrics::{ALL, Layout, Metric};
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Draws, Exposure, PoolMetric};

/// One municipality, one provider, a form `bed` with 50 regional places at
/// €100 per client-day plus €100 per place-day, and a €1 M lumpsum: the
/// places cost €1.825 M a year whatever their use, so under `per_day`
/// (occupied days only) the municipality pays far less than the cost.
fn scenario(arrivals: f64, regimes: &str) -> String {
    format!(
        r#"
name = "schedule"
[horizon]
start_year = 2028
years = 3
[municipalities.town]
[areas.centre]
youth = {{ town = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = {arrivals}
entry = {{ bed = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.bed]
kind = "residential"
duration = {{ distribution = "exponential", mean = 30 }}
tariff = 100
age = [ {{ from = 0, to = 0.5, weight = 1 }} ]
capacity = {{ scope = "region", places = 50 }}
fixed_cost_per_place_day = 100
[lumpsum]
region = 1_000_000
[regimes]
{regimes}
"#
    )
}

const PER_DAY_THEN_LUMPSUM: &str = r#"schedule = { 2028 = "per_day", 2030 = "lumpsum" }"#;

/// `days` client-days (all occupied) in year `y`, the rest of the 50 places vacant.
fn occupy(e: &mut Exposure, y: usize, days: f64) {
    *e.cell_mut(y, 0, 0, CellMetric::LocalDays) = days;
    *e.cell_mut(y, 0, 0, CellMetric::ClientDays) = days;
    *e.pool_mut(y, 0, PoolMetric::VacantDays) = 50.0 * 365.0 - days;
}

fn settle(model: &Model, e: &Exposure) -> Ledger {
    let draws = Draws::new(model.years, model.forms.len(), model.interventions.len());
    jeugdstroom::finance::settle(model, e, &draws)
}

fn exposure(model: &Model) -> Exposure {
    Exposure::new(
        model.years,
        model.segments.len(),
        model.forms.len(),
        model.pools.len(),
    )
}

/// The region's value of `metric` in horizon year `y`.
fn region(layout: &Layout, values: &[f64], metric: Metric, y: i32) -> f64 {
    let at = layout.keys.iter().position(|k| {
        k.year == 2028 + y
            && k.metric == metric
            && k.is_party_total()
            && k.provider == ALL
            && k.municipality == ALL
    });
    values[at.unwrap_or_else(|| panic!("no region {} in {}", metric.name(), 2028 + y))]
}

#[test]
fn the_scheduled_regime_pays_what_the_regime_in_force_pays_and_the_claim_follows_it() {
    let model = util::prepare(&scenario(0.0, PER_DAY_THEN_LUMPSUM)).model;
    let mut e = exposure(&model);
    for y in 0..3 {
        occupy(&mut e, y, 1_000.0);
    }
    let ledger = settle(&model, &e);
    // Cost: 1,000 × €100 + 18,250 place-days × €100 = €1,925,000; per_day pays
    // the client-days and the occupied place-days: €200,000.
    for y in 0..3 {
        assert_eq!(ledger.provider(y, 0).cost, 192_500_000);
        assert_eq!(ledger.regime_paid_to(y, Regime::PerDay, 0), 20_000_000);
    }
    for (y, in_force) in [
        (0, Regime::PerDay),
        (1, Regime::PerDay),
        (2, Regime::Lumpsum),
    ] {
        assert_eq!(
            ledger.regime_paid_to(y, Regime::Scheduled, 0),
            ledger.regime_paid_to(y, in_force, 0),
            "provider paid in year {y}"
        );
        assert_eq!(
            ledger.regime_paid_by(y, Regime::Scheduled, 0),
            ledger.regime_paid_by(y, in_force, 0),
            "municipality pays in year {y}"
        );
    }
    let layout = Layout::new(&model);
    let mut values = Vec::new();
    layout.evaluate(&model, &e, &ledger, &mut values);
    // In a p×q year the budget must cover the €200,000 paid, in the lumpsum
    // year the lumpsum must cover the €1.925 M cost (cents).
    let claims: Vec<f64> = (0..3)
        .map(|y| region(&layout, &values, Metric::BudgetClaimEur, y))
        .collect();
    assert_eq!(claims, vec![20_000_000.0, 20_000_000.0, 192_500_000.0]);
    let balances: Vec<f64> = (0..3)
        .map(|y| region(&layout, &values, Metric::BalanceEur, y))
        .collect();
    assert_eq!(balances, vec![80_000_000.0, 80_000_000.0, -92_500_000.0]);
}

#[test]
fn no_contract_adjustment_follows_a_per_use_year() {
    // Cost far below the lumpsum in every year: the downward rule fires after
    // a lumpsum year (once: the lumpsum then sits at the cost level), never
    // after a p×q year.
    let adjusted = |regimes: &str| -> Vec<bool> {
        let text = scenario(0.0, regimes).replace(
            "fixed_cost_per_place_day = 100",
            "fixed_cost_per_place_day = 0",
        );
        let model = util::prepare(&text).model;
        let mut e = exposure(&model);
        for y in 0..3 {
            occupy(&mut e, y, 100.0);
        }
        let ledger = settle(&model, &e);
        (0..3)
            .map(|y| ledger.provider(y, 0).adjusted_down)
            .collect()
    };
    assert_eq!(adjusted(""), vec![false, true, false], "without a schedule");
    let per_day_first = r#"schedule = { 2028 = "per_day", 2029 = "lumpsum" }"#;
    assert_eq!(adjusted(per_day_first), vec![false, false, true]);
    let lumpsum_first = r#"schedule = { 2020 = "lumpsum", 2029 = "per_day" }"#;
    assert_eq!(adjusted(lumpsum_first), vec![false, true, false]);
}

/// A feasibility.csv column of one party, by year.
fn feasibility(dir: &std::path::Path, scope: &str, column: &str) -> Vec<f64> {
    let mut reader = csv::Reader::from_path(dir.join("feasibility.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (s, c) = (at("scope"), at(column));
    (reader.records().map(Result::unwrap))
        .filter(|r| &r[s] == scope)
        .map(|r| r[c].parse().unwrap())
        .collect()
}

#[test]
fn the_headline_follows_the_regime_in_force() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("s.toml");
    // 50 clients a year of 30 days: about 1,500 client-days, so per_day pays
    // about €0.3 M and the cost is about €2.0 M against a €1 M lumpsum —
    // whatever the draws, p×q years never overrun and lumpsum years always do.
    std::fs::write(&path, scenario(50.0, PER_DAY_THEN_LUMPSUM)).unwrap();
    let out = tmp.path().join("out");
    run_into(&[path.to_str().unwrap(), "--replications", "20"], &out);
    assert_eq!(
        feasibility(&out, "region", "p_overrun"),
        vec![0.0, 0.0, 1.0]
    );
    assert_eq!(
        feasibility(&out, "municipality", "p_overrun"),
        vec![0.0, 0.0, 1.0]
    );
    // A provider paid per day bears the empty places: a loss every year.
    assert_eq!(feasibility(&out, "provider", "p_overrun"), vec![1.0; 3]);
    let paid = feasibility(&out, "provider", "lumpsum_eur");
    assert!(paid[0] < 400_000.0 && paid[2] == 1_000_000.0, "{paid:?}");
    let claim = feasibility(&out, "region", "cost_mean_eur");
    assert!(claim[0] < 400_000.0 && claim[2] > 1_800_000.0, "{claim:?}");
    let regimes = std::fs::read_to_string(out.join("regimes.csv")).unwrap();
    assert_eq!(regimes.matches(",scheduled,").count(), 3, "{regimes}");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.contains(",budget_claim_eur,"));
    assert!(summary.contains(",paid_scheduled_eur,"));

    // The same scenario without a schedule: the usual comparison and columns.
    std::fs::write(&path, scenario(50.0, "")).unwrap();
    let plain = tmp.path().join("plain");
    run_into(&[path.to_str().unwrap(), "--replications", "20"], &plain);
    assert_eq!(feasibility(&plain, "region", "p_overrun"), vec![1.0; 3]);
    let summary = std::fs::read_to_string(plain.join("summary.csv")).unwrap();
    for absent in ["budget_claim_eur", "scheduled"] {
        assert!(!summary.contains(absent), "{absent} without a schedule");
    }
    let regimes = std::fs::read_to_string(plain.join("regimes.csv")).unwrap();
    assert!(!regimes.contains("scheduled"));
}

#[test]
fn a_schedule_that_leaves_a_year_without_a_regime_is_refused_at_its_line() {
    for (schedule, at, field) in [
        (
            r#"schedule = { 2029 = "lumpsum" }"#,
            "schedule = {",
            "regimes.schedule",
        ),
        (
            r#"schedule = { 2028 = "per_day", 2031 = "lumpsum" }"#,
            "schedule = {",
            "regimes.schedule.2031",
        ),
        (
            r#"schedule = { 2028 = "per_day", next = "lumpsum" }"#,
            "schedule = {",
            "regimes.schedule.next",
        ),
        (
            r#"schedule = { 2028 = "per_month" }"#,
            "schedule = {",
            "regimes.schedule.2028",
        ),
    ] {
        let text = scenario(1.0, schedule);
        let case = Case::new(&text);
        let out = case.validate();
        out.input_error(&case.scenario, line_of(&text, at), Some(field));
        case.run().rejected();
    }
}
