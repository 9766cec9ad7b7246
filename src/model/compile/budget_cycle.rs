//! A municipality's budget cycle: its amounts per horizon year, the forms
//! counted as incidental, and the declaration lag's fractions at the
//! reports' cut-off days and at the closing of the accounts.

use super::values::money;
use crate::calendar::DAYS_PER_YEAR;
use crate::engine::{Purpose, StreamFactory};
use crate::model::contract::{CycleFractions, CycleModel, CycleYear};
use crate::model::{Duration, Form};
use crate::scenario::schema::{BudgetCycle, Scenario};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use std::collections::BTreeMap;

/// Draws of the delay behind the fractions (a fixed stream: deterministic).
const DRAWS: usize = 200_000;

/// [municipality] its compiled budget cycle, if any.
pub fn cycles(s: &Scenario, forms: &[Form], delay: Option<&Duration>) -> Vec<Option<CycleModel>> {
    s.municipalities
        .values()
        .map(|m| m.budget_cycle.as_ref().map(|b| cycle(s, forms, delay, b)))
        .collect()
}

fn cycle(s: &Scenario, forms: &[Form], delay: Option<&Duration>, b: &BudgetCycle) -> CycleModel {
    let at =
        |table: &BTreeMap<String, f64>, year: i32| table.get(&year.to_string()).map(|v| money(*v));
    let years = (0..s.horizon.years as i32)
        .map(|k| {
            let year = s.horizon.start_year + k;
            let primitive = at(&b.primitieve_begroting, year)?;
            Some(CycleYear {
                primitive,
                burap1: at(&b.burap1, year).unwrap_or_default(),
                burap2: at(&b.burap2, year).unwrap_or_default(),
                risk_allowance: at(&b.risk_allowance, year).unwrap_or_default(),
                one_off: at(&b.one_off, year).unwrap_or_default(),
                realised: at(&b.realised_deficit, year),
            })
        })
        .collect();
    CycleModel {
        years,
        incidental_form: forms
            .iter()
            .map(|f| b.incidental_forms.contains(&f.name))
            .collect(),
        fractions: fractions(delay, [b.burap1_day, b.burap2_day], b.closing_days),
    }
}

/// The lag's fractions for reports at `report_days` and accounts closing
/// `closing` days after the year end. Care is delivered evenly over the
/// year, so for one delay D the share of a year's care declared T days
/// after the year's start is clamp((T − D) / 365, 0, 1), and the share of
/// the care up to day t declared by t is clamp((t − D) / t, 0, 1); the
/// fractions average these over draws of D (exact for a fixed delay).
pub fn fractions(delay: Option<&Duration>, report_days: [f64; 2], closing: f64) -> CycleFractions {
    let Some(delay) = delay else {
        return CycleFractions {
            seen: [Decimal::ONE; 2],
            prior_by_report: [[Decimal::ZERO; 2]; 2],
            charged: [Decimal::ONE, Decimal::ZERO, Decimal::ZERO],
        };
    };
    let mut rng = StreamFactory::new(0xB0C).stream(0, Purpose::Other, 0);
    let (mut seen, mut prior, mut charged) = ([0.0; 2], [[0.0; 2]; 2], [0.0; 3]);
    for _ in 0..DRAWS {
        let d = delay.sample(&mut rng);
        let by = |t: f64| ((t - d) / DAYS_PER_YEAR).clamp(0.0, 1.0);
        let (own, next) = (
            by(DAYS_PER_YEAR + closing),
            by(2.0 * DAYS_PER_YEAR + closing),
        );
        charged[0] += own;
        charged[1] += next - own;
        charged[2] += 1.0 - next;
        for (i, &t) in report_days.iter().enumerate() {
            seen[i] += ((t - d) / t).clamp(0.0, 1.0);
            prior[i][0] += (by(DAYS_PER_YEAR + t) - own).max(0.0);
            prior[i][1] += (by(2.0 * DAYS_PER_YEAR + t) - next).max(0.0);
        }
    }
    let frac = |sum: f64| {
        Decimal::from_f64(sum / DRAWS as f64)
            .unwrap_or_default()
            .round_dp(9)
    };
    CycleFractions {
        seen: seen.map(frac),
        prior_by_report: prior.map(|p| p.map(frac)),
        charged: charged.map(frac),
    }
}
