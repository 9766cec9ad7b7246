//! `report RESULT_DIR`: one self-contained HTML file (inline SVG charts and
//! CSS, nothing fetched) and an Excel workbook beside it, in English or
//! Dutch, for a council or a negotiation table.

mod answers;
mod care;
pub mod charts;
pub mod data;
pub mod format;
mod growth;
pub mod html;
mod inverse;
mod provenance;
pub mod sections;
pub mod xlsx;

pub use format::Lang;

use crate::error::Error;
use crate::output::AtomicFile;
use data::{Results, Run};
use std::path::{Path, PathBuf};

/// Section ids every report of a single run has, in order (`growth` from
/// two simulated years on).
pub const SECTIONS: [&str; 8] = [
    "headline",
    "feasibility",
    "growth",
    "flows",
    "waiting",
    "capacity",
    "assumptions",
    "provenance",
];

fn run_sections(lang: Lang, run: &Run, other: Option<(&str, &Run)>) -> anyhow::Result<Vec<String>> {
    Ok(vec![
        sections::headline(lang, run, other)?,
        inverse::required_section(lang, run)?,
        sections::feasibility(lang, run),
        growth::growth(lang, run),
        sections::flows(lang, run)?,
        care::waiting(lang, run)?,
        care::capacity(lang, run)?,
        provenance::assumptions(lang, run),
    ])
}

/// The report of a result folder as HTML text.
pub fn render(results: &Results, lang: Lang, report_date: &str) -> Result<String, Error> {
    let (title, subtitle, mut body) = match results {
        Results::Single(run) => {
            let m = &run.manifest;
            let without = lang.t("without the plan", "zonder plan");
            let twin = run.without_plan.as_deref().map(|w| (without, w));
            let mut body = run_sections(lang, run, twin)?;
            body.push(provenance::provenance(lang, &[("", run)], report_date));
            (
                format!("jeugdstroom — {}", m.scenario),
                subtitle(lang, run),
                body,
            )
        }
        Results::Comparison { a, b, paired } => {
            let label_a = format!("A: {}", a.manifest.scenario);
            let mut body = vec![provenance::comparison(lang, a, b, paired)];
            body.extend(run_sections(lang, b, Some((&label_a, a)))?);
            body.push(provenance::provenance(
                lang,
                &[("A", a), ("B", b)],
                report_date,
            ));
            (
                format!(
                    "jeugdstroom — {} vs {}",
                    b.manifest.scenario, a.manifest.scenario
                ),
                subtitle(lang, b),
                body,
            )
        }
    };
    body.retain(|s| !s.is_empty());
    Ok(html::page(lang, &title, &subtitle, &body))
}

fn subtitle(lang: Lang, run: &Run) -> String {
    let (first, last) = (
        run.years.first().copied().unwrap_or(0),
        run.years.last().copied().unwrap_or(0),
    );
    match lang {
        Lang::En => format!(
            "{first}–{last}, {} simulated futures (seed {})",
            run.manifest.replications, run.manifest.seed
        ),
        Lang::Nl => format!(
            "{first}–{last}, {} gesimuleerde toekomsten (seed {})",
            run.manifest.replications, run.manifest.seed
        ),
    }
}

/// Writes `report.html` (or `out`) and `report.xlsx` beside it; returns both paths.
pub fn write(dir: &Path, out: Option<&Path>, lang: Lang) -> Result<(PathBuf, PathBuf), Error> {
    let results = Results::load(dir)?;
    let html_path = out.map_or_else(|| dir.join("report.html"), Path::to_path_buf);
    let date = crate::output::manifest::now_utc();
    let text = render(&results, lang, &date)?;
    AtomicFile::write_all(&html_path, text.as_bytes())?;
    let xlsx_path = html_path.with_extension("xlsx");
    let table_dir = match &results {
        Results::Single(run) => &run.dir,
        Results::Comparison { b, .. } => &b.dir,
    };
    xlsx::write_workbook(table_dir, &xlsx_path, lang)?;
    Ok((html_path, xlsx_path))
}
