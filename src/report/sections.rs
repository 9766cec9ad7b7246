//! The report's sections, each built from one run's results: headline,
//! feasibility, flows, waiting, capacity, assumptions and provenance; and
//! the paired comparison of two runs.

use super::Lang;
use super::charts::{self, Axes, Fan, PALETTE};
use super::data::{FeasibilityRow, Run};
use super::html::{esc, figure, legend, section, table};
use crate::metrics::{Metric, ScopeKind};
use anyhow::Result;

type Cell = (String, bool);

fn text(s: impl Into<String>) -> Cell {
    (s.into(), true)
}

fn num(s: String) -> Cell {
    (s, false)
}

fn means(run: &Run, form: Option<&str>, metric: Metric) -> Vec<f64> {
    run.series(form, metric).iter().map(|s| s.mean).collect()
}

/// One plain-language sentence per year about the region's feasibility.
pub fn sentence(lang: Lang, year: i32, p_overrun: f64, median_gap: f64) -> String {
    let share = lang.percent(p_overrun);
    let gap = lang.millions(median_gap.abs());
    match (lang, median_gap > 0.0) {
        (Lang::En, true) => format!(
            "In {year} the cost exceeds the lumpsum in {share} of simulated futures; median shortfall {gap}."
        ),
        (Lang::En, false) => format!(
            "In {year} the cost exceeds the lumpsum in {share} of simulated futures; median surplus {gap}."
        ),
        (Lang::Nl, true) => format!(
            "In {year} zijn de kosten in {share} van de gesimuleerde toekomsten hoger dan de lumpsum; mediaan tekort {gap}."
        ),
        (Lang::Nl, false) => format!(
            "In {year} zijn de kosten in {share} van de gesimuleerde toekomsten hoger dan de lumpsum; mediaan overschot {gap}."
        ),
    }
}

/// The headline: the cost fan against the lumpsum, the yearly overrun
/// probability, and one sentence per year.
pub fn headline(lang: Lang, run: &Run, other: Option<(&str, &Run)>) -> Result<String> {
    let region: Vec<_> = run.feasibility_of(ScopeKind::Region).collect();
    let p: Vec<f64> = region.iter().map(|r| r.p_overrun).collect();
    let mut body = super::answers::answers(lang, run)?;
    body.push_str(&figure(
        "fan-cost",
        &cost_fan(lang, run, other)?,
        lang.t(
            "Line: median cost; dark band: half of the simulated futures; light band: 90 % of them; dashed: the lumpsum.",
            "Lijn: mediane kosten; donkere band: de helft van de gesimuleerde toekomsten; lichte band: 90 % ervan; gestreept: de lumpsum.",
        ),
    ));
    body.push_str(&figure(
        "bars-overrun",
        &overrun_bars(lang, run, &p)?,
        lang.t(
            "P(cost > lumpsum) per year.",
            "P(kosten > lumpsum) per jaar.",
        ),
    ));
    body.push_str(&sentences(lang, &region));
    body.push_str(&super::inverse::sufficient_at_80(lang, run)?);
    Ok(section(
        "headline",
        lang.t("Is the lumpsum enough?", "Is de lumpsum toereikend?"),
        &body,
    ))
}

/// The region's cost per year as a fan (with the other run's first, if any)
/// against the lumpsum.
fn cost_fan(lang: Lang, run: &Run, other: Option<(&str, &Run)>) -> Result<String> {
    let money_axis = |v: &f64| lang.number(*v, 0);
    let lumpsum: Vec<f64> = means(run, None, Metric::LumpsumEur);
    let mut fans = vec![Fan {
        label: lang.t("cost (this scenario)", "kosten (dit scenario)"),
        color: PALETTE[0],
        stats: run.series(None, Metric::CostEur),
    }];
    if let Some((label, a)) = other {
        fans.insert(
            0,
            Fan {
                label,
                color: PALETTE[1],
                stats: a.series(None, Metric::CostEur),
            },
        );
    }
    charts::fan(
        &Axes {
            title: lang.t(
                "Cost against the lumpsum per year (median, 50 % and 90 % bands)",
                "Kosten tegenover de lumpsum per jaar (mediaan, 50 %- en 90 %-band)",
            ),
            x: lang.t("year", "jaar"),
            y: lang.t("€ million per year", "€ mln per jaar"),
        },
        &run.years,
        &fans,
        &[(lang.t("lumpsum", "lumpsum"), PALETTE[3], lumpsum)],
        1e6,
        &money_axis,
    )
}

