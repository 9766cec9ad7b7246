//! Scopes of an output column (region, municipality, area, provider) and
//! the key that names one column in the result files.

use super::Metric;
use serde::{Deserialize, Serialize, Serializer};

/// The name a column uses for "all care forms" or "not this scope".
pub const ALL: &str = "all";

/// The kind of party a result row is about; its name is the `scope` column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScopeKind {
    #[default]
    Region,
    Municipality,
    Area,
    Provider,
}

impl ScopeKind {
    pub fn name(self) -> &'static str {
        match self {
            ScopeKind::Region => "region",
            ScopeKind::Municipality => "municipality",
            ScopeKind::Area => "area",
            ScopeKind::Provider => "provider",
        }
    }
}

impl Serialize for ScopeKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One scope of the model, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Region,
    Municipality(usize),
    Area(usize),
    Provider(usize),
}

impl Scope {
    pub fn kind(self) -> ScopeKind {
        match self {
            Scope::Region => ScopeKind::Region,
            Scope::Municipality(_) => ScopeKind::Municipality,
            Scope::Area(_) => ScopeKind::Area,
            Scope::Provider(_) => ScopeKind::Provider,
        }
    }
}

/// One output column as written in the result files (and as JSON in the
/// metadata of an empty shard's `replications.parquet`, so its serde form
/// is part of the file format).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnKey {
    pub year: i32,
    pub municipality: String,
    pub area: String,
    pub provider: String,
    pub care_form: String,
    pub metric: Metric,
    pub money: bool,
}

impl ColumnKey {
    /// The scope kind and the scope's name (`region` for the region).
    pub fn scope(&self) -> (ScopeKind, &str) {
        if self.municipality != ALL {
            (ScopeKind::Municipality, &self.municipality)
        } else if self.area != ALL {
            (ScopeKind::Area, &self.area)
        } else if self.provider != ALL {
            (ScopeKind::Provider, &self.provider)
        } else {
            (ScopeKind::Region, ScopeKind::Region.name())
        }
    }

    /// A column over all care forms of a whole party (not one area): the
    /// columns budgets, feasibility and comparisons are read from.
    pub fn is_party_total(&self) -> bool {
        self.care_form == ALL && self.area == ALL
    }
}
