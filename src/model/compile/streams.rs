//! Poisson arrival streams: one per segment, entry form and priority, with
//! the rate per day of each horizon year.

use super::Names;
use crate::calendar::DAYS_PER_YEAR;
use crate::error::InputError;
use crate::model::{ArrivalStream, FormId, PRIORITY_NAMES, Segment, SegmentId};
use crate::scenario::Sources;
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Area, Municipality, Scenario};

/// The arrival streams of every segment.
pub fn streams(s: &Scenario, names: &Names, segments: &[Segment]) -> Vec<ArrivalStream> {
    let areas: Vec<&Area> = s.areas.values().collect();
    let municipalities: Vec<&Municipality> = s.municipalities.values().collect();
    let mut streams = Vec::new();
    for (si, seg) in segments.iter().enumerate() {
        let place = Place {
            segment: seg,
            area: areas[seg.area],
            municipality: municipalities[seg.municipality],
        };
        for (form, share) in &s.arrivals.entry {
            let mix = s.care_forms[form]
                .priority
                .as_ref()
                .unwrap_or(&s.arrivals.priority);
            for (pi, prio) in PRIORITY_NAMES.iter().enumerate() {
                let p_share = mix.get(*prio).copied().unwrap_or(0.0);
                if p_share <= 0.0 || *share <= 0.0 {
                    continue;
                }
                streams.push(ArrivalStream {
                    segment: SegmentId::of(si),
                    form: FormId::of(names.form(form)),
                    priority: pi as u8,
                    rate_per_day: place.rate_per_day(s, form, *share, p_share),
                });
            }
        }
    }
    streams
}

/// A segment with the area and municipality it belongs to.
struct Place<'a> {
    segment: &'a Segment,
    area: &'a Area,
    municipality: &'a Municipality,
}

impl Place<'_> {
    /// Arrivals per day into `form` in each horizon year, for an entry
    /// `share` and a priority share `p_share` of the segment's arrivals. The
    /// yearly growth is the form's trend (else `arrivals.trend`) plus the
    /// area's; without either it is `arrivals.trend` exactly (x + 0 = x), so
    /// scenarios that use neither keep their rates to the bit.
    fn rate_per_day(&self, s: &Scenario, form: &str, share: f64, p_share: f64) -> Vec<f64> {
        let start = s.horizon.start_year;
        (0..s.horizon.years as usize)
            .map(|y| {
                let year = start + y as i32;
                let factor = |p: Option<&Profile>| p.map_or(1.0, |u| u.at(year));
                let trend = s.care_forms[form].trend.unwrap_or(s.arrivals.trend)
                    + self.area.trend.unwrap_or(0.0);
                self.segment.youth[y] / 1000.0
                    * s.arrivals.rate_per_1000.at(year)
                    * factor(self.area.usage.as_ref())
                    * factor(self.area.form_usage.get(form))
                    * factor(self.municipality.usage.as_ref())
                    * factor(self.municipality.form_usage.get(form))
                    * (1.0 + trend).powi(y as i32)
                    * share
                    * p_share
                    / DAYS_PER_YEAR
            })
            .collect()
    }
}

/// A scenario that would simulate more than 50 million arrivals a year is a
/// unit mistake (all of the Netherlands has well under half a million).
pub fn check_volume(
    sources: &Sources,
    streams: &[ArrivalStream],
    years: usize,
) -> Result<(), InputError> {
    let busiest_year = (0..years)
        .map(|y| streams.iter().map(|st| st.rate_per_day[y]).sum::<f64>() * DAYS_PER_YEAR)
        .fold(0.0f64, f64::max);
    if busiest_year.is_nan() || busiest_year > 5e7 {
        return Err(sources
            .error(&["arrivals", "rate_per_1000"], format!("the scenario generates {busiest_year:.3e} arrivals a year"))
            .fix("check youth numbers, rate_per_1000, usage multipliers and growth for a unit mistake"));
    }
    Ok(())
}