/// P(cost > lumpsum) per year as bars.
fn overrun_bars(lang: Lang, run: &Run, p: &[f64]) -> Result<String> {
    let pct = |v: &f64| lang.percent(*v);
    charts::bars(
        &Axes {
            title: lang.t(
                "Probability that the cost exceeds the lumpsum",
                "Kans dat de kosten hoger zijn dan de lumpsum",
            ),
            x: lang.t("year", "jaar"),
            y: lang.t(
                "share of simulated futures",
                "aandeel gesimuleerde toekomsten",
            ),
        },
        &run.years,
        p,
        PALETTE[3],
        &pct,
    )
}

/// One sentence per year, carrying its numbers as data attributes.
fn sentences(lang: Lang, region: &[&FeasibilityRow]) -> String {
    let mut out = String::from("<ul class=\"sentences\">\n");
    for r in region {
        let gap = r.cost_p50 - r.lumpsum;
        out.push_str(&format!(
            "<li data-year=\"{}\" data-p-overrun=\"{}\" data-median-gap-eur=\"{:.2}\"{}>{}</li>\n",
            r.year,
            r.p_overrun,
            gap,
            if r.p_overrun >= 0.5 {
                " class=\"over\""
            } else {
                ""
            },
            esc(&sentence(lang, r.year, r.p_overrun, gap))
        ));
    }
    out.push_str("</ul>\n");
    out
}

/// Feasibility: the region per year, then municipalities and providers as
/// names × years of P(cost > lumpsum) and of the expected shortfall.
pub fn feasibility(lang: Lang, run: &Run) -> String {
    let mut body = region_table(lang, run);
    for (scope, title, id) in [
        (
            ScopeKind::Municipality,
            lang.t("Municipalities", "Gemeenten"),
            "table-municipalities",
        ),
        (
            ScopeKind::Provider,
            lang.t("Providers", "Aanbieders"),
            "table-providers",
        ),
    ] {
        body.push_str(&party_tables(lang, run, scope, title, id));
    }
    section(
        "feasibility",
        lang.t(
            "Feasibility per municipality and provider",
            "Haalbaarheid per gemeente en aanbieder",
        ),
        &body,
    )
}

/// The region's lumpsum, cost quantiles, overrun and shortfall per year.
fn region_table(lang: Lang, run: &Run) -> String {
    let mut headers: Vec<String> = [
        lang.t("year", "jaar"),
        lang.t("lumpsum", "lumpsum"),
        lang.t("expected cost", "verwachte kosten"),
        lang.t("median cost", "mediane kosten"),
        lang.t("P95 cost", "P95 kosten"),
        lang.t("P(cost > lumpsum)", "P(kosten > lumpsum)"),
        lang.t("expected shortfall", "verwacht tekort"),
    ]
    .map(String::from)
    .to_vec();
    let uncertain = !run.parameter_share.is_empty();
    if uncertain {
        headers.push(
            lang.t(
                "cost variance from uncertain parameters",
                "kostenvariantie door onzekere parameters",
            )
            .to_string(),
        );
    }
    let rows: Vec<Vec<Cell>> = run
        .feasibility_of(ScopeKind::Region)
        .map(|r| {
            let mut row = vec![
                text(r.year.to_string()),
                num(lang.millions(r.lumpsum)),
                num(lang.millions(r.cost_mean)),
                num(lang.millions(r.cost_p50)),
                num(lang.millions(r.cost_p95)),
                num(lang.percent(r.p_overrun)),
                num(lang.millions(r.expected_shortfall)),
            ];
            if uncertain {
                let share = run.parameter_share.iter().find(|(y, _)| *y == r.year);
                row.push(num(share.map_or(String::new(), |(_, s)| lang.percent(*s))));
            }
            row
        })
        .collect();
    let mut body = format!("<h3>{}</h3>\n", esc(lang.t("Region", "Regio")));
    body.push_str(&table("table-region", &headers, &rows));
    body
}

/// Two names × years tables of one scope (municipalities or providers):
/// P(cost > lumpsum) and the expected shortfall; empty without parties.
fn party_tables(lang: Lang, run: &Run, scope: ScopeKind, title: &str, id: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for r in run.feasibility_of(scope) {
        if !names.contains(&r.name.as_str()) {
            names.push(&r.name);
        }
    }
    if names.is_empty() {
        return String::new();
    }
    let mut headers = vec![lang.t("name", "naam").to_string()];
    headers.extend(run.years.iter().map(|y| y.to_string()));
    let pivot = |value: &dyn Fn(&FeasibilityRow) -> String| -> Vec<Vec<Cell>> {
        names
            .iter()
            .map(|name| {
                let mut row = vec![text(run.party_label(name).to_string())];
                row.extend(run.years.iter().map(|&y| {
                    run.feasibility_of(scope)
                        .find(|r| r.year == y && r.name == *name)
                        .map_or(num("–".into()), |r| num(value(r)))
                }));
                row
            })
            .collect()
    };
    let mut body = format!(
        "<h3>{}: {}</h3>\n",
        esc(title),
        esc(lang.t("P(cost > lumpsum)", "P(kosten > lumpsum)"))
    );
    body.push_str(&table(id, &headers, &pivot(&|r| lang.percent(r.p_overrun))));
    body.push_str(&format!(
        "<h3>{}: {}</h3>\n",
        esc(title),
        esc(lang.t("expected shortfall", "verwacht tekort"))
    ));
    body.push_str(&table(
        &format!("{id}-shortfall"),
        &headers,
        &pivot(&|r| lang.millions(r.expected_shortfall)),
    ));
    body
}

