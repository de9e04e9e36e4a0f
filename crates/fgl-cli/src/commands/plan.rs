//! `fgl plan FILE`: read the stack's live resources, diff them against the file, and print
//! what `apply` would do. Changes nothing.

use std::io::{self, Write};

use fgl_aws::AwsProvider;
use fgl_plan::Plan;

use super::{stack, Ctx, Status};
use crate::cli::{Format, PlanArgs};
use crate::render;

pub fn run(args: &PlanArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    let runtime = stack::runtime()?;
    runtime.block_on(async {
        let provider = stack::connect(&args.aws).await;
        let plan = match make(&provider, &graph, ctx).await {
            Some(plan) => plan,
            None => return Ok(Status::Failed),
        };
        match args.format.format {
            Format::Json => render::json::print(&plan.to_json())?,
            Format::Human => {
                let style = render::Style::for_stdout(ctx.color);
                io::stdout()
                    .lock()
                    .write_all(render::plan::render(&plan, style).as_bytes())?;
            }
        }
        Ok(if !plan.conflicts.is_empty() {
            Status::Failed
        } else if args.detailed_exitcode && !plan.is_empty() {
            Status::Changes
        } else {
            Status::Ok
        })
    })
}

/// Plans `graph` against AWS, reporting a failed AWS call as one error line.
pub async fn make(provider: &AwsProvider, graph: &fgl_lower::Graph, ctx: &Ctx) -> Option<Plan> {
    match fgl_plan::plan(provider, graph).await {
        Ok(plan) => Some(plan),
        Err(e) => {
            ctx.style
                .error(format!("cannot plan stack `{}`: {e}", graph.stack));
            None
        }
    }
}
