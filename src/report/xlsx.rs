//! `report.xlsx`: the feasibility table and per-year summaries of a result
//! folder as a workbook with real numeric cells, because municipal finance
//! works in spreadsheets and should not have to re-type or re-parse numbers.
//! Everything is read from the result CSVs by header name, so a new or
//! reordered column never shifts a number into the wrong place.

use super::Lang;
use crate::metrics::{ALL, Metric};
use crate::output::decomposition::FILE_NAME as DECOMPOSITION;
use crate::output::{AtomicFile, cell_text, required, sufficient, uncertainty};
use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Feasibility columns after year, scope and name: CSV header, English, Dutch.
#[rustfmt::skip]
pub const FEASIBILITY: [(&str, &str, &str); 9] = [
    ("lumpsum_eur", "Lumpsum €", "Lumpsum €"),
    ("cost_mean_eur", "Expected cost €", "Verwachte kosten €"),
    ("cost_p50_eur", "Cost median €", "Kosten mediaan €"),
    ("cost_p95_eur", "Cost P95 €", "Kosten P95 €"),
    ("p_overrun", "P(cost > lumpsum)", "Kans op overschrijding"),
    ("expected_shortfall_eur", "Expected shortfall €", "Verwacht tekort €"),
    ("shortfall_p90_eur", "Shortfall P90 €", "Tekort P90 €"),
    ("shortfall_p95_eur", "Shortfall P95 €", "Tekort P95 €"),
    ("p_insolvent", "P(insolvent)", "Kans op insolventie"),
];

/// Summary metrics in the workbook: metric, English, Dutch, whether on
/// the region sheet (the mean; cost also P5 and P95) and on the care-form sheet.
#[rustfmt::skip]
pub const METRICS: [(Metric, &str, &str, bool, bool); 12] = [
    (Metric::CostEur, "Cost €", "Kosten €", true, true),
    (Metric::LumpsumEur, "Lumpsum €", "Lumpsum €", true, false),
    (Metric::BalanceEur, "Balance €", "Saldo €", true, false),
    (Metric::Inflow, "Inflow", "Instroom", true, true),
    (Metric::Outflow, "Outflow", "Uitstroom", true, false),
    (Metric::ActiveEnd, "In care at year end", "In zorg eind jaar", true, true),
    (Metric::WaitingEnd, "Waiting at year end", "Wachtend eind jaar", true, true),
    (Metric::WaitDaysMean, "Mean wait (days)", "Gem. wachttijd (dagen)", true, false),
    (Metric::ClientDays, "Client days", "Cliëntdagen", true, false),
    (Metric::VacancyCostEur, "Vacancy cost €", "Leegstandskosten €", true, false),
    (Metric::Places, "Places", "Plaatsen", false, true),
    (Metric::Occupancy, "Occupancy", "Bezetting", false, true),
];

/// A CSV file held as text, with its columns looked up by header name.
struct Csv {
    path: PathBuf,
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Csv {
    fn read(path: &Path) -> Result<Csv> {
        let context = || format!("reading {}", path.display());
        let mut reader = csv::Reader::from_path(path).with_context(context)?;
        let headers = reader.headers().with_context(context)?;
        let headers = headers.iter().map(str::to_string).collect();
        let rows = reader.records().collect::<Result<_, _>>();
        let (path, rows) = (path.to_path_buf(), rows.with_context(context)?);
        Ok(Csv {
            path,
            headers,
            rows,
        })
    }

    /// The positions of the named columns; an error names the missing one.
    fn cols<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N]> {
        let mut cols = [0; N];
        for (col, name) in cols.iter_mut().zip(names) {
            let found = self.headers.iter().position(|h| h == name);
            *col =
                found.with_context(|| format!("{} has no column `{name}`", self.path.display()))?;
        }
        Ok(cols)
    }

    fn text(&self, row: usize, col: usize) -> &str {
        self.rows[row].get(col).unwrap_or("")
    }

