//! The scenario's key parameters with the comment written next to them (the
//! source the modeller cited), kept with every result so a report can show
//! what the numbers rest on without the scenario files.

use super::Loaded;
use serde::{Deserialize, Serialize};

/// File name of the assumptions in a result folder.
pub const FILE_NAME: &str = "assumptions.json";

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Assumption {
    /// Dotted field path, e.g. `care_forms.residential.tariff`.
    pub key: String,
    /// The value as written in TOML.
    pub value: String,
    /// `file:line` where it is set.
    pub source: String,
    /// The comment above or beside it (often the source document and line).
    pub comment: String,
    /// For an uncertain parameter: its distribution and truncation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
}

/// Sections reported whole, key by key.
const SECTIONS: [&str; 7] = [
    "horizon",
    "arrivals",
    "lumpsum",
    "indexation",
    "contract",
    "relapse",
    "fixed_costs",
];
/// Keys reported per care form.
const FORM_KEYS: [&str; 9] = [
    "tariff",
    "duration",
    "duration_scale",
    "capacity",
    "overflow",
    "transitions",
    "friction_cost_per_closed_place",
    "escalation",
    "extension_probability",
];

/// The key parameters of a loaded scenario, in a stable order.
pub fn collect(loaded: &Loaded) -> Vec<Assumption> {
    let merged = &loaded.merged;
    let mut paths: Vec<Vec<String>> = Vec::new();
    for section in SECTIONS {
        if let Some(toml::Value::Table(t)) = merged.get(section) {
            paths.extend(t.keys().map(|k| vec![section.to_string(), k.clone()]));
        }
    }
    for (group, keys) in [
        ("care_forms", &FORM_KEYS[..]),
        ("providers", &["share", "forms", "solvency_threshold"][..]),
    ] {
        if let Some(toml::Value::Table(items)) = merged.get(group) {
            for (name, item) in items {
                let Some(item) = item.as_table() else {
                    continue;
                };
                paths.extend(
                    keys.iter()
                        .filter(|k| item.contains_key(**k))
                        .map(|k| vec![group.to_string(), name.clone(), k.to_string()]),
                );
            }
        }
    }
    if let Some(toml::Value::Table(items)) = merged.get("interventions") {
        paths.extend(
            items
                .keys()
                .map(|name| vec!["interventions".to_string(), name.clone()]),
        );
    }
    paths
        .iter()
        .filter_map(|path| {
            let value = lookup(merged, path)?;
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let (source, comment) = loaded.sources.annotation(&refs).unwrap_or_default();
            Some(Assumption {
                key: path.join("."),
                value: render(value),
                source,
                comment,
                distribution: None,
            })
        })
        .collect()
}

fn lookup<'a>(table: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    let value = table.get(first)?;
    if rest.is_empty() {
        Some(value)
    } else {
        lookup(value.as_table()?, rest)
    }
}

/// A value as one line of TOML (tables inline).
fn render(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", render(v)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(render).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// File name of the display labels in a result folder.
pub const LABELS_FILE: &str = "labels.json";

/// Display labels by name (the scenario's `label` fields), so a report can
/// say "Verblijf: gezinshuis" where the result files say `family_home`.
/// Built from a compiled model by `Labels::of` (in `model::labels`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Labels {
    pub care_forms: std::collections::BTreeMap<String, String>,
    pub areas: std::collections::BTreeMap<String, String>,
    pub municipalities: std::collections::BTreeMap<String, String>,
    pub providers: std::collections::BTreeMap<String, String>,
}
