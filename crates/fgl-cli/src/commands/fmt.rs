//! `fgl fmt`: rewrite files in the canonical style, or (`--check`) list those that are not.

use std::io::{self, Write};

use fgl_fmt::format_source;
use serde::Serialize;

use super::{Ctx, Reporter, Status};
use crate::cli::{FmtArgs, Format};
use crate::files::{FileError, Input, SourceMap};
use crate::render::json::{self, JsonDiagnostic};
use crate::render::plural;

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: &'a [JsonDiagnostic],
    files_checked: usize,
    /// Files reformatted (or, with `--check`, that would be).
    changed: &'a [String],
}

pub fn run(args: &FmtArgs, ctx: &Ctx) -> io::Result<Status> {
    let mut files = SourceMap::default();
    let mut reporter = Reporter::new(ctx);
    let mut changed = Vec::new();
    // Set when standard input was formatted to stdout: stdout then holds that text only.
    let mut wrote_text = false;
    let mut out = io::stdout().lock();

    let status = super::for_each_source(&args.paths, ctx, |input, text| {
        let name = input.display_name();
        let id = files.next_id();
        let result = format_source(id, &text);
        files.add(name.clone(), text);
        let formatted = match result {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                if diagnostics.is_empty() {
                    // The formatter promises diagnostics with an Err; never fail silently.
                    ctx.style.error(format!(
                        "cannot format {name}: the formatter gave no reason"
                    ));
                }
                reporter.report(&files, &diagnostics);
                return Ok(Status::Failed);
            }
        };
        let original = files.get(id).map_or("", |f| f.text.as_str());
        let is_changed = formatted != original;

        if input.is_stdin() && !args.check {
            out.write_all(formatted.as_bytes())?;
            wrote_text = true;
            return Ok(Status::Ok);
        }
        if !is_changed {
            return Ok(Status::Ok);
        }
        changed.push(name.clone());
        if args.check {
            if ctx.format == Format::Human {
                writeln!(out, "{name}")?;
            }
            return Ok(Status::Failed);
        } else if let Input::File(path) = &input {
            match std::fs::write(path, formatted) {
                Ok(()) if ctx.format == Format::Human => {
                    ctx.style.note(format!("formatted {name}"))
                }
                Ok(()) => {}
                Err(e) => {
                    ctx.style.error(FileError::write(name, e));
                    return Ok(Status::Error);
                }
            }
        }
        Ok(Status::Ok)
    })?;
    out.flush()?;
    drop(out);

    match ctx.format {
        // Standard input formatted to stdout already: a JSON document after it would corrupt it.
        Format::Json if wrote_text => {}
        Format::Json => json::print(&Document {
            diagnostics: &reporter.json,
            files_checked: files.len(),
            changed: &changed,
        })?,
        Format::Human if reporter.errors > 0 => ctx.style.error(format!(
            "{} in {}; left unformatted",
            reporter.counts(),
            plural(reporter.files_with_problems, "file")
        )),
        Format::Human => {}
    }
    Ok(status)
}
