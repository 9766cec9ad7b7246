//! A municipality's budget cycle inside one replication (seed 004): what
//! the original budget, the 1e and 2e Burap and the annual accounts
//! (jaarrekening) each see of a year's youth-care cost, and the deficit
//! split into a structural and an incidental part.
//!
//! Definitions (all per municipality and year, in cents):
//! - *ongoing* cost: the year's own care of the forms that are not
//!   incidental, priced where it is delivered, plus the fixed amounts
//!   attributed to the municipality; *legacy* cost: the year's own care of
//!   the incidental forms (a closed cohort settled on actual cost);
//! - *prior-year* cost: care of the two years before that is declared
//!   after their own accounts closed, booked in this year (before the
//!   horizon a year costs what the first year costs);
//! - the year's *burden* = ongoing + legacy + one-off + prior-year: the
//!   deficit as seed 004 counts it (components A–E, l.41-184), and
//!   deficit = burden − budget; *structural* = ongoing − budget (A + B: the
//!   gap that recurs next year at this cost level), *incidental* =
//!   prior-year + legacy + one-off (C + D + E). Structural + incidental =
//!   deficit, to the cent. Care declared late is counted in its own year and again as
//!   prior-year cost where it is booked — as the memo counts it;
//! - *charged* (what the accounts book): the own year's care declared
//!   before they close, plus fixed, one-off and prior-year cost;
//! - a Burap *sees* the own year's care in full (it knows the lag and
//!   corrects for it), the one-offs and the prior-year cost booked by its
//!   cut-off day; what is *visible* by then, extrapolated linearly to the
//!   year without correction, is the run rate a report without that
//!   knowledge would show (seed 004 l.103-111).

use super::{Costs, cents};
use crate::model::Model;
use crate::model::contract::CycleModel;
use rust_decimal::Decimal;

/// One municipality-year of the budget cycle, in cents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleYear {
    pub primitive: i64,
    pub burap1: i64,
    pub burap2: i64,
    pub risk_allowance: i64,
    pub one_off: i64,
    pub realised: Option<i64>,
    /// What the 1e and 2e Burap project for the year (lag corrected).
    pub seen: [i64; 2],
    /// The run rate of what is visible at the 1e and 2e Burap.
    pub visible: [i64; 2],
    pub charged: i64,
    pub ongoing: i64,
    pub legacy: i64,
    pub prior_year: i64,
    pub lag_shift: i64,
}

impl CycleYear {
    /// The budget after both interim reports.
    pub fn final_budget(&self) -> i64 {
        self.primitive + self.burap1 + self.burap2
    }

    /// Ongoing + legacy + one-off + prior-year cost.
    pub fn burden(&self) -> i64 {
        self.ongoing + self.legacy + self.one_off + self.prior_year
    }

    pub fn deficit(&self) -> i64 {
        self.burden() - self.final_budget()
    }

    pub fn structural(&self) -> i64 {
        self.ongoing - self.final_budget()
    }

    pub fn incidental(&self) -> i64 {
        self.prior_year + self.legacy + self.one_off
    }
}

/// [year × municipalities + municipality] the budget cycle where the
/// municipality has one in that year.
pub fn run_cycles(model: &Model, costs: &Costs) -> Vec<Option<CycleYear>> {
    let n_m = model.municipalities.len();
    let mut out = vec![None; model.years * n_m];
    for (m, cycle) in model.money.cycles.iter().enumerate() {
        let Some(cycle) = cycle else { continue };
        let split: Vec<(i64, i64, i64)> = (0..model.years)
            .map(|y| own_costs(model, costs, cycle, m, y))
            .collect();
        for y in 0..model.years {
            if cycle.years[y].is_some() {
                out[y * n_m + m] = Some(year(cycle, &split, y));
            }
        }
    }
    out
}

/// (ongoing care, legacy care, fixed) of municipality `m` in year `y`.
fn own_costs(
    model: &Model,
    costs: &Costs,
    cycle: &CycleModel,
    m: usize,
    y: usize,
) -> (i64, i64, i64) {
    let (mut care, mut legacy, mut fixed) = (0, 0, 0);
    for (s, segment) in model.segments.iter().enumerate() {
        if segment.municipality != m {
            continue;
        }
        for f in 0..model.forms.len() {
            match cycle.incidental_form[f] {
                true => legacy += costs.get(y, s, f),
                false => care += costs.get(y, s, f),
            }
        }
        fixed += costs.fixed(y, s);
    }
    (care, legacy, fixed)
}

fn year(cycle: &CycleModel, split: &[(i64, i64, i64)], y: usize) -> CycleYear {
    let amounts = cycle.years[y].as_ref().expect("a cycle year");
    let fr = &cycle.fractions;
    let (care, legacy, fixed) = split[y];
    let declared = |k: usize| {
        let (c, l, _) = split[y.saturating_sub(k)];
        Decimal::from(c + l)
    };
    let to_cents = |d: Decimal| cents(d / Decimal::ONE_HUNDRED);
    let one_off = cents(amounts.one_off);
    let prior = to_cents(declared(1) * fr.charged[1] + declared(2) * fr.charged[2]);
    let later = to_cents(declared(0) * (Decimal::ONE - fr.charged[0]));
    let lag_shift = prior - later;
    let prior_by = |i: usize| {
        to_cents(declared(1) * fr.prior_by_report[i][0] + declared(2) * fr.prior_by_report[i][1])
    };
    let ongoing = care + fixed;
    let seen = [0, 1].map(|i| ongoing + legacy + one_off + prior_by(i));
    let visible =
        [0, 1].map(|i| to_cents(declared(0) * fr.seen[i]) + fixed + one_off + prior_by(i));
    let euros = cents;
    CycleYear {
        primitive: euros(amounts.primitive),
        burap1: euros(amounts.burap1),
        burap2: euros(amounts.burap2),
        risk_allowance: euros(amounts.risk_allowance),
        one_off,
        realised: amounts.realised.map(euros),
        seen,
        visible,
        charged: ongoing + legacy + one_off + lag_shift,
        ongoing,
        legacy,
        prior_year: prior,
        lag_shift,
    }
}
