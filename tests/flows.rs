//! Client flows the planners ask about: demand trends per care form and per
//! area, the autonomous-growth adjustment following the youth population,
//! waiting split into at home and blocked, the share of starts that waited,
//! and out-of-region placements that leave the region's flows. Tolerances are
//! four standard errors derived from the replication count.

use crate::util::*;
use jeugdstroom::analysis::queueing::erlang_c;
use jeugdstroom::calendar::DAYS_PER_YEAR;
use jeugdstroom::metrics::{ALL, Layout, Metric};
use jeugdstroom::record::CellMetric;

const Z: f64 = 4.0;

/// Two areas (one municipality in each), two entry forms, 1,000 youth each,
/// 100 arrivals per 1,000 youth per year; `extra` is appended.
fn two_by_two(years: u32, extra: &str) -> String {
    format!(
        r#"
name = "two-by-two"
[horizon]
start_year = 2028
years = {years}
[municipalities.town]
[municipalities.village]
[areas.north]
youth = {{ town = 1000 }}
[areas.south]
youth = {{ village = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 100
trend = 0.1
entry = {{ light = 0.5, heavy = 0.5 }}
priority = {{ regular = 1.0 }}
[care_forms.light]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 30 }}
tariff = 50
age = [ {{ from = 0, to = 1, weight = 1 }} ]
[care_forms.heavy]
kind = "residential"
duration = {{ distribution = "exponential", mean = 30 }}
tariff = 300
age = [ {{ from = 0, to = 1, weight = 1 }} ]
[lumpsum]
region = 1_000_000
{extra}
"#
    )
}

/// A form's own trend replaces `arrivals.trend` for that form, and an area's
/// trend is added for arrivals from that area: arrivals from area a into
/// form f in year k have mean 50 × (1 + trend_f + trend_a)^k. Checked on the
/// compiled rates exactly, and on simulated counts against the Poisson sd
/// √(mean / n) of the mean of n replications.
#[test]
fn trends_per_care_form_and_per_area_shape_the_arrivals() {
    let text = two_by_two(3, "")
        .replace(
            "kind = \"residential\"",
            "kind = \"residential\"\ntrend = -0.2",
        )
        .replace(
            "youth = { village = 1000 }",
            "youth = { village = 1000 }\ntrend = 0.05",
        );
    let model = prepare(&text).model;
    // Segments in area order: north (town), south (village); forms in name order.
    let trend = |segment: usize, form: usize| -> f64 {
        let own = if model.forms[form].name == "heavy" {
            -0.2
        } else {
            0.1
        };
        own + if segment == 1 { 0.05 } else { 0.0 }
    };
    for st in &model.streams {
        let (s, f) = (st.segment.index(), st.form.index());
        for y in 1..3 {
            let ratio = st.rate_per_day[y] / st.rate_per_day[0];
            let expected = (1.0 + trend(s, f)).powi(y as i32);
            assert!(
                (ratio - expected).abs() < 1e-12,
                "segment {s} form {f} year {y}: rate ratio {ratio} vs {expected}"
            );
        }
    }
    let n = 200;
    let counts = per_replication(&model, 41, n, |e| {
        let mut c = [0.0f64; 12];
        for y in 0..3 {
            for s in 0..2 {
                for f in 0..2 {
                    c[(y * 2 + s) * 2 + f] = e.cell(y, s, f, CellMetric::Inflow);
                }
            }
        }
        c
    });
    for y in 0..3 {
        for s in 0..2 {
            for f in 0..2 {
                let i = (y * 2 + s) * 2 + f;
                let expected = 50.0 * (1.0 + trend(s, f)).powi(y as i32);
                let m = counts.iter().map(|c| c[i]).sum::<f64>() / n as f64;
                let sd = (expected / n as f64).sqrt();
                assert!(
                    (m - expected).abs() < Z * sd,
                    "year {y} segment {s} form {f}: inflow {m:.2} vs {expected:.2} (sd {sd:.2})"
                );
            }
        }
    }
}

/// Without form or area trends the compiled rates are exactly those of
/// `arrivals.trend` (the byte-identity of scenarios that use neither).
#[test]
fn without_form_or_area_trends_arrivals_trend_applies_unchanged() {
    let model = prepare(&two_by_two(3, "")).model;
    for st in &model.streams {
        for y in 0..3 {
            let expected =
                1000.0 / 1000.0 * 100.0 * 1.1f64.powi(y as i32) * 0.5 * 1.0 / DAYS_PER_YEAR;
            assert_eq!(st.rate_per_day[y], expected, "year {y}");
        }
    }
}

