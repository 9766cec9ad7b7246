//! The guards every request passes: its `Host` must name this server (a
//! foreign name pointing at it is DNS rebinding: 403), and a write must come
//! from the page's own origin (403 otherwise) as JSON (415: a form another
//! site posts cannot be JSON without a preflight, which is never granted).

use super::api::Failure;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// `127.0.0.1:8080` (IPv6 in brackets).
pub fn host_of(address: SocketAddr) -> String {
    match address {
        SocketAddr::V4(a) => format!("{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
    }
}

/// The `Host` values a request may carry.
pub struct Hosts {
    /// The bound `address:port`, and `localhost:port` on loopback.
    names: Vec<String>,
    /// Bound to every interface (`--bind 0.0.0.0`): any IP literal with this
    /// port is this machine as some client reaches it. A DNS name is not:
    /// rebinding needs one.
    any_ip_port: Option<u16>,
}

impl Hosts {
    pub fn of(bound: SocketAddr) -> Hosts {
        let mut names = vec![host_of(bound)];
        if bound.ip().is_loopback() {
            names.push(format!("localhost:{}", bound.port()));
        }
        let any_ip_port = bound.ip().is_unspecified().then_some(bound.port());
        Hosts { names, any_ip_port }
    }

    pub fn allows(&self, host: &str) -> bool {
        self.names.iter().any(|h| h.eq_ignore_ascii_case(host))
            || self
                .any_ip_port
                .is_some_and(|port| host.parse::<SocketAddr>().is_ok_and(|a| a.port() == port))
    }
}

/// Refuses foreign hosts, cross-origin writes and writes that are not JSON.
pub async fn guard(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !hosts.allows(host) {
        return Failure::new(
            StatusCode::FORBIDDEN,
            format!("Host {host:?} is not this server"),
            format!("open http://{}/", hosts.names[0]),
        )
        .into_response();
    }
    let writes = request.method() != Method::GET && request.method() != Method::HEAD;
    if let Some(refusal) = cross_origin(headers, &hosts).filter(|_| writes) {
        return refusal.into_response();
    }
    next.run(request).await
}

fn cross_origin(headers: &HeaderMap, hosts: &Hosts) -> Option<Failure> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text(header::ORIGIN) {
        let same = origin
            .strip_prefix("http://")
            .is_some_and(|host| hosts.allows(host));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_this_server_pass_and_foreign_names_do_not() {
        let loopback = Hosts::of("127.0.0.1:8080".parse().unwrap());
        for ok in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080"] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "",
            "192.168.1.5:8080",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        // Bound to every interface: an IP literal with the port is this
        // machine as a client reaches it; a DNS name still is not.
        let every = Hosts::of("0.0.0.0:9000".parse().unwrap());
        assert!(every.allows("192.168.1.5:9000") && every.allows("[::1]:9000"));
        assert!(!every.allows("rebind.attacker.example:9000") && !every.allows("192.168.1.5:80"));
    }
}
