//! The report without a browser: every section and chart is there, the
//! headline sentences carry the numbers of feasibility.csv, nothing is
//! fetched from anywhere, Dutch formats, and bad result folders exit 2.

use crate::util::{jeugdstroom, run_into};
use std::path::Path;

fn html(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// (year, p_overrun, cost_p50 − lumpsum) of the region rows of feasibility.csv.
fn region_feasibility(dir: &Path) -> Vec<(String, f64, f64)> {
    let mut reader = csv::Reader::from_path(dir.join("feasibility.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (year, scope, p, p50, lumpsum) = (
        col("year"),
        col("scope"),
        col("p_overrun"),
        col("cost_p50_eur"),
        col("lumpsum_eur"),
    );
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[scope] == "region")
        .map(|r| {
            let f = |i: usize| r[i].parse::<f64>().unwrap();
            (r[year].to_string(), f(p), f(p50) - f(lumpsum))
        })
        .collect()
}

fn attribute(element: &str, name: &str) -> String {
    let start = element.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    element[start..].split('"').next().unwrap().to_string()
}

#[test]
fn report_has_every_section_and_the_headline_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    run_into(&["--replications", "6", "--report", "--lang", "nl"], &dir);
    let page = html(&dir, "report.html");
    for id in jeugdstroom::report::SECTIONS {
        assert!(
            page.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
    }
    for id in [
        "fan-cost",
        "bars-overrun",
        "stack-clients",
        "table-municipalities",
        "table-providers",
        "table-assumptions",
        "table-vacancy",
        "waterfall-growth",
        "table-growth",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "element {id}");
    }
    assert!(page.matches("<svg").count() >= 5, "charts are inline SVG");
    assert!(
        page.contains("lines-capacity-residential"),
        "phase-out chart"
    );
    // Self-contained: no scripts, no external fetches (the SVG namespace is a name, not a fetch).
    assert!(!page.contains("<script"));
    for needle in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
        assert!(!page.contains(needle), "{needle}");
    }
    // Headline sentences: one per year, with feasibility.csv's numbers, in Dutch.
    let rows = region_feasibility(&dir);
    let items: Vec<&str> = page.split("<li data-year=").skip(1).collect();
    assert_eq!(items.len(), rows.len());
    for (item, (year, p, gap)) in items.iter().zip(&rows) {
        let element = format!("data-year={item}");
        assert_eq!(attribute(&element, "data-year"), *year);
        let p_attr: f64 = attribute(&element, "data-p-overrun").parse().unwrap();
        assert!((p_attr - p).abs() < 1e-9, "{year}: {p_attr} vs {p}");
        let gap_attr: f64 = attribute(&element, "data-median-gap-eur").parse().unwrap();
        assert!(
            (gap_attr - gap).abs() < 0.01,
            "{year}: gap {gap_attr} vs {gap}"
        );
        let lang = jeugdstroom::report::Lang::Nl;
        let percent = lang.percent(*p);
        let millions = lang.millions(gap.abs());
        assert!(
            item.contains(&format!("In {year} zijn de kosten in {percent} van")),
            "{item}"
        );
        assert!(item.contains(&millions), "{item} lacks {millions}");
    }
    assert!(
        page.contains("€ 262,6 mln"),
        "Dutch money format of the 2028 lumpsum"
    );
    assert!(dir.join("report.xlsx").exists());
    growth_paragraph_spans_the_first_and_last_expected_cost(&dir, &page);
}

/// The waterfall's parts (data attributes of its sentence) add up to the
/// change of the region's expected cost from the first year to the last.
fn growth_paragraph_spans_the_first_and_last_expected_cost(dir: &Path, page: &str) {
    let start = page
        .find("<p class=\"growth\"")
        .expect("the growth sentence");
    let element = &page[start..start + page[start..].find('>').unwrap()];
    let mut reader = csv::Reader::from_path(dir.join("feasibility.csv")).unwrap();
    let cost: Vec<f64> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[1] == "region")
        .map(|r| r[4].parse().unwrap())
        .collect();
    let parts: f64 = ["volume", "mix", "duration", "price"]
        .iter()
        .map(|k| {
            attribute(element, &format!("data-{k}-eur"))
                .parse::<f64>()
                .unwrap()
        })
        .sum();
    let change = cost[cost.len() - 1] - cost[0];
    assert!((parts - change).abs() < 0.005, "{parts} vs {change}");
    assert!(page.contains("Waar komt de kostengroei vandaan?"));
}

#[test]
fn comparison_report_in_english_shows_both_scenarios_and_renders_again() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let output = jeugdstroom(&[
        "compare",
        "scenarios/amsterdam-duo.toml",
        "scenarios/amsterdam-duo-doorstroom.toml",
        "--replications",
        "3",
        "--quiet",
        "--report",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let page = html(&out, "report.html");
    assert!(page.contains("<section id=\"comparison\""));
    assert!(page.contains("id=\"table-comparison\""));
    assert!(
        page.contains("A: amsterdam-duo"),
        "both scenarios in the cost chart"
    );
    assert!(page.contains("In 2030 the cost exceeds the lumpsum in"));
    // A report of a report's folder again, to another file.
    let again = tmp.path().join("again.html");
    let output = jeugdstroom(&[
        "report",
        out.join("a").to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    assert!(again.exists() && tmp.path().join("again.xlsx").exists());
}

#[test]
fn bad_result_folders_and_languages_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    run_into(&["--replications", "2"], &dir);
    let out = jeugdstroom(&["report", dir.to_str().unwrap(), "--lang", "de"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("en, nl"), "{}", out.stderr);
    // Unsupported language fails before a run starts.
    let out = jeugdstroom(&[
        "run",
        "--replications",
        "2",
        "--report",
        "--lang",
        "de",
        "--out",
        tmp.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(out.code, Some(2));
    assert!(!tmp.path().join("x").join("manifest.json").exists());
    // Missing summary.csv.
    std::fs::remove_file(dir.join("summary.csv")).unwrap();
    let out = jeugdstroom(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("summary.csv"), "{}", out.stderr);
    // Another tool version.
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let other = manifest.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"0.0.1\"",
    );
    assert_ne!(manifest, other);
    std::fs::write(dir.join("manifest.json"), other).unwrap();
    let out = jeugdstroom(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("0.0.1"), "{}", out.stderr);
    // No manifest: an unfinished run.
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    let out = jeugdstroom(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("manifest.json"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"));
}
