//! `report RESULT_DIR [--out report.html] [--lang en|nl]`, also used by
//! `run --report` and `compare --report`.

use super::{LangFlag, ReportArgs};
use crate::error::{Error, InputError};
use crate::report::{self, Lang};
use std::io::Write;
use std::path::Path;

impl LangFlag {
    /// The language, or exit 2 listing the supported ones.
    pub fn lang(&self) -> Result<Lang, Error> {
        Lang::parse(&self.code).ok_or_else(|| {
            InputError::new(format!("unsupported report language `{}`", self.code))
                .field("--lang")
                .fix(format!(
                    "use one of: {} (English, Dutch)",
                    Lang::SUPPORTED.join(", ")
                ))
                .into()
        })
    }
}

/// Writes the report of `dir` and says where it went.
pub fn write_and_tell(dir: &Path, out: Option<&Path>, lang: Lang) -> Result<(), Error> {
    let (html, xlsx) = report::write(dir, out, lang)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "report: {} (and {})",
        html.display(),
        xlsx.display()
    )?;
    Ok(())
}

pub fn report(args: ReportArgs) -> Result<(), Error> {
    let lang = args.lang.lang()?;
    write_and_tell(&args.dir, args.out.as_deref(), lang)
}