#[test]
fn form_trend_at_or_below_minus_one_is_located() {
    let text = "extends = \"base.toml\"\n\n[care_forms.residential]\ntrend = -1.0\n";
    rejects_override(text, "trend = -1.0", "care_forms.residential.trend")
        .contains("trend must be above −1");
}

#[test]
fn area_trend_that_takes_a_form_below_minus_one_is_located() {
    let text = "extends = \"base.toml\"\n\n[areas.noord]\ntrend = -0.9\n\n\
                [care_forms.secure]\ntrend = -0.5\n";
    rejects_override(text, "trend = -0.9", "areas.noord.trend")
        .contains("plus the trend of `secure`");
}

#[test]
fn implausibly_large_area_trend_is_located() {
    let text = "extends = \"base.toml\"\n\n[areas.oost]\ntrend = 2\n";
    rejects_override(text, "trend = 2", "areas.oost.trend").contains("implausibly large");
}

/// `two_by_two` with a provider per area, a lumpsum far below the cost (so
/// no downward adjustment interferes) and the growth rule at 3 %.
fn contract_case(extra: &str) -> String {
    let providers = "[providers.north_care]\nareas = [\"north\"]\nshare = 0.5\n\
                     [providers.south_care]\nareas = [\"south\"]\nshare = 0.5\n\
                     [contract]\nupward_growth_threshold = 0.03\n";
    two_by_two(4, &format!("{providers}{extra}")).replace("region = 1_000_000", "region = 1_000")
}

/// Lumpsums per replication: [year][provider] in cents, with the growth flags.
fn lumpsums(text: &str, replications: u64) -> Vec<Vec<Vec<(i64, bool)>>> {
    let model = prepare(text).model;
    per_record(&model, 51, replications, |r| {
        let ledger = jeugdstroom::finance::settle(&model, &r.exposure, &r.draws);
        (0..model.years)
            .map(|y| {
                (0..2)
                    .map(|p| {
                        let py = ledger.provider(y, p);
                        (py.lumpsum, py.adjusted_up_growth)
                    })
                    .collect()
            })
            .collect()
    })
}

/// A strong demand trend (+50 %/year, far above the 3 % threshold) with a
/// flat youth population never raises a lumpsum: the rule follows the
/// population, not the simulated inflow.
#[test]
fn growth_adjustment_ignores_demand_trend_when_population_is_flat() {
    let text = contract_case("").replace("trend = 0.1", "trend = 0.5");
    for (r, rep) in lumpsums(&text, 20).iter().enumerate() {
        for (y, year) in rep.iter().enumerate() {
            for (p, (lumpsum, up)) in year.iter().enumerate() {
                assert!(!up, "replication {r} year {y} provider {p}: adjusted up");
                assert_eq!(*lumpsum, 50_000, "replication {r} year {y} provider {p}");
            }
        }
    }
}

/// North's youth grows 8 % in 2029 and 1 % later; south is flat. After 2029
/// the north provider's lumpsum is raised by 8 − 3 = 5 % from 2030 on, in
/// every replication alike (whatever its clients did); south never is.
#[test]
fn growth_adjustment_follows_the_population_path_per_provider() {
    let text = contract_case("").replace(
        "youth = { town = 1000 }",
        "youth = { town = 1000 }\ngrowth = { 2029 = 0.08, 2030 = 0.01 }",
    );
    let runs = lumpsums(&text, 10);
    for (r, rep) in runs.iter().enumerate() {
        assert_eq!(
            rep, &runs[0],
            "replication {r} differs: deterministic in the path"
        );
    }
    let north: Vec<(i64, bool)> = runs[0].iter().map(|year| year[0]).collect();
    let south: Vec<(i64, bool)> = runs[0].iter().map(|year| year[1]).collect();
    assert_eq!(
        north,
        vec![
            (50_000, false),
            (50_000, false),
            (52_500, true),
            (52_500, false)
        ],
        "1 % growth in 2030 and 2031 stays below the threshold"
    );
    assert!(south.iter().all(|&(l, up)| l == 50_000 && !up), "{south:?}");
}

