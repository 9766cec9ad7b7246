//! Where a change of cost comes from: the year-on-year change of a party's
//! expected cost split into volume (clients), mix (care-form shares),
//! duration (days per client) and price (cost per client-day), additive to
//! the cent. Pure arithmetic on expected values; `output::decomposition`
//! reads them from the replications and writes `decomposition.csv`.
//!
//! Per care form f, cost_f = N · s_f · d_f · p_f with N the party's clients
//! (summed over forms), s_f = clients_f / N, d_f = client_days_f / clients_f
//! and p_f = cost_f / client_days_f. The change of each form's cost is split
//! over the four factors by their Shapley values (the average marginal
//! contribution of a factor over the 24 orders of changing them), which is
//! exact (the four parts sum to the change) and symmetric, and needs no
//! logarithms, so zeros are allowed. Parts are summed over the forms.
//!
//! **Zeros.** A factor that is undefined in one year (s when N = 0, d when a
//! form has no clients, p when it has no client-days) takes its value in the
//! other year, so it contributes nothing and the change goes to the factor
//! that did move (a new form appears as mix and volume); undefined in both
//! years, the form's product is 0 in both and every part is 0.
//!
//! **Cost not proportional to client-days** counts as price: place costs,
//! vacancy and friction are already inside cost_f (and so inside p_f); a
//! form's cost in a year without client-days, and the party cost attributed
//! to no form (area teams, crisis service, intervention cost, the rounding of
//! per-form cells), change the price part by their change.

/// Expected (mean over replications) quantities of one care form of a party in one year.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FormYear {
    /// Clients in care in the form during the year (at its start plus starts).
    pub clients: f64,
    /// Days in care in the form.
    pub client_days: f64,
    /// Cost attributed to the form, in cents.
    pub cost: f64,
}

/// Expected quantities of a party in one year.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartyYear {
    pub forms: Vec<FormYear>,
    /// The party's whole cost in cents as written (the cent-rounded mean).
    pub cost_cents: i64,
    /// The party's whole cost in cents, unrounded (the exact mean).
    pub cost_exact: f64,
}

/// The split of one change, in cents; `volume + mix + duration + price == change`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub change: i64,
    pub volume: i64,
    pub mix: i64,
    pub duration: i64,
    pub price: i64,
}

/// Shapley weights |S|!·(3 − |S|)!/4! of a coalition of the other three factors.
const WEIGHT: [f64; 4] = [0.25, 1.0 / 12.0, 1.0 / 12.0, 0.25];

/// Shapley values of the four factors of the product x0 → x1: part i is the
/// weighted mean over the 8 sets S of other factors already at their new
/// value of Π(S ∪ {i} new) − Π(S new); the parts sum to Πx1 − Πx0.
pub fn shapley4(x0: [f64; 4], x1: [f64; 4]) -> [f64; 4] {
    let product = |set: u32| -> f64 {
        (0..4)
            .map(|j| if set & (1 << j) != 0 { x1[j] } else { x0[j] })
            .product()
    };
    let mut parts = [0.0; 4];
    for (i, part) in parts.iter_mut().enumerate() {
        for set in 0u32..16 {
            if set & (1 << i) != 0 {
                continue;
            }
            let with = product(set | (1 << i));
            *part += WEIGHT[set.count_ones() as usize] * (with - product(set));
        }
    }
    parts
}

/// A ratio, undefined (None) when the denominator is not positive.
fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// A factor in both years: undefined in one year → the other year's value;
/// undefined in both → 0 (the form's product is then 0 in both years).
fn pair(a: Option<f64>, b: Option<f64>) -> (f64, f64) {
    match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a),
        (None, Some(b)) => (b, b),
        (None, None) => (0.0, 0.0),
    }
}

/// The factors (N, s, d, p) of a form, each `None` where undefined (N, a
/// count, never is), and the part of its cost they express (cost_f, or 0
/// without client-days).
fn factors(n: f64, f: &FormYear) -> ([Option<f64>; 4], f64) {
    let share = ratio(f.clients, n);
    let days = ratio(f.client_days, f.clients);
    let price = ratio(f.cost, f.client_days);
    let expressed = if price.is_some() { f.cost } else { 0.0 };
    ([Some(n), share, days, price], expressed)
}

