//! `fgl eval FILE`: evaluate offline and print the stack, params, public values and resources
//! as JSON or YAML (the document of docs/language.md, "Output").

use std::io::{self, Write};

use super::{Ctx, Reporter, Status};
use crate::cli::{EvalArgs, OutputFormat};
use crate::files::{self, Input};
use crate::pipeline;

pub fn run(args: &EvalArgs, ctx: &Ctx) -> io::Result<Status> {
    let input = if args.file.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(args.file.clone())
    };
    let text = match files::read(&input) {
        Ok(text) => text,
        Err(e) => {
            ctx.style.error(e);
            return Ok(Status::Error);
        }
    };
    let analysis = pipeline::analyze(&input, text, &args.inputs);
    let mut reporter = Reporter::new(ctx);
    reporter.report(&analysis.files, &analysis.diagnostics);
    let Some(output) = analysis.output else {
        ctx.style.error(format!(
            "{}: nothing evaluated ({})",
            input.display_name(),
            reporter.counts()
        ));
        return Ok(Status::Failed);
    };
    let document = output.to_json();
    let mut out = io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &document).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            let text = serde_norway::to_string(&document).map_err(io::Error::other)?;
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(if reporter.errors > 0 {
        Status::Failed
    } else {
        Status::Ok
    })
}
