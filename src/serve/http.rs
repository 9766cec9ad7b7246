//! The HTTP side: routes, the guards (Host, cross-origin writes, JSON
//! bodies), server-sent events, and errors as JSON with the loader's
//! located message.

use super::Served;
use super::api::{ApiRequest, Failure, body, internal, replications};
use super::guard::{Hosts, guard, host_of};
use super::runs::Event;
use super::stream::{Message, answer};
use crate::error::{Error, InputError, InputErrors};
use crate::limits::MAX_REQUEST_BYTES;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The page: one response, every style and script inline (no request
/// leaves for anything), kept as one file per concern in `page/`.
const PAGE: &str = concat!(
    include_str!("page/head.html"),
    include_str!("page/style.css"),
    include_str!("page/body.html"),
    include_str!("page/texts.js"),
    include_str!("page/levers.js"),
    include_str!("page/run.js"),
    include_str!("page/render.js"),
    include_str!("page/required.js"),
    include_str!("page/files.js"),
    include_str!("page/start.js"),
    include_str!("page/tail.html"),
);

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
    let hosts = Arc::new(Hosts::of(bound));
    let app = Router::new()
        .route("/", get(page))
        .route("/api/scenario", get(scenario))
        .route("/api/run", post(run))
        .route("/api/toml", post(toml_text))
        .route("/api/save", post(super::files::save))
        .route("/api/export", post(super::files::export))
        .route("/api/required", post(super::inverse::required))
        .layer(middleware::from_fn_with_state(hosts, guard))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(served.clone());
    println!("listening on http://{}/", host_of(bound));
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tokio::spawn(warm_up(served.clone()));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown(served))
        .await
        .map_err(anyhow::Error::from)?;
    Ok(())
}

/// Computes the base's replications while nobody asks anything, so the
/// page's first answer is mostly known; any request cancels it (what is
/// finished stays in the cache).
async fn warm_up(s: Shared) {
    // Never in the way of a request that came first.
    let Some(cancel) = s.runs.claim_if_idle() else {
        return;
    };
    let Ok(slot) = s.slot.clone().try_lock_owned() else {
        return;
    };
    let _ = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let _ = s.runs.run(None, s.replications, &cancel, &mut |_| true);
    })
    .await;
}

/// Waits for Ctrl-C or SIGTERM, then stops the running simulation so its
/// stream ends and the server can close.
async fn shutdown(s: Shared) {
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
    s.runs.supersede();
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
    let request: ApiRequest = body(&bytes)?;
    let text = tokio::task::spawn_blocking(move || super::files::saved_text(&s, &request))
        .await
        .map_err(internal)??;
    Ok(axum::Json(serde_json::json!({ "text": text })).into_response())
}

async fn run(
    State(s): State<Shared>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: ApiRequest = body(&bytes)?;
    let n = replications(&s, request.replications)?;
    let served = s.clone();
    let variant = tokio::task::spawn_blocking(move || served.prepare(&request.overrides))
        .await
        .map_err(internal)??;
    let (cancel, slot) = s.take_slot().await;
    let (sender, receiver) = mpsc::channel::<Message>(8);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let variant = variant.as_ref().map(|(_, p)| p);
        let mut emit = |e: Event| sender.blocking_send(Message::of(e)).is_ok();
        if let Err(e) = s.runs.run(variant, n, &cancel, &mut emit) {
            let _ = sender.blocking_send(Message::Failed(e.into()));
        }
    });
    Ok(answer(&headers, receiver).await)
}
