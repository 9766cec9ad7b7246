//! Bad input in the landscape sections (time-varying transitions, substitution,
//! vacancy buffers, staff capacity, escalation, patience, duration scale and
//! interventions) must be rejected by the real binary with exit code 2 and an
//! error that says where (file:line:col), what (the dotted field) and how to
//! fix it — never with a panic. Every scenario is a small override that
//! `extends` a copy of the default, so each error points into the override.

use crate::util::*;

/// An override setting `body` in `[care_forms.NAME]`.
fn form(name: &str, body: &str) -> String {
    format!("extends = \"base.toml\"\n\n[care_forms.{name}]\n{body}\n")
}

/// An override adding the intervention `[interventions.NAME]` with `body`.
fn intervention(name: &str, body: &str) -> String {
    format!("extends = \"base.toml\"\n\n[interventions.{name}]\n{body}\n")
}

/// A valid prevention intervention, edited once.
const POH: &str = "lever = \"inflow\"\n\
    forms = [\"ambulant_network\"]\n\
    start = 2029\n\
    effect = { mean = -0.05, sd = 0.02 }\n\
    cost_per_year = 1.5e6\n";

fn poh(from: &str, to: &str) -> String {
    assert_eq!(POH.matches(from).count(), 1, "`{from}` not once in POH");
    intervention("poh", &POH.replacen(from, to, 1))
}

/// Valid staff capacity for ambulant_network, edited once.
const STAFF: &str = "capacity.scope = \"staff\"\n\
    capacity.fte = { centrum_zuid = 40, nieuw_west = 45, west = 28, noord = 27, oost = 30, zuidoost_weesp = 32, duo = 20 }\n\
    capacity.caseload_per_fte = 15\n\
    capacity.cost_per_fte = 95_000\n";

fn staff(from: &str, to: &str) -> String {
    assert_eq!(STAFF.matches(from).count(), 1, "`{from}` not once in STAFF");
    form("ambulant_network", &STAFF.replacen(from, to, 1))
}

/// A valid provider failure on residential (places per area), edited once.
const FAILURE: &str = "lever = \"capacity_loss\"\n\
    forms = [\"residential\"]\n\
    area = \"noord\"\n\
    start = 2030\n\
    places = 12\n\
    day = 100\n";

fn failure(from: &str, to: &str) -> String {
    assert_eq!(
        FAILURE.matches(from).count(),
        1,
        "`{from}` not once in FAILURE"
    );
    intervention("failure", &FAILURE.replacen(from, to, 1))
}

const DELAY: &str = "delay = { distribution = \"exponential\", mean = 60 }";

// ---------------------------------------------------------------- time-varying transitions

#[test]
fn transition_profile_year_outside_the_horizon() {
    let text = form(
        "ambulant_network",
        "transitions = { residential = { 2028 = 0.02, 2050 = 0.05 } }",
    );
    rejects_override(
        &text,
        "transitions =",
        "care_forms.ambulant_network.transitions.residential",
    )
    .contains("year 2050")
    .contains("outside the horizon 2028–2037");
}

#[test]
fn transition_profile_rising_above_one() {
    let text = form(
        "residential",
        "transitions = { ambulant_network = { shape = \"linear\", from = 0.45, to = 1.4, start = 2028, end = 2032 } }",
    );
    rejects_override(
        &text,
        "transitions =",
        "care_forms.residential.transitions.ambulant_network",
    )
    .contains("is a probability")
    .contains("found 1.4");
}

#[test]
fn transitions_summing_above_one_in_a_later_year_only() {
    // 0.06 + 0.02 + 0.02 = 0.10 in 2028; residential rises to 0.95 by 2034,
    // the only year (with those after it) whose sum exceeds 1.
    let text = form(
        "ambulant_network",
        "transitions = { residential = { shape = \"linear\", from = 0.02, to = 0.95, start = 2028, end = 2034 } }",
    );
    rejects_override(
        &text,
        "transitions =",
        "care_forms.ambulant_network.transitions",
    )
    .contains("sum to 1.0300 in 2034, above 1");
}

// ---------------------------------------------------------------- substitution

#[test]
fn substitution_cycle() {
    let text = "extends = \"base.toml\"\n\n\
        [care_forms.residential]\n\
        overflow = { policy = \"substitute\", to = \"family_home\" }\n\n\
        [care_forms.family_home]\n\
        overflow = { policy = \"substitute\", to = \"residential\" }\n";
    rejects_override(
        text,
        "to = \"family_home\"",
        "care_forms.residential.overflow.to",
    )
    .contains("substitution cycle")
    .contains("residential → family_home → residential");
}

#[test]
fn substitution_to_an_unknown_form() {
    let text = form(
        "residential",
        "overflow = { policy = \"substitute\", to = \"famly_home\" }",
    );
    rejects_override(&text, "overflow =", "care_forms.residential.overflow.to")
        .contains("unknown care form `famly_home`");
}

// ---------------------------------------------------------------- vacancy buffer

