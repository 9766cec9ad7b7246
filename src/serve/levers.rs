//! The levers a negotiating table moves, found in any scenario: each is a
//! dotted path into the merged scenario (or into a what-if intervention the
//! page adds), with its base value, unit, bounds and a label in Dutch or
//! English. Nothing here is special to one scenario: a path is offered when
//! the scenario sets a number there.

use crate::report::Lang;
use crate::scenario::uncertain::looks_like_distribution;
use serde::Serialize;
use toml::{Table, Value};

/// Prefix of the interventions the page adds (`whatif_inflow_residential`).
pub const WHATIF_PREFIX: &str = "whatif_";

/// One input of the page.
#[derive(Clone, Debug, Serialize)]
pub struct Lever {
    pub path: String,
    pub group: &'static str,
    /// The care form it belongs to, when one.
    pub form: Option<String>,
    pub label: String,
    pub unit: &'static str,
    /// The base value.
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

/// The groups in the order the page shows them, with their labels.
pub const GROUPS: [(&str, &str, &str); 8] = [
    ("inflow", "Instroom", "Inflow"),
    ("trend", "Trend", "Trend"),
    ("stay", "Verblijfsduur", "Length of stay"),
    ("step_down", "Afschaling", "Step-down"),
    ("phase_out", "Afbouw plekken", "Phase-out of places"),
    ("tariff", "Tarieven en indexatie", "Tariffs and indexation"),
    ("lumpsum", "Lumpsum", "Lumpsum"),
    ("interventions", "Interventies", "Interventions"),
];

/// A what-if intervention the page may add: its name, lever, group and
/// effect bounds. `inflow`: admissions per care form from a year;
/// `step_down`: residential stays from a year (faster afschaling).
pub struct WhatIfKind {
    pub key: &'static str,
    pub lever: &'static str,
    pub group: &'static str,
    pub residential_only: bool,
    pub nl: &'static str,
    pub en: &'static str,
}

pub const WHATIF_KINDS: [WhatIfKind; 2] = [
    WhatIfKind {
        key: "inflow",
        lever: "inflow",
        group: "inflow",
        residential_only: false,
        nl: "instroom",
        en: "admissions",
    },
    WhatIfKind {
        key: "stepdown",
        lever: "duration",
        group: "step_down",
        residential_only: true,
        nl: "verblijfsduur (snellere afschaling < 0)",
        en: "stay (faster step-down < 0)",
    },
];

/// The name of the what-if intervention of `kind` on `form`.
pub fn whatif_name(kind: &str, form: &str) -> String {
    format!("{WHATIF_PREFIX}{kind}_{form}")
}

/// The value at `path`, looked through a distribution to its mean (or
/// mode): the path a lever sets and the number there.
pub fn number_at(table: &Table, path: &[&str]) -> Option<(String, f64)> {
    let mut current = table;
    let (last, parents) = path.split_last()?;
    for seg in parents {
        current = current.get(*seg)?.as_table()?;
    }
    let dotted = path.join(".");
    match current.get(*last)? {
        Value::Integer(i) => Some((dotted, *i as f64)),
        Value::Float(f) => Some((dotted, *f)),
        Value::Table(t) if looks_like_distribution(t) => ["mean", "mode"].iter().find_map(|k| {
            let v = t
                .get(*k)
                .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))?;
            Some((format!("{dotted}.{k}"), v))
        }),
        _ => None,
    }
}

/// Collects levers, labelled in one language.
struct Found<'a> {
    merged: &'a Table,
    lang: Lang,
    years: (i32, i32),
    levers: Vec<Lever>,
}

/// How a lever's bounds follow from its base value.
#[derive(Clone, Copy)]
enum Bounds {
    /// 0 … k × value (at least `floor`).
    Scale(f64, f64),
    Fixed(f64, f64),
    Years,
}

/// A lever's unit, bounds and step.
#[derive(Clone, Copy)]
struct Kind {
    unit: &'static str,
    bounds: Bounds,
    step: f64,
}

const RATE: Kind = Kind {
    unit: "per_1000",
    bounds: Bounds::Scale(3.0, 1.0),
    step: 0.1,
};
const CHANGE: Kind = Kind {
    unit: "fraction",
    bounds: Bounds::Fixed(-0.9, 1.0),
    step: 0.01,
};
const SHARE: Kind = Kind {
    unit: "fraction",
    bounds: Bounds::Fixed(0.0, 1.0),
    step: 0.01,
};
const TREND: Kind = Kind {
    unit: "fraction",
    bounds: Bounds::Fixed(-0.2, 0.2),
    step: 0.001,
};
const INDEX: Kind = Kind {
    unit: "fraction",
    bounds: Bounds::Fixed(-0.05, 0.1),
    step: 0.001,
};
const LUMPSUM_TREND: Kind = Kind {
    unit: "fraction",
    bounds: Bounds::Fixed(-0.1, 0.1),
    step: 0.001,
};
const YEAR: Kind = Kind {
    unit: "year",
    bounds: Bounds::Years,
    step: 1.0,
};
const RAMP: Kind = Kind {
    unit: "years",
    bounds: Bounds::Fixed(0.0, 10.0),
    step: 1.0,
};
const DAYS: Kind = Kind {
    unit: "days",
    bounds: Bounds::Scale(4.0, 30.0),
    step: 1.0,
};
const PLACES: Kind = Kind {
    unit: "places",
    bounds: Bounds::Scale(3.0, 10.0),
    step: 1.0,
};
const TARIFF: Kind = Kind {
    unit: "eur_per_day",
    bounds: Bounds::Scale(5.0, 10.0),
    step: 1.0,
};
const EUROS: Kind = Kind {
    unit: "eur",
    bounds: Bounds::Scale(3.0, 1.0),
    step: 100_000.0,
};

