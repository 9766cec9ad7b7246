//! Sections on scarce care: waiting lists and waiting times per care form
//! and area, and places against occupancy (phase-out visible) with the cost
//! of vacant places.

use super::Lang;
use super::charts::{self, Axes, Fan, PALETTE, RGBColor};
use super::data::Run;
use super::html::{esc, figure, section, table};
use crate::metrics::Metric;
use anyhow::Result;

/// Forms whose waiting list is ever non-empty on average.
fn forms_with_waiting(run: &Run) -> Vec<&str> {
    run.forms
        .iter()
        .filter(|f| {
            run.series(Some(f), Metric::WaitingMean)
                .iter()
                .chain(&run.series(Some(f), Metric::WaitingEnd))
                .any(|s| s.mean > 0.5)
        })
        .map(String::as_str)
        .collect()
}

/// The waiting section: per form the list and waiting-time fans, per area
/// the lists as lines and a table, and per form the last year's tail figures.
pub fn waiting(lang: Lang, run: &Run) -> Result<String> {
    let forms = forms_with_waiting(run);
    let mut body = String::new();
    if forms.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">{}</p>\n",
            esc(lang.t(
                "No care form has a waiting list in this scenario (overflow goes out of region or is granted).",
                "Geen zorgvorm heeft in dit scenario een wachtlijst (overloop gaat buiten de regio of wordt toegekend).",
            ))
        ));
    }
    for (k, form) in forms.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        body.push_str(&form_fan(lang, run, form, color, &WAITING_LIST)?);
        body.push_str(&form_fan(lang, run, form, color, &WAITING_DAYS)?);
    }
    for form in &forms {
        if let Some(figure) = area_lines(lang, run, form)? {
            body.push_str(&figure);
        }
    }
    let last = *run.years.last().unwrap_or(&0);
    if !forms.is_empty() && !run.areas.is_empty() {
        body.push_str(&area_table(lang, run, &forms, last));
    }
    if !forms.is_empty() {
        body.push_str(&form_table(lang, run, &forms, last));
    }
    Ok(section(
        "waiting",
        lang.t(
            "Waiting lists and waiting times",
            "Wachtlijsten en wachttijden",
        ),
        &body,
    ))
}

/// A fan chart of one waiting metric of a form: texts as (English, Dutch).
struct FormFan {
    id: &'static str,
    metric: Metric,
    title: (&'static str, &'static str),
    y: (&'static str, &'static str),
    caption: (&'static str, &'static str),
}

const WAITING_LIST: FormFan = FormFan {
    id: "fan-waiting",
    metric: Metric::WaitingEnd,
    title: (
        "Waiting list at year end",
        "Wachtlijst aan het eind van het jaar",
    ),
    y: ("young people waiting", "wachtende jeugdigen"),
    caption: (
        "Median, 50 % and 90 % bands.",
        "Mediaan, 50 %- en 90 %-band.",
    ),
};

const WAITING_DAYS: FormFan = FormFan {
    id: "fan-wait-days",
    metric: Metric::WaitDaysMean,
    title: (
        "Mean waiting time of the year's starts",
        "Gemiddelde wachttijd van de starts in het jaar",
    ),
    y: ("days", "dagen"),
    caption: (
        "Immediate starts count as 0 days.",
        "Directe starts tellen als 0 dagen.",
    ),
};

fn form_fan(lang: Lang, run: &Run, form: &str, color: RGBColor, fan: &FormFan) -> Result<String> {
    let t = |(en, nl): (&'static str, &'static str)| lang.t(en, nl);
    let svg = charts::fan(
        &Axes {
            title: &format!("{}: {}", t(fan.title), run.form_label(form)),
            x: lang.t("year", "jaar"),
            y: t(fan.y),
        },
        &run.years,
        &[Fan {
            label: run.form_label(form),
            color,
            stats: run.series(Some(form), fan.metric),
        }],
        &[],
        1.0,
        &|v: &f64| lang.number(*v, 0),
    )?;
    Ok(figure(&format!("{}-{form}", fan.id), &svg, t(fan.caption)))
}

/// One line per area of a form's mean waiting list; `None` without areas.
fn area_lines(lang: Lang, run: &Run, form: &str) -> Result<Option<String>> {
    let series: Vec<(String, RGBColor, Vec<f64>, bool)> = run
        .areas
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let values = run
                .years
                .iter()
                .map(|&y| {
                    run.area(y, a, form, Metric::WaitingEnd)
                        .map_or(0.0, |s| s.mean)
                })
                .collect();
            (
                run.area_label(a).to_string(),
                PALETTE[k % PALETTE.len()],
                values,
                false,
            )
        })
        .collect();
    if series.is_empty() {
        return Ok(None);
    }
    let svg = charts::lines(
        &Axes {
            title: &format!(
                "{}: {}",
                lang.t(
                    "Waiting at year end per area",
                    "Wachtend aan het eind van het jaar per gebied"
                ),
                run.form_label(form)
            ),
            x: lang.t("year", "jaar"),
            y: lang.t(
                "young people waiting (mean)",
                "wachtende jeugdigen (gemiddeld)",
            ),
        },
        &run.years,
        &series,
        &|v: &f64| lang.number(*v, 1),
    )?;
    Ok(Some(figure(
        &format!("lines-waiting-areas-{form}"),
        &svg,
        lang.t(
            "Mean over the simulated futures.",
            "Gemiddelde over de gesimuleerde toekomsten.",
        ),
    )))
}

