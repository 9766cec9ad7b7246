//! The joint draw of a Dirichlet group (see `scenario::uncertain::dirichlet`):
//! a gamma variate Γ(α p) per share from that share's own stream, and one
//! for the hidden remainder when the shares sum to less than one (from the
//! first share's stream, after its own); each share is its gamma over the
//! group's total. The shares of a group are the parameters whose paths
//! differ only in the last key.

use super::Uncertain;
use crate::engine::StreamRng;
use crate::scenario::uncertain::Distribution;
use rand_distr::{Distribution as _, Gamma};
use std::collections::BTreeMap;

/// Shares summing to within this of one have no remainder.
const WHOLE: f64 = 1e-9;

pub(super) fn is_joint(u: &Uncertain) -> bool {
    matches!(u.parameter.distribution, Distribution::Dirichlet { .. })
}

/// The gamma variate of a share, `None` for any other parameter.
pub(super) fn gamma(u: &Uncertain, rng: &mut StreamRng) -> Option<f64> {
    let Distribution::Dirichlet {
        share,
        concentration,
    } = u.parameter.distribution
    else {
        return None;
    };
    Some(variate(concentration * share, rng).unwrap_or(share))
}

fn variate(shape: f64, rng: &mut StreamRng) -> Option<f64> {
    Gamma::new(shape, 1.0).ok().map(|d| d.sample(rng))
}

/// Turns the gamma variates in `values` into shares, group by group.
pub(super) fn normalise(params: &[Uncertain], values: &mut [f64], rngs: &mut [StreamRng]) {
    let mut groups: BTreeMap<&[String], Vec<usize>> = BTreeMap::new();
    for (i, u) in params.iter().enumerate() {
        if is_joint(u) {
            let path = &u.parameter.path;
            groups.entry(&path[..path.len() - 1]).or_default().push(i);
        }
    }
    for members in groups.values() {
        let (mut sum, mut concentration) = (0.0, 0.0);
        for &i in members {
            if let Distribution::Dirichlet {
                share,
                concentration: c,
            } = params[i].parameter.distribution
            {
                sum += share;
                concentration = c;
            }
        }
        let rest = 1.0 - sum;
        let hidden = if rest > WHOLE {
            variate(concentration * rest, &mut rngs[members[0]]).unwrap_or(0.0)
        } else {
            0.0
        };
        let total: f64 = members.iter().map(|&i| values[i]).sum::<f64>() + hidden;
        // Without a remainder the shares keep the sum they were written with.
        let scale = if rest > WHOLE { 1.0 } else { sum };
        for &i in members {
            values[i] = if total > 0.0 {
                values[i] / total * scale
            } else {
                params[i].parameter.distribution.mean()
            };
        }
    }
}
