//! `POST /api/required`: the inverse question asked of the what-if on the
//! table — which change of one lever brings P(cost > lumpsum) of a party in
//! a year to a target? The search of `pipeline::required` on the same seed
//! (common random numbers), each evaluation streamed as it is made.

use super::Served;
use super::api::{Failure, body, internal, replications};
use super::stream::{Message, answer, one_line};
use crate::error::InputError;
use crate::metrics::Layout;
use crate::pipeline::Runner;
use crate::pipeline::required::{self, Party, Question, RequiredLever, Settings};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The question, on the what-if of `overrides`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InverseRequest {
    #[serde(default)]
    pub overrides: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub replications: Option<u64>,
    /// `inflow`, `duration`, `tariff`, `exit` or `access`.
    #[serde(default)]
    pub lever: String,
    #[serde(default)]
    pub year: i32,
    /// `region`, `municipality:NAME` or `provider:NAME` (default: region).
    #[serde(default)]
    pub scope: Option<String>,
    /// Target P(cost > lumpsum) (default 0.5).
    #[serde(default)]
    pub target: Option<f64>,
    /// First year of the change (default: the start year).
    #[serde(default)]
    pub from: Option<i32>,
}

fn lever(name: &str) -> Result<RequiredLever, InputError> {
    (RequiredLever::ALL.into_iter())
        .find(|l| l.name() == name)
        .ok_or_else(|| {
            InputError::new(format!("lever {name:?} is not one `required` can move"))
                .field("lever")
                .fix("use inflow, duration, tariff, exit or access")
        })
}

pub async fn required(
    State(s): State<Arc<Served>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: InverseRequest = body(&bytes)?;
    let n = replications(&s, request.replications)?;
    if n < 2 {
        return Err(InputError::new("the search needs at least 2 replications")
            .field("replications")
            .fix("ask for 50 or more (the interval narrows as 1/√R)")
            .into());
    }
    let question = Question {
        lever: lever(&request.lever)?,
        year: request.year,
        from: request.from,
        targets: vec![request.target.unwrap_or(0.5)],
        party: request
            .scope
            .as_deref()
            .unwrap_or("region")
            .parse::<Party>()?,
    };
    let served = s.clone();
    let variant = tokio::task::spawn_blocking(move || served.prepare(&request.overrides))
        .await
        .map_err(internal)??;
    let prepared = variant.as_ref().map_or(&s.runs.base, |(_, p)| p);
    let layout = Layout::new(&prepared.model);
    required::check(&prepared.model, &layout, &question).map_err(as_body_field)?;
    let (cancel, slot) = s.take_slot().await;
    let (sender, receiver) = mpsc::channel::<Message>(8);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let prepared = variant.as_ref().map_or(&s.runs.base, |(_, p)| p);
        let settings = Settings {
            seed: s.runs.seed,
            replications: n,
            runner: Runner {
                threads: s.runs.threads,
                quiet: true,
            },
        };
        let mut tell = |change: f64, p: f64| {
            let step = serde_json::json!({ "change": change, "p_overrun": p });
            let _ = sender.blocking_send(Message::Step("evaluation", one_line(&step)));
        };
        let found = required::required_until(prepared, &question, settings, &mut tell, &cancel);
        let message = match found {
            _ if cancel.load(std::sync::atomic::Ordering::Relaxed) => Message::Cancelled,
            Ok(rows) => Message::Done(one_line(&rows.iter().map(row).collect::<Vec<_>>())),
            Err(e) => Message::Failed(e.into()),
        };
        let _ = sender.blocking_send(message);
    });
    Ok(answer(&headers, receiver).await)
}

/// `required`'s checks name command-line flags (`--year`); here they are
/// fields of the request body (`year`).
fn as_body_field(mut e: InputError) -> InputError {
    let plain = |s: &str| s.replace("--", "");
    e.field = e.field.as_deref().map(plain);
    e.message = plain(&e.message);
    e.fix = e.fix.as_deref().map(plain);
    e
}

/// One answer as JSON (fractions as in required.csv).
fn row(r: &crate::output::required::RequiredRow) -> serde_json::Value {
    serde_json::json!({
        "lever": r.lever,
        "year": r.year,
        "scope": r.scope.name(),
        "name": r.name,
        "target_p_overrun": r.target_p_overrun,
        "change": r.change,
        "change_ci95": [r.change_ci95_low, r.change_ci95_high],
        "p_overrun_confirmed": r.p_overrun_confirmed,
        "from_year": r.from_year,
        "status": r.status,
    })
}