    /// The number in a cell; `None` for an empty or non-finite cell.
    fn number(&self, row: usize, col: usize) -> Result<Option<f64>> {
        let text = self.text(row, col).trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value: f64 = text.parse().with_context(|| {
            let (path, name, line) = (self.path.display(), &self.headers[col], row + 2);
            format!("{path} line {line}, column `{name}`: `{text}` is not a number")
        })?;
        Ok(value.is_finite().then_some(value))
    }
}

/// Whether a column of a copied CSV holds names; every other column is a number.
fn is_name(column: &str) -> bool {
    matches!(
        column,
        "scope"
            | "name"
            | "municipality"
            | "area"
            | "provider"
            | "care_form"
            | "metric"
            | "lever"
            | "status"
    )
}

/// The number format of a column, from its header name: whole years and
/// counts, whole euros, a percentage, or one decimal.
fn number_format(column: &str) -> &'static str {
    match column {
        "year" | "from_year" | "replications" => "0",
        c if c.ends_with("_eur") => "#,##0",
        c if c.starts_with("p_")
            || c.starts_with("share")
            || c.starts_with("change")
            || c == "certainty"
            || c == "target_p_overrun"
            || c == Metric::Occupancy.name() =>
        {
            "0.0%"
        }
        _ => "#,##0.0",
    }
}

/// One worksheet: a bold, frozen header row, then text and numeric cells.
struct Sheet(Worksheet);

impl Sheet {
    fn new(name: &str, headers: &[&str]) -> Result<Sheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        Ok(Sheet(ws))
    }

    /// A text cell. Strings in xlsx are never formulas, so the apostrophe the
    /// CSV writer puts before `=`, `+`, `-` or `@` is taken off again.
    fn text(&mut self, row: usize, col: usize, text: &str) -> Result<()> {
        self.0
            .write_string(row as u32, col as u16, cell_text(text))?;
        Ok(())
    }

    /// A numeric cell formatted for CSV column `column`; `None` leaves it empty.
    fn number(&mut self, row: usize, col: usize, value: Option<f64>, column: &str) -> Result<()> {
        if let Some(value) = value {
            let format = Format::new().set_num_format(number_format(column));
            self.0
                .write_number_with_format(row as u32, col as u16, value, &format)?;
        }
        Ok(())
    }

    /// Column widths fitted to the contents (capped for long names).
    fn finish(mut self) -> Worksheet {
        self.0.set_autofit_max_width(300).autofit();
        self.0
    }
}

/// Writes the workbook for the result folder `dir` to `out` (atomically: a temp file in the same folder, then rename).
pub fn write_workbook(dir: &Path, out: &Path, lang: Lang) -> Result<()> {
    let mut workbook = Workbook::new();
    workbook.push_worksheet(about(dir, lang)?);
    let feasibility_csv = Csv::read(&dir.join("feasibility.csv"))?;
    workbook.push_worksheet(feasibility(&feasibility_csv, lang)?);
    let summary = Region::read(&Csv::read(&dir.join("summary.csv"))?)?;
    workbook.push_worksheet(region(&summary, lang)?);
    workbook.push_worksheet(care_forms(&summary, lang)?);
    for (file, en, nl) in [
        ("providers.csv", "Providers", "Aanbieders"),
        ("municipalities.csv", "Municipalities", "Gemeenten"),
        (DECOMPOSITION, "Cost growth", "Kostengroei"),
        (
            sufficient::FILE_NAME,
            "Sufficient lumpsum",
            "Benodigde lumpsum",
        ),
        (uncertainty::FILE_NAME, "Uncertainty", "Onzekerheid"),
        (
            required::FILE_NAME,
            "Required change",
            "Benodigde verandering",
        ),
    ] {
        let path = dir.join(file);
        if path.exists() {
            workbook.push_worksheet(copy(&Csv::read(&path)?, lang.t(en, nl))?);
        }
    }
    let bytes = workbook.save_to_buffer().context("building the workbook")?;
    AtomicFile::write_all(out, &bytes).with_context(|| format!("writing {}", out.display()))
}