/// Region values (all care forms) of `metrics` in horizon year `year`, through
/// the same layout that writes `summary.csv`.
fn region_values(
    model: &jeugdstroom::model::Model,
    record: &jeugdstroom::record::Record,
    year: usize,
    metrics: &[Metric],
) -> Vec<f64> {
    let layout = Layout::new(model);
    let ledger = jeugdstroom::finance::settle(model, &record.exposure, &record.draws);
    let mut out = Vec::new();
    layout.evaluate(model, &record.exposure, &ledger, &mut out);
    let y = model.start_year + year as i32;
    metrics
        .iter()
        .map(|m| {
            let i = layout.keys.iter().position(|k| {
                k.metric == *m
                    && k.year == y
                    && [&k.municipality, &k.area, &k.provider, &k.care_form]
                        .iter()
                        .all(|v| v.as_str() == ALL)
            });
            out[i.unwrap_or_else(|| panic!("no region column for {}", m.name()))]
        })
        .collect()
}

/// M/M/c with a waiting list: the share of starts that waited (`p_wait`) is
/// Erlang-C's probability of waiting (PASTA).
#[test]
fn p_wait_matches_erlang_c() {
    // c = 3, mean stay 10 days (μ = 0.1), λ = 0.24/day → a = 2.4, ρ = 0.8.
    let text = single_form(
        87.6,
        r#"{ distribution = "exponential", mean = 10 }"#,
        r#"capacity = { scope = "region", places = 3 }
overflow = { policy = "wait" }"#,
        8,
        1,
    );
    let model = prepare(&text).model;
    let shares = per_record(&model, 61, 300, |r| {
        let e = &r.exposure;
        let from_metric = region_values(&model, r, 0, &[Metric::PWait])[0];
        let waited = total(e, CellMetric::WaitedStarts, 0..1);
        assert_eq!(from_metric, waited / total(e, CellMetric::Starts, 0..1));
        total(e, CellMetric::WaitedStarts, 0..8) / total(e, CellMetric::Starts, 0..8)
    });
    let expected = erlang_c(3, 2.4);
    let (m, se) = (mean(&shares), std_error(&shares));
    assert!(
        (m - expected).abs() < Z * se,
        "p_wait {m:.4} vs Erlang-C {expected:.4} (se {se:.4})"
    );
    assert!((expected - 0.6472).abs() < 1e-3, "Erlang-C reference value");
}

/// `light` (unlimited) steps on to `heavy` (2 places) with probability 0.6;
/// `heavy_entry` of the arrivals go to `heavy` directly; `extra` goes into heavy's table.
fn blocking_case(heavy_entry: f64, heavy_extra: &str) -> String {
    let light = 1.0 - heavy_entry;
    format!(
        r#"
name = "blocking"
[horizon]
start_year = 2028
years = 3
[initial_state]
warmup_years = 1
[municipalities.town]
[areas.centre]
youth = {{ town = 1000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 40
entry = {{ light = {light}, heavy = {heavy_entry} }}
priority = {{ regular = 1.0 }}
[care_forms.light]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 20 }}
tariff = 50
age = [ {{ from = 0, to = 1, weight = 1 }} ]
transitions = {{ heavy = 0.6 }}
[care_forms.heavy]
kind = "residential"
duration = {{ distribution = "exponential", mean = 30 }}
tariff = 300
age = [ {{ from = 0, to = 1, weight = 1 }} ]
capacity = {{ scope = "region", places = 2 }}
{heavy_extra}
[lumpsum]
region = 1_000_000
"#
    )
}

/// Per replication: (home, blocked, total) wait means of year 1 from the
/// metric layer, and the same split from the exposure summed over years.
fn wait_split(text: &str) -> Vec<([f64; 3], [f64; 3])> {
    let model = prepare(text).model;
    let metrics = [
        Metric::WaitDaysHomeMean,
        Metric::WaitDaysBlockedMean,
        Metric::WaitDaysMean,
    ];
    per_record(&model, 71, 30, |r| {
        let v = region_values(&model, r, 1, &metrics);
        let e = &r.exposure;
        let sums = [
            total(e, CellMetric::WaitDaysHomeSum, 0..3),
            total(e, CellMetric::WaitDaysBlockedSum, 0..3),
            total(e, CellMetric::WaitDaysSum, 0..3),
        ];
        ([v[0], v[1], v[2]], sums)
    })
}

