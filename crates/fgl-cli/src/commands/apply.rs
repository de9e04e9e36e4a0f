//! `fgl apply FILE`: take the stack's lock, plan, check what would fail halfway (preflight),
//! confirm, then carry the plan out with live progress and print a summary with the URLs.

use std::io::{self, Write};
use std::sync::Arc;

use fgl_aws::AwsProvider;
use fgl_lower::Graph;
use fgl_plan::{Action, Plan};
use serde_json::Value;

use super::{plan, stack, watch, Ctx, Status};
use crate::cli::ApplyArgs;
use crate::render::{self, plural};

pub fn run(args: &ApplyArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    stack::runtime()?.block_on(async {
        let provider = Arc::new(stack::connect(&args.aws).await);
        // A first plan without the lock: when AWS already matches, apply changes nothing at
        // all (not even the lock). Otherwise the lock is taken and the plan made again, so
        // that the plan shown and confirmed is the one applied.
        let Some(first) = plan::make(&provider, &graph, ctx).await else {
            return Ok(Status::Failed);
        };
        if first.is_empty() && !args.force_unlock {
            let style = render::Style::for_stdout(ctx.color);
            io::stdout()
                .lock()
                .write_all(render::plan::render(&first, style).as_bytes())?;
            print_urls(&graph, first.known())?;
            return Ok(Status::Ok);
        }
        let holder =
            match stack::lock(&provider, &graph.stack, "apply", args.force_unlock, ctx).await {
                Ok(holder) => holder,
                Err(status) => return Ok(status),
            };
        let outcome = locked(args, ctx, &provider, &graph).await;
        // Watching only reads: the lock goes before it, so an interrupted watch leaves none.
        stack::unlock(&provider, &graph.stack, &holder, ctx).await;
        let Applied { targets, attrs } = match outcome? {
            Ok(applied) => applied,
            Err(status) => return Ok(status),
        };
        let status = watch::watch(&provider, targets, args.wait.timeout, ctx).await;
        print_urls(&graph, &attrs)?;
        Ok(status)
    })
}

/// What an apply leaves to do once the lock is released: the deployments to watch, and the
/// attributes for the URLs.
struct Applied {
    targets: Vec<watch::Target>,
    attrs: fgl_plan::resolve::Known,
}

/// Under the lock: plan, refuse or check, consent, apply. `Err(status)` when it stopped.
async fn locked(
    args: &ApplyArgs,
    ctx: &Ctx,
    provider: &Arc<AwsProvider>,
    graph: &Graph,
) -> io::Result<Result<Applied, Status>> {
    let Some(plan) = plan::make(provider, graph, ctx).await else {
        return Ok(Err(Status::Failed));
    };
    let out_style = render::Style::for_stdout(ctx.color);
    io::stdout()
        .lock()
        .write_all(render::plan::render(&plan, out_style).as_bytes())?;
    if !plan.conflicts.is_empty() {
        ctx.style.error(format!(
            "apply refused: {} in the way (above); fgl never changes what stack `{}` does not own",
            plural(plan.conflicts.len(), "resource"),
            plan.stack
        ));
        return Ok(Err(Status::Failed));
    }
    if plan.pending().next().is_none() {
        return Ok(Ok(Applied {
            targets: Vec::new(),
            attrs: plan.known().clone(),
        }));
    }
    let problems = preflight(&plan, graph, &args.file.display().to_string());
    if !problems.is_empty() {
        for p in &problems {
            ctx.style.error(p);
        }
        ctx.style
            .note("Nothing was changed: fix the above and run apply again.");
        return Ok(Err(Status::Failed));
    }
    if let Err(status) = stack::consent(
        args.yes,
        &format!("Apply these changes to stack `{}`?", plan.stack),
        "apply",
        ctx,
    ) {
        return Ok(Err(status));
    }
    let (report, stats) = stack::execute(provider, &plan, usize::from(args.concurrency), ctx).await;
    if !report.succeeded() {
        stack::report_failure(&report, ctx, &stats);
        return Ok(Err(Status::Failed));
    }
    let mut out = io::stdout().lock();
    writeln!(out, "\nApply complete: {} {stats}.", done_counts(&plan))?;
    drop(out);
    let targets = if args.wait.no_wait {
        Vec::new()
    } else {
        let changed: std::collections::HashSet<&str> =
            plan.pending().map(|c| c.id.as_str()).collect();
        watch::targets(graph, &report.attrs, |id| changed.contains(id))
    };
    Ok(Ok(Applied {
        targets,
        attrs: report.attrs,
    }))
}

