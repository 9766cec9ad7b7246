//! Stochastic root finding for `required`: where does an empirical
//! probability, computed on the same replications at every point (common
//! random numbers), cross a level?
//!
//! With common random numbers each replication r has its own threshold u_r:
//! it overruns for changes above u_r and not below. The empirical
//! P̂(u) = #{u_r < u} / R is then the empirical distribution function of the
//! thresholds — non-decreasing, a step of 1/R per replication — and the
//! change that brings P to a target p is the p-quantile of the thresholds.
//! The search works in an oriented coordinate `u` in which P̂ rises (the
//! caller flips the sign for levers that lower cost as they grow), brackets
//! every level it is asked about from one shared set of evaluations, and
//! bisects until the bracket is finer than the replication count can tell
//! apart (a twentieth of the target's 95 % band).
//!
//! The 95 % interval inverts the binomial interval of P̂: the changes where
//! P̂ crosses p ± 1.96·√(p(1−p)/R). As P̂ is the empirical distribution of
//! independent thresholds, these crossings are the order statistics of the
//! classical distribution-free interval for a quantile (normal
//! approximation to the binomial). A bootstrap over replications would
//! re-estimate the same order statistics at many times the cost.

/// Half-width of the normal-approximation binomial 95 % interval of an
/// empirical probability `p` over `replications`.
pub fn band(p: f64, replications: u64) -> (f64, f64) {
    let h = 1.96 * (p * (1.0 - p) / replications.max(1) as f64).sqrt();
    (p - h, p + h)
}

/// Where the search may look, in the oriented coordinate (`low ≤ 0 ≤ high`).
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub low: f64,
    pub high: f64,
    /// The first step away from 0 when bracketing (doubled each time).
    pub first_step: f64,
    /// The finest bracket worth an evaluation.
    pub min_width: f64,
    /// At most this many evaluations (bisection stops there).
    pub max_evaluations: usize,
}

/// Where P̂ crosses a level, as far as the evaluations tell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Crossing {
    /// P̂ is above the level even at `low`: the crossing lies below the range.
    Below,
    /// P̂ ≤ level at `a`, P̂ > level at every evaluated point after `a`, the
    /// next of which is `b`.
    Within(f64, f64),
    /// P̂ is at most the level even at `high`.
    Above,
    /// Not yet bracketed on the side the evaluations have not reached.
    Unknown,
}

impl Crossing {
    /// The estimate of the crossing: the bracket's midpoint, or the range end.
    pub fn estimate(self, range: &Range) -> f64 {
        match self {
            Crossing::Within(a, b) => 0.5 * (a + b),
            Crossing::Below => range.low,
            Crossing::Above | Crossing::Unknown => range.high,
        }
    }
}

/// The evaluated points (u, P̂(u)), sorted by u.
#[derive(Clone, Debug, Default)]
pub struct Evaluations {
    pub points: Vec<(f64, f64)>,
}

impl Evaluations {
    fn add(&mut self, u: f64, p: f64) {
        let at = self.points.partition_point(|(v, _)| *v < u);
        self.points.insert(at, (u, p));
    }

    /// Where P̂ crosses `level` (the last point with P̂ ≤ level and the one after it).
    pub fn crossing(&self, level: f64, range: &Range) -> Crossing {
        if level < 0.0 {
            return Crossing::Below;
        }
        if level >= 1.0 {
            return Crossing::Above;
        }
        let last_at_most = self.points.iter().rposition(|(_, p)| *p <= level);
        match last_at_most {
            None if self.points.first().is_some_and(|(u, _)| *u <= range.low) => Crossing::Below,
            None => Crossing::Unknown,
            Some(i) if i + 1 < self.points.len() => {
                Crossing::Within(self.points[i].0, self.points[i + 1].0)
            }
            Some(i) if self.points[i].0 >= range.high => Crossing::Above,
            Some(_) => Crossing::Unknown,
        }
    }
}

/// One target with the ends of its 95 % band: `[low, target, high]` levels.
pub type Levels = [f64; 3];

/// Evaluates P̂ until every level of every target is bracketed finely
/// enough (or lies outside the range), starting at u = 0.
pub fn solve<E>(
    range: &Range,
    targets: &[Levels],
    mut evaluate: impl FnMut(f64) -> Result<f64, E>,
) -> Result<Evaluations, E> {
    let mut evaluations = Evaluations::default();
    evaluations.add(0.0, evaluate(0.0)?);
    while evaluations.points.len() < range.max_evaluations {
        let Some(u) = next_point(&evaluations, range, targets) else {
            break;
        };
        evaluations.add(u, evaluate(u)?);
    }
    Ok(evaluations)
}

