//! `fgl eval FILE`: evaluate offline and print the stack, params, public values and resources
//! as JSON or YAML (the document of docs/language.md, "Output"); with `--lowered`, the AWS
//! resource graph instead (docs/aws.md).

use std::io::{self, Write};

use super::{Ctx, Reporter, Status};
use crate::cli::{EvalArgs, OutputFormat};
use crate::pipeline;

pub fn run(args: &EvalArgs, ctx: &Ctx) -> io::Result<Status> {
    let Some((input, text)) = super::read_single(&args.file, ctx) else {
        return Ok(Status::Error);
    };
    let analysis = pipeline::analyze_with(&input, text, &args.inputs, args.lowered);
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
    // Large stacks print large documents: buffer them rather than flush at every line.
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if args.lowered {
        // Lowering reported why when there is no graph (e.g. no stack name).
        let Some(graph) = &analysis.lowered else {
            ctx.style.error(format!(
                "{}: nothing lowered ({})",
                input.display_name(),
                reporter.counts()
            ));
            return Ok(Status::Failed);
        };
        match args.format {
            OutputFormat::Json => {
                serde_json::to_writer_pretty(&mut out, graph).map_err(io::Error::other)?;
                writeln!(out)?;
            }
            OutputFormat::Yaml => {
                serde_norway::to_writer(&mut out, graph).map_err(io::Error::other)?;
            }
        }
        out.flush()?;
        return Ok(Status::Ok);
    }
    match args.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &output).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            serde_norway::to_writer(&mut out, &output).map_err(io::Error::other)?;
        }
    }
    out.flush()?;
    Ok(if reporter.errors > 0 {
        Status::Failed
    } else {
        Status::Ok
    })
}