/// Waits at home and waits blocked in a lighter form add up to the total
/// wait, and each lands where it belongs: transfers into a full form that
/// block wait blocked, direct arrivals and transfers that overflow wait at home.
#[test]
fn home_and_blocked_waits_add_up_to_the_total() {
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    // Both kinds: direct arrivals queue at home, transfers block in `light`.
    let both = wait_split(&blocking_case(0.3, "overflow = { policy = \"wait\" }"));
    let mut saw = [0.0f64; 2];
    for (metric, sums) in &both {
        assert!(close(metric[0] + metric[1], metric[2]), "{metric:?}");
        assert!(close(sums[0] + sums[1], sums[2]), "{sums:?}");
        saw[0] += sums[0];
        saw[1] += sums[1];
    }
    assert!(
        saw[0] > 0.0 && saw[1] > 0.0,
        "both kinds of waiting occur: {saw:?}"
    );
    // Only transfers, blocking: every waited day is blocked.
    for (metric, sums) in wait_split(&blocking_case(0.0, "overflow = { policy = \"wait\" }")) {
        assert_eq!(sums[0], 0.0, "nobody waits at home");
        assert!(close(metric[1], metric[2]), "{metric:?}");
    }
    // Only transfers, joining the waiting list instead of blocking: all at home.
    let at_home = blocking_case(
        0.0,
        "overflow = { policy = \"wait\" }\nwhen_full_on_transfer = \"overflow\"",
    );
    let runs = wait_split(&at_home);
    for (metric, sums) in &runs {
        assert_eq!(sums[1], 0.0, "nobody blocks");
        assert!(close(metric[0], metric[2]), "{metric:?}");
    }
    assert!(
        runs.iter().map(|(_, s)| s[2]).sum::<f64>() > 0.0,
        "the transfers wait"
    );
}

/// Per replication and year: inflow = outflow + reneged + Δ(in care + waiting).
fn assert_conserved(e: &jeugdstroom::record::Exposure) {
    let mut previous: f64 = e.initial_active.iter().chain(&e.initial_waiting).sum();
    for y in 0..e.years {
        let t = |m: CellMetric| total(e, m, y..y + 1);
        let stock = t(CellMetric::ActiveEnd) + t(CellMetric::WaitingEnd);
        assert_eq!(
            t(CellMetric::Inflow),
            t(CellMetric::Outflow) + t(CellMetric::Reneged) + stock - previous,
            "year {y}"
        );
        previous = stock;
    }
}

/// `light` is out of region when full (`places` places) and steps on to
/// `heavy` with probability 1; `back` sets `out_of_region_return`.
fn out_of_region_case(places: u32, back: bool) -> String {
    single_form(
        60.0,
        r#"{ distribution = "exponential", mean = 30 }"#,
        &format!(
            "capacity = {{ scope = \"region\", places = {places} }}\n\
             overflow = {{ policy = \"out_of_region\", tariff_multiplier = 1.5 }}\n\
             out_of_region_return = {back}\ntransitions = {{ next = 1.0 }}\n\
             [care_forms.next]\nkind = \"ambulant\"\n\
             duration = {{ distribution = \"exponential\", mean = 30 }}\ntariff = 50\n\
             age = [ {{ from = 0, to = 0.5, weight = 1 }} ]"
        ),
        3,
        0,
    )
}

/// Per replication: (starts of `next`, clients who left the region from
/// `bed`, outflow of `bed`), summed over the horizon; conservation checked.
fn next_steps(text: &str) -> Vec<[f64; 3]> {
    let model = prepare(text).model;
    let (bed, next) = (0, 1); // forms in name order
    per_replication(&model, 81, 20, |e| {
        assert_conserved(e);
        let sum = |f: usize, m: CellMetric| (0..3).map(|y| e.cell(y, 0, f, m)).sum::<f64>();
        [
            sum(next, CellMetric::Starts),
            sum(bed, CellMetric::LeftRegion),
            sum(bed, CellMetric::Outflow),
        ]
    })
}

/// With `out_of_region_return = false` clients placed out of region leave
/// the region's flows at the end of that episode: with no places at all
/// nobody reaches the next form and every exit from `bed` is a departure
/// from the region; with 2 places only the locally placed step on (fewer
/// than when everyone returns, on common random numbers). Clients are
/// conserved in every year.
#[test]
fn out_of_region_clients_who_do_not_return_leave_the_flows() {
    for [next_starts, left, outflow] in next_steps(&out_of_region_case(0, false)) {
        assert_eq!(next_starts, 0.0);
        assert_eq!(left, outflow);
        assert!(left > 0.0);
    }
    let back: Vec<[f64; 3]> = next_steps(&out_of_region_case(0, true));
    assert!(back.iter().all(|r| r[0] > 0.0 && r[1] == 0.0), "{back:?}");
    let some_places = next_steps(&out_of_region_case(2, false));
    let all_back = next_steps(&out_of_region_case(2, true));
    for (stay, back) in some_places.iter().zip(&all_back) {
        assert!(stay[0] > 0.0, "locally placed clients step on");
        assert!(stay[1] > 0.0, "the out-of-region ones leave");
        assert!(stay[0] < back[0], "{stay:?} vs {back:?}");
    }
}
