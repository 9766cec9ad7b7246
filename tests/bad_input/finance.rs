//! Bad input in the money sections (providers, indexation, contract, regimes,
//! declaration lag, savings targets, lumpsum trend) must be rejected by the
//! real binary with exit code 2 and an error that says where
//! (file:line:col), what (the dotted field) and how to fix it — never with a
//! panic. Every scenario is the embedded default with exactly one change, or
//! a small override that `extends` a copy of it.

use crate::util::*;

// ---------------------------------------------------------------- providers

#[test]
fn provider_shares_not_summing_to_one() {
    rejects_edit_at(
        "share = 0.567",
        "share = 0.577",
        "[providers.ambulant]",
        "providers",
    )
    .contains("provider shares sum to")
    .contains("add up to exactly 1");
}

#[test]
fn provider_with_unknown_care_form() {
    rejects_edit(
        "forms = [\"secure\"]\nshare",
        "forms = [\"secure\", \"secur\"]\nshare",
        "providers.jeugdzorgplus.forms",
    )
    .contains("unknown care form `secur`");
}

#[test]
fn provider_with_unknown_area() {
    rejects_edit_at(
        "forms = [\"secure\"]\nshare",
        "forms = [\"secure\"]\nareas = [\"noord\", \"nord\"]\nshare",
        "areas = [",
        "providers.jeugdzorgplus.areas",
    )
    .contains("unknown area `nord`");
}

#[test]
fn providers_overlapping_without_overlap_weight() {
    rejects_edit_at(
        "forms = [\"foster_care\", \"family_home\", \"residential\"]",
        "forms = [\"foster_care\", \"family_home\", \"residential\", \"secure\"]",
        "[providers.jeugdzorgplus]",
        "providers.jeugdzorgplus",
    )
    .contains("jeugdzorgplus, verblijf overlap on `secure`")
    .contains("overlap_weight");
}

#[test]
fn overlap_weights_not_summing_to_one() {
    let text = "extends = \"base.toml\"\n\n\
        [providers.verblijf]\n\
        forms = [\"foster_care\", \"family_home\", \"residential\", \"secure\"]\n\
        overlap_weight = 0.5\n\n\
        [providers.jeugdzorgplus]\n\
        overlap_weight = 0.3\n";
    rejects_override(text, "[providers.jeugdzorgplus]", "providers.jeugdzorgplus")
        .contains("overlap on `secure`")
        .contains("summing to 1");
}

#[test]
fn care_form_and_area_delivered_by_no_provider() {
    rejects_edit_at(
        "forms = [\"foster_care\", \"family_home\", \"residential\"]",
        "forms = [\"foster_care\", \"family_home\"]",
        "[providers.ambulant]",
        "providers",
    )
    .contains("no provider delivers `residential` in area(s) centrum_zuid, duo, nieuw_west, noord");
}

#[test]
fn two_providers_carrying_fixed_costs() {
    rejects_edit_at(
        "share = 0.398\n",
        "share = 0.398\ncarries_fixed_costs = true\n",
        "[providers.ambulant]",
        "providers",
    )
    .contains("2 providers carry the fixed costs")
    .contains("exactly one provider");
}

#[test]
fn unknown_key_in_provider() {
    rejects_edit(
        "solvency_threshold = -7_000_000",
        "solvency_treshold = -7_000_000",
        "providers.ambulant.solvency_treshold",
    )
    .contains("unknown field `solvency_treshold`");
}

// ---------------------------------------------------------------- negative money

#[test]
fn negative_savings_target() {
    rejects_edit_at(
        "form_usage = { ambulant_network = 0.59, ambulant_location = 0.59 }\n",
        "form_usage = { ambulant_network = 0.59, ambulant_location = 0.59 }\nsavings_target = { 2030 = -500_000 }\n",
        "savings_target =",
        "municipalities.diemen.savings_target",
    )
    .contains("found -500000");
}

#[test]
fn negative_trajectory_price() {
    let text = "extends = \"base.toml\"\n\n[regimes]\ntrajectory_price = { secure = -84_000 }\n";
    rejects_override(text, "trajectory_price", "regimes.trajectory_price.secure")
        .contains("non-negative");
}

