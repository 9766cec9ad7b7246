//! From the kept CBS cells to history rows: one referrer category (the
//! total over referrers), counts added over the regions of a municipality
//! and the CBS kinds of care of a care form as ranges, the stock at the end
//! of the year derived, mean stays weighted by the trajectories that ended.

use super::cells::{Bounds, Cell, Rounding};
use super::csvtext::Text;
use super::mapping::{Mapping, Quantity};
use super::read::{Obs, Table};
use crate::error::{InputError, InputErrors};
use std::collections::{BTreeMap, BTreeSet};

/// One year × municipality × care form of the history CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub year: i32,
    pub municipality: String,
    pub care_form: String,
    pub started: Bounds,
    pub ended: Bounds,
    pub in_care_end: Bounds,
    /// None when unknown (suppressed, or nothing ended).
    pub mean_duration_days: Option<f64>,
}

/// What went in, for the summary printed after the import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    pub referrer: String,
    pub cells: usize,
    pub suppressed: usize,
    pub years: Vec<i32>,
}

pub struct Settings<'a> {
    pub forms: &'a [String],
    pub municipalities: &'a [String],
    pub referrer: Option<&'a str>,
    pub rounding: Rounding,
}

/// Sums for one year × municipality × care form.
#[derive(Default)]
struct Acc {
    counts: BTreeMap<Quantity, (Bounds, (usize, usize))>,
    /// Σ mean × weight, Σ weight; None once a weighted part is unknown.
    duration: Option<(f64, f64)>,
    has_duration: bool,
}

type Key = (i32, String, String);

pub fn rows(
    text: &Text,
    table: &Table,
    mapping: &Mapping,
    settings: &Settings,
) -> Result<(Vec<Row>, Counts), InputErrors> {
    let err = |msg: String, field: &str, fix: String| {
        let at = (table.header_at, 0);
        InputErrors(vec![text.error(at, table.delimiter, field, msg, fix)])
    };
    if table.obs.is_empty() {
        let msg = "no yearly row of the file is for a region of the municipality map".to_string();
        let fix = "give --municipality-map with the file's region codes (e.g. GM0363,amsterdam), and export the years (2021JJ00)";
        return Err(err(msg, "RegioS", fix.into()));
    }
    let referrer =
        choose_referrer(table, settings.referrer).map_err(|(m, f)| err(m, "--referrer", f))?;
    let chosen: Vec<&Obs> = (table.obs.iter())
        .filter(|o| o.referrer == referrer)
        .collect();
    let (accs, mut counts) = accumulate(text, table, mapping, settings, &chosen)?;
    counts.referrer = referrer;
    counts.years = (accs.keys().map(|k| k.0))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    complete(text, table, mapping, settings, &accs, &counts.years)?;
    let rows = (accs.into_iter())
        .map(|(key, acc)| finish(text, table, key, &acc))
        .collect::<Result<Vec<Row>, InputErrors>>()?;
    Ok((rows, counts))
}

/// Adds the chosen cells into their year × municipality × care form.
fn accumulate(
    text: &Text,
    table: &Table,
    mapping: &Mapping,
    settings: &Settings,
    chosen: &[&Obs],
) -> Result<(BTreeMap<Key, Acc>, Counts), InputErrors> {
    let mut errors = Vec::new();
    let mut counts = Counts::default();
    let mut accs: BTreeMap<Key, Acc> = BTreeMap::new();
    // (year, region, rule) → the cell, for the weights of mean stays
    let by_rule: BTreeMap<(i32, &str, &(String, String)), &Obs> = (chosen.iter())
        .map(|o| ((o.year, o.region.as_str(), &o.rule), *o))
        .collect();
    for o in chosen {
        let rule = &mapping.rules[&o.rule];
        let Some(form) = &rule.care_form else {
            continue;
        };
        let key = (o.year, o.municipality.clone(), form.clone());
        let acc = accs.entry(key).or_default();
        counts.cells += 1;
        counts.suppressed += usize::from(o.cell == Cell::Suppressed);
        if rule.quantity == Quantity::MeanDuration {
            let ended = (mapping.weights.get(&o.rule))
                .and_then(|w| by_rule.get(&(o.year, o.region.as_str(), w)));
            let weight = ended.and_then(|e| settings.rounding.count(e.cell).ok());
            add_duration(acc, o.cell, weight.map_or(0.0, Bounds::mid));
            continue;
        }
        match settings.rounding.count(o.cell) {
            Ok(b) => {
                let slot = (acc.counts.entry(rule.quantity)).or_insert((Bounds::ZERO, o.at));
                slot.0 = slot.0.plus(b);
            }
            Err(e) => errors.push(rounding_error(text, table, o, &e, settings.rounding)),
        }
    }
    match errors.is_empty() {
        true => Ok((accs, counts)),
        false => Err(InputErrors(errors)),
    }
}

