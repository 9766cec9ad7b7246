//! Declaration lag (seed 004: allocation requests filed more than half a
//! year late): what is booked in a year, and what a mid-year report sees.

use super::cents;
use crate::model::Model;
use rust_decimal::Decimal;

/// Region cost booked per year (the year's own cost as far as declared, plus
/// late declarations of the two years before; before the horizon, costs are
/// taken at the first year's level), and the year's cost as extrapolated
/// from what is booked by 30 June.
pub fn book(model: &Model, cost: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let Some(lag) = &model.money.lag else {
        return (cost.to_vec(), cost.to_vec());
    };
    let at = |y: isize| Decimal::from(cost[y.max(0) as usize]);
    let booked = (0..cost.len() as isize)
        .map(|y| {
            cents(
                (0..3)
                    .map(|k| lag.booked[k] * at(y - k as isize))
                    .sum::<Decimal>()
                    / Decimal::ONE_HUNDRED,
            )
        })
        .collect();
    let seen = cost
        .iter()
        .map(|c| cents(Decimal::from(*c) * lag.seen_at_midyear / Decimal::ONE_HUNDRED))
        .collect();
    (booked, seen)
}