impl Found<'_> {
    fn text(&self, nl: &str, en: &str) -> String {
        match self.lang {
            Lang::Nl => nl.to_string(),
            Lang::En => en.to_string(),
        }
    }

    fn push(
        &mut self,
        lever: (String, f64),
        at: (&'static str, Option<&str>),
        label: String,
        kind: Kind,
    ) {
        let (path, value) = lever;
        let (group, form) = at;
        let (min, max) = match kind.bounds {
            Bounds::Scale(k, floor) => (
                if kind.unit == "days" { 1.0 } else { 0.0 },
                (value.abs() * k).max(floor),
            ),
            Bounds::Fixed(lo, hi) => (lo.min(value), hi.max(value)),
            Bounds::Years => (f64::from(self.years.0), f64::from(self.years.1)),
        };
        self.levers.push(Lever {
            path,
            group,
            form: form.map(str::to_string),
            label,
            unit: kind.unit,
            value,
            min,
            max,
            step: kind.step,
        });
    }

    /// A number the scenario sets at `path`, or `fallback` where it may be added.
    fn at(&self, path: &[&str], fallback: Option<f64>) -> Option<(String, f64)> {
        number_at(self.merged, path).or_else(|| fallback.map(|v| (path.join("."), v)))
    }
}

/// Every lever of the scenario, in the order of [`GROUPS`].
pub fn levers(merged: &Table, lang: Lang, years: (i32, i32)) -> Vec<Lever> {
    let mut f = Found {
        merged,
        lang,
        years,
        levers: Vec::new(),
    };
    let forms = care_forms(merged);
    arrival_levers(&mut f, &forms);
    form_levers(&mut f, &forms);
    contract_levers(&mut f);
    intervention_levers(&mut f);
    let order = |g: &str| {
        GROUPS
            .iter()
            .position(|(id, _, _)| *id == g)
            .unwrap_or(GROUPS.len())
    };
    f.levers.sort_by_key(|l| order(l.group));
    f.levers
}

/// (key, label, residential?) of every care form.
fn care_forms(merged: &Table) -> Vec<(String, String, bool)> {
    let Some(forms) = merged.get("care_forms").and_then(Value::as_table) else {
        return Vec::new();
    };
    forms
        .iter()
        .filter_map(|(key, v)| {
            let t = v.as_table()?;
            let label = t
                .get("label")
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_string();
            let residential = t.get("kind").and_then(Value::as_str) == Some("residential");
            Some((key.clone(), label, residential))
        })
        .collect()
}

fn arrival_levers(f: &mut Found<'_>, forms: &[(String, String, bool)]) {
    if let Some(rate) = f.at(&["arrivals", "rate_per_1000"], None) {
        let label = f.text(
            "Nieuwe cliënten per 1.000 jeugdigen per jaar",
            "New clients per 1,000 youth per year",
        );
        f.push(rate, ("inflow", None), label, RATE);
    }
    for kind in WHATIF_KINDS.iter() {
        for (form, label, residential) in forms {
            if kind.residential_only && !residential {
                continue;
            }
            let name = whatif_name(kind.key, form);
            let at = (kind.group, Some(form.as_str()));
            let effect = (format!("interventions.{name}.effect"), 0.0);
            let text = f.text(
                &format!("{label}: {} (verandering)", kind.nl),
                &format!("{label}: {} (change)", kind.en),
            );
            f.push(effect, at, text, CHANGE);
            let start = (format!("interventions.{name}.start"), f64::from(f.years.0));
            let text = f.text(
                &format!("{label}: {} vanaf", kind.nl),
                &format!("{label}: {} from", kind.en),
            );
            f.push(start, at, text, YEAR);
        }
    }
    if let Some(trend) = f.at(&["arrivals", "trend"], Some(0.0)) {
        let label = f.text(
            "Trend van de instroom (per jaar)",
            "Trend of the inflow (per year)",
        );
        f.push(trend, ("trend", None), label, TREND);
    }
}

