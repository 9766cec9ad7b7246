//! Nothing runs forever: loops without time passing are refused before the
//! run (located in the scenario), every replication has a hard event budget
//! (exit 2 naming the form), and the flags are capped like the file.

use crate::util::*;
use jeugdstroom::pipeline;
use jeugdstroom::scenario;
use jeugdstroom::sim::Simulation;
use std::path::Path;

/// Three forms: `a` (entry) and `c` with `a_days`/`c_days` stays, `b` a
/// positive form; `extra` is appended (transitions, relapse, …).
fn three_forms(a: &str, b: &str, c: &str, extra: &str) -> String {
    let form = |name: &str, body: &str| {
        format!(
            "[care_forms.{name}]\nkind = \"residential\"\ntariff = 100\n\
             age = [ {{ from = 0, to = 10, weight = 1 }} ]\n{body}\n"
        )
    };
    format!(
        "name = \"loops\"\n[horizon]\nstart_year = 2028\nyears = 3\n\
         [municipalities.town]\n[areas.centre]\nyouth = {{ town = 1000 }}\n\
         [arrivals]\npopulation_year = 2028\nrate_per_1000 = 50\nentry = {{ a = 1.0 }}\n\
         priority = {{ regular = 1.0 }}\n[lumpsum]\nregion = 1_000_000\n{}{}{}{extra}",
        form("a", a),
        form("b", b),
        form("c", c)
    )
}

const ZERO: &str = "duration = { distribution = \"fixed\", days = 0 }";
const MONTH: &str = "duration = { distribution = \"fixed\", days = 30 }";

#[test]
fn transition_cycle_through_zero_day_stays_hung() {
    let text = three_forms(
        &format!("{ZERO}\ntransitions = {{ c = 1.0 }}"),
        MONTH,
        &format!("{ZERO}\ntransitions = {{ a = 1.0 }}"),
        "",
    );
    let case = Case::new(&text);
    case.run()
        .input_error(
            &case.scenario,
            line_of(&text, "transitions = { c = 1.0 }"),
            Some("care_forms.a.transitions"),
        )
        .contains("stays of 0 days");
}

#[test]
fn zero_day_cycle_of_empirical_stays_hung() {
    let text = three_forms(
        "duration = { distribution = \"empirical\", file = \"zeros.csv\" }\ntransitions = { a = 0.5, c = 0.5 }",
        MONTH,
        &format!("{ZERO}\ntransitions = {{ a = 1.0 }}"),
        "",
    );
    let case = Case::new(&text);
    case.file("zeros.csv", "days\n0\n0\n");
    case.validate()
        .input_error(
            &case.scenario,
            line_of(&text, "transitions = { a = 0.5"),
            Some("care_forms.a.transitions"),
        )
        .contains("`a`, `c`");
}

#[test]
fn a_loop_clients_can_leave_is_accepted() {
    let text = three_forms(
        &format!("{ZERO}\ntransitions = {{ c = 1.0 }}"),
        MONTH,
        &format!("{ZERO}\ntransitions = {{ a = 0.9 }}"),
        "",
    );
    let case = Case::new(&text);
    assert_eq!(case.validate().code, Some(0), "{}", case.validate().stderr);
}

#[test]
fn relapse_with_probability_one_and_zero_delay_hung() {
    let text = three_forms(
        MONTH,
        MONTH,
        MONTH,
        "[relapse]\nprobability = 1.0\ndelay = { distribution = \"fixed\", days = 0 }\n",
    );
    let case = Case::new(&text);
    case.run()
        .input_error(
            &case.scenario,
            line_of(&text, "probability = 1.0"),
            Some("relapse.probability"),
        )
        .contains("nobody ever leaves care");
}

#[test]
fn zero_day_relapse_into_a_zero_day_form_hung() {
    let text = three_forms(
        ZERO,
        MONTH,
        MONTH,
        "[relapse]\nprobability = 0.5\ndelay = { distribution = \"uniform\", min = 0, max = 0 }\n",
    );
    // Half of the leavers come back at once: the loop ends. With probability 1 it would not.
    assert_eq!(Case::new(&text).validate().code, Some(0));
    let text = text.replace("probability = 0.5", "probability = 1");
    let case = Case::new(&text);
    case.validate()
        .input_error(
            &case.scenario,
            line_of(&text, "delay = { distribution = \"uniform\""),
            Some("relapse.delay"),
        )
        .contains("relapse of 0 days");
}

