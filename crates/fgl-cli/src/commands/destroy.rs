//! `fgl destroy FILE`: delete every resource tagged with the file's stack, users before what
//! they use, after confirmation. Nothing without the stack's tag is ever touched.

use std::io::{self, Write};
use std::sync::Arc;

use super::{stack, Ctx, Status};
use crate::cli::DestroyArgs;
use crate::render::{self, plural};

pub fn run(args: &DestroyArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    stack::runtime()?.block_on(async {
        let provider = Arc::new(stack::connect(&args.aws).await);
        let holder =
            match stack::lock(&provider, &graph.stack, "destroy", args.force_unlock, ctx).await {
                Ok(holder) => holder,
                Err(status) => return Ok(status),
            };
        let status = async {
            let plan = match fgl_plan::plan_destroy(&*provider, &graph.stack, Some(&graph)).await {
                Ok(plan) => plan,
                Err(e) => {
                    ctx.style
                        .error(format!("cannot plan the destroy of `{}`: {e}", graph.stack));
                    return Ok(Status::Failed);
                }
            };
            let deletes = plan.pending().count();
            if deletes == 0 {
                writeln!(
                    io::stdout().lock(),
                    "Nothing to destroy: no resource is tagged fgl:stack={}.",
                    graph.stack
                )?;
                return Ok(Status::Ok);
            }
            let style = render::Style::for_stdout(ctx.color);
            io::stdout()
                .lock()
                .write_all(render::plan::render(&plan, style).as_bytes())?;
            let question = format!(
                "Delete {} of stack `{}`? This cannot be undone.",
                plural(deletes, "resource"),
                graph.stack
            );
            if let Err(status) = stack::consent(args.yes, &question, "destroy", ctx) {
                return Ok(status);
            }
            let (report, stats) = stack::execute(&provider, &plan, 8, ctx).await;
            if !report.succeeded() {
                stack::report_failure(&report, ctx, &stats);
                return Ok(Status::Failed);
            }
            writeln!(
                io::stdout().lock(),
                "\nDestroy complete: {} deleted {stats}.",
                plural(deletes, "resource")
            )?;
            Ok(Status::Ok)
        }
        .await;
        stack::unlock(&provider, &graph.stack, &holder, ctx).await;
        status
    })
}
