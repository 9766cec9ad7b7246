//! docs/reference.md must document every field of the scenario format.
//!
//! The JSON Schema that `jeugdstroom scenario schema` prints is generated from
//! the serde structs, so it is the one list of fields that cannot go stale. These
//! tests walk it and fail, naming the fields, when the reference lacks one.
//!
//! Each field is looked for under its dotted path, written in backticks:
//! `care_forms.NAME.capacity.fte`. A map key (`NAME`, `FORM`, `<area>`, `*`) may
//! stand for any name; variants (`oneOf`, `anyOf`, `allOf`) and array items
//! (`items`) add no segment. A definition used at more than one place (a time
//! profile, a duration) is documented once under its own name in snake case:
//! `profile.shape`, `duration_spec.mean`.
//!
//! Plain test module: it runs as its own test target and as `mod reference_docs;`
//! of one harness alike.

use assert_cmd::Command;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md");

/// The schema as the binary prints it.
fn schema() -> Value {
    let output = Command::cargo_bin("jeugdstroom")
        .unwrap()
        .args(["scenario", "schema"])
        .output()
        .unwrap();
    assert!(output.status.success(), "`scenario schema` failed");
    serde_json::from_slice(&output.stdout).expect("the schema is JSON")
}

/// Every property of the schema as a dotted path (map keys as `*`).
fn schema_paths(schema: &Value) -> BTreeSet<String> {
    let walker = Walker {
        defs: schema.get("$defs").and_then(Value::as_object),
        shared: shared_definitions(schema),
    };
    let mut paths = BTreeSet::new();
    walker.walk(schema, "", &mut Vec::new(), &mut paths);
    paths
}

/// Names of the definitions referenced at more than one place.
fn shared_definitions(schema: &Value) -> BTreeSet<String> {
    fn count(value: &Value, counts: &mut BTreeMap<String, usize>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    *counts
                        .entry(definition_name(target).to_string())
                        .or_default() += 1;
                }
                map.values().for_each(|v| count(v, counts));
            }
            Value::Array(items) => items.iter().for_each(|v| count(v, counts)),
            _ => {}
        }
    }
    let mut counts = BTreeMap::new();
    count(schema, &mut counts);
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect()
}

fn definition_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// `DurationSpec` → `duration_spec`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn join(prefix: &str, segment: &str) -> String {
    if prefix.is_empty() {
        segment.to_string()
    } else {
        format!("{prefix}.{segment}")
    }
}

struct Walker<'a> {
    defs: Option<&'a Map<String, Value>>,
    shared: BTreeSet<String>,
}

impl Walker<'_> {
    /// Collects the paths of `node`'s properties below `path`; `stack` holds the
    /// definitions being expanded, so a recursive definition stops.
    fn walk(&self, node: &Value, path: &str, stack: &mut Vec<String>, out: &mut BTreeSet<String>) {
        let Some(map) = node.as_object() else { return };
        if let Some(Value::String(target)) = map.get("$ref") {
            self.follow(definition_name(target), path, stack, out);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for variant in map.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.walk(variant, path, stack, out);
            }
        }
        if let Some(items) = map.get("items") {
            self.walk(items, path, stack, out);
        }
        if let Some(value @ Value::Object(_)) = map.get("additionalProperties") {
            self.walk(value, &join(path, "*"), stack, out);
        }
        for (name, property) in map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let child = join(path, name);
            out.insert(child.clone());
            self.walk(property, &child, stack, out);
        }
    }

    fn follow(&self, name: &str, path: &str, stack: &mut Vec<String>, out: &mut BTreeSet<String>) {
        if stack.iter().any(|n| n == name) {
            return;
        }
        let Some(definition) = self.defs.and_then(|defs| defs.get(name)) else {
            panic!("the schema refers to `{name}`, which is not in $defs");
        };
        let path = if self.shared.contains(name) {
            snake_case(name)
        } else {
            path.to_string()
        };
        stack.push(name.to_string());
        self.walk(definition, &path, stack, out);
        stack.pop();
    }
}

/// Every backticked span of the text that reads as a dotted path, with map-key
/// placeholders (`NAME`, `<form>`, `*`) written as `*`.
fn documented_paths(text: &str) -> BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|span| !span.is_empty())
        .filter(|span| {
            span.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.*<>-".contains(c))
        })
        .map(|span| {
            span.split('.')
                .map(placeholder)
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

fn placeholder(segment: &str) -> &str {
    let upper = segment.starts_with(|c: char| c.is_ascii_uppercase())
        && segment
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let angled = segment.starts_with('<') && segment.ends_with('>');
    if upper || angled { "*" } else { segment }
}

#[test]
fn every_schema_field_is_in_the_reference() {
    let reference = std::fs::read_to_string(REFERENCE).expect("docs/reference.md exists");
    let documented = documented_paths(&reference);
    let missing: Vec<String> = schema_paths(&schema())
        .into_iter()
        .filter(|path| !documented.contains(path))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/reference.md does not document these scenario fields (write each as `path` in backticks):\n  {}",
        missing.join("\n  ")
    );
}

/// Guards the walker itself: a walk that found nothing would pass the test above.
#[test]
fn the_schema_walk_reaches_nested_variant_and_shared_fields() {
    let paths = schema_paths(&schema());
    for expected in [
        "name",
        "horizon.start_year",
        "municipalities.*.savings_target",
        "care_forms.*.age.weight",
        "care_forms.*.capacity.fte",
        "care_forms.*.overflow.tariff_multiplier",
        "care_forms.*.escalation.delay",
        "uncertain.sd",
        "profile.shape",
        "duration_spec.cv",
    ] {
        assert!(
            paths.contains(expected),
            "the walk missed `{expected}`; found {paths:?}"
        );
    }
}

#[test]
fn placeholders_in_the_reference_stand_for_any_map_key() {
    let found = documented_paths(
        "`care_forms.NAME.tariff`, `areas.<area>.youth`, `x.*.y` and `not a path`",
    );
    let expected: BTreeSet<String> = ["care_forms.*.tariff", "areas.*.youth", "x.*.y"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}
