//! Turns one replication's exposure and ledger into a flat vector of metric
//! values, one per output cell (year × scope × care form × metric). The
//! layout is fixed per model, so replications stream to disk as plain rows
//! and quantiles are taken column by column.

mod metric;
pub mod quantile;

pub use metric::{Metric, ScopeKind};

use crate::finance::{Component, Ledger};
use crate::model::Model;
use crate::record::{CellMetric, Exposure, PoolMetric};
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Region,
    Municipality(usize),
    Area(usize),
    Provider(usize),
}

impl Scope {
    fn kind(self) -> ScopeKind {
        match self {
            Scope::Region => ScopeKind::Region,
            Scope::Municipality(_) => ScopeKind::Municipality,
            Scope::Area(_) => ScopeKind::Area,
            Scope::Provider(_) => ScopeKind::Provider,
        }
    }
}

/// One output column as written in the result files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnKey {
    pub year: i32,
    pub municipality: String,
    pub area: String,
    pub provider: String,
    pub care_form: String,
    pub metric: String,
    pub money: bool,
}

impl ColumnKey {
    /// `region`, `municipality`, `area` or `provider`, and the scope's name.
    pub fn scope(&self) -> (&'static str, &str) {
        if self.municipality != ALL {
            ("municipality", &self.municipality)
        } else if self.area != ALL {
            ("area", &self.area)
        } else if self.provider != ALL {
            ("provider", &self.provider)
        } else {
            ("region", "region")
        }
    }
}

pub const ALL: &str = "all";

#[derive(Clone, Copy, Debug)]
struct Cell {
    year: usize,
    scope: usize,
    /// Care form index, or `None` for all forms.
    form: Option<usize>,
    metric: Metric,
}

/// The fixed mapping from output columns to how each is computed.
pub struct Layout {
    cells: Vec<Cell>,
    pub keys: Vec<ColumnKey>,
    scopes: Vec<Scope>,
    /// [scope][segment × forms + form] → part of that cell belonging to the scope.
    weight: Vec<Vec<f64>>,
    /// [scope][pool] → part of the pool's vacancy attributed to the scope.
    pool_weight: Vec<Vec<f64>>,
    forms: usize,
}

