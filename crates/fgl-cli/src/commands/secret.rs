//! `fgl secret set FILE NAME`: write a secret's value into its SSM SecureString parameter.
//! The value is read from standard input or a prompt that does not echo, goes to AWS in the
//! request, and is never printed, logged or kept.

use std::io::{self, IsTerminal, Read, Write};
use std::sync::Arc;

use fgl_aws::{AwsProvider, SecretTarget, SecretValue, Written};
use fgl_lower::Graph;
use fgl_plan::{Action, Change};
use serde_json::Value;

use super::{plan, stack, watch, Ctx, Status};
use crate::cli::{SecretSetArgs, WaitArgs};
use crate::render;

const PARAMETER: &str = "AWS::SSM::Parameter";

pub fn set(args: &SecretSetArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    let Some(node) = graph
        .nodes
        .iter()
        .find(|n| n.kind == PARAMETER && n.owner == args.name)
    else {
        let secrets: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == PARAMETER)
            .map(|n| n.owner.as_str())
            .collect();
        let known = if secrets.is_empty() {
            "it declares no aws.Secret".to_string()
        } else {
            format!("its secrets: {}", secrets.join(", "))
        };
        ctx.style.error(format!(
            "no secret `{}` in {} ({known})",
            args.name,
            args.file.display()
        ));
        return Ok(Status::Failed);
    };
    let text = |key: &str| {
        node.properties
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let Some(name) = text("Name") else {
        ctx.style.error(format!(
            "internal error: the parameter of `{}` has no name",
            args.name
        ));
        return Ok(Status::Failed);
    };
    let value = match read_value(&args.name, &name) {
        Ok(v) if v.is_empty() => {
            ctx.style.error("the value is empty: nothing was written");
            return Ok(Status::Failed);
        }
        Ok(v) => v,
        Err(e) => {
            ctx.style
                .error(format!("cannot read the secret's value: {e}"));
            return Ok(Status::Error);
        }
    };
    let target = SecretTarget {
        stack: graph.stack.clone(),
        id: node.id.clone(),
        name: name.clone(),
        description: text("Description"),
        kms_key: text("KeyId"),
    };
    stack::runtime()?.block_on(async {
        let provider = Arc::new(stack::connect(&args.aws).await);
        match fgl_aws::ssm::secret::put(provider.clients(), &target, &value).await {
            Ok(written) => {
                let (what, version) = match written {
                    Written::Created { version } => ("created", version),
                    Written::Updated { version } => ("updated", version),
                };
                writeln!(
                    io::stdout().lock(),
                    "Secret `{}` {what}: {name} (version {version}).",
                    args.name
                )?;
                if args.redeploy {
                    return redeploy(&provider, &graph, &args.name, &args.wait, ctx).await;
                }
                Ok(Status::Ok)
            }
            Err(e) => {
                ctx.style.error(e.message);
                Ok(Status::Failed)
            }
        }
    })
}

/// The value: from a no-echo prompt on a terminal, else all of standard input without its
/// final line break (what `echo` adds).
fn read_value(binding: &str, parameter: &str) -> io::Result<SecretValue> {
    if io::stdin().is_terminal() {
        let value =
            rpassword::prompt_password(format!("Value of secret `{binding}` ({parameter}): "))?;
        return Ok(SecretValue::new(value));
    }
    let mut value = String::new();
    io::stdin().lock().read_to_string(&mut value)?;
    if value.ends_with('\n') {
        value.pop();
        if value.ends_with('\r') {
            value.pop();
        }
    }
    Ok(SecretValue::new(value))
}

/// Whether a change is only a redeploy for new secret versions.
fn is_redeploy(change: &Change) -> bool {
    matches!(&change.action, Action::Update { fields }
        if change.kind == "AWS::ECS::Service"
            && fields.iter().all(|f| f.path.starts_with("SecretVersions.")))
}

/// Redeploys, under the stack's lock, the services whose only change is a secret's new
/// version; nothing else of the plan is applied.
async fn redeploy(
    provider: &Arc<AwsProvider>,
    graph: &Graph,
    binding: &str,
    wait: &WaitArgs,
    ctx: &Ctx,
) -> io::Result<Status> {
    // As apply: nothing to redeploy is found without the lock.
    let Some(first) = plan::make(provider, graph, ctx).await else {
        return Ok(Status::Failed);
    };
    if first.only(is_redeploy).pending().next().is_none() {
        writeln!(
            io::stdout().lock(),
            "No container to redeploy: none uses secret `{binding}`, or the stack is not deployed yet."
        )?;
        return Ok(Status::Ok);
    }
    let holder = match stack::lock(provider, &graph.stack, "redeploy", false, ctx).await {
        Ok(holder) => holder,
        Err(status) => return Ok(status),
    };
    let outcome = async {
        let Some(full) = plan::make(provider, graph, ctx).await else {
            return Ok(Err(Status::Failed));
        };
        let plan = full.only(is_redeploy);
        let style = render::Style::for_stdout(ctx.color);
        io::stdout()
            .lock()
            .write_all(render::plan::render(&plan, style).as_bytes())?;
        let (report, stats) = stack::execute(provider, &plan, 8, ctx).await;
        if !report.succeeded() {
            stack::report_failure(&report, ctx, &stats);
            return Ok(Err(Status::Failed));
        }
        writeln!(io::stdout().lock(), "\nRedeploy started {stats}.")?;
        let redeployed: std::collections::HashSet<&str> =
            plan.pending().map(|c| c.id.as_str()).collect();
        io::Result::Ok(Ok(watch::targets(graph, &report.attrs, |id| {
            redeployed.contains(id)
        })))
    }
    .await;
    // Watching only reads: the lock goes before it.
    stack::unlock(provider, &graph.stack, &holder, ctx).await;
    let targets = match outcome? {
        Ok(targets) => targets,
        Err(status) => return Ok(status),
    };
    if wait.no_wait {
        return Ok(Status::Ok);
    }
    Ok(watch::watch(provider, targets, wait.timeout, ctx).await)
}
