//! Checks of a provider-wide budget cap (`providers.NAME.budget_cap`): the
//! cap can only keep a provider within its lumpsum if the provider alone
//! decides how many clients its forms take in, for the whole region, and
//! every client beyond the places it pays waits (nobody is placed at a
//! price the lumpsum does not cover).

use super::checker::Checker;
use crate::scenario::schema::{Capacity, Overflow, Provider, Scenario, StaffMode};

const NO_CAP: &str = "or remove `budget_cap = true` from the provider";

/// Every budget-capped provider, in file order.
pub(super) fn check(c: &mut Checker<'_>, s: &Scenario) {
    for (name, p) in s.providers.iter().filter(|(_, p)| p.budget_cap) {
        if !p.areas.is_empty() {
            c.fail(
                &["providers", name, "areas"],
                format!("budget-capped provider `{name}` serves only some areas; the cap buys places for the whole region"),
                &format!("remove `areas` (the provider serves every area), {NO_CAP}"),
            );
        }
        for form in delivered(s, p) {
            check_form(c, s, name, form);
        }
    }
}

/// The care forms a provider delivers (an empty list means all).
fn delivered<'s>(s: &'s Scenario, p: &'s Provider) -> impl Iterator<Item = &'s String> {
    s.care_forms
        .keys()
        .filter(move |f| p.forms.is_empty() || p.forms.contains(f))
}

fn check_form(c: &mut Checker<'_>, s: &Scenario, name: &str, form: &str) {
    let others: Vec<&str> = s
        .providers
        .iter()
        .filter(|(n, q)| {
            n.as_str() != name && (q.forms.is_empty() || q.forms.iter().any(|f| f == form))
        })
        .map(|(n, _)| n.as_str())
        .collect();
    if !others.is_empty() {
        c.fail(
            &["providers", name, "budget_cap"],
            format!(
                "`{form}` of budget-capped provider `{name}` is also delivered by {}; a cap needs one provider deciding how many clients the form takes in",
                others.join(", ")
            ),
            &format!("list `{form}` in the `forms` of one provider only, {NO_CAP}"),
        );
    }
    let f = &s.care_forms[form];
    let policy = match &f.overflow {
        Overflow::Wait { .. } => None,
        Overflow::OutOfRegion { .. } => Some("out_of_region"),
        Overflow::AlwaysGrant => Some("always_grant"),
        Overflow::Substitute { .. } => Some("substitute"),
    };
    if let Some(policy) = policy {
        c.fail(
            &["care_forms", form, "overflow"],
            format!("`{form}` belongs to budget-capped provider `{name}`: clients beyond the places its lumpsum pays must wait, found overflow policy `{policy}`"),
            &format!("set overflow = {{ policy = \"wait\" }} (add a `patience` for reneging), {NO_CAP}"),
        );
    }
    if matches!(&f.capacity, Capacity::Staff(st) if st.mode == StaffMode::BudgetCapped) {
        c.fail(
            &["care_forms", form, "capacity", "mode"],
            format!("`{form}` is capped twice: by its own `capacity.mode = \"budget_capped\"` and by provider `{name}`'s budget_cap"),
            "remove capacity.mode (and budget_share): the provider's cap already buys this form's staff",
        );
    }
    if f.friction_cost_per_closed_place.is_some() {
        c.fail(
            &["care_forms", form, "friction_cost_per_closed_place"],
            format!("`{form}` of budget-capped provider `{name}` has a friction cost per closed place, which the cap cannot keep within the lumpsum"),
            &format!("remove friction_cost_per_closed_place from `{form}`, {NO_CAP}"),
        );
    }
}
