//! Checks across rows of a history: the counts must be feasible together
//! (for ranges: some values inside them must agree), and no year ×
//! municipality × care form may be missing between the first and last year.

use super::{HistoryRow, Reader};
use std::collections::{BTreeSet, HashMap};

/// Missing rows reported one by one (the rest are counted).
const MAX_MISSING: usize = 20;

/// Room for floating-point sums of large counts.
fn slack(value: f64) -> f64 {
    1e-9 * value.max(1.0)
}

impl Reader<'_> {
    /// Episodes that moved to another form are among those that ended; and
    /// `ended` cannot exceed `started` plus those in care at the start of the
    /// year (the previous year's `in_care_end`), checked where the previous
    /// year of the same municipality and form is in the file. With ranges the
    /// check is on the bounds: an error only when no values inside agree.
    pub(super) fn check_flows(&mut self, rows: &[HistoryRow], offsets: &[usize], ended: usize) {
        let series: HashMap<(&str, &str, i32), &HistoryRow> = rows
            .iter()
            .map(|r| ((r.municipality.as_str(), r.care_form.as_str(), r.year), r))
            .collect();
        for (row, offset) in rows.iter().zip(offsets) {
            let s = &row.spans;
            let moved: f64 = s.transitions.values().map(|t| t.low).sum();
            if moved > s.ended.high + slack(s.ended.high) {
                let msg = format!(
                    "{moved} episodes moved to another form but only {} ended, for {}, {} in {}",
                    s.ended.high, row.municipality, row.care_form, row.year
                );
                let fix = "check the counts: the transitions_to_<form> columns count episodes that ended, so they sum to at most `ended` (for ranges: their low ends to at most the high end of `ended`)";
                self.error((*offset, ended), "ended", msg, fix);
            }
            let key = (
                row.municipality.as_str(),
                row.care_form.as_str(),
                row.year - 1,
            );
            let Some(prev) = series.get(&key) else {
                continue;
            };
            let available = s.started.high + prev.spans.in_care_end.high;
            if s.ended.low > available + slack(available) {
                let msg = format!(
                    "{} episodes ended but at most {} started plus {} in care at the start \
                     (in_care_end of {} on line {}) for {}, {}",
                    s.ended.low,
                    s.started.high,
                    prev.spans.in_care_end.high,
                    prev.year,
                    prev.line,
                    row.municipality,
                    row.care_form
                );
                let fix = "check the counts: ended ≤ started + previous year's in_care_end (for ranges: on their bounds)";
                self.error((*offset, ended), "ended", msg, fix);
            }
        }
    }

    /// Every municipality and care form of the file needs a row in every
    /// year from the first to the last: a missing one would be read as no
    /// clients at all. Reported at the first row of that year (or, for a
    /// year with no rows, the first row of the year after).
    pub(super) fn check_complete(&mut self, rows: &[HistoryRow], offsets: &[usize], year: usize) {
        if !self.errors.is_empty() {
            // Rows refused for other reasons would show up as missing too.
            return;
        }
        let (Some(first), Some(last)) = (
            rows.iter().map(|r| r.year).min(),
            rows.iter().map(|r| r.year).max(),
        ) else {
            return;
        };
        let municipalities: BTreeSet<&str> = rows.iter().map(|r| r.municipality.as_str()).collect();
        let forms: BTreeSet<&str> = rows.iter().map(|r| r.care_form.as_str()).collect();
        let present: BTreeSet<(i32, &str, &str)> = rows
            .iter()
            .map(|r| (r.year, r.municipality.as_str(), r.care_form.as_str()))
            .collect();
        let mut missing = Vec::new();
        for y in first..=last {
            for m in &municipalities {
                for f in &forms {
                    if !present.contains(&(y, *m, *f)) {
                        missing.push((y, *m, *f));
                    }
                }
            }
        }
        let shown = missing.len().min(MAX_MISSING);
        if missing.len() > shown {
            let msg = format!(
                "{} year × municipality × care form rows are missing between {first} and {last}; the first {shown} follow",
                missing.len()
            );
            let fix = "give every municipality and care form a row in every year (ranges for what is not known exactly)";
            self.error(
                (offsets.first().copied().unwrap_or(0), year),
                "year",
                msg,
                fix,
            );
        }
        for (y, m, f) in missing.into_iter().take(shown) {
            let at = (rows.iter().zip(offsets))
                .filter(|(r, _)| r.year >= y)
                .min_by_key(|(r, o)| (r.year, **o))
                .map_or(0, |(_, o)| *o);
            let msg = format!(
                "no row for {y}, {m}, {f}: the file has {m} and {f} in other rows, and a missing row would count as no clients"
            );
            let fix = format!(
                "add the row `{y},{m},{f},…`; write counts known only roughly as ranges, e.g. 0..10 for a suppressed cell"
            );
            self.error((at, year), "year", msg, fix);
        }
    }
}
