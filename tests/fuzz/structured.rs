//! Structured mutations, enumerated deterministically: walk a file's value
//! tree and change one thing at a time — every number set to −1, 0, NaN, ∞
//! and 1e300 and made uncertain (widely, and malformed), every key removed, every table removed or duplicated (as a
//! sibling and, in the text, as a repeated `[header]`), every CSV cell of
//! the first rows set to those numbers, every column and row removed or
//! repeated, the footer and pages of `replications.parquet` broken.

use super::engine::Case;
use super::mutate::NUMBERS;

/// One step into a value tree: a table key or an array index.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_label(path: &[Seg]) -> String {
    let parts: Vec<String> = path
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect();
    parts.join(".")
}

// ------------------------------------------------------------------ TOML

fn toml_get<'a>(root: &'a mut toml::Value, path: &[Seg]) -> &'a mut toml::Value {
    path.iter().fold(root, |v, seg| match (seg, v) {
        (Seg::Key(k), toml::Value::Table(t)) => t.get_mut(k).expect("walked path"),
        (Seg::Index(i), toml::Value::Array(a)) => &mut a[*i],
        _ => unreachable!("walked path"),
    })
}

fn toml_paths(value: &toml::Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                path.push(Seg::Key(k.clone()));
                toml_paths(v, path, out);
                path.pop();
            }
        }
        toml::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                toml_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn hostile_toml(number: &str, integer: bool) -> toml::Value {
    match (number, integer) {
        ("-1", true) => toml::Value::Integer(-1),
        ("0", true) => toml::Value::Integer(0),
        (n, _) => toml::Value::Float(n.parse().expect("a float")),
    }
}

/// A number made uncertain: widely (truncation, the mass check, integers
/// that cannot be uncertain) and malformed (low > high).
fn distributions(v: f64) -> Vec<(String, toml::Value)> {
    let table = |pairs: &[(&str, f64)]| {
        let t: toml::Table = pairs
            .iter()
            .map(|(k, x)| (k.to_string(), toml::Value::Float(*x)))
            .collect();
        toml::Value::Table(t)
    };
    let sd = v.abs() + 1.0;
    vec![
        (
            format!("{{ mean = {v}, sd = {sd} }}"),
            table(&[("mean", v), ("sd", sd)]),
        ),
        (
            format!("{{ low = {}, mode = {v}, high = {} }}", v + 1.0, v - 1.0),
            table(&[("low", v + 1.0), ("mode", v), ("high", v - 1.0)]),
        ),
    ]
}

/// Removes (or, with `copy`, duplicates as a sibling `<key>_copy` or a
/// repeated array element) the value at `path`.
fn toml_remove(root: &mut toml::Value, path: &[Seg], copy: bool) {
    let (last, parent) = path.split_last().expect("not the root");
    match (toml_get(root, parent), last) {
        (toml::Value::Table(t), Seg::Key(k)) if copy => {
            let v = t[k].clone();
            t.insert(format!("{k}_copy"), v);
        }
        (toml::Value::Table(t), Seg::Key(k)) => {
            t.remove(k);
        }
        (toml::Value::Array(a), Seg::Index(i)) if copy => {
            let v = a[*i].clone();
            a.insert(*i, v);
        }
        (toml::Value::Array(a), Seg::Index(i)) => {
            a.remove(*i);
        }
        _ => unreachable!("walked path"),
    }
}

/// Every structured mutation of a TOML file (empty if it does not parse).
pub fn toml_cases(file: usize, text: &str) -> Vec<Case> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let root = toml::Value::Table(table);
    let mut paths = Vec::new();
    toml_paths(&root, &mut Vec::new(), &mut paths);
    let mut cases = Vec::new();
    let mut push = |label: String, value: &toml::Value| {
        let text = toml::to_string(value).expect("a TOML table serialises");
        cases.push(Case::new(file, text.into_bytes(), label));
    };
    for path in paths.iter().filter(|p| !p.is_empty()) {
        let at = path_label(path);
        let mut value = root.clone();
        let target = toml_get(&mut value, path);
        if let toml::Value::Integer(_) | toml::Value::Float(_) = target {
            let integer = target.is_integer();
            let v = target.as_float().or(target.as_integer().map(|i| i as f64));
            for n in NUMBERS {
                *toml_get(&mut value, path) = hostile_toml(n, integer);
                push(format!("{at} = {n}"), &value);
            }
            for (label, d) in distributions(v.unwrap_or(0.0)) {
                *toml_get(&mut value, path) = d;
                push(format!("{at} = {label}"), &value);
            }
        }
        let mut value = root.clone();
        toml_remove(&mut value, path, false);
        push(format!("{at} removed"), &value);
        if matches!(toml_get(&mut root.clone(), path), toml::Value::Table(_)) {
            let mut value = root.clone();
            toml_remove(&mut value, path, true);
            push(format!("{at} duplicated"), &value);
        }
    }
    cases.extend(repeated_headers(file, text));
    cases
}

/// Each `[header]` section of the text repeated right after itself.
fn repeated_headers(file: usize, text: &str) -> Vec<Case> {
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with('['))
        .collect();
    headers
        .iter()
        .enumerate()
        .map(|(h, &start)| {
            let end = headers.get(h + 1).copied().unwrap_or(lines.len());
            let mut out: Vec<&str> = lines[..end].to_vec();
            out.extend_from_slice(&lines[start..]);
            let label = format!("section `{}` repeated", lines[start].trim());
            Case::new(file, out.join("\n").into_bytes(), label)
        })
        .collect()
}