/// The unrounded parts (volume, mix, duration, price) of the change from
/// `before` to `after` in cents; they sum to `after.cost_exact − before.cost_exact`
/// (up to floating point). Forms are matched by position.
pub fn exact_parts(before: &PartyYear, after: &PartyYear) -> [f64; 4] {
    let clients = |p: &PartyYear| p.forms.iter().map(|f| f.clients).sum::<f64>();
    let (n0, n1) = (clients(before), clients(after));
    let mut parts = [0.0; 4];
    let mut expressed = (0.0, 0.0);
    let none = FormYear::default();
    for k in 0..before.forms.len().max(after.forms.len()) {
        let (f0, f1) = (
            before.forms.get(k).unwrap_or(&none),
            after.forms.get(k).unwrap_or(&none),
        );
        let ((a, e0), (b, e1)) = (factors(n0, f0), factors(n1, f1));
        let mut x0 = [0.0; 4];
        let mut x1 = [0.0; 4];
        for i in 0..4 {
            (x0[i], x1[i]) = pair(a[i], b[i]);
        }
        for (part, v) in parts.iter_mut().zip(shapley4(x0, x1)) {
            *part += v;
        }
        expressed.0 += e0;
        expressed.1 += e1;
    }
    // Everything the products do not express (forms without client-days,
    // cost attributed to no form) changes the price part.
    parts[3] += (after.cost_exact - expressed.1) - (before.cost_exact - expressed.0);
    parts
}

/// Rounds `exact` to whole cents so that they sum to `total`: each is rounded
/// half away from zero; a residue (a few cents, from rounding the parts and
/// the two means) goes one cent at a time to the parts whose rounding moved
/// them furthest against the residue's direction, ties to the earlier part
/// (volume, mix, duration, price), round and round if need be.
pub fn round_to_total(exact: [f64; 4], total: i64) -> [i64; 4] {
    let mut cents = exact.map(|v| if v.is_finite() { v.round() as i64 } else { 0 });
    let residue = total - cents.iter().sum::<i64>();
    if residue == 0 {
        return cents;
    }
    let step = residue.signum();
    // How far rounding moved each part against the residue's direction.
    let lost = |i: usize| (exact[i] - cents[i] as f64) * step as f64;
    let mut order = [0usize, 1, 2, 3];
    order.sort_by(|&a, &b| lost(b).total_cmp(&lost(a)).then(a.cmp(&b)));
    for k in 0..residue.unsigned_abs() as usize {
        cents[order[k % 4]] += step;
    }
    cents
}

