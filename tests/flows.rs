//! Client flows the planners ask about: demand trends per care form and per
//! area, the autonomous-growth adjustment following the youth population,
//! waiting split into at home and blocked, the share of starts that waited,
//! and out-of-region placements that leave the region's flows. Tolerances are
//! four standard errors derived from the replication count.

use crate::util::*;
use jeugdstroom::calendar::DAYS_PER_YEAR;
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
    let text = "extends = \"base.toml\"\n\n[areas.noord]\ntrend = -0.99\n\n\
                [care_forms.secure]\ntrend = -0.5\n";
    rejects_override(text, "trend = -0.99", "areas.noord.trend")
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
