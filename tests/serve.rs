//! `jeugdstroom serve` through its HTTP API, on the real binary: answers
//! equal to `run` of the same scenario (and of the saved what-if), common
//! random numbers (a lower inflow never raises P(overrun) where the lumpsum
//! is fixed), the loader's located errors as 400 with the server still
//! serving, the Host and cross-origin guards, files outside the scenario's
//! folder refused, and a newer request cancelling the running one.

use crate::util::{binary, path_str, single_form};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use tempfile::TempDir;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: TempDir,
    folder: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `scenario` (written as `s.toml` into a fresh folder, with
/// `files` beside it) on a free port.
fn serve(scenario: &str, files: &[(&str, &str)], args: &[&str]) -> Server {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().canonicalize().unwrap();
    std::fs::write(folder.join("s.toml"), scenario).unwrap();
    for (name, text) in files {
        std::fs::write(folder.join(name), text).unwrap();
    }
    let mut child = std::process::Command::new(binary().get_program())
        .arg("serve")
        .arg(folder.join("s.toml"))
        .args(["--port", "0", "--threads", "2"])
        .args(args)
        .current_dir(&folder)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    if line.is_empty() {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        panic!("serve did not start: {err}");
    }
    let port = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        line.trim(),
        format!("listening on http://127.0.0.1:{port}/")
    );
    Server {
        child,
        port,
        _dir: dir,
        folder,
    }
}

/// An HTTP answer: status and (de-chunked) body.
struct Answer {
    status: u16,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl Server {
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let host = format!("127.0.0.1:{}", self.port);
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {host}\r\n"));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        stream
            .write_all(format!("{head}\r\n{body}").as_bytes())
            .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        parse(&raw)
    }

    fn post(&self, path: &str, body: &str) -> Answer {
        self.request("POST", path, &[("Content-Type", "application/json")], body)
    }

    fn run(&self, body: &str) -> serde_json::Value {
        let answer = self.post("/api/run", body);
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.json()
    }
}

