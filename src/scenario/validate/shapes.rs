//! Every time profile written as a shape, wherever it sits in the file:
//! its `end` must not lie before its `start`. Walks the merged TOML, so no
//! field that takes a profile can be missed.

use super::checker::Checker;

/// Checks every `{ shape = …, start, end }` table of the merged scenario.
pub(super) fn check(c: &mut Checker<'_>, merged: &toml::Table) {
    walk(c, &mut Vec::new(), merged);
}

fn walk(c: &mut Checker<'_>, path: &mut Vec<String>, table: &toml::Table) {
    if table.get("shape").is_some_and(toml::Value::is_str) {
        let year = |k: &str| table.get(k).and_then(toml::Value::as_integer);
        if let (Some(start), Some(end)) = (year("start"), year("end"))
            && end < start
        {
            path.push("end".to_string());
            let at: Vec<&str> = path.iter().map(String::as_str).collect();
            c.fail(
                &at,
                format!(
                    "the shape `{}` ends in {end}, before its start in {start}",
                    at[..at.len() - 1].join(".")
                ),
                "make end ≥ start (end is the year the change is complete)",
            );
            path.pop();
        }
    }
    for (key, value) in table {
        path.push(key.clone());
        match value {
            toml::Value::Table(t) => walk(c, path, t),
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let toml::Value::Table(t) = item {
                        path.push(i.to_string());
                        walk(c, path, t);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
        path.pop();
    }
}