#[test]
fn negative_region_lumpsum_in_an_override() {
    let text = "extends = \"base.toml\"\n\n[lumpsum]\nregion = { 2028 = -262_600_000, 2029 = 255_400_000 }\n";
    rejects_override(text, "region =", "lumpsum.region").contains("found -262600000");
}

// ---------------------------------------------------------------- indexation

#[test]
fn indexation_path_missing_years() {
    let text = "extends = \"base.toml\"\n\n[indexation]\nbase_year = 2025\n\
        costs = { 2026 = 0.03, 2027 = 0.03 }\nlumpsum = 0.02\n";
    rejects_override(text, "costs =", "indexation.costs").contains("no value for 2028");
}

#[test]
fn indexation_base_year_after_start_year() {
    let text =
        "extends = \"base.toml\"\n\n[indexation]\nbase_year = 2030\ncosts = 0.03\nlumpsum = 0.02\n";
    rejects_override(text, "base_year", "indexation.base_year")
        .contains("lies after the start year 2028");
}

// ---------------------------------------------------------------- contract thresholds

#[test]
fn downward_threshold_zero() {
    rejects_edit(
        "downward_threshold = 0.05 ",
        "downward_threshold = 0 ",
        "contract.downward_threshold",
    )
    .contains("strictly between 0 and 1");
}

#[test]
fn downward_threshold_above_one() {
    rejects_edit(
        "downward_threshold = 0.05 ",
        "downward_threshold = 1.2 ",
        "contract.downward_threshold",
    )
    .contains("found 1.2");
}

#[test]
fn negative_upward_growth_threshold() {
    rejects_edit(
        "upward_growth_threshold = 0.03 ",
        "upward_growth_threshold = -0.1 ",
        "contract.upward_growth_threshold",
    )
    .contains("found -0.1");
}

#[test]
fn shock_above_one() {
    let text = "extends = \"base.toml\"\n\n[contract]\nshocks = { 2031 = 1.5 }\n";
    rejects_override(text, "shocks", "contract.shocks.2031").contains("found 1.5");
}

#[test]
fn shock_year_outside_the_horizon() {
    let text = "extends = \"base.toml\"\n\n[contract]\nshocks = { 2040 = 0.05 }\n";
    rejects_override(text, "shocks", "contract.shocks.2040")
        .contains("shock year `2040` is not a year inside the horizon");
}

#[test]
fn unknown_key_in_contract() {
    rejects_edit(
        "extra_cost_split = \"pro_rata\"",
        "extra_cost_splt = \"pro_rata\"",
        "contract.extra_cost_splt",
    )
    .contains("unknown field `extra_cost_splt`");
}

// ---------------------------------------------------------------- regimes

#[test]
fn expected_vacancy_of_one() {
    rejects_edit(
        "expected_vacancy = { foster_care = 0.12, family_home = 0.12, residential = 0.12, secure = 0.15 }",
        "expected_vacancy = { residential = 1.0 }",
        "regimes.expected_vacancy.residential",
    )
    .contains("[0, 1)");
}

#[test]
fn availability_occupancy_zero() {
    rejects_edit(
        "availability_occupancy = 0.88",
        "availability_occupancy = 0",
        "regimes.availability_occupancy",
    )
    .contains("(0, 1]");
}

// ---------------------------------------------------------------- lumpsum trend and lag

#[test]
fn lumpsum_trend_without_trend() {
    rejects_edit(
        "extend = \"flat\"\n",
        "extend = \"trend\"\n",
        "lumpsum.extend",
    )
    .contains("needs lumpsum.trend");
}

#[test]
fn declaration_lag_with_zero_cv() {
    rejects_edit(
        "mean = 60, cv = 1.5",
        "mean = 60, cv = 0",
        "declaration_lag.delay.cv",
    )
    .contains("coefficient of variation");
}

// ---------------------------------------------------------------- run refuses, a good override passes

#[test]
fn run_rejects_bad_provider_share() {
    let text = edit("share = 0.567", "share = 0.577");
    let case = Case::new(&text);
    case.run()
        .input_error(
            &case.scenario,
            line_of(&text, "[providers.ambulant]"),
            Some("providers"),
        )
        .contains("provider shares sum to");
}

#[test]
fn indexation_override_validates() {
    let case = Case::over_default(
        "extends = \"base.toml\"\n\n[indexation]\nbase_year = 2025\ncosts = 0.03\nlumpsum = 0.02\n",
    );
    case.validate().accepted();
}