#[test]
fn reserved_places_above_capacity() {
    let text = form(
        "family_home",
        "capacity = { scope = \"region\", places = { shape = \"linear\", from = 330, to = 450, start = 2028, end = 2034 }, reserved = 500 }",
    );
    rejects_override(
        &text,
        "capacity =",
        "care_forms.family_home.capacity.reserved",
    )
    .contains("500 reserved places leave no place of the 330 in 2028");
}

#[test]
fn reserved_places_equal_to_all_places() {
    let text = form(
        "family_home",
        "capacity = { scope = \"region\", places = 330, reserved = 330 }",
    );
    rejects_override(
        &text,
        "capacity =",
        "care_forms.family_home.capacity.reserved",
    )
    .contains("for regular clients");
}

#[test]
fn implausible_lag_years() {
    let text = intervention(
        "poh",
        "lever = \"inflow\"\nstart = 2029\nlag_years = 4000000000\neffect = -0.1",
    );
    rejects_override(&text, "lag_years", "interventions.poh.lag_years");
}

#[test]
fn capacity_loss_above_the_pool() {
    let text = intervention(
        "failure",
        "lever = \"capacity_loss\"\nforms = [\"family_home\"]\nstart = 2030\nplaces = 1000",
    );
    rejects_override(&text, "places", "interventions.failure.places").contains("1000 places lost");
}

// ---------------------------------------------------------------- staff capacity

#[test]
fn staff_with_negative_fte() {
    let text = staff("centrum_zuid = 40", "centrum_zuid = -40");
    rejects_override(
        &text,
        "capacity.fte =",
        "care_forms.ambulant_network.capacity.fte.centrum_zuid",
    )
    .contains("found -40");
}

#[test]
fn staff_with_zero_caseload() {
    let text = staff("caseload_per_fte = 15", "caseload_per_fte = 0");
    rejects_override(
        &text,
        "caseload_per_fte =",
        "care_forms.ambulant_network.capacity.caseload_per_fte",
    )
    .contains("caseload per FTE must be above 0, found 0");
}

#[test]
fn staff_in_an_unknown_area() {
    let text = staff("duo = 20", "duo = 20, nord = 10");
    rejects_override(
        &text,
        "capacity.fte =",
        "care_forms.ambulant_network.capacity.fte.nord",
    )
    .contains("unknown area `nord`");
}

#[test]
fn staff_budget_share_above_one() {
    let text = staff(
        "capacity.cost_per_fte = 95_000\n",
        "capacity.cost_per_fte = 95_000\ncapacity.mode = \"budget_capped\"\ncapacity.budget_share = 1.5\n",
    );
    rejects_override(
        &text,
        "budget_share =",
        "care_forms.ambulant_network.capacity.budget_share",
    )
    .contains("budget_share must lie in (0, 1], found 1.5");
}

// ---------------------------------------------------------------- escalation

#[test]
fn escalation_probability_above_one() {
    let text = form(
        "family_home",
        &format!("escalation = {{ to = \"residential\", probability = 1.2, {DELAY} }}"),
    );
    rejects_override(
        &text,
        "escalation =",
        "care_forms.family_home.escalation.probability",
    )
    .contains("found 1.2");
}

#[test]
fn escalation_to_itself() {
    let text = form(
        "family_home",
        &format!("escalation = {{ to = \"family_home\", probability = 0.2, {DELAY} }}"),
    );
    rejects_override(
        &text,
        "escalation =",
        "care_forms.family_home.escalation.to",
    )
    .contains("`family_home` escalates to itself");
}

#[test]
fn escalation_without_a_waiting_list() {
    // residential places out of region when full: nobody waits to escalate.
    let text = form(
        "residential",
        &format!("escalation = {{ to = \"secure\", probability = 0.1, {DELAY} }}"),
    );
    rejects_override(&text, "escalation =", "care_forms.residential.escalation")
        .contains("has an escalation rule but no waiting list");
}

// ---------------------------------------------------------------- patience

#[test]
fn patience_with_zero_cv() {
    let text = form(
        "family_home",
        "overflow = { policy = \"wait\", patience = { distribution = \"lognormal\", mean = 90, cv = 0 } }",
    );
    rejects_override(
        &text,
        "overflow =",
        "care_forms.family_home.overflow.patience.cv",
    )
    .contains("coefficient of variation");
}

#[test]
fn patience_with_negative_cv() {
    let text = form(
        "foster_care",
        "overflow = { policy = \"wait\", patience = { distribution = \"lognormal\", mean = 90, cv = -1 } }",
    );
    rejects_override(
        &text,
        "overflow =",
        "care_forms.foster_care.overflow.patience.cv",
    )
    .contains("found -1");
}

// ---------------------------------------------------------------- duration scale

#[test]
fn duration_scale_of_zero() {
    let text = form("residential", "duration_scale = 0");
    rejects_override(
        &text,
        "duration_scale",
        "care_forms.residential.duration_scale",
    )
    .contains("must be above 0, found 0");
}

#[test]
fn negative_duration_scale_in_a_later_year() {
    let text = form("residential", "duration_scale = { 2028 = 1, 2031 = -0.5 }");
    rejects_override(
        &text,
        "duration_scale",
        "care_forms.residential.duration_scale",
    )
    .contains("found -0.5");
}

