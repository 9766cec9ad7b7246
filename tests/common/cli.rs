//! Running the real binary on bad input: scenario edits, temporary cases
//! and assertions that an error is located (file:line:col), names its field
//! and a fix, and never panics. Shared by the bad-input test files.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub const DEFAULT: &str = include_str!("../../scenarios/amsterdam-duo.toml");

/// 1-based line of the (unique) occurrence of `needle` in `text`.
pub fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "`{needle}` must occur exactly once"
    );
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// The default scenario with the one occurrence of `from` replaced by `to`.
pub fn edit(from: &str, to: &str) -> String {
    assert_eq!(
        DEFAULT.matches(from).count(),
        1,
        "`{from}` must occur exactly once in the default"
    );
    DEFAULT.replacen(from, to, 1)
}

/// What the binary did.
pub struct Out {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Exit code 0 and `validate`'s ok line for a variant of the default.
    pub fn accepted(&self) -> &Self {
        assert_eq!(self.code, Some(0), "stderr:\n{}", self.stderr);
        assert!(
            self.stdout.starts_with("ok: amsterdam-duo"),
            "{}",
            self.stdout
        );
        self
    }

    /// Exit code 2 and no panic.
    pub fn rejected(&self) -> &Self {
        assert_eq!(self.code, Some(2), "exit code; stderr:\n{}", self.stderr);
        for bad in ["panicked", "RUST_BACKTRACE"] {
            assert!(!self.stderr.contains(bad), "{bad} in:\n{}", self.stderr);
        }
        self
    }

    /// Rejected as bad input located at `error: FILE:LINE:COL:`, naming `field`.
    pub fn input_error(&self, file: &Path, line: usize, field: Option<&str>) -> &Self {
        self.rejected().contains("fix:");
        let prefix = format!("error: {}:{line}:", file.display());
        let located = self.stderr.match_indices(&prefix).any(|(i, _)| {
            let rest = &self.stderr[i + prefix.len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && rest[digits..].starts_with(':')
        });
        assert!(located, "no `{prefix}COL:` in:\n{}", self.stderr);
        if let Some(field) = field {
            let want = format!("field: {field}");
            assert!(
                self.stderr.lines().any(|l| l.trim() == want),
                "no `{want}` line in:\n{}",
                self.stderr
            );
        }
        self
    }

    pub fn contains(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "`{text}` not in:\n{}",
            self.stderr
        );
        self
    }
}

/// A temporary folder holding a scenario `bad.toml` and whatever it refers to.
pub struct Case {
    pub dir: TempDir,
    pub scenario: PathBuf,
}

impl Case {
    pub fn new(text: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("bad.toml");
        std::fs::write(&scenario, text).unwrap();
        Case { dir, scenario }
    }

    /// `bad.toml` holds `text` and extends `base.toml`, a copy of the default.
    pub fn over_default(text: &str) -> Case {
        let case = Case::new(text);
        case.file("base.toml", DEFAULT);
        case
    }

    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn validate(&self) -> Out {
        jeugdstroom(&["validate", path_str(&self.scenario)])
    }

    /// `run` with one replication must also refuse, writing nothing.
    pub fn run(&self) -> Out {
        let out_dir = self.dir.path().join("out");
        let out = jeugdstroom(&[
            "run",
            path_str(&self.scenario),
            "--replications",
            "1",
            "--quiet",
            "--out",
            path_str(&out_dir),
        ]);
        assert!(
            !out_dir.join("manifest.json").exists(),
            "run wrote a manifest"
        );
        out
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

pub fn jeugdstroom(args: &[&str]) -> Out {
    let output = Command::cargo_bin("jeugdstroom")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    Out {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `jeugdstroom run ARGS --quiet --out OUT`, which must succeed.
pub fn run_into(args: &[&str], out: &Path) {
    Command::cargo_bin("jeugdstroom")
        .expect("binary built")
        .arg("run")
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

/// The bytes of a result file.
pub fn read_result(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}
