//! Contract and finance rules on constructed exposures (pure functions):
//! money adds up to the cent, each adjustment rule fires exactly when its
//! condition holds, regimes differ as arithmetic predicts, and municipal
//! shares are revised prospectively.

use crate::util;

use jeugdstroom::finance::Ledger;
use jeugdstroom::finance::{REGIMES, Regime};
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Draws, Exposure, PoolMetric};

/// Two municipalities in two areas; `amb` (unlimited, €100/day) by provider
/// `p1`, `bed` (10 regional places, €190/day + €10 per place-day) by `p2`.
fn scenario(contract: &str) -> String {
    format!(
        r#"
name = "finance"
[horizon]
start_year = 2028
years = 3
[municipalities.a]
lumpsum = 600_000
[municipalities.b]
lumpsum = 400_000
[areas.north]
youth = {{ a = 1000 }}
[areas.south]
youth = {{ b = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 0
entry = {{ amb = 1.0 }}
priority = {{ regular = 1.0 }}
[care_forms.amb]
kind = "ambulant"
duration = {{ distribution = "fixed", days = 100 }}
tariff = 100
age = [ {{ from = 0, to = 10, weight = 1 }} ]
[care_forms.bed]
kind = "residential"
duration = {{ distribution = "fixed", days = 100 }}
tariff = 190
age = [ {{ from = 0, to = 10, weight = 1 }} ]
capacity = {{ scope = "region", places = 10 }}
fixed_cost_per_place_day = 10
[providers.p1]
forms = ["amb"]
share = 0.6
carries_fixed_costs = true
[providers.p2]
forms = ["bed"]
share = 0.4
[lumpsum]
region = 1_000_000
{contract}
"#
    )
}

fn model(contract: &str) -> Model {
    util::prepare(&scenario(contract)).model
}

/// Segments: 0 = (a, north), 1 = (b, south). Forms: 0 = amb, 1 = bed.
fn exposure(model: &Model) -> Exposure {
    Exposure::new(
        model.years,
        model.segments.len(),
        model.forms.len(),
        model.pools.len(),
    )
}

/// Settles a constructed exposure with neutral parameter draws.
fn settle(model: &Model, e: &Exposure) -> Ledger {
    let draws = Draws::new(model.years, model.forms.len(), model.interventions.len());
    jeugdstroom::finance::settle(model, e, &draws)
}

fn set_bed_days(model: &Model, e: &mut Exposure, year: usize, days: f64) {
    *e.cell_mut(year, 0, 1, CellMetric::LocalDays) = days;
    *e.cell_mut(year, 0, 1, CellMetric::ClientDays) = days;
    *e.pool_mut(year, 0, PoolMetric::VacantDays) = 0.0;
    let _ = model;
}

#[test]
fn money_adds_up_to_the_cent() {
    let m = model("");
    let mut e = exposure(&m);
    for y in 0..3 {
        for s in 0..2 {
            *e.cell_mut(y, s, 0, CellMetric::LocalDays) = 1_234.567_891 * (y + s + 1) as f64;
            *e.cell_mut(y, s, 0, CellMetric::Starts) = 7.0 + s as f64;
        }
        set_bed_days(&m, &mut e, y, 999.999_999);
        *e.pool_mut(y, 0, PoolMetric::VacantDays) = 2_650.000_001;
    }
    let ledger = settle(&m, &e);
    for y in 0..3 {
        let providers: Vec<_> = (0..2).map(|p| ledger.provider(y, p).clone()).collect();
        let municipalities: Vec<_> = (0..2).map(|i| ledger.municipality(y, i).clone()).collect();
        let lumpsums: i64 = providers.iter().map(|p| p.lumpsum).sum();
        if y == 0 {
            assert_eq!(
                lumpsums, 100_000_000,
                "Σ provider lumpsums = region lumpsum (cents)"
            );
        }
        assert_eq!(
            municipalities.iter().map(|x| x.contribution).sum::<i64>(),
            lumpsums,
            "Σ contributions = Σ lumpsums"
        );
        let by_segment: i64 = (0..2).map(|s| ledger.costs.segment_total(y, s)).sum();
        let by_form: i64 = (0..2)
            .map(|f| (0..2).map(|s| ledger.costs.get(y, s, f)).sum::<i64>())
            .sum::<i64>()
            + (0..2).map(|s| ledger.costs.fixed(y, s)).sum::<i64>();
        assert_eq!(by_form, by_segment, "costs by form sum to the total");
        assert_eq!(
            providers.iter().map(|p| p.cost).sum::<i64>(),
            by_segment,
            "Σ provider costs = total"
        );
        assert_eq!(
            municipalities.iter().map(|x| x.own_cost).sum::<i64>(),
            by_segment,
            "Σ own costs = total"
        );
    }
    // 1234.567891 days × €100 = €123,456.79 for (a, amb) in year 0.
    assert_eq!(ledger.costs.get(0, 0, 0), 12_345_679);
}

#[test]
fn downward_adjustment_exactly_at_the_threshold_and_next_year_only() {
    let m = model("[contract]\ndownward_threshold = 0.05");
    // p2's lumpsum is €400,000; at €200 per bed-day, 1,900 days cost exactly 5 % less.
    for (days, expect) in [(1920.0, false), (1900.0, true), (1899.0, true)] {
        let mut e = exposure(&m);
        for y in 0..3 {
            set_bed_days(&m, &mut e, y, days);
            *e.cell_mut(y, 0, 0, CellMetric::LocalDays) = 6000.0; // p1 at its lumpsum
        }
        let ledger = settle(&m, &e);
        let p2: Vec<_> = (0..3).map(|y| ledger.provider(y, 1).clone()).collect();
        assert!(!p2[0].adjusted_down, "never retroactive");
        assert_eq!(p2[0].lumpsum, 40_000_000);
        assert_eq!(p2[1].adjusted_down, expect, "{days} days");
        if expect {
            // Set to the cost level from the next year on.
            assert_eq!(p2[1].lumpsum, (days * 200.0 * 100.0) as i64);
            assert!(
                !p2[2].adjusted_down,
                "cost now equals the lumpsum: no second cut"
            );
        } else {
            assert_eq!(p2[1].lumpsum, 40_000_000);
        }
        let p1 = ledger.provider(1, 0);
        assert!(
            !p1.adjusted_down && !p1.adjusted_up_growth,
            "p1 is on budget"
        );
        assert_eq!(p2[0].result, 40_000_000 - (days * 200.0 * 100.0) as i64);
        assert_eq!(
            p2[2].cumulative_result,
            p2.iter().map(|p| p.result).sum::<i64>()
        );
    }
}

#[test]
fn upward_adjustments_on_growth_and_shock_at_most_one_a_year() {
    // North's youth grows 10 % in 2029 (south is flat): p1 and p2 serve both
    // areas, so their population grows (1100 + 1000) / 2000 − 1 = 5 % in 2029,
    // 2 points above the threshold.
    let growth = "[areas.north.growth]\n2029 = 0.10\n2030 = 0.0\n";
    let m = model(&format!(
        "[contract]\nupward_growth_threshold = 0.03\nshocks = {{ 2030 = 0.05 }}\n{growth}"
    ));
    let mut e = exposure(&m);
    for y in 0..3 {
        set_bed_days(&m, &mut e, y, 2000.0);
        *e.cell_mut(y, 0, 0, CellMetric::LocalDays) = 6000.0;
    }
    // Simulated inflow rises 50 % a year: not the population, so no adjustment.
    for y in 0..3 {
        *e.cell_mut(y, 0, 0, CellMetric::Inflow) = 100.0 * 1.5f64.powi(y as i32);
    }
    let ledger = settle(&m, &e);
    // Growth in 2029 would raise 2030, but 2030 has a declared shock: one adjustment only.
    let p1 = ledger.provider(2, 0);
    assert!(p1.adjusted_up_shock && !p1.adjusted_up_growth);
    assert_eq!(p1.lumpsum, 63_000_000, "shock: +5 % on €600,000");
    // Without the shock the growth rule fires for 2030: +2 %.
    let m = model(&format!(
        "[contract]\nupward_growth_threshold = 0.03\n{growth}"
    ));
    let ledger = settle(&m, &e);
    let p1 = ledger.provider(2, 0);
    assert!(p1.adjusted_up_growth && !p1.adjusted_up_shock);
    assert_eq!(p1.lumpsum, 61_200_000);
    assert!(
        !ledger.provider(1, 0).adjusted_up_growth,
        "a flat population in 2028 raises nothing for 2029, whatever the inflow"
    );
    // Extra costs are shared pro rata: contributions still add up.
    let total: i64 = (0..2).map(|p| ledger.provider(2, p).lumpsum).sum();
    assert_eq!(
        (0..2)
            .map(|i| ledger.municipality(2, i).contribution)
            .sum::<i64>(),
        total
    );
}

#[test]
fn per_trajectory_and_per_day_differ_as_arithmetic_predicts() {
    // Seed 004: a €10,000 trajectory against two episodes of €7,500 actual cost.
    let m = model("[regimes]\ntrajectory_price = { amb = 10_000 }");
    let mut e = exposure(&m);
    *e.cell_mut(0, 0, 0, CellMetric::Starts) = 2.0;
    *e.cell_mut(0, 0, 0, CellMetric::LocalDays) = 150.0; // 2 × 75 days × €100
    let ledger = settle(&m, &e);
    let per_day = ledger.regime_paid_to(0, Regime::PerDay, 0);
    let per_trajectory = ledger.regime_paid_to(0, Regime::PerTrajectory, 0);
    assert_eq!(per_day, 1_500_000);
    assert_eq!(per_trajectory, 2_000_000);
    assert_eq!(
        per_trajectory - per_day,
        500_000,
        "2 × €10,000 − 2 × €7,500"
    );
    // The municipality pays what its residents' care is paid under each regime.
    assert_eq!(
        ledger.regime_paid_by(0, Regime::PerTrajectory, 0),
        per_trajectory
    );
    assert_eq!(REGIMES.len(), 5);
}

#[test]
fn availability_revenue_does_not_depend_on_occupancy() {
    let m = model("");
    let paid = |occupied: f64| {
        let mut e = exposure(&m);
        set_bed_days(&m, &mut e, 0, occupied);
        *e.pool_mut(0, 0, PoolMetric::VacantDays) = 3650.0 - occupied;
        let ledger = settle(&m, &e);
        (
            ledger.regime_paid_to(0, Regime::Availability, 1),
            ledger.regime_paid_to(0, Regime::PerDay, 1),
        )
    };
    let (low, low_per_day) = paid(1500.0);
    let (high, high_per_day) = paid(3400.0);
    assert_eq!(low, high, "availability pays kept places, not use");
    assert!(high_per_day > low_per_day, "per day does depend on use");
    // 3,650 place-days × (€190 × 0.85 + €10).
    assert_eq!(
        low,
        (3650.0 * (190.0 * 0.85 + 10.0) * 100.0f64).round() as i64
    );
}

#[test]
fn shares_are_revised_prospectively_by_reach_times_average_cost() {
    let m = model("");
    let mut e = exposure(&m);
    // In 2028 b's residents use twice the care of a's.
    *e.cell_mut(0, 0, 0, CellMetric::Starts) = 10.0;
    *e.cell_mut(0, 0, 0, CellMetric::LocalDays) = 1000.0;
    *e.cell_mut(0, 1, 0, CellMetric::Starts) = 20.0;
    *e.cell_mut(0, 1, 0, CellMetric::LocalDays) = 2000.0;
    let ledger = settle(&m, &e);
    let share = |y: usize, i: usize| ledger.municipality(y, i).share;
    use rust_decimal::Decimal;
    // 2028 keeps the budget table's shares: no retroactive correction.
    assert_eq!(share(0, 0), Decimal::new(6, 1));
    assert_eq!(share(0, 1), Decimal::new(4, 1));
    // 2029 follows reach × average cost: one third and two thirds.
    let third = Decimal::new(333_333_333, 9);
    assert_eq!(share(1, 0), third);
    assert_eq!(share(1, 1), Decimal::new(666_666_667, 9));
    let total: i64 = (0..2).map(|p| ledger.provider(1, p).lumpsum).sum();
    assert_eq!(
        ledger.municipality(1, 0).contribution + ledger.municipality(1, 1).contribution,
        total
    );
    // Both providers were ≥ 5 % under budget in 2028, so 2029's lumpsums were cut to cost.
    assert_eq!(total, 30_000_000);
    assert_eq!(ledger.municipality(1, 0).contribution, 10_000_000);
}

#[test]
fn indexation_applies_to_costs_and_lumpsum_with_the_gap_switch() {
    use rust_decimal::Decimal;
    let index = |gap: &str| {
        model(&format!(
            "[indexation]\nbase_year = 2026\ncosts = 0.10\nlumpsum = 0.05\ngap = \"{gap}\""
        ))
    };
    let m = index("shrinks_task");
    // Two years of indexation to 2028: costs × 1.21, lumpsum × 1.1025.
    assert_eq!(m.prices.tariff[0][0], Decimal::new(12100, 2));
    assert_eq!(m.prices.tariff[0][1], Decimal::new(13310, 2));
    assert_eq!(m.prices.place_day[1][0], Decimal::new(1210, 2));
    assert_eq!(m.prices.lumpsum_region[0], Decimal::new(110_250_000, 2));
    let m = index("follows_costs");
    assert_eq!(m.prices.lumpsum_region[0], Decimal::new(121_000_000, 2));
}

#[test]
fn lumpsum_trend_extension_and_savings_targets() {
    use rust_decimal::Decimal;
    let text = scenario("")
        .replace(
            "region = 1_000_000",
            "region = { 2028 = 1_000_000 }\nextend = \"trend\"\ntrend = -0.1",
        )
        .replace(
            "lumpsum = 600_000",
            "lumpsum = { 2028 = 600_000 }\nsavings_target = 50_000",
        )
        .replace("lumpsum = 400_000", "lumpsum = { 2028 = 400_000 }");
    let m = util::prepare(&text).model;
    let region: Vec<Decimal> = m.prices.lumpsum_region.clone();
    assert_eq!(
        region,
        vec![
            Decimal::new(950_000, 0),
            Decimal::new(850_000, 0),
            Decimal::new(760_000, 0)
        ]
    );
    assert_eq!(
        m.prices.lumpsum_municipality[0][0],
        Decimal::new(550_000, 0)
    );
    assert_eq!(
        m.prices.lumpsum_municipality[0][1],
        Decimal::new(490_000, 0)
    );
}

#[test]
fn declaration_lag_moves_cost_into_later_bookings() {
    let lagged = |days: u32| {
        model(&format!(
            "[declaration_lag]\ndelay = {{ distribution = \"fixed\", days = {days} }}"
        ))
    };
    let fill = |m: &Model| {
        let mut e = exposure(m);
        for (y, d) in [(0, 1000.0), (1, 2000.0), (2, 3000.0)] {
            *e.cell_mut(y, 0, 0, CellMetric::LocalDays) = d;
        }
        settle(m, &e)
    };
    let none = fill(&lagged(0));
    assert_eq!(none.booked, vec![10_000_000, 20_000_000, 30_000_000]);
    assert_eq!(none.midyear_seen, none.booked);
    // A full year late: every year books the year before (before the horizon: the first year's level).
    let year = fill(&lagged(365));
    assert_eq!(year.booked, vec![10_000_000, 10_000_000, 20_000_000]);
    assert_eq!(year.midyear_seen, vec![0, 0, 0]);
    // 91 days late: a quarter of the year's cost lands next year; a mid-year
    // report sees half of the first half-year booked.
    let quarter = fill(&lagged(91));
    let same_year = 1.0 - 91.0 / 365.0;
    let expect =
        |cost: f64, before: f64| ((same_year * cost + (1.0 - same_year) * before) * 100.0) as i64;
    for (y, (cost, before)) in [
        (100_000.0, 100_000.0),
        (200_000.0, 100_000.0),
        (300_000.0, 200_000.0),
    ]
    .iter()
    .enumerate()
    {
        let tolerance = 0.001 * cost * 100.0; // fractions are taken from 200,000 stratified draws
        assert!(
            (quarter.booked[y] - expect(*cost, *before)).abs() as f64 <= tolerance,
            "year {y}: {}",
            quarter.booked[y]
        );
    }
    let seen = (182.5 - 91.0) / 182.5;
    assert!((quarter.midyear_seen[0] as f64 / 10_000_000.0 - seen).abs() < 0.001);
}
