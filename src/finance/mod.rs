//! The money side, as pure functions over one replication's exposure:
//! pricing (`price`), the contract between municipalities and providers
//! (`contract`: lumpsums, adjustments, municipal shares), the financing
//! regimes compared under the same demand (`regimes`), the declaration
//! lag (`lag`) and the split of a cost change into its sources
//! (`decompose`). No event-loop code here.
//!
//! All money is in whole cents (`i64`) computed with exact decimals; every
//! split of an amount over parties (providers, municipalities) hands out the
//! rounding remainder so that the parts add up to the whole to the cent.

mod contract;
pub mod decompose;
mod lag;
mod price;
mod regimes;

pub use contract::{MunicipalityYear, ProviderYear};
pub use price::{Component, Costs, pool_shares, price};
pub use regimes::{
    MAX_SURCHARGE_VACANCY, REGIMES, Regime, simulated_vacancy, surcharge_amount, surcharge_vacancy,
};

use crate::model::Model;
use crate::record::{Draws, Exposure};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

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

/// Splits `total` cents by `weights` so that the parts sum to `total` exactly
/// (largest-remainder rounding; ties go to the earlier party).
pub fn split_cents(total: i64, weights: &[Decimal]) -> Vec<i64> {
    let sum: Decimal = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum.is_zero() {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let exact: Vec<Decimal> = weights
        .iter()
        .map(|w| Decimal::from(total) * w / sum)
        .collect();
    let mut parts: Vec<i64> = exact
        .iter()
        .map(|e| e.floor().to_i64().unwrap_or(0))
        .collect();
    let mut remainder = total - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if remainder == 0 {
            break;
        }
        parts[i] += remainder.signum();
        remainder -= remainder.signum();
    }
    parts
}

/// Everything the money side derives from one replication.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub costs: Costs,
    /// [year × providers + provider]
    pub providers: Vec<ProviderYear>,
    /// [year × municipalities + municipality]
    pub municipalities: Vec<MunicipalityYear>,
    /// [(year × REGIMES + regime) × providers + provider] what the provider receives.
    pub regime_provider: Vec<i64>,
    /// [(year × REGIMES + regime) × municipalities + municipality] what the municipality pays.
    pub regime_municipality: Vec<i64>,
    /// [year] region cost booked in the year (with late declarations of earlier years).
    pub booked: Vec<i64>,
    /// [year] the year's cost as a mid-year report sees it (first half booked, × 2).
    pub midyear_seen: Vec<i64>,
    provider_count: usize,
    municipality_count: usize,
}

impl Ledger {
    pub fn provider(&self, year: usize, provider: usize) -> &ProviderYear {
        &self.providers[year * self.provider_count + provider]
    }

    pub fn municipality(&self, year: usize, municipality: usize) -> &MunicipalityYear {
        &self.municipalities[year * self.municipality_count + municipality]
    }

    pub fn regime_paid_to(&self, year: usize, regime: Regime, provider: usize) -> i64 {
        self.regime_provider
            [(year * REGIMES.len() + regime as usize) * self.provider_count + provider]
    }

    pub fn regime_paid_by(&self, year: usize, regime: Regime, municipality: usize) -> i64 {
        self.regime_municipality
            [(year * REGIMES.len() + regime as usize) * self.municipality_count + municipality]
    }
}

/// Prices the exposure (at the replication's drawn tariffs) and applies the
/// contract, regimes and lag.
pub fn settle(model: &Model, exposure: &Exposure, draws: &Draws) -> Ledger {
    let costs = price(model, exposure, draws);
    let provider_cost = contract::provider_costs(model, &costs);
    let (providers, municipalities) =
        contract::run_contract(model, exposure, &costs, &provider_cost);
    let (regime_provider, regime_municipality) =
        regimes::payments(model, exposure, &costs, &providers, &municipalities);
    let region_cost: Vec<i64> = (0..model.years)
        .map(|y| {
            (0..model.segments.len())
                .map(|s| costs.segment_total(y, s))
                .sum()
        })
        .collect();
    let (booked, midyear_seen) = lag::book(model, &region_cost);
    Ledger {
        costs,
        providers,
        municipalities,
        regime_provider,
        regime_municipality,
        booked,
        midyear_seen,
        provider_count: model.money.providers.len(),
        municipality_count: model.municipalities.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_cents_are_exact() {
        assert_eq!(days(1.5), Decimal::new(15, 1));
        assert_eq!(cents(Decimal::new(12345, 3)), 1235);
        assert_eq!(cents(Decimal::new(-12345, 3)), -1235);
    }

    #[test]
    fn splits_add_up_to_the_cent() {
        let w = [
            Decimal::new(2466, 1),
            Decimal::new(55, 1),
            Decimal::new(80, 1),
            Decimal::new(26, 1),
        ];
        for total in [26_260_000_001i64, 1, 0, -7, 999] {
            let parts = split_cents(total, &w);
            assert_eq!(parts.iter().sum::<i64>(), total, "total {total}");
        }
        assert_eq!(
            split_cents(100, &[Decimal::ONE, Decimal::ONE, Decimal::ONE]),
            vec![34, 33, 33]
        );
    }
}
