//! Which CBS measures become which history counts of which care form, and
//! which CBS regions are which municipalities of the scenario. Both are small
//! CSV files so that a region can correct them without touching the code;
//! the default measure table (`examples/cbs-mapping-85097NED.csv`) is
//! embedded and documents its own assumptions in `#` comments.

use super::csvtext::{Text, offset};
use crate::error::InputErrors;
use std::collections::{BTreeMap, HashMap};

/// The default measure table, for 85097NED onto the default scenario's forms.
pub const DEFAULT_MAPPING: &str = include_str!("../../examples/cbs-mapping-85097NED.csv");
pub const DEFAULT_MAPPING_NAME: &str = "examples/cbs-mapping-85097NED.csv (embedded default)";

/// The history quantity a CBS measure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quantity {
    /// Trajectories in care at any time in the year ("Totaal …").
    Total,
    Started,
    Ended,
    /// In care at the end of the year (a `peildatum` count).
    InCareEnd,
    /// Mean length in days of the trajectories that ended.
    MeanDuration,
}

const QUANTITIES: [(&str, Quantity); 5] = [
    ("total", Quantity::Total),
    ("started", Quantity::Started),
    ("ended", Quantity::Ended),
    ("in_care_end", Quantity::InCareEnd),
    ("mean_duration_days", Quantity::MeanDuration),
];

/// One line of a measure table; its form code (the value of a form-of-care
/// dimension, empty when the file has none) is in the table's key.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Column key (TypedDataSet) or `Measure` code (long layout).
    pub measure: String,
    /// Target care form; None for `-` (known, deliberately not imported).
    pub care_form: Option<String>,
    pub quantity: Quantity,
}

#[derive(Debug)]
pub struct Mapping {
    pub origin: String,
    /// (measure, form) → rule
    pub rules: BTreeMap<(String, String), Rule>,
    /// A `mean_duration_days` rule → the `ended` rule that weighs it: the
    /// nearest `ended` line above it with the same care form and form code.
    pub weights: BTreeMap<(String, String), (String, String)>,
}

impl Mapping {
    pub fn uses_form_dimension(&self) -> bool {
        self.rules.keys().any(|(_, form)| !form.is_empty())
    }

    pub fn is_measure(&self, name: &str) -> bool {
        self.rules.keys().any(|(m, _)| m == name)
    }
}

/// Reads a measure table `measure,form,care_form,quantity` (`form` may be
/// left out of the header). Unknown care forms are errors: the fix names
/// the scenario's forms, and says to write a table when the default one
/// does not fit the scenario.
pub fn read_mapping(text: &Text, forms: &[String], default: bool) -> Result<Mapping, InputErrors> {
    let delim = text.delimiter();
    let mut reader = text.reader(delim, true);
    let header = reader.headers().cloned().unwrap_or_default();
    let at_header = header.position().map_or(0, |p| p.byte() as usize);
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(measure), Some(care_form), Some(quantity)) =
        (col("measure"), col("care_form"), col("quantity"))
    else {
        let msg = format!(
            "{} lacks a header `measure,form,care_form,quantity`",
            text.file
        );
        let fix = "write the header line `measure,form,care_form,quantity` (form may be left out)";
        let error = text.error((at_header, 0), delim, "measure", msg, fix);
        return Err(InputErrors(vec![error]));
    };
    let mut lines = Lines {
        text,
        delim,
        forms,
        default,
        columns: [Some(measure), col("form"), Some(care_form), Some(quantity)],
        mapping: Mapping {
            origin: text.file.clone(),
            rules: BTreeMap::new(),
            weights: BTreeMap::new(),
        },
        last_ended: HashMap::new(),
        first_line: HashMap::new(),
        errors: Vec::new(),
    };
    for record in reader.records() {
        match record {
            Ok(r) if r.iter().all(str::is_empty) => {}
            Ok(r) => lines.line(&r),
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                let msg = format!("malformed CSV in {}: {e}", text.file);
                let fix = "check the quotes of this line";
                lines.errors.push(text.error((at, 0), delim, "", msg, fix));
                break;
            }
        }
    }
    if lines.errors.is_empty() && lines.mapping.rules.is_empty() {
        let msg = format!("{} maps no measure", text.file);
        let fix = "add one line per CBS measure: measure,form,care_form,quantity";
        lines
            .errors
            .push(text.error((at_header, 0), delim, "measure", msg, fix));
    }
    match lines.errors.is_empty() {
        true => Ok(lines.mapping),
        false => Err(InputErrors(lines.errors)),
    }
}

