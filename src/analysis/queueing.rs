//! Queueing formulas used to size capacity: Erlang-B for loss systems
//! (M/G/c/c — insensitive to the stay distribution) and Erlang-C for
//! waiting systems (M/M/c). Domain-free.

/// Erlang-B blocking probability B(c, a) for offered load `a` (Erlang) and
/// `c` servers, by the stable recursion B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang-C probability of waiting C(c, a); 1 when the system is overloaded (a ≥ c).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if a >= c as f64 {
        return 1.0;
    }
    let b = erlang_b(c, a);
    let rho = a / c as f64;
    b / (1.0 - rho * (1.0 - b))
}

/// Smallest number of places with P(immediate admission) ≥ `target`:
/// 1 − B(c, a) for a loss system, 1 − C(c, a) for a waiting system.
pub fn places_for(target: f64, a: f64, waiting: bool) -> u32 {
    let immediate = |c: u32| {
        1.0 - if waiting {
            erlang_c(c, a)
        } else {
            erlang_b(c, a)
        }
    };
    let mut c = 0;
    while immediate(c) < target && c < 1_000_000 {
        c += 1;
    }
    c
}

/// P(immediate admission) with `c` places.
pub fn immediate_admission(c: u32, a: f64, waiting: bool) -> f64 {
    1.0 - if waiting {
        erlang_c(c, a)
    } else {
        erlang_b(c, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // Standard tables: B(5, 4) = 0.1991, B(10, 5) = 0.0184, C(3, 2.4) = 0.6472.
        assert!((erlang_b(5, 4.0) - 0.1991).abs() < 1e-4);
        assert!((erlang_b(10, 5.0) - 0.0184).abs() < 1e-4);
        assert!((erlang_c(3, 2.4) - 0.6472).abs() < 1e-4);
        assert_eq!(erlang_c(2, 3.0), 1.0);
    }

    #[test]
    fn places_meet_the_target_and_one_fewer_does_not() {
        for (a, waiting) in [(4.0, false), (4.0, true), (80.0, false), (0.5, true)] {
            let c = places_for(0.95, a, waiting);
            assert!(immediate_admission(c, a, waiting) >= 0.95);
            assert!(c == 0 || immediate_admission(c - 1, a, waiting) < 0.95);
        }
    }
}
