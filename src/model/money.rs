//! The money side of the compiled model: prices with indexation, the
//! lumpsum path, providers and what they deliver, contract rules, financing
//! regime parameters and the declaration lag.

use super::{Duration, Form, Segment, compile::money};
use crate::calendar::DAYS_PER_YEAR;
use crate::engine::{Purpose, StreamFactory};
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, Extend, Overflow, Scenario};
use crate::scenario::schema::{ExtraCostSplit, IndexGap, ShareRevision};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Prices per horizon year, in euros, as exact decimals (indexed).
#[derive(Clone, Debug)]
pub struct Prices {
    /// [form][year] euros per client-day.
    pub tariff: Vec<Vec<Decimal>>,
    /// [form] multiplier on the tariff for out-of-region days.
    pub out_of_region_multiplier: Vec<Decimal>,
    /// [form][year] euros per place-day (occupied or vacant).
    pub place_day: Vec<Vec<Decimal>>,
    /// [area][year] euros per year.
    pub area_teams: Vec<Vec<Decimal>>,
    /// [year] euros per year.
    pub crisis_service: Vec<Decimal>,
    /// [year] region lumpsum after savings targets and indexation.
    pub lumpsum_region: Vec<Decimal>,
    /// [municipality][year] budget-table contribution after savings and indexation.
    pub lumpsum_municipality: Vec<Vec<Decimal>>,
    /// [form][year] one-off cost per closed place (afbouw friction).
    pub friction_per_closed_place: Vec<Vec<Decimal>>,
    /// [form][year] yearly cost of one FTE of a staff-based form.
    pub staff_cost_per_fte: Vec<Vec<Decimal>>,
    /// [year] cost of the running interventions.
    pub interventions: Vec<Decimal>,
}

