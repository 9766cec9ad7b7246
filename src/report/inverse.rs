//! The inverse answers in the report: the lumpsum that would be enough
//! with 80 % certainty (in the headline, from `sufficient_lumpsum.csv`) and
//! what `jeugdstroom required` found (from `required.csv`). Each file is
//! shown only when the folder's manifest lists it — its checksum was
//! verified when the run was loaded, and a file left over from before a
//! re-run is not listed.

use super::Lang;
use super::data::Run;
use super::html::{section, table};
use crate::output::format::cell_text;
use crate::output::{required, sufficient};
use anyhow::{Context, Result};
use std::collections::HashMap;

/// The rows of a listed CSV file as maps column → cell; `None` when not listed.
pub(super) fn listed_rows(run: &Run, name: &str) -> Result<Option<Vec<HashMap<String, String>>>> {
    if !run.manifest.files.contains_key(name) {
        return Ok(None);
    }
    let path = run.dir.join(name);
    let mut reader = csv::Reader::from_path(&path).with_context(|| path.display().to_string())?;
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.with_context(|| path.display().to_string())?;
        let row = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), cell_text(v).to_string()))
            .collect();
        rows.push(row);
    }
    Ok(Some(rows))
}

pub(super) fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row.get(column)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The headline's table of the region's lumpsum now and the lumpsum that
/// would be enough with 80 % certainty, per year (empty without the file).
pub fn sufficient_at_80(lang: Lang, run: &Run) -> Result<String> {
    let Some(rows) = listed_rows(run, sufficient::FILE_NAME)? else {
        return Ok(String::new());
    };
    let cells: Vec<Vec<(String, bool)>> = rows
        .iter()
        .filter(|r| r.get("scope").is_some_and(|s| s == "region"))
        .filter(|r| (number(r, "certainty") - 0.8).abs() < 1e-9)
        .map(|r| {
            vec![
                (r.get("year").cloned().unwrap_or_default(), true),
                (lang.millions(number(r, "lumpsum_now_eur")), false),
                (lang.millions(number(r, "lumpsum_eur")), false),
                (lang.millions(number(r, "gap_eur")), false),
            ]
        })
        .collect();
    let headers = [
        lang.t("year", "jaar"),
        lang.t("lumpsum", "lumpsum"),
        lang.t(
            "lumpsum enough with 80 % certainty",
            "benodigde lumpsum bij 80 % zekerheid",
        ),
        lang.t("gap", "verschil"),
    ]
    .map(String::from);
    let note = lang.t(
        "The lumpsum that would have covered the cost in 80 % of the simulated futures: today's lumpsum plus the 80th percentile of cost − lumpsum (after the contract's adjustments). Other certainties and every party: sufficient_lumpsum.csv.",
        "De lumpsum die de kosten in 80 % van de gesimuleerde toekomsten had gedekt: de huidige lumpsum plus het 80e percentiel van kosten − lumpsum (na de contractaanpassingen). Andere zekerheden en elke partij: sufficient_lumpsum.csv.",
    );
    Ok(format!(
        "<h3>{}</h3>\n{}<p>{}</p>\n",
        lang.t(
            "Lumpsum enough with 80 % certainty",
            "Benodigde lumpsum bij 80 % zekerheid"
        ),
        table("table-sufficient", &headers, &cells),
        super::html::esc(note)
    ))
}

pub(super) fn lever_label(lang: Lang, lever: &str) -> String {
    let nl = match lever {
        "inflow" => "instroom",
        "duration" => "duur",
        "tariff" => "tarief",
        "exit" => "uitstroom",
        "access" => "toegang",
        other => other,
    };
    lang.t(lever, nl).to_string()
}

/// A change as a signed percentage, `−4.1 %`.
pub(super) fn change(lang: Lang, x: f64) -> String {
    let sign = if x > 0.0 { "+" } else { "" };
    format!("{sign}{} %", lang.number(x * 100.0, 1))
}

/// The section on `required.csv` (empty when the folder has none).
pub fn required_section(lang: Lang, run: &Run) -> Result<String> {
    let Some(rows) = listed_rows(run, required::FILE_NAME)? else {
        return Ok(String::new());
    };
    let cells: Vec<Vec<(String, bool)>> = rows.iter().map(|r| required_row(lang, r)).collect();
    let headers = [
        lang.t("lever", "knop"),
        lang.t("from", "vanaf"),
        lang.t("year", "jaar"),
        lang.t("whose", "van wie"),
        lang.t("target P(cost > lumpsum)", "doel P(kosten > lumpsum)"),
        lang.t("change", "verandering"),
        lang.t("95 % interval", "95 %-interval"),
        lang.t("confirmed", "bevestigd"),
    ]
    .map(String::from);
    let note = lang.t(
        "The smallest change of one lever, on every care form from the year given, that brings the probability of an overrun to the target; found on the same simulated futures at every step (common random numbers) and confirmed on as many fresh ones. “not reachable”: not within the lever's range; “already met”: the target holds without it.",
        "De kleinste verandering van één knop, op alle zorgvormen vanaf het genoemde jaar, die de kans op overschrijding op het doel brengt; gevonden op dezelfde gesimuleerde toekomsten bij elke stap (common random numbers) en bevestigd op evenveel nieuwe. „niet haalbaar”: niet binnen het bereik van de knop; „al gehaald”: het doel geldt ook zonder.",
    );
    Ok(section(
        "required",
        lang.t(
            "What would have to change?",
            "Wat zou er moeten veranderen?",
        ),
        &format!(
            "{}<p>{}</p>\n",
            table("table-required", &headers, &cells),
            super::html::esc(note)
        ),
    ))
}

fn required_row(lang: Lang, r: &HashMap<String, String>) -> Vec<(String, bool)> {
    let get = |c: &str| r.get(c).cloned().unwrap_or_default();
    let whose = match get("scope").as_str() {
        "region" => lang.t("region", "regio").to_string(),
        scope => format!("{scope} {}", get("name")),
    };
    let (x, lo, hi) = (
        number(r, "change"),
        number(r, "change_ci95_low"),
        number(r, "change_ci95_high"),
    );
    let (answer, interval) = match get("status").as_str() {
        "unreachable" => (
            lang.t("not reachable", "niet haalbaar").to_string(),
            String::new(),
        ),
        "already_met" => (
            lang.t("already met", "al gehaald").to_string(),
            String::new(),
        ),
        _ => (
            change(lang, x),
            format!("{} … {}", change(lang, lo), change(lang, hi)),
        ),
    };
    vec![
        (lever_label(lang, &get("lever")), true),
        (get("from_year"), false),
        (get("year"), false),
        (whose, true),
        (lang.percent(number(r, "target_p_overrun")), false),
        (answer, false),
        (interval, false),
        (lang.percent(number(r, "p_overrun_confirmed")), false),
    ]
}