#[test]
fn certain_immediate_escalation_cycle_hung() {
    let wait = "capacity = { scope = \"region\", places = 0 }\noverflow = { policy = \"wait\" }";
    let escalate = |to: &str| {
        format!(
            "{MONTH}\n{wait}\nescalation = {{ to = \"{to}\", probability = 1.0, delay = {{ distribution = \"fixed\", days = 0 }} }}"
        )
    };
    let text = three_forms(&escalate("b"), &escalate("a"), MONTH, "");
    let case = Case::new(&text);
    case.validate()
        .input_error(
            &case.scenario,
            line_of(&text, "escalation = { to = \"b\""),
            Some("care_forms.a.escalation"),
        )
        .contains("escalate a waiting client round a loop");
}

/// A loop the file cannot show (a full form substituted by a 0-day form
/// that leads back) is stopped by the event budget: exit 2, naming a form
/// of the loop, nothing written.
#[test]
fn loop_through_a_full_form_stops_at_the_event_budget() {
    let text = three_forms(
        &format!("{ZERO}\ntransitions = {{ b = 1.0 }}"),
        &format!(
            "{MONTH}\ncapacity = {{ scope = \"region\", places = 0 }}\n\
                  overflow = {{ policy = \"substitute\", to = \"c\" }}\nwhen_full_on_transfer = \"overflow\""
        ),
        &format!("{ZERO}\ntransitions = {{ a = 1.0 }}"),
        "",
    );
    let case = Case::new(&text);
    let out = case.run();
    out.rejected()
        .contains("event budget")
        .contains("the clock stood still");
    assert!(
        out.stderr.contains("field: care_forms.a") || out.stderr.contains("field: care_forms.c"),
        "{}",
        out.stderr
    );
    let leftovers: Vec<_> = std::fs::read_dir(case.dir.path().join("out"))
        .unwrap()
        .collect();
    assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
}

#[test]
fn event_budget_returns_an_error_from_the_replication_not_a_panic() {
    let loaded = scenario::load_str("t.toml", DEFAULT, Path::new(".")).unwrap();
    let mut model = pipeline::prepare_loaded(loaded).unwrap().model;
    model.event_budget = 1_000;
    let mut sim = Simulation::new(&model);
    let Err(overrun) = sim.run(1, 0) else {
        panic!("a budget of 1,000 events stops the default")
    };
    assert_eq!((overrun.replication, overrun.budget), (0, 1_000));
    assert!(overrun.form.is_some() && overrun.moved_days > 0.0);
    let error = overrun.to_input_error();
    assert!(error.field.unwrap().starts_with("care_forms."));
}

/// The budget never touches a valid run: every shipped scenario stays far
/// below it (and the result hashes of valid runs are unchanged).
#[test]
fn event_budget_is_far_above_every_shipped_scenario() {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")).unwrap()
    {
        let path = entry.unwrap().path();
        let model = pipeline::prepare(Some(&path)).unwrap().model;
        let mut sim = Simulation::new(&model);
        let events = (0..2)
            .map(|r| sim.run(7, r).unwrap().exposure.events)
            .max()
            .unwrap();
        assert!(
            events * 20 < model.event_budget,
            "{}: {events} events against a budget of {}",
            path.display(),
            model.event_budget
        );
    }
}

#[test]
fn replications_flag_of_10_to_the_12_ran_forever() {
    for command in ["run", "capacity", "compare", "sweep", "backtest"] {
        let out = jeugdstroom(&[command, "x.toml", "--replications", "1000000000000"]);
        out.rejected()
            .contains("--replications")
            .contains("1000000");
    }
    let out = jeugdstroom(&["run", "--threads", "5000"]);
    out.rejected().contains("--threads").contains("1024");
    let out = jeugdstroom(&["run", "--shard", "1/18446744073709551615"]);
    out.rejected().contains("--shard").contains("100000");
}

#[test]
fn replications_in_the_scenario_are_capped_like_the_flag() {
    rejects_edit(
        "replications = 500",
        "replications = 2000000",
        "simulation.replications",
    )
    .contains("1000000");
}
