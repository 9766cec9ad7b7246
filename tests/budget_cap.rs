//! A provider-wide budget cap (`providers.NAME.budget_cap`): the provider's
//! lumpsum buys the places of all its forms, so its cost stays within the
//! lumpsum in every replication and year (exactly, to the cent: places are
//! rounded down, so granularity only ever leaves money unspent); a generous
//! lumpsum does not bind (the same clients, the same cost as without a cap);
//! a tight one makes clients wait and renege; a start-up caseload beyond the
//! money finishes while nobody new starts; bad cap input exits 2 located.
//! Tolerances are four standard errors of the replication means.

use crate::util::*;
use jeugdstroom::finance::{self, ProviderYear};
use jeugdstroom::model::Model;
use jeugdstroom::pipeline::{self, Prepared};
use jeugdstroom::record::{CellMetric, PoolMetric, Record};
use jeugdstroom::scenario;

const Z: f64 = 4.0;
const REPS: u64 = 40;

/// Two areas; provider `amb` (capped or not) delivers `talk` (ambulant,
/// per client-day), `team` (staff) and `home` (a stay form, one regional
/// pool); provider `other` delivers `clinic`. `lumpsum` is the region table
/// for 2028-2030; `extra` is added at the end (TOML).
fn scenario(lumpsum: [f64; 3], cap: bool, home_fixed: f64, extra: &str) -> String {
    format!(
        r#"
name = "capped-provider"
[horizon]
start_year = 2028
years = 3
[initial_state]
warmup_years = 2
[municipalities.town]
[areas.north]
youth = {{ town = 6000 }}
[areas.south]
youth = {{ town = 4000 }}
[arrivals]
population_year = 2028
rate_per_1000 = 30
entry = {{ talk = 0.6, team = 0.3, home = 0.05, clinic = 0.05 }}
priority = {{ regular = 0.8, safety = 0.15, crisis = 0.05 }}
[fixed_costs]
crisis_service = 100_000
[care_forms.talk]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 150 }}
tariff = 40
age = [ {{ from = 0, to = 10, weight = 1 }} ]
transitions = {{ home = 0.05 }}
overflow = {{ policy = "wait", patience = {{ distribution = "exponential", mean = 100 }} }}
[care_forms.team]
kind = "ambulant"
duration = {{ distribution = "exponential", mean = 200 }}
tariff = 0
age = [ {{ from = 0, to = 10, weight = 1 }} ]
capacity = {{ scope = "staff", caseload_per_fte = 10, cost_per_fte = 100_000, fte = {{ north = 200, south = 200 }} }}
overflow = {{ policy = "wait", patience = {{ distribution = "exponential", mean = 100 }} }}
[care_forms.home]
kind = "residential"
duration = {{ distribution = "exponential", mean = 300 }}
tariff = 150
fixed_cost_per_place_day = {home_fixed}
age = [ {{ from = 0, to = 10, weight = 1 }} ]
transitions = {{ talk = 0.5 }}
capacity = {{ scope = "region", places = 1000 }}
overflow = {{ policy = "wait" }}
[care_forms.clinic]
kind = "residential"
duration = {{ distribution = "exponential", mean = 100 }}
tariff = 300
age = [ {{ from = 0, to = 10, weight = 1 }} ]
[providers.amb]
forms = ["talk", "team", "home"]
share = 0.8
carries_fixed_costs = true
budget_cap = {cap}
[providers.other]
forms = ["clinic"]
share = 0.2
[lumpsum]
region = {{ 2028 = {}, 2029 = {}, 2030 = {} }}
{extra}
"#,
        lumpsum[0], lumpsum[1], lumpsum[2]
    )
}

/// Each replication's ledger of provider `amb` (index 0), per year.
fn amb_years(model: &Model, reps: u64) -> Vec<Vec<ProviderYear>> {
    per_record(model, 7, reps, |r: &Record| {
        let ledger = finance::settle(model, &r.exposure, &r.draws);
        (0..model.years)
            .map(|y| ledger.provider(y, 0).clone())
            .collect()
    })
}

/// Mean over replications of a cell metric summed over all cells and years.
fn metric_mean(model: &Model, m: CellMetric) -> (f64, f64) {
    let v = per_replication(model, 7, REPS, |e| total(e, m, 0..model.years));
    (mean(&v), std_error(&v))
}

