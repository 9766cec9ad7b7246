//! LEF (seed 001 quickscan): one pool of places shared by several paying
//! regions and split by use, bridging care while waiting, and the vacancy
//! surcharge computed from the simulated vacancy. Against Erlang-B/C with
//! tolerances of four standard errors of the replication means, and money
//! conserved to the cent.

use crate::util::*;
use jeugdstroom::analysis::queueing::{erlang_b, erlang_c};
use jeugdstroom::finance::{
    self, Component, MAX_SURCHARGE_VACANCY, simulated_vacancy, surcharge_vacancy,
};
use jeugdstroom::metrics::{Layout, Metric, ScopeKind};
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Exposure, PoolMetric};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const Z: f64 = 4.0;
const YEARS: usize = 8;

/// Three paying regions (youth 1,000 / 2,500 / 3,800 = 7,300), each its own
/// area, one regional pool of `bed` (exponential stays of `mean` days, nobody
/// ages out), `rate` arrivals per 1,000 youth a year.
fn shared_pool(rate: f64, mean: f64, form_extra: &str, regimes: &str) -> String {
    format!(
        r#"
name = "shared-pool"
[horizon]
start_year = 2028
years = {YEARS}
[initial_state]
warmup_years = 1
[municipalities.north]
[municipalities.middle]
[municipalities.south]
[areas.north]
youth = {{ north = 1000 }}
[areas.middle]
youth = {{ middle = 2500 }}
[areas.south]
youth = {{ south = 3800 }}
[arrivals]
population_year = 2028
rate_per_1000 = {rate}
entry = {{ bed = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.bed]
kind = "residential"
duration = {{ distribution = "exponential", mean = {mean} }}
tariff = 100
age = [ {{ from = 0, to = 0.5, weight = 1 }} ]
{form_extra}
[lumpsum]
region = 1_000_000
[regimes]
{regimes}
"#
    )
}

/// Per replication: the mean over years 1.. of the vacancy each year's
/// surcharge was computed from, checking on the way that it is the vacancy
/// simulated the year before (and the given value the first year).
fn surcharge_vacancies(model: &Model, seed: u64, replications: u64, given: f64) -> Vec<f64> {
    per_replication(model, seed, replications, |e| {
        let first = surcharge_vacancy(model, e, 0, 0).to_f64().unwrap();
        assert!((first - given).abs() < 1e-12, "first year: the given value");
        let years = 1..model.years;
        let n = years.len() as f64;
        years
            .map(|y| {
                let used = surcharge_vacancy(model, e, y, 0);
                let before = simulated_vacancy(model, e, y - 1, 0).unwrap();
                assert_eq!(used, before.min(MAX_SURCHARGE_VACANCY), "year {y}");
                used.to_f64().unwrap()
            })
            .sum::<f64>()
            / n
    })
}

/// Loss system M/M/c/c shared by three regions: the simulated vacancy the
/// surcharge uses is 1 − a(1 − B)/c (occupancy = carried load / places).
#[test]
fn surcharge_vacancy_of_a_loss_pool_matches_erlang_b() {
    // c = 5, mean stay 20 days, λ = 10 × 7.3 = 73/year = 0.2/day → a = 4.
    let text = shared_pool(
        10.0,
        20.0,
        r#"capacity = { scope = "region", places = 5, split = "use" }
overflow = { policy = "out_of_region", tariff_multiplier = 1.5 }"#,
        r#"vacancy_basis = "simulated"
expected_vacancy = { bed = 0.25 }"#,
    );
    let model = prepare(&text).model;
    let v = surcharge_vacancies(&model, 21, 200, 0.25);
    let expected = 1.0 - 4.0 * (1.0 - erlang_b(5, 4.0)) / 5.0;
    let (m, se) = (mean(&v), std_error(&v));
    assert!(
        (m - expected).abs() < Z * se,
        "vacancy {m:.4} vs Erlang-B {expected:.4} (se {se:.4})"
    );
    assert!((expected - 0.3593).abs() < 1e-3, "reference value");
}

/// M/M/c with a waiting list shared by three regions: vacancy 1 − a/c, and
/// the bridging days per year are Erlang-C's mean queue length × 365.
#[test]
fn shared_queue_vacancy_and_bridging_days_match_erlang_c() {
    // c = 3, mean stay 10 days, λ = 12 × 7.3 = 87.6/year = 0.24/day → a = 2.4.
    let text = shared_pool(
        12.0,
        10.0,
        r#"capacity = { scope = "region", places = 3, split = "use" }
overflow = { policy = "wait" }
bridging = { tariff = 97.13 }"#,
        r#"vacancy_basis = "simulated""#,
    );
    let model = prepare(&text).model;
    let v = surcharge_vacancies(&model, 22, 300, 0.15);
    let (m, se) = (mean(&v), std_error(&v));
    assert!(
        (m - 0.2).abs() < Z * se,
        "vacancy {m:.4} vs 1 − ρ = 0.2 (se {se:.4})"
    );
    let bridging = per_replication(&model, 23, 300, |e| {
        total(e, CellMetric::WaitingDays, 0..YEARS) / YEARS as f64
    });
    let (m, se) = (mean(&bridging), std_error(&bridging));
    let lq = erlang_c(3, 2.4) * 0.8 / 0.2;
    assert!(
        (m - lq * 365.0).abs() < Z * se,
        "bridging days/year {m:.1} vs Erlang-C L_q × 365 = {:.1} (se {se:.1})",
        lq * 365.0
    );
    assert!(m > 300.0, "clients really wait ({m:.0} days a year)");
}

/// The pool's vacancy and friction cost in cents, from the exposure.
fn pool_cost(e: &Exposure, y: usize, per_unit: Decimal, m: PoolMetric) -> i64 {
    let days = Decimal::new((e.pool(y, 0, m) * 1e6).round() as i64, 6);
    finance::cents(per_unit * days)
}

/// Split by use: every year the regions' parts of the vacancy and friction
/// cost add up to the pool's cost to the cent, each part is the pool's cost
/// × the region's share of occupied place-days (within a cent), and the
/// regions' places add up to the pool's places.
#[test]
fn use_split_conserves_places_and_cost_to_the_cent() {
    let text = shared_pool(
        12.0,
        10.0,
        r#"capacity = { scope = "region", places = { 2028 = 4, 2031 = 3, 2033 = 2 }, split = "use" }
overflow = { policy = "wait" }
fixed_cost_per_place_day = 123.457
friction_cost_per_closed_place = 10_000.01
bridging = { tariff = 97.13 }"#,
        "",
    );
    let model = prepare(&text).model;
    assert!(model.pools[0].split_by_use && model.pools[0].catchment.len() == 3);
    let layout = Layout::new(&model);
    let column = |metric: Metric, y: usize| -> Vec<usize> {
        (0..layout.keys.len())
            .filter(|&i| {
                let k = &layout.keys[i];
                k.metric == metric
                    && k.care_form == "bed"
                    && k.year == 2028 + y as i32
                    && k.scope().0 == ScopeKind::Municipality
            })
            .collect()
    };
    let mut checked = 0;
    for r in per_record(&model, 31, 40, |r| r.clone()) {
        let e = &r.exposure;
        let ledger = finance::settle(&model, e, &r.draws);
        let mut values = Vec::new();
        layout.evaluate(&model, e, &ledger, &mut values);
        for y in 0..YEARS {
            let p = &model.prices;
            let vacancy = pool_cost(e, y, p.place_day[0][y], PoolMetric::VacantDays);
            let closed = Decimal::from(model.closed_places[0][y]);
            let friction = finance::cents(p.friction_per_closed_place[0][y] * closed);
            let part = |s: usize, c: Component| ledger.costs.component(y, s, 0, c);
            for (c, whole) in [
                (Component::Vacancy, vacancy),
                (Component::Friction, friction),
            ] {
                let parts: Vec<i64> = (0..3).map(|s| part(s, c)).collect();
                assert_eq!(parts.iter().sum::<i64>(), whole, "{c:?} year {y}");
                let used: Vec<f64> = (0..3)
                    .map(|s| e.cell(y, s, 0, CellMetric::LocalDays))
                    .collect();
                let all: f64 = used.iter().sum();
                for s in 0..3 {
                    let exact = whole as f64 * used[s] / all;
                    assert!((parts[s] as f64 - exact).abs() <= 1.0, "{c:?} {s} year {y}");
                }
            }
            let places: f64 = column(Metric::Places, y).iter().map(|&i| values[i]).sum();
            let capacity = e.pool(y, 0, PoolMetric::Capacity);
            assert!(
                (places - capacity).abs() < 1e-9,
                "places {places} vs {capacity}"
            );
            let cost: f64 = column(Metric::VacancyCostEur, y)
                .iter()
                .map(|&i| values[i])
                .sum();
            assert_eq!(cost as i64, vacancy, "municipal vacancy cost, year {y}");
            let bridging: i64 = (0..3).map(|s| part(s, Component::Bridging)).sum();
            let waited = (0..3)
                .map(|s| e.cell(y, s, 0, CellMetric::WaitingDays))
                .sum::<f64>();
            assert!(
                (bridging as f64 / 100.0 - 97.13 * waited).abs() <= 0.02,
                "bridging {bridging} cents vs {waited} days × €97.13"
            );
            checked += usize::from(vacancy > 0 && friction > 0);
        }
    }
    assert!(
        checked >= 40,
        "years with both vacancy and friction: {checked}"
    );
}

/// With the youth split (the default) a region that never uses the pool
/// still pays its youth share of the vacancy; split by use it pays nothing.
#[test]
fn use_split_charges_only_the_users() {
    let bed = |split: &str| {
        let text = shared_pool(
            10.0,
            20.0,
            &format!(
                r#"capacity = {{ scope = "region", places = 5{split} }}
overflow = {{ policy = "out_of_region", tariff_multiplier = 1.5 }}
fixed_cost_per_place_day = 100"#
            ),
            "",
        );
        // The north region sends nobody to this pool.
        let text = text.replace(
            "[municipalities.north]",
            "[municipalities.north]\nusage = 0.0",
        );
        prepare(&text).model
    };
    for (split, north_pays) in [("", true), (r#", split = "use""#, false)] {
        let model = bed(split);
        let north = (0..model.segments.len())
            .find(|&s| model.municipalities[model.segments[s].municipality].name == "north")
            .unwrap();
        let paid = per_record(&model, 41, 5, |r| {
            let ledger = finance::settle(&model, &r.exposure, &r.draws);
            (0..YEARS)
                .map(|y| ledger.costs.component(y, north, 0, Component::Vacancy))
                .sum::<i64>()
        });
        assert_eq!(
            paid.iter().all(|&c| c > 0),
            north_pays,
            "split `{split}`: {paid:?}"
        );
        assert_eq!(
            paid.iter().all(|&c| c == 0),
            !north_pays,
            "split `{split}`: {paid:?}"
        );
    }
}

/// A scenario without the new features has none of their columns.
#[test]
fn features_off_add_no_columns() {
    let model = prepare(DEFAULT).model;
    let layout = Layout::new(&model);
    for k in layout.keys.iter() {
        assert!(
            !matches!(
                k.metric,
                Metric::BridgingDays
                    | Metric::BridgingCostEur
                    | Metric::SurchargeVacancy
                    | Metric::PaidSurchargeGivenEur
                    | Metric::PaidSurchargeSimulatedEur
            ),
            "{}",
            k.metric.name()
        );
    }
}

/// The shipped scenario writes `vacancy_surcharge.csv` (first year at the
/// given vacancy, later years at the simulated one), lists it in the
/// manifest, and the bridging and surcharge metrics are in the summary.
#[test]
fn shipped_lef_scenario_writes_the_surcharge_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lef");
    run_into(
        &[
            "scenarios/lef-noord-holland.toml",
            "--replications",
            "30",
            "--seed",
            "3",
        ],
        &out,
    );
    let table = String::from_utf8(read_result(&out, "vacancy_surcharge.csv")).unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 5, "{table}");
    assert_eq!(
        rows[0][..3],
        ["2025", "lef_klinisch", "0.100000"],
        "{table}"
    );
    for row in &rows[1..] {
        let v: f64 = row[2].parse().unwrap();
        let own: f64 = row[5].parse().unwrap();
        assert!(
            v > 0.12 && own > 0.12,
            "simulated vacancy, not the given 10 %: {table}"
        );
    }
    let manifest = String::from_utf8(read_result(&out, "manifest.json")).unwrap();
    assert!(manifest.contains("vacancy_surcharge.csv"));
    let summary = String::from_utf8(read_result(&out, "summary.csv")).unwrap();
    for metric in [
        "bridging_days",
        "bridging_cost_eur",
        "paid_surcharge_simulated_eur",
    ] {
        assert!(summary.contains(&format!(",{metric},")), "{metric}");
    }
    // Two shards merged give the table of the single run, byte for byte.
    let shards: Vec<_> = (1..=2).map(|k| dir.path().join(format!("s{k}"))).collect();
    for (k, shard) in shards.iter().enumerate() {
        let part = format!("{}/2", k + 1);
        run_into(
            &[
                "scenarios/lef-noord-holland.toml",
                "--replications",
                "30",
                "--seed",
                "3",
                "--shard",
                &part,
                "--threads",
                "1",
            ],
            shard,
        );
    }
    let merged = dir.path().join("merged");
    binary()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    assert_eq!(
        read_result(&merged, "vacancy_surcharge.csv"),
        table.as_bytes(),
        "merged shards"
    );
}

