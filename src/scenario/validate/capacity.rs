//! Places: per area or regional, reserved places below the total, and
//! staff-based capacity (FTE, caseload, cost, budget share).

use super::checker::Checker;
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, Scenario, Staff};

/// Reserved places below each pool's places; staff parameters in range.
pub(super) fn check_capacity(c: &mut Checker<'_>, s: &Scenario, name: &str, capacity: &Capacity) {
    let years = c.first_year..=c.last_year;
    let reserved_check = |c: &mut Checker<'_>, reserved: u32, places: &Profile, what: &str| {
        if let Some(y) = years.clone().find(|&y| {
            let p = places.at(y).round();
            p > 0.0 && f64::from(reserved) >= p
        }) {
            c.fail(
                &["care_forms", name, "capacity", "reserved"],
                format!(
                    "{reserved} reserved places leave no place of the {}{what} in {y} for regular clients",
                    places.at(y).round()
                ),
                "reserve fewer places than the pool has (a buffer is a part of the places)",
            );
        }
    };
    match capacity {
        Capacity::Unlimited => {}
        Capacity::Region {
            places, reserved, ..
        } => reserved_check(c, *reserved, places, ""),
        Capacity::Area {
            places, reserved, ..
        } => {
            for (area, p) in places {
                reserved_check(c, *reserved, p, &format!(" of area `{area}`"));
            }
        }
        Capacity::Staff(staff) => check_staff(c, s, name, staff),
    }
}

fn check_staff(c: &mut Checker<'_>, s: &Scenario, name: &str, staff: &Staff) {
    for (area, p) in &staff.fte {
        let path = ["care_forms", name, "capacity", "fte", area.as_str()];
        c.known(&path, area, s.areas.keys(), "area");
        c.non_negative_profile(&path, p);
        c.at_most(
            &path,
            p.extreme_values().iter().fold(0.0, |a, b| b.max(a)),
            1e6,
            "FTE",
        );
    }
    let path = ["care_forms", name, "capacity", "caseload_per_fte"];
    if staff.caseload_per_fte.is_nan() || staff.caseload_per_fte <= 0.0 {
        c.fail(
            &path,
            format!(
                "caseload per FTE must be above 0, found {}",
                staff.caseload_per_fte
            ),
            "give the clients one FTE carries at a time, e.g. 15",
        );
    }
    c.at_most(&path, staff.caseload_per_fte, 1000.0, "clients per FTE");
    c.non_negative_profile(
        &["care_forms", name, "capacity", "cost_per_fte"],
        &staff.cost_per_fte,
    );
    let share = staff.budget_share;
    if share.is_nan() || share <= 0.0 || share > 1.0 {
        c.fail(
            &["care_forms", name, "capacity", "budget_share"],
            format!("budget_share must lie in (0, 1], found {share}"),
            "write the share of the provider's budget as a fraction, e.g. 0.8",
        );
    }
    if staff.lead_time_years > 10 {
        c.fail(
            &["care_forms", name, "capacity", "lead_time_years"],
            format!(
                "a lead time of {} years is implausible",
                staff.lead_time_years
            ),
            "use 0–3 years",
        );
    }
}
