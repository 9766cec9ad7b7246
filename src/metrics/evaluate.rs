//! One replication's value of every column: flows and stocks from the
//! exposure record, money from the ledger (in cents).

use super::layout::{Cell, Layout};
use super::{Metric, Scope};
use crate::finance::{Component, Ledger, pool_shares, surcharge_amount, surcharge_vacancy};
use crate::model::Model;
use crate::record::{CellMetric, Exposure, PoolMetric};
use rust_decimal::prelude::ToPrimitive;
use std::ops::Range;

/// What one cell is evaluated against.
struct Replication<'a> {
    layout: &'a Layout,
    model: &'a Model,
    exposure: &'a Exposure,
    ledger: &'a Ledger,
}

impl Layout {
    /// Fills `out` (length `len()`) with this replication's values; money in cents.
    pub fn evaluate(
        &self,
        model: &Model,
        exposure: &Exposure,
        ledger: &Ledger,
        out: &mut Vec<f64>,
    ) {
        let r = Replication {
            layout: self,
            model,
            exposure,
            ledger,
        };
        out.clear();
        out.extend(self.cells.iter().map(|cell| r.value(cell)));
    }

    /// Σ over the scope's part of the cells of the chosen forms.
    fn weighted(&self, cell: &Cell, segments: usize, value: impl Fn(usize, usize) -> f64) -> f64 {
        let w = &self.weight[cell.scope];
        let forms = match cell.form {
            Some(f) => f..f + 1,
            None => 0..self.forms,
        };
        let mut total = 0.0;
        for s in 0..segments {
            for f in forms.clone() {
                let wf = w[s * self.forms + f];
                if wf != 0.0 {
                    total += wf * value(s, f);
                }
            }
        }
        total
    }
}

