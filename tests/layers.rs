//! The house rules of `src/`, checked on the source text: data flows one way
//! (no import cycles between top-level modules, none between the files of one
//! folder), the file format (`scenario`) knows nothing of the compiled `model`,
//! the simulation and the pricing never see the file format, and the event
//! engine stays free of youth-care concepts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Edges `from → to` between modules.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without comments and without its `#[cfg(test)] mod tests`.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source is UTF-8");
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Identifiers following `prefix` in `code`: `prefix name` and `prefix{a, b::c}`.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        rest = &rest[at + prefix.len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let inner = &list[..list.find('}').unwrap_or(list.len())];
            for item in inner.split(',') {
                let item = item.trim().split("::").next().unwrap_or("").trim();
                names.push(identifier(item));
            }
        } else {
            names.push(identifier(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .collect()
}

/// (top-level graph, per-folder graphs of sibling files).
fn graphs() -> (Graph, BTreeMap<String, Graph>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut top = Graph::new();
    let mut folders: BTreeMap<String, Graph> = BTreeMap::new();
    for file in files {
        let rel: Vec<String> = file
            .strip_prefix(&src)
            .expect("inside src")
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let code = code(&file);
        let module = rel[0].clone();
        for other in names_after(&code, "crate::") {
            if other != module {
                top.entry(module.clone()).or_default().insert(other);
            }
        }
        if rel.len() != 2 || rel[1] == "mod" {
            continue;
        }
        let me = &rel[1];
        let folder = src.join(&module);
        let sibling = |n: &str| folder.join(format!("{n}.rs")).exists() || folder.join(n).is_dir();
        let mut siblings = names_after(&code, "super::");
        siblings.extend(names_after(&code, &format!("crate::{module}::")));
        for other in siblings {
            if &other != me && sibling(&other) {
                let graph = folders.entry(module.clone()).or_default();
                graph.entry(me.clone()).or_default().insert(other);
            }
        }
    }
    (top, folders)
}

fn reaches(graph: &Graph, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from.to_string()) {
        return false;
    }
    graph
        .get(from)
        .is_some_and(|next| next.iter().any(|n| reaches(graph, n, to, seen)))
}

/// Every edge that lies on a cycle.
fn cyclic_edges(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (from, targets) in graph {
        for to in targets {
            if reaches(graph, to, from, &mut BTreeSet::new()) {
                found.push(format!("{from} → {to}"));
            }
        }
    }
    found
}

#[test]
fn top_level_modules_import_each_other_one_way_only() {
    let (top, _) = graphs();
    assert_eq!(cyclic_edges(&top), Vec::<String>::new());
}

#[test]
fn files_of_one_folder_import_each_other_one_way_only() {
    let (_, folders) = graphs();
    for (folder, graph) in &folders {
        assert_eq!(
            cyclic_edges(graph),
            Vec::<String>::new(),
            "in src/{folder}/"
        );
    }
}

#[test]
fn layers_see_only_what_they_may() {
    let (top, _) = graphs();
    let forbidden = [
        ("scenario", "model"),
        ("import", "model"),
        ("import", "sim"),
        ("import", "pipeline"),
        ("sim", "scenario"),
        ("finance", "scenario"),
        ("finance", "sim"),
        ("model", "sim"),
        ("engine", "model"),
        ("engine", "scenario"),
        ("engine", "sim"),
    ];
    for (from, to) in forbidden {
        let imports = top.get(from).cloned().unwrap_or_default();
        assert!(!imports.contains(to), "src/{from}/ imports crate::{to}");
    }
}

#[test]
fn the_checker_sees_a_cycle_and_a_list_import() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("a".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cyclic_edges(&graph), vec!["a → b", "b → a"]);
    let names = names_after("use super::{x, y::Z};\nuse crate::m::q;", "super::");
    assert_eq!(names, vec!["x", "y"]);
}