impl Layout {
    pub fn new(model: &Model) -> Self {
        let forms = model.forms.len();
        let areas = model.areas.len();
        let mut scopes = vec![Scope::Region];
        scopes.extend((0..model.municipalities.len()).map(Scope::Municipality));
        scopes.extend((0..model.areas.len()).map(Scope::Area));
        scopes.extend((0..model.money.providers.len()).map(Scope::Provider));
        let weight: Vec<Vec<f64>> = scopes
            .iter()
            .map(|scope| {
                let mut w = vec![0.0; model.segments.len() * forms];
                for (s, seg) in model.segments.iter().enumerate() {
                    for f in 0..forms {
                        w[s * forms + f] = match *scope {
                            Scope::Region => 1.0,
                            Scope::Municipality(m) => f64::from(seg.municipality == m),
                            Scope::Area(a) => f64::from(seg.area == a),
                            Scope::Provider(p) => model.money.coverage[f * areas + seg.area]
                                .iter()
                                .filter(|(q, _)| *q == p)
                                .map(|(_, w)| w.to_f64().unwrap_or(0.0))
                                .sum(),
                        };
                    }
                }
                w
            })
            .collect();
        let pool_weight = weight
            .iter()
            .map(|w| {
                model
                    .pools
                    .iter()
                    .map(|pool| {
                        pool.catchment
                            .iter()
                            .map(|(s, share)| share * w[s * forms + pool.form])
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let any_places = model.forms.iter().any(|f| f.has_places);
        let metrics = Metric::all();
        let mut cells = Vec::new();
        let mut keys = Vec::new();
        for year in 0..model.years {
            for (si, scope) in scopes.iter().enumerate() {
                let (municipality, area, provider) = match *scope {
                    Scope::Region => (ALL, ALL, ALL),
                    Scope::Municipality(m) => (model.municipalities[m].name.as_str(), ALL, ALL),
                    Scope::Area(a) => (ALL, model.areas[a].name.as_str(), ALL),
                    Scope::Provider(p) => (ALL, ALL, model.money.providers[p].name.as_str()),
                };
                for form in (0..forms).map(Some).chain(std::iter::once(None)) {
                    let has_places = form.map_or(any_places, |f| model.forms[f].has_places);
                    for &metric in &metrics {
                        if !metric.applies(scope.kind(), form, has_places) {
                            continue;
                        }
                        cells.push(Cell {
                            year,
                            scope: si,
                            form,
                            metric,
                        });
                        keys.push(ColumnKey {
                            year: model.start_year + year as i32,
                            municipality: municipality.to_string(),
                            area: area.to_string(),
                            provider: provider.to_string(),
                            care_form: form
                                .map_or(ALL.to_string(), |f| model.forms[f].name.clone()),
                            metric: metric.name(),
                            money: metric.is_money(),
                        });
                    }
                }
            }
        }
        Layout {
            cells,
            keys,
            scopes,
            weight,
            pool_weight,
            forms,
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Fills `out` (length `len()`) with this replication's values; money in cents.
    pub fn evaluate(
        &self,
        model: &Model,
        exposure: &Exposure,
        ledger: &Ledger,
        out: &mut Vec<f64>,
    ) {
        out.clear();
        for cell in &self.cells {
            out.push(self.value(model, exposure, ledger, cell));
        }
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

    fn value(&self, model: &Model, e: &Exposure, ledger: &Ledger, cell: &Cell) -> f64 {
        let y = cell.year;
        let n = model.segments.len();
        let sum = |m: CellMetric| self.weighted(cell, n, |s, f| e.cell(y, s, f, m));
        let place_sum = |m: CellMetric| {
            self.weighted(cell, n, |s, f| {
                if model.forms[f].has_places {
                    e.cell(y, s, f, m)
                } else {
                    0.0
                }
            })
        };
        let pools = |m: PoolMetric| -> f64 {
            model
                .pools
                .iter()
                .enumerate()
                .filter(|(_, p)| cell.form.is_none_or(|f| f == p.form))
                .map(|(pi, _)| e.pool(y, pi, m) * self.pool_weight[cell.scope][pi])
                .sum()
        };
        let vacant = || pools(PoolMetric::VacantDays);
        let component = |c: Component| {
            self.weighted(cell, n, |s, f| ledger.costs.component(y, s, f, c) as f64)
                .round()
        };
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        let scope = self.scopes[cell.scope];
        let providers = 0..model.money.providers.len();
        let money = |v: i64| v as f64;
        let flag = |b: bool| f64::from(u8::from(b));
        match cell.metric {
            Metric::Inflow => sum(CellMetric::Inflow),
            Metric::Starts => sum(CellMetric::Starts),
            Metric::Outflow => sum(CellMetric::Outflow),
            Metric::ActiveEnd => sum(CellMetric::ActiveEnd),
            Metric::ClientDays => sum(CellMetric::ClientDays),
            Metric::PlaceDaysOccupied => place_sum(CellMetric::LocalDays),
            Metric::PlaceDaysVacant => vacant(),
            Metric::Occupancy => {
                let occupied = place_sum(CellMetric::LocalDays);
                ratio(occupied, occupied + vacant())
            }
            Metric::WaitingEnd => sum(CellMetric::WaitingEnd),
            Metric::WaitDaysMean => ratio(sum(CellMetric::WaitDaysSum), sum(CellMetric::Starts)),
            Metric::BlockedDays => sum(CellMetric::BlockedDays),
            Metric::OutOfRegionStarts => sum(CellMetric::OutOfRegionStarts),
            Metric::Reneged => sum(CellMetric::Reneged),
            Metric::AgedOut => sum(CellMetric::AgedOut),
            Metric::WaitingMean => sum(CellMetric::WaitingDays) / crate::calendar::DAYS_PER_YEAR,
            Metric::WaitDaysP90 => match cell.form {
                Some(f) => e.wait_quantile(y, f..f + 1, 0.9),
                None => e.wait_quantile(y, 0..self.forms, 0.9),
            },
            Metric::Substituted => sum(CellMetric::Substituted),
            Metric::Escalated => sum(CellMetric::Escalated),
            Metric::Diverted => sum(CellMetric::Diverted),
            Metric::TransferredOut => sum(CellMetric::TransferredOut),
            Metric::Places => pools(PoolMetric::Capacity),
            Metric::CostEur => match (scope, cell.form) {
                (Scope::Region, None) => money(providers.map(|p| ledger.provider(y, p).cost).sum()),
                (Scope::Municipality(m), None) => money(ledger.municipality(y, m).own_cost),
                (Scope::Provider(p), None) => money(ledger.provider(y, p).cost),
                (Scope::Area(a), None) => money(
                    (0..n)
                        .filter(|&s| model.segments[s].area == a)
                        .map(|s| ledger.costs.segment_total(y, s))
                        .sum(),
                ),
                _ => self
                    .weighted(cell, n, |s, f| ledger.costs.get(y, s, f) as f64)
                    .round(),
            },
            Metric::VacancyCostEur => component(Component::Vacancy),
            Metric::FrictionCostEur => component(Component::Friction),
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
            Metric::AdjustedDown => {
                provider_value(scope, |p| flag(ledger.provider(y, p).adjusted_down))
            }
            Metric::AdjustedUpGrowth => {
                provider_value(scope, |p| flag(ledger.provider(y, p).adjusted_up_growth))
            }
            Metric::AdjustedUpShock => {
                provider_value(scope, |p| flag(ledger.provider(y, p).adjusted_up_shock))
            }
            Metric::Insolvent => provider_value(scope, |p| flag(ledger.provider(y, p).insolvent)),
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
        }
    }
}

fn lumpsum(ledger: &Ledger, scope: Scope, y: usize, providers: std::ops::Range<usize>) -> i64 {
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