#[test]
fn bad_lef_input_is_located() {
    let bed = |extra: &str, regimes: &str| shared_pool(10.0, 20.0, extra, regimes);
    let cases = [
        (
            bed(
                "capacity = { scope = \"region\", places = 5 }\noverflow = { policy = \"out_of_region\", tariff_multiplier = 1.5 }\nbridging = { tariff = 80 }",
                "",
            ),
            "bridging",
            "care_forms.bed.bridging",
        ),
        (
            bed("bridging = { tariff = -1 }", ""),
            "bridging = { tariff = -1 }",
            "care_forms.bed.bridging.tariff",
        ),
        (
            bed("", "vacancy_basis = \"observed\""),
            "vacancy_basis",
            "regimes.vacancy_basis",
        ),
        (
            bed(
                "capacity = { scope = \"region\", places = 5, split = \"equal\" }",
                "",
            ),
            "split",
            "care_forms.bed.capacity",
        ),
    ];
    for (text, at, field) in cases {
        let case = Case::new(&text);
        let line = line_of(&text, at);
        case.validate()
            .input_error(&case.scenario, line, Some(field));
    }
}

/// An almost empty pool (load 0.4 on 10 places): the surcharge's vacancy
/// stops at `MAX_SURCHARGE_VACANCY` instead of paying one occupied day
/// without bound.
#[test]
fn surcharge_vacancy_is_capped() {
    let text = shared_pool(
        1.0,
        20.0,
        r#"capacity = { scope = "region", places = 10, split = "use" }"#,
        r#"vacancy_basis = "simulated""#,
    );
    let model = prepare(&text).model;
    let capped = per_replication(&model, 51, 20, |e| {
        (1..YEARS)
            .filter(|&y| {
                let before = simulated_vacancy(&model, e, y - 1, 0).unwrap();
                let used = surcharge_vacancy(&model, e, y, 0);
                assert!(used <= MAX_SURCHARGE_VACANCY, "year {y}: {used}");
                before > MAX_SURCHARGE_VACANCY && used == MAX_SURCHARGE_VACANCY
            })
            .count()
    });
    let years: usize = capped.iter().sum();
    assert!(years > 100, "capped years: {years} of {}", 20 * (YEARS - 1));
}
