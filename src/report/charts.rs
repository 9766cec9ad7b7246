//! Charts as inline SVG, drawn with `plotters`: fan charts (median line, 50 %
//! and 90 % bands), bars, stacked areas and lines. Colours are the
//! Okabe–Ito palette, which stays distinguishable with colour blindness.

use super::data::Stat;
use anyhow::{Result, anyhow};
pub use plotters::prelude::RGBColor;
use plotters::prelude::*;
use std::ops::Range;

/// Okabe–Ito colours.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(86, 180, 233),
    RGBColor(204, 121, 167),
    RGBColor(0, 0, 0),
    // Okabe–Ito yellow last: it is faint on white.
    RGBColor(240, 228, 66),
];

const SIZE: (u32, u32) = (1000, 420);
const FONT: &str = "sans-serif";

/// One fan: a quantity's median and bands, divided by `scale` for the axis.
pub struct Fan<'a> {
    pub label: &'a str,
    pub color: RGBColor,
    pub stats: Vec<Stat>,
}

/// Axis texts of a chart.
pub struct Axes<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
}

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart: {e:?}")
}

/// The largest axis value a chart draws: beyond it the tick search of the
/// plotting library runs for minutes (an axis up to 1e308 never finished).
const AXIS_LIMIT: f64 = 1e15;

/// A y range the plotting library can draw: finite, non-empty, within
/// `AXIS_LIMIT`; anything else (only a damaged result file gets here)
/// becomes 0..1.
fn drawable(y: Range<f64>) -> Range<f64> {
    let ok = |v: f64| v.is_finite() && v.abs() <= AXIS_LIMIT;
    if ok(y.start) && ok(y.end) && y.end > y.start {
        y
    } else {
        0.0..1.0
    }
}

