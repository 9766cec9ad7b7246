//! Providers and what they deliver, the contract rules, the financing
//! regimes' parameters and the declaration lag's booking fractions.

use super::forms::youth_at;
use super::values::{decimal, money};
use crate::calendar::DAYS_PER_YEAR;
use crate::engine::{Purpose, StreamFactory};
use crate::model::contract::{
    ContractModel, ExtraCostSplit, LagModel, ProviderModel, RegimeModel, SINGLE_PROVIDER,
    ShareRevision,
};
use crate::model::{Duration, Form, Money, Prices};
use crate::scenario::schema::{self, Scenario};
use rust_decimal::Decimal;

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

/// The money side of the model: providers, contract rules, regimes, lag.
pub fn compile_money(
    s: &Scenario,
    forms: &[Form],
    prices: &Prices,
    lag_delay: Option<Duration>,
) -> Money {
    let (providers, coverage, fixed_cost_provider) = if s.providers.is_empty() {
        single_provider(s)
    } else {
        providers(s)
    };
    Money {
        providers,
        coverage,
        fixed_cost_provider,
        contract: contract(s, served_youth(s)),
        regimes: regimes(s, forms, prices),
        lag: lag_delay.as_ref().map(lag_model),
    }
}

/// Providers, coverage ([form × areas + area] → providers with weights
/// summing to 1) and the provider carrying the fixed costs.
type Providers = (Vec<ProviderModel>, Vec<Vec<(usize, Decimal)>>, usize);

/// One implicit provider delivering everything.
fn single_provider(s: &Scenario) -> Providers {
    let p = ProviderModel {
        name: SINGLE_PROVIDER.into(),
        label: "All providers".into(),
        share: Decimal::ONE,
        solvency_threshold: None,
    };
    let cells = s.care_forms.len() * s.areas.len();
    (vec![p], vec![vec![(0, Decimal::ONE)]; cells], 0)
}

fn providers(s: &Scenario) -> Providers {
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
    let mut coverage = Vec::with_capacity(s.care_forms.len() * s.areas.len());
    for f in s.care_forms.keys() {
        for a in s.areas.keys() {
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
}

/// Per provider, the youth population of the areas it serves (all areas
/// when it names none, and for the implicit single provider) in the year
/// before the start and in each horizon year.
fn served_youth(s: &Scenario) -> Vec<Vec<f64>> {
    let start = s.horizon.start_year;
    let path = |serves: &dyn Fn(&str) -> bool| -> Vec<f64> {
        (start - 1..start + s.horizon.years as i32)
            .map(|year| {
                s.areas
                    .iter()
                    .filter(|(name, _)| serves(name))
                    .flat_map(|(_, area)| {
                        area.youth
                            .values()
                            .map(move |y0| youth_at(s, area, *y0, year))
                    })
                    .sum()
            })
            .collect()
    };
    if s.providers.is_empty() {
        return vec![path(&|_| true)];
    }
    s.providers
        .values()
        .map(|p| path(&|a| p.areas.is_empty() || p.areas.iter().any(|x| x == a)))
        .collect()
}

fn contract(s: &Scenario, served_youth: Vec<Vec<f64>>) -> ContractModel {
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let mut shocks = vec![Decimal::ZERO; years];
    for (year, v) in &s.contract.shocks {
        if let Ok(y) = year.parse::<i32>()
            && (start..start + years as i32).contains(&y)
        {
            shocks[(y - start) as usize] = decimal(*v);
        }
    }
    ContractModel {
        downward_threshold: decimal(s.contract.downward_threshold),
        upward_growth_threshold: s.contract.upward_growth_threshold,
        served_youth,
        shocks,
        extra_cost_split: match s.contract.extra_cost_split {
            schema::ExtraCostSplit::ProRata => ExtraCostSplit::ProRata,
            schema::ExtraCostSplit::Equal => ExtraCostSplit::Equal,
        },
        share_revision: match s.contract.share_revision {
            schema::ShareRevision::ReachTimesAverageCost => ShareRevision::ReachTimesAverageCost,
            schema::ShareRevision::None => ShareRevision::None,
        },
    }
}

/// Parameters of the financing regimes; a trajectory price defaults to
/// (tariff + place-day cost) × mean duration.
fn regimes(s: &Scenario, forms: &[Form], prices: &Prices) -> RegimeModel {
    let years = s.horizon.years as usize;
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
    let vacancy = |f: &Form| s.regimes.expected_vacancy.get(&f.name).copied();
    RegimeModel {
        trajectory_price,
        expected_vacancy: forms
            .iter()
            .map(|f| decimal(vacancy(f).unwrap_or(0.15)))
            .collect(),
        availability_occupancy: decimal(s.regimes.availability_occupancy.unwrap_or(0.85)),
        vacancy_simulated: s.regimes.vacancy_basis == schema::VacancyBasis::Simulated,
    }
}
