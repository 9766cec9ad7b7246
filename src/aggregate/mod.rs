//! Turns one replication's exposure and costs into a flat vector of metric
//! values, one per output cell (year × scope × care form × metric). The
//! layout is fixed per model, so replications stream to disk as plain rows
//! and quantiles are taken column by column.

pub mod quantile;

use crate::finance::{Costs, lumpsum_cents};
use crate::model::Model;
use crate::sim::{CellMetric, Exposure, PoolMetric};
use serde::{Deserialize, Serialize};

/// Output metrics, in output order. Names are the stable contract of DESIGN §4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Inflow,
    Starts,
    Outflow,
    ActiveEnd,
    ClientDays,
    PlaceDaysOccupied,
    PlaceDaysVacant,
    Occupancy,
    WaitingEnd,
    WaitDaysMean,
    BlockedDays,
    OutOfRegionStarts,
    Reneged,
    AgedOut,
    CostEur,
    LumpsumEur,
    BalanceEur,
}

impl Metric {
    pub const ALL: [Metric; 17] = [
        Metric::Inflow,
        Metric::Starts,
        Metric::Outflow,
        Metric::ActiveEnd,
        Metric::ClientDays,
        Metric::PlaceDaysOccupied,
        Metric::PlaceDaysVacant,
        Metric::Occupancy,
        Metric::WaitingEnd,
        Metric::WaitDaysMean,
        Metric::BlockedDays,
        Metric::OutOfRegionStarts,
        Metric::Reneged,
        Metric::AgedOut,
        Metric::CostEur,
        Metric::LumpsumEur,
        Metric::BalanceEur,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Inflow => "inflow",
            Metric::Starts => "starts",
            Metric::Outflow => "outflow",
            Metric::ActiveEnd => "active_end",
            Metric::ClientDays => "client_days",
            Metric::PlaceDaysOccupied => "place_days_occupied",
            Metric::PlaceDaysVacant => "place_days_vacant",
            Metric::Occupancy => "occupancy",
            Metric::WaitingEnd => "waiting_end",
            Metric::WaitDaysMean => "wait_days_mean",
            Metric::BlockedDays => "blocked_days",
            Metric::OutOfRegionStarts => "out_of_region_starts",
            Metric::Reneged => "reneged",
            Metric::AgedOut => "aged_out",
            Metric::CostEur => "cost_eur",
            Metric::LumpsumEur => "lumpsum_eur",
            Metric::BalanceEur => "balance_eur",
        }
    }

    /// Money metrics are stored in cents and written in euros.
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Metric::CostEur | Metric::LumpsumEur | Metric::BalanceEur
        )
    }

    fn is_place_metric(self) -> bool {
        matches!(
            self,
            Metric::PlaceDaysOccupied | Metric::PlaceDaysVacant | Metric::Occupancy
        )
    }

    /// Metrics written per replication to `replications.csv`.
    pub fn is_headline(self) -> bool {
        matches!(
            self,
            Metric::Inflow
                | Metric::ActiveEnd
                | Metric::WaitingEnd
                | Metric::ClientDays
                | Metric::CostEur
                | Metric::LumpsumEur
                | Metric::BalanceEur
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Region,
    Municipality(usize),
    Area(usize),
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
    /// `region`, `municipality` or `area`: the scope whose column names it.
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
    /// [scope] → member segments.
    members: Vec<Vec<usize>>,
    /// [scope][pool] → share of the pool's vacancy attributed to the scope.
    pool_weight: Vec<Vec<f64>>,
}

impl Layout {
    pub fn new(model: &Model) -> Self {
        let mut scopes = vec![Scope::Region];
        scopes.extend((0..model.municipalities.len()).map(Scope::Municipality));
        scopes.extend((0..model.areas.len()).map(Scope::Area));
        let members: Vec<Vec<usize>> = scopes
            .iter()
            .map(|scope| {
                (0..model.segments.len())
                    .filter(|&s| match scope {
                        Scope::Region => true,
                        Scope::Municipality(m) => model.segments[s].municipality == *m,
                        Scope::Area(a) => model.segments[s].area == *a,
                    })
                    .collect()
            })
            .collect();
        let pool_weight = members
            .iter()
            .map(|segs| {
                model
                    .pools
                    .iter()
                    .map(|pool| {
                        pool.catchment
                            .iter()
                            .filter(|(s, _)| segs.contains(s))
                            .map(|(_, w)| w)
                            .sum()
                    })
                    .collect()
            })
            .collect();
        let any_places = model.forms.iter().any(|f| f.has_places);
        let mut cells = Vec::new();
        let mut keys = Vec::new();
        for year in 0..model.years {
            for (si, scope) in scopes.iter().enumerate() {
                let (municipality, area) = match *scope {
                    Scope::Region => (ALL, ALL),
                    Scope::Municipality(m) => (model.municipalities[m].name.as_str(), ALL),
                    Scope::Area(a) => (ALL, model.areas[a].name.as_str()),
                };
                let forms = (0..model.forms.len())
                    .map(Some)
                    .chain(std::iter::once(None));
                for form in forms {
                    for metric in Metric::ALL {
                        let has_places = form.map_or(any_places, |f| model.forms[f].has_places);
                        if metric.is_place_metric() && !has_places {
                            continue;
                        }
                        let budget_scope = matches!(scope, Scope::Region | Scope::Municipality(_));
                        if matches!(metric, Metric::LumpsumEur | Metric::BalanceEur)
                            && (form.is_some() || !budget_scope)
                        {
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
                            provider: ALL.to_string(),
                            care_form: form
                                .map_or(ALL.to_string(), |f| model.forms[f].name.clone()),
                            metric: metric.name().to_string(),
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
            members,
            pool_weight,
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Fills `out` (length `len()`) with this replication's values; money in cents.
    pub fn evaluate(&self, model: &Model, exposure: &Exposure, costs: &Costs, out: &mut Vec<f64>) {
        out.clear();
        for cell in &self.cells {
            out.push(self.value(model, exposure, costs, cell));
        }
    }

    fn value(&self, model: &Model, e: &Exposure, costs: &Costs, cell: &Cell) -> f64 {
        let y = cell.year;
        let segs = &self.members[cell.scope];
        let forms = match cell.form {
            Some(f) => f..f + 1,
            None => 0..model.forms.len(),
        };
        let sum = |m: CellMetric| -> f64 {
            segs.iter()
                .map(|&s| forms.clone().map(|f| e.cell(y, s, f, m)).sum::<f64>())
                .sum()
        };
        let place_sum = |m: CellMetric| -> f64 {
            segs.iter()
                .map(|&s| {
                    forms
                        .clone()
                        .filter(|&f| model.forms[f].has_places)
                        .map(|f| e.cell(y, s, f, m))
                        .sum::<f64>()
                })
                .sum()
        };
        let vacant = || -> f64 {
            model
                .pools
                .iter()
                .enumerate()
                .filter(|(_, p)| forms.contains(&p.form))
                .map(|(pi, _)| {
                    e.pool(y, pi, PoolMetric::VacantDays) * self.pool_weight[cell.scope][pi]
                })
                .sum()
        };
        let cost = || -> f64 {
            let mut total: i64 = segs
                .iter()
                .map(|&s| forms.clone().map(|f| costs.get(y, s, f)).sum::<i64>())
                .sum();
            if cell.form.is_none() {
                total += segs
                    .iter()
                    .map(|&s| costs.get(y, s, costs.fixed_column()))
                    .sum::<i64>();
            }
            total as f64
        };
        let lumpsum = || -> f64 {
            match self.scopes[cell.scope] {
                Scope::Region => lumpsum_cents(model, y, None) as f64,
                Scope::Municipality(m) => lumpsum_cents(model, y, Some(m)) as f64,
                Scope::Area(_) => 0.0,
            }
        };
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
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
            Metric::CostEur => cost(),
            Metric::LumpsumEur => lumpsum(),
            Metric::BalanceEur => lumpsum() - cost(),
        }
    }
}
