//! `fgl status FILE [--watch] [--format json]`: what runs now. Per container: running of
//! desired, the rollout's state and revision, the load balancer's view of its tasks; the
//! certificates' status; the URLs. Exit 1 when anything is unhealthy.

use std::io::{self, Write};
use std::time::Duration;

use fgl_aws::AwsProvider;
use fgl_lower::Graph;
use fgl_plan::Plan;
use fgl_rollout::Verdict;
use serde::Serialize;
use serde_json::Value;

use super::{plan, stack, watch, Ctx, Status};
use crate::cli::{Format, StatusArgs};
use crate::render;

#[derive(Serialize)]
struct Report {
    stack: String,
    /// Resources of the file that differ from AWS (missing, changed): `fgl plan` shows them.
    drift: usize,
    containers: Vec<ContainerStatus>,
    certificates: Vec<CertificateStatus>,
    urls: Vec<String>,
    healthy: bool,
}

#[derive(Serialize)]
struct ContainerStatus {
    name: String,
    /// `completed`, `in_progress`, `failed`, or `missing` (not deployed).
    state: &'static str,
    desired: u32,
    running: u32,
    pending: u32,
    revision: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
    targets: Vec<Target>,
}

#[derive(Serialize)]
struct Target {
    id: String,
    port: Option<u16>,
    state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Serialize)]
struct CertificateStatus {
    name: String,
    domain: String,
    status: String,
}

pub fn run(args: &StatusArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    stack::runtime()?.block_on(async {
        let provider = stack::connect(&args.aws).await;
        loop {
            let Some(plan) = plan::make(&provider, &graph, ctx).await else {
                return Ok(Status::Failed);
            };
            let report = gather(&provider, &graph, &plan).await;
            match args.format.format {
                Format::Json => render::json::print(&report)?,
                Format::Human => {
                    let style = render::Style::for_stdout(ctx.color);
                    io::stdout()
                        .lock()
                        .write_all(human(&report, style).as_bytes())?;
                }
            }
            if !args.watch {
                return Ok(if report.healthy {
                    Status::Ok
                } else {
                    Status::Failed
                });
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
            writeln!(io::stdout().lock())?;
        }
    })
}

async fn gather(provider: &AwsProvider, graph: &Graph, plan: &Plan) -> Report {
    let attrs = plan.live_attrs();
    let mut containers = Vec::new();
    for t in watch::targets(graph, &attrs, |_| true) {
        if t.expected.task_definition.is_empty() {
            containers.push(missing(&t.owner));
            continue;
        }
        let snapshot =
            fgl_aws::rollout::snapshot(provider.clients(), &t.service, t.expected.clone()).await;
        let Ok(snapshot) = snapshot else {
            containers.push(missing(&t.owner));
            continue;
        };
        let (state, cause, fix) = match fgl_rollout::diagnose(&snapshot) {
            Verdict::Completed => ("completed", None, None),
            Verdict::InProgress(_) => ("in_progress", None, None),
            Verdict::Failed(f) => ("failed", Some(f.cause), Some(f.fix)),
        };
        containers.push(ContainerStatus {
            name: t.owner.clone(),
            state,
            desired: snapshot.service.desired_count,
            running: snapshot.service.running_count,
            pending: snapshot.service.pending_count,
            revision: fgl_rollout::short_revision(&t.expected.task_definition),
            cause,
            fix,
            targets: snapshot
                .target_health
                .iter()
                .map(|h| Target {
                    id: h.target_id.clone(),
                    port: h.port,
                    state: h.state.clone(),
                    reason: h.reason.clone(),
                })
                .collect(),
        });
    }
    let mut certificates = Vec::new();
    for node in graph
        .nodes
        .iter()
        .filter(|n| n.kind == "AWS::CertificateManager::Certificate")
    {
        let domain = node
            .properties
            .get("DomainName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let arn = attrs
            .get(&node.id)
            .and_then(|a| a.get("Arn"))
            .and_then(Value::as_str);
        let status = match arn {
            None => "MISSING".to_string(),
            Some(arn) => fgl_aws::rollout::certificate_status(provider.clients(), arn)
                .await
                .unwrap_or_else(|e| format!("UNKNOWN ({})", e.message)),
        };
        certificates.push(CertificateStatus {
            name: node.owner.clone(),
            domain,
            status,
        });
    }
    let urls: Vec<String> = graph
        .nodes
        .iter()
        .filter(|n| n.kind == "AWS::Route53::RecordSet" && n.id.contains("/alias/"))
        .filter_map(|n| n.properties.get("Name").and_then(Value::as_str))
        .map(|name| format!("https://{name}"))
        .collect();
    let drift = plan.pending().count();
    let healthy = drift == 0
        && containers
            .iter()
            .all(|c| c.state == "completed" && c.targets.iter().all(|t| t.state == "healthy"))
        && certificates.iter().all(|c| c.status == "ISSUED");
    Report {
        stack: plan.stack.clone(),
        drift,
        containers,
        certificates,
        urls,
        healthy,
    }
}

fn missing(name: &str) -> ContainerStatus {
    ContainerStatus {
        name: name.to_string(),
        state: "missing",
        desired: 0,
        running: 0,
        pending: 0,
        revision: String::new(),
        cause: None,
        fix: None,
        targets: Vec::new(),
    }
}

fn human(r: &Report, style: render::Style) -> String {
    let mut out = String::new();
    let bad = |ok: bool, text: String| {
        if ok {
            text
        } else {
            style.paint("\x1b[31m", text)
        }
    };
    out.push_str(&format!("Stack {}\n", style.bold(&r.stack)));
    for c in &r.containers {
        let healthy = c.targets.iter().filter(|t| t.state == "healthy").count();
        let targets = if c.targets.is_empty() {
            String::new()
        } else {
            format!("  targets: {healthy} of {} healthy", c.targets.len())
        };
        let line = match c.state {
            "missing" => format!("  {:<12} not deployed (run fgl apply)", c.name),
            state => format!(
                "  {:<12} {}/{} running  {}  {}{targets}",
                c.name,
                c.running,
                c.desired,
                c.revision,
                state.replace('_', " ")
            ),
        };
        let ok = c.state == "completed" && healthy == c.targets.len();
        out.push_str(&bad(ok, line));
        out.push('\n');
        if let (Some(cause), Some(fix)) = (&c.cause, &c.fix) {
            out.push_str(&format!("      cause: {cause}\n      fix: {fix}\n"));
        }
        for t in c.targets.iter().filter(|t| t.state != "healthy") {
            let reason = t.reason.as_deref().unwrap_or("");
            out.push_str(&format!("      target {} {}: {reason}\n", t.id, t.state));
        }
    }
    for c in &r.certificates {
        let line = format!("  {:<12} certificate {}  {}", c.name, c.domain, c.status);
        out.push_str(&bad(c.status == "ISSUED", line));
        out.push('\n');
    }
    if r.drift > 0 {
        out.push_str(&bad(
            false,
            format!(
                "  {} of the file differ from AWS: run fgl plan",
                render::plural(r.drift, "resource")
            ),
        ));
        out.push('\n');
    }
    if !r.urls.is_empty() {
        out.push_str("URLs:\n");
        for u in &r.urls {
            out.push_str(&format!("  {u}\n"));
        }
    }
    out
}