/// Clients in care per form (stacked) and inflow/outflow per form.
pub fn flows(lang: Lang, run: &Run) -> Result<String> {
    let colours: Vec<(String, (u8, u8, u8))> = run
        .forms
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let c = PALETTE[k % PALETTE.len()];
            (run.form_label(f).to_string(), (c.0, c.1, c.2))
        })
        .collect();
    let mut body = form_stack(
        lang,
        run,
        Metric::ActiveEnd,
        Axes {
            title: lang.t(
                "Clients in care at year end, per care form",
                "Cliënten in zorg aan het eind van het jaar, per zorgvorm",
            ),
            x: lang.t("year", "jaar"),
            y: lang.t("clients (mean)", "cliënten (gemiddeld)"),
        },
        "stack-clients",
        lang.t(
            "Mean over the simulated futures.",
            "Gemiddelde over de gesimuleerde toekomsten.",
        ),
    )?;
    body.push_str(&legend(&colours));
    body.push_str(&form_stack(
        lang,
        run,
        Metric::Inflow,
        Axes {
            title: lang.t(
                "New arrivals per year, per care form entered",
                "Instroom per jaar, per zorgvorm van binnenkomst",
            ),
            x: lang.t("year", "jaar"),
            y: lang.t("arrivals (mean)", "instroom (gemiddeld)"),
        },
        "stack-inflow",
        lang.t(
            "Arrivals from outside care (new and relapse); the table gives inflow and outflow per form.",
            "Instroom van buiten de zorg (nieuw en terugval); de tabel geeft in- en uitstroom per zorgvorm.",
        ),
    )?);
    body.push_str(&legend(&colours));
    body.push_str(&flow_table(lang, run));
    Ok(section(
        "flows",
        lang.t(
            "Inflow, throughflow and outflow",
            "Instroom, doorstroom en uitstroom",
        ),
        &body,
    ))
}

/// A figure of one metric's mean per year, stacked over the care forms.
fn form_stack(
    lang: Lang,
    run: &Run,
    metric: Metric,
    axes: Axes<'_>,
    id: &str,
    caption: &str,
) -> Result<String> {
    let series: Vec<(String, Vec<f64>)> = run
        .forms
        .iter()
        .map(|f| (run.form_label(f).to_string(), means(run, Some(f), metric)))
        .collect();
    let svg = charts::stacked(&axes, &run.years, &series, &|v: &f64| lang.number(*v, 0))?;
    Ok(figure(id, &svg, caption))
}

/// Inflow and outflow per form in the first and last year, and the clients
/// in care at the end.
fn flow_table(lang: Lang, run: &Run) -> String {
    let (first, last) = (run.years[0], *run.years.last().unwrap_or(&run.years[0]));
    let headers: Vec<String> = vec![
        lang.t("care form", "zorgvorm").into(),
        format!("{} {first}", lang.t("inflow", "instroom")),
        format!("{} {last}", lang.t("inflow", "instroom")),
        format!("{} {first}", lang.t("outflow", "uitstroom")),
        format!("{} {last}", lang.t("outflow", "uitstroom")),
        format!("{} {last}", lang.t("in care", "in zorg")),
    ];
    let get = |f: &str, y: i32, m: Metric| run.region(y, Some(f), m).map_or(f64::NAN, |s| s.mean);
    let rows: Vec<Vec<Cell>> = run
        .forms
        .iter()
        .map(|f| {
            vec![
                text(run.form_label(f).to_string()),
                num(lang.number(get(f, first, Metric::Inflow), 0)),
                num(lang.number(get(f, last, Metric::Inflow), 0)),
                num(lang.number(get(f, first, Metric::Outflow), 0)),
                num(lang.number(get(f, last, Metric::Outflow), 0)),
                num(lang.number(get(f, last, Metric::ActiveEnd), 0)),
            ]
        })
        .collect();
    table("table-flows", &headers, &rows)
}
