//! Municipalities, areas, segments (where a client lives and who pays) and
//! care forms with their durations, transitions, overflow and escalation.

use super::Names;
use super::values::{duration, per_year};
use crate::error::InputError;
use crate::model::{
    AgeDistribution, CareKind, ClientCost, EscalationRule, Form, FormId, Named, OverflowRule,
    Segment,
};
use crate::scenario::Loaded;
use crate::scenario::profile::Profile;
use crate::scenario::schema::{
    self, Area, Capacity, CareForm, ClientCostSpec, Overflow, Scenario, TransferWhenFull,
};
use std::collections::BTreeMap;

/// Name and display label of each entry of a named table.
pub fn named<T>(items: &BTreeMap<String, T>, label: impl Fn(&T) -> &Option<String>) -> Vec<Named> {
    items
        .iter()
        .map(|(n, item)| Named {
            name: n.clone(),
            label: label(item).clone().unwrap_or_else(|| n.clone()),
        })
        .collect()
}

/// Youth of one municipality in `area` in calendar `year`: the census
/// figure `youth0` of `arrivals.population_year` grown by each later year's
/// `growth` (flat before the census year). The one population path used by
/// arrivals and by the autonomous-growth adjustment alike.
pub fn youth_at(s: &Scenario, area: &Area, youth0: f64, year: i32) -> f64 {
    let growth = |year: i32| area.growth.as_ref().map_or(0.0, |g| g.at(year));
    (s.arrivals.population_year + 1..=year).fold(youth0, |v, year| v * (1.0 + growth(year)))
}

/// Segments and their youth per horizon year: the census figure grown by
/// each year's growth since then.
pub fn segments(s: &Scenario, names: &Names) -> Vec<Segment> {
    let start = s.horizon.start_year;
    let years = s.horizon.years as i32;
    let mut segments = Vec::new();
    for (ai, (_, area)) in s.areas.iter().enumerate() {
        for (m, youth0) in &area.youth {
            let path = (0..years)
                .map(|y| youth_at(s, area, *youth0, start + y))
                .collect();
            segments.push(Segment {
                municipality: names.municipality(m),
                area: ai,
                youth: path,
            });
        }
    }
    segments
}

impl From<schema::CareKind> for CareKind {
    fn from(kind: schema::CareKind) -> Self {
        match kind {
            schema::CareKind::Ambulant => CareKind::Ambulant,
            schema::CareKind::Day => CareKind::Day,
            schema::CareKind::Residential => CareKind::Residential,
        }
    }
}

/// The care forms, in name order.
pub fn forms(loaded: &Loaded, names: &Names) -> Result<Vec<Form>, InputError> {
    let s = &loaded.scenario;
    let capped = super::cap::capped_forms(s);
    s.care_forms
        .iter()
        .zip(capped)
        .map(|((name, f), capped)| {
            let mut form = form(loaded, names, name, f)?;
            // A budget cap gives every form of its provider places.
            form.has_places |= capped.is_some();
            Ok(form)
        })
        .collect()
}

fn form(loaded: &Loaded, names: &Names, name: &str, f: &CareForm) -> Result<Form, InputError> {
    let s = &loaded.scenario;
    let (start, years) = (s.horizon.start_year, s.horizon.years as usize);
    let optional = |p: &Option<Profile>, default: f64| {
        p.as_ref()
            .map_or_else(|| vec![default; years], |p| per_year(p, start, years))
    };
    let escalation = match &f.escalation {
        Some(e) => Some(EscalationRule {
            to: names.form_id(&e.to),
            probability: e.probability,
            delay: duration(
                &e.delay,
                loaded,
                &["care_forms", name, "escalation", "delay"],
            )?,
        }),
        None => None,
    };
    let (overflow, patience) = overflow(loaded, names, name, &f.overflow)?;
    let bands: Vec<(f64, f64, f64)> = f.age.iter().map(|b| (b.from, b.to, b.weight)).collect();
    Ok(Form {
        name: name.to_string(),
        label: f.label.clone().unwrap_or_else(|| name.to_string()),
        kind: f.kind.into(),
        duration: duration(&f.duration, loaded, &["care_forms", name, "duration"])?,
        duration_scale: optional(&f.duration_scale, 1.0),
        age: AgeDistribution::new(&bands),
        transitions: transitions(f, names, start, years),
        overflow,
        patience,
        block_on_full: f.when_full_on_transfer == TransferWhenFull::Block,
        extension_probability: optional(&f.extension_probability, 0.0),
        escalation,
        has_places: !matches!(f.capacity, Capacity::Unlimited),
        out_of_region_return: f.out_of_region_return,
        client_cost: f.client_cost.as_ref().map(client_cost),
        bridging: f.bridging.is_some(),
    })
}

/// The multiplier of a validated spec (mean 1 after the cap).
fn client_cost(spec: &ClientCostSpec) -> ClientCost {
    match *spec {
        ClientCostSpec::Lognormal { sigma, cap } => {
            ClientCost::lognormal(sigma, cap.unwrap_or(f64::INFINITY))
        }
        ClientCostSpec::Pareto { alpha, cap } => {
            ClientCost::pareto(alpha, cap.unwrap_or(f64::INFINITY))
        }
    }
}

/// [year] (target form, cumulative probability) of the transitions with a
/// positive probability that year.
fn transitions(f: &CareForm, names: &Names, start: i32, years: usize) -> Vec<Vec<(FormId, f64)>> {
    (0..years as i32)
        .map(|y| {
            let mut acc = 0.0;
            f.transitions
                .iter()
                .map(|(to, p)| (to, p.at(start + y)))
                .filter(|(_, p)| *p > 0.0)
                .map(|(to, p)| {
                    acc += p;
                    (names.form_id(to), acc)
                })
                .collect()
        })
        .collect()
}

fn overflow(
    loaded: &Loaded,
    names: &Names,
    name: &str,
    overflow: &Overflow,
) -> Result<(OverflowRule, Option<crate::model::Duration>), InputError> {
    Ok(match overflow {
        Overflow::Wait { patience } => (
            OverflowRule::Wait,
            patience
                .as_ref()
                .map(|p| duration(p, loaded, &["care_forms", name, "overflow", "patience"]))
                .transpose()?,
        ),
        Overflow::OutOfRegion { .. } => (OverflowRule::OutOfRegion, None),
        Overflow::AlwaysGrant => (OverflowRule::AlwaysGrant, None),
        Overflow::Substitute { to } => (OverflowRule::Substitute(names.form_id(to)), None),
    })
}
