//! A synthetic CBS export in the documented 85097NED layout, with the true
//! counts behind it: five regions of the Amsterdam-DUO area (Weesp, GM0457,
//! merges into Amsterdam, GM0363, in 2022), 2021–2023 and a half year, the
//! total over referrers (placeholder code T001082) and two referrer
//! categories, every count rounded to a multiple of 5 and counts under 10
//! suppressed as `.` as CBS does (docs/reference.md). The numbers are
//! invented (a simple stock-and-flow per region and kind of care); only the
//! layout is CBS's. `examples/cbs-85097NED-sample.csv` is this file.

use std::collections::BTreeMap;
use std::fmt::Write;

/// The twelve kinds of care of the table, in its column order (ten
/// measures each); `leaf` marks those that are not sums of others.
pub const GROUPS: [(&str, Option<&str>); 12] = [
    ("TotaalJeugdhulptrajectenInNatura", None),
    ("TotaalJeugdhulpZonderVerblijf", None),
    ("UitgevoerdDoorWijkOfBuurtteam", Some("wijkteam")),
    ("TotaalNietUitgevoerd", None),
    (
        "AmbulanteJeugdhulpOpLocatieAanbieder",
        Some("ambulant_location"),
    ),
    ("DaghulpOpLocatieVanDeAanbieder", Some("day_care")),
    (
        "JeugdhulpInHetNetwerkVanDeJongere",
        Some("ambulant_network"),
    ),
    ("TotaalJeugdhulpMetVerblijf", None),
    ("Pleegzorg", Some("foster_care")),
    ("Gezinsgericht", Some("family_home")),
    ("GeslotenPlaatsing", Some("secure")),
    ("OverigVerblijfBijJeugdhulpaanbieder", Some("residential")),
];
/// The groups each sum group adds up (by index).
const SUMS: [(usize, &[usize]); 4] = [
    (3, &[4, 5, 6]),
    (1, &[2, 3]),
    (7, &[8, 9, 10, 11]),
    (0, &[1, 7]),
];
const MEASURES: [&str; 9] = [
    "TotaalBegonnenTrajecten",
    "NieuwTraject",
    "HerhaaldBeroep",
    "GestartMetCrisis",
    "NietGestartMetCrisis",
    "TotaalBeeindigdeTrajecten",
    "GemiddeldeDuur",
    "BeeindigdVolgensPlan",
    "TotaalVoortijdigAfgesloten",
];
/// Started per year at scale 1 and mean stay in days, per leaf group.
const LEAVES: [(usize, f64, f64); 8] = [
    (2, 3000.0, 150.0),
    (4, 9000.0, 250.0),
    (5, 600.0, 300.0),
    (6, 2500.0, 200.0),
    (8, 450.0, 900.0),
    (9, 120.0, 700.0),
    (10, 40.0, 150.0),
    (11, 500.0, 400.0),
];
/// (unit, municipality, scale); Weesp's code changes in 2022.
const UNITS: [(&str, &str, f64); 5] = [
    ("amsterdam", "amsterdam", 1.0),
    ("weesp", "amsterdam", 0.05),
    ("diemen", "diemen", 0.04),
    ("ouder_amstel", "ouder_amstel", 0.015),
    ("uithoorn", "uithoorn", 0.04),
];
pub const YEARS: [i32; 3] = [2021, 2022, 2023];
const REFERRERS: [(&str, f64); 3] = [("T001082", 1.0), ("A000001", 0.6), ("A000002", 0.4)];

/// True counts of one kind of care in one year.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flow {
    pub start: u64,
    pub started: u64,
    pub ended: u64,
    /// Sum of the lengths (days) of the trajectories that ended.
    pub days: f64,
}

impl Flow {
    pub fn total(&self) -> u64 {
        self.start + self.started
    }
    pub fn end(&self) -> u64 {
        self.total() - self.ended
    }
    fn add(&mut self, o: &Flow) {
        self.start += o.start;
        self.started += o.started;
        self.ended += o.ended;
        self.days += o.days;
    }
    fn scaled(&self, share: f64) -> Flow {
        let s = |v: u64| (v as f64 * share).round() as u64;
        Flow {
            start: s(self.start),
            started: s(self.started),
            ended: s(self.ended).min(s(self.start) + s(self.started)),
            days: self.days * share,
        }
    }
}

