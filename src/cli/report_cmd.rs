//! `report RESULT_DIR [--out report.html] [--lang en|nl]`, also used by
//! `run --report` and `compare --report`.

use super::LangFlag;
use crate::error::Error;
use crate::report::{self, Lang};
use crate::text::printable_path;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A result folder written by `run`, `merge` or `compare`.
    pub dir: PathBuf,
    /// HTML file to write (default: RESULT_DIR/report.html); the workbook goes beside it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub lang: LangFlag,
}

/// Writes the report of `dir` and says where it went.
pub fn write_and_tell(dir: &Path, out: Option<&Path>, lang: Lang) -> Result<(), Error> {
    if let Some(out) = out {
        crate::output::check_out_file(out, "--out")?;
    }
    let (html, xlsx) = report::write(dir, out, lang)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "report: {} (and {})",
        printable_path(&html),
        printable_path(&xlsx)
    )?;
    Ok(())
}

pub fn report(args: ReportArgs) -> Result<(), Error> {
    write_and_tell(&args.dir, args.out.as_deref(), args.lang.lang())
}