fn form_levers(f: &mut Found<'_>, forms: &[(String, String, bool)]) {
    for (form, label, _) in forms {
        let form = form.as_str();
        let text = |f: &Found<'_>, nl: &str, en: &str| {
            f.text(&format!("{label}: {nl}"), &format!("{label}: {en}"))
        };
        if let Some(v) = f.at(&["care_forms", form, "trend"], Some(0.0)) {
            let t = text(f, "eigen trend (per jaar)", "own trend (per year)");
            f.push(v, ("trend", Some(form)), t, TREND);
        }
        if let Some(v) = f.at(&["care_forms", form, "duration", "mean"], None) {
            let t = text(f, "gemiddelde duur", "mean duration");
            f.push(v, ("stay", Some(form)), t, DAYS);
        }
        let places = ["care_forms", form, "capacity", "places"];
        if let Some(v) = f.at(&places, None) {
            let t = text(f, "plekken", "places");
            f.push(v, ("phase_out", Some(form)), t, PLACES);
        }
        if let Some(v) = f.at(&[&places[..], &["to"]].concat(), None) {
            let t = text(f, "plekken aan het eind", "places at the end");
            f.push(v, ("phase_out", Some(form)), t, PLACES);
        }
        if let Some(v) = f.at(&[&places[..], &["end"]].concat(), None) {
            let t = text(f, "plekken bereikt in", "places reached in");
            f.push(v, ("phase_out", Some(form)), t, YEAR);
        }
        if let Some(v) = f.at(&["care_forms", form, "tariff"], None) {
            let t = text(f, "tarief per dag", "tariff per day");
            f.push(v, ("tariff", Some(form)), t, TARIFF);
        }
    }
}

fn contract_levers(f: &mut Found<'_>) {
    let indices = [
        (
            "costs",
            "Indexatie van de kosten (per jaar)",
            "Indexation of costs (per year)",
        ),
        (
            "lumpsum",
            "Indexatie van de lumpsum (accres, per jaar)",
            "Indexation of the lumpsum (per year)",
        ),
    ];
    for (key, nl, en) in indices {
        if let Some(v) = f.at(&["indexation", key], Some(0.0)) {
            let t = f.text(nl, en);
            f.push(v, ("tariff", None), t, INDEX);
        }
    }
    let region = f
        .merged
        .get("lumpsum")
        .and_then(Value::as_table)
        .and_then(|l| l.get("region"));
    let years: Vec<String> = match region {
        Some(Value::Table(t)) => t.keys().cloned().collect(),
        _ => Vec::new(),
    };
    if let Some(v) = f.at(&["lumpsum", "region"], None) {
        let t = f.text("Lumpsum regio", "Region lumpsum");
        f.push(v, ("lumpsum", None), t, EUROS);
    }
    for year in &years {
        if let Some(v) = f.at(&["lumpsum", "region", year], None) {
            let t = f.text(
                &format!("Lumpsum regio {year}"),
                &format!("Region lumpsum {year}"),
            );
            f.push(v, ("lumpsum", None), t, EUROS);
        }
    }
    if let Some(v) = f.at(&["lumpsum", "trend"], Some(0.0)) {
        let t = f.text(
            "Lumpsum na de tabel: verandering per jaar",
            "Lumpsum after the table: change per year",
        );
        f.push(v, ("lumpsum", None), t, LUMPSUM_TREND);
    }
}

fn intervention_levers(f: &mut Found<'_>) {
    let Some(all) = f.merged.get("interventions").and_then(Value::as_table) else {
        return;
    };
    for (name, v) in all {
        let Some(t) = v.as_table() else { continue };
        let label = t.get("label").and_then(Value::as_str).unwrap_or(name);
        let lever = t.get("lever").and_then(Value::as_str).unwrap_or("");
        let path = |k: &'static str| ["interventions", name.as_str(), k];
        let text = |f: &Found<'_>, nl: &str, en: &str| {
            f.text(&format!("{label}: {nl}"), &format!("{label}: {en}"))
        };
        if lever == "capacity_loss" {
            if let Some(v) = f.at(&path("places"), Some(0.0)) {
                let t = text(f, "plekken", "places");
                f.push(v, ("phase_out", None), t, PLACES);
            }
            if let Some(v) = f.at(&path("start"), None) {
                let t = text(f, "in", "in");
                f.push(v, ("phase_out", None), t, YEAR);
            }
            continue;
        }
        let effect = if matches!(lever, "exit" | "access" | "relapse") {
            SHARE
        } else {
            CHANGE
        };
        if let Some(v) = f.at(&path("effect"), Some(0.0)) {
            let t = text(f, "effect", "effect");
            f.push(v, ("interventions", None), t, effect);
        }
        if let Some(v) = f.at(&path("start"), None) {
            let t = text(f, "start", "start");
            f.push(v, ("interventions", None), t, YEAR);
        }
        if let Some(v) = f.at(&path("ramp_years"), Some(0.0)) {
            let t = text(f, "jaren tot vol effect", "years to full effect");
            f.push(v, ("interventions", None), t, RAMP);
        }
    }
}
