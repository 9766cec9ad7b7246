//! Sections on scarce care: waiting lists and waiting times per care form
//! and area, and places against occupancy (phase-out visible) with the cost
//! of vacant places.

use super::Lang;
use super::charts::{self, Axes, Fan, PALETTE};
use super::data::Run;
use super::html::{esc, figure, section, table};
use anyhow::Result;

/// Forms whose waiting list is ever non-empty on average.
fn forms_with_waiting(run: &Run) -> Vec<&str> {
    run.forms
        .iter()
        .filter(|f| {
            run.series(Some(f), "waiting_mean")
                .iter()
                .chain(&run.series(Some(f), "waiting_end"))
                .any(|s| s.mean > 0.5)
        })
        .map(String::as_str)
        .collect()
}

pub fn waiting(lang: Lang, run: &Run) -> Result<String> {
    let forms = forms_with_waiting(run);
    let count = |v: &f64| lang.number(*v, 0);
    let days = |v: &f64| lang.number(*v, 0);
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
        let list = charts::fan(
            &Axes {
                title: &format!(
                    "{}: {}",
                    lang.t(
                        "Waiting list at year end",
                        "Wachtlijst aan het eind van het jaar"
                    ),
                    run.form_label(form)
                ),
                x: lang.t("year", "jaar"),
                y: lang.t("young people waiting", "wachtende jeugdigen"),
            },
            &run.years,
            &[Fan {
                label: run.form_label(form),
                color,
                stats: run.series(Some(form), "waiting_end"),
            }],
            &[],
            1.0,
            &count,
        )?;
        body.push_str(&figure(
            &format!("fan-waiting-{form}"),
            &list,
            lang.t(
                "Median, 50 % and 90 % bands.",
                "Mediaan, 50 %- en 90 %-band.",
            ),
        ));
        let wait = charts::fan(
            &Axes {
                title: &format!(
                    "{}: {}",
                    lang.t(
                        "Mean waiting time of the year's starts",
                        "Gemiddelde wachttijd van de starts in het jaar"
                    ),
                    run.form_label(form)
                ),
                x: lang.t("year", "jaar"),
                y: lang.t("days", "dagen"),
            },
            &run.years,
            &[Fan {
                label: run.form_label(form),
                color,
                stats: run.series(Some(form), "wait_days_mean"),
            }],
            &[],
            1.0,
            &days,
        )?;
        body.push_str(&figure(
            &format!("fan-wait-days-{form}"),
            &wait,
            lang.t(
                "Immediate starts count as 0 days.",
                "Directe starts tellen als 0 dagen.",
            ),
        ));
    }
    // Per area: one line per area for each form with a waiting list.
    for form in &forms {
        let series: Vec<(String, charts::RGBColor, Vec<f64>, bool)> = run
            .areas
            .iter()
            .enumerate()
            .map(|(k, a)| {
                let values = run
                    .years
                    .iter()
                    .map(|&y| run.area(y, a, form, "waiting_end").map_or(0.0, |s| s.mean))
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
            continue;
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
        body.push_str(&figure(
            &format!("lines-waiting-areas-{form}"),
            &svg,
            lang.t(
                "Mean over the simulated futures.",
                "Gemiddelde over de gesimuleerde toekomsten.",
            ),
        ));
    }
    // Per area and form, the last year.
    let last = *run.years.last().unwrap_or(&0);
    let mut headers: Vec<String> = vec![lang.t("area", "gebied").into()];
    headers.extend(
        forms
            .iter()
            .map(|f| format!("{} ({last})", run.form_label(f))),
    );
    if !forms.is_empty() && !run.areas.is_empty() {
        let rows: Vec<Vec<(String, bool)>> = run
            .areas
            .iter()
            .map(|a| {
                let mut row = vec![(run.area_label(a).to_string(), true)];
                row.extend(forms.iter().map(|f| {
                    let s = run.area(last, a, f, "waiting_end").unwrap_or_default();
                    (lang.number(s.mean, 1), false)
                }));
                row
            })
            .collect();
        body.push_str(&format!(
            "<h3>{}</h3>\n",
            esc(lang.t(
                "Waiting at year end per area (mean)",
                "Wachtend aan het eind van het jaar per gebied (gemiddeld)"
            ))
        ));
        body.push_str(&table("table-waiting-areas", &headers, &rows));
    }
    let p90 = |f: Option<&str>| {
        run.region(last, f, "wait_days_p90")
            .map_or(f64::NAN, |s| s.mean)
    };
    let reneged = |f: Option<&str>| run.region(last, f, "reneged").map_or(f64::NAN, |s| s.mean);
    let escalated = |f: Option<&str>| {
        run.region(last, f, "escalated")
            .map_or(f64::NAN, |s| s.mean)
    };
    let rows: Vec<Vec<(String, bool)>> = forms
        .iter()
        .map(|f| {
            vec![
                (run.form_label(f).to_string(), true),
                (lang.number(p90(Some(f)), 0), false),
                (lang.number(reneged(Some(f)), 0), false),
                (lang.number(escalated(Some(f)), 0), false),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let headers = vec![
            lang.t("care form", "zorgvorm").to_string(),
            format!("{} {last}", lang.t("P90 waiting days", "P90 wachtdagen")),
            format!("{} {last}", lang.t("gave up waiting", "afgehaakt")),
            format!("{} {last}", lang.t("escalated", "geëscaleerd")),
        ];
        body.push_str(&table("table-waiting-forms", &headers, &rows));
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

pub fn capacity(lang: Lang, run: &Run) -> Result<String> {
    let count = |v: &f64| lang.number(*v, 0);
    let mut body = String::new();
    let forms = run.forms_with_places();
    for form in &forms {
        let places: Vec<f64> = run
            .series(Some(form), "places")
            .iter()
            .map(|s| s.mean)
            .collect();
        let occupied: Vec<f64> = run
            .series(Some(form), "place_days_occupied")
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
        body.push_str(&figure(
            &format!("lines-capacity-{form}"),
            &svg,
            lang.t(
                "A falling line of places is the phase-out; places close only when vacated.",
                "Een dalende lijn plaatsen is de afbouw; plaatsen sluiten pas als ze vrijkomen.",
            ),
        ));
    }
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
            let m = |metric: &str| run.region(y, None, metric).map_or(f64::NAN, |s| s.mean);
            vec![
                (y.to_string(), true),
                (lang.number(m("place_days_vacant"), 0), false),
                (lang.millions(m("vacancy_cost_eur")), false),
                (lang.percent(m("occupancy")), false),
                (lang.millions(m("friction_cost_eur")), false),
            ]
        })
        .collect();
    body.push_str(&table("table-vacancy", &headers, &rows));
    Ok(section(
        "capacity",
        lang.t(
            "Residential capacity, occupancy and vacancy",
            "Capaciteit verblijf, bezetting en leegstand",
        ),
        &body,
    ))
}
