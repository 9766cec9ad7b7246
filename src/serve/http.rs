//! The HTTP side: routes, the guards (Host, cross-origin writes, JSON
//! bodies), server-sent events, and errors as JSON with the loader's
//! located message.

use super::Served;
use super::api::{Failure, body, internal, replications};
use super::runs::Event;
use crate::error::{Error, InputError, InputErrors};
use crate::limits::MAX_REQUEST_BYTES;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The page: one file, every script and style inline.
const PAGE: &str = include_str!("page.html");

type Shared = Arc<Served>;

/// Binds, says where, and serves until Ctrl-C or SIGTERM.
pub async fn serve(served: Shared, address: SocketAddr) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        InputErrors(vec![
            InputError::new(format!("cannot listen on {address}: {e}"))
                .field("--port")
                .fix("choose another --port (0 picks a free one)"),
        ])
    })?;
    let bound = listener.local_addr().map_err(anyhow::Error::from)?;
    let hosts = Arc::new(allowed_hosts(bound));
    let app = Router::new()
        .route("/", get(page))
        .route("/api/scenario", get(scenario))
        .route("/api/run", post(run))
        .route("/api/toml", post(toml_text))
        .route("/api/save", post(super::files::save))
        .route("/api/export", post(super::files::export))
        .layer(middleware::from_fn_with_state(hosts, guard))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(served);
    println!("listening on http://{}/", host_of(bound));
    use std::io::Write;
    let _ = std::io::stdout().flush();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// `127.0.0.1:8080` (IPv6 in brackets).
fn host_of(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(a) => format!("{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// The `Host` values a request may carry: the bound address, and
/// `localhost` when bound to a loopback address. Anything else is a
/// foreign name pointing at us (DNS rebinding) and gets 403.
pub fn allowed_hosts(bound: SocketAddr) -> Vec<String> {
    let mut hosts = vec![host_of(bound)];
    if bound.ip().is_loopback() {
        hosts.push(format!("localhost:{}", bound.port()));
    }
    hosts
}

/// Refuses foreign hosts (403), cross-origin writes (403) and writes that
/// are not JSON (415: a form post from another site cannot be JSON without
/// a preflight, which we never grant).
async fn guard(State(hosts): State<Arc<Vec<String>>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Failure::new(
            StatusCode::FORBIDDEN,
            format!("Host {host:?} is not this server"),
            format!("open http://{}/", hosts[0]),
        )
        .into_response();
    }
    let writes = request.method() != Method::GET && request.method() != Method::HEAD;
    if let Some(refusal) = cross_origin(headers, &hosts).filter(|_| writes) {
        return refusal.into_response();
    }
    next.run(request).await
}

fn cross_origin(headers: &HeaderMap, hosts: &[String]) -> Option<Failure> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text(header::ORIGIN) {
        let same = hosts
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
        if !same {
            return Some(Failure::new(
                StatusCode::FORBIDDEN,
                format!("cross-origin write from {origin:?}"),
                "use the page this server serves, or a client that sends no foreign Origin",
            ));
        }
    }
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(site) = site.filter(|s| *s != "same-origin" && *s != "none") {
        return Some(Failure::new(
            StatusCode::FORBIDDEN,
            format!("cross-site write (Sec-Fetch-Site: {site})"),
            "use the page this server serves",
        ));
    }
    let json = text(header::CONTENT_TYPE).is_some_and(|t| {
        t.trim()
            .to_ascii_lowercase()
            .starts_with("application/json")
    });
    if !json {
        return Some(Failure::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON",
            "send Content-Type: application/json",
        ));
    }
    None
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(PAGE),
    )
        .into_response()
}

#[derive(Serialize)]
struct ScenarioBody<'a> {
    name: &'a str,
    description: &'a str,
    lang: &'static str,
    years: &'a [i32],
    seed: u64,
    replications: Counts,
    has_plan: bool,
    parties: &'a [super::summary::Party],
    groups: Vec<Group>,
    levers: &'a [super::levers::Lever],
}

#[derive(Serialize)]
struct Counts {
    default: u64,
    max: u64,
}

#[derive(Serialize)]
struct Group {
    id: &'static str,
    label: &'static str,
}

async fn scenario(State(s): State<Shared>) -> Response {
    let nl = s.lang == crate::report::Lang::Nl;
    let groups = super::levers::GROUPS
        .iter()
        .filter(|(id, _, _)| s.levers.iter().any(|l| l.group == *id))
        .map(|(id, l_nl, l_en)| Group {
            id,
            label: if nl { l_nl } else { l_en },
        })
        .collect();
    axum::Json(ScenarioBody {
        name: &s.name,
        description: &s.description,
        lang: if nl { "nl" } else { "en" },
        years: &s.runs.years,
        seed: s.runs.seed,
        replications: Counts {
            default: s.replications,
            max: s.max_replications,
        },
        has_plan: s.runs.base.without_plan.is_some(),
        parties: &s.runs.parties,
        groups,
        levers: &s.levers,
    })
    .into_response()
}

async fn toml_text(State(s): State<Shared>, bytes: Bytes) -> Result<Response, Failure> {
    let request = body(&bytes)?;
    let text = tokio::task::spawn_blocking(move || super::files::saved_text(&s, &request))
        .await
        .map_err(internal)??;
    Ok(axum::Json(serde_json::json!({ "text": text })).into_response())
}

/// What a run sends on: an event of the run, or its failure.
enum Message {
    Event(Event),
    Failed(Failure),
}

async fn run(
    State(s): State<Shared>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request = body(&bytes)?;
    let n = replications(&s, request.replications)?;
    let served = s.clone();
    let variant = tokio::task::spawn_blocking(move || served.prepare(&request.overrides))
        .await
        .map_err(internal)??;
    let cancel = s.runs.supersede();
    let slot = s.slot.clone().lock_owned().await;
    let (sender, mut receiver) = mpsc::channel::<Message>(8);
    let served = s.clone();
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let variant = variant.as_ref().map(|(_, p)| p);
        let mut emit = |e: Event| sender.blocking_send(Message::Event(e)).is_ok();
        if let Err(e) = served.runs.run(variant, n, &cancel, &mut emit) {
            let _ = sender.blocking_send(Message::Failed(e.into()));
        }
    });
    let streaming = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    if streaming {
        let stream = futures_util::stream::unfold(receiver, |mut r| async move {
            let message = r.recv().await?;
            Some((Ok::<_, std::convert::Infallible>(sse_event(message)), r))
        });
        return Ok(Sse::new(stream)
            .keep_alive(KeepAlive::default())
            .into_response());
    }
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Event(Event::Progress(_)) => continue,
            Message::Event(Event::Done(result)) => return Ok(axum::Json(result).into_response()),
            Message::Event(Event::Cancelled) => break,
            Message::Failed(f) => return Err(f),
        }
    }
    Err(Failure::new(
        StatusCode::CONFLICT,
        "cancelled by a newer request",
        "send one request at a time, or wait for the answer before the next",
    ))
}

fn sse_event(message: Message) -> axum::response::sse::Event {
    use axum::response::sse::Event as Sse;
    match message {
        Message::Event(Event::Progress(r)) => Sse::default().event("progress").data(one_line(&r)),
        Message::Event(Event::Done(r)) => Sse::default().event("done").data(one_line(&r)),
        Message::Event(Event::Cancelled) => Sse::default()
            .event("cancelled")
            .data(r#"{"error":"cancelled by a newer request"}"#),
        Message::Failed(f) => Sse::default().event("error").data(one_line(&f.1)),
    }
}

/// One line of JSON (an SSE data line must not hold a newline).
fn one_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
