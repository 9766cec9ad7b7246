//! The report's opening answers, one line each, before any chart: the
//! probability of an overrun with the plan and without it, how much of the
//! spread is not knowing the parameters, what change would bring the
//! probability to 50 % and 20 % (`required.csv`), the lumpsum that would be
//! enough with 80 % certainty, and where the growth comes from. Each line
//! carries its numbers as data attributes, so tests read what a reader reads.

use super::Lang;
use super::data::Run;
use super::html::esc;
use super::inverse::{change, lever_label, listed_rows, number};
use crate::metrics::ScopeKind;
use crate::output::{required, sufficient};
use anyhow::Result;
use std::collections::HashMap;

type Row = HashMap<String, String>;

/// The years the answers quote: the first, the third and the last.
fn key_years(run: &Run) -> Vec<i32> {
    let mut years: Vec<i32> = [0, 2, run.years.len().saturating_sub(1)]
        .iter()
        .filter_map(|&i| run.years.get(i).copied())
        .collect();
    years.dedup();
    years
}

/// "46 % (2028), 100 % (2030), 97 % (2037)" for the region of `run`.
fn p_by_year(lang: Lang, run: &Run, years: &[i32]) -> String {
    let region: Vec<_> = run.feasibility_of(ScopeKind::Region).collect();
    let quoted: Vec<String> = (years.iter())
        .filter_map(|y| region.iter().find(|r| r.year == *y))
        .map(|r| format!("{} ({})", lang.percent(r.p_overrun), r.year))
        .collect();
    quoted.join(", ")
}

fn item(key: &str, text: &str) -> String {
    format!("<li data-answer=\"{key}\">{}</li>\n", esc(text))
}

fn plan_line(lang: Lang, run: &Run, years: &[i32]) -> String {
    let with = p_by_year(lang, run, years);
    let text = match (&run.without_plan, lang) {
        (Some(w), Lang::En) => format!(
            "P(cost > lumpsum) with the plan: {with}; without the plan: {}.",
            p_by_year(lang, w, years)
        ),
        (Some(w), Lang::Nl) => format!(
            "P(kosten > lumpsum) met het plan: {with}; zonder plan: {}.",
            p_by_year(lang, w, years)
        ),
        (None, Lang::En) => {
            format!(
                "P(cost > lumpsum): {with} (no run without the plan in this folder: a scenario without `plan = true` interventions, or merged shards, which run no twin)."
            )
        }
        (None, Lang::Nl) => {
            format!(
                "P(kosten > lumpsum): {with} (geen run zonder plan in deze map: een scenario zonder `plan = true`-interventies, of samengevoegde shards, die geen tweeling draaien)."
            )
        }
    };
    item("plan", &text)
}

fn uncertainty_line(lang: Lang, run: &Run, years: &[i32]) -> String {
    let shares: Vec<String> = (years.iter())
        .filter_map(|y| run.parameter_share.iter().find(|(py, _)| py == y))
        .map(|(y, s)| format!("{} ({y})", lang.percent(*s)))
        .collect();
    let text = match (shares.is_empty(), lang) {
        (true, Lang::En) => "The scenario has no uncertain parameters: the spread is clients' randomness only.".to_string(),
        (true, Lang::Nl) => "Het scenario heeft geen onzekere parameters: de spreiding is alleen toeval bij cliënten.".to_string(),
        (false, Lang::En) => format!(
            "Share of the spread of the region's cost that comes from not knowing the parameters (the rest is clients' randomness): {}.",
            shares.join(", ")
        ),
        (false, Lang::Nl) => format!(
            "Deel van de spreiding van de kosten van de regio dat komt door onzekere parameters (de rest is toeval bij cliënten): {}.",
            shares.join(", ")
        ),
    };
    item("uncertainty", &text)
}

