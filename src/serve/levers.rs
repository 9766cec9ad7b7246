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
        group: &'static str,
        form: Option<&str>,
        label: String,
        unit: &'static str,
        bounds: Bounds,
        step: f64,
    ) {
        let (path, value) = lever;
        let (min, max) = match bounds {
            Bounds::Scale(k, floor) => (
                if unit == "days" { 1.0 } else { 0.0 },
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
            unit,
            value,
            min,
            max,
            step,
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
        f.push(
            rate,
            "inflow",
            None,
            label,
            "per_1000",
            Bounds::Scale(3.0, 1.0),
            0.1,
        );
    }
    for kind in WHATIF_KINDS.iter() {
        for (form, label, residential) in forms {
            if kind.residential_only && !residential {
                continue;
            }
            let name = whatif_name(kind.key, form);
            let effect = (format!("interventions.{name}.effect"), 0.0);
            let text = f.text(
                &format!("{label}: {} (verandering)", kind.nl),
                &format!("{label}: {} (change)", kind.en),
            );
            f.push(
                effect,
                kind.group,
                Some(form),
                text,
                "fraction",
                Bounds::Fixed(-0.9, 1.0),
                0.01,
            );
            let start = (format!("interventions.{name}.start"), f64::from(f.years.0));
            let text = f.text(
                &format!("{label}: {} vanaf", kind.nl),
                &format!("{label}: {} from", kind.en),
            );
            f.push(
                start,
                kind.group,
                Some(form),
                text,
                "year",
                Bounds::Years,
                1.0,
            );
        }
    }
    if let Some(trend) = f.at(&["arrivals", "trend"], Some(0.0)) {
        let label = f.text(
            "Trend van de instroom (per jaar)",
            "Trend of the inflow (per year)",
        );
        f.push(
            trend,
            "trend",
            None,
            label,
            "fraction",
            Bounds::Fixed(-0.2, 0.2),
            0.001,
        );
    }
}

fn form_levers(f: &mut Found<'_>, forms: &[(String, String, bool)]) {
    for (form, label, _) in forms {
        let p = |key: &'static str| ["care_forms", form.as_str(), key];
        if let Some(trend) = f.at(&p("trend"), Some(0.0)) {
            let text = f.text(
                &format!("{label}: eigen trend (per jaar)"),
                &format!("{label}: own trend (per year)"),
            );
            f.push(
                trend,
                "trend",
                Some(form),
                text,
                "fraction",
                Bounds::Fixed(-0.2, 0.2),
                0.001,
            );
        }
        if let Some(mean) = f.at(&["care_forms", form, "duration", "mean"], None) {
            let text = f.text(
                &format!("{label}: gemiddelde duur"),
                &format!("{label}: mean duration"),
            );
            f.push(
                mean,
                "stay",
                Some(form),
                text,
                "days",
                Bounds::Scale(4.0, 30.0),
                1.0,
            );
        }
        if let Some(places) = f.at(&["care_forms", form, "capacity", "places"], None) {
            let text = f.text(&format!("{label}: plekken"), &format!("{label}: places"));
            f.push(
                places,
                "phase_out",
                Some(form),
                text,
                "places",
                Bounds::Scale(3.0, 10.0),
                1.0,
            );
        }
        for (key, nl, en, unit) in [
            ("to", "plekken aan het eind", "places at the end", "places"),
            ("end", "plekken bereikt in", "places reached in", "year"),
        ] {
            if let Some(v) = f.at(&["care_forms", form, "capacity", "places", key], None) {
                let text = f.text(&format!("{label}: {nl}"), &format!("{label}: {en}"));
                let bounds = if unit == "year" {
                    Bounds::Years
                } else {
                    Bounds::Scale(3.0, 10.0)
                };
                f.push(v, "phase_out", Some(form), text, unit, bounds, 1.0);
            }
        }
        if let Some(tariff) = f.at(&p("tariff"), None) {
            let text = f.text(
                &format!("{label}: tarief per dag"),
                &format!("{label}: tariff per day"),
            );
            f.push(
                tariff,
                "tariff",
                Some(form),
                text,
                "eur_per_day",
                Bounds::Scale(5.0, 10.0),
                1.0,
            );
        }
    }
}

fn contract_levers(f: &mut Found<'_>) {
    for (key, nl, en) in [
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
    ] {
        if let Some(v) = f.at(&["indexation", key], Some(0.0)) {
            let text = f.text(nl, en);
            f.push(
                v,
                "tariff",
                None,
                text,
                "fraction",
                Bounds::Fixed(-0.05, 0.1),
                0.001,
            );
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
        let text = f.text("Lumpsum regio", "Region lumpsum");
        f.push(
            v,
            "lumpsum",
            None,
            text,
            "eur",
            Bounds::Scale(3.0, 1.0),
            100_000.0,
        );
    }
    for year in &years {
        if let Some(v) = f.at(&["lumpsum", "region", year], None) {
            let text = f.text(
                &format!("Lumpsum regio {year}"),
                &format!("Region lumpsum {year}"),
            );
            f.push(
                v,
                "lumpsum",
                None,
                text,
                "eur",
                Bounds::Scale(3.0, 1.0),
                100_000.0,
            );
        }
    }
    if let Some(v) = f.at(&["lumpsum", "trend"], Some(0.0)) {
        let text = f.text(
            "Lumpsum na de tabel: verandering per jaar",
            "Lumpsum after the table: change per year",
        );
        f.push(
            v,
            "lumpsum",
            None,
            text,
            "fraction",
            Bounds::Fixed(-0.1, 0.1),
            0.001,
        );
    }
}

fn intervention_levers(f: &mut Found<'_>) {
    let Some(all) = f.merged.get("interventions").and_then(Value::as_table) else {
        return;
    };
    let all = all.clone();
    for (name, v) in &all {
        let Some(t) = v.as_table() else { continue };
        let label = t
            .get("label")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_string();
        let lever = t.get("lever").and_then(Value::as_str).unwrap_or("");
        let path = |k: &'static str| ["interventions", name.as_str(), k];
        if lever == "capacity_loss" {
            if let Some(p) = f.at(&path("places"), Some(0.0)) {
                let text = f.text(&format!("{label}: plekken"), &format!("{label}: places"));
                f.push(
                    p,
                    "phase_out",
                    None,
                    text,
                    "places",
                    Bounds::Scale(3.0, 10.0),
                    1.0,
                );
            }
            if let Some(s) = f.at(&path("start"), None) {
                let text = f.text(&format!("{label}: in"), &format!("{label}: in"));
                f.push(s, "phase_out", None, text, "year", Bounds::Years, 1.0);
            }
            continue;
        }
        let (lo, hi) = match lever {
            "exit" | "access" | "relapse" => (0.0, 1.0),
            _ => (-0.9, 1.0),
        };
        if let Some(e) = f.at(&path("effect"), Some(0.0)) {
            let text = f.text(&format!("{label}: effect"), &format!("{label}: effect"));
            f.push(
                e,
                "interventions",
                None,
                text,
                "fraction",
                Bounds::Fixed(lo, hi),
                0.01,
            );
        }
        if let Some(s) = f.at(&path("start"), None) {
            let text = f.text(&format!("{label}: start"), &format!("{label}: start"));
            f.push(s, "interventions", None, text, "year", Bounds::Years, 1.0);
        }
        if let Some(r) = f.at(&path("ramp_years"), Some(0.0)) {
            let text = f.text(
                &format!("{label}: jaren tot vol effect"),
                &format!("{label}: years to full effect"),
            );
            f.push(
                r,
                "interventions",
                None,
                text,
                "years",
                Bounds::Fixed(0.0, 10.0),
                1.0,
            );
        }
    }
}