/// The split of a party's expected cost change from `before` to `after`,
/// in cents, additive to the change of the written (cent-rounded) means.
pub fn decompose(before: &PartyYear, after: &PartyYear) -> Split {
    let change = after.cost_cents - before.cost_cents;
    let [volume, mix, duration, price] = round_to_total(exact_parts(before, after), change);
    Split {
        change,
        volume,
        mix,
        duration,
        price,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn close(a: [f64; 4], b: [f64; 4]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
        }
    }

    /// One form: N clients, all in it, d days each at p cents a day.
    fn one(n: f64, d: f64, p: f64) -> PartyYear {
        let cost = n * d * p;
        PartyYear {
            forms: vec![FormYear {
                clients: n,
                client_days: n * d,
                cost,
            }],
            cost_cents: cost.round() as i64,
            cost_exact: cost,
        }
    }

    #[test]
    fn two_factors_by_hand() {
        // a: 10 → 12, b: 5 → 6; φ_a = ½·Δa·(b0 + b1) = 11, φ_b = ½·Δb·(a0 + a1) = 11.
        close(
            shapley4([10.0, 1.0, 1.0, 5.0], [12.0, 1.0, 1.0, 6.0]),
            [11.0, 0.0, 0.0, 11.0],
        );
        // a: 1 → 2, b: 1 → 3; φ_a = ½·1·4 = 2, φ_b = ½·2·3 = 3, total 5.
        close(
            shapley4([1.0, 1.0, 1.0, 1.0], [2.0, 3.0, 1.0, 1.0]),
            [2.0, 3.0, 0.0, 0.0],
        );
    }

    #[test]
    fn four_factors_by_hand() {
        // All four double: 1 → 16, each by symmetry 15/4.
        close(shapley4([1.0; 4], [2.0; 4]), [3.75; 4]);
        // 1 → (2, 3, 4, 5): φ_1 = 1·(1/4 + (3+4+5)/12 + (12+15+20)/12 + 60/4)
        // = 121/6; likewise φ_2 = 2·(1/4 + 11/12 + 38/12 + 40/4) = 172/6,
        // φ_3 = 3·(1/4 + 10/12 + 31/12 + 30/4) = 201/6,
        // φ_4 = 4·(1/4 + 9/12 + 26/12 + 24/4) = 220/6; sum 714/6 = 119 = 120 − 1.
        let parts = shapley4([1.0; 4], [2.0, 3.0, 4.0, 5.0]);
        close(parts, [121.0 / 6.0, 172.0 / 6.0, 201.0 / 6.0, 220.0 / 6.0]);
        assert!((parts.iter().sum::<f64>() - 119.0).abs() < 1e-9);
    }

    #[test]
    fn a_single_factor_takes_the_whole_change() {
        // Tariff 200 → 210 cents a day, nothing else moves: all price.
        let s = decompose(&one(100.0, 50.0, 200.0), &one(100.0, 50.0, 210.0));
        assert_eq!((s.change, s.price), (50_000, 50_000));
        assert_eq!((s.volume, s.mix, s.duration), (0, 0, 0));
        // Clients 100 → 110: all volume.
        let s = decompose(&one(100.0, 50.0, 200.0), &one(110.0, 50.0, 200.0));
        assert_eq!((s.volume, s.mix, s.duration, s.price), (100_000, 0, 0, 0));
    }

    #[test]
    fn mix_moves_clients_between_forms() {
        // 100 clients, 50 days each; the dear form (300/day) grows from 20 to 40 clients.
        let party = |dear: f64| {
            let form = |clients: f64, p: f64| FormYear {
                clients,
                client_days: clients * 50.0,
                cost: clients * 50.0 * p,
            };
            let forms = vec![form(100.0 - dear, 100.0), form(dear, 300.0)];
            let cost: f64 = forms.iter().map(|f| f.cost).sum();
            PartyYear {
                forms,
                cost_cents: cost as i64,
                cost_exact: cost,
            }
        };
        let s = decompose(&party(20.0), &party(40.0));
        assert_eq!(s.change, 20.0 as i64 * 50 * 200);
        assert_eq!((s.volume, s.mix, s.duration, s.price), (0, 200_000, 0, 0));
    }

    #[test]
    fn zeros_a_form_that_appears_or_has_only_fixed_cost() {
        let form = |clients: f64, days: f64, cost: f64| FormYear {
            clients,
            client_days: days,
            cost,
        };
        let party = |forms: Vec<FormYear>, other: f64| {
            let cost = forms.iter().map(|f| f.cost).sum::<f64>() + other;
            PartyYear {
                forms,
                cost_cents: cost.round() as i64,
                cost_exact: cost,
            }
        };
        // A new form (10 clients, 20 days, 5/day) beside an unchanged one: N
        // grows 10 → 20 and the new form's share 0 → ½: volume and mix only.
        let before = party(vec![form(10.0, 200.0, 1000.0), form(0.0, 0.0, 0.0)], 0.0);
        let after = party(
            vec![form(10.0, 200.0, 1000.0), form(10.0, 200.0, 1000.0)],
            0.0,
        );
        let s = decompose(&before, &after);
        assert_eq!(s.change, 1000);
        assert_eq!((s.duration, s.price), (0, 0));
        assert_eq!(s.volume + s.mix, 1000);
        // Vacancy cost of an empty form (no client-days) and a fixed amount
        // change: price; a party with no clients at all in both years too.
        let before = party(vec![form(10.0, 200.0, 1000.0), form(0.0, 0.0, 300.0)], 50.0);
        let after = party(vec![form(10.0, 200.0, 1000.0), form(0.0, 0.0, 500.0)], 80.0);
        assert_eq!(
            decompose(&before, &after),
            Split {
                change: 230,
                price: 230,
                ..Split::default()
            }
        );
        let empty = party(vec![form(0.0, 0.0, 0.0)], 7.0);
        let s = decompose(&empty, &party(vec![form(0.0, 0.0, 0.0)], 9.0));
        assert_eq!((s.change, s.price), (2, 2));
        // Every client gone (N → 0): the form's cost leaves as volume.
        let s = decompose(
            &party(vec![form(10.0, 200.0, 1000.0)], 50.0),
            &party(vec![form(0.0, 0.0, 0.0)], 50.0),
        );
        assert_eq!(
            (s.change, s.volume, s.mix, s.duration, s.price),
            (-1000, -1000, 0, 0, 0)
        );
        // A form whose clients stay but have no client-days (0-day stays).
        let s = decompose(
            &party(vec![form(5.0, 0.0, 0.0)], 0.0),
            &party(vec![form(5.0, 10.0, 40.0)], 0.0),
        );
        assert_eq!((s.change, s.duration), (40, 40));
    }

    #[test]
    fn residue_goes_to_the_parts_rounding_moved_furthest() {
        // Two cents short: to the parts rounded down most (2.4, 3.3); two
        // cents over: off the parts rounded up most (2.6, 3.7); a cent more
        // than four parts: round and round from the first.
        assert_eq!(round_to_total([1.1, 2.4, 3.3, 4.2], 12), [1, 3, 4, 4]);
        assert_eq!(round_to_total([1.9, 2.6, 3.7, 4.8], 12), [2, 2, 3, 5]);
        assert_eq!(round_to_total([0.0; 4], -5), [-2, -1, -1, -1]);
        assert_eq!(round_to_total([f64::NAN, 1.0, 0.0, 0.0], 1), [0, 1, 0, 0]);
    }

    /// Random parties with up to 7 forms, zeros included, over a seeded
    /// loop: the four parts always sum to the change of the written means.
    #[test]
    fn additive_to_the_cent_on_random_inputs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
        let party = |rng: &mut rand_chacha::ChaCha8Rng, forms: usize| {
            let forms: Vec<FormYear> = (0..forms)
                .map(|_| {
                    let clients = if rng.random_bool(0.15) {
                        0.0
                    } else {
                        rng.random_range(0.0..5000.0)
                    };
                    let days = if rng.random_bool(0.1) {
                        0.0
                    } else {
                        clients * rng.random_range(1.0..365.0)
                    };
                    let cost = if rng.random_bool(0.1) {
                        rng.random_range(0.0..1e8)
                    } else {
                        days * rng.random_range(1_000.0..100_000.0)
                    };
                    FormYear {
                        clients,
                        client_days: days,
                        cost: cost.round(),
                    }
                })
                .collect();
            let exact = forms.iter().map(|f| f.cost).sum::<f64>() + rng.random_range(0.0..1e9);
            PartyYear {
                forms,
                cost_cents: exact.round() as i64,
                cost_exact: exact,
            }
        };
        for case in 0..2000 {
            let n = 1 + case % 7;
            let (a, b) = (party(&mut rng, n), party(&mut rng, n));
            let s = decompose(&a, &b);
            assert_eq!(
                s.volume + s.mix + s.duration + s.price,
                s.change,
                "case {case}"
            );
            assert_eq!(s.change, b.cost_cents - a.cost_cents);
            let exact = exact_parts(&a, &b);
            for (e, c) in exact.iter().zip([s.volume, s.mix, s.duration, s.price]) {
                assert!(
                    (e - c as f64).abs() <= 3.0,
                    "case {case}: {exact:?} vs {s:?}"
                );
            }
        }
    }
}
