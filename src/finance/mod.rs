//! Prices exposure with exact decimals. Pure functions: exposure in, euros
//! out — no event-loop code here, so contract rules can be added and tested
//! on their own.
//!
//! Every priced cell (year × segment × care form) is rounded to the cent;
//! totals are sums of cells, so they add up exactly in every table.

use crate::model::Model;
use crate::sim::{CellMetric, Exposure, PoolMetric};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Costs in cents per (year, segment, column); column `forms` holds the
/// fixed yearly amounts (area teams, crisis service) attributed to the segment.
#[derive(Clone, Debug)]
pub struct Costs {
    segments: usize,
    columns: usize,
    cents: Vec<i64>,
}

impl Costs {
    pub fn get(&self, year: usize, segment: usize, column: usize) -> i64 {
        self.cents[(year * self.segments + segment) * self.columns + column]
    }

    /// Index of the fixed-cost column.
    pub fn fixed_column(&self) -> usize {
        self.columns - 1
    }
}

/// Exposure days as an exact decimal (to a millionth of a day).
pub fn days(value: f64) -> Decimal {
    Decimal::new((value * 1e6).round() as i64, 6)
}

/// Euros to whole cents, rounding half away from zero (commercial rounding).
pub fn cents(value: Decimal) -> i64 {
    (value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// Prices one replication's exposure.
pub fn price(model: &Model, exposure: &Exposure) -> Costs {
    let forms = model.forms.len();
    let segments = model.segments.len();
    let columns = forms + 1;
    let mut out = Costs {
        segments,
        columns,
        cents: vec![0; model.years * segments * columns],
    };
    let p = &model.prices;
    for y in 0..model.years {
        for (s, segment) in model.segments.iter().enumerate() {
            let row = (y * segments + s) * columns;
            for f in 0..forms {
                let local = days(exposure.cell(y, s, f, CellMetric::LocalDays));
                let away = days(exposure.cell(y, s, f, CellMetric::OutOfRegionDays));
                let tariff = p.tariff[f][y];
                let mut cost = tariff * local + tariff * p.out_of_region_multiplier[f] * away;
                if model.forms[f].has_places {
                    cost += p.place_day[f][y] * local;
                }
                out.cents[row + f] = cents(cost);
            }
            let area = segment.area;
            let area_share = share(&model.area_catchment[area], s);
            let region_share = share(&model.region_catchment, s);
            let fixed = p.area_teams[area][y] * area_share + p.crisis_service[y] * region_share;
            out.cents[row + forms] = cents(fixed);
        }
        // Vacant places cost money too (leegstand); attributed by youth share.
        for (pi, pool) in model.pools.iter().enumerate() {
            let vacant = days(exposure.pool(y, pi, PoolMetric::VacantDays));
            let cost = p.place_day[pool.form][y] * vacant;
            if cost.is_zero() {
                continue;
            }
            for &(s, w) in &pool.catchment {
                out.cents[(y * segments + s) * columns + pool.form] += cents(cost * weight(w));
            }
        }
    }
    out
}

fn share(catchment: &[(usize, f64)], segment: usize) -> Decimal {
    catchment
        .iter()
        .find(|(s, _)| *s == segment)
        .map_or(Decimal::ZERO, |(_, w)| weight(*w))
}

/// A youth-share weight as a decimal, to 1e-9.
fn weight(w: f64) -> Decimal {
    Decimal::new((w * 1e9).round() as i64, 9)
}

/// Lumpsum in cents for a year: the region, or municipality `m`.
pub fn lumpsum_cents(model: &Model, year: usize, municipality: Option<usize>) -> i64 {
    let p = &model.prices;
    cents(match municipality {
        None => p.lumpsum_region[year],
        Some(m) => p.lumpsum_municipality[m][year],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_cents_are_exact() {
        assert_eq!(days(1.5), Decimal::new(15, 1));
        assert_eq!(cents(Decimal::new(12345, 3)), 1235);
    }
}