/// Provenance from `manifest.json`, so a copied workbook still says what it is.
fn about(dir: &Path, lang: Lang) -> Result<Worksheet> {
    let path = dir.join("manifest.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let headers = [lang.t("Item", "Onderdeel"), lang.t("Value", "Waarde")];
    let mut sheet = Sheet::new(lang.t("About", "Over"), &headers)?;
    let items = [
        ("scenario", "Scenario", "Scenario"),
        ("seed", "Seed", "Seed"),
        ("replications", "Replications", "Replicaties"),
        ("version", "Tool version", "Versie van de tool"),
        ("created_at", "Created at (UTC)", "Gemaakt op (UTC)"),
    ];
    for (r, (key, en, nl)) in items.into_iter().enumerate() {
        sheet.text(r + 1, 0, lang.t(en, nl))?;
        match &manifest[key] {
            // The seed stays text: a u64 does not always fit exactly in an f64.
            serde_json::Value::Number(n) if key == "replications" => {
                sheet.number(r + 1, 1, n.as_f64(), key)?
            }
            serde_json::Value::String(s) => sheet.text(r + 1, 1, s)?,
            serde_json::Value::Null => {}
            other => sheet.text(r + 1, 1, &other.to_string())?,
        }
    }
    sheet.text(7, 0, lang.t("Amounts in euros.", "Bedragen in euro's."))?;
    Ok(sheet.finish())
}

/// One row per feasibility row, in the CSV's order.
fn feasibility(csv: &Csv, lang: Lang) -> Result<Worksheet> {
    let mut headers = vec![lang.t("Year", "Jaar"), lang.t("Scope", "Niveau")];
    headers.push(lang.t("Name", "Naam"));
    headers.extend(FEASIBILITY.iter().map(|(_, en, nl)| lang.t(en, nl)));
    let mut sheet = Sheet::new(lang.t("Feasibility", "Haalbaarheid"), &headers)?;
    let [year, scope, name] = csv.cols(["year", "scope", "name"])?;
    let cols = csv.cols(FEASIBILITY.map(|(key, ..)| key))?;
    for r in 0..csv.rows.len() {
        sheet.number(r + 1, 0, csv.number(r, year)?, "year")?;
        sheet.text(r + 1, 1, csv.text(r, scope))?;
        sheet.text(r + 1, 2, csv.text(r, name))?;
        for (c, (col, (key, ..))) in cols.into_iter().zip(FEASIBILITY).enumerate() {
            sheet.number(r + 1, c + 3, csv.number(r, col)?, key)?;
        }
    }
    Ok(sheet.finish())
}

/// Region rows of summary.csv (municipality, area and provider `all`):
/// (year, care_form, metric) → [mean, p05, p95], with years (parsed) and care
/// forms in the order they first appear.
struct Region {
    years: Vec<(String, f64)>,
    forms: Vec<String>,
    stats: HashMap<(String, String, String), [Option<f64>; 3]>,
}

impl Region {
    fn read(csv: &Csv) -> Result<Region> {
        let [year, form, metric] = csv.cols(["year", "care_form", "metric"])?;
        let totals = csv.cols(["municipality", "area", "provider"])?;
        let cols = csv.cols(["mean", "p05", "p95"])?;
        let (mut years, mut forms, mut stats) = (Vec::new(), Vec::new(), HashMap::new());
        for r in 0..csv.rows.len() {
            if totals.iter().any(|&c| csv.text(r, c) != ALL) {
                continue;
            }
            let (y, f) = (csv.text(r, year).to_string(), csv.text(r, form).to_string());
            if !years.iter().any(|(known, _)| *known == y) {
                let parsed = csv
                    .number(r, year)?
                    .context("summary.csv: a year is empty")?;
                years.push((y.clone(), parsed));
            }
            if f != ALL && !forms.contains(&f) {
                forms.push(f.clone());
            }
            let [mean, p05, p95] = cols.map(|c| csv.number(r, c));
            stats.insert((y, f, csv.text(r, metric).to_string()), [mean?, p05?, p95?]);
        }
        Ok(Region {
            years,
            forms,
            stats,
        })
    }

    /// Statistic `stat` (0 mean, 1 P5, 2 P95) of a metric, if it is there.
    fn get(&self, year: &str, form: &str, metric: Metric, stat: usize) -> Option<f64> {
        let key = (year.to_string(), form.to_string(), metric.name());
        self.stats.get(&key).and_then(|v| v[stat])
    }

    /// Whether a metric occurs for care form `all` (`total`) or for a real care form.
    fn has(&self, metric: Metric, total: bool) -> bool {
        let (metric, mut keys) = (metric.name(), self.stats.keys());
        keys.any(|(_, f, m)| *m == metric && (f == ALL) == total)
    }
}

/// One row per year with the region means (and the cost's P5 and P95).
fn region(region: &Region, lang: Lang) -> Result<Worksheet> {
    let mut columns = Vec::new(); // (metric, statistic, header)
    for (m, en, nl, ..) in METRICS.into_iter().filter(|m| m.3 && region.has(m.0, true)) {
        columns.push((m, 0, lang.t(en, nl).to_string()));
        if m == Metric::CostEur {
            columns.push((m, 1, format!("{} P5", lang.t(en, nl))));
            columns.push((m, 2, format!("{} P95", lang.t(en, nl))));
        }
    }
    let mut headers = vec![lang.t("Year", "Jaar")];
    headers.extend(columns.iter().map(|(.., h)| h.as_str()));
    let mut sheet = Sheet::new(lang.t("Region per year", "Regio per jaar"), &headers)?;
    for (r, (year, number)) in region.years.iter().enumerate() {
        sheet.number(r + 1, 0, Some(*number), "year")?;
        for (c, (m, stat, _)) in columns.iter().enumerate() {
            let value = region.get(year, ALL, *m, *stat);
            sheet.number(r + 1, c + 1, value, &m.name())?;
        }
    }
    Ok(sheet.finish())
}

/// One row per year and care form with the region means.
fn care_forms(region: &Region, lang: Lang) -> Result<Worksheet> {
    let metrics: Vec<_> = METRICS
        .into_iter()
        .filter(|m| m.4 && region.has(m.0, false))
        .collect();
    let mut headers = vec![lang.t("Year", "Jaar"), lang.t("Care form", "Zorgvorm")];
    headers.extend(metrics.iter().map(|(_, en, nl, ..)| lang.t(en, nl)));
    let mut sheet = Sheet::new(lang.t("Care forms", "Zorgvormen"), &headers)?;
    let mut r = 1;
    for (year, number) in &region.years {
        for form in &region.forms {
            sheet.number(r, 0, Some(*number), "year")?;
            sheet.text(r, 1, form)?;
            for (c, (m, ..)) in metrics.iter().enumerate() {
                sheet.number(r, c + 2, region.get(year, form, *m, 0), &m.name())?;
            }
            r += 1;
        }
    }
    Ok(sheet.finish())
}

/// A CSV copied as it is: name columns as text, every other column a number.
fn copy(csv: &Csv, name: &str) -> Result<Worksheet> {
    let headers: Vec<&str> = csv.headers.iter().map(String::as_str).collect();
    let mut sheet = Sheet::new(name, &headers)?;
    for r in 0..csv.rows.len() {
        for (c, header) in headers.iter().enumerate() {
            if is_name(header) {
                sheet.text(r + 1, c, csv.text(r, c))?;
            } else {
                sheet.number(r + 1, c, csv.number(r, c)?, header)?;
            }
        }
    }
    Ok(sheet.finish())
}