// ------------------------------------------------------------------- CSV

/// Cells of the first `rows` data rows set to hostile numbers and to
/// empty; each column removed; the header and each of those rows removed
/// and repeated.
pub fn csv_cases(file: usize, text: &str, rows: usize) -> Vec<Case> {
    let table: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    let render = |t: &[Vec<&str>]| {
        let lines: Vec<String> = t.iter().map(|r| r.join(",")).collect();
        (lines.join("\n") + "\n").into_bytes()
    };
    let mut cases = Vec::new();
    let columns = table.first().map_or(0, Vec::len);
    for r in 1..table.len().min(rows + 1) {
        for c in 0..table[r].len() {
            for n in NUMBERS.iter().chain(&[""]) {
                let mut t = table.clone();
                t[r][c] = n;
                cases.push(Case::new(
                    file,
                    render(&t),
                    format!("row {r} col {c} = {n:?}"),
                ));
            }
        }
    }
    for c in 0..columns {
        let t: Vec<Vec<&str>> = (table.iter())
            .map(|row| {
                (row.iter().enumerate())
                    .filter(|(i, _)| *i != c)
                    .map(|(_, v)| *v)
                    .collect()
            })
            .collect();
        cases.push(Case::new(file, render(&t), format!("column {c} removed")));
    }
    for r in 0..table.len().min(rows + 1) {
        let mut t = table.clone();
        t.remove(r);
        cases.push(Case::new(file, render(&t), format!("row {r} removed")));
        let mut t = table.clone();
        t.insert(r, table[r].clone());
        cases.push(Case::new(file, render(&t), format!("row {r} repeated")));
    }
    cases
}

// ------------------------------------------------------------------ JSON

fn json_paths(value: &serde_json::Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(path.clone());
    match value {
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                path.push(Seg::Key(k.clone()));
                json_paths(v, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                json_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn json_get<'a>(root: &'a mut serde_json::Value, path: &[Seg]) -> &'a mut serde_json::Value {
    path.iter().fold(root, |v, seg| match seg {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

/// Every JSON value set to −1, 0, 1e300, a huge integer, "" and null (JSON
/// has no NaN or ∞), and every value removed.
pub fn json_cases(file: usize, text: &str) -> Vec<Case> {
    let Ok(root) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    json_paths(&root, &mut Vec::new(), &mut paths);
    let hostile: [serde_json::Value; 6] = [
        (-1).into(),
        0.into(),
        1e300.into(),
        u64::MAX.into(),
        "".into(),
        serde_json::Value::Null,
    ];
    let mut cases = Vec::new();
    for path in paths.iter().filter(|p| !p.is_empty()) {
        let at = path_label(path);
        for h in &hostile {
            let mut value = root.clone();
            *json_get(&mut value, path) = h.clone();
            cases.push(Case::new(
                file,
                value.to_string().into_bytes(),
                format!("{at} = {h}"),
            ));
        }
        let (last, parent) = path.split_last().expect("not the root");
        let mut value = root.clone();
        match (json_get(&mut value, parent), last) {
            (serde_json::Value::Object(o), Seg::Key(k)) => drop(o.remove(k)),
            (serde_json::Value::Array(a), Seg::Index(i)) => drop(a.remove(*i)),
            _ => unreachable!("walked path"),
        }
        cases.push(Case::new(
            file,
            value.to_string().into_bytes(),
            format!("{at} removed"),
        ));
    }
    cases
}

// -------------------------------------------------- replications.parquet

/// The footer length set to hostile values; the magic broken at either
/// end; the file cut in the middle of a page, of the footer and before its
/// last byte; bytes of a page and of the footer flipped; garbage appended.
pub fn bin_cases(file: usize, bytes: &[u8]) -> Vec<Case> {
    let len = bytes.len();
    let footer = u32::from_le_bytes(bytes[len - 8..len - 4].try_into().expect("a length")) as usize;
    let mut cases = Vec::new();
    let mut with = |label: &str, f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = bytes.to_vec();
        f(&mut b);
        cases.push(Case::new(file, b, label.to_string()));
    };
    for n in [
        0u32,
        footer as u32 - 1,
        footer as u32 + 1,
        len as u32,
        u32::MAX,
    ] {
        with(&format!("footer length {n}"), &|b| {
            b[len - 8..len - 4].copy_from_slice(&n.to_le_bytes())
        });
    }
    with("leading magic broken", &|b| b[0] = b'X');
    with("trailing magic broken", &|b| b[len - 1] = b'X');
    with("cut in a page", &|b| b.truncate(len / 2));
    with("cut in the footer", &|b| b.truncate(len - footer / 2));
    with("last byte dropped", &|b| b.truncate(len - 1));
    with("a page byte flipped", &|b| b[len / 3] ^= 0xff);
    with("a footer byte flipped", &|b| {
        b[len - 8 - footer / 2] ^= 0xff
    });
    with("garbage appended", &|b| b.extend_from_slice(b"PAR1PAR1"));
    cases
}
