//! The what-if page's requests (`serve`): a request body setting every
//! lever of the default scenario, mutated (every value set to hostile
//! numbers, strings and null, every key removed, random bytes). In process,
//! as the server handles a request: the body parsed, the overrides turned
//! into a what-if and loaded, validated and compiled; deep cases also run
//! two replications beside the base. Property: accepted, or refused with a
//! message and a fix (what the page shows next to the levers) — never a
//! panic, a hang or an internal error.

use super::engine::{Case, Target};
use super::oracle::{self, Finding, Verdict};
use super::structured;
use super::targets::RUN_LIMIT;
use jeugdstroom::error::Error;
use jeugdstroom::report::Lang;
use jeugdstroom::serve::levers::Lever;
use jeugdstroom::serve::{Options, Served};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub struct WhatIfTarget {
    served: Arc<Served>,
    seeds: Vec<(String, Vec<u8>)>,
}

/// A lever moved off its base value, within its bounds, as the page sends it.
fn moved(lever: &Lever) -> serde_json::Value {
    match lever.unit {
        "year" | "years" | "places" => ((lever.value + 1.0).min(lever.max) as i64).into(),
        _ if lever.value == 0.0 => 0.01.into(),
        _ => (lever.value * 0.9).into(),
    }
}

impl WhatIfTarget {
    pub fn new() -> Self {
        let options = Options {
            scenario: None,
            bind: std::net::Ipv4Addr::LOCALHOST.into(),
            port: 0,
            lang: Lang::En,
            replications: 2,
            max_replications: 10,
            threads: 1,
        };
        let served = Served::new(&options).unwrap_or_else(|e| panic!("{e}"));
        let overrides: serde_json::Map<String, serde_json::Value> = (served.levers.iter())
            .map(|l| (l.path.clone(), moved(l)))
            .collect();
        let request = serde_json::json!({ "overrides": overrides, "replications": 2 });
        WhatIfTarget {
            served: Arc::new(served),
            seeds: vec![("request.json".into(), request.to_string().into_bytes())],
        }
    }
}

/// How the server treats one request body: parsed, prepared and (deep) run.
fn handle(served: &Served, bytes: &[u8], deep: bool) -> Verdict {
    let Ok(serde_json::Value::Object(request)) = serde_json::from_slice(bytes) else {
        return Verdict::Rejected; // 400 from the body parser
    };
    let Some(serde_json::Value::Object(overrides)) = request.get("overrides") else {
        return Verdict::Rejected;
    };
    let prepared = match served.prepare(overrides) {
        Ok(p) => p,
        Err(e) => return judged(e),
    };
    if !deep {
        return Verdict::Accepted;
    }
    let variant = prepared.as_ref().map(|(_, p)| p);
    match served
        .runs
        .run(variant, 2, &AtomicBool::new(false), &mut |_| true)
    {
        Ok(()) => Verdict::Accepted,
        Err(e) => judged(e),
    }
}

/// A refusal must say what is wrong and how to fix it; an internal error
/// is a finding.
fn judged(e: Error) -> Verdict {
    match e {
        Error::Input(errors) => match errors
            .0
            .iter()
            .find(|e| e.fix.is_none() || e.message.is_empty())
        {
            Some(bare) => Verdict::Finding(Finding::new("no-fix", &bare.to_string())),
            None => Verdict::Rejected,
        },
        Error::Internal(e) => Verdict::Finding(Finding::new("internal", &format!("{e:#}"))),
    }
}

impl Target for WhatIfTarget {
    fn name(&self) -> &'static str {
        "what-if"
    }

    fn seeds(&self) -> &[(String, Vec<u8>)] {
        &self.seeds
    }

    fn structured(&self) -> Vec<Case> {
        structured::json_cases(0, &String::from_utf8_lossy(&self.seeds[0].1))
    }

    fn check(&self, case: &Case, deep: bool) -> Verdict {
        let served = self.served.clone();
        let bytes = case.bytes.clone();
        match oracle::in_process(RUN_LIMIT, move || handle(&served, &bytes, deep)) {
            Ok(verdict) => verdict,
            Err(finding) => Verdict::Finding(finding),
        }
    }
}