/// What would fail halfway through the apply, found before any change: secrets without a
/// value, and a region with fewer zones than the network needs. (Hosted zones that do not
/// exist are conflicts of the plan already.)
fn preflight(plan: &Plan, graph: &Graph, file: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for change in plan.pending() {
        // A secret's other fields change only with its value: SSM has no call for them.
        if let (true, Action::Update { fields }) =
            (change.kind == "AWS::SSM::Parameter", &change.action)
        {
            if let Some(f) = fields.iter().find(|f| !f.path.starts_with("Tags.")) {
                problems.push(format!(
                    "secret `{}`: `{}` changes only with its value\n  = help: run `fgl secret set {file} {}`",
                    change.owner, f.path, change.owner
                ));
            }
        }
        if change.kind == "AWS::SSM::Parameter" && change.action == Action::Create {
            let name = graph
                .node(&change.id)
                .and_then(|n| n.name.clone())
                .unwrap_or_default();
            problems.push(format!(
                "secret `{}` has no value ({name})\n  = help: run `fgl secret set {file} {}`",
                change.owner, change.owner
            ));
        }
    }
    let needed = zones_needed(graph);
    let zones = &plan.context().zones;
    if zones.len() < needed {
        problems.push(format!(
            "region {} has {} for subnets; the network needs {needed}",
            plan.context().region,
            plural(zones.len(), "availability zone")
        ));
    }
    problems
}

/// One more than the highest `${aws:az:N}` any node uses.
fn zones_needed(graph: &Graph) -> usize {
    fn walk(v: &Value, max: &mut usize) {
        match v {
            Value::String(s) => {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${aws:az:") {
                    rest = &rest[i + 9..];
                    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    if let Ok(n) = digits.parse::<usize>() {
                        *max = (*max).max(n + 1);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, max)),
            Value::Object(map) => map.values().for_each(|i| walk(i, max)),
            _ => {}
        }
    }
    let mut max = 0;
    for node in &graph.nodes {
        for v in node.properties.values() {
            walk(v, &mut max);
        }
    }
    max
}

/// `3 created, 1 updated, 0 replaced, 0 deleted`.
pub fn done_counts(plan: &Plan) -> String {
    let [c, u, r, d, _] = plan.counts();
    format!("{c} created, {u} updated, {r} replaced, {d} deleted")
}

/// The addresses the stack serves: its domains over HTTPS, and each load balancer's own name.
fn print_urls(graph: &Graph, attrs: &fgl_plan::resolve::Known) -> io::Result<()> {
    let mut lines = Vec::new();
    for node in &graph.nodes {
        if node.kind == "AWS::Route53::RecordSet" && node.id.contains("/alias/") {
            if let Some(name) = node.properties.get("Name").and_then(Value::as_str) {
                lines.push(format!("  https://{name}  ({})", node.owner));
            }
        }
        if node.kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
            if let Some(dns) = attrs
                .get(&node.id)
                .and_then(|a| a.get("DNSName"))
                .and_then(Value::as_str)
            {
                lines.push(format!(
                    "  http://{dns}  ({}, the load balancer)",
                    node.owner
                ));
            }
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    writeln!(out, "\nURLs:")?;
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_zones_a_graph_needs_are_one_more_than_its_highest_placeholder() {
        let node = |az: &str| {
            serde_json::from_value::<fgl_lower::Node>(json!({
                "id": "network/subnet", "kind": "AWS::EC2::Subnet", "owner": "network",
                "owner_kind": "aws.Network",
                "properties": {"AvailabilityZone": az, "Nested": [{"Zone": "${aws:az:2}x"}]}
            }))
            .expect("a node")
        };
        let graph = Graph {
            stack: "s".into(),
            nodes: vec![node("${aws:az:0}"), node("${aws:region}")],
        };
        assert_eq!(zones_needed(&graph), 3);
        let none = Graph {
            stack: "s".into(),
            nodes: Vec::new(),
        };
        assert_eq!(zones_needed(&none), 0);
    }
}
