//! How a simulation's messages reach the client: server-sent events as
//! they come (`progress`, `evaluation`, then `done`, `cancelled` or
//! `error`), or only the final answer as JSON.

use super::api::Failure;
use super::runs::Event;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::mpsc;

/// What a simulation sends on: a step (`progress` of a run, `evaluation`
/// of a search) as one line of JSON, the answer, or how it ended otherwise.
pub enum Message {
    Step(&'static str, String),
    Done(String),
    Cancelled,
    Failed(Failure),
}

impl Message {
    /// A run's event as a message.
    pub fn of(event: Event) -> Message {
        match event {
            Event::Progress(r) => Message::Step("progress", one_line(&r)),
            Event::Done(r) => Message::Done(one_line(&r)),
            Event::Cancelled => Message::Cancelled,
        }
    }
}

/// The messages as server-sent events when the client accepts them, else
/// the final answer as JSON (409 when a newer request cancelled it).
pub async fn answer(headers: &HeaderMap, mut receiver: mpsc::Receiver<Message>) -> Response {
    let streaming = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    if streaming {
        let stream = futures_util::stream::unfold(receiver, |mut r| async move {
            let message = r.recv().await?;
            Some((Ok::<_, std::convert::Infallible>(sse_event(message)), r))
        });
        return Sse::new(stream)
            .keep_alive(KeepAlive::default())
            .into_response();
    }
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Step(..) => continue,
            Message::Done(json) => {
                return ([(header::CONTENT_TYPE, "application/json")], json).into_response();
            }
            Message::Cancelled => break,
            Message::Failed(f) => return f.into_response(),
        }
    }
    Failure::new(
        StatusCode::CONFLICT,
        "cancelled by a newer request",
        "send one request at a time, or wait for the answer before the next",
    )
    .into_response()
}

fn sse_event(message: Message) -> axum::response::sse::Event {
    use axum::response::sse::Event as Sse;
    match message {
        Message::Step(name, json) => Sse::default().event(name).data(json),
        Message::Done(json) => Sse::default().event("done").data(json),
        Message::Cancelled => Sse::default()
            .event("cancelled")
            .data(r#"{"error":"cancelled by a newer request"}"#),
        Message::Failed(f) => Sse::default().event("error").data(one_line(&f.1)),
    }
}

/// One line of JSON (an SSE data line must not hold a newline).
pub fn one_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
