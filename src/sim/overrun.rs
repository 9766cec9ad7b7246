//! A replication that exceeds its event budget (see `model::budget`): the
//! run stops and names the care form that produced most of the events just
//! before, and whether the clock still moved (a loop of 0-day stays if not).

use super::{Event, Simulation};
use crate::calendar::DAYS_PER_YEAR;
use crate::error::InputError;
use std::fmt;

/// Events looked at after the budget is spent, to find the culprit.
const SAMPLE: u64 = 100_000;

/// Why and where a replication was stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct Overrun {
    pub replication: u64,
    pub budget: u64,
    /// Simulation day and calendar year when the budget ran out.
    pub day: f64,
    pub year: i32,
    /// The form with the most events in the sample, its share and their kind.
    pub form: Option<String>,
    pub share: f64,
    pub kind: &'static str,
    /// Days the clock moved during the sample.
    pub moved_days: f64,
}

impl Overrun {
    /// The user's input: exit 2, naming the form to look at.
    pub fn to_input_error(&self) -> InputError {
        let Overrun {
            replication,
            budget,
            day,
            year,
            ..
        } = self;
        let clock = if self.moved_days < 1e-6 {
            "the clock stood still: a loop of stays of 0 days".to_string()
        } else {
            format!("the clock moved {:.3} days", self.moved_days)
        };
        let culprit = self.form.as_ref().map_or(String::new(), |f| {
            let pct = 100.0 * self.share;
            format!(
                " Care form `{f}` had {pct:.0} % of the next {SAMPLE} events ({}), and {clock}.",
                self.kind
            )
        });
        let error = InputError::new(format!(
            "replication {replication} exceeded its event budget of {budget} events at day {day:.1} ({year}).{culprit}"
        ));
        let error = match &self.form {
            Some(f) => error.field(format!("care_forms.{f}")),
            None => error,
        };
        error.fix("look for stays of (nearly) 0 days in a loop of transitions, relapses or escalations through this form; the budget is a generous multiple of the events the scenario's arrivals and stays predict (reference, Limits)")
    }
}

impl fmt::Display for Overrun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_input_error())
    }
}

impl std::error::Error for Overrun {}

impl Simulation<'_> {
    /// The form an event concerns, if any.
    fn form_of(&self, event: &Event) -> Option<usize> {
        match *event {
            Event::Arrival { stream } => Some(self.model.streams[stream as usize].form.index()),
            Event::EpisodeEnd { client, .. }
            | Event::AgeCheck { client, .. }
            | Event::Renege { client, .. }
            | Event::Relapse { client, .. }
            | Event::Escalate { client, .. } => Some(self.clients[client as usize].form.index()),
            Event::CapacityLoss { .. } | Event::YearEnd => None,
        }
    }

    /// Runs up to `SAMPLE` more events, counting them per form and kind,
    /// and describes the overrun that stopped replication `replication`.
    pub(super) fn overrun(&mut self, replication: u64, first: Event, t: f64) -> Overrun {
        let forms = self.model.forms.len();
        let mut counts = vec![[0u64; 8]; forms];
        let (mut event, mut last) = (first, t);
        for _ in 0..SAMPLE {
            if let Some(f) = self.form_of(&event) {
                counts[f][kind_index(&event)] += 1;
            }
            if self.handle(event, last) {
                break;
            }
            let Some(next) = self.queue.pop() else { break };
            (event, last) = (next.event, next.time);
        }
        let busiest = (0..forms).max_by_key(|&f| counts[f].iter().sum::<u64>());
        let total: u64 = counts.iter().flatten().sum();
        let (form, share, kind) = match busiest {
            Some(f) if total > 0 => {
                let k = (0..8).max_by_key(|&k| counts[f][k]).unwrap_or(0);
                let n: u64 = counts[f].iter().sum();
                (
                    Some(self.model.forms[f].name.clone()),
                    n as f64 / total as f64,
                    KINDS[k],
                )
            }
            _ => (None, 0.0, ""),
        };
        Overrun {
            replication,
            budget: self.model.event_budget,
            day: t,
            year: self.model.start_year + (t / DAYS_PER_YEAR).floor() as i32,
            form,
            share,
            kind,
            moved_days: last - t,
        }
    }
}

const KINDS: [&str; 8] = [
    "arrivals",
    "episode ends",
    "age checks",
    "clients giving up waiting",
    "relapses",
    "escalations",
    "capacity losses",
    "year ends",
];

/// Position of an event's kind in `KINDS`.
fn kind_index(event: &Event) -> usize {
    match event {
        Event::Arrival { .. } => 0,
        Event::EpisodeEnd { .. } => 1,
        Event::AgeCheck { .. } => 2,
        Event::Renege { .. } => 3,
        Event::Relapse { .. } => 4,
        Event::Escalate { .. } => 5,
        Event::CapacityLoss { .. } => 6,
        Event::YearEnd => 7,
    }
}