/// One history row: the stock at the end of the year is the trajectories
/// in care during the year minus those that ended, unless CBS gave it.
fn finish(text: &Text, table: &Table, key: Key, acc: &Acc) -> Result<Row, InputErrors> {
    let (year, municipality, care_form) = key;
    let get = |q| acc.counts.get(&q).map(|c| c.0).unwrap_or(Bounds::ZERO);
    let ended = get(Quantity::Ended);
    let in_care_end = match acc.counts.get(&Quantity::InCareEnd) {
        Some(c) => Some(c.0),
        None => get(Quantity::Total).minus(ended),
    };
    let Some(in_care_end) = in_care_end else {
        let at = acc
            .counts
            .get(&Quantity::Ended)
            .map_or((table.header_at, 0), |c| c.1);
        let total = get(Quantity::Total);
        let msg = format!(
            "{ended} trajectories of {care_form} ended in {municipality} in {year}, more than the {total} in care during the year"
        );
        let fix = "check the file: the ended count of a kind of care cannot exceed its total";
        return Err(InputErrors(vec![text.error(
            at,
            table.delimiter,
            "ended",
            msg,
            fix,
        )]));
    };
    let mean_duration_days = match acc.duration {
        Some((sum, weight)) if acc.has_duration && weight > 0.0 => Some(sum / weight),
        _ => None,
    };
    Ok(Row {
        year,
        started: get(Quantity::Started),
        ended,
        in_care_end,
        mean_duration_days,
        municipality,
        care_form,
    })
}

fn add_duration(acc: &mut Acc, cell: Cell, weight: f64) {
    if !acc.has_duration {
        acc.has_duration = true;
        acc.duration = Some((0.0, 0.0));
    }
    acc.duration = match (acc.duration, cell) {
        (Some((s, w)), Cell::Value(m)) => Some((s + m * weight, w + weight)),
        // Nothing ended in that part: its unknown mean weighs nothing.
        (Some(d), Cell::Suppressed) if weight == 0.0 => Some(d),
        _ => None,
    };
}

fn rounding_error(text: &Text, table: &Table, o: &Obs, e: &str, rounding: Rounding) -> InputError {
    let msg = format!(
        "{e}: CBS publishes these counts rounded to a multiple of {}",
        rounding.base
    );
    let fix = "if the file holds exact counts, pass --rounding 1; else check the cell";
    text.error(o.at, table.delimiter, &o.rule.0, msg, fix)
}

/// The referrer category to import: the one asked for, the only one in the
/// file, or the only code starting with `T` (CBS codes its totals `T00…`).
fn choose_referrer(table: &Table, asked: Option<&str>) -> Result<String, (String, String)> {
    let codes: BTreeSet<&str> = table.obs.iter().map(|o| o.referrer.as_str()).collect();
    let list = codes.iter().copied().collect::<Vec<_>>().join(", ");
    if let Some(asked) = asked {
        return match codes.contains(asked) {
            true => Ok(asked.to_string()),
            false => Err((
                format!("referrer `{asked}` is not in the file's imported rows"),
                format!("use one of: {list}"),
            )),
        };
    }
    let totals: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| c.starts_with('T'))
        .collect();
    match (codes.len(), totals.as_slice()) {
        (0 | 1, _) => Ok(codes.iter().next().map(|c| c.to_string()).unwrap_or_default()),
        (_, [total]) => Ok(total.to_string()),
        _ => Err((
            format!("the file holds several referrer categories ({list}) and no single total"),
            "give --referrer CODE with the code of \"Totaal verwijzers\" (the table's VerwijzerJeugdzorg metadata)".into(),
        )),
    }
}

/// Every municipality has rows; every year × municipality × care form has
/// started, ended and a stock.
fn complete(
    text: &Text,
    table: &Table,
    mapping: &Mapping,
    settings: &Settings,
    accs: &BTreeMap<Key, Acc>,
    years: &[i32],
) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    let at = (table.header_at, 0);
    for m in (settings.municipalities.iter()).filter(|m| !table.regions.contains_key(*m)) {
        let msg = format!("no yearly row in the file is for municipality `{m}`");
        let fix = "map its CBS region code (e.g. GM0363) to it in --municipality-map, or export its rows too";
        errors.push(text.error(at, table.delimiter, "RegioS", msg, fix));
    }
    for form in settings.forms {
        if let Err(e) = mapped(mapping, form) {
            errors.push(e);
            continue;
        }
        for year in years {
            let present =
                (settings.municipalities.iter()).filter(|m| table.regions.contains_key(*m));
            for m in present {
                let acc = accs.get(&(*year, m.clone(), form.clone()));
                let has = |q| acc.is_some_and(|a| a.counts.contains_key(&q));
                let stock = has(Quantity::Total) || has(Quantity::InCareEnd);
                if !(has(Quantity::Started) && has(Quantity::Ended) && stock) {
                    let msg = format!(
                        "the file has no complete {year} rows for municipality `{m}`, care form `{form}` (started, ended, total)"
                    );
                    let fix = "check --municipality-map (every municipality needs the region codes of that year) and that the export holds every year and measure";
                    errors.push(text.error(at, table.delimiter, "RegioS", msg, fix));
                }
            }
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(InputErrors(errors)),
    }
}

/// The measure table gives `form` started, ended and a stock.
fn mapped(mapping: &Mapping, form: &str) -> Result<(), InputError> {
    let quantities: BTreeSet<Quantity> = (mapping.rules.values())
        .filter(|r| r.care_form.as_deref() == Some(form))
        .map(|r| r.quantity)
        .collect();
    let stock = quantities.contains(&Quantity::Total) || quantities.contains(&Quantity::InCareEnd);
    if quantities.contains(&Quantity::Started) && quantities.contains(&Quantity::Ended) && stock {
        return Ok(());
    }
    let msg = format!(
        "care form `{form}` needs CBS measures for started, ended and total (or in_care_end) in {}",
        mapping.origin
    );
    let origin = std::path::Path::new(&mapping.origin);
    let fix = "add lines for them to the measure table (--mapping)";
    Err(InputError::new(msg)
        .in_file(origin)
        .field("care_form")
        .fix(fix))
}