/// The mean waiting list per area and form in the last year, under a heading.
fn area_table(lang: Lang, run: &Run, forms: &[&str], last: i32) -> String {
    let mut headers: Vec<String> = vec![lang.t("area", "gebied").into()];
    headers.extend(
        forms
            .iter()
            .map(|f| format!("{} ({last})", run.form_label(f))),
    );
    let rows: Vec<Vec<(String, bool)>> = run
        .areas
        .iter()
        .map(|a| {
            let mut row = vec![(run.area_label(a).to_string(), true)];
            row.extend(forms.iter().map(|f| {
                let s = run.area(last, a, f, Metric::WaitingEnd).unwrap_or_default();
                (lang.number(s.mean, 1), false)
            }));
            row
        })
        .collect();
    format!(
        "<h3>{}</h3>\n{}",
        esc(lang.t(
            "Waiting at year end per area (mean)",
            "Wachtend aan het eind van het jaar per gebied (gemiddeld)"
        )),
        table("table-waiting-areas", &headers, &rows)
    )
}

/// Per form the last year's P90 waiting days, drop-outs and escalations.
fn form_table(lang: Lang, run: &Run, forms: &[&str], last: i32) -> String {
    let mean = |f: &str, metric: Metric| {
        run.region(last, Some(f), metric)
            .map_or(f64::NAN, |s| s.mean)
    };
    let rows: Vec<Vec<(String, bool)>> = forms
        .iter()
        .map(|f| {
            vec![
                (run.form_label(f).to_string(), true),
                (lang.number(mean(f, Metric::WaitDaysP90), 0), false),
                (lang.number(mean(f, Metric::Reneged), 0), false),
                (lang.number(mean(f, Metric::Escalated), 0), false),
            ]
        })
        .collect();
    let headers = vec![
        lang.t("care form", "zorgvorm").to_string(),
        format!("{} {last}", lang.t("P90 waiting days", "P90 wachtdagen")),
        format!("{} {last}", lang.t("gave up waiting", "afgehaakt")),
        format!("{} {last}", lang.t("escalated", "geëscaleerd")),
    ];
    table("table-waiting-forms", &headers, &rows)
}

/// The capacity section: places against occupancy per form with places,
/// and the region's vacancy and friction cost per year.
pub fn capacity(lang: Lang, run: &Run) -> Result<String> {
    let mut body = String::new();
    for form in &run.forms_with_places() {
        body.push_str(&places_chart(lang, run, form)?);
    }
    body.push_str(&vacancy_table(lang, run));
    Ok(section(
        "capacity",
        lang.t(
            "Residential capacity, occupancy and vacancy",
            "Capaciteit verblijf, bezetting en leegstand",
        ),
        &body,
    ))
}

/// Places at year end against mean occupancy: the phase-out made visible.
fn places_chart(lang: Lang, run: &Run, form: &str) -> Result<String> {
    let count = |v: &f64| lang.number(*v, 0);
    let places: Vec<f64> = run
        .series(Some(form), Metric::Places)
        .iter()
        .map(|s| s.mean)
        .collect();
    let occupied: Vec<f64> = run
        .series(Some(form), Metric::PlaceDaysOccupied)
        .iter()
        .map(|s| s.mean / crate::calendar::DAYS_PER_YEAR)
        .collect();
    let svg = charts::lines(
        &Axes {
            title: &format!(
                "{}: {}",
                lang.t(
                    "Places and mean occupancy",
                    "Plaatsen en gemiddelde bezetting"
                ),
                run.form_label(form)
            ),
            x: lang.t("year", "jaar"),
            y: lang.t("places", "plaatsen"),
        },
        &run.years,
        &[
            (
                lang.t("places (year end)", "plaatsen (eind jaar)")
                    .to_string(),
                PALETTE[3],
                places,
                true,
            ),
            (
                lang.t("occupied on average", "gemiddeld bezet").to_string(),
                PALETTE[0],
                occupied,
                false,
            ),
        ],
        &count,
    )?;
    Ok(figure(
        &format!("lines-capacity-{form}"),
        &svg,
        lang.t(
            "A falling line of places is the phase-out; places close only when vacated.",
            "Een dalende lijn plaatsen is de afbouw; plaatsen sluiten pas als ze vrijkomen.",
        ),
    ))
}

/// Vacant place-days, their cost, occupancy and friction cost per year.
fn vacancy_table(lang: Lang, run: &Run) -> String {
    let headers = vec![
        lang.t("year", "jaar").to_string(),
        lang.t("vacant place-days", "leegstaande plaatsdagen")
            .to_string(),
        lang.t("vacancy cost", "kosten leegstand").to_string(),
        lang.t("occupancy", "bezetting").to_string(),
        lang.t("friction cost", "frictiekosten").to_string(),
    ];
    let rows: Vec<Vec<(String, bool)>> = run
        .years
        .iter()
        .map(|&y| {
            let m = |metric: Metric| run.region(y, None, metric).map_or(f64::NAN, |s| s.mean);
            vec![
                (y.to_string(), true),
                (lang.number(m(Metric::PlaceDaysVacant), 0), false),
                (lang.millions(m(Metric::VacancyCostEur)), false),
                (lang.percent(m(Metric::Occupancy)), false),
                (lang.millions(m(Metric::FrictionCostEur)), false),
            ]
        })
        .collect();
    table("table-vacancy", &headers, &rows)
}
