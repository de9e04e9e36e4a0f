//! `fgl check`: run every file through the pipeline (parse, resolve names, type check,
//! evaluate, run checks), offline, and report every diagnostic.

use std::collections::HashSet;
use std::io;

use fgl_syntax::Diagnostic;

use serde::Serialize;

use super::{Ctx, Reporter, Status};
use crate::cli::{CheckArgs, Format};
use crate::pipeline;
use crate::render::json::{self, JsonDiagnostic};
use crate::render::plural;

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: &'a [JsonDiagnostic],
    files_checked: usize,
}

pub fn run(args: &CheckArgs, ctx: &Ctx) -> io::Result<Status> {
    let mut reporter = Reporter::new(ctx);
    let mut checked = 0;
    // A file imported by several checked files reports its problems once.
    let mut reported = HashSet::new();
    let mut status = super::for_each_source(&args.paths, ctx, |input, text| {
        checked += 1;
        let analysis = pipeline::analyze(&input, text, &args.inputs);
        let fresh: Vec<Diagnostic> = analysis
            .diagnostics
            .into_iter()
            .filter(|d| {
                let file = analysis.files.get(d.span().file).map(|f| f.name.clone());
                reported.insert((file, d.code, d.span().start, d.span().end))
            })
            .collect();
        reporter.report(&analysis.files, &fresh);
        pipeline::exit_soon((analysis.output, analysis.lowered));
        Ok(Status::Ok)
    })?;

    match ctx.format {
        Format::Json => json::print(&Document {
            diagnostics: &reporter.json,
            files_checked: checked,
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
            ctx.style
                .note(format!("checked {}: {problems}", plural(checked, "file")));
        }
    }
    if reporter.errors > 0 {
        status = status.max(Status::Failed);
    }
    Ok(status)
}
