//! Maps a field path such as `care_forms.secure.tariff` back to a file, line
//! and column, searching the `extends` chain from the named file down to its
//! bases (the first file that sets a field is the one to edit).

use crate::error::{InputError, Location};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// Shared: a replication's drawn scenario reports into the same texts.
    files: std::sync::Arc<Vec<(String, String)>>,
}

fn find_in_table(table: &DeTable<'_>, path: &[&str]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
    if rest.is_empty() {
        return Some(key.span());
    }
    find_in_value(value, rest).or(Some(key.span()))
}

fn find_in_value(value: &Spanned<DeValue<'_>>, path: &[&str]) -> Option<Range<usize>> {
    match value.get_ref() {
        DeValue::Table(t) => find_in_table(t, path),
        DeValue::Array(items) => {
            let index: usize = path[0].parse().ok()?;
            let item = items.get(index)?;
            if path.len() == 1 {
                Some(item.span())
            } else {
                find_in_value(item, &path[1..]).or(Some(item.span()))
            }
        }
        _ => None,
    }
}

/// Depth of the longest prefix of `path` present in `table`.
fn matched_depth(table: &DeTable<'_>, path: &[&str]) -> usize {
    (1..=path.len())
        .rev()
        .find(|&n| find_exact(table, &path[..n]))
        .unwrap_or(0)
}

fn find_exact(table: &DeTable<'_>, path: &[&str]) -> bool {
    let mut current: Option<&DeTable<'_>> = Some(table);
    for (i, seg) in path.iter().enumerate() {
        let Some(t) = current else { return false };
        let Some((_, value)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == *seg) else {
            return false;
        };
        if i + 1 == path.len() {
            return true;
        }
        current = match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    true
}

impl Sources {
    pub fn push(&mut self, origin: String, text: String) {
        std::sync::Arc::make_mut(&mut self.files).push((origin, text));
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Name of the file the user named (the head of the chain).
    pub fn origin(&self) -> &str {
        self.files.first().map_or("<scenario>", |(o, _)| o.as_str())
    }

    /// Names of the files of the chain, the named file first.
    pub fn origins(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(o, _)| o.as_str())
    }

    /// All file texts, for hashing.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(_, t)| t.as_str())
    }

    fn location(&self, index: usize, path: &[&str]) -> Location {
        let (origin, text) = &self.files[index];
        let offset = DeTable::parse(text)
            .ok()
            .and_then(|t| find_in_table(t.get_ref(), path))
            .map_or(0, |r| r.start);
        Location::from_offset(origin, text, offset)
    }

    /// Where `path` is set (the named file first) and the comment written
    /// with it: the comment lines right above its line and a trailing comment.
    pub fn annotation(&self, path: &[&str]) -> Option<(String, String)> {
        for (origin, text) in self.files.iter() {
            let Ok(t) = DeTable::parse(text) else {
                continue;
            };
            if !find_exact(t.get_ref(), path) {
                continue;
            }
            let offset = find_in_table(t.get_ref(), path).map_or(0, |r| r.start);
            let location = Location::from_offset(origin, text, offset);
            let lines: Vec<&str> = text.lines().collect();
            let index = location.line.saturating_sub(1);
            let mut above: Vec<&str> = lines[..index.min(lines.len())]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with('#'))
                .map(|l| l.trim_start().trim_start_matches('#').trim())
                .collect();
            above.reverse();
            let trailing = lines
                .get(index)
                .and_then(|l| l.split_once(" # "))
                .map(|(_, c)| c.trim());
            let comment = above
                .into_iter()
                .chain(trailing)
                .collect::<Vec<_>>()
                .join(" ");
            return Some((format!("{}:{}", origin, location.line), comment));
        }
        None
    }

    /// An error at `path` in file `index` of the chain.
    pub fn error_at(&self, index: usize, path: &[&str], message: impl Into<String>) -> InputError {
        InputError::new(message)
            .field(path.join("."))
            .at(self.location(index, path))
    }

    /// An error at `path`, located in the file of the chain that sets the
    /// most of that path (the named file wins ties).
    pub fn error(&self, path: &[&str], message: impl Into<String>) -> InputError {
        let mut best = (0, 0);
        for (i, (_, text)) in self.files.iter().enumerate() {
            if let Ok(t) = DeTable::parse(text) {
                let depth = matched_depth(t.get_ref(), path);
                if depth > best.1 {
                    best = (i, depth);
                }
            }
        }
        if self.files.is_empty() {
            return InputError::new(message).field(path.join("."));
        }
        self.error_at(best.0, path, message)
    }
}
