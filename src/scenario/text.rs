//! Text files as the user wrote them: bytes checked to be UTF-8, with a
//! byte that is not reported at its own line and column (not at line 1).

use crate::error::{InputError, Location};

/// The bytes of `origin` as text, or an error at the first invalid byte.
pub fn utf8<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let mut at = Location::from_offset(origin, prefix, valid);
        let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
        let line_end = bytes[valid..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| valid + i);
        let line = String::from_utf8_lossy(&bytes[line_start..line_end]);
        at.source_line = line.trim_end_matches('\r').to_string();
        InputError::new(format!(
            "{origin} is not UTF-8 text: byte 0x{:02x} at line {}, column {} cannot be decoded",
            bytes[valid], at.line, at.column
        ))
        .at(at)
        .fix("save the file as UTF-8 (in a spreadsheet: CSV UTF-8; in an editor: encoding UTF-8)")
    })
}

/// Reads `path` as UTF-8 text; `unreadable` words the error when it cannot
/// be read at all.
pub fn read(
    path: &std::path::Path,
    unreadable: impl FnOnce(std::io::Error) -> InputError,
) -> Result<String, InputError> {
    let bytes = crate::limits::read_input(path).map_err(unreadable)?;
    utf8(&path.display().to_string(), &bytes)?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_byte_is_located_at_its_line_and_column() {
        let bytes = b"a = 1\nname = \"x\xffy\"\n";
        let e = utf8("f.toml", bytes).unwrap_err();
        let at = e.location.unwrap();
        assert_eq!((at.line, at.column), (2, 10));
        assert!(at.source_line.starts_with("name = \"x"));
        assert!(e.message.contains("0xff"));
    }
}
