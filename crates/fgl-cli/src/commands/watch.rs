//! Rollout watching: after apply creates or updates a service, its new deployment is polled
//! until it completes, fails or times out; a failure is one line with the cause and one with
//! the fix (`fgl_rollout::diagnose` reads the evidence; `fgl_aws::rollout` fetches it).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use fgl_aws::rollout::ServiceRef;
use fgl_aws::AwsProvider;
use fgl_lower::{Graph, Node};
use fgl_plan::resolve::Known;
use fgl_rollout::{Expected, Verdict};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use super::{Ctx, Status};

const SERVICE: &str = "AWS::ECS::Service";

/// A container's service to watch, and what the file says it should be.
pub struct Target {
    /// The container's binding (`web`).
    pub owner: String,
    pub service: ServiceRef,
    pub expected: Expected,
}

/// The services of `graph` whose logical ids `wanted` accepts, with what AWS knows of the
/// resources they use (`attrs`: ARNs of the task definition and target groups).
pub fn targets(graph: &Graph, attrs: &Known, wanted: impl Fn(&str) -> bool) -> Vec<Target> {
    let nat = graph.nodes.iter().any(|n| n.kind == "AWS::EC2::NatGateway");
    let cluster = graph
        .nodes
        .iter()
        .find(|n| n.kind == "AWS::ECS::Cluster")
        .and_then(|n| text(&n.properties, &["ClusterName"]))
        .unwrap_or_default();
    graph
        .nodes
        .iter()
        .filter(|n| n.kind == SERVICE && wanted(&n.id))
        .filter_map(|n| target(graph, attrs, n, &cluster, nat))
        .collect()
}

