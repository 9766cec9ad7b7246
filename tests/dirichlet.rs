//! Shares drawn jointly (`{ distribution = "dirichlet", concentration,
//! shares }`): every replication's entry shares sum to one and its
//! destination shares to at most one, each share has the Dirichlet's mean
//! and variance p(1 − p)/(α + 1), and a malformed table is refused at its
//! line. Tolerances: four standard errors of the replication count.

use crate::util::*;
use jeugdstroom::pipeline::uncertain::Uncertainty;
use jeugdstroom::scenario;

fn scenario_text(entry: &str, transitions: &str) -> String {
    single_form(50.0, r#"{ distribution = "exponential", mean = 30 }"#, "", 2, 0)
        .replace("entry = { bed = 1.0 }", &format!("entry = {entry}"))
        .replace(
            "[lumpsum]",
            &format!(
                "[care_forms.home]\nkind = \"ambulant\"\nduration = {{ distribution = \"exponential\", mean = 30 }}\ntariff = 10\nage = [ {{ from = 0, to = 0.5, weight = 1 }} ]\ntransitions = {transitions}\n[care_forms.day]\nkind = \"ambulant\"\nduration = {{ distribution = \"exponential\", mean = 30 }}\ntariff = 10\nage = [ {{ from = 0, to = 0.5, weight = 1 }} ]\n[lumpsum]"
            ),
        )
}

#[test]
fn dirichlet_shares_are_drawn_jointly_with_their_mean_and_variance() {
    let entry = r#"{ distribution = "dirichlet", concentration = 40, shares = { bed = 0.5, home = 0.3, day = 0.2 } }"#;
    let transitions =
        r#"{ distribution = "dirichlet", concentration = 40, shares = { bed = 0.1, day = 0.3 } }"#;
    let text = scenario_text(entry, transitions);
    let dir = tempfile::tempdir().unwrap();
    let loaded = scenario::load_str("s.toml", &text, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let u = Uncertainty::new(&loaded).unwrap().unwrap();
    let names = u.names();
    assert_eq!(names.len(), 5, "{names:?}");
    let sampler = u.sampler(11);
    let n = 2000;
    let mut draws = vec![Vec::new(); names.len()];
    for r in 0..n {
        let (_, values) = sampler.model(r).unwrap_or_else(|e| panic!("{e}"));
        let entry_sum: f64 = (names.iter().zip(&values))
            .filter(|(n, _)| n.starts_with("arrivals.entry."))
            .map(|(_, v)| v)
            .sum();
        assert!(
            (entry_sum - 1.0).abs() < 1e-12,
            "replication {r}: {entry_sum}"
        );
        let moved: f64 = (names.iter().zip(&values))
            .filter(|(n, _)| n.contains(".transitions."))
            .map(|(_, v)| v)
            .sum();
        assert!((0.0..=1.0).contains(&moved));
        for (d, v) in draws.iter_mut().zip(&values) {
            d.push(*v);
        }
    }
    let expect = |name: &str| -> f64 {
        let key = name.rsplit('.').next().unwrap();
        match (name.contains("entry"), key) {
            (true, "bed") => 0.5,
            (true, "home") => 0.3,
            (true, _) => 0.2,
            (false, "bed") => 0.1,
            _ => 0.3,
        }
    };
    for (name, d) in names.iter().zip(&draws) {
        let p = expect(name);
        let var = p * (1.0 - p) / 41.0;
        let m = mean(d);
        assert!(
            (m - p).abs() < 4.0 * (var / n as f64).sqrt(),
            "{name}: mean {m} vs {p}"
        );
        let v = d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        // The variance of a sample variance ≈ 2 var²/(n − 1) (normal-ish).
        let se_var = var * (2.0 / (n - 1) as f64).sqrt() * 1.5;
        assert!(
            (v - var).abs() < 4.0 * se_var,
            "{name}: variance {v} vs {var}"
        );
    }
}

#[test]
fn malformed_dirichlet_tables_are_refused_at_their_line() {
    let transitions = "{ day = 0.1 }";
    for (entry, needle) in [
        (
            r#"{ distribution = "dirichlet", concentration = 0, shares = { bed = 0.5, home = 0.5 } }"#,
            "concentration",
        ),
        (
            r#"{ distribution = "dirichlet", concentration = 5, shares = { bed = 0.7, home = 0.5 } }"#,
            "sum to",
        ),
        (
            r#"{ distribution = "dirichlet", concentration = 5, shares = { bed = -0.5, home = 1.5 } }"#,
            "0 or more",
        ),
        (
            r#"{ distribution = "dirichlet", concentration = 5 }"#,
            "table `shares`",
        ),
        (
            r#"{ distribution = "dirichlet", concentration = 5, sd = 1, shares = { bed = 1.0 } }"#,
            "unknown key",
        ),
    ] {
        let case = Case::new(&scenario_text(entry, transitions));
        let out = case.validate();
        out.rejected().contains(needle).contains("dirichlet");
        let line = line_of(&scenario_text(entry, transitions), "entry = ");
        assert!(
            out.stderr.contains(&format!("bad.toml:{line}:")),
            "{}",
            out.stderr
        );
    }
}