/// The lines of a measure table read so far.
struct Lines<'a> {
    text: &'a Text,
    delim: u8,
    forms: &'a [String],
    default: bool,
    /// Field index of measure, form, care_form, quantity.
    columns: [Option<usize>; 4],
    mapping: Mapping,
    /// The last `ended` rule per (care form, form code), for the weights.
    last_ended: HashMap<(Option<String>, String), (String, String)>,
    first_line: HashMap<(String, String), usize>,
    errors: Vec<crate::error::InputError>,
}

impl Lines<'_> {
    fn fail(&mut self, at: usize, column: usize, field: &str, msg: String, fix: impl Into<String>) {
        let index = self.columns[column].unwrap_or(0);
        (self.errors).push(self.text.error((at, index), self.delim, field, msg, fix));
    }

    fn line(&mut self, record: &csv::StringRecord) {
        let at = offset(record);
        let get = |c: usize| self.columns[c].and_then(|i| record.get(i)).unwrap_or("");
        let key = (get(0).to_string(), get(1).to_string());
        let (target, q) = (get(2).to_string(), get(3).to_string());
        if key.0.is_empty() {
            let fix = "write the column key (e.g. TotaalBegonnenTrajecten_42) or Measure code";
            return self.fail(at, 0, "measure", "the measure key is empty".into(), fix);
        }
        let line = self.text.at(at, 0, self.delim).line;
        if let Some(first) = self.first_line.insert(key.clone(), line) {
            let msg = format!(
                "measure `{}` is mapped twice (first on line {first})",
                key.0
            );
            return self.fail(at, 0, "measure", msg, "keep one line");
        }
        let target = match target.as_str() {
            "-" => None,
            t if self.forms.iter().any(|f| f == t) => Some(t.to_string()),
            t => {
                let msg = format!("`{t}` is not a care form of the scenario");
                let mut fix = format!(
                    "use one of {} or `-` to leave it out",
                    self.forms.join(", ")
                );
                if self.default {
                    fix = format!(
                        "the default table maps onto the default scenario's forms; give \
                         --mapping FILE (copy examples/cbs-mapping-85097NED.csv) and {fix}"
                    );
                }
                return self.fail(at, 2, "care_form", msg, fix);
            }
        };
        let Some(&(_, quantity)) = QUANTITIES.iter().find(|(n, _)| *n == q) else {
            let names: Vec<&str> = QUANTITIES.iter().map(|(n, _)| *n).collect();
            let msg = format!("unknown quantity `{q}`");
            return self.fail(
                at,
                3,
                "quantity",
                msg,
                format!("use one of {}", names.join(", ")),
            );
        };
        if !self.weigh(&key, &target, quantity) {
            let msg =
                "a mean_duration_days line needs the `ended` line of its trajectories above it"
                    .to_string();
            let fix = "put the line that maps the ended count of the same care form (and form code) above it";
            return self.fail(at, 3, "quantity", msg, fix);
        }
        let rule = Rule {
            measure: key.0.clone(),
            care_form: target,
            quantity,
        };
        self.mapping.rules.insert(key, rule);
    }

    /// Remembers `ended` lines and pairs a mean-stay line with the last
    /// one of its care form; false if there is none.
    fn weigh(&mut self, key: &(String, String), target: &Option<String>, q: Quantity) -> bool {
        let group = (target.clone(), key.1.clone());
        match q {
            Quantity::Ended => {
                self.last_ended.insert(group, key.clone());
            }
            Quantity::MeanDuration if target.is_some() => match self.last_ended.get(&group) {
                Some(ended) => {
                    self.mapping.weights.insert(key.clone(), ended.clone());
                }
                None => return false,
            },
            _ => {}
        }
        true
    }
}

/// Region code (or region title) → municipality of the scenario. Several
/// codes may name one municipality (a merger: Weesp GM0457 into Amsterdam
/// GM0363 in 2022); their counts are added.
#[derive(Debug)]
pub struct Regions {
    pub origin: String,
    pub to_municipality: BTreeMap<String, String>,
}

impl Regions {
    /// Without a map: every municipality's label and name stand for
    /// themselves, which matches StatLine CSVs written with region titles.
    pub fn by_label(municipalities: &[(String, Option<String>)]) -> Regions {
        let mut to_municipality = BTreeMap::new();
        for (name, label) in municipalities {
            to_municipality.insert(name.to_lowercase(), name.clone());
            if let Some(label) = label {
                to_municipality.insert(label.to_lowercase(), name.clone());
            }
        }
        Regions {
            origin: "the scenario's municipality names and labels".into(),
            to_municipality,
        }
    }

