//! The high-cost client class (`[care_forms.NAME.client_cost]`): a
//! heavy-tailed per-episode multiplier on the tariff with mean 1.
//!
//! In an M/D/∞ form (Poisson arrivals at rate λ a day, every stay D days,
//! no capacity) the year's weighted client-days X = Σ Mᵢ·oᵢ, with oᵢ the
//! days episode i spends inside the year, is compound Poisson, so its
//! cumulants are closed forms: κₖ = λ·E[Mᵏ]·∫o(s)ᵏ ds, where o(s) is the
//! overlap of an episode starting at s (∫o² = D²(T − D/3),
//! ∫o⁴ = D⁴(T − D) + 2D⁵/5). The tests hold the simulated mean and variance
//! to them, with tolerances from the replication count; the variance ratio
//! with and without the class is E[M²] — how much a municipality's cost
//! volatility rises.

use crate::util::{mean, per_replication, prepare, single_form};
use jeugdstroom::calendar::DAYS_PER_YEAR;
use jeugdstroom::finance::{self, Component};
use jeugdstroom::model::Model;
use jeugdstroom::record::{CellMetric, Exposure};

const ARRIVALS_PER_YEAR: f64 = 200.0;
const STAY: f64 = 10.0;
const REPLICATIONS: u64 = 2000;

fn model(client_cost: &str) -> Model {
    let text = single_form(
        ARRIVALS_PER_YEAR,
        &format!(r#"{{ distribution = "fixed", days = {STAY} }}"#),
        client_cost,
        1,
        1,
    );
    prepare(&text).model
}

fn days(e: &Exposure, m: CellMetric) -> f64 {
    e.cell(0, 0, 0, m)
}

/// Sample variance.
fn variance(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
}

/// (E[X], Var[X], sd of the sample variance over `n` replications) of the
/// year's weighted days for multiplier moments E[M], E[M²], E[M⁴].
fn theory(m1: f64, m2: f64, m4: f64, n: f64) -> (f64, f64, f64) {
    let lambda = ARRIVALS_PER_YEAR / DAYS_PER_YEAR;
    let (d, t) = (STAY, DAYS_PER_YEAR);
    let k2 = lambda * m2 * d * d * (t - d / 3.0);
    let k4 = lambda * m4 * (d.powi(4) * (t - d) + 2.0 * d.powi(5) / 5.0);
    let mu4 = k4 + 3.0 * k2 * k2;
    let sd_var = ((mu4 - k2 * k2 * (n - 3.0) / (n - 1.0)) / n).sqrt();
    (lambda * m1 * d * t, k2, sd_var)
}

#[test]
fn weighted_days_have_the_compound_poisson_mean_and_variance() {
    let n = REPLICATIONS as f64;
    let plain = model("");
    let heavy = model(r#"client_cost = { distribution = "lognormal", sigma = 0.8, cap = 20 }"#);
    let class = heavy.forms[0].client_cost.expect("compiled class");
    let (m2, m4) = (class.raw_moment(2), class.raw_moment(4));
    let runs = |m: &Model| {
        per_replication(m, 7, REPLICATIONS, |e| {
            (
                days(e, CellMetric::LocalDays),
                days(e, CellMetric::WeightedLocalDays),
            )
        })
    };
    let (without, with) = (runs(&plain), runs(&heavy));
    // The class draws from its own stream: arrivals and stays are unchanged.
    for (a, b) in without.iter().zip(&with) {
        assert_eq!(a.0, b.0, "client-days moved");
    }
    for (label, x, (m1, m2, m4)) in [
        (
            "without",
            without.iter().map(|p| p.1).collect::<Vec<_>>(),
            (1.0, 1.0, 1.0),
        ),
        ("with", with.iter().map(|p| p.1).collect(), (1.0, m2, m4)),
    ] {
        let (e, var, sd_var) = theory(m1, m2, m4, n);
        let got = mean(&x);
        let tol = 4.0 * (var / n).sqrt();
        assert!((got - e).abs() < tol, "{label}: mean {got} vs {e} ± {tol}");
        let v = variance(&x);
        assert!(
            (v - var).abs() < 4.0 * sd_var,
            "{label}: variance {v} vs {var} ± {}",
            4.0 * sd_var
        );
    }
    // Volatility: the ratio of the two variances is E[M²] (≈ 1.8 here).
    let ratio = variance(&with.iter().map(|p| p.1).collect::<Vec<_>>())
        / variance(&without.iter().map(|p| p.1).collect::<Vec<_>>());
    assert!(ratio > 1.5, "variance ratio {ratio}, E[M²] = {m2}");
}

#[test]
fn pareto_class_keeps_the_mean() {
    let heavy = model(r#"client_cost = { distribution = "pareto", alpha = 1.8, cap = 50 }"#);
    let class = heavy.forms[0].client_cost.expect("compiled class");
    let x = per_replication(&heavy, 3, REPLICATIONS, |e| {
        days(e, CellMetric::WeightedLocalDays)
    });
    let (e, var, _) = theory(1.0, class.raw_moment(2), class.raw_moment(4), 1.0);
    let tol = 4.0 * (var / REPLICATIONS as f64).sqrt();
    assert!(
        (mean(&x) - e).abs() < tol,
        "mean {} vs {e} ± {tol}",
        mean(&x)
    );
}

/// Finance prices the weighted days: the variable cost of the form is the
/// tariff (100) × the weighted client-days to the cent, not × the days.
#[test]
fn finance_prices_the_weighted_days() {
    let heavy = model(r#"client_cost = { distribution = "lognormal", sigma = 1.0 }"#);
    let r = jeugdstroom::sim::Simulation::new(&heavy)
        .run(5, 0)
        .expect("run")
        .clone();
    let costs = finance::price(&heavy, &r.exposure, &r.draws);
    let variable = costs.component(0, 0, 0, Component::Variable);
    let weighted = days(&r.exposure, CellMetric::WeightedLocalDays);
    let plain = days(&r.exposure, CellMetric::LocalDays);
    let expected = finance::cents(finance::days(weighted) * rust_decimal::Decimal::ONE_HUNDRED);
    assert_eq!(variable, expected);
    assert_ne!(
        variable,
        finance::cents(finance::days(plain) * rust_decimal::Decimal::ONE_HUNDRED)
    );
}

/// Tail parameters outside their range exit 2 at their line, naming the field.
#[test]
fn bad_tail_parameters_are_located() {
    let over = |line: &str| format!("extends = \"base.toml\"\n\n[care_forms.secure]\n{line}\n");
    let text = over(r#"client_cost = { distribution = "pareto", alpha = 0.9 }"#);
    crate::util::rejects_override(&text, "alpha = 0.9", "care_forms.secure.client_cost.alpha")
        .contains("above 1");
    let text = over(r#"client_cost = { distribution = "pareto", alpha = 2.8, cap = 1 }"#);
    crate::util::rejects_override(&text, "cap = 1", "care_forms.secure.client_cost.cap")
        .contains("must exceed 1");
    for sigma in ["0", "nan", "5"] {
        let line = format!(r#"client_cost = {{ distribution = "lognormal", sigma = {sigma} }}"#);
        let text = single_form(
            50.0,
            r#"{ distribution = "fixed", days = 10 }"#,
            &line,
            1,
            0,
        );
        let case = crate::util::Case::new(&text);
        case.validate().input_error(
            &case.scenario,
            crate::util::line_of(&text, "sigma ="),
            Some("care_forms.bed.client_cost.sigma"),
        );
    }
}
