//! Random inputs: bytes from nothing, and byte- and line-level mutations of
//! a valid file (the AFL-style havoc stage, on stable Rust). Every choice
//! comes from the caller's seeded RNG, so a seed reproduces a case.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Tokens worth splicing into TOML and CSV: hostile numbers, syntax,
/// terminal escapes, invalid UTF-8.
const TOKENS: &[&[u8]] = &[
    b"nan",
    b"inf",
    b"-inf",
    b"-1",
    b"0",
    b"1e300",
    b"-1e300",
    b"1e-300",
    b"4294967296",
    b"18446744073709551616",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"0.0000001",
    b"\"\"",
    b"[",
    b"]",
    b"[[x]]",
    b"{",
    b"}",
    b"=",
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"#",
    b"\x1b[31m",
    b"\x07",
    b"\xff\xfe",
    b"\xc3",
    b"=cmd|' /C calc'!A0",
    b"extends = \"scenario.toml\"",
    b"extends = \"missing.toml\"",
    b"relapse = { probability = 1, delay = { distribution = \"fixed\", days = 0 } }",
    b"duration = { distribution = \"fixed\", days = 0 }",
];

/// Numbers that break arithmetic, as text.
pub const NUMBERS: &[&str] = &["-1", "0", "nan", "inf", "1e300"];

/// Between 0 and 2 KiB of noise: raw bytes, printable text or tokens.
pub fn random_bytes(rng: &mut ChaCha8Rng) -> Vec<u8> {
    let len = rng.random_range(0..2048);
    match rng.random_range(0..3) {
        0 => (0..len).map(|_| rng.random()).collect(),
        1 => (0..len).map(|_| rng.random_range(0x20..0x7f)).collect(),
        _ => {
            let mut out = Vec::new();
            while out.len() < len {
                out.extend_from_slice(TOKENS[rng.random_range(0..TOKENS.len())]);
                if rng.random_bool(0.3) {
                    out.push(b' ');
                }
            }
            out
        }
    }
}

/// One to four random edits of `seed`.
pub fn mutate(rng: &mut ChaCha8Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        edit(rng, &mut data);
    }
    data
}

fn edit(rng: &mut ChaCha8Rng, data: &mut Vec<u8>) {
    let at = |rng: &mut ChaCha8Rng, data: &Vec<u8>| rng.random_range(0..=data.len());
    match rng.random_range(0..12) {
        0 if !data.is_empty() => {
            let i = rng.random_range(0..data.len());
            data[i] ^= 1 << rng.random_range(0..8);
        }
        1 | 2 => {
            let token = TOKENS[rng.random_range(0..TOKENS.len())];
            let i = at(rng, data);
            data.splice(i..i, token.iter().copied());
        }
        3 => {
            let (a, b) = range(rng, data.len());
            data.drain(a..b);
        }
        4 => {
            let (a, b) = range(rng, data.len());
            let copy = data[a..b].to_vec();
            let i = at(rng, data);
            data.splice(i..i, copy);
        }
        5 => data.truncate(at(rng, data)),
        6..=8 => lines(rng, data),
        9 | 10 => replace_number(rng, data),
        _ if rng.random_bool(0.1) => {
            // A line longer than 65,535 columns (error carets, CSV cells).
            let i = at(rng, data);
            data.splice(i..i, std::iter::repeat_n(b'x', 70_000));
        }
        _ => {}
    }
}

/// A random sub-range, at most 64 bytes long.
fn range(rng: &mut ChaCha8Rng, len: usize) -> (usize, usize) {
    let a = rng.random_range(0..=len);
    let b = (a + rng.random_range(0..=64)).min(len);
    (a, b)
}

/// Deletes, duplicates or swaps whole lines.
fn lines(rng: &mut ChaCha8Rng, data: &mut Vec<u8>) {
    let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len();
    let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
    match rng.random_range(0..3) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let copy = lines[i].clone();
            lines.insert(j, copy);
        }
        _ => lines.swap(i, j),
    }
    *data = lines.join(&b'\n');
}

/// Replaces one run of digits (with its sign, point and exponent) by a
/// hostile number.
fn replace_number(rng: &mut ChaCha8Rng, data: &mut Vec<u8>) {
    let starts: Vec<usize> = (0..data.len())
        .filter(|&i| data[i].is_ascii_digit() && (i == 0 || !is_number_byte(data[i - 1])))
        .collect();
    if starts.is_empty() {
        return;
    }
    let start = starts[rng.random_range(0..starts.len())];
    let end = (start..data.len())
        .find(|&i| !is_number_byte(data[i]))
        .unwrap_or(data.len());
    let by = NUMBERS[rng.random_range(0..NUMBERS.len())];
    data.splice(start..end, by.bytes());
}

fn is_number_byte(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'e' | b'E' | b'-' | b'+')
}