fn y_range(values: impl Iterator<Item = f64>, from_zero: bool) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    if from_zero {
        lo = lo.min(0.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
    (if from_zero { lo } else { lo - pad })..hi + pad
}

fn x_range(years: &[i32]) -> Range<f64> {
    let first = years.first().copied().unwrap_or(0) as f64;
    let last = years.last().copied().unwrap_or(0) as f64;
    first - 0.5..last + 0.5
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws with a configured chart; returns the SVG text.
fn draw(
    axes: &Axes<'_>,
    years: &[i32],
    y: Range<f64>,
    y_format: &dyn Fn(&f64) -> String,
    // Draws the series; true when they carry legend labels.
    body: &mut dyn FnMut(&mut Chart<'_, '_>) -> Result<bool>,
) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(axes.title, (FONT, 20))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(84)
            .build_cartesian_2d(x_range(years), drawable(y))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(axes.x)
            .y_desc(axes.y)
            .x_labels(years.len().min(12))
            .x_label_formatter(&|x| format!("{}", x.round() as i64))
            .y_label_formatter(y_format)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(228, 228, 228))
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .draw()
            .map_err(err)?;
        if body(&mut chart)? {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .label_font((FONT, 14))
                .draw()
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A legend mark for a line (dashed lines are not blocks of colour).
fn stroke(color: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(3))
}

/// Fan charts: 90 % band (P5–P95), 50 % band (P25–P75), median line; and
/// optional reference lines (e.g. the lumpsum), all divided by `scale`.
pub fn fan(
    axes: &Axes<'_>,
    years: &[i32],
    fans: &[Fan<'_>],
    references: &[(&str, RGBColor, Vec<f64>)],
    scale: f64,
    y_format: &dyn Fn(&f64) -> String,
) -> Result<String> {
    let values = fans
        .iter()
        .flat_map(|f| f.stats.iter().flat_map(|s| [s.p05, s.p95]))
        .chain(references.iter().flat_map(|r| r.2.iter().copied()))
        .map(|v| v / scale);
    let y = y_range(values, false);
    let xs: Vec<f64> = years.iter().map(|&y| y as f64).collect();
    draw(axes, years, y, y_format, &mut |chart| {
        for f in fans {
            draw_fan(chart, &xs, f, scale)?;
        }
        for (label, color, values) in references {
            chart
                .draw_series(DashedLineSeries::new(
                    xs.iter().zip(values).map(|(x, v)| (*x, v / scale)),
                    9,
                    5,
                    color.stroke_width(2),
                ))
                .map_err(err)?
                .label(*label)
                .legend(stroke(*color));
        }
        Ok(true)
    })
}

/// One fan at the years `xs`: the 90 % and 50 % bands, then the median line.
fn draw_fan(chart: &mut Chart<'_, '_>, xs: &[f64], f: &Fan<'_>, scale: f64) -> Result<()> {
    let band = |lo: fn(&Stat) -> f64, hi: fn(&Stat) -> f64| -> Vec<(f64, f64)> {
        let upper = xs.iter().zip(&f.stats).map(|(x, s)| (*x, hi(s) / scale));
        let lower = xs
            .iter()
            .zip(&f.stats)
            .rev()
            .map(|(x, s)| (*x, lo(s) / scale));
        upper.chain(lower).collect()
    };
    for (points, opacity) in [
        (band(|s| s.p05, |s| s.p95), 0.18),
        (band(|s| s.p25, |s| s.p75), 0.38),
    ] {
        chart
            .draw_series(std::iter::once(Polygon::new(
                points,
                f.color.mix(opacity).filled(),
            )))
            .map_err(err)?;
    }
    chart
        .draw_series(LineSeries::new(
            xs.iter().zip(&f.stats).map(|(x, s)| (*x, s.p50 / scale)),
            f.color.stroke_width(3),
        ))
        .map_err(err)?
        .label(f.label)
        .legend(stroke(f.color));
    Ok(())
}

/// Bars per year of values in 0–1, labelled as percentages.
pub fn bars(
    axes: &Axes<'_>,
    years: &[i32],
    values: &[f64],
    color: RGBColor,
    y_format: &dyn Fn(&f64) -> String,
) -> Result<String> {
    draw(axes, years, 0.0..1.05, y_format, &mut |chart| {
        chart
            .draw_series(years.iter().zip(values).map(|(&y, &v)| {
                let x = y as f64;
                Rectangle::new([(x - 0.32, 0.0), (x + 0.32, v)], color.filled())
            }))
            .map_err(err)?;
        Ok(false)
    })
}

/// Stacked areas of several series per year (e.g. clients per care form);
/// series `k` has colour `PALETTE[k]` (the legend is written in HTML, under
/// the chart, where it cannot hide the stack).
pub fn stacked(
    axes: &Axes<'_>,
    years: &[i32],
    series: &[(String, Vec<f64>)],
    y_format: &dyn Fn(&f64) -> String,
) -> Result<String> {
    let n = years.len();
    let mut tops = vec![vec![0.0; n]; series.len()];
    for (k, (_, values)) in series.iter().enumerate() {
        let below = if k == 0 {
            vec![0.0; n]
        } else {
            tops[k - 1].clone()
        };
        for (i, top) in tops[k].iter_mut().enumerate() {
            *top = below[i] + values.get(i).copied().unwrap_or(0.0).max(0.0);
        }
    }
    let top = tops
        .last()
        .map_or(1.0, |t| t.iter().copied().fold(0.0, f64::max));
    let xs: Vec<f64> = years.iter().map(|&y| y as f64).collect();
    draw(
        axes,
        years,
        0.0..top * 1.08 + 1e-9,
        y_format,
        &mut |chart| {
            for k in (0..series.len()).rev() {
                let color = PALETTE[k % PALETTE.len()];
                let lower = |i: usize| if k == 0 { 0.0 } else { tops[k - 1][i] };
                let points: Vec<(f64, f64)> = (0..n)
                    .map(|i| (xs[i], tops[k][i]))
                    .chain((0..n).rev().map(|i| (xs[i], lower(i))))
                    .collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        points,
                        color.mix(0.85).filled(),
                    )))
                    .map_err(err)?;
            }
            Ok(false)
        },
    )
}

/// Lines per year; a `true` flag draws the series dashed.
pub fn lines(
    axes: &Axes<'_>,
    years: &[i32],
    series: &[(String, RGBColor, Vec<f64>, bool)],
    y_format: &dyn Fn(&f64) -> String,
) -> Result<String> {
    let y = y_range(series.iter().flat_map(|s| s.2.iter().copied()), true);
    let xs: Vec<f64> = years.iter().map(|&y| y as f64).collect();
    draw(axes, years, y, y_format, &mut |chart| {
        for (label, color, values, dashed) in series {
            let points = xs.iter().copied().zip(values.iter().copied());
            let drawn = if *dashed {
                chart.draw_series(DashedLineSeries::new(points, 8, 5, color.stroke_width(2)))
            } else {
                chart.draw_series(LineSeries::new(points, color.stroke_width(3)))
            };
            drawn
                .map_err(err)?
                .label(label.as_str())
                .legend(stroke(*color));
        }
        Ok(true)
    })
}
