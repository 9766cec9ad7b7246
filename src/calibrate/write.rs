//! The calibrated scenario as TOML: an override of the base scenario whose
//! parameters carry their uncertainty as per-replication draws (inflow and
//! duration interventions with mean 0 and the estimate's standard error),
//! with comments stating the data years and the quality of the fit.

use super::fit::{Calibration, LogLinear, t95};
use super::shares;
use crate::model::Model;
use crate::scenario::schema::{DurationSpec, Scenario};
use crate::text::printable;
use std::fmt::Write;

/// Where and how the calibrated scenario runs.
pub struct Target<'a> {
    /// `extends` path, relative to the written file.
    pub extends: &'a str,
    pub name: &'a str,
    pub history_file: &'a str,
    /// Horizon start and length (backtest: the held-out years); `None` keeps the base's.
    pub horizon: Option<(i32, u32)>,
}

/// `text` as a TOML basic string: quotes, backslashes and control
/// characters escaped, so names and paths stay data in the written file.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// `name` as a TOML key: bare when TOML allows it, else quoted.
fn toml_key(name: &str) -> String {
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !name.is_empty() && name.chars().all(bare) {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// Arrivals per year of the base model in its first year ÷ what youth ×
/// rate_per_1000 alone would give: the usage multipliers to divide out.
fn usage_factor(base: &Scenario, model: &Model) -> f64 {
    let arrivals: f64 = model.streams.iter().map(|s| s.rate_per_day[0]).sum::<f64>()
        * crate::calendar::DAYS_PER_YEAR;
    let youth: f64 = model.segments.iter().map(|s| s.youth[0]).sum();
    let plain = youth / 1000.0 * base.arrivals.rate_per_1000.at(model.start_year);
    if plain > 0.0 && arrivals > 0.0 {
        arrivals / plain
    } else {
        1.0
    }
}

fn duration(spec: &DurationSpec, mean: f64) -> String {
    match spec {
        DurationSpec::Lognormal { cv, .. } => {
            format!("{{ distribution = \"lognormal\", mean = {mean:.1}, cv = {cv} }}")
        }
        DurationSpec::Gamma { cv, .. } => {
            format!("{{ distribution = \"gamma\", mean = {mean:.1}, cv = {cv} }}")
        }
        DurationSpec::Fixed { .. } => format!("{{ distribution = \"fixed\", days = {mean:.1} }}"),
        _ => format!("{{ distribution = \"exponential\", mean = {mean:.1} }}"),
    }
}

/// Keeps an uncertainty inside what the scenario checks accept (mean − 3 sd > −1).
fn capped(sd: f64) -> f64 {
    if sd.is_finite() { sd.min(0.3) } else { 0.0 }
}

/// The scenario text.
pub fn scenario_text(
    c: &Calibration,
    base: &Scenario,
    model: &Model,
    target: &Target<'_>,
) -> String {
    let mut out = String::new();
    let (start, years) = target
        .horizon
        .unwrap_or((base.horizon.start_year, base.horizon.years));
    write_header(&mut out, c, base, target);
    write_arrivals(&mut out, c, base, model, start);
    write_care_forms(&mut out, c, base);
    write_uncertainty(&mut out, c, start, years);
    out
}

/// Comments on the fit, `extends`, name, description and, if the horizon
/// is set, the horizon and warm-up.
fn write_header(out: &mut String, c: &Calibration, base: &Scenario, target: &Target<'_>) {
    let r = &c.rate;
    let _ = writeln!(
        out,
        "# Calibrated by `jeugdstroom calibrate` from {} (years {}–{}) on the base scenario.",
        printable(target.history_file),
        c.first_year,
        c.last_year
    );
    let _ = writeln!(
        out,
        "# Arrival rate: log-linear fit over {} years, R² = {:.3}; {} per 1,000 youth in {} \
         (95 % interval × / ÷ {:.3}), trend {:+.2} % a year (95 % interval ± {:.2} points).",
        r.n,
        r.r_squared,
        round(r.level),
        c.last_year,
        (t95((r.n - 2) as f64) * r.se_log_level).exp(),
        r.trend * 100.0,
        t95((r.n - 2) as f64) * r.se_trend * 100.0
    );
    let _ = writeln!(
        out,
        "# Standard errors become per-replication draws in [interventions.calibration_*]."
    );
    let _ = writeln!(out, "extends = {}", toml_string(target.extends));
    let _ = writeln!(out, "name = {}", toml_string(target.name));
    let description = format!(
        "Calibrated on {} (years {}–{})",
        target.history_file, c.first_year, c.last_year
    );
    let _ = writeln!(out, "description = {}\n", toml_string(&description));
    if let Some((s, y)) = target.horizon {
        let _ = writeln!(out, "[horizon]\nstart_year = {s}\nyears = {y}\n");
        let warm = base.initial_state.warmup_years.max(3);
        let _ = writeln!(out, "[initial_state]\nwarmup_years = {warm}\n");
    }
}

/// `[arrivals]`: the fitted rate moved to the start year and divided by the
/// base's usage multipliers, the trend and the entry shares.
fn write_arrivals(out: &mut String, c: &Calibration, base: &Scenario, model: &Model, start: i32) {
    let r = &c.rate;
    let factor = usage_factor(base, model);
    let rate_at_start = r.level * (1.0 + r.trend).powi(start - c.last_year) / factor;
    let _ = writeln!(out, "[arrivals]");
    let _ = writeln!(
        out,
        "# {} per 1,000 youth in {start} after the base's usage multipliers (× {factor:.4}).",
        round(rate_at_start * factor)
    );
    let _ = writeln!(out, "rate_per_1000 = {}", round(rate_at_start));
    let _ = writeln!(out, "trend = {:.5}", r.trend);
    let names: Vec<&String> = base.care_forms.keys().collect();
    let values: Vec<f64> = (names.iter())
        .map(|f| c.entry.get(*f).copied().unwrap_or(0.0))
        .collect();
    let _ = writeln!(
        out,
        "# Entry shares: their spread across the fitted years as a Dirichlet draw per replication."
    );
    let _ = writeln!(
        out,
        "entry = {}\n",
        share_table(&names, &values, None, c.entry_concentration)
    );
}

/// Shares as a TOML inline table, rounded so they read back exactly (see
/// `shares::rounded`); with `rest` the shares sum to less than one and the
/// remainder (leaving care) takes part in the rounding. A finite
/// `concentration` makes it a Dirichlet distribution drawn per replication.
fn share_table(names: &[&String], values: &[f64], rest: Option<f64>, concentration: f64) -> String {
    let all: Vec<f64> = values.iter().copied().chain(rest).collect();
    let units = shares::rounded(&all);
    let items: Vec<String> = (names.iter().zip(&units))
        .map(|(n, u)| format!("{} = {}", toml_key(n), shares::decimal(*u)))
        .collect();
    let plain = format!("{{ {} }}", items.join(", "));
    let random = units.iter().filter(|u| **u > 0).count() > 1;
    if concentration.is_finite() && random && values.iter().any(|v| *v > 0.0) {
        format!(
            "{{ distribution = \"dirichlet\", concentration = {concentration:.1}, shares = {plain} }}"
        )
    } else {
        plain
    }
}

/// Per fitted form: duration by Little's law, transitions and tariff.
fn write_care_forms(out: &mut String, c: &Calibration, base: &Scenario) {
    for (name, fit) in &c.forms {
        let Some(form) = base.care_forms.get(name) else {
            continue;
        };
        let _ = writeln!(out, "[care_forms.{}]", toml_key(name));
        if let Some(d) = &fit.duration {
            let how = if d.from_ended {
                "from the ended episodes' mean length"
            } else {
                "from the stock per start"
            };
            let _ = writeln!(
                out,
                "# Mean stay {:.1} days {how} over {} years, corrected for the starts' trend of {:+.2} % a year (bootstrap se {:.1}).",
                d.mean,
                d.n,
                d.trend * 100.0,
                d.se
            );
            let _ = writeln!(out, "duration = {}", duration(&form.duration, d.mean));
        }
        if !fit.transitions.is_empty() {
            let names: Vec<&String> = base.care_forms.keys().filter(|to| *to != name).collect();
            let values: Vec<f64> = (names.iter())
                .map(|to| fit.transitions.get(*to).copied().unwrap_or(0.0))
                .collect();
            let rest = (1.0 - values.iter().sum::<f64>()).max(0.0);
            let table = share_table(&names, &values, Some(rest), fit.transition_concentration);
            let _ = writeln!(out, "transitions = {table}");
        }
        if let Some(t) = fit.tariff {
            let _ = writeln!(out, "# Cost ÷ client-days over the fitted years.");
            let _ = writeln!(out, "tariff = {t:.2}");
        }
        out.push('\n');
    }
}

/// The standard errors as per-replication draws: `[interventions.calibration_*]`.
fn write_uncertainty(out: &mut String, c: &Calibration, start: i32, years: u32) {
    let (level, trend) = level_and_trend_sd(&c.rate, start, years);
    let _ = writeln!(
        out,
        "[interventions.calibration_level]\nlabel = \"Uncertainty of the fitted arrival rate\"\nlever = \"inflow\"\nstart = {start}\neffect = {{ mean = 0, sd = {:.5} }}\n",
        capped(level)
    );
    let _ = writeln!(
        out,
        "# The trend's uncertainty grows with the distance from the data: sd × years.\n[interventions.calibration_trend]\nlabel = \"Uncertainty of the fitted trend\"\nlever = \"inflow\"\nstart = {start}\nramp_years = {years}\neffect = {{ mean = 0, sd = {:.5} }}\n",
        capped(trend)
    );
    for (name, fit) in &c.forms {
        if let Some(d) = fit
            .duration
            .as_ref()
            .filter(|d| d.mean > 0.0 && d.se.is_finite())
        {
            let _ = writeln!(
                out,
                "[interventions.{}]\nlever = \"duration\"\nforms = [{}]\nstart = {start}\neffect = {{ mean = 0, sd = {:.5} }}\n",
                toml_key(&format!("calibration_duration_{name}")),
                toml_string(name),
                capped(d.se / d.mean)
            );
        }
    }
}

/// The sds of the level and (at full ramp, after `years`) trend
/// interventions. The fitted log-rate at forecast year `last + m` has
/// variance V(m) = A + B·m + C·m² (A the level's, C the slope's, B twice
/// their covariance, positive since the last year lies above the fitted
/// years' mean); the two independent draws give a + d·j² in the j-th
/// forecast year, with a and d chosen to match V in the first and last.
/// With few years the estimate is Student-t, not normal: both sds are
/// widened by t₀.₉₀(n − 2) ÷ z₀.₉₀ so the central 80 % interval is right.
fn level_and_trend_sd(r: &LogLinear, start: i32, years: u32) -> (f64, f64) {
    let c_var = r.se_trend.powi(2);
    let offset = r.reference - r.centre;
    let v = |m: f64| r.se_log_level.powi(2) + 2.0 * offset * c_var * m + c_var * m * m;
    let first = (start as f64 - r.reference).max(0.0);
    let h = f64::from(years.max(1));
    let (v1, vh) = (v(first), v(first + h - 1.0));
    let d = if h > 1.0 {
        ((vh - v1) / (h * h - 1.0)).max(c_var)
    } else {
        0.0
    };
    let a = (v1 - d).max(0.0);
    let widen = t90((r.n as f64 - 2.0).max(1.0)) / Z90;
    (a.sqrt() * widen, d.sqrt() * h * widen)
}

/// The standard normal's 90th percentile.
const Z90: f64 = 1.281_551_6;

/// Student's t 90th percentile for `df` degrees of freedom (a table to 10,
/// then the Cornish–Fisher expansion, good to 0.1 %).
fn t90(df: f64) -> f64 {
    const TABLE: [f64; 10] = [
        3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372,
    ];
    match df as usize {
        0 => TABLE[0],
        d if d <= 10 => TABLE[d - 1],
        _ => Z90 + (Z90.powi(3) + Z90) / (4.0 * df),
    }
}

fn round(v: f64) -> String {
    format!("{:.4}", v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_stay_data_in_the_written_toml() {
        assert_eq!(toml_string("amsterdam-duo"), "\"amsterdam-duo\"");
        assert_eq!(toml_string("a\"b\\c\nd"), r#""a\"b\\c\u000Ad""#);
        assert_eq!(toml_key("foster_care"), "foster_care");
        assert_eq!(toml_key("a.b\"]"), r#""a.b\"]""#);
        let text = format!(
            "name = {}\n[t.{}]\nx = 1\n",
            toml_string("x\"\n[evil]"),
            toml_key("a b")
        );
        let value: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(value["name"].as_str(), Some("x\"\n[evil]"));
        assert!(value["t"].get("a b").is_some() && value.get("evil").is_none());
    }
}