#[derive(Clone, Debug)]
pub struct ProviderModel {
    pub name: String,
    pub label: String,
    /// Share of the region lumpsum.
    pub share: Decimal,
    pub solvency_threshold: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct ContractModel {
    pub downward_threshold: Decimal,
    pub upward_growth_threshold: Option<f64>,
    /// [year] declared shock (lumpsum increase for that year), 0 if none.
    pub shocks: Vec<Decimal>,
    pub extra_cost_split: ExtraCostSplit,
    pub share_revision: ShareRevision,
}

#[derive(Clone, Debug)]
pub struct RegimeModel {
    /// [form][year] price per episode.
    pub trajectory_price: Vec<Vec<Decimal>>,
    /// [form] expected vacancy fraction for the surcharge.
    pub expected_vacancy: Vec<Decimal>,
    pub availability_occupancy: Decimal,
}

/// Fractions of a year's delivered cost booked in the same year, the next,
/// and the one after; and the part of the first half-year's cost booked by
/// mid-year (what a mid-year report sees).
#[derive(Clone, Debug)]
pub struct LagModel {
    pub booked: [Decimal; 3],
    pub seen_at_midyear: Decimal,
}

#[derive(Clone, Debug)]
pub struct Money {
    pub providers: Vec<ProviderModel>,
    /// [form * areas + area] → providers delivering it, with weights summing to 1.
    pub coverage: Vec<Vec<(usize, Decimal)>>,
    /// Provider carrying area teams and the crisis service.
    pub fixed_cost_provider: usize,
    pub contract: ContractModel,
    pub regimes: RegimeModel,
    pub lag: Option<LagModel>,
}

/// Name of the implicit provider when a scenario declares none.
pub const SINGLE_PROVIDER: &str = "single_provider";

fn decimal(v: f64) -> Decimal {
    Decimal::from_str(&format!("{v}")).unwrap_or_default()
}

/// Cumulative index factors per horizon year from `base_year`.
fn index_path(profile: &Profile, base_year: i32, start: i32, years: usize) -> Vec<Decimal> {
    (0..years as i32)
        .map(|y| {
            (base_year + 1..=start + y).fold(Decimal::ONE, |f, year| {
                f * (Decimal::ONE + decimal(profile.at(year)))
            })
        })
        .collect()
}

/// A lumpsum profile per horizon year, extended after the last table year
/// flat or by a yearly trend.
fn lumpsum_path(
    profile: &Profile,
    extend: Extend,
    trend: f64,
    start: i32,
    years: usize,
) -> Vec<f64> {
    let last = match profile {
        Profile::Table(t) => t.keys().next_back().copied(),
        _ => None,
    };
    (0..years as i32)
        .map(|y| {
            let year = start + y;
            match (extend, last) {
                (Extend::Trend, Some(l)) if year > l => {
                    profile.at(l) * (1.0 + trend).powi(year - l)
                }
                _ => profile.at(year),
            }
        })
        .collect()
}

pub fn compile_prices(s: &Scenario, segments: &[Segment]) -> Prices {
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let (cost_index, lumpsum_index) = match &s.indexation {
        Some(ix) => {
            let costs = index_path(&ix.costs, ix.base_year, start, years);
            let lumpsum = match ix.gap {
                IndexGap::ShrinksTask => index_path(&ix.lumpsum, ix.base_year, start, years),
                IndexGap::FollowsCosts => costs.clone(),
            };
            (costs, lumpsum)
        }
        None => (vec![Decimal::ONE; years], vec![Decimal::ONE; years]),
    };
    let indexed = |values: Vec<f64>, index: &[Decimal]| -> Vec<Decimal> {
        values
            .into_iter()
            .zip(index)
            .map(|(v, i)| (money(v) * i).round_dp(2))
            .collect()
    };
    let cost_path = |p: &Profile| {
        indexed(
            (0..years).map(|y| p.at(start + y as i32)).collect(),
            &cost_index,
        )
    };
    let zero = vec![Decimal::ZERO; years];
    let savings = |m: &crate::scenario::schema::Municipality| -> Vec<f64> {
        (0..years)
            .map(|y| {
                m.savings_target
                    .as_ref()
                    .map_or(0.0, |p| p.at(start + y as i32))
            })
            .collect()
    };
    let trend = s.lumpsum.trend.unwrap_or(0.0);
    let total_savings: Vec<f64> = (0..years)
        .map(|y| s.municipalities.values().map(|m| savings(m)[y]).sum())
        .collect();
    let region: Vec<f64> = lumpsum_path(&s.lumpsum.region, s.lumpsum.extend, trend, start, years)
        .into_iter()
        .zip(&total_savings)
        .map(|(l, sv)| l - sv)
        .collect();
    let total_youth: f64 = segments.iter().map(|s| s.youth[0]).sum();
    let lumpsum_municipality = s
        .municipalities
        .values()
        .enumerate()
        .map(|(mi, m)| {
            let gross = match &m.lumpsum {
                Some(p) => lumpsum_path(p, s.lumpsum.extend, trend, start, years),
                None => {
                    let youth: f64 = segments
                        .iter()
                        .filter(|s| s.municipality == mi)
                        .map(|s| s.youth[0])
                        .sum();
                    let share = if total_youth > 0.0 {
                        youth / total_youth
                    } else {
                        0.0
                    };
                    region
                        .iter()
                        .zip(&total_savings)
                        .map(|(r, sv)| (r + sv) * share)
                        .collect()
                }
            };
            let net = gross
                .into_iter()
                .zip(savings(m))
                .map(|(g, sv)| g - sv)
                .collect();
            indexed(net, &lumpsum_index)
        })
        .collect();
    Prices {
        tariff: s
            .care_forms
            .values()
            .map(|f| cost_path(&f.tariff))
            .collect(),
        out_of_region_multiplier: s
            .care_forms
            .values()
            .map(|f| match f.overflow {
                Overflow::OutOfRegion { tariff_multiplier } => decimal(tariff_multiplier),
                _ => Decimal::ONE,
            })
            .collect(),
        place_day: s
            .care_forms
            .values()
            .map(|f| {
                f.fixed_cost_per_place_day
                    .as_ref()
                    .map_or_else(|| zero.clone(), &cost_path)
            })
            .collect(),
        area_teams: s
            .areas
            .keys()
            .map(|a| {
                s.fixed_costs
                    .area_teams
                    .get(a)
                    .map_or_else(|| zero.clone(), &cost_path)
            })
            .collect(),
        crisis_service: s
            .fixed_costs
            .crisis_service
            .as_ref()
            .map_or_else(|| zero.clone(), &cost_path),
        lumpsum_region: indexed(region, &lumpsum_index),
        lumpsum_municipality,
        friction_per_closed_place: s
            .care_forms
            .values()
            .map(|f| {
                f.friction_cost_per_closed_place
                    .as_ref()
                    .map_or_else(|| zero.clone(), &cost_path)
            })
            .collect(),
        staff_cost_per_fte: s
            .care_forms
            .values()
            .map(|f| match &f.capacity {
                Capacity::Staff(staff) => cost_path(&staff.cost_per_fte),
                _ => zero.clone(),
            })
            .collect(),
        interventions: indexed(super::landscape::intervention_costs(s), &cost_index),
    }
}

/// Fractions of the lag distribution, from a fixed stream (deterministic).
fn lag_model(delay: &Duration) -> LagModel {
    const DRAWS: usize = 200_000;
    let mut rng = StreamFactory::new(0x1A6).stream(0, Purpose::Other, 0);
    let mut booked = [0usize; 3];
    let mut seen = 0usize;
    for i in 0..DRAWS {
        // Delivery spread evenly over the year (stratified), lag drawn.
        let delivered = (i as f64 + 0.5) / DRAWS as f64 * DAYS_PER_YEAR;
        let lag = delay.sample(&mut rng);
        let years_later = ((delivered + lag) / DAYS_PER_YEAR).floor() as usize;
        booked[years_later.min(2)] += 1;
        if delivered < 182.5 && delivered + lag < 182.5 {
            seen += 1;
        }
    }
    let frac =
        |n: usize, of: usize| (Decimal::from(n as u64) / Decimal::from(of as u64)).round_dp(6);
    LagModel {
        booked: [
            frac(booked[0], DRAWS),
            frac(booked[1], DRAWS),
            frac(booked[2], DRAWS),
        ],
        seen_at_midyear: frac(seen, DRAWS / 2),
    }
}

pub fn compile_money(
    s: &Scenario,
    forms: &[Form],
    prices: &Prices,
    lag_delay: Option<Duration>,
) -> Money {
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let form_names: Vec<&String> = s.care_forms.keys().collect();
    let area_names: Vec<&String> = s.areas.keys().collect();
    let (providers, coverage, fixed_cost_provider) = if s.providers.is_empty() {
        let p = ProviderModel {
            name: SINGLE_PROVIDER.into(),
            label: "All providers".into(),
            share: Decimal::ONE,
            solvency_threshold: None,
        };
        (
            vec![p],
            vec![vec![(0, Decimal::ONE)]; form_names.len() * area_names.len()],
            0,
        )
    } else {
        let providers: Vec<ProviderModel> = s
            .providers
            .iter()
            .map(|(n, p)| ProviderModel {
                name: n.clone(),
                label: p.label.clone().unwrap_or_else(|| n.clone()),
                share: decimal(p.share),
                solvency_threshold: p.solvency_threshold.map(money),
            })
            .collect();
        let mut coverage = Vec::with_capacity(form_names.len() * area_names.len());
        for f in &form_names {
            for a in &area_names {
                let members: Vec<(usize, Decimal)> = s
                    .providers
                    .values()
                    .enumerate()
                    .filter(|(_, p)| {
                        (p.forms.is_empty() || p.forms.contains(f))
                            && (p.areas.is_empty() || p.areas.contains(a))
                    })
                    .map(|(i, p)| (i, decimal(p.overlap_weight.unwrap_or(1.0))))
                    .collect();
                let members = if members.len() == 1 {
                    vec![(members[0].0, Decimal::ONE)]
                } else {
                    members
                };
                coverage.push(members);
            }
        }
        let fixed = s
            .providers
            .values()
            .position(|p| p.carries_fixed_costs)
            .unwrap_or(0);
        (providers, coverage, fixed)
    };
    let mut shocks = vec![Decimal::ZERO; years];
    for (year, v) in &s.contract.shocks {
        if let Ok(y) = year.parse::<i32>()
            && (start..start + years as i32).contains(&y)
        {
            shocks[(y - start) as usize] = decimal(*v);
        }
    }
    let trajectory_price = forms
        .iter()
        .enumerate()
        .map(|(f, form)| {
            (0..years)
                .map(|y| match s.regimes.trajectory_price.get(&form.name) {
                    Some(v) => money(*v),
                    None => {
                        let days = decimal((form.duration.mean() * 100.0).round() / 100.0);
                        ((prices.tariff[f][y] + prices.place_day[f][y]) * days).round_dp(2)
                    }
                })
                .collect()
        })
        .collect();
    Money {
        providers,
        coverage,
        fixed_cost_provider,
        contract: ContractModel {
            downward_threshold: decimal(s.contract.downward_threshold),
            upward_growth_threshold: s.contract.upward_growth_threshold,
            shocks,
            extra_cost_split: s.contract.extra_cost_split,
            share_revision: s.contract.share_revision,
        },
        regimes: RegimeModel {
            trajectory_price,
            expected_vacancy: forms
                .iter()
                .map(|f| {
                    decimal(
                        s.regimes
                            .expected_vacancy
                            .get(&f.name)
                            .copied()
                            .unwrap_or(0.15),
                    )
                })
                .collect(),
            availability_occupancy: decimal(s.regimes.availability_occupancy.unwrap_or(0.85)),
        },
        lag: lag_delay.as_ref().map(lag_model),
    }
}
