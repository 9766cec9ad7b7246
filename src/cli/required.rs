//! `required SCENARIO --lever L --year Y --target P …`: the change of one
//! lever that brings P(cost > lumpsum) to a target (see `pipeline::required`).

use super::{RunnerFlags, SimFlags, default_out};
use crate::error::{Error, InputError};
use crate::output::required::{FILE_NAME, RequiredRow};
use crate::pipeline::job::wall_seconds;
use crate::pipeline::required::{self, Party, Question, RequiredLever, Settings};
use crate::pipeline::required_folder::{self, Provenance};
use crate::pipeline::{self, Prepared};
use crate::text::{printable, printable_path};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LeverChoice {
    /// Arrivals × (1 + change)
    Inflow,
    /// Episode length × (1 + change)
    Duration,
    /// Tariffs × (1 + change)
    Tariff,
    /// Transition probabilities × (1 − change), change in [0, 1]
    Exit,
    /// Share `change` of arrivals diverted at the door, in [0, 1]
    Access,
}

#[derive(Debug, clap::Args)]
pub struct RequiredArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    /// The lever to move (on every care form).
    #[arg(long, value_enum)]
    pub lever: LeverChoice,
    /// The year whose P(cost > lumpsum) is to reach the target.
    #[arg(long)]
    pub year: i32,
    /// Target P(cost > lumpsum), strictly between 0 and 1; repeat for several.
    #[arg(long = "target", required = true)]
    pub targets: Vec<f64>,
    /// Whose cost and lumpsum: region, provider:NAME or municipality:NAME.
    #[arg(long, default_value = "region")]
    pub scope: String,
    /// First year of the change (default: the start year).
    #[arg(long)]
    pub from: Option<i32>,
    #[command(flatten)]
    pub sim: SimFlags,
    #[command(flatten)]
    pub runner: RunnerFlags,
    /// Folder for required.csv (default: out/<scenario name>); a finished
    /// run of the same scenario gets required.csv added to it.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl LeverChoice {
    fn lever(self) -> RequiredLever {
        match self {
            LeverChoice::Inflow => RequiredLever::Inflow,
            LeverChoice::Duration => RequiredLever::Duration,
            LeverChoice::Tariff => RequiredLever::Tariff,
            LeverChoice::Exit => RequiredLever::Exit,
            LeverChoice::Access => RequiredLever::Access,
        }
    }
}

pub fn required(args: RequiredArgs) -> Result<(), Error> {
    let started = Instant::now();
    let party: Party = args.scope.parse()?;
    let prepared = pipeline::prepare(args.scenario.as_deref())?;
    let replications = (args.sim.replications).unwrap_or(prepared.default_replications as u64);
    if replications < 2 {
        return Err(InputError::new("`required` needs at least 2 replications")
            .field("--replications")
            .fix("use --replications 100 or more (the interval narrows as 1/√R)")
            .into());
    }
    let question = Question {
        lever: args.lever.lever(),
        year: args.year,
        from: args.from,
        targets: args.targets,
        party,
    };
    let layout = crate::metrics::Layout::new(&prepared.model);
    required::check(&prepared.model, &layout, &question)?;
    let out = default_out(args.out, &prepared.name);
    let folder = required_folder::prepare(&out, &prepared)?;
    let settings = Settings {
        seed: args.sim.seed.unwrap_or(prepared.default_seed),
        replications,
        runner: args.runner.runner(),
    };
    let (rows, runs) = search(&prepared, &question, settings)?;
    let provenance = Provenance {
        prepared: &prepared,
        seed: settings.seed,
        replications,
        threads: settings.runner.threads,
        wall_seconds: wall_seconds(started),
    };
    required_folder::write(&out, folder, &rows, &provenance)?;
    print(
        &mut std::io::stdout().lock(),
        &prepared,
        settings,
        runs,
        &rows,
    )?;
    println!("results: {}", printable_path(&out.join(FILE_NAME)));
    Ok(())
}

/// The search, telling a terminal of each run unless `--quiet`; returns
/// the answers and the number of search runs.
fn search(
    p: &Prepared,
    q: &Question,
    settings: Settings,
) -> Result<(Vec<RequiredRow>, usize), Error> {
    let tell = !settings.runner.quiet && std::io::stderr().is_terminal();
    let mut runs = 0;
    let rows = required::required(p, q, settings, &mut |effect, p_hat| {
        runs += 1;
        if tell {
            eprintln!(
                "  run {runs:>2}: {} {} → P(cost > lumpsum) {:.0} %",
                q.lever.name(),
                percent(effect),
                p_hat * 100.0
            );
        }
    })?;
    Ok((rows, runs))
}

/// A change as a signed percentage with a real minus sign: `−4.1 %`.
pub fn percent(change: f64) -> String {
    let text = format!("{:+.1} %", change * 100.0 + 0.0);
    text.replace('-', "−")
}

fn print(
    out: &mut impl Write,
    prepared: &Prepared,
    settings: Settings,
    runs: usize,
    rows: &[RequiredRow],
) -> std::io::Result<()> {
    writeln!(
        out,
        "jeugdstroom required — {} ({runs} runs of {} replications, seed {}; confirmed on {} fresh ones)",
        printable(&prepared.name),
        settings.replications,
        settings.seed,
        settings.replications
    )?;
    for r in rows {
        writeln!(out, "{}", sentence(r))?;
    }
    Ok(())
}

/// One answer as a sentence, e.g. "inflow −4.1 % from 2028 (95 %: −4.6 …
/// −3.5) brings P(cost > lumpsum) in 2030 to 50 %; confirmed 49 %".
pub fn sentence(r: &RequiredRow) -> String {
    let whose = match r.scope {
        crate::metrics::ScopeKind::Region => String::new(),
        kind => format!(" of {} {}", kind.name(), printable(&r.name)),
    };
    let (target, confirmed) = (r.target_p_overrun * 100.0, r.p_overrun_confirmed * 100.0);
    let number = |x: f64| percent(x).trim_end_matches(" %").to_string();
    match r.status {
        "already_met" => format!(
            "{}: P(cost > lumpsum){whose} in {} is already at most {target:.0} % without it; confirmed {confirmed:.0} %",
            r.lever, r.year
        ),
        "unreachable" => format!(
            "{}: P(cost > lumpsum){whose} in {} does not reach {target:.0} % within the lever's range; at {} from {} it is {confirmed:.0} %",
            r.lever,
            r.year,
            percent(r.change),
            r.from_year
        ),
        _ => format!(
            "{} {} from {} (95 %: {} … {}) brings P(cost > lumpsum){whose} in {} to {target:.0} %; confirmed {confirmed:.0} %",
            r.lever,
            percent(r.change),
            r.from_year,
            number(r.change_ci95_low),
            number(r.change_ci95_high),
            r.year
        ),
    }
}
