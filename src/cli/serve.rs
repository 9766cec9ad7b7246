//! `serve [SCENARIO]`: the what-if page on http://127.0.0.1:PORT/ (see `serve`).

use super::LangFlag;
use crate::error::Error;
use crate::limits::MAX_REPLICATIONS;
use crate::pipeline::job;
use crate::serve::{self, Options};
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Scenario to serve (the embedded Amsterdam-DUO default when none is given).
    pub scenario: Option<PathBuf>,
    /// Port to listen on (0 picks a free one; the first line printed says which).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address lets other
    /// machines run simulations here: only on a network you trust.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Replications per what-if on the page (a request may ask others).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATIONS))]
    pub replications: u64,
    /// The most replications one request may ask.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATIONS))]
    pub max_replications: u64,
    /// Worker threads of a run (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::limits::MAX_THREADS))]
    pub threads: Option<u64>,
    #[command(flatten)]
    pub lang: LangFlag,
}

pub fn serve(args: ServeArgs) -> Result<(), Error> {
    serve::serve(Options {
        scenario: args.scenario,
        bind: args.bind,
        port: args.port,
        lang: args.lang.lang(),
        replications: args.replications,
        max_replications: args.max_replications,
        threads: job::threads(args.threads),
    })
}
