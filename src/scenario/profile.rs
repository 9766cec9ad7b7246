//! Time profiles: a parameter that may change from year to year.
//!
//! In the scenario file a profile is one of
//! - a number (constant over the horizon),
//! - a table `{ 2028 = 40, 2031 = 30 }` (each value holds from its year on
//!   until the next entry; years before the first entry take the first value),
//! - a shape `{ shape = "linear", from = 40, to = 24, start = 2028, end = 2032 }`
//!   with `shape` one of `linear`, `step`, `front_loaded`, `back_loaded`.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, de::Error as _};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How a shape moves from `from` to `to` between `start` and `end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Linear,
    /// Jumps from `from` to `to` in year `end`.
    Step,
    /// Most of the change early: 1 − (1 − x)².
    FrontLoaded,
    /// Most of the change late: x².
    BackLoaded,
}

impl Shape {
    pub const NAMES: [&'static str; 4] = ["linear", "step", "front_loaded", "back_loaded"];

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "linear" => Self::Linear,
            "step" => Self::Step,
            "front_loaded" => Self::FrontLoaded,
            "back_loaded" => Self::BackLoaded,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Profile {
    Constant(f64),
    Table(BTreeMap<i32, f64>),
    Shape {
        shape: Shape,
        from: f64,
        to: f64,
        start: i32,
        end: i32,
    },
}

impl Profile {
    /// The value in calendar year `year`.
    pub fn at(&self, year: i32) -> f64 {
        match self {
            Profile::Constant(v) => *v,
            Profile::Table(table) => table
                .range(..=year)
                .next_back()
                .or_else(|| table.iter().next())
                .map(|(_, v)| *v)
                .unwrap_or(0.0),
            Profile::Shape {
                shape,
                from,
                to,
                start,
                end,
            } => {
                let x = if end <= start {
                    if year >= *end { 1.0 } else { 0.0 }
                } else {
                    ((year - start) as f64 / (end - start) as f64).clamp(0.0, 1.0)
                };
                let g = match shape {
                    Shape::Linear => x,
                    Shape::Step => {
                        if year >= *end {
                            1.0
                        } else {
                            0.0
                        }
                    }
                    Shape::FrontLoaded => 1.0 - (1.0 - x) * (1.0 - x),
                    Shape::BackLoaded => x * x,
                };
                from + (to - from) * g
            }
        }
    }

    /// Years the profile names explicitly (for horizon checks).
    pub fn named_years(&self) -> Vec<i32> {
        match self {
            Profile::Constant(_) => Vec::new(),
            Profile::Table(t) => t.keys().copied().collect(),
            Profile::Shape { start, end, .. } => vec![*start, *end],
        }
    }

    /// Every value the profile can take (for range checks).
    pub fn extreme_values(&self) -> Vec<f64> {
        match self {
            Profile::Constant(v) => vec![*v],
            Profile::Table(t) => t.values().copied().collect(),
            Profile::Shape { from, to, .. } => vec![*from, *to],
        }
    }
}

fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(deserializer)?;
        if let Some(v) = number(&value) {
            return Ok(Profile::Constant(v));
        }
        let toml::Value::Table(table) = value else {
            return Err(D::Error::custom(format!(
                "expected a number, a table of years like {{ 2028 = 1.0 }}, or a shape like \
                 {{ shape = \"linear\", from = 1.0, to = 0.5, start = 2028, end = 2032 }}; found {}",
                value.type_str()
            )));
        };
        match table.get("shape") {
            Some(shape) => shape_profile(&table, shape),
            None => table_profile(&table),
        }
        .map_err(D::Error::custom)
    }
}

/// A profile written as `{ shape = …, from, to, start, end }`.
fn shape_profile(table: &toml::Table, shape: &toml::Value) -> Result<Profile, String> {
    let name = shape.as_str().unwrap_or("");
    let shape = Shape::parse(name).ok_or_else(|| {
        format!(
            "unknown shape `{name}`, expected one of {}",
            Shape::NAMES.join(", ")
        )
    })?;
    for key in table.keys() {
        if !["shape", "from", "to", "start", "end"].contains(&key.as_str()) {
            return Err(format!(
                "unknown field `{key}` in a shape profile, expected shape, from, to, start, end"
            ));
        }
    }
    let num = |k: &str| {
        table
            .get(k)
            .and_then(number)
            .ok_or_else(|| format!("a shape profile needs a number `{k}`"))
    };
    let year = |k: &str| {
        table
            .get(k)
            .and_then(|v| v.as_integer())
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(|| format!("a shape profile needs a year `{k}`"))
    };
    Ok(Profile::Shape {
        shape,
        from: num("from")?,
        to: num("to")?,
        start: year("start")?,
        end: year("end")?,
    })
}

/// A profile written as a table of years, `{ 2028 = 1.0, … }`.
fn table_profile(table: &toml::Table) -> Result<Profile, String> {
    let mut years = BTreeMap::new();
    for (key, v) in table {
        let year: i32 = key.parse().map_err(|_| {
            format!(
                "`{key}` is not a year; a profile table maps years to values, like {{ 2028 = 1.0 }}"
            )
        })?;
        let v = number(v).ok_or_else(|| format!("the value for year {year} must be a number"))?;
        years.insert(year, v);
    }
    if years.is_empty() {
        return Err("a profile table needs at least one year".to_string());
    }
    Ok(Profile::Table(years))
}

impl JsonSchema for Profile {
    fn schema_name() -> Cow<'static, str> {
        "Profile".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A value that may change per year: a number, a table of years to values, or a shape between two years.",
            "oneOf": [
                { "type": "number" },
                {
                    "type": "object",
                    "patternProperties": { "^[0-9]{4}$": { "type": "number" } },
                    "additionalProperties": false,
                    "minProperties": 1
                },
                {
                    "type": "object",
                    "properties": {
                        "shape": { "enum": Shape::NAMES },
                        "from": { "type": "number" },
                        "to": { "type": "number" },
                        "start": { "type": "integer" },
                        "end": { "type": "integer" }
                    },
                    "required": ["shape", "from", "to", "start", "end"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Profile {
        #[derive(Deserialize)]
        struct W {
            p: Profile,
        }
        toml::from_str::<W>(text).unwrap().p
    }

    #[test]
    fn table_carries_values_forward() {
        let p = parse("p = { 2028 = 10, 2030 = 20 }");
        assert_eq!(p.at(2027), 10.0);
        assert_eq!(p.at(2029), 10.0);
        assert_eq!(p.at(2030), 20.0);
        assert_eq!(p.at(2040), 20.0);
    }

    #[test]
    fn shapes_interpolate() {
        let lin = parse("p = { shape = \"linear\", from = 40, to = 20, start = 2028, end = 2032 }");
        assert_eq!(lin.at(2027), 40.0);
        assert_eq!(lin.at(2030), 30.0);
        assert_eq!(lin.at(2035), 20.0);
        let step = parse("p = { shape = \"step\", from = 1, to = 0, start = 2028, end = 2030 }");
        assert_eq!(step.at(2029), 1.0);
        assert_eq!(step.at(2030), 0.0);
        let front =
            parse("p = { shape = \"front_loaded\", from = 0, to = 1, start = 2028, end = 2030 }");
        assert_eq!(front.at(2029), 0.75);
        let back =
            parse("p = { shape = \"back_loaded\", from = 0, to = 1, start = 2028, end = 2030 }");
        assert_eq!(back.at(2029), 0.25);
    }
}
