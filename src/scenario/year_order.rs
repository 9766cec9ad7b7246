//! Year tables must list their years in increasing order. The parsed TOML
//! table no longer knows the order keys were written in, so the check reads
//! the key positions from the raw document.

use crate::error::{InputError, Location};
use toml::de::{DeTable, DeValue};

/// Fails on the first year table of `text` whose keys decrease.
pub fn check(origin: &str, text: &str) -> Result<(), InputError> {
    let Ok(doc) = DeTable::parse(text) else {
        // Syntax errors are reported by the main parser.
        return Ok(());
    };
    let mut path = Vec::new();
    walk(doc.get_ref(), &mut path).map_or(Ok(()), |(field, offset, year, before)| {
        Err(InputError::new(format!(
            "year {year} in `{field}` is written after {before}; years must increase"
        ))
        .at(Location::from_offset(origin, text, offset))
        .field(&field)
        .fix("list the years of a profile table in increasing order, e.g. { 2028 = 1.0, 2030 = 0.8 }"))
    })
}

/// (field, byte offset, year, the later year written before it)
type Disorder = (String, usize, i32, i32);

fn walk(table: &DeTable<'_>, path: &mut Vec<String>) -> Option<Disorder> {
    let mut years: Vec<(usize, i32)> = Vec::new();
    let mut all_years = !table.is_empty();
    for (key, value) in table {
        let name = key.get_ref().to_string();
        match name.parse::<i32>() {
            Ok(y) => years.push((key.span().start, y)),
            Err(_) => all_years = false,
        }
        path.push(name);
        let found = match value.get_ref() {
            DeValue::Table(t) => walk(t, path),
            DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                DeValue::Table(t) => walk(t, path),
                _ => None,
            }),
            _ => None,
        };
        path.pop();
        if found.is_some() {
            return found;
        }
    }
    if !all_years {
        return None;
    }
    years.sort_unstable();
    years
        .windows(2)
        .find(|w| w[1].1 < w[0].1)
        .map(|w| (path.join("."), w[1].0, w[1].1, w[0].1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decreasing_years_are_found_with_their_position() {
        let text = "[a]\nx = { 2028 = 1, 2031 = 2, 2030 = 3 }\n";
        let e = check("f.toml", text).unwrap_err();
        assert!(e.message.contains("year 2030"), "{}", e.message);
        assert_eq!(e.field.as_deref(), Some("a.x"));
        assert!(check("f.toml", "x = { 2028 = 1, 2030 = 2 }\ny = 3\n").is_ok());
    }
}