/// Whatever the lumpsum (flat, falling by 3 % a year, or by 30 % at once),
/// the capped provider's cost is within its budget-table lumpsum in every
/// replication and year, to the cent, and within what it is paid in every
/// year before any downward adjustment. (After a year spent ≥ 5 % below the
/// lumpsum — ahead of a cut, or through rounding places down — the contract
/// lowers the pay; the cap, bought from the budget table, does not follow.)
#[test]
fn capped_provider_stays_within_its_lumpsum() {
    for (lumpsum, least_paid_years) in [
        ([3.0e6, 3.0e6, 3.0e6], 2 * REPS),
        ([3.0e6, 2.91e6, 2.82e6], REPS),
        ([2.0e6, 1.4e6, 1.4e6], REPS),
    ] {
        let prepared = prepare(&scenario(lumpsum, true, 30.0, ""));
        let mut worst: f64 = 0.0;
        let mut paid_checked = 0;
        for (r, years) in amb_years(&prepared.model, REPS).iter().enumerate() {
            let mut adjusted = false;
            for (y, p) in years.iter().enumerate() {
                adjusted |= p.adjusted_down;
                assert!(
                    p.cost <= p.base_lumpsum,
                    "{lumpsum:?} rep {r} year {y}: cost {} above lumpsum {}",
                    p.cost,
                    p.base_lumpsum
                );
                if !adjusted {
                    assert!(
                        p.cost <= p.lumpsum,
                        "{lumpsum:?} rep {r} year {y}: {years:?}"
                    );
                    paid_checked += 1;
                }
                worst = worst.max(p.cost as f64 / p.base_lumpsum as f64);
            }
        }
        assert!(
            paid_checked >= least_paid_years,
            "{lumpsum:?}: {paid_checked} years without an adjustment"
        );
        // The cap is tight, not just safe: the money is (nearly) all spent.
        assert!(
            worst > 0.9,
            "{lumpsum:?}: at most {worst} of the lumpsum spent"
        );
    }
}

/// A lumpsum far above demand buys places nobody needs: the same clients
/// start, wait and leave as without the cap, at the same cost to the cent
/// (no staff form: staff are paid whether their caseload is full or not).
#[test]
fn generous_lumpsum_does_not_bind() {
    let without_staff = |cap: bool| {
        let text = scenario([1.0e9; 3], cap, 0.0, "");
        let (a, b) = (
            text.find("[care_forms.team]").unwrap(),
            text.find("[care_forms.home]").unwrap(),
        );
        let text = format!("{}{}", &text[..a], &text[b..])
            .replace(
                "entry = { talk = 0.6, team = 0.3, home = 0.05, clinic = 0.05 }",
                "entry = { talk = 0.9, home = 0.05, clinic = 0.05 }",
            )
            .replace(
                r#"forms = ["talk", "team", "home"]"#,
                r#"forms = ["talk", "home"]"#,
            );
        prepare(&text)
    };
    let (capped, free) = (without_staff(true), without_staff(false));
    assert!(capped.model.pools.len() > free.model.pools.len());
    let observe = |model: &Model| {
        per_record(model, 7, 10, |r| {
            let ledger = finance::settle(model, &r.exposure, &r.draws);
            let flows: Vec<f64> = [
                CellMetric::Starts,
                CellMetric::ClientDays,
                CellMetric::WaitDaysSum,
                CellMetric::Reneged,
            ]
            .iter()
            .map(|m| total(&r.exposure, *m, 0..model.years))
            .collect();
            let costs: Vec<i64> = (0..model.years)
                .map(|y| ledger.provider(y, 0).cost)
                .collect();
            (flows, costs)
        })
    };
    assert_eq!(observe(&capped.model), observe(&free.model));
}

/// Halving a tight lumpsum halves the funded fraction of demand: clients
/// wait longer and more of them give up.
#[test]
fn tight_lumpsum_raises_waiting_and_reneging() {
    let mut before: Option<[(f64, f64); 2]> = None;
    for lumpsum in [4.0e6, 2.0e6] {
        let model = prepare(&scenario([lumpsum; 3], true, 30.0, "")).model;
        let now = [
            metric_mean(&model, CellMetric::WaitDaysSum),
            metric_mean(&model, CellMetric::Reneged),
        ];
        if let Some(before) = before {
            for (i, what) in ["wait days", "reneged"].iter().enumerate() {
                let (b, n) = (before[i], now[i]);
                let se = (b.1.powi(2) + n.1.powi(2)).sqrt();
                assert!(n.0 - b.0 > Z * se, "{what}: {} → {} (se {se})", b.0, n.0);
            }
        }
        before = Some(now);
    }
}