/// A small deterministic generator (xorshift), so the sample never changes.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// unit → year → group → flow (leaves only).
fn flows() -> BTreeMap<(&'static str, i32, usize), Flow> {
    let mut noise = Noise(0x2021_85097);
    let mut out = BTreeMap::new();
    for (unit, _, scale) in UNITS {
        for (g, rate, stay) in LEAVES {
            let mut start = (rate * scale * stay / 365.0).round() as u64;
            for year in YEARS {
                let started = (rate * scale * (0.85 + 0.3 * noise.next())).round() as u64;
                let p = (365.0 / stay).min(0.95) * (0.9 + 0.2 * noise.next());
                let ended = (((start + started) as f64) * p.min(1.0)).round() as u64;
                let days = ended as f64 * stay * (0.8 + 0.4 * noise.next());
                let f = Flow {
                    start,
                    started,
                    ended,
                    days,
                };
                out.insert((unit, year, g), f);
                start = f.end();
            }
        }
    }
    out
}

fn code(unit: &str, year: i32) -> &'static str {
    match (unit, year) {
        ("amsterdam", _) | ("weesp", 2022..) => "GM0363",
        ("weesp", _) => "GM0457",
        ("diemen", _) => "GM0384",
        ("ouder_amstel", _) => "GM0437",
        _ => "GM0451",
    }
}

/// CBS's publication of a count: a multiple of 5, `.` under 10.
fn publish(v: u64) -> String {
    let r = (v + 2) / 5 * 5;
    if v < 10 { ".".into() } else { r.to_string() }
}

/// The ten measures of one group.
fn cells(f: &Flow, out: &mut String) {
    let mean = match f.ended {
        0..=9 => ".".to_string(),
        n => format!("{:.0}", f.days / n as f64),
    };
    let part = |share: f64| publish((f.started as f64 * share).round() as u64);
    let ended_part = |share: f64| publish((f.ended as f64 * share).round() as u64);
    let values = [
        publish(f.total()),
        publish(f.started),
        part(0.8),
        part(0.2),
        part(0.1),
        part(0.9),
        publish(f.ended),
        mean,
        ended_part(0.7),
        ended_part(0.3),
    ];
    for v in values {
        let _ = write!(out, ",{v}");
    }
}

/// The sample CSV and the true counts per (year, municipality, care form).
pub fn sample() -> (String, BTreeMap<(i32, String, String), Flow>) {
    let flows = flows();
    let mut csv = String::from("ID,VerwijzerJeugdzorg,RegioS,Perioden");
    for (g, (stem, _)) in GROUPS.iter().enumerate() {
        let _ = write!(csv, ",{stem}_{}", 10 * g + 1);
        for (k, m) in MEASURES.iter().enumerate() {
            let _ = write!(csv, ",{m}_{}", 10 * g + k + 2);
        }
    }
    csv.push('\n');
    let mut truth = BTreeMap::new();
    // region code → year → group → flow
    let mut regions: BTreeMap<(&str, i32), BTreeMap<usize, Flow>> = BTreeMap::new();
    for ((unit, year, g), f) in &flows {
        let (_, municipality, _) = UNITS
            .iter()
            .find(|u| u.0 == *unit)
            .copied()
            .unwrap_or_default();
        if let (Some(form), false) = (GROUPS[*g].1, *g == 2) {
            let key = (*year, municipality.to_string(), form.to_string());
            truth.entry(key).or_insert_with(Flow::default).add(f);
        }
        for region in [code(unit, *year), "NL01"] {
            let groups = regions.entry((region, *year)).or_default();
            groups.entry(*g).or_default().add(f);
        }
    }
    let mut id = 0;
    for ((region, year), groups) in &mut regions {
        for (sum, parts) in SUMS {
            let mut f = Flow::default();
            for p in parts {
                f.add(&groups[p]);
            }
            groups.insert(sum, f);
        }
        let periods = [(format!("{year}JJ00"), 1.0), (format!("{year}HJ01"), 0.55)];
        for (period, share) in periods.iter().filter(|p| p.1 == 1.0 || *year == 2023) {
            for (referrer, part) in REFERRERS {
                let _ = write!(csv, "{id},{referrer},{region:<10},{period}");
                for g in 0..GROUPS.len() {
                    cells(&groups[&g].scaled(share * part), &mut csv);
                }
                csv.push('\n');
                id += 1;
            }
        }
    }
    (csv, truth)
}
