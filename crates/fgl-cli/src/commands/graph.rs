//! `fgl graph FILE`: draw the AWS resource graph the file lowers to, as Graphviz dot or
//! Mermaid (each fgl resource a cluster of its AWS resources, arrows to dependencies).

use std::io::{self, Write};

use super::{Ctx, Reporter, Status};
use crate::cli::{GraphArgs, GraphFormat};
use crate::pipeline;

pub fn run(args: &GraphArgs, ctx: &Ctx) -> io::Result<Status> {
    let Some((input, text)) = super::read_single(&args.file, ctx) else {
        return Ok(Status::Error);
    };
    let analysis = pipeline::analyze_with(&input, text, &args.inputs, true);
    let mut reporter = Reporter::new(ctx);
    reporter.report(&analysis.files, &analysis.diagnostics);
    let Some(graph) = analysis.lowered else {
        ctx.style.error(format!(
            "{}: nothing to draw ({})",
            input.display_name(),
            reporter.counts()
        ));
        return Ok(Status::Failed);
    };
    let drawing = match args.format {
        GraphFormat::Dot => fgl_lower::render::dot(&graph),
        GraphFormat::Mermaid => fgl_lower::render::mermaid(&graph),
    };
    io::stdout().lock().write_all(drawing.as_bytes())?;
    Ok(if reporter.errors > 0 {
        Status::Failed
    } else {
        Status::Ok
    })
}