/// The next point to evaluate: first extend the bracket outwards (doubling
/// the step) for a level not yet bracketed, then bisect the widest bracket
/// still coarser than its target's resolution; `None` when done.
fn next_point(ev: &Evaluations, range: &Range, targets: &[Levels]) -> Option<f64> {
    let (min_u, max_u) = (ev.points.first()?.0, ev.points.last()?.0);
    let outward = |edge: f64, limit: f64, sign: f64| {
        let step = if edge == 0.0 {
            sign * range.first_step
        } else {
            2.0 * edge
        };
        if sign < 0.0 {
            step.max(limit)
        } else {
            step.min(limit)
        }
    };
    let mut widest: Option<(f64, f64)> = None;
    for levels in targets {
        let resolution = resolution(ev, range, levels);
        for &level in levels {
            match ev.crossing(level, range) {
                Crossing::Unknown if ev.points.iter().all(|(_, p)| *p > level) => {
                    return Some(outward(min_u, range.low, -1.0));
                }
                Crossing::Unknown => return Some(outward(max_u, range.high, 1.0)),
                Crossing::Within(a, b)
                    if b - a > resolution && widest.is_none_or(|(w, _)| b - a > w) =>
                {
                    widest = Some((b - a, interpolate(ev, a, b, level)));
                }
                _ => {}
            }
        }
    }
    widest.map(|(_, mid)| mid)
}

/// The next point inside the bracket (a, b) for `level`: where the straight
/// line through (a, P̂(a)) and (b, P̂(b)) meets the level (regula falsi; P̂
/// is close to a smooth distribution function for a few hundred
/// replications), kept to the bracket's middle half so that a flat or
/// steep stretch still shrinks it by at least a quarter.
fn interpolate(ev: &Evaluations, a: f64, b: f64, level: f64) -> f64 {
    let p = |u: f64| {
        let i = ev.points.partition_point(|(v, _)| *v < u);
        ev.points[i.min(ev.points.len() - 1)].1
    };
    let (pa, pb) = (p(a), p(b));
    let w = b - a;
    let t = if pb > pa {
        (level - pa) / (pb - pa)
    } else {
        0.5
    };
    a + w * t.clamp(0.25, 0.75)
}

/// The bracket width worth resolving for one target: a twentieth of its
/// 95 % band's width as far as known (finer is below what R replications
/// can tell), never below the range's minimum.
fn resolution(ev: &Evaluations, range: &Range, levels: &Levels) -> f64 {
    let lo = ev.crossing(levels[0], range);
    let hi = ev.crossing(levels[2], range);
    match (lo, hi) {
        (Crossing::Within(..), Crossing::Within(..)) => {
            let width = hi.estimate(range) - lo.estimate(range);
            (width / 20.0).max(range.min_width)
        }
        _ => range.min_width,
    }
}

/// What the search found for one target, in the oriented coordinate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Answer {
    pub status: Status,
    /// The change (u) at which P̂ crosses the target; the range end when
    /// the target lies outside the range; 0 when already met.
    pub change: f64,
    /// The changes at which P̂ crosses the ends of the target's band
    /// (clipped to the range).
    pub ci95: (f64, f64),
}

/// Whether a target was reached within the lever's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Found,
    /// P̂ is at most the target already without the lever, and the lever
    /// cannot raise cost (its range ends at 0).
    AlreadyMet,
    /// P̂ does not reach the target anywhere in the lever's range.
    Unreachable,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::AlreadyMet => "already_met",
            Status::Unreachable => "unreachable",
        }
    }
}

