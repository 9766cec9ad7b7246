//! `capacity`: Erlang-based advice, confirmed by simulation, and the
//! 85 %-occupancy rule shown to under-provide a small unit.

use crate::util::{self, binary};
use jeugdstroom::analysis::queueing::erlang_b;

#[test]
fn advice_meets_the_target_in_simulation_and_beats_the_85_percent_rule() {
    let tmp = tempfile::tempdir().unwrap();
    // λ = 0.2/day, mean stay 20 days → offered load 4 Erlang; out-of-region when full (loss system).
    let text = util::single_form(
        73.0,
        r#"{ distribution = "exponential", mean = 20 }"#,
        "capacity = { scope = \"region\", places = 5 }\noverflow = { policy = \"out_of_region\", tariff_multiplier = 1.5 }\nfixed_cost_per_place_day = 100",
        1,
        2,
    );
    let scenario = tmp.path().join("small.toml");
    std::fs::write(&scenario, text).unwrap();
    let out = tmp.path().join("capacity.csv");
    binary()
        .arg("capacity")
        .arg(&scenario)
        .args(["--target", "0.95", "--replications", "300", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    let num = |i: usize| r[i].parse::<f64>().unwrap();
    // Offered load ≈ 4 (Poisson mean per day-average; 300 replications of a year).
    assert!((num(3) - 4.0).abs() < 0.2, "load {}", num(3));
    // B(7, 4) = 0.063 > 5 % ≥ B(8, 4) = 0.030: eight places.
    assert_eq!(&r[7], "8");
    // The simulation confirms: the share admitted at once is about 1 − B(8, 4) = 0.970.
    let simulated = num(9);
    let n_starts: f64 = 300.0 * 73.0;
    let tolerance = 4.0 * (0.03f64 * 0.97 / n_starts).sqrt() * 3.0; // correlated within a year: ×3
    assert!(
        (simulated - 0.9696).abs() < tolerance,
        "simulated {simulated}"
    );
    // 85 % occupancy gives 5 places and admits only 80 % at once (1 − B(5, 4)).
    assert_eq!(&r[12], "5");
    let expected = 1.0 - erlang_b(5, num(3));
    assert!(
        (num(13) - expected).abs() < 1e-4 && num(13) < 0.85,
        "{} vs {expected}",
        num(13)
    );
    // Vacancy cost of the advice: (8 − 4 × 0.970) empty places × €100 × 365.
    assert!((num(11) - (8.0 - num(3) * 0.9696) * 36_500.0).abs() < 36_500.0 * 0.25);
}

#[test]
fn capacity_rejects_a_target_outside_zero_one() {
    binary()
        .args([
            "capacity",
            "scenarios/amsterdam-duo.toml",
            "--target",
            "1.5",
        ])
        .assert()
        .code(2);
}

/// Pooling: two areas sharing one regional pool need fewer places for the
/// same admission target than two separate area pools (seed 000 L1161-1167).
#[test]
fn pooling_two_areas_lowers_the_places_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = |capacity: &str| {
        format!(
            r#"
name = "two-areas"
[horizon]
start_year = 2028
years = 1
[initial_state]
warmup_years = 2
[municipalities.east_town]
[municipalities.west_town]
[areas.east]
youth = {{ east_town = 1000 }}
[areas.west]
youth = {{ west_town = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 109.5
entry = {{ bed = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.bed]
kind = "residential"
duration = {{ distribution = "exponential", mean = 20 }}
tariff = 100
age = [ {{ from = 0, to = 0.5, weight = 1 }} ]
capacity = {capacity}
overflow = {{ policy = "out_of_region", tariff_multiplier = 1.5 }}
[lumpsum]
region = 1_000_000
"#
        )
    };
    let advise = |name: &str, capacity: &str| -> Vec<u32> {
        let path = tmp.path().join(format!("{name}.toml"));
        std::fs::write(&path, scenario(capacity)).unwrap();
        let out = tmp.path().join(format!("{name}.csv"));
        binary()
            .arg("capacity")
            .arg(&path)
            .args(["--target", "0.95", "--replications", "200", "--out"])
            .arg(&out)
            .assert()
            .success();
        csv::Reader::from_path(&out)
            .unwrap()
            .records()
            .map(|r| r.unwrap()[7].parse().unwrap())
            .collect()
    };
    let separate = advise(
        "areas",
        r#"{ scope = "area", places = { east = 5, west = 5 } }"#,
    );
    let pooled = advise("region", r#"{ scope = "region", places = 10 }"#);
    assert_eq!(separate.len(), 2);
    assert_eq!(pooled.len(), 1);
    // Load 6 Erlang per area (0.3 a day × 20 days): 10 places each; pooled
    // load 12: 17 places instead of 20. Both answers hold for any load
    // within ±3 % (the load estimate's standard error is about 1 %).
    assert_eq!(separate, vec![10, 10]);
    assert_eq!(pooled, vec![17]);
    for a in [5.82, 6.0, 6.18] {
        assert!(erlang_b(10, a) <= 0.05 && erlang_b(9, a) > 0.05);
        assert!(erlang_b(17, 2.0 * a) <= 0.05 && erlang_b(16, 2.0 * a) > 0.05);
    }
}
