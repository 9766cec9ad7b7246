//! Scenario → Model: resolve names to indices, evaluate profiles per year,
//! build distributions and read the CSV inputs.

use super::csv_input::{CaseloadNames, read_caseload, read_durations};
use super::landscape::{apply_staff, compile_interventions};
use super::money::{compile_money, compile_prices};
use super::*;
use crate::calendar::DAYS_PER_YEAR;
use crate::error::{InputError, InputErrors};
use crate::scenario::Loaded;
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, DurationSpec, Overflow, Scenario, TransferWhenFull};
use std::path::Path;
use std::str::FromStr;

/// Converts a TOML number to an exact decimal through its shortest decimal
/// representation (so 262.6e6 becomes exactly 262600000), rounded to cents.
pub fn money(value: f64) -> Decimal {
    Decimal::from_str(&format!("{value}"))
        .or_else(|_| Decimal::from_scientific(&format!("{value:e}")))
        .unwrap_or_default()
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn per_year(profile: &Profile, start: i32, years: usize) -> Vec<f64> {
    (0..years).map(|y| profile.at(start + y as i32)).collect()
}

fn duration(spec: &DurationSpec, loaded: &Loaded, path: &[&str]) -> Result<Duration, InputError> {
    Ok(match spec {
        DurationSpec::Exponential { mean } => Duration::exponential(*mean),
        DurationSpec::Lognormal { mean, cv } => Duration::lognormal(*mean, *cv),
        DurationSpec::Gamma { mean, cv } => Duration::gamma(*mean, *cv),
        DurationSpec::Fixed { days } => Duration::Fixed { days: *days },
        DurationSpec::Uniform { min, max } => Duration::Uniform {
            min: *min,
            max: *max,
        },
        DurationSpec::Empirical { file, column } => {
            let sorted = read_durations(&loaded.files, Path::new(file), column).map_err(|e| {
                // A missing file is the scenario's fault: point at the field.
                if e.location.is_some() {
                    e
                } else {
                    let mut p = path.to_vec();
                    p.push("file");
                    let located = loaded.sources.error(&p, e.message.clone());
                    InputError {
                        fix: e.fix,
                        ..located
                    }
                }
            })?;
            Duration::Empirical { sorted }
        }
    })
}

/// Compiles a validated scenario.
pub fn compile(loaded: &Loaded) -> Result<Model, InputErrors> {
    compile_inner(loaded).map_err(|e| InputErrors(vec![e]))
}

fn compile_inner(loaded: &Loaded) -> Result<Model, InputError> {
    let s: &Scenario = &loaded.scenario;
    let start = s.horizon.start_year;
    let years = s.horizon.years as usize;
    let municipality_names: Vec<String> = s.municipalities.keys().cloned().collect();
    let area_names: Vec<String> = s.areas.keys().cloned().collect();
    let form_names: Vec<String> = s.care_forms.keys().cloned().collect();
    let municipalities = s
        .municipalities
        .iter()
        .map(|(n, m)| Named {
            name: n.clone(),
            label: m.label.clone().unwrap_or_else(|| n.clone()),
        })
        .collect();
    let areas: Vec<Named> = s
        .areas
        .iter()
        .map(|(n, a)| Named {
            name: n.clone(),
            label: a.label.clone().unwrap_or_else(|| n.clone()),
        })
        .collect();

    // Segments and their youth per horizon year.
    let mut segments = Vec::new();
    for (ai, (_, area)) in s.areas.iter().enumerate() {
        for (m, youth0) in &area.youth {
            let mi = municipality_names
                .iter()
                .position(|n| n == m)
                .expect("validated");
            let growth = |year: i32| area.growth.as_ref().map_or(0.0, |g| g.at(year));
            // Youth in year Y: the census figure grown by each year's growth since then.
            let path = (0..years as i32)
                .map(|y| {
                    (s.arrivals.population_year + 1..=start + y)
                        .fold(*youth0, |v, year| v * (1.0 + growth(year)))
                })
                .collect();
            segments.push(Segment {
                municipality: mi,
                area: ai,
                youth: path,
            });
        }
    }

    // Care forms.
    let form_index = |name: &str| {
        form_names
            .iter()
            .position(|n| n == name)
            .expect("validated")
    };
    let mut forms = Vec::new();
    for (name, f) in &s.care_forms {
        let transitions = (0..years as i32)
            .map(|y| {
                let mut acc = 0.0;
                f.transitions
                    .iter()
                    .map(|(to, p)| (to, p.at(start + y)))
                    .filter(|(_, p)| *p > 0.0)
                    .map(|(to, p)| {
                        acc += p;
                        (form_index(to) as u8, acc)
                    })
                    .collect()
            })
            .collect();
        let optional = |p: &Option<Profile>, default: f64| {
            p.as_ref()
                .map_or_else(|| vec![default; years], |p| per_year(p, start, years))
        };
        let escalation = match &f.escalation {
            Some(e) => Some(EscalationRule {
                to: form_index(&e.to) as u8,
                probability: e.probability,
                delay: duration(
                    &e.delay,
                    loaded,
                    &["care_forms", name, "escalation", "delay"],
                )?,
            }),
            None => None,
        };
        let (overflow, patience) = match &f.overflow {
            Overflow::Wait { patience } => (
                OverflowRule::Wait,
                patience
                    .as_ref()
                    .map(|p| duration(p, loaded, &["care_forms", name, "overflow", "patience"]))
                    .transpose()?,
            ),
            Overflow::OutOfRegion { .. } => (OverflowRule::OutOfRegion, None),
            Overflow::AlwaysGrant => (OverflowRule::AlwaysGrant, None),
            Overflow::Substitute { to } => (OverflowRule::Substitute(form_index(to) as u8), None),
        };
        let bands: Vec<(f64, f64, f64)> = f.age.iter().map(|b| (b.from, b.to, b.weight)).collect();
        forms.push(Form {
            name: name.clone(),
            label: f.label.clone().unwrap_or_else(|| name.clone()),
            kind: f.kind,
            duration: duration(&f.duration, loaded, &["care_forms", name, "duration"])?,
            duration_scale: optional(&f.duration_scale, 1.0),
            age: AgeDistribution::new(&bands),
            transitions,
            overflow,
            patience,
            block_on_full: f.when_full_on_transfer == TransferWhenFull::Block,
            extension_probability: optional(&f.extension_probability, 0.0),
            escalation,
            has_places: !matches!(f.capacity, Capacity::Unlimited),
        });
    }

    // Capacity pools.
    let n_areas = areas.len();
    let mut pools = Vec::new();
    let mut pool_of = vec![NO_POOL; form_names.len() * n_areas];
    let places = |p: &Profile| {
        per_year(p, start, years)
            .iter()
            .map(|v| v.round() as u32)
            .collect::<Vec<_>>()
    };
    let area_catchment: Vec<Vec<(usize, f64)>> = (0..n_areas)
        .map(|a| {
            youth_shares(
                &segments,
                (0..segments.len()).filter(|&i| segments[i].area == a),
            )
        })
        .collect();
    let region_catchment = youth_shares(&segments, 0..segments.len());
    for (fi, f) in s.care_forms.values().enumerate() {
        match &f.capacity {
            Capacity::Unlimited => {}
            Capacity::Region {
                places: p,
                reserved,
            } => {
                for a in 0..n_areas {
                    pool_of[fi * n_areas + a] = pools.len() as u32;
                }
                pools.push(Pool {
                    form: fi,
                    area: None,
                    capacity: places(p),
                    reserved: *reserved,
                    catchment: region_catchment.clone(),
                });
            }
            Capacity::Staff(_) => {
                // Places follow from FTE once the money side is compiled.
                for (ai, catchment) in area_catchment.iter().enumerate() {
                    pool_of[fi * n_areas + ai] = pools.len() as u32;
                    pools.push(Pool {
                        form: fi,
                        area: Some(ai),
                        capacity: vec![0; years],
                        reserved: 0,
                        catchment: catchment.clone(),
                    });
                }
            }
            Capacity::Area {
                places: per_area,
                reserved,
            } => {
                for (ai, an) in area_names.iter().enumerate() {
                    let capacity = per_area.get(an).map_or_else(|| vec![0; years], &places);
                    pool_of[fi * n_areas + ai] = pools.len() as u32;
                    pools.push(Pool {
                        form: fi,
                        area: Some(ai),
                        capacity,
                        reserved: *reserved,
                        catchment: area_catchment[ai].clone(),
                    });
                }
            }
        }
    }

    // Arrival streams.
    let mut streams = Vec::new();
    let area_list: Vec<_> = s.areas.values().collect();
    let municipality_list: Vec<_> = s.municipalities.values().collect();
    for (si, seg) in segments.iter().enumerate() {
        let area = area_list[seg.area];
        for (form, share) in &s.arrivals.entry {
            let fi = form_names
                .iter()
                .position(|n| n == form)
                .expect("validated");
            let mix = s.care_forms[form]
                .priority
                .as_ref()
                .unwrap_or(&s.arrivals.priority);
            for (pi, prio) in PRIORITY_NAMES.iter().enumerate() {
                let p_share = mix.get(*prio).copied().unwrap_or(0.0);
                if p_share <= 0.0 || *share <= 0.0 {
                    continue;
                }
                let rate_per_day = (0..years)
                    .map(|y| {
                        let year = start + y as i32;
                        let factor = |p: Option<&Profile>| p.map_or(1.0, |u| u.at(year));
                        let municipality = municipality_list[seg.municipality];
                        seg.youth[y] / 1000.0
                            * s.arrivals.rate_per_1000.at(year)
                            * factor(area.usage.as_ref())
                            * factor(area.form_usage.get(form))
                            * factor(municipality.usage.as_ref())
                            * factor(municipality.form_usage.get(form))
                            * (1.0 + s.arrivals.trend).powi(y as i32)
                            * share
                            * p_share
                            / DAYS_PER_YEAR
                    })
                    .collect();
                streams.push(ArrivalStream {
                    segment: si,
                    form: fi,
                    priority: pi as u8,
                    rate_per_day,
                });
            }
        }
    }

    // A scenario that would simulate more than 50 million arrivals a year is a
    // unit mistake (all of the Netherlands has well under half a million).
    let busiest_year = (0..years)
        .map(|y| streams.iter().map(|st| st.rate_per_day[y]).sum::<f64>() * DAYS_PER_YEAR)
        .fold(0.0f64, f64::max);
    if busiest_year.is_nan() || busiest_year > 5e7 {
        return Err(loaded
            .sources
            .error(&["arrivals", "rate_per_1000"], format!("the scenario generates {busiest_year:.3e} arrivals a year"))
            .fix("check youth numbers, rate_per_1000, usage multipliers and growth for a unit mistake"));
    }
    let relapse = match &s.relapse {
        Some(r) => Some(RelapseRule {
            probability: r.probability,
            delay: duration(&r.delay, loaded, &["relapse", "delay"])?,
        }),
        None => None,
    };

    let initial = match &s.initial_state.caseload {
        Some(file) => {
            let seg_lookup = |m: usize, a: usize| {
                segments
                    .iter()
                    .position(|s| s.municipality == m && s.area == a)
            };
            let names = CaseloadNames {
                municipalities: &municipality_names,
                areas: &area_names,
                forms: &form_names,
                segment: &seg_lookup,
            };
            read_caseload(&loaded.files, Path::new(file), &names)?
        }
        None => Vec::new(),
    };

    // Planned closures (afbouw), before any provider failure lowers the paths.
    let closed_places = pools
        .iter()
        .map(|p| {
            (0..years)
                .map(|y| {
                    if y == 0 {
                        0
                    } else {
                        p.capacity[y - 1].saturating_sub(p.capacity[y])
                    }
                })
                .collect()
        })
        .collect();
    let (interventions, capacity_losses) =
        compile_interventions(s, &form_names, &area_names, &pool_of, &mut pools);
    let mut prices = compile_prices(s, &segments);
    let lag_delay = match &s.declaration_lag {
        Some(lag) => Some(duration(&lag.delay, loaded, &["declaration_lag", "delay"])?),
        None => None,
    };
    let money = compile_money(s, &forms, &prices, lag_delay);
    apply_staff(s, &mut pools, &mut prices, &money);

    Ok(Model {
        name: s.name.clone(),
        start_year: start,
        years,
        warmup_years: s.initial_state.warmup_years as usize,
        municipalities,
        areas,
        segments,
        forms,
        pools,
        pool_of,
        area_catchment,
        region_catchment,
        streams,
        exit_age_days: s.ageing.exit_age * DAYS_PER_YEAR,
        hard_exit_age_days: s.ageing.hard_exit_age * DAYS_PER_YEAR,
        relapse,
        initial,
        interventions,
        capacity_losses,
        closed_places,
        prices,
        money,
    })
}
