//! `fgl check`: parse every file and report every diagnostic.
//!
//! Only syntax is checked so far; name resolution, types and evaluation plug in here as the
//! language crates grow.

use std::io;

use serde::Serialize;

use super::{Ctx, Reporter, Status};
use crate::cli::{CheckArgs, Format};
use crate::files::SourceMap;
use crate::render::json::{self, JsonDiagnostic};
use crate::render::plural;

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: &'a [JsonDiagnostic],
    files_checked: usize,
}

pub fn run(args: &CheckArgs, ctx: &Ctx) -> io::Result<Status> {
    let mut files = SourceMap::default();
    let mut reporter = Reporter::new(ctx);
    let mut status = super::for_each_source(&args.paths, ctx, |input, text| {
        let id = files.next_id();
        let (_module, diagnostics) = fgl_syntax::parse(id, &text);
        files.add(input.display_name(), text);
        reporter.report(&files, &diagnostics);
        Ok(Status::Ok)
    })?;

    match ctx.format {
        Format::Json => json::print(&Document {
            diagnostics: &reporter.json,
            files_checked: files.len(),
        })?,
        Format::Human if reporter.errors > 0 => ctx.style.error(format!(
            "{} in {}",
            reporter.counts(),
            plural(reporter.files_with_problems, "file")
        )),
        // After an unreadable file, "checked 1 file: no problems" would read as success.
        Format::Human if status == Status::Error => {}
        Format::Human => {
            let problems = if reporter.warnings > 0 {
                reporter.counts()
            } else {
                "no problems".to_string()
            };
            ctx.style.note(format!(
                "checked {}: {problems}",
                plural(files.len(), "file")
            ));
        }
    }
    if reporter.errors > 0 {
        status = status.max(Status::Failed);
    }
    Ok(status)
}
