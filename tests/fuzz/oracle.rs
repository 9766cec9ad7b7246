//! The property, judged two ways. In process: the library call returns Ok
//! or Err within a time limit and never panics (run on a named thread
//! under `catch_unwind`; a panic hook records the message and location for
//! that thread only, other tests keep the default hook). The real binary:
//! within a time limit, exit code 0 or 2, never 1, never a signal, never a
//! panic message; with exit 2 the message names the case's folder (a file
//! in it, with its line where there is one).

use std::cell::RefCell;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Once, mpsc};
use std::time::{Duration, Instant};

const THREAD: &str = "fuzz-case";

/// What went wrong with one input.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The kind of failure: panic, hang, signal, exit-1, exit-N, unlocated,
    /// silent-corruption, disagree.
    pub symptom: &'static str,
    /// Where: a panic's source location or the first line of the message,
    /// with numbers and paths taken out (the key that deduplicates).
    pub key: String,
    /// The full message, for the report.
    pub detail: String,
}

impl Finding {
    pub fn new(symptom: &'static str, detail: &str) -> Finding {
        Finding {
            symptom,
            key: normalise(detail),
            detail: detail.chars().take(4000).collect(),
        }
    }
}

/// The outcome of one input.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Valid input, handled.
    Accepted,
    /// Bad input, refused with a located message.
    Rejected,
    Finding(Finding),
}

/// First line of a message with digits collapsed, paths and the contents
/// of `quotes` and (parentheses) taken out, so findings of one cause share a
/// key.
fn normalise(detail: &str) -> String {
    let first = detail.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out = String::new();
    let (mut quoted, mut depth, mut last_digit) = (false, 0usize, false);
    for word in first.split_whitespace() {
        let word = if word.contains('/') && !word.starts_with("src/") {
            "PATH"
        } else {
            word
        };
        for ch in word.chars() {
            let outside = !quoted && depth == 0;
            match ch {
                '`' if depth == 0 => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted && depth > 0 => depth -= 1,
                _ if !outside => continue,
                _ => {}
            }
            if !outside && (quoted || depth > 0) {
                continue;
            }
            let digit = ch.is_ascii_digit();
            if !(digit && last_digit) {
                out.push(if digit { '#' } else { ch });
            }
            last_digit = digit;
        }
        if !quoted && depth == 0 {
            out.push(' ');
        }
    }
    out.chars().take(160).collect::<String>().trim().to_string()
}

thread_local! {
    /// The location and message of this thread's last panic.
    static PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(THREAD) {
                return default(info);
            }
            let at = info
                .location()
                .map_or(String::new(), |l| format!("{}:{}", l.file(), l.line()));
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            PANIC.with(|p| *p.borrow_mut() = Some((at, message)));
        }));
    });
}

/// Runs `f` on a fresh thread (8 MiB of stack, as the binary's main
/// thread); a panic or a run past `limit` is a finding. A hung thread is
/// left behind: the caller stops feeding that target.
pub fn in_process<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Finding> {
    install_hook();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(THREAD.into())
        .stack_size(8 << 20)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
                .map_err(|_| PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default());
            let _ = tx.send(result);
        })
        .expect("a thread");
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err((at, message))) => Err(Finding {
            symptom: "panic",
            key: format!("panicked at {at}"),
            detail: format!("panicked at {at}: {message}"),
        }),
        Err(_) => Err(Finding::new("hang", &format!("no answer within {limit:?}"))),
    }
}

/// An in-process rejection must name the case's folder (a file in it).
pub fn judge_error(message: &str, dir: &Path) -> Verdict {
    if !message.contains(&dir.display().to_string()) {
        return Verdict::Finding(Finding::new("unlocated", message));
    }
    message_flaw(message).unwrap_or(Verdict::Rejected)
}

/// What a message for the terminal must not do: carry control characters
/// (ESC, BEL, … from the user's text) or print one error twice.
fn message_flaw(message: &str) -> Option<Verdict> {
    let finding = |key: String, detail: String| {
        let symptom = "message";
        Some(Verdict::Finding(Finding {
            symptom,
            key,
            detail,
        }))
    };
    if let Some(c) = message
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        let detail = format!("{c:?} reaches the terminal in:\n{message}");
        return finding("control character reaches the terminal".into(), detail);
    }
    let blocks: Vec<&str> = message.split("\nerror: ").collect();
    let repeated = (1..blocks.len()).find(|&i| blocks[..i].contains(&blocks[i]))?;
    let key = format!("error printed twice: {}", normalise(blocks[repeated]));
    finding(key, format!("printed twice:\n{}", blocks[repeated]))
}

/// What the binary did.
pub struct Ran {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub stderr: String,
}

/// Runs the binary with `args`, killing it after `limit`.
pub fn binary(args: &[&str], limit: Duration) -> Ran {
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jeugdstroom"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ran {
        code: status.code(),
        signal: status.signal(),
        timed_out,
        stderr: reader.join().unwrap_or_default(),
    }
}

/// The property for the binary; `dir` is the case's folder.
pub fn judge(ran: &Ran, dir: &Path) -> Verdict {
    let stderr = &ran.stderr;
    let finding = |symptom, detail: &str| Verdict::Finding(Finding::new(symptom, detail));
    if ran.timed_out {
        return finding("hang", "killed after the time limit");
    }
    if let Some(panic) = stderr.lines().find(|l| l.contains("panicked at")) {
        let message = stderr.lines().skip_while(|l| !l.contains("panicked at"));
        let detail: Vec<&str> = message.take(3).collect();
        let at = panic.split("panicked at ").nth(1).unwrap_or(panic);
        let at = at.rsplit_once(':').map_or(at, |(file_line, _)| file_line);
        return Verdict::Finding(Finding {
            symptom: "panic",
            key: format!("panicked at {at}"),
            detail: detail.join("\n"),
        });
    }
    if let Some(signal) = ran.signal {
        return finding("signal", &format!("killed by signal {signal}\n{stderr}"));
    }
    match ran.code {
        Some(0) => Verdict::Accepted,
        Some(2) if stderr.contains(&dir.display().to_string()) => {
            message_flaw(stderr).unwrap_or(Verdict::Rejected)
        }
        Some(2) => finding("unlocated", stderr),
        Some(1) => finding("exit-1", stderr),
        _ => finding("exit-other", &format!("exit {:?}\n{stderr}", ran.code)),
    }
}