// ---------------------------------------------------------------- intervention effects

#[test]
fn inflow_effect_below_minus_one() {
    let text = poh("effect = { mean = -0.05, sd = 0.02 }", "effect = -1.2");
    rejects_override(&text, "effect =", "interventions.poh.effect")
        .contains("would make a rate, duration or tariff negative");
}

#[test]
fn inflow_effect_uncertain_with_its_mean_below_minus_one() {
    // Validated at the mean: −1.5 would make the rate negative. (A mean
    // inside with a wide sd is truncated to −1 … 10, see tests/uncertainty.rs.)
    let text = poh("mean = -0.05, sd = 0.02", "mean = -1.5, sd = 0.3");
    rejects_override(&text, "effect =", "interventions.poh.effect")
        .contains("effect -1.5")
        .contains("must lie in -1 … 10")
        .contains("negative");
}

#[test]
fn access_effect_above_one() {
    let text = poh("lever = \"inflow\"", "lever = \"access\"")
        .replace("effect = { mean = -0.05, sd = 0.02 }", "effect = 1.5");
    rejects_override(&text, "effect =", "interventions.poh.effect")
        .contains("effect 1.5 of a `access` intervention")
        .contains("0 … 1");
}

#[test]
fn negative_effect_sd() {
    let text = poh("sd = 0.02", "sd = -0.02");
    rejects_override(&text, "effect =", "interventions.poh.effect")
        .contains("sd must be 0 or more, found -0.02");
}

#[test]
fn unknown_lever() {
    let text = poh("lever = \"inflow\"", "lever = \"inflw\"");
    rejects_override(&text, "lever =", "interventions.poh.lever")
        .contains("unknown variant `inflw`");
}

// ---------------------------------------------------------------- intervention timing

#[test]
fn intervention_start_outside_the_horizon() {
    let text = poh("start = 2029", "start = 2040");
    rejects_override(&text, "start =", "interventions.poh.start")
        .contains("start year 2040 lies outside the horizon 2028–2037");
}

#[test]
fn intervention_ending_before_it_starts() {
    let text = poh("start = 2029", "start = 2031\nend = 2029");
    rejects_override(&text, "end =", "interventions.poh.end")
        .contains("end year 2029 lies before the start year 2031");
}

#[test]
fn unknown_ramp() {
    let text = poh(
        "start = 2029",
        "start = 2029\nramp_years = 3\nramp = \"sigmoid\"",
    );
    rejects_override(&text, "ramp =", "interventions.poh.ramp").contains("unknown ramp `sigmoid`");
}

// ---------------------------------------------------------------- capacity loss

#[test]
fn capacity_loss_without_area_on_an_area_form() {
    let text = failure("area = \"noord\"\n", "");
    rejects_override(
        &text,
        "[interventions.failure]",
        "interventions.failure.area",
    )
    .contains("`residential` has places per area");
}

#[test]
fn capacity_loss_on_an_unlimited_form() {
    let text = failure(
        "forms = [\"residential\"]",
        "forms = [\"ambulant_network\"]",
    );
    rejects_override(&text, "forms =", "interventions.failure.forms")
        .contains("`ambulant_network` has unlimited capacity");
}

#[test]
fn capacity_loss_on_day_400() {
    let text = failure("day = 100", "day = 400");
    rejects_override(&text, "day =", "interventions.failure.day")
        .contains("day 400 is not a day of the year");
}

// ---------------------------------------------------------------- run refuses, a good override passes

#[test]
fn run_rejects_bad_intervention() {
    let text = poh("effect = { mean = -0.05, sd = 0.02 }", "effect = -1.2");
    let case = Case::over_default(&text);
    case.run().input_error(
        &case.scenario,
        line_of(&text, "effect ="),
        Some("interventions.poh.effect"),
    );
}

#[test]
fn landscape_override_validates() {
    // The valid counterparts of the bad inputs above, all at once.
    let text = format!(
        "{}\n[care_forms.family_home]\n\
         overflow = {{ policy = \"wait\", patience = {{ distribution = \"lognormal\", mean = 90, cv = 0.8 }} }}\n\
         escalation = {{ to = \"residential\", probability = 0.2, {DELAY} }}\n\n\
         [care_forms.residential]\n\
         overflow = {{ policy = \"substitute\", to = \"family_home\" }}\n\
         duration_scale = {{ shape = \"linear\", from = 1, to = 0.8, start = 2028, end = 2032 }}\n\
         transitions = {{ ambulant_network = {{ shape = \"linear\", from = 0.45, to = 0.6, start = 2028, end = 2032 }} }}\n\n\
         [interventions.poh]\n{POH}\n[interventions.failure]\n{FAILURE}",
        form("ambulant_network", STAFF)
    );
    let case = Case::over_default(&text);
    case.validate().accepted();
}

#[test]
fn profile_years_written_in_decreasing_order() {
    let text = form(
        "residential",
        "tariff = { 2028 = 380, 2031 = 400, 2030 = 390 }",
    );
    rejects_override(&text, "tariff =", "care_forms.residential.tariff")
        .contains("year 2030")
        .contains("years must increase");
}
