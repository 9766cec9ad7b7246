//! `municipalities.NAME.budget_cycle`: years inside the horizon, amounts
//! finite, every amount in a year the original budget names, known care
//! forms, and the report dates in order inside the year.

use super::checker::{Checker, MAX_AMOUNT};
use crate::scenario::schema::{BudgetCycle, Scenario};
use std::collections::BTreeMap;

pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    for (name, m) in &s.municipalities {
        if let Some(cycle) = &m.budget_cycle {
            check_cycle(c, s, name, cycle);
        }
    }
}

fn check_cycle(c: &mut Checker<'_>, s: &Scenario, name: &str, b: &BudgetCycle) {
    let base = ["municipalities", name, "budget_cycle"];
    let tables: [(&str, &BTreeMap<String, f64>, bool); 6] = [
        ("primitieve_begroting", &b.primitieve_begroting, true),
        ("burap1", &b.burap1, false),
        ("burap2", &b.burap2, false),
        ("risk_allowance", &b.risk_allowance, true),
        ("one_off", &b.one_off, false),
        ("realised_deficit", &b.realised_deficit, false),
    ];
    for (field, table, non_negative) in tables {
        for (year, v) in table {
            let path = [base[0], base[1], base[2], field, year.as_str()];
            year_in_horizon(c, &path, year, field);
            if field != "primitieve_begroting" && !b.primitieve_begroting.contains_key(year) {
                c.fail(
                    &path,
                    format!("`{field}` names {year}, which has no `primitieve_begroting`"),
                    "add the year's original budget to `primitieve_begroting`",
                );
            }
            if non_negative {
                c.non_negative(&path, *v);
            } else {
                amount(c, &path, *v);
            }
        }
    }
    for form in &b.incidental_forms {
        let path = [base[0], base[1], base[2], "incidental_forms"];
        c.known(&path, form, s.care_forms.keys(), "care form");
    }
    check_days(c, name, b);
}

fn year_in_horizon(c: &mut Checker<'_>, path: &[&str], year: &str, field: &str) {
    match year.parse::<i32>() {
        Ok(y) if (c.first_year..=c.last_year).contains(&y) => {}
        _ => c.fail(
            path,
            format!("`{field}` year `{year}` is not a year inside the horizon"),
            "use a horizon year, e.g. { 2020 = 2_196_000 }",
        ),
    }
}

/// A finite amount of either sign (a raise may be a cut).
fn amount(c: &mut Checker<'_>, path: &[&str], v: f64) {
    if !v.is_finite() || v.abs() > MAX_AMOUNT {
        c.fail(
            path,
            format!(
                "`{}` must be a finite amount in euros, found {v}",
                path.join(".")
            ),
            "write euros, e.g. 420_000",
        );
    }
}

/// 0 < burap1_day < burap2_day ≤ 365 and 0 ≤ closing_days < 365.
fn check_days(c: &mut Checker<'_>, name: &str, b: &BudgetCycle) {
    let path = |f: &'static str| ["municipalities", name, "budget_cycle", f];
    let days_ok = |d: f64| d.is_finite() && d > 0.0 && d <= 365.0;
    if !days_ok(b.burap1_day) || !days_ok(b.burap2_day) || b.burap1_day >= b.burap2_day {
        c.fail(
            &path("burap2_day"),
            format!(
                "report days must satisfy 0 < burap1_day ({}) < burap2_day ({}) ≤ 365",
                b.burap1_day, b.burap2_day
            ),
            "write the day of the year up to which each report sees declarations, e.g. 120 and 243",
        );
    }
    if !(b.closing_days.is_finite() && (0.0..365.0).contains(&b.closing_days)) {
        c.fail(
            &path("closing_days"),
            format!(
                "`closing_days` must lie in [0, 365), found {}",
                b.closing_days
            ),
            "write the days after the year end until the accounts close, e.g. 90",
        );
    }
}
