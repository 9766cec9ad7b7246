//! Plain-CSV plumbing shared by the CBS file and the mapping files: the
//! delimiter CBS exports use, and where a record's field sits in the text
//! for an error message.

use crate::error::{InputError, InputErrors, Location};
use std::path::Path;

/// A file read whole, with its name for messages.
pub struct Text {
    pub file: String,
    pub text: String,
}

impl Text {
    /// Reads a UTF-8 file named by the user (a leading byte-order mark, as
    /// Excel and StatLine write it, is dropped).
    pub fn read(path: &Path, what: &str, flag: &str) -> Result<Text, InputErrors> {
        let file = path.display().to_string();
        let bytes = crate::limits::read_input(path).map_err(|e| {
            InputError::new(format!("cannot read {what} {file}: {e}"))
                .in_file(path)
                .field(flag)
                .fix(format!("check the path of the {what}"))
        });
        let bytes = bytes.map_err(|e| InputErrors(vec![e]))?;
        let text = crate::scenario::text::utf8(&file, &bytes).map_err(|e| InputErrors(vec![e]))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        Ok(Text { file, text })
    }

    pub fn embedded(file: &str, text: &str) -> Text {
        Text {
            file: file.to_string(),
            text: text.to_string(),
        }
    }

    /// The separator the first line (not a `#` comment) uses most: `;`
    /// (StatLine's Dutch CSV), a tab (a TSV download), else `,` (the OData
    /// TypedDataSet written by cbsodata, cbsodataR or pandas).
    pub fn delimiter(&self) -> u8 {
        let first = (self.text.lines())
            .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        let count = |c| first.chars().filter(|x| *x == c).count();
        let (tabs, semicolons, commas) = (count('\t'), count(';'), count(','));
        if tabs > semicolons.max(commas) {
            b'\t'
        } else if semicolons > commas {
            b';'
        } else {
            b','
        }
    }

    /// A reader over the text: fields trimmed, `#` lines are comments when
    /// `comments` (mapping files), rows may differ in length (checked by
    /// the callers, with a location).
    pub fn reader(&self, delimiter: u8, comments: bool) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .trim(csv::Trim::All)
            .flexible(true)
            .comment(comments.then_some(b'#'))
            .from_reader(self.text.as_bytes())
    }

    /// Location of field `index` of the record starting at byte `offset`.
    pub fn at(&self, offset: usize, index: usize, delimiter: u8) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let rest = &self.text[offset..];
        offset += rest.len() - rest.trim_start_matches(['\n', '\r']).len();
        let mut loc = Location::from_offset(&self.file, &self.text, offset);
        loc.column = field_column(&loc.source_line, index, delimiter as char);
        loc
    }

    /// An error at field `index` of the record at `offset`.
    pub fn error(
        &self,
        (offset, index): (usize, usize),
        delimiter: u8,
        field: &str,
        message: String,
        fix: impl Into<String>,
    ) -> InputError {
        InputError::new(message)
            .at(self.at(offset, index, delimiter))
            .field(field)
            .fix(fix)
    }
}

/// 1-based character column where field `index` starts in a CSV `line`
/// (quotes respected, leading blanks skipped); 1 if the line is shorter.
/// Shared with the history reader of `calibrate`, which reads the same kind of file.
pub fn field_column(line: &str, index: usize, delimiter: char) -> usize {
    let chars: Vec<char> = line.chars().collect();
    let (mut field, mut start, mut quoted) = (0, 0, false);
    for (i, c) in chars.iter().enumerate() {
        if field == index {
            break;
        }
        if *c == '"' {
            quoted = !quoted;
        } else if *c == delimiter && !quoted {
            field += 1;
            start = i + 1;
        }
    }
    if field < index {
        return 1;
    }
    let blanks = chars[start..]
        .iter()
        .take_while(|c| **c == ' ' || **c == '\t')
        .count();
    start + blanks + 1
}

/// Byte offset of a record (0 when csv gives none).
pub fn offset(record: &csv::StringRecord) -> usize {
    record.position().map_or(0, |p| p.byte() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_delimiters() {
        assert_eq!(field_column("a,b,c", 2, ','), 5);
        assert_eq!(field_column("\"a,x\";  b", 1, ';'), 9);
        assert_eq!(field_column("a", 3, ','), 1);
        let t = Text::embedded("f", "ID;RegioS;Perioden\n1;GM0363;2021JJ00\n");
        assert_eq!(t.delimiter(), b';');
        let loc = t.at(19, 2, b';');
        assert_eq!((loc.line, loc.column), (2, 10));
    }
}