fn required_line(lang: Lang, run: &Run) -> Result<String> {
    let rows: Vec<Row> = (listed_rows(run, required::FILE_NAME)?.unwrap_or_default())
        .into_iter()
        .filter(|r| {
            r.get("scope")
                .is_some_and(|s| s == ScopeKind::Region.name())
        })
        .collect();
    if rows.is_empty() {
        let text = lang.t(
            "What change would bring P(overrun) to 50 % and 20 %: run `jeugdstroom required SCENARIO --lever inflow --year Y --from Y --target 0.5 --target 0.2 --out <this folder>`, then the report again.",
            "Welke verandering P(overschrijding) naar 50 % en 20 % brengt: draai `jeugdstroom required SCENARIO --lever inflow --year J --from J --target 0.5 --target 0.2 --out <deze map>` en daarna opnieuw het rapport.",
        );
        return Ok(item("required", text));
    }
    let parts: Vec<String> = rows.iter().map(|r| required_part(lang, r)).collect();
    let head = lang.t(
        "What would bring P(overrun) down",
        "Wat P(overschrijding) omlaag brengt",
    );
    Ok(item("required", &format!("{head}: {}.", parts.join("; "))))
}

fn required_part(lang: Lang, r: &Row) -> String {
    let get = |k: &str| r.get(k).cloned().unwrap_or_default();
    let to = lang.percent(number(r, "target_p_overrun"));
    let confirmed = lang.percent(number(r, "p_overrun_confirmed"));
    let (lever, year, from) = (
        lever_label(lang, &get("lever")),
        get("year"),
        get("from_year"),
    );
    let (x, lo, hi) = (
        change(lang, number(r, "change")),
        change(lang, number(r, "change_ci95_low")),
        change(lang, number(r, "change_ci95_high")),
    );
    match lang {
        Lang::En => format!(
            "{lever} {x} from {from} (95 %: {lo} … {hi}) brings it in {year} to {to} (confirmed {confirmed})"
        ),
        Lang::Nl => format!(
            "{lever} {x} vanaf {from} (95 %: {lo} … {hi}) brengt hem in {year} naar {to} (bevestigd {confirmed})"
        ),
    }
}

fn sufficient_line(lang: Lang, run: &Run, years: &[i32]) -> Result<Option<String>> {
    let Some(rows) = listed_rows(run, sufficient::FILE_NAME)? else {
        return Ok(None);
    };
    let quoted: Vec<String> = (years.iter())
        .filter_map(|y| {
            rows.iter().find(|r| {
                r.get("scope")
                    .is_some_and(|s| s == ScopeKind::Region.name())
                    && r.get("year").is_some_and(|v| v == &y.to_string())
                    && (number(r, "certainty") - 0.8).abs() < 1e-9
            })
        })
        .map(|r| {
            let (year, need, now) = (
                r.get("year").cloned().unwrap_or_default(),
                lang.millions(number(r, "lumpsum_eur")),
                lang.millions(number(r, "lumpsum_now_eur")),
            );
            match lang {
                Lang::En => format!("{need} in {year} (now {now})"),
                Lang::Nl => format!("{need} in {year} (nu {now})"),
            }
        })
        .collect();
    let head = lang.t(
        "The lumpsum that would be enough with 80 % certainty",
        "Benodigde lumpsum bij 80 % zekerheid",
    );
    Ok(Some(item(
        "sufficient",
        &format!("{head}: {}.", quoted.join(", ")),
    )))
}

/// The opening list of answers (empty parts left out).
pub fn answers(lang: Lang, run: &Run) -> Result<String> {
    let years = key_years(run);
    let mut out = String::from("<ol class=\"answers\" id=\"answers\">\n");
    out.push_str(&plan_line(lang, run, &years));
    out.push_str(&uncertainty_line(lang, run, &years));
    out.push_str(&required_line(lang, run)?);
    if let Some(line) = sufficient_line(lang, run, &years)? {
        out.push_str(&line);
    }
    if let Some((from, to, parts)) = super::growth::region_totals(run) {
        let sentence = super::growth::summary_sentence(lang, from, to, parts);
        out.push_str(&format!("<li data-answer=\"growth\">{sentence}</li>\n"));
    }
    out.push_str("</ol>\n");
    Ok(out)
}