fn target(
    graph: &Graph,
    attrs: &Known,
    service: &Node,
    cluster: &str,
    nat: bool,
) -> Option<Target> {
    let props = &service.properties;
    let task_def_id = reference(props.get("TaskDefinition")?)?;
    let task_def = graph.node(task_def_id)?;
    let def = task_def.properties.get("ContainerDefinitions")?.get(0)?;
    let container_name = text_of(def, &["Name"])?;
    let target_groups: Vec<&Node> = props
        .get("LoadBalancers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|lb| reference(lb.get("TargetGroupArn")?))
        .filter_map(|id| graph.node(id))
        .collect();
    let arn = |id: &str| {
        attrs
            .get(id)
            .and_then(|a| a.get("Arn"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let options = def.get("LogConfiguration").and_then(|l| l.get("Options"));
    let secrets = def
        .get("Secrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let env = text_of(s, &["Name"])?;
            let from = text_of(s, &["ValueFrom"])?;
            // `arn:aws:ssm:${aws:region}:…:parameter/shop/app/password` → `/shop/app/password`.
            let name = match from.split_once(":parameter") {
                Some((_, name)) => name.to_string(),
                None => from,
            };
            Some((env, name))
        })
        .collect();
    let execution_role = task_def
        .properties
        .get("ExecutionRoleArn")
        .and_then(reference)
        .and_then(|id| graph.node(id))
        .and_then(|role| text(&role.properties, &["RoleName"]))
        .unwrap_or_default();
    let first_tg = target_groups.first().map(|tg| &tg.properties);
    let number = |v: Option<&Value>| -> u32 {
        match v {
            Some(Value::String(s)) => s.parse().unwrap_or(0),
            Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
            _ => 0,
        }
    };
    Some(Target {
        owner: service.owner.clone(),
        service: ServiceRef {
            cluster: cluster.to_string(),
            service: text(props, &["ServiceName"])?,
            container: container_name.clone(),
            target_groups: target_groups.iter().filter_map(|tg| arn(&tg.id)).collect(),
            log_group: options.and_then(|o| text_of(o, &["awslogs-group"])),
            log_stream_prefix: options.and_then(|o| text_of(o, &["awslogs-stream-prefix"])),
        },
        expected: Expected {
            container: service.owner.clone(),
            image: text_of(def, &["Image"]).unwrap_or_default(),
            cpu: number(task_def.properties.get("Cpu")),
            memory: number(task_def.properties.get("Memory")),
            port: def
                .get("PortMappings")
                .and_then(|p| p.get(0))
                .and_then(|p| p.get("ContainerPort"))
                .and_then(Value::as_u64)
                .and_then(|p| u16::try_from(p).ok()),
            health_check_path: first_tg.and_then(|p| text(p, &["HealthCheckPath"])),
            health_check_matcher: first_tg.and_then(|p| text(p, &["Matcher", "HttpCode"])),
            secrets,
            execution_role,
            public_ip: text(
                props,
                &[
                    "NetworkConfiguration",
                    "AwsvpcConfiguration",
                    "AssignPublicIp",
                ],
            )
            .is_some_and(|v| v == "ENABLED"),
            nat,
            task_definition: arn(task_def_id).unwrap_or_default(),
        },
    })
}

/// The node id a `{"$ref": id}` names.
fn reference(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str)
}

fn text_of(v: &Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str().map(str::to_string)
}

fn text(map: &serde_json::Map<String, Value>, path: &[&str]) -> Option<String> {
    let (first, rest) = path.split_first()?;
    text_of(map.get(*first)?, rest)
}

/// How often a rollout is polled.
const POLL: Duration = Duration::from_secs(5);

/// Polls every target until each completes or fails, or `timeout` passes; reports each
/// failure as its cause and its fix. `Status::Failed` when any did not complete.
pub async fn watch(
    provider: &AwsProvider,
    targets: Vec<Target>,
    timeout: Duration,
    ctx: &Ctx,
) -> Status {
    if targets.is_empty() {
        return Status::Ok;
    }
    let started = Instant::now();
    let lines = Lines::new(&targets);
    let mut open: Vec<Target> = targets;
    let mut failures: Vec<(String, fgl_rollout::Failure)> = Vec::new();
    loop {
        let mut still = Vec::new();
        for t in open {
            let mut snapshot = match fgl_aws::rollout::snapshot(
                provider.clients(),
                &t.service,
                t.expected.clone(),
            )
            .await
            {
                Ok(s) => s,
                // Throttling, or a service ECS does not list yet: look again next time.
                Err(e)
                    if e.class == fgl_plan::ErrorClass::Retryable
                        && started.elapsed() < timeout =>
                {
                    still.push(t);
                    continue;
                }
                Err(e) => {
                    lines.done(&t.owner, format!("cannot watch: {}", e.message));
                    failures.push((t.owner.clone(), fgl_rollout::Failure {
                        kind: fgl_rollout::FailureKind::Unknown,
                        cause: format!("cannot read the rollout of {}: {}", t.owner, e.message),
                        fix: "check the AWS credentials' read permissions (ecs:Describe*, ecs:ListTasks, elasticloadbalancing:DescribeTargetHealth, logs:GetLogEvents), then run fgl status".into(),
                        detail: Vec::new(),
                    }));
                    continue;
                }
            };
            snapshot.timed_out = started.elapsed() >= timeout;
            match fgl_rollout::diagnose(&snapshot) {
                Verdict::Completed => {
                    let revision = fgl_rollout::short_revision(&t.expected.task_definition);
                    lines.done(
                        &t.owner,
                        format!(
                            "{}: {revision} is running ({} of {})",
                            t.owner, snapshot.service.running_count, snapshot.service.desired_count
                        ),
                    );
                }
                Verdict::Failed(f) => {
                    lines.done(&t.owner, format!("{}: deployment failed", t.owner));
                    failures.push((t.owner.clone(), f));
                }
                Verdict::InProgress(p) => {
                    lines.update(
                        &t.owner,
                        p.render()
                            .lines()
                            .next()
                            .unwrap_or("in progress")
                            .to_string(),
                    );
                    still.push(t);
                }
            }
        }
        open = still;
        if open.is_empty() {
            break;
        }
        tokio::time::sleep(POLL).await;
    }
    for (owner, f) in &failures {
        ctx.style.error(format!("{owner}: {}", f.cause));
        ctx.style.note(format!("  = fix: {}", f.fix));
        for line in &f.detail {
            ctx.style.note(format!("  | {line}"));
        }
    }
    if failures.is_empty() {
        Status::Ok
    } else {
        Status::Failed
    }
}

/// One line per watched container: a spinner on a terminal, else a printed line whenever it
/// changes.
struct Lines {
    multi: Option<MultiProgress>,
    bars: HashMap<String, ProgressBar>,
    last: std::sync::Mutex<HashMap<String, String>>,
}

impl Lines {
    fn new(targets: &[Target]) -> Lines {
        let multi = std::io::stderr()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        let mut bars = HashMap::new();
        if let Some(multi) = &multi {
            for t in targets {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("  {spinner} {msg} {elapsed:.dim}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(format!("{}: waiting for the deployment", t.owner));
                bar.enable_steady_tick(Duration::from_millis(120));
                bars.insert(t.owner.clone(), bar);
            }
        }
        Lines {
            multi,
            bars,
            last: Default::default(),
        }
    }

    fn update(&self, owner: &str, line: String) {
        match self.bars.get(owner) {
            Some(bar) => bar.set_message(line),
            None => self.print_changed(owner, line),
        }
    }

    fn done(&self, owner: &str, line: String) {
        match self.bars.get(owner) {
            Some(bar) => bar.finish_with_message(line),
            None => self.print_changed(owner, line),
        }
    }

    fn print_changed(&self, owner: &str, line: String) {
        let _ = &self.multi;
        if let Ok(mut last) = self.last.lock() {
            if last.get(owner) != Some(&line) {
                let _ = writeln!(std::io::stderr().lock(), "  {line}");
                last.insert(owner.to_string(), line);
            }
        }
    }
}
