//! Capacity pools: one per area or one for the region, per form with
//! places; which pool serves each (form, area); the catchments that share
//! a pool's costs; and the places closed by a falling capacity path.

use super::values::per_year;
use crate::model::{NO_POOL, Pool, PoolId, Segment, youth_shares};
use crate::scenario::profile::Profile;
use crate::scenario::schema::{Capacity, PoolSplit, Scenario};

/// Segments of each area with their youth share, and of the whole region.
pub struct Catchments {
    pub areas: Vec<Vec<(usize, f64)>>,
    pub region: Vec<(usize, f64)>,
}

impl Catchments {
    pub fn of(segments: &[Segment], n_areas: usize) -> Catchments {
        let areas = (0..n_areas)
            .map(|a| {
                youth_shares(
                    segments,
                    (0..segments.len()).filter(|&i| segments[i].area == a),
                )
            })
            .collect();
        Catchments {
            areas,
            region: youth_shares(segments, 0..segments.len()),
        }
    }
}

/// The pools and `pool_of` ([form × areas + area] → pool or `NO_POOL`).
/// Staff pools and budget-capped pools get their places once the money
/// side is compiled.
pub fn pools(s: &Scenario, catchments: &Catchments) -> (Vec<Pool>, Vec<PoolId>) {
    let (start, years) = (s.horizon.start_year, s.horizon.years as usize);
    let n_areas = s.areas.len();
    let mut pools: Vec<Pool> = Vec::new();
    let mut pool_of = vec![NO_POOL; s.care_forms.len() * n_areas];
    let places = |p: &Profile| {
        per_year(p, start, years)
            .iter()
            .map(|v| v.round() as u32)
            .collect::<Vec<_>>()
    };
    let capped = super::cap::capped_forms(s);
    for (fi, f) in s.care_forms.values().enumerate() {
        // One pool per area unless the form has one regional pool.
        let mut add = |area: Option<usize>, capacity: Vec<u32>, reserved: u32, split: PoolSplit| {
            let id = PoolId::of(pools.len());
            let catchment = match area {
                Some(ai) => {
                    pool_of[fi * n_areas + ai] = id;
                    catchments.areas[ai].clone()
                }
                None => {
                    pool_of[fi * n_areas..(fi + 1) * n_areas].fill(id);
                    catchments.region.clone()
                }
            };
            pools.push(Pool {
                form: fi,
                area,
                capacity,
                reserved,
                catchment,
                split_by_use: split == PoolSplit::Use,
            });
        };
        match &f.capacity {
            // A budget-capped provider's money buys places in every area.
            Capacity::Unlimited if capped[fi].is_some() => {
                (0..n_areas).for_each(|ai| add(Some(ai), vec![0; years], 0, PoolSplit::YouthShare));
            }
            Capacity::Unlimited => {}
            Capacity::Region {
                places: p,
                reserved,
                split,
            } => add(None, places(p), *reserved, *split),
            Capacity::Staff(_) => {
                (0..n_areas).for_each(|ai| add(Some(ai), vec![0; years], 0, PoolSplit::YouthShare))
            }
            Capacity::Area {
                places: per_area,
                reserved,
                split,
            } => {
                for (ai, an) in s.areas.keys().enumerate() {
                    let capacity = per_area.get(an).map_or_else(|| vec![0; years], &places);
                    add(Some(ai), capacity, *reserved, *split);
                }
            }
        }
    }
    (pools, pool_of)
}

/// [pool][year] places closed at the start of the year by the capacity path
/// (planned closures, before any provider failure lowers the paths).
pub fn closed_places(pools: &[Pool], years: usize) -> Vec<Vec<u32>> {
    pools
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
        .collect()
}
