//! Load → validate → compile → hash: a scenario made ready to simulate,
//! with the demand-led twin of a budget-capped scenario beside it.

use super::uncertain::Uncertainty;
use crate::calendar::DAYS_PER_YEAR;
use crate::error::InputErrors;
use crate::model::{self, Model};
use crate::scenario::files::for_each_path;
use crate::scenario::schema::{self, Capacity, Overflow, StaffMode};
use crate::scenario::{Loaded, assumptions, load_default, load_file, profile, validate};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// A compiled model plus what the result files record about its source.
pub struct Prepared {
    pub model: Model,
    pub name: String,
    /// SHA-256 of the merged scenario, with referenced CSV files replaced by
    /// the hash of their content (so the hash does not depend on where the
    /// files live, only on what they say).
    pub sha256: String,
    pub default_replications: u32,
    pub default_seed: u64,
    /// For a budget-capped scenario (staff or provider-wide): the same scenario demand-led
    /// (every client granted at once, staff paid per client), run beside it
    /// so the result shows both views.
    pub demand_led: Option<Box<Prepared>>,
    /// For a scenario with plan interventions (`plan = true`): the same
    /// scenario without them, run beside it on the same random numbers.
    pub without_plan: Option<Box<Prepared>>,
    /// Key parameters with their source comments (for the report).
    pub assumptions: Vec<assumptions::Assumption>,
    /// The uncertain parameters (drawn once per replication); `None` when
    /// every number is fixed, and then every replication runs `model`.
    pub uncertainty: Option<Uncertainty>,
}

/// Loads (the file, or the embedded default), validates and compiles.
pub fn prepare(path: Option<&Path>) -> Result<Prepared, InputErrors> {
    let loaded = match path {
        Some(p) => load_file(p),
        None => load_default(),
    }
    .map_err(|e| InputErrors(vec![e]))?;
    prepare_loaded(loaded)
}

/// Validates and compiles an already loaded scenario.
pub fn prepare_loaded(mut loaded: Loaded) -> Result<Prepared, InputErrors> {
    validate::validate(&loaded)?;
    let without_plan = match without_plan_twin(&loaded) {
        Some(twin) => Some(Box::new(prepare_loaded(twin)?)),
        None => None,
    };
    let model = model::compile(&loaded)?;
    let uncertainty = Uncertainty::new(&loaded)?;
    let sha256 = content_hash(&loaded);
    let mut assumptions = assumptions::collect(&loaded);
    if let Some(u) = &uncertainty {
        assumptions.extend(uncertain_assumptions(&loaded, u));
    }
    let demand_led = match demand_led_twin(&loaded.scenario) {
        Some(twin) => {
            let original = std::mem::replace(&mut loaded.scenario, twin);
            let twin_model = model::compile(&loaded)?;
            let twin = Prepared {
                model: twin_model,
                name: loaded.scenario.name.clone(),
                sha256: format!("{sha256}+demand-led"),
                default_replications: original.simulation.replications,
                default_seed: original.simulation.seed,
                demand_led: None,
                without_plan: None,
                assumptions: assumptions.clone(),
                uncertainty: uncertainty.as_ref().map(|u| u.transformed(demand_led_twin)),
            };
            loaded.scenario = original;
            Some(Box::new(twin))
        }
        None => None,
    };
    Ok(Prepared {
        model,
        name: loaded.scenario.name.clone(),
        sha256,
        default_replications: loaded.scenario.simulation.replications,
        default_seed: loaded.scenario.simulation.seed,
        demand_led,
        without_plan,
        assumptions,
        uncertainty,
    })
}

/// One assumption per uncertain parameter: its distribution and the range
/// its draws are truncated to, with the comment written beside it.
fn uncertain_assumptions(loaded: &Loaded, u: &Uncertainty) -> Vec<assumptions::Assumption> {
    u.parameters
        .iter()
        .map(|p| {
            let refs: Vec<&str> = p.parameter.path.iter().map(String::as_str).collect();
            let (source, comment) = loaded.sources.annotation(&refs).unwrap_or_default();
            let (lo, hi) = p.range;
            assumptions::Assumption {
                key: p.parameter.name(),
                value: p.parameter.distribution.describe(),
                source,
                comment,
                distribution: Some(format!(
                    "{}, drawn once per replication, truncated to {lo} … {hi}",
                    p.parameter.distribution.describe()
                )),
            }
        })
        .collect()
}

