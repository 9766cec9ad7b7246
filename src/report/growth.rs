//! "Where does cost growth come from?": the region's expected cost from the
//! first year to the last as a waterfall — the first year's cost, the
//! volume, mix, duration and price parts of `decomposition.csv` summed over
//! the years, the last year's cost — with the parts year by year in a table.
//! The waterfall is drawn as plain SVG: six labelled bars on a cut value
//! axis (the parts are a few per cent of the cost, invisible from zero).

use super::Lang;
use super::data::{GrowthRow, Run};
use super::html::{esc, figure, section, table};
use crate::metrics::ScopeKind;

/// Part names: English, Dutch.
const PARTS: [(&str, &str); 4] = [
    ("volume (clients)", "volume (cliënten)"),
    ("mix (care forms)", "mix (zorgvormen)"),
    ("duration (days per client)", "duur (dagen per cliënt)"),
    ("price (per client-day)", "prijs (per cliëntdag)"),
];

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 96.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 64.0;

/// The region's first year and expected cost, its last year and expected
/// cost, and the four parts summed over the years; `None` without rows.
pub(super) type Totals = ((i32, f64), (i32, f64), [f64; 4]);

/// The region's change from the first to the last year, by part.
pub(super) fn region_totals(run: &Run) -> Option<Totals> {
    let region: Vec<&GrowthRow> = (run.growth.iter())
        .filter(|r| r.scope == ScopeKind::Region.name())
        .collect();
    let first = run
        .feasibility_of(ScopeKind::Region)
        .min_by_key(|r| r.year)
        .map(|r| (r.year, r.cost_mean));
    let ((first_year, start), last) = (first?, region.last()?);
    let mut parts = [0.0; 4];
    for r in &region {
        for (total, p) in parts.iter_mut().zip(r.parts) {
            *total += p;
        }
    }
    let end = start + parts.iter().sum::<f64>();
    Some(((first_year, start), (last.year, end), parts))
}

/// The section, or nothing when the folder has no decomposition rows.
pub fn growth(lang: Lang, run: &Run) -> String {
    let region: Vec<&GrowthRow> = (run.growth.iter())
        .filter(|r| r.scope == ScopeKind::Region.name())
        .collect();
    let Some(((first_year, start), (last_year, end), parts)) = region_totals(run) else {
        return String::new();
    };
    let last = (last_year, end);
    let mut body = summary_sentence(lang, (first_year, start), last, parts);
    body.push_str(&figure(
        "waterfall-growth",
        &waterfall(lang, (first_year, start), last, parts),
        lang.t(
            "Expected cost (mean over the simulated futures). Each bar is one source of the change, summed over the years; the value axis does not start at zero. Vacancy, friction and fixed costs count as price.",
            "Verwachte kosten (gemiddelde over de gesimuleerde toekomsten). Elke balk is één bron van de verandering, opgeteld over de jaren; de waarde-as begint niet bij nul. Leegstand, frictie en vaste kosten tellen als prijs.",
        ),
    ));
    body.push_str(&year_table(lang, &region));
    section(
        "growth",
        lang.t(
            "Where does cost growth come from?",
            "Waar komt de kostengroei vandaan?",
        ),
        &body,
    )
}

/// A signed amount in millions: `+€4.9M` / `+€ 4,9 mln`.
fn signed(lang: Lang, euros: f64) -> String {
    let text = lang.millions(euros);
    if euros >= 0.05e6 {
        format!("+{text}")
    } else {
        text
    }
}

pub(super) fn summary_sentence(
    lang: Lang,
    from: (i32, f64),
    to: (i32, f64),
    parts: [f64; 4],
) -> String {
    let named: Vec<String> = PARTS
        .iter()
        .zip(parts)
        .map(|((en, nl), v)| format!("{} {}", lang.t(en, nl), signed(lang, v)))
        .collect();
    let text = match lang {
        Lang::En => format!(
            "From {} to {} the region's expected cost goes from {} to {} ({}): {}.",
            from.0,
            to.0,
            lang.millions(from.1),
            lang.millions(to.1),
            signed(lang, to.1 - from.1),
            named.join(", ")
        ),
        Lang::Nl => format!(
            "Van {} tot {} gaan de verwachte kosten van de regio van {} naar {} ({}): {}.",
            from.0,
            to.0,
            lang.millions(from.1),
            lang.millions(to.1),
            signed(lang, to.1 - from.1),
            named.join(", ")
        ),
    };
    let attrs: Vec<String> = ["volume", "mix", "duration", "price"]
        .iter()
        .zip(parts)
        .map(|(k, v)| format!(" data-{k}-eur=\"{v:.2}\""))
        .collect();
    format!(
        "<p class=\"growth\" data-from=\"{}\" data-to=\"{}\"{}>{}</p>\n",
        from.0,
        to.0,
        attrs.concat(),
        esc(&text)
    )
}

