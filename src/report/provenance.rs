//! What the numbers rest on: the scenario's key parameters with their source
//! comments, the run's provenance, and for a comparison the paired
//! differences with their intervals.

use super::Lang;
use super::data::{Paired, Run};
use super::html::{esc, section, table};
use crate::metrics::{Derived, Figure, Metric};
use crate::output::comparison::CUMULATIVE_COST;

pub fn assumptions(lang: Lang, run: &Run) -> String {
    let mut body = format!(
        "<p class=\"note\">{}</p>\n",
        esc(lang.t(
            "The scenario's key parameters as written, with the comment next to them (usually the source document and line). ASSUMPTION marks a value the sources do not give.",
            "De belangrijkste parameters van het scenario zoals geschreven, met het commentaar erbij (meestal het brondocument en de regel). ASSUMPTION markeert een waarde die de bronnen niet geven.",
        ))
    );
    if run.assumptions.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            esc(lang.t(
                "This result folder holds no assumptions.json.",
                "Deze resultaatmap bevat geen assumptions.json."
            ))
        ));
    } else {
        body.push_str("<table id=\"table-assumptions\">\n<thead><tr>");
        for h in [
            lang.t("parameter", "parameter"),
            lang.t("value", "waarde"),
            lang.t("source / comment", "bron / toelichting"),
        ] {
            body.push_str(&format!("<th class=\"text\">{}</th>", esc(h)));
        }
        body.push_str("</tr></thead>\n<tbody>\n");
        for a in &run.assumptions {
            body.push_str(&format!(
                "<tr><td class=\"text\">{}</td><td class=\"code\">{}</td><td class=\"text\">{}<br><small>{}</small></td></tr>\n",
                esc(&a.key),
                esc(&a.value),
                esc(&a.comment),
                esc(&a.source)
            ));
        }
        body.push_str("</tbody>\n</table>\n");
    }
    section("assumptions", lang.t("Assumptions", "Aannames"), &body)
}

pub fn provenance(lang: Lang, runs: &[(&str, &Run)], report_date: &str) -> String {
    let mut body = String::new();
    for (label, run) in runs {
        let m = &run.manifest;
        if !label.is_empty() {
            body.push_str(&format!("<h3>{}</h3>\n", esc(label)));
        }
        body.push_str("<dl class=\"provenance\">\n");
        for (k, v) in [
            (
                lang.t("tool", "programma"),
                format!("{} {}", m.tool, m.version),
            ),
            (lang.t("scenario", "scenario"), m.scenario.clone()),
            (
                lang.t("scenario SHA-256", "scenario SHA-256"),
                m.scenario_sha256.clone(),
            ),
            (lang.t("seed", "seed"), m.seed.to_string()),
            (
                lang.t("replications", "replicaties"),
                m.replications.to_string(),
            ),
            (
                lang.t("simulated on", "gesimuleerd op"),
                m.created_at.clone(),
            ),
            (
                lang.t("result folder", "resultaatmap"),
                run.dir.display().to_string(),
            ),
            (
                lang.t("report made on", "rapport gemaakt op"),
                report_date.to_string(),
            ),
        ] {
            body.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(&v)));
        }
        body.push_str("</dl>\n");
    }
    section("provenance", lang.t("Provenance", "Herkomst"), &body)
}

/// Paired differences B − A with 95 % intervals (common random numbers).
pub fn comparison(lang: Lang, a: &Run, b: &Run, paired: &[Paired]) -> String {
    let mut body = format!(
        "<p>{}</p>\n",
        esc(&match lang {
            Lang::En => format!(
                "B = {} minus A = {}, the same simulated futures for both (common random numbers), so the intervals show the effect of the difference, not chance.",
                b.manifest.scenario, a.manifest.scenario
            ),
            Lang::Nl => format!(
                "B = {} min A = {}, voor beide dezelfde gesimuleerde toekomsten (common random numbers), zodat de intervallen het effect van het verschil tonen en niet het toeval.",
                b.manifest.scenario, a.manifest.scenario
            ),
        })
    );
    let headers = vec![
        lang.t("year", "jaar").to_string(),
        lang.t("cost A", "kosten A").to_string(),
        lang.t("cost B", "kosten B").to_string(),
        lang.t("Δ cost (95 % interval)", "Δ kosten (95 %-interval)")
            .to_string(),
        lang.t("Δ cumulative", "Δ cumulatief").to_string(),
        lang.t("P(overrun) A → B", "P(overschrijding) A → B")
            .to_string(),
    ];
    let rows: Vec<Vec<(String, bool)>> = b
        .years
        .iter()
        .filter_map(|&y| comparison_row(lang, paired, y))
        .collect();
    body.push_str(&table("table-comparison", &headers, &rows));
    section(
        "comparison",
        lang.t(
            "Comparison of the two scenarios",
            "Vergelijking van de twee scenario's",
        ),
        &body,
    )
}

/// One year's row of the comparison table; `None` without a cost difference.
fn comparison_row(lang: Lang, paired: &[Paired], y: i32) -> Option<Vec<(String, bool)>> {
    let find = |f: Figure| paired.iter().find(|p| p.year == y && p.metric == f.name());
    let cost = find(Figure::Metric(Metric::CostEur))?;
    let cum = find(CUMULATIVE_COST);
    let p = find(Figure::Derived(Derived::POverrun));
    Some(vec![
        (y.to_string(), true),
        (lang.millions(cost.a_mean), false),
        (lang.millions(cost.b_mean), false),
        (
            format!(
                "{} ({} … {})",
                lang.millions(cost.diff),
                lang.millions(cost.low),
                lang.millions(cost.high)
            ),
            false,
        ),
        (cum.map_or("–".into(), |c| lang.millions(c.diff)), false),
        (
            p.map_or("–".into(), |p| {
                format!("{} → {}", lang.percent(p.a_mean), lang.percent(p.b_mean))
            }),
            false,
        ),
    ])
}
