//! Loops that would run forever without time passing, refused before any
//! replication starts: a set of care forms whose stays are all 0 days and
//! which clients can never leave (transitions, and an immediate relapse into
//! the form just left); an immediate relapse that is certain; escalations
//! that pass a waiting client round a cycle at once and for sure.

use crate::error::{InputError, InputErrors};
use crate::model::Model;
use crate::scenario::Loaded;

/// Every loop of the compiled model that cannot end.
pub fn check(loaded: &Loaded, model: &Model) -> Result<(), InputErrors> {
    let mut errors = Vec::new();
    errors.extend(zero_day_loop(loaded, model));
    errors.extend(certain_instant_relapse(loaded, model));
    errors.extend(escalation_loop(loaded, model));
    match errors.is_empty() {
        true => Ok(()),
        false => Err(InputErrors(errors)),
    }
}

/// [from][to] probability of moving on in horizon year `y`, with the exit
/// share sent back to the form itself by a relapse of 0 days when `relapse`.
fn moves_in(model: &Model, y: usize, relapse: bool) -> Vec<Vec<f64>> {
    let n = model.forms.len();
    let back = (model.relapse.as_ref())
        .filter(|r| relapse && r.delay.always_zero())
        .map_or(0.0, |r| r.probability);
    let mut p = vec![vec![0.0; n]; n];
    for (i, form) in model.forms.iter().enumerate() {
        let mut before = 0.0;
        for &(to, cumulative) in &form.transitions[y] {
            p[i][to.index()] += cumulative - before;
            before = cumulative;
        }
        p[i][i] += back * (1.0 - before).max(0.0);
    }
    p
}

/// The largest set of 0-day forms that keeps every client inside it.
fn closed_zero_set(model: &Model, p: &[Vec<f64>]) -> Vec<usize> {
    let mut inside: Vec<bool> = model
        .forms
        .iter()
        .map(|f| f.duration.always_zero())
        .collect();
    loop {
        let leaks = (0..inside.len()).find(|&i| {
            let stays: f64 = (0..inside.len())
                .filter(|&j| inside[j])
                .map(|j| p[i][j])
                .sum();
            inside[i] && stays < 1.0 - 1e-9
        });
        match leaks {
            Some(i) => inside[i] = false,
            None => return (0..inside.len()).filter(|&i| inside[i]).collect(),
        }
    }
}

fn names(model: &Model, forms: &[usize]) -> String {
    let quoted: Vec<String> = forms
        .iter()
        .map(|&i| format!("`{}`", model.forms[i].name))
        .collect();
    quoted.join(", ")
}

fn zero_day_loop(loaded: &Loaded, model: &Model) -> Option<InputError> {
    for y in 0..model.years {
        let year = model.start_year + y as i32;
        let set = closed_zero_set(model, &moves_in(model, y, false));
        if let Some(&first) = set.first() {
            let message = format!(
                "care forms {} have stays of 0 days and pass every client on among themselves in {year}: the loop never ends and no time passes",
                names(model, &set)
            );
            let path = [
                "care_forms",
                model.forms[first].name.as_str(),
                "transitions",
            ];
            return Some(loaded.sources.error(&path, message).fix(
                "give a form on the loop a positive duration, or let clients leave it (transition probabilities summing below 1)",
            ));
        }
        let set = closed_zero_set(model, &moves_in(model, y, true));
        if !set.is_empty() {
            let message = format!(
                "care forms {} have stays of 0 days and a relapse of 0 days returns every client who leaves them in {year}: the loop never ends and no time passes",
                names(model, &set)
            );
            return Some(loaded.sources.error(&["relapse", "delay"], message).fix(
                "give the relapse a positive delay (or a probability below 1), or the forms a positive duration",
            ));
        }
    }
    None
}

/// A relapse that is certain and immediate: no client ever leaves care.
fn certain_instant_relapse(loaded: &Loaded, model: &Model) -> Option<InputError> {
    let rule = model.relapse.as_ref()?;
    (rule.probability >= 1.0 && rule.delay.always_zero()).then(|| {
        let message = "a relapse with probability 1 and a delay of 0 days returns every discharged client at once: nobody ever leaves care";
        loaded.sources.error(&["relapse", "probability"], message).fix(
            "use a probability below 1, or a delay of days to years (e.g. uniform 30–730)",
        )
    })
}

/// Escalations that are certain and immediate and lead back to where they began.
fn escalation_loop(loaded: &Loaded, model: &Model) -> Option<InputError> {
    let next = |i: usize| {
        let rule = model.forms[i].escalation.as_ref()?;
        (rule.probability >= 1.0 && rule.delay.always_zero()).then(|| rule.to.index())
    };
    for start in 0..model.forms.len() {
        let mut chain = vec![start];
        let mut here = start;
        while let Some(to) = next(here) {
            if to == start {
                let message = format!(
                    "care forms {} escalate a waiting client round a loop at once and for sure: when they are full it never ends",
                    names(model, &chain)
                );
                let path = ["care_forms", model.forms[start].name.as_str(), "escalation"];
                return Some(loaded.sources.error(&path, message).fix(
                    "give an escalation on the loop a positive delay or a probability below 1",
                ));
            }
            if chain.contains(&to) {
                break;
            }
            chain.push(to);
            here = to;
        }
    }
    None
}
