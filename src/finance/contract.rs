//! The taakgerichte lumpsum contract, year by year inside one replication
//! (seed 000 §5.1–5.4): provider lumpsums from their shares of the region
//! budget, at most one adjustment per provider per year taking effect the
//! next year (no retroactive correction), provider results that stay with
//! the provider, and municipal contributions revised prospectively by reach ×
//! average cost per care form.

use super::{Costs, split_cents};
use crate::model::{ExtraCostSplit, Model, ShareRevision};
use crate::record::{CellMetric, Exposure};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// One provider in one year, in cents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderYear {
    /// Cost of the care it delivered (and the fixed amounts it carries).
    pub cost: i64,
    /// Its share of the region budget before adjustments.
    pub base_lumpsum: i64,
    /// What it is paid: the base adjusted by earlier adjustments and shocks.
    pub lumpsum: i64,
    /// lumpsum − cost; a deficit stays with the provider.
    pub result: i64,
    pub cumulative_result: i64,
    /// Adjustments taking effect this year (decided at the end of last year).
    pub adjusted_down: bool,
    pub adjusted_up_growth: bool,
    pub adjusted_up_shock: bool,
    /// Cumulative result below the provider's solvency threshold.
    pub insolvent: bool,
}

/// One municipality in one year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MunicipalityYear {
    /// Share of the total lumpsum it pays this year.
    pub share: Decimal,
    /// What it pays (cents).
    pub contribution: i64,
    /// What the care of its residents cost (cents).
    pub own_cost: i64,
}

/// Cost per (year, provider): each priced cell goes to the providers
/// delivering that care form in that area, by their overlap weights.
pub fn provider_costs(model: &Model, costs: &Costs) -> Vec<i64> {
    let providers = model.money.providers.len();
    let areas = model.areas.len();
    let mut out = vec![0i64; model.years * providers];
    for y in 0..model.years {
        let row = &mut out[y * providers..(y + 1) * providers];
        for (s, segment) in model.segments.iter().enumerate() {
            for f in 0..model.forms.len() {
                let members = &model.money.coverage[f * areas + segment.area];
                let weights: Vec<Decimal> = members.iter().map(|(_, w)| *w).collect();
                for ((p, _), part) in members
                    .iter()
                    .zip(split_cents(costs.get(y, s, f), &weights))
                {
                    row[*p] += part;
                }
            }
            row[model.money.fixed_cost_provider] += costs.fixed(y, s);
        }
    }
    out
}

/// Growth of the youth population provider `p` serves during horizon year
/// `y`: P(y) / P(y − 1) − 1, with P(−1) the year before the start. A
/// property of the scenario's population path, the same in every
/// replication (seed 000 L1800-1803 ties the adjustment to new housing and
/// population growth, not to how many clients happened to arrive).
fn population_growth(model: &Model, p: usize, y: usize) -> Option<f64> {
    let path = model.money.contract.served_youth.get(p)?;
    let (before, now) = (*path.get(y)?, *path.get(y + 1)?);
    (before > 0.0).then(|| now / before - 1.0)
}

/// Budget-table shares of the municipalities in a year.
fn table_shares(model: &Model, year: usize) -> Vec<Decimal> {
    let table: Vec<Decimal> = model
        .prices
        .lumpsum_municipality
        .iter()
        .map(|m| m[year])
        .collect();
    let total: Decimal = table.iter().sum();
    if total.is_zero() {
        return vec![Decimal::ONE / Decimal::from(table.len().max(1) as u64); table.len()];
    }
    table.iter().map(|t| t / total).collect()
}

/// Next year's shares: reach (clients in care during the year, per care form)
/// × the region's average cost per client of that form.
fn revised_shares(model: &Model, exposure: &Exposure, costs: &Costs, year: usize) -> Vec<Decimal> {
    let forms = model.forms.len();
    let reach = |s: usize, f: usize| {
        let at_start = if year == 0 {
            exposure.initial_active[s * forms + f]
        } else {
            exposure.cell(year - 1, s, f, CellMetric::ActiveEnd)
        };
        at_start + exposure.cell(year, s, f, CellMetric::Starts)
    };
    let mut weight = vec![0.0f64; model.municipalities.len()];
    for f in 0..forms {
        let region_reach: f64 = (0..model.segments.len()).map(|s| reach(s, f)).sum();
        if region_reach <= 0.0 {
            continue;
        }
        let region_cost: f64 = (0..model.segments.len())
            .map(|s| costs.get(year, s, f) as f64)
            .sum();
        let average = region_cost / region_reach;
        for (s, segment) in model.segments.iter().enumerate() {
            weight[segment.municipality] += reach(s, f) * average;
        }
    }
    let total: f64 = weight.iter().sum();
    if total <= 0.0 {
        return table_shares(model, year);
    }
    weight
        .iter()
        .map(|w| Decimal::from_f64(w / total).unwrap_or_default().round_dp(9))
        .collect()
}

/// Each provider's running position under the contract: the lumpsum
/// factor from past adjustments, the adjustments taking effect this year,
/// and the cumulative result.
struct Positions {
    factor: Vec<Decimal>,
    /// (adjusted down, adjusted up for growth) for the coming year.
    pending: Vec<(bool, bool)>,
    cumulative: Vec<i64>,
}

impl Positions {
    fn new(providers: usize) -> Self {
        Positions {
            factor: vec![Decimal::ONE; providers],
            pending: vec![(false, false); providers],
            cumulative: vec![0i64; providers],
        }
    }