fn parse(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer { status, body }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A single care form whose cost (about €150,000 a year) sits at its fixed
/// lumpsum, so P(overrun) is far from 0 and 1; no downward adjustment.
fn at_the_lumpsum(duration: &str) -> String {
    let text =
        single_form(50.0, duration, "", 6, 1).replace("region = 1_000_000", "region = 150_000");
    format!("{text}[contract]\ndownward_threshold = 0.99\n")
}

const EXPONENTIAL: &str = r#"{ distribution = "exponential", mean = 30 }"#;

/// Region rows of feasibility.csv: (p_overrun, cost_mean_eur) by year.
fn feasibility(dir: &Path) -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string(dir.join("feasibility.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[1] == "region")
        .map(|f| (f[7].parse().unwrap(), f[4].parse().unwrap()))
        .collect()
}

fn region(result: &serde_json::Value) -> &serde_json::Value {
    let parties = result["parties"].as_array().unwrap();
    parties.iter().find(|p| p["kind"] == "region").unwrap()
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// The served answer is the answer of `run` with the same seed and
/// replications: same P(overrun) and mean cost per year.
fn assert_same_as_run(served: &serde_json::Value, scenario: &Path, replications: u64) {
    let out = TempDir::new().unwrap();
    binary()
        .args([
            "run",
            path_str(scenario),
            "--quiet",
            "--replications",
            &replications.to_string(),
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let rows = feasibility(out.path());
    let region = region(served);
    let (p, cost) = (
        numbers(&region["p_overrun"]),
        numbers(&region["cost"]["mean"]),
    );
    assert_eq!(rows.len(), p.len());
    for (y, (p_run, cost_run)) in rows.iter().enumerate() {
        assert!(
            (p[y] - p_run).abs() < 1e-6,
            "year {y}: served P {} vs run {p_run}",
            p[y]
        );
        assert!(
            (cost[y] - cost_run).abs() < 0.01,
            "year {y}: served cost {} vs run {cost_run}",
            cost[y]
        );
    }
}

#[test]
fn the_served_base_and_a_saved_what_if_answer_as_run_does() {
    let server = serve(&at_the_lumpsum(EXPONENTIAL), &[], &[]);
    let base = server.run(r#"{"replications": 40}"#);
    assert_eq!(base["replications"], 40);
    assert_eq!(base["done"], true);
    assert_same_as_run(&base, &server.folder.join("s.toml"), 40);
    let what_if = r#"{"overrides": {"care_forms.bed.tariff": 90, "interventions.whatif_inflow_bed.effect": -0.1, "interventions.whatif_inflow_bed.start": 2030}, "replications": 40, "name": "tafel"}"#;
    let variant = server.run(what_if);
    let saved = server.post("/api/save", what_if);
    assert_eq!(saved.status, 200, "{}", saved.body);
    let path = PathBuf::from(saved.json()["path"].as_str().unwrap());
    assert_eq!(path, server.folder.join("tafel.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("extends = \"s.toml\""), "{text}");
    binary()
        .args(["validate", path_str(&path)])
        .assert()
        .success();
    assert_same_as_run(&variant, &path, 40);
    // Saving under the same name again overwrites nothing.
    assert_eq!(server.post("/api/save", what_if).status, 409);
}

#[test]
fn a_lower_inflow_never_raises_p_overrun_on_common_random_numbers() {
    let server = serve(&at_the_lumpsum(EXPONENTIAL), &[], &[]);
    let base = server.run(r#"{"replications": 60}"#);
    let lower = server.run(r#"{"overrides": {"arrivals.rate_per_1000": 45}, "replications": 60}"#);
    let (b, l) = (region(&base), region(&lower));
    let (p_base, p_lower) = (numbers(&b["p_overrun"]), numbers(&l["p_overrun"]));
    assert!(
        p_base.iter().any(|p| *p > 0.1 && *p < 0.9),
        "the base sits near its lumpsum: {p_base:?}"
    );
    for (y, (pb, pl)) in p_base.iter().zip(&p_lower).enumerate() {
        assert!(
            pl <= pb,
            "year {y}: P {pl} with lower inflow above the base's {pb}"
        );
    }
    // The base inside the variant's answer is the base on the same replications.
    assert_eq!(numbers(&l["base"]["p_overrun"]), p_base);
    let diff = numbers(&l["diff"]["cost_mean"]);
    assert!(
        diff.iter().all(|d| *d < 0.0),
        "paired cost differences {diff:?}"
    );
    // The paired interval of ΔP holds the difference of the two P's.
    let dp = numbers(&l["diff"]["p_overrun"]);
    for (y, d) in dp.iter().enumerate() {
        assert!((d - (p_lower[y] - p_base[y])).abs() < 1e-12);
    }
}

#[test]
fn a_bad_override_gets_the_loaders_located_message_and_the_server_keeps_serving() {
    let server = serve(
        &at_the_lumpsum(EXPONENTIAL),
        &[("stays.csv", "days\n10\n20\n")],
        &["--max-replications", "100"],
    );
    let folder = server.folder.display().to_string();
    let cases = [
        (
            r#"{"overrides": {"care_forms.bed.tariff": "high"}}"#,
            400,
            Some("what-if.toml:1:"),
            "care_forms.bed.tariff",
        ),
        (
            r#"{"overrides": {"care_forms.bed.duration.mean": -3}}"#,
            400,
            Some("what-if.toml:1:"),
            "care_forms.bed.duration.mean",
        ),
        (
            r#"{"overrides": {"care_forms.bed.no_such_key": 3}}"#,
            400,
            None,
            "care_forms.bed.no_such_key",
        ),
        (
            r#"{"overrides": {"care_forms.bed.duration": {"distribution": "empirical", "file": "/etc/hostname"}}}"#,
            400,
            None,
            "care_forms.bed.duration",
        ),
        (
            r#"{"overrides": {"care_forms.bed.duration": {"distribution": "empirical", "file": "../stays.csv"}}}"#,
            400,
            None,
            "care_forms.bed.duration",
        ),
        (r#"{"replications": 101}"#, 400, None, "replications"),
        (r#"{"replications": 0}"#, 400, None, "replications"),
        (r#"{"overrides": 3}"#, 400, Some("request:1:"), ""),
    ];
    for (body, status, location, field) in cases {
        let answer = server.post("/api/run", body);
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        let error = answer.json();
        for key in ["error", "fix", "message"] {
            assert!(
                error[key].as_str().is_some_and(|s| !s.is_empty()),
                "{body}: no {key} in {error}"
            );
        }
        if let Some(at) = location {
            let found = error["location"].as_str().unwrap_or("");
            assert!(
                found.contains(at),
                "{body}: location {found:?}, expected {at}"
            );
            if at.starts_with("what-if") {
                assert!(
                    found.starts_with(&folder),
                    "{body}: the what-if is located in the scenario's folder: {found}"
                );
                assert!(
                    error["message"].as_str().unwrap().contains('^'),
                    "the source line with a caret: {error}"
                );
            }
        }
        if !field.is_empty() {
            assert_eq!(error["field"].as_str(), Some(field), "{body}: {error}");
        }
        // Still serving, and still answering.
        assert_eq!(server.request("GET", "/api/scenario", &[], "").status, 200);
    }
    // A file inside the folder is fine.
    let inside = server.run(r#"{"overrides": {"care_forms.bed.duration": {"distribution": "empirical", "file": "stays.csv"}}, "replications": 5}"#);
    assert_eq!(inside["done"], true);
}

#[test]
fn foreign_hosts_and_cross_origin_writes_are_refused() {
    let server = serve(&at_the_lumpsum(EXPONENTIAL), &[], &[]);
    let json = ("Content-Type", "application/json");
    let foreign = server.request("GET", "/", &[("Host", "attacker.example:8080")], "");
    assert_eq!(foreign.status, 403);
    assert_eq!(
        server
            .request("GET", "/api/scenario", &[("Host", "127.0.0.1:1")], "")
            .status,
        403
    );
    let origin = ("Origin", "http://attacker.example");
    assert_eq!(
        server
            .request("POST", "/api/run", &[json, origin], "{}")
            .status,
        403
    );
    let site = ("Sec-Fetch-Site", "cross-site");
    assert_eq!(
        server
            .request("POST", "/api/save", &[json, site], "{}")
            .status,
        403
    );
    assert_eq!(
        server
            .request("POST", "/api/run", &[("Content-Type", "text/plain")], "{}")
            .status,
        415
    );
    // The page and its own origin are served.
    let page = server.request(
        "GET",
        "/",
        &[("Host", &format!("localhost:{}", server.port))],
        "",
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html"), "{}", page.body);
    let own = format!("http://127.0.0.1:{}", server.port);
    assert_eq!(
        server
            .request(
                "POST",
                "/api/run",
                &[json, ("Origin", &own)],
                r#"{"replications": 2}"#
            )
            .status,
        200
    );
}

#[test]
fn a_newer_request_cancels_the_running_one() {
    let server = serve(crate::util::DEFAULT, &[], &["--replications", "5"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let body = r#"{"replications": 400}"#;
    let head = format!(
        "POST /api/run HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: {}\r\n\r\n{body}",
        server.port,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("event: progress") {
        let n = stream.read(&mut buffer).unwrap();
        assert!(
            n > 0,
            "the stream ended before any progress: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..n]);
    }
    let newer = server.run(r#"{"overrides": {"arrivals.rate_per_1000.mean": 70}}"#);
    assert_eq!(newer["done"], true);
    stream.read_to_end(&mut seen).unwrap();
    let first = dechunk(
        String::from_utf8_lossy(&seen)
            .split_once("\r\n\r\n")
            .unwrap()
            .1,
    );
    assert!(first.contains("event: cancelled"), "{first}");
    assert!(!first.contains("event: done"), "{first}");
}
