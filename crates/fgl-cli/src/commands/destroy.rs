//! `fgl destroy FILE`: delete every resource tagged with the file's stack, users before what
//! they use, after confirmation. Nothing without the stack's tag is ever touched.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;

use fgl_plan::ApplyOptions;

use super::apply::{report_failure, retry_policy};
use super::{stack, Ctx, Status};
use crate::cli::DestroyArgs;
use crate::render::{self, plural, progress};

pub fn run(args: &DestroyArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    stack::runtime()?.block_on(async {
        let provider = Arc::new(stack::connect(&args.aws).await);
        if let Err(status) =
            stack::lock(&provider, &graph.stack, "destroy", args.force_unlock, ctx).await
        {
            return Ok(status);
        }
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
            if !args.yes {
                let question = format!(
                    "Delete {} of stack `{}`? This cannot be undone.",
                    plural(deletes, "resource"),
                    graph.stack
                );
                match stack::confirm(&question) {
                    Ok(true) => {}
                    Ok(false) => {
                        ctx.style.note("Destroy cancelled: nothing was deleted.");
                        return Ok(Status::Failed);
                    }
                    Err(_) => {
                        ctx.style.error(
                            "destroy needs confirmation, and standard input is not a terminal\n  \
                             = help: pass --yes to destroy without asking",
                        );
                        return Ok(Status::Error);
                    }
                }
            }
            let display = progress::Display::new(&plan, ctx.style);
            let options = ApplyOptions {
                retry: retry_policy(),
                progress: Some(display.callback()),
                ..ApplyOptions::default()
            };
            let started = Instant::now();
            let report = fgl_plan::apply(provider.clone(), &plan, &options).await;
            let (reads, changes) = provider.call_log().counts();
            let stats = format!(
                "in {:.1}s, {} AWS calls ({reads} reads, {changes} changes)",
                started.elapsed().as_secs_f64(),
                reads + changes
            );
            if !report.succeeded() {
                report_failure(&report, ctx, &stats);
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
        stack::unlock(&provider, &graph.stack, ctx).await;
        status
    })
}
