//! The fixed mapping from output columns to how each is computed: which
//! (year, scope, care form, metric) cells exist, and what part of each
//! segment, form and pool belongs to each scope.

use super::{ALL, ColumnKey, Metric, Scope};
use crate::model::Model;
use rust_decimal::prelude::ToPrimitive;
use std::sync::Arc;

/// One computed column: indices into the model and the layout's scopes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cell {
    pub year: usize,
    pub scope: usize,
    /// Care form index, or `None` for all forms.
    pub form: Option<usize>,
    pub metric: Metric,
}

/// The fixed mapping from output columns to how each is computed.
#[derive(Clone)]
pub struct Layout {
    /// Shared by the layouts of a scenario's drawn models (same columns).
    pub(super) cells: Arc<Vec<Cell>>,
    pub keys: Arc<Vec<ColumnKey>>,
    pub(super) scopes: Vec<Scope>,
    /// [scope][segment × forms + form] → part of that cell belonging to the scope.
    pub(super) weight: Vec<Vec<f64>>,
    /// [scope][pool] → part of the pool's vacancy attributed to the scope.
    pub(super) pool_weight: Vec<Vec<f64>>,
    pub(super) forms: usize,
    /// [form] whether it has places (decides which columns exist).
    places: Vec<bool>,
}

impl Layout {
    pub fn new(model: &Model) -> Self {
        let scopes = scopes(model);
        let weight: Vec<Vec<f64>> = scopes.iter().map(|s| segment_weights(model, *s)).collect();
        let pool_weight = weight.iter().map(|w| pool_weights(model, w)).collect();
        let (cells, keys) = columns(model, &scopes);
        Layout {
            cells: Arc::new(cells),
            keys: Arc::new(keys),
            scopes,
            weight,
            pool_weight,
            forms: model.forms.len(),
            places: model.forms.iter().map(|f| f.has_places).collect(),
        }
    }

    /// The layout of `model`, a model with the same structure as this one's
    /// and other numbers (a replication's drawn parameters): the columns are
    /// shared, the scopes' weights recomputed. `None` when the structure
    /// differs (then the columns would not match).
    pub fn reweigh(&self, model: &Model) -> Option<Layout> {
        let places: Vec<bool> = model.forms.iter().map(|f| f.has_places).collect();
        let scopes = scopes(model);
        if places != self.places || scopes != self.scopes {
            return None;
        }
        let weight: Vec<Vec<f64>> = scopes.iter().map(|s| segment_weights(model, *s)).collect();
        let pool_weight = weight.iter().map(|w| pool_weights(model, w)).collect();
        Some(Layout {
            cells: Arc::clone(&self.cells),
            keys: Arc::clone(&self.keys),
            scopes,
            weight,
            pool_weight,
            forms: self.forms,
            places,
        })
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// Region, then every municipality, area and provider, in model order.
fn scopes(model: &Model) -> Vec<Scope> {
    let mut scopes = vec![Scope::Region];
    scopes.extend((0..model.municipalities.len()).map(Scope::Municipality));
    scopes.extend((0..model.areas.len()).map(Scope::Area));
    scopes.extend((0..model.money.providers.len()).map(Scope::Provider));
    scopes
}

/// [segment × forms + form] → the part of that cell belonging to `scope`
/// (a provider's part is its coverage share of the form in the area).
fn segment_weights(model: &Model, scope: Scope) -> Vec<f64> {
    let forms = model.forms.len();
    let areas = model.areas.len();
    let mut w = vec![0.0; model.segments.len() * forms];
    for (s, seg) in model.segments.iter().enumerate() {
        for f in 0..forms {
            w[s * forms + f] = match scope {
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
}

/// [pool] → the scope's part of the pool, through the pool's catchment.
fn pool_weights(model: &Model, weight: &[f64]) -> Vec<f64> {
    let forms = model.forms.len();
    model
        .pools
        .iter()
        .map(|pool| {
            pool.catchment
                .iter()
                .map(|(s, share)| share * weight[s * forms + pool.form])
                .sum()
        })
        .collect()
}

/// Every (year, scope, form, metric) cell that applies, with its column key.
fn columns(model: &Model, scopes: &[Scope]) -> (Vec<Cell>, Vec<ColumnKey>) {
    let forms = model.forms.len();
    let any_places = model.forms.iter().any(|f| f.has_places);
    let metrics = Metric::all();
    let mut cells = Vec::new();
    let mut keys = Vec::new();
    for year in 0..model.years {
        for (si, scope) in scopes.iter().enumerate() {
            let (municipality, area, provider) = scope_names(model, *scope);
            for form in (0..forms).map(Some).chain(std::iter::once(None)) {
                let has_places = form.map_or(any_places, |f| model.forms[f].has_places);
                for &metric in &metrics {
                    if !metric.applies(scope.kind(), form, has_places)
                        || !metric.in_model(model, form)
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
                        provider: provider.to_string(),
                        care_form: form.map_or(ALL.to_string(), |f| model.forms[f].name.clone()),
                        metric,
                        money: metric.is_money(),
                    });
                }
            }
        }
    }
    (cells, keys)
}

/// (municipality, area, provider) column values of a scope.
fn scope_names(model: &Model, scope: Scope) -> (&str, &str, &str) {
    match scope {
        Scope::Region => (ALL, ALL, ALL),
        Scope::Municipality(m) => (model.municipalities[m].name.as_str(), ALL, ALL),
        Scope::Area(a) => (ALL, model.areas[a].name.as_str(), ALL),
        Scope::Provider(p) => (ALL, ALL, model.money.providers[p].name.as_str()),
    }
}
