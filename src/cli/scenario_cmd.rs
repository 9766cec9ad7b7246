//! `validate`, `scenario default` and `scenario schema`.

use crate::error::Error;
use crate::pipeline;
use crate::scenario::{DEFAULT_SCENARIO, schema::Scenario};
use crate::text::printable;
use std::path::Path;

pub fn validate(path: &Path) -> Result<(), Error> {
    let prepared = pipeline::prepare(Some(path))?;
    let m = &prepared.model;
    println!(
        "ok: {} — {} municipalities, {} areas, {} care forms, {} capacity pools, {}–{}",
        printable(&prepared.name),
        m.municipalities.len(),
        m.areas.len(),
        m.forms.len(),
        m.pools.len(),
        m.start_year,
        m.start_year + m.years as i32 - 1
    );
    if let Some(u) = &prepared.uncertainty {
        println!(
            "{} uncertain parameters, each drawn once per replication: {}",
            u.parameters.len(),
            printable(&u.names().join(", "))
        );
    }
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
pub enum ScenarioCommand {
    /// Print the embedded default scenario (TOML).
    Default,
    /// Print a JSON Schema of the scenario format.
    Schema,
}

pub fn print(what: ScenarioCommand) -> Result<(), Error> {
    match what {
        ScenarioCommand::Default => print!("{DEFAULT_SCENARIO}"),
        ScenarioCommand::Schema => {
            let mut schema = schemars::schema_for!(Scenario).to_value();
            crate::scenario::uncertain::allow_in_schema(&mut schema);
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).map_err(anyhow::Error::from)?
            );
        }
    }
    Ok(())
}