impl Replication<'_> {
    fn value(&self, cell: &Cell) -> f64 {
        match cell.metric {
            Metric::AdjustedDown
            | Metric::AdjustedUpGrowth
            | Metric::AdjustedUpShock
            | Metric::Insolvent => self.provider_flag(cell),
            Metric::CostEur
            | Metric::VacancyCostEur
            | Metric::FrictionCostEur
            | Metric::LumpsumEur
            | Metric::BalanceEur
            | Metric::CumulativeResultEur
            | Metric::ContributionShare
            | Metric::BookedCostEur
            | Metric::MidyearSeenEur
            | Metric::PaidEur(_)
            | Metric::BridgingCostEur
            | Metric::PaidSurchargeGivenEur
            | Metric::PaidSurchargeSimulatedEur
            | Metric::ProviderResultEur(_) => self.money(cell),
            Metric::SurchargeVacancy => cell.form.map_or(0.0, |f| {
                surcharge_vacancy(self.model, self.exposure, cell.year, f)
                    .to_f64()
                    .unwrap_or(0.0)
            }),
            _ => self.flow(cell),
        }
    }

    /// Σ of an exposure cell metric over the scope's part of the cell.
    fn sum(&self, cell: &Cell, m: CellMetric) -> f64 {
        let n = self.model.segments.len();
        self.layout
            .weighted(cell, n, |s, f| self.exposure.cell(cell.year, s, f, m))
    }

    /// As `sum`, counting only forms with places.
    fn place_sum(&self, cell: &Cell, m: CellMetric) -> f64 {
        let n = self.model.segments.len();
        self.layout.weighted(cell, n, |s, f| {
            if self.model.forms[f].has_places {
                self.exposure.cell(cell.year, s, f, m)
            } else {
                0.0
            }
        })
    }

    /// Σ of a pool metric over the scope's part of the pools of the form(s).
    fn pools(&self, cell: &Cell, m: PoolMetric) -> f64 {
        self.model
            .pools
            .iter()
            .enumerate()
            .filter(|(_, p)| cell.form.is_none_or(|f| f == p.form))
            .map(|(pi, pool)| {
                let w = if pool.split_by_use {
                    self.use_weight(cell, pi)
                } else {
                    self.layout.pool_weight[cell.scope][pi]
                };
                self.exposure.pool(cell.year, pi, m) * w
            })
            .sum()
    }

    /// The scope's part of a pool split by use in the cell's year (its
    /// segments' share of the pool's occupied place-days).
    fn use_weight(&self, cell: &Cell, pool: usize) -> f64 {
        let (w, forms) = (&self.layout.weight[cell.scope], self.layout.forms);
        let form = self.model.pools[pool].form;
        pool_shares(self.model, self.exposure, cell.year, pool)
            .iter()
            .map(|&(s, share)| share * w[s * forms + form])
            .sum()
    }

    /// Client flows, stocks, waiting and places.
    fn flow(&self, cell: &Cell) -> f64 {
        let sum = |m: CellMetric| self.sum(cell, m);
        let vacant = || self.pools(cell, PoolMetric::VacantDays);
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        match cell.metric {
            Metric::Inflow => sum(CellMetric::Inflow),
            Metric::Starts => sum(CellMetric::Starts),
            Metric::Outflow => sum(CellMetric::Outflow),
            Metric::ActiveEnd => sum(CellMetric::ActiveEnd),
            Metric::Clients => {
                let n = self.model.segments.len();
                let exposure = self.exposure;
                self.layout
                    .weighted(cell, n, |s, f| exposure.clients(cell.year, s, f))
            }
            Metric::ClientDays => sum(CellMetric::ClientDays),
            Metric::PlaceDaysOccupied => self.place_sum(cell, CellMetric::LocalDays),
            Metric::PlaceDaysVacant => vacant(),
            Metric::Occupancy => {
                let occupied = self.place_sum(cell, CellMetric::LocalDays);
                ratio(occupied, occupied + vacant())
            }
            Metric::WaitingEnd => sum(CellMetric::WaitingEnd),
            Metric::WaitDaysMean => ratio(sum(CellMetric::WaitDaysSum), sum(CellMetric::Starts)),
            Metric::PWait => ratio(sum(CellMetric::WaitedStarts), sum(CellMetric::Starts)),
            Metric::WaitDaysHomeMean => {
                ratio(sum(CellMetric::WaitDaysHomeSum), sum(CellMetric::Starts))
            }
            Metric::WaitDaysBlockedMean => {
                ratio(sum(CellMetric::WaitDaysBlockedSum), sum(CellMetric::Starts))
            }
            Metric::BlockedDays => sum(CellMetric::BlockedDays),
            Metric::OutOfRegionStarts => sum(CellMetric::OutOfRegionStarts),
            Metric::Reneged => sum(CellMetric::Reneged),
            Metric::AgedOut => sum(CellMetric::AgedOut),
            Metric::WaitingMean => sum(CellMetric::WaitingDays) / crate::calendar::DAYS_PER_YEAR,
            Metric::WaitDaysP90 => {
                let forms = cell.form.map_or(0..self.layout.forms, |f| f..f + 1);
                self.exposure.wait_quantile(cell.year, forms, 0.9)
            }
            Metric::Substituted => sum(CellMetric::Substituted),
            Metric::Escalated => sum(CellMetric::Escalated),
            Metric::Diverted => sum(CellMetric::Diverted),
            Metric::TransferredOut => sum(CellMetric::TransferredOut),
            Metric::LeftRegion => sum(CellMetric::LeftRegion),
            Metric::Places => self.pools(cell, PoolMetric::Capacity),
            Metric::BridgingDays => {
                let n = self.model.segments.len();
                self.layout.weighted(cell, n, |s, f| {
                    if self.model.forms[f].bridging {
                        self.exposure.cell(cell.year, s, f, CellMetric::WaitingDays)
                    } else {
                        0.0
                    }
                })
            }
            other => unreachable!("{} is not a flow metric", other.name()),
        }
    }

    /// Money (cents) and the municipality's contribution share.
    fn money(&self, cell: &Cell) -> f64 {
        let (ledger, y) = (self.ledger, cell.year);
        let scope = self.layout.scopes[cell.scope];
        let providers = 0..self.model.money.providers.len();
        let money = |v: i64| v as f64;
        let component = |c: Component| {
            let n = self.model.segments.len();
            self.layout
                .weighted(cell, n, |s, f| ledger.costs.component(y, s, f, c) as f64)
                .round()
        };
        match cell.metric {
            Metric::CostEur => self.cost(cell, scope),
            Metric::VacancyCostEur => component(Component::Vacancy),
            Metric::FrictionCostEur => component(Component::Friction),
            Metric::BridgingCostEur => component(Component::Bridging),
            Metric::PaidSurchargeGivenEur | Metric::PaidSurchargeSimulatedEur => {
                self.surcharge_paid(cell)
            }
            Metric::LumpsumEur => money(lumpsum(ledger, scope, y, providers)),
            Metric::BalanceEur => {
                let cost = match scope {
                    Scope::Municipality(m) => ledger.municipality(y, m).own_cost,
                    Scope::Provider(p) => ledger.provider(y, p).cost,
                    _ => providers.clone().map(|p| ledger.provider(y, p).cost).sum(),
                };
                money(lumpsum(ledger, scope, y, providers) - cost)
            }
            Metric::CumulativeResultEur => {
                provider_value(scope, |p| money(ledger.provider(y, p).cumulative_result))
            }
            Metric::ContributionShare => match scope {
                Scope::Municipality(m) => ledger.municipality(y, m).share.to_f64().unwrap_or(0.0),
                _ => 0.0,
            },
            Metric::BookedCostEur => money(ledger.booked[y]),
            Metric::MidyearSeenEur => money(ledger.midyear_seen[y]),
            Metric::PaidEur(r) => money(match scope {
                Scope::Provider(p) => ledger.regime_paid_to(y, r, p),
                Scope::Municipality(m) => ledger.regime_paid_by(y, r, m),
                _ => providers.map(|p| ledger.regime_paid_to(y, r, p)).sum(),
            }),
            Metric::ProviderResultEur(r) => {
                let result = |p: usize| ledger.regime_paid_to(y, r, p) - ledger.provider(y, p).cost;
                money(match scope {
                    Scope::Provider(p) => result(p),
                    _ => providers.map(result).sum(),
                })
            }
            other => unreachable!("{} is not a money metric", other.name()),
        }
    }

    /// The surcharge regime's payment for the scope's cells of the form(s),
    /// at the given or at the simulated vacancy (cents).
    fn surcharge_paid(&self, cell: &Cell) -> f64 {
        let (m, e, y) = (self.model, self.exposure, cell.year);
        let given = cell.metric == Metric::PaidSurchargeGivenEur;
        let vacancy = |f: usize| {
            if given {
                m.money.regimes.expected_vacancy[f]
            } else {
                surcharge_vacancy(m, e, y, f)
            }
        };
        let costs = &self.ledger.costs;
        self.layout
            .weighted(cell, m.segments.len(), |s, f| {
                surcharge_amount(costs, y, s, f, vacancy(f)) as f64
            })
            .round()
    }

    /// The cost of a party (its own ledger line) or of a care form (priced cells).
    fn cost(&self, cell: &Cell, scope: Scope) -> f64 {
        let (ledger, y) = (self.ledger, cell.year);
        let n = self.model.segments.len();
        let providers = 0..self.model.money.providers.len();
        let cents = match (scope, cell.form) {
            (Scope::Region, None) => providers.map(|p| ledger.provider(y, p).cost).sum(),
            (Scope::Municipality(m), None) => ledger.municipality(y, m).own_cost,
            (Scope::Provider(p), None) => ledger.provider(y, p).cost,
            (Scope::Area(a), None) => (0..n)
                .filter(|&s| self.model.segments[s].area == a)
                .map(|s| ledger.costs.segment_total(y, s))
                .sum(),
            _ => {
                return self
                    .layout
                    .weighted(cell, n, |s, f| ledger.costs.get(y, s, f) as f64)
                    .round();
            }
        };
        cents as f64
    }

    /// A provider's yes/no contract event as 1 or 0.
    fn provider_flag(&self, cell: &Cell) -> f64 {
        let scope = self.layout.scopes[cell.scope];
        let flag = |b: bool| f64::from(u8::from(b));
        let year = |p: usize| self.ledger.provider(cell.year, p);
        match cell.metric {
            Metric::AdjustedDown => provider_value(scope, |p| flag(year(p).adjusted_down)),
            Metric::AdjustedUpGrowth => provider_value(scope, |p| flag(year(p).adjusted_up_growth)),
            Metric::AdjustedUpShock => provider_value(scope, |p| flag(year(p).adjusted_up_shock)),
            Metric::Insolvent => provider_value(scope, |p| flag(year(p).insolvent)),
            other => unreachable!("{} is not a provider flag", other.name()),
        }
    }
}

fn lumpsum(ledger: &Ledger, scope: Scope, y: usize, providers: Range<usize>) -> i64 {
    match scope {
        Scope::Municipality(m) => ledger.municipality(y, m).contribution,
        Scope::Provider(p) => ledger.provider(y, p).lumpsum,
        _ => providers.map(|p| ledger.provider(y, p).lumpsum).sum(),
    }
}

fn provider_value(scope: Scope, f: impl Fn(usize) -> f64) -> f64 {
    match scope {
        Scope::Provider(p) => f(p),
        _ => 0.0,
    }
}