    pub fn get(&self, region: &str) -> Option<&String> {
        self.to_municipality.get(&region.to_lowercase())
    }
}

/// Reads a municipality map `cbs_code,municipality`.
pub fn read_regions(text: &Text, municipalities: &[String]) -> Result<Regions, InputErrors> {
    let delim = text.delimiter();
    let mut reader = text.reader(delim, true);
    let header = reader.headers().cloned().unwrap_or_default();
    let at_header = header.position().map_or(0, |p| p.byte() as usize);
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(code), Some(muni)) = (col("cbs_code"), col("municipality")) else {
        let msg = format!("{} lacks a header `cbs_code,municipality`", text.file);
        let fix = "write the header line `cbs_code,municipality`, then e.g. `GM0363,amsterdam`";
        return Err(InputErrors(vec![text.error(
            (at_header, 0),
            delim,
            "cbs_code",
            msg,
            fix,
        )]));
    };
    let mut errors = Vec::new();
    let mut to_municipality = BTreeMap::new();
    for record in reader.records() {
        let Ok(record) = record else {
            let msg = format!("malformed CSV in {}", text.file);
            errors.push(text.error((at_header, 0), delim, "", msg, "check the quotes"));
            break;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let at = offset(&record);
        let c = record.get(code).unwrap_or("").to_lowercase();
        let m = record.get(muni).unwrap_or("");
        if c.is_empty() {
            let fix = "write the CBS region code, e.g. GM0363";
            errors.push(text.error(
                (at, code),
                delim,
                "cbs_code",
                "empty region code".into(),
                fix,
            ));
        } else if !municipalities.iter().any(|x| x == m) {
            let msg = format!("`{m}` is not a municipality of the scenario");
            let fix = format!("use one of {}", municipalities.join(", "));
            errors.push(text.error((at, muni), delim, "municipality", msg, fix));
        } else if to_municipality.insert(c.clone(), m.to_string()).is_some() {
            let msg = format!("region `{c}` is mapped twice");
            errors.push(text.error((at, code), delim, "cbs_code", msg, "keep one line"));
        }
    }
    if errors.is_empty() {
        Ok(Regions {
            origin: text.file.clone(),
            to_municipality,
        })
    } else {
        Err(InputErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms() -> Vec<String> {
        ["foster_care", "secure"].map(String::from).to_vec()
    }

    #[test]
    fn reads_a_table_and_refuses_bad_lines() {
        let ok = Text::embedded(
            "m.csv",
            "# comment\nmeasure,care_form,quantity\nPleegzorg_81,foster_care,total\nX_1,-,started\n",
        );
        let m = read_mapping(&ok, &forms(), false).unwrap();
        assert_eq!(m.rules.len(), 2);
        assert!(!m.uses_form_dimension());
        let rule = &m.rules[&("X_1".to_string(), String::new())];
        assert_eq!(
            (rule.care_form.clone(), rule.quantity),
            (None, Quantity::Started)
        );
        let bad = Text::embedded(
            "m.csv",
            "measure,form,care_form,quantity\nA_1,,nope,total\nA_1,,secure,total\nB_2,F,secure,stock\n",
        );
        let e = read_mapping(&bad, &forms(), true).unwrap_err();
        let text: Vec<String> = e.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].contains("m.csv:2:6") && text[0].contains("--mapping"),
            "{}",
            text[0]
        );
        assert!(
            text[1].contains("m.csv:3:1") && text[1].contains("line 2"),
            "{}",
            text[1]
        );
        assert!(
            text[2].contains("m.csv:4:14") && text[2].contains("stock"),
            "{}",
            text[2]
        );
    }

    #[test]
    fn reads_a_region_map() {
        let munis = ["amsterdam".to_string()];
        let t = Text::embedded(
            "r.csv",
            "cbs_code,municipality\nGM0363,amsterdam\nGM0457,amsterdam\n",
        );
        let r = read_regions(&t, &munis).unwrap();
        assert_eq!(r.get("GM0457").map(String::as_str), Some("amsterdam"));
        let bad = Text::embedded("r.csv", "cbs_code,municipality\nGM0363,adam\n");
        let e = read_regions(&bad, &munis).unwrap_err().0[0].to_string();
        assert!(e.contains("r.csv:2:8") && e.contains("amsterdam"), "{e}");
        let by = Regions::by_label(&[("ouder_amstel".into(), Some("Ouder-Amstel".into()))]);
        assert_eq!(
            by.get("ouder-amstel").map(String::as_str),
            Some("ouder_amstel")
        );
    }
}
