//! `scenarios/nederland.toml` against what its sources report: the paying
//! units are the four landsdelen (no provinces, issue 14 item 7), and one
//! national replication reproduces the CBS user counts of seed 001
//! (L1471-1473: 443,585 users in 2019, 435,760 in 2020; L1491-1495: 2,080
//! closed placements in 2020). Tolerances: four Poisson standard deviations
//! (√count) around the span of the source years.

use jeugdstroom::model::Model;
use jeugdstroom::pipeline;
use jeugdstroom::record::{CellMetric, Exposure};
use jeugdstroom::sim::Simulation;
use std::path::Path;

fn model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nederland.toml");
    pipeline::prepare(Some(&path))
        .unwrap_or_else(|e| panic!("{e}"))
        .model
}

/// Clients in care at the end of year `y − 1` plus those entering in `y`,
/// summed over `forms` (`Inflow` for all forms, `Starts` for one form).
fn users(e: &Exposure, y: usize, forms: &[usize], entering: CellMetric) -> f64 {
    let mut n = 0.0;
    for s in 0..e.segments {
        for &f in forms {
            n += e.cell(y - 1, s, f, CellMetric::ActiveEnd) + e.cell(y, s, f, entering);
        }
    }
    n
}

/// Within four √count of the closed span [low, high].
fn near(x: f64, low: f64, high: f64) -> bool {
    let tol = 4.0 * high.sqrt();
    x > low - tol && x < high + tol
}

#[test]
fn landsdelen_pay_and_users_match_cbs() {
    let m = model();
    let names = |v: &[jeugdstroom::model::Named]| -> Vec<String> {
        v.iter().map(|n| n.name.clone()).collect()
    };
    assert_eq!(names(&m.municipalities), ["noord", "oost", "west", "zuid"]);
    assert_eq!(names(&m.areas), names(&m.municipalities));
    for seg in &m.segments {
        assert_eq!(
            seg.area, seg.municipality,
            "a landsdeel pays for its own area"
        );
    }
    let all: Vec<usize> = (0..m.forms.len()).collect();
    let secure = m.forms.iter().position(|f| f.name == "secure").unwrap();
    let mut sim = Simulation::new(&m);
    let e = &sim.run(20280101, 0).unwrap().exposure;
    for y in 1..m.years {
        let u = users(e, y, &all, CellMetric::Inflow);
        assert!(near(u, 435_760.0, 443_585.0), "users year {y}: {u}");
        let s = users(e, y, &[secure], CellMetric::Starts);
        assert!(near(s, 2_080.0, 2_080.0), "secure users year {y}: {s}");
    }
}