/// The region's change and parts per year.
fn year_table(lang: Lang, region: &[&GrowthRow]) -> String {
    let mut headers = vec![
        lang.t("year", "jaar").to_string(),
        lang.t(
            "change from the year before",
            "verandering t.o.v. vorig jaar",
        )
        .to_string(),
    ];
    headers.extend(PARTS.iter().map(|(en, nl)| lang.t(en, nl).to_string()));
    let rows: Vec<Vec<(String, bool)>> = region
        .iter()
        .map(|r| {
            let mut row = vec![(r.year.to_string(), true), (signed(lang, r.change), false)];
            row.extend(r.parts.iter().map(|p| (signed(lang, *p), false)));
            row
        })
        .collect();
    table("table-growth", &headers, &rows)
}

/// One bar of the waterfall: label, bottom, top, and kind (0 a total,
/// 1 an increase, 2 a decrease).
type Bar = (String, f64, f64, usize);

/// The first year's cost, the four parts floating from level to level, the last year's cost.
fn bars(lang: Lang, from: (i32, f64), to: (i32, f64), parts: [f64; 4]) -> Vec<Bar> {
    let cost = lang.t("cost", "kosten");
    let mut bars = vec![(format!("{cost} {}", from.0), 0.0, from.1, 0)];
    let mut level = from.1;
    for ((en, nl), v) in PARTS.iter().zip(parts) {
        let label = lang.t(en, nl).split(' ').next().unwrap_or(en).to_string();
        bars.push((label, level, level + v, if v >= 0.0 { 1 } else { 2 }));
        level += v;
    }
    bars.push((format!("{cost} {}", to.0), 0.0, to.1, 0));
    bars
}

/// The waterfall as SVG, on a value axis cut to the range the parts span.
fn waterfall(lang: Lang, from: (i32, f64), to: (i32, f64), parts: [f64; 4]) -> String {
    let bars = bars(lang, from, to, parts);
    let levels: Vec<f64> = bars
        .iter()
        .skip(1)
        .take(4)
        .flat_map(|b| [b.1, b.2])
        .chain([from.1, to.1])
        .collect();
    let lo = levels.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = levels.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.25).max(hi.abs() * 0.002).max(1.0);
    let (y0, y1) = ((lo - pad).max(0.0), hi + pad);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - ((v.clamp(y0, y1) - y0) / (y1 - y0)));
    let slot = (WIDTH - LEFT - RIGHT) / bars.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{}\" y=\"28\" font-size=\"20\" text-anchor=\"middle\">{}</text>\n",
        WIDTH / 2.0,
        esc(lang.t(
            "Expected cost of the region: where the change comes from",
            "Verwachte kosten van de regio: waar de verandering vandaan komt",
        ))
    );
    svg.push_str(&axis(lang, y0, y1, &y));
    for (i, (label, bottom, top, kind)) in bars.iter().enumerate() {
        let colour = ["#0072b2", "#d55e00", "#009e73"][*kind];
        let x = LEFT + slot * i as f64 + slot * 0.18;
        let (upper, lower) = (y(bottom.max(*top)), y(bottom.min(*top)));
        let value = if *kind == 0 {
            lang.millions(*top)
        } else {
            signed(lang, top - bottom)
        };
        svg.push_str(&format!(
            "<rect class=\"bar\" data-kind=\"{kind}\" x=\"{x:.1}\" y=\"{upper:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\">{}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" text-anchor=\"middle\">{}</text>\n",
            slot * 0.64,
            (lower - upper).max(1.0),
            x + slot * 0.32,
            upper - 6.0,
            esc(&value),
            x + slot * 0.32,
            HEIGHT - BOTTOM + 22.0,
            esc(label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The value axis (€ million) with five ticks and light grid lines.
fn axis(lang: Lang, y0: f64, y1: f64, y: &dyn Fn(f64) -> f64) -> String {
    let mut out = String::new();
    for k in 0..=4 {
        let v = y0 + (y1 - y0) * k as f64 / 4.0;
        let py = y(v);
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{py:.1}\" y2=\"{py:.1}\" stroke=\"#e4e4e4\"/>\n<text x=\"{}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\">{}</text>\n",
            WIDTH - RIGHT,
            LEFT - 8.0,
            py + 4.0,
            esc(&lang.number(v / 1e6, 1)),
        ));
    }
    out.push_str(&format!(
        "<text transform=\"translate(22 {:.1}) rotate(-90)\" font-size=\"15\" text-anchor=\"middle\">{}</text>\n",
        TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
        esc(lang.t("€ million per year", "€ mln per jaar")),
    ));
    out
}