/// Suffix of the counterfactual's name: `<name>-without-plan`.
pub const WITHOUT_PLAN_SUFFIX: &str = "-without-plan";

/// The counterfactual of a scenario with plan interventions: the same
/// scenario with every `plan = true` intervention taken out (from the typed
/// scenario and from the merged table its hash and parameters come from).
fn without_plan_twin(loaded: &Loaded) -> Option<Loaded> {
    let planned: Vec<String> = (loaded.scenario.interventions.iter())
        .filter(|(_, i)| i.plan)
        .map(|(name, _)| name.clone())
        .collect();
    if planned.is_empty() {
        return None;
    }
    let mut twin = loaded.clone();
    twin.scenario.name = format!("{}{WITHOUT_PLAN_SUFFIX}", loaded.scenario.name);
    // The planned interventions leave the written and the at-the-mean
    // tables, and their uncertain numbers leave the parameters.
    for table in [
        Arc::make_mut(&mut twin.merged),
        Arc::make_mut(&mut twin.at_mean),
    ] {
        if let Some(toml::Value::Table(ivs)) = table.get_mut("interventions") {
            ivs.retain(|name, _| !planned.iter().any(|p| p == name));
        }
        table.insert(
            "name".to_string(),
            toml::Value::String(twin.scenario.name.clone()),
        );
    }
    for name in &planned {
        twin.scenario.interventions.remove(name);
    }
    Arc::make_mut(&mut twin.parameters).retain(|p| {
        !(p.path.len() > 1 && p.path[0] == "interventions" && planned.contains(&p.path[1]))
    });
    Some(twin)
}

/// The demand-led view of a budget-capped scenario (budget-capped staff, or
/// a provider-wide `budget_cap`): the capped forms get unlimited capacity
/// and a tariff that pays per client-day what a place costs (tariff + fixed
/// cost per place-day + cost per FTE ÷ caseload ÷ 365), so the run shows
/// what granting every client at once would cost.
fn demand_led_twin(s: &schema::Scenario) -> Option<schema::Scenario> {
    let by_provider: Vec<bool> = s
        .care_forms
        .keys()
        .map(|f| {
            s.providers
                .values()
                .any(|p| p.budget_cap && (p.forms.is_empty() || p.forms.contains(f)))
        })
        .collect();
    let capped = |f: &schema::CareForm, provider_cap: bool| {
        provider_cap
            || matches!(&f.capacity, Capacity::Staff(st) if st.mode == StaffMode::BudgetCapped)
    };
    let forms = s.care_forms.values().zip(by_provider.iter().copied());
    if !forms.clone().any(|(f, p)| capped(f, p)) {
        return None;
    }
    let mut twin = s.clone();
    twin.name = format!("{}-demand-led", s.name);
    twin.providers
        .values_mut()
        .for_each(|p| p.budget_cap = false);
    let years = s.horizon.start_year..s.horizon.start_year + s.horizon.years as i32;
    for (form, _) in (twin.care_forms.values_mut().zip(by_provider)).filter(|(f, p)| capped(f, *p))
    {
        let staff = match &form.capacity {
            Capacity::Staff(st) => Some((st.cost_per_fte.clone(), st.caseload_per_fte)),
            _ => None,
        };
        let fixed = form.fixed_cost_per_place_day.take();
        let per_day = |y: i32| {
            form.tariff.at(y)
                + fixed.as_ref().map_or(0.0, |p| p.at(y))
                + staff.as_ref().map_or(0.0, |(cost, caseload)| {
                    cost.at(y) / (caseload * DAYS_PER_YEAR)
                })
        };
        form.tariff = profile::Profile::Table(years.clone().map(|y| (y, per_day(y))).collect());
        form.capacity = Capacity::Unlimited;
        form.overflow = Overflow::AlwaysGrant;
        form.escalation = None;
    }
    Some(twin)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the merged scenario as JSON, each file path replaced by
/// `sha256:<hex>` of the bytes read at load time (unreadable files keep
/// their path).
fn content_hash(loaded: &Loaded) -> String {
    let mut canonical = (*loaded.merged).clone();
    for_each_path(&mut canonical, &mut |s| {
        if let Ok(bytes) = loaded.files.get(s.as_str()) {
            *s = format!("sha256:{}", hex(&Sha256::digest(bytes)));
        }
    });
    let json = serde_json::to_string(&canonical).expect("TOML tables serialise to JSON");
    hex(&Sha256::digest(json.as_bytes()))
}