/// Reads one target's answer off the evaluations.
pub fn answer(ev: &Evaluations, range: &Range, levels: &Levels) -> Answer {
    let at = |level: f64| ev.crossing(level, range).estimate(range);
    let ci95 = (at(levels[0]), at(levels[2]));
    match ev.crossing(levels[1], range) {
        Crossing::Within(a, b) => Answer {
            status: Status::Found,
            change: 0.5 * (a + b),
            ci95,
        },
        Crossing::Above if range.high <= 0.0 => Answer {
            status: Status::AlreadyMet,
            change: 0.0,
            ci95: (0.0, 0.0),
        },
        Crossing::Above | Crossing::Unknown => Answer {
            status: Status::Unreachable,
            change: range.high,
            ci95: (range.high, range.high),
        },
        Crossing::Below => Answer {
            status: Status::Unreachable,
            change: range.low,
            ci95: (range.low, range.low),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGE: Range = Range {
        low: -1.0,
        high: 1.0,
        first_step: 0.01,
        min_width: 1e-4,
        max_evaluations: 80,
    };

    /// P̂ of thresholds `t`: the share of replications with t_r < u.
    fn empirical(t: &[f64]) -> impl FnMut(f64) -> Result<f64, ()> + '_ {
        move |u| Ok(t.iter().filter(|&&v| v < u).count() as f64 / t.len() as f64)
    }

    /// Thresholds spread evenly over [lo, hi].
    fn spread(n: usize, lo: f64, hi: f64) -> Vec<f64> {
        (0..n)
            .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / n as f64)
            .collect()
    }

    fn levels(p: f64, r: u64) -> Levels {
        let (lo, hi) = band(p, r);
        [lo, p, hi]
    }

    #[test]
    fn finds_the_quantile_of_the_thresholds_and_its_order_statistic_band() {
        // 200 thresholds evenly on [-0.2, 0]: the median is -0.1, and the
        // band's ends are the quantiles at 0.5 ± 1.96·√(0.25/200) = 0.5 ± 0.0693.
        let t = spread(200, -0.2, 0.0);
        let target = levels(0.5, 200);
        let ev = solve(&RANGE, &[target], empirical(&t)).unwrap();
        let a = answer(&ev, &RANGE, &target);
        assert_eq!(a.status, Status::Found);
        // P̂ ≤ 0.5 up to the 101st threshold (index 100): -0.2 + 0.2·100.5/200.
        assert!((a.change - -0.0995).abs() < 2e-3, "{a:?}");
        let (lo, hi) = a.ci95;
        assert!((lo - (-0.2 + 0.2 * (0.5 - 0.0693))).abs() < 3e-3, "{a:?}");
        assert!((hi - (-0.2 + 0.2 * (0.5 + 0.0693))).abs() < 3e-3, "{a:?}");
        assert!(ev.points.len() < 40, "{} evaluations", ev.points.len());
    }

    #[test]
    fn several_targets_share_evaluations_and_are_ordered() {
        let t = spread(100, -0.3, 0.1);
        let targets = [levels(0.2, 100), levels(0.5, 100), levels(0.8, 100)];
        let ev = solve(&RANGE, &targets, empirical(&t)).unwrap();
        let answers: Vec<Answer> = targets.iter().map(|l| answer(&ev, &RANGE, l)).collect();
        for a in &answers {
            assert_eq!(a.status, Status::Found);
            assert!(a.ci95.0 <= a.change && a.change <= a.ci95.1, "{a:?}");
        }
        assert!(answers[0].change < answers[1].change && answers[1].change < answers[2].change);
        // The 20 % target lies near the 20th threshold: -0.3 + 0.4·0.2.
        assert!((answers[0].change - -0.22).abs() < 6e-3, "{:?}", answers[0]);
    }

    #[test]
    fn a_target_beyond_the_range_is_unreachable_and_says_which_end() {
        // Every replication overruns even at u = -1.
        let t = vec![-2.0; 50];
        let target = levels(0.5, 50);
        let ev = solve(&RANGE, &[target], empirical(&t)).unwrap();
        let a = answer(&ev, &RANGE, &target);
        assert_eq!(a.status, Status::Unreachable);
        assert_eq!(a.change, -1.0);
    }

    #[test]
    fn a_lever_that_only_lowers_cost_has_nothing_to_do_below_the_target() {
        let range = Range { high: 0.0, ..RANGE };
        let t = spread(50, 0.2, 0.4); // P̂(0) = 0
        let target = levels(0.5, 50);
        let ev = solve(&range, &[target], empirical(&t)).unwrap();
        assert_eq!(answer(&ev, &range, &target).status, Status::AlreadyMet);
        assert_eq!(ev.points.len(), 1, "nothing beyond u = 0 to evaluate");
    }

    #[test]
    fn a_positive_answer_is_headroom() {
        let t = spread(100, 0.05, 0.15);
        let target = levels(0.5, 100);
        let ev = solve(&RANGE, &[target], empirical(&t)).unwrap();
        let a = answer(&ev, &RANGE, &target);
        assert_eq!(a.status, Status::Found);
        assert!((a.change - 0.1).abs() < 2e-3, "{a:?}");
    }

    #[test]
    fn band_ends_outside_zero_and_one_clip_to_the_range() {
        let t = spread(10, -0.5, 0.5);
        let target = levels(0.1, 10); // band 0.1 ± 0.186
        let ev = solve(&RANGE, &[target], empirical(&t)).unwrap();
        let a = answer(&ev, &RANGE, &target);
        assert_eq!(a.ci95.0, -1.0);
        assert!(a.ci95.1 > a.change);
    }

    #[test]
    fn stops_at_the_evaluation_budget() {
        let range = Range {
            max_evaluations: 5,
            min_width: 0.0,
            ..RANGE
        };
        let t = spread(1000, -0.5, 0.5);
        let ev = solve(&range, &[levels(0.5, 1000)], empirical(&t)).unwrap();
        assert_eq!(ev.points.len(), 5);
    }
}