    /// Provider `p`'s year `y`; also adds its lumpsum above the base to `extra`.
    fn year(
        &mut self,
        model: &Model,
        p: usize,
        base: i64,
        cost: i64,
        shock: Decimal,
        extra: &mut i64,
    ) -> ProviderYear {
        let lumpsum = super::cents(
            Decimal::from(base) * self.factor[p] * (Decimal::ONE + shock) / Decimal::ONE_HUNDRED,
        );
        self.cumulative[p] += lumpsum - cost;
        *extra += (lumpsum - base).max(0);
        let (adjusted_down, adjusted_up_growth) = self.pending[p];
        ProviderYear {
            cost,
            base_lumpsum: base,
            lumpsum,
            result: lumpsum - cost,
            cumulative_result: self.cumulative[p],
            adjusted_down,
            adjusted_up_growth,
            adjusted_up_shock: shock > Decimal::ZERO,
            insolvent: model.money.providers[p]
                .solvency_threshold
                .is_some_and(|t| self.cumulative[p] < super::cents(t)),
        }
    }

    /// Adjustments decided after year `y`, taking effect the next year: at
    /// most one each (a declared shock next year replaces them). Autonomous
    /// growth: when the youth population the provider serves grew by more
    /// than the threshold during year `y`, its lumpsum factor is multiplied
    /// by 1 + (growth − threshold); otherwise a cost at least the downward
    /// threshold below the lumpsum sets the lumpsum to the cost level.
    fn decide(&mut self, model: &Model, y: usize, years: &[ProviderYear]) {
        let rules = &model.money.contract;
        let next_shock = rules.shocks.get(y + 1).is_some_and(|s| *s > Decimal::ZERO);
        // A p×q year's cost says nothing about a lumpsum nobody was paid:
        // only a year under the lumpsum contract leads to an adjustment.
        let in_force = model.money.regimes.lumpsum_in_force(y);
        for (p, this) in years.iter().enumerate() {
            self.pending[p] = (false, false);
            if next_shock || !in_force {
                continue; // the shock is next year's adjustment
            }
            let growth = population_growth(model, p, y);
            if let (Some(threshold), Some(g)) = (rules.upward_growth_threshold, growth)
                && g > threshold
            {
                self.factor[p] *= Decimal::ONE
                    + Decimal::from_f64(g - threshold)
                        .unwrap_or_default()
                        .round_dp(6);
                self.pending[p].1 = true;
            } else if this.lumpsum > 0
                && Decimal::from(this.cost)
                    <= (Decimal::ONE - rules.downward_threshold) * Decimal::from(this.lumpsum)
            {
                self.factor[p] *=
                    (Decimal::from(this.cost) / Decimal::from(this.lumpsum)).round_dp(9);
                self.pending[p].0 = true;
            }
        }
    }
}

/// Municipal contributions of year `y`: their shares of the total paid
/// out, the extra of an upward adjustment split as the contract says.
fn municipality_years(
    model: &Model,
    costs: &Costs,
    y: usize,
    shares: &[Decimal],
    total: i64,
    extra: i64,
) -> Vec<MunicipalityYear> {
    let n_m = model.municipalities.len();
    let contributions: Vec<i64> = match model.money.contract.extra_cost_split {
        ExtraCostSplit::Equal if extra > 0 => split_cents(total - extra, shares)
            .into_iter()
            .zip(split_cents(extra, &vec![Decimal::ONE; n_m]))
            .map(|(a, b)| a + b)
            .collect(),
        _ => split_cents(total, shares),
    };
    (0..n_m)
        .map(|m| {
            let own_cost = model
                .segments
                .iter()
                .enumerate()
                .filter(|(_, s)| s.municipality == m)
                .map(|(s, _)| costs.segment_total(y, s))
                .sum();
            MunicipalityYear {
                share: shares[m],
                contribution: contributions[m],
                own_cost,
            }
        })
        .collect()
}

/// Runs the contract over the horizon for one replication.
pub fn run_contract(
    model: &Model,
    exposure: &Exposure,
    costs: &Costs,
    provider_cost: &[i64],
) -> (Vec<ProviderYear>, Vec<MunicipalityYear>) {
    let money = &model.money;
    let rules = &money.contract;
    let (n_p, n_m) = (money.providers.len(), model.municipalities.len());
    let base_shares: Vec<Decimal> = money.providers.iter().map(|p| p.share).collect();
    let mut positions = Positions::new(n_p);
    let mut shares = table_shares(model, 0);
    let mut providers = Vec::with_capacity(model.years * n_p);
    let mut municipalities = Vec::with_capacity(model.years * n_m);
    for y in 0..model.years {
        let region = super::cents(model.prices.lumpsum_region[y]);
        let base = split_cents(region, &base_shares);
        let mut extra = 0i64;
        for p in 0..n_p {
            let cost = provider_cost[y * n_p + p];
            let year = positions.year(model, p, base[p], cost, rules.shocks[y], &mut extra);
            providers.push(year);
        }
        if rules.share_revision == ShareRevision::None {
            shares = table_shares(model, y);
        }
        let total: i64 = providers[y * n_p..].iter().map(|p| p.lumpsum).sum();
        municipalities.extend(municipality_years(model, costs, y, &shares, total, extra));
        positions.decide(model, y, &providers[y * n_p..]);
        if rules.share_revision == ShareRevision::ReachTimesAverageCost {
            shares = revised_shares(model, exposure, costs, y);
        }
    }
    (providers, municipalities)
}