/// When the fixed costs the provider carries exceed its lumpsum, its money
/// buys no places: nobody starts in its forms, and its cost is the fixed
/// costs alone (the overrun is exactly their excess).
#[test]
fn fixed_costs_above_the_lumpsum_buy_nothing() {
    let model = prepare(&scenario([100_000.0; 3], true, 30.0, "")).model;
    let amb_pools = model
        .pools
        .iter()
        .filter(|p| model.forms[p.form].name != "clinic");
    assert!(
        amb_pools
            .clone()
            .all(|p| p.capacity.iter().all(|c| *c == 0))
    );
    for years in amb_years(&model, 5) {
        for p in years {
            assert_eq!(p.cost, 100_000 * 100, "only the crisis service, in cents");
        }
    }
}

/// Clients in care at the start beyond what the money buys are not
/// evicted: they finish their episodes while nobody new starts, so the cost
/// exceeds the lumpsum at first and is back within it once they have left
/// (400 clients at 150 days mean: about 3 are left after two years, and
/// only they occupy places — nobody starts above the places).
#[test]
fn start_up_caseload_beyond_the_money_finishes_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("municipality,area,care_form,priority,age,days,status\n");
    for _ in 0..400 {
        csv.push_str("town,north,talk,regular,5,10,in_care\n");
    }
    std::fs::write(dir.path().join("caseload.csv"), csv).unwrap();
    let text = scenario([1.0e6; 3], true, 30.0, "")
        .replace("warmup_years = 2", "caseload = \"caseload.csv\"")
        // Without transfers: a start-up client whose next form is full
        // would stay (blocked) on the place, as any client in care does.
        .replace("transitions = { home = 0.05 }\n", "");
    let path = dir.path().join("capped.toml");
    std::fs::write(&path, text).unwrap();
    let loaded = scenario::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let prepared: Prepared = pipeline::prepare_loaded(loaded).unwrap_or_else(|e| panic!("{e}"));
    let model = &prepared.model;
    let talk = model.forms.iter().position(|f| f.name == "talk").unwrap();
    let north = model.pool(talk, 0).index();
    let places = f64::from(model.pools[north].capacity[0]);
    assert!(
        places < 100.0,
        "the money buys {places} places of talk in north"
    );
    let records = per_record(model, 7, 10, |r| {
        let pool = |y: usize, m: PoolMetric| r.exposure.pool(y, north, m);
        let ledger = finance::settle(model, &r.exposure, &r.draws);
        (
            [1, 2].map(|y| {
                (
                    pool(y - 1, PoolMetric::OccupiedEnd),
                    pool(y, PoolMetric::PeakOccupied),
                )
            }),
            ledger.provider(0, 0).clone(),
            ledger.provider(2, 0).clone(),
        )
    });
    for (peaks, first, last) in records {
        assert!(
            first.cost > first.base_lumpsum,
            "year 1 pays the start-up caseload"
        );
        // Nobody starts above the places: a year's peak is what was carried
        // over from the year before, or the places.
        for (carried, peak) in peaks {
            assert!(
                peak <= carried.max(places),
                "peak {peak}, carried {carried}"
            );
        }
        assert!(
            last.cost <= last.base_lumpsum,
            "year 3 within the lumpsum: {first:?} {last:?}"
        );
    }
}

// ------------------------------------------------------------- bad input

#[test]
fn capped_form_placed_out_of_region() {
    let text = "extends = \"base.toml\"\n\n[providers.ambulant]\nbudget_cap = true\n\n\
        [care_forms.day_care]\noverflow = { policy = \"always_grant\" }\n";
    rejects_override(text, "overflow =", "care_forms.day_care.overflow")
        .contains("clients beyond the places its lumpsum pays must wait")
        .contains("policy = \"wait\"");
}

#[test]
fn form_capped_twice() {
    let text = "extends = \"base.toml\"\n\n[providers.ambulant]\nbudget_cap = true\n\n\
        [care_forms.ambulant_network]\ntariff = 0\ncapacity.scope = \"staff\"\n\
        capacity.fte = { noord = 10 }\ncapacity.caseload_per_fte = 12\ncapacity.cost_per_fte = 131_400\n\
        capacity.mode = \"budget_capped\"\n";
    rejects_override(
        text,
        "capacity.mode =",
        "care_forms.ambulant_network.capacity.mode",
    )
    .contains("capped twice");
}

#[test]
fn capped_form_that_costs_nothing() {
    let text = "extends = \"base.toml\"\n\n[providers.ambulant]\nbudget_cap = true\n\n\
        [care_forms.day_care]\ntariff = 0\n";
    rejects_override(text, "tariff =", "care_forms.day_care.tariff")
        .contains("costs nothing per client-day in 2028");
}

#[test]
fn budget_cap_not_a_boolean() {
    let text = "extends = \"base.toml\"\n\n[providers.ambulant]\nbudget_cap = \"yes\"\n";
    rejects_override(text, "budget_cap =", "providers.ambulant.budget_cap").rejected();
}
