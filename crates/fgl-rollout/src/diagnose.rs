//! `diagnose`: from a [`Snapshot`] to a [`Verdict`].
//!
//! Precedence (most specific evidence first; the first that explains the failure wins):
//!
//! 1. **Completed**: the deployment of the target revision reached `COMPLETED` (or, without a
//!    rollout state, it is the only deployment and all its tasks run). Nothing else matters.
//! 2. **Stopped tasks of the target revision**, newest first, skipping normal stops
//!    (scale-down, a user's stop, maintenance, Spot). Within one task: network timeouts (they
//!    hide inside secret and image errors), access denied on secrets / KMS / ECR, missing
//!    parameters, image pull errors, out of memory, failed load balancer health checks (made
//!    precise with target health or the service's "is unhealthy" event), essential container
//!    exits; anything else is AWS's own reason, verbatim.
//! 3. **Target health**: an `unhealthy` target's reason and description.
//! 4. **The deployment's `rolloutStateReason`** (`FAILED`: the circuit breaker, with the
//!    revision serving now; any other reason verbatim).
//! 5. **Service events**, newest first: an "is unhealthy in (target-group …)" event, or any
//!    event that reports a failure ("unable to", "failed"), verbatim.
//!
//! Evidence alone does not fail a deployment: while ECS is still working (`IN_PROGRESS` and no
//! timeout) the verdict is [`Verdict::InProgress`] with the evidence as its `problem`. It fails
//! on `FAILED`, when another revision replaced it (rolled back), or on the watcher's timeout.
//! When a rollback happened and the tasks show the cause, the cause/fix are the tasks' and the
//! first detail line names the revision serving now.

use serde::{Deserialize, Serialize};

use crate::model::{
    short_revision, Container, Deployment, DeploymentStatus, RolloutState, Snapshot, StoppedTask,
    TargetHealth,
};
use crate::sizes::next_size;

/// At most this many log lines are shown for an exit.
pub const LOG_LINES: usize = 20;

/// The outcome of one look at a deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// ECS is still working on it.
    InProgress(Progress),
    /// The target revision is deployed and steady.
    Completed,
    /// The deployment failed (or timed out): why, and what to do.
    Failed(Failure),
}

/// Where a deployment in progress stands, for a live view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The container (fgl's name).
    pub container: String,
    /// The revision being deployed (`N` of `…:task-definition/family:N`).
    pub revision: Option<u32>,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub failed: u32,
    /// The newest service event's message.
    pub latest_event: Option<String>,
    /// Evidence of a problem seen so far (ECS may still retry).
    pub problem: Option<Failure>,
}

/// Why a deployment failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// One line: the cause, naming what failed.
    pub cause: String,
    /// One line: what to do.
    pub fix: String,
    /// More lines: the log tail for an exit, the revision serving after a rollback, an event.
    pub detail: Vec<String>,
}

/// The catalogue of failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The execution role may not read a secret's parameter.
    SecretAccess,
    /// The execution role may not decrypt a secret with its KMS key.
    SecretKms,
    /// A secret's parameter does not exist.
    SecretMissing,
    /// The image (repository or tag) does not exist.
    ImageNotFound,
    /// The registry refused to give the image (401/403, or no ECR rights).
    ImageAccess,
    /// Another image pull error.
    ImagePull,
    /// No network path to ECR, SSM, CloudWatch Logs or the registry.
    Network,
    /// The essential container exited.
    ContainerExit,
    /// The container ran out of memory.
    OutOfMemory,
    /// The load balancer's health checks fail.
    HealthCheck,
    /// The circuit breaker stopped the deployment (and rolled back), cause unknown.
    RolledBack,
    /// The watcher's time limit passed with nothing failing.
    TimedOut,
    /// A reason fgl does not recognise (AWS's own text).
    Unknown,
}

impl Failure {
    fn new(kind: FailureKind, cause: String, fix: String) -> Self {
        Failure {
            kind,
            cause,
            fix,
            detail: Vec::new(),
        }
    }

    /// `cause: …`, `fix: …`, then each detail line indented by two spaces (an empty line
    /// stays empty).
    pub fn render(&self) -> String {
        let mut out = format!("cause: {}\nfix: {}\n", self.cause, self.fix);
        for line in &self.detail {
            if !line.is_empty() {
                out.push_str("  ");
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    }
}

impl Progress {
    /// `in progress: web revision 7: 1/2 running, 1 pending, 0 failed`, then the latest
    /// event and the problem so far, each on its own line.
    pub fn render(&self) -> String {
        let revision = self.revision.map_or_else(
            || "unknown revision".to_string(),
            |n| format!("revision {n}"),
        );
        let mut out = format!(
            "in progress: {} {revision}: {}/{} running, {} pending, {} failed\n",
            self.container, self.running, self.desired, self.pending, self.failed
        );
        if let Some(event) = &self.latest_event {
            out.push_str(&format!("latest event: {event}\n"));
        }
        if let Some(problem) = &self.problem {
            out.push_str(&format!("problem so far: {}\n", problem.cause));
        }
        out
    }
}

impl Verdict {
    /// The rendered verdict (what `fgl apply` prints and the fixtures hold).
    pub fn render(&self) -> String {
        match self {
            Verdict::InProgress(p) => p.render(),
            Verdict::Completed => "completed\n".to_string(),
            Verdict::Failed(f) => f.render(),
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// What the diagnosis needs besides the snapshot.
struct Ctx<'a> {
    snap: &'a Snapshot,
    /// The container's name for the messages.
    name: &'a str,
    /// The deployment of the target revision, if ECS still lists it.
    target: Option<&'a Deployment>,
    /// The task definition ARN being deployed.
    target_arn: &'a str,
}

/// The verdict on one snapshot: see the module documentation for the precedence.
pub fn diagnose(snap: &Snapshot) -> Verdict {
    let deployments = &snap.service.deployments;
    let primary = deployments
        .iter()
        .find(|d| d.status == DeploymentStatus::Primary);
    let target = if snap.expected.task_definition.is_empty() {
        primary
    } else {
        // A forced new deployment (a rotated secret) keeps the task definition: the
        // PRIMARY one of that revision is the one being watched, else the newest.
        let mut matching: Vec<_> = deployments
            .iter()
            .filter(|d| d.task_definition == snap.expected.task_definition)
            .collect();
        matching.sort_by_key(|d| {
            (
                d.status != DeploymentStatus::Primary,
                std::cmp::Reverse(d.created_at.clone()),
            )
        });
        matching.first().copied()
    };
    let target_arn = if snap.expected.task_definition.is_empty() {
        target.map_or("", |d| d.task_definition.as_str())
    } else {
        snap.expected.task_definition.as_str()
    };
    let name = if snap.expected.container.is_empty() {
        "the container"
    } else {
        snap.expected.container.as_str()
    };
    let ctx = Ctx {
        snap,
        name,
        target,
        target_arn,
    };

    if is_completed(&ctx) {
        return Verdict::Completed;
    }

    let evidence = from_tasks(&ctx).or_else(|| from_targets(&ctx));
    // Another revision is primary: the target was rolled back or replaced.
    let serving = primary.filter(|p| !target_arn.is_empty() && p.task_definition != target_arn);
    let failed = target.is_some_and(|d| d.rollout_state == Some(RolloutState::Failed))
        || (serving.is_some() && target.is_none_or(|d| d.status != DeploymentStatus::Primary))
        || snap.timed_out;

    if !failed {
        let counts = target.or(primary);
        return Verdict::InProgress(Progress {
            container: name.to_string(),
            revision: crate::model::revision(target_arn),
            desired: counts.map_or(snap.service.desired_count, |d| d.desired_count),
            running: counts.map_or(snap.service.running_count, |d| d.running_count),
            pending: counts.map_or(snap.service.pending_count, |d| d.pending_count),
            failed: counts.map_or(0, |d| d.failed_tasks),
            latest_event: snap.events.first().map(|e| e.message.clone()),
            problem: evidence,
        });
    }

    let rollback_line = serving.map(|p| {
        format!(
            "rolled back: {} is serving now ({} failed)",
            short_revision(&p.task_definition),
            short_revision(target_arn)
        )
    });
    if let Some(mut f) = evidence {
        if let Some(line) = rollback_line {
            f.detail.insert(0, line);
        }
        return Verdict::Failed(f);
    }
    if let Some(f) = from_rollout_reason(&ctx, serving) {
        return Verdict::Failed(f);
    }
    if let Some(mut f) = from_events(&ctx) {
        if let Some(line) = rollback_line {
            f.detail.insert(0, line);
        }
        return Verdict::Failed(f);
    }
    if let Some(p) = serving {
        return Verdict::Failed(Failure::new(
            FailureKind::RolledBack,
            format!(
                "the deployment of {} is gone and {} is serving: it was rolled back or replaced by another deployment",
                short_revision(target_arn),
                short_revision(&p.task_definition)
            ),
            "if nobody else deployed this service, run fgl apply again and watch the cause"
                .to_string(),
        ));
    }
    Verdict::Failed(timed_out(&ctx))
}

fn is_completed(ctx: &Ctx<'_>) -> bool {
    let Some(d) = ctx.target else {
        return false;
    };
    match d.rollout_state {
        Some(state) => state == RolloutState::Completed,
        None => {
            d.status == DeploymentStatus::Primary
                && ctx.snap.service.deployments.len() == 1
                && d.running_count == d.desired_count
                && d.pending_count == 0
        }
    }
}

fn timed_out(ctx: &Ctx<'_>) -> Failure {
    let (desired, running, pending, failed) = ctx.target.map_or(
        (
            ctx.snap.service.desired_count,
            ctx.snap.service.running_count,
            ctx.snap.service.pending_count,
            0,
        ),
        |d| {
            (
                d.desired_count,
                d.running_count,
                d.pending_count,
                d.failed_tasks,
            )
        },
    );
    let failed = match failed {
        0 => "none failed".to_string(),
        n => format!("{n} failed without a reason fgl can still see"),
    };
    let mut f = Failure::new(
        FailureKind::TimedOut,
        format!(
            "the deployment of {} did not finish in time: {running} of {desired} tasks running, {pending} pending, {failed}",
            short_revision(ctx.target_arn)
        ),
        "nothing fgl can see has failed: ECS may still be starting tasks (a large image, slow health checks); run fgl apply again to keep watching".to_string(),
    );
    if let Some(e) = ctx.snap.events.first() {
        f.detail.push(format!("latest event: {}", e.message));
    }
    f
}

// ---- stopped tasks -------------------------------------------------------------------------

fn from_tasks(ctx: &Ctx<'_>) -> Option<Failure> {
    ctx.snap
        .stopped_tasks
        .iter()
        .filter(|t| ctx.target_arn.is_empty() || t.task_definition_arn == ctx.target_arn)
        .find_map(|t| classify_task(ctx, t))
}

/// Stops that are part of normal operation (a deployment replacing tasks, scale-in, a user).
fn is_normal_stop(task: &StoppedTask) -> bool {
    let reason = task.stopped_reason.as_deref().unwrap_or("");
    const NORMAL: [&str; 4] = [
        "Scaling activity initiated by",
        "Task stopped by user",
        "ECS is performing maintenance",
        "Your Spot Task was interrupted",
    ];
    NORMAL.iter().any(|n| reason.starts_with(n))
        || matches!(
            task.stop_code.as_deref(),
            Some("UserInitiated" | "SpotInterruption")
        )
}

fn classify_task(ctx: &Ctx<'_>, task: &StoppedTask) -> Option<Failure> {
    if is_normal_stop(task) {
        return None;
    }
    let stopped = task.stopped_reason.as_deref().unwrap_or("");
    let mut texts: Vec<&str> = vec![stopped];
    texts.extend(task.containers.iter().filter_map(|c| c.reason.as_deref()));
    let find = |pred: &dyn Fn(&str) -> bool| texts.iter().copied().find(|t| pred(t));

    if let Some(t) = find(&is_network_timeout) {
        return Some(network(ctx, t));
    }
    if let Some(t) = find(&|t| t.contains("AccessDenied") && t.contains("perform: ")) {
        return Some(access_denied(ctx, t));
    }
    if let Some(t) = find(&|t| t.contains("invalid ssm parameters:")) {
        return Some(secret_missing(ctx, t));
    }
    if let Some(t) = find(&|t| t.contains("CannotPullContainerError")) {
        return Some(image(ctx, t));
    }
    if task.containers.iter().any(|c| {
        c.reason
            .as_deref()
            .is_some_and(|r| r.contains("OutOfMemory"))
    }) || stopped.contains("OutOfMemory")
    {
        return Some(out_of_memory(ctx, task));
    }
    if stopped.contains("failed ELB health checks") {
        return Some(from_targets(ctx).or_else(|| health_from_events(ctx)).unwrap_or_else(|| {
            let hc = HealthCheck::of(ctx, None);
            Failure::new(
                FailureKind::HealthCheck,
                format!(
                    "{}'s tasks were stopped for failing the load balancer's health check (GET {} on port {})",
                    ctx.name, hc.path, hc.port
                ),
                hc.generic_fix(ctx.name),
            )
        }));
    }
    if task.stop_code.as_deref() == Some("EssentialContainerExited")
        || stopped.starts_with("Essential container in task exited")
    {
        if let Some(c) = exited_container(ctx, task) {
            return Some(container_exit(ctx, c));
        }
    }
    Some(unknown_task(ctx, task))
}

fn unknown_task(ctx: &Ctx<'_>, task: &StoppedTask) -> Failure {
    let stopped = task.stopped_reason.as_deref().unwrap_or("").trim();
    let container = task.containers.iter().find_map(|c| {
        c.reason
            .as_deref()
            .filter(|r| *r != stopped)
            .map(|r| (c, r))
    });
    let mut cause = if stopped.is_empty() {
        format!(
            "{}'s task stopped without a reason (stop code {})",
            ctx.name,
            task.stop_code.as_deref().unwrap_or("none")
        )
    } else {
        format!("{}'s task stopped: {stopped}", ctx.name)
    };
    if let Some((c, r)) = container {
        cause.push_str(&format!(" ({}: {})", c.name, one_line(r)));
    }
    Failure::new(
        FailureKind::Unknown,
        one_line(&cause),
        "fgl does not recognise this reason (it is AWS's own text): fix what it names, then run fgl apply again".to_string(),
    )
}

// ---- network --------------------------------------------------------------------------------

fn is_network_timeout(text: &str) -> bool {
    text.contains("i/o timeout")
        || text.contains("context deadline exceeded")
        || text.contains("connection timed out")
        || (text.contains("dial tcp") && text.contains("timeout"))
}

/// The host of the first `https://host/…` URL in the text.
fn url_host(text: &str) -> Option<&str> {
    let at = text.find("https://")? + "https://".len();
    let rest = &text[at..];
    let end = rest
        .find(|c: char| c == '/' || c == '"' || c == ':' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|h| !h.is_empty())
}

fn network(ctx: &Ctx<'_>, text: &str) -> Failure {
    let host = url_host(text);
    let h = host.unwrap_or("");
    let lower = text.to_ascii_lowercase();
    let (what, purpose) = if h.contains(".ecr.") || (h.is_empty() && lower.contains("ecr")) {
        ("ECR".to_string(), "to pull its image")
    } else if h.starts_with("ssm.") || (h.is_empty() && lower.contains("from ssm")) {
        ("SSM Parameter Store".to_string(), "to read its secrets")
    } else if h.starts_with("secretsmanager.") || (h.is_empty() && lower.contains("from asm")) {
        ("Secrets Manager".to_string(), "to read its secrets")
    } else if h.starts_with("kms.") {
        ("KMS".to_string(), "to decrypt its secrets")
    } else if h.starts_with("logs.") || lower.contains("log stream") || lower.contains("logger") {
        ("CloudWatch Logs".to_string(), "to create its log stream")
    } else if !h.is_empty() {
        (format!("the registry {h}"), "to pull its image")
    } else {
        ("AWS".to_string(), "to start")
    };
    let target = match host {
        Some(h) if !what.contains(h) => format!("{what} ({h})"),
        _ => what,
    };
    let e = &ctx.snap.expected;
    let fix = if e.public_ip {
        "the tasks have a public IP yet cannot connect: the public subnets' route to the internet gateway or the security group's outbound rule is missing; run fgl apply to repair them".to_string()
    } else if e.nat {
        format!(
            "the private subnets' route through the NAT gateway is missing or broken: run fgl apply to repair it, or set subnets = \"public\" on {}",
            ctx.name
        )
    } else {
        format!(
            "tasks in private subnets need NAT to reach AWS: set nat = \"single\" on the Network, or subnets = \"public\" on {} (a public IP); then run fgl apply",
            ctx.name
        )
    };
    Failure::new(
        FailureKind::Network,
        format!(
            "{}'s tasks have no network path to {target} {purpose}: the connection timed out",
            ctx.name
        ),
        fix,
    )
}

// ---- secrets ---------------------------------------------------------------------------------

/// The word after `marker` (up to whitespace), trimmed of trailing punctuation.
fn word_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let at = text.find(marker)? + marker.len();
    let rest = &text[at..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches([',', '.', ';', ')'])).filter(|w| !w.is_empty())
}

/// The role of `arn:aws:sts::…:assumed-role/ROLE/session`.
fn assumed_role(text: &str) -> Option<&str> {
    let at = text.find("assumed-role/")? + "assumed-role/".len();
    let rest = &text[at..];
    let end = rest
        .find(|c: char| c == '/' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|r| !r.is_empty())
}

/// An SSM parameter's name from its name or ARN, with a leading `/`.
fn parameter_name(s: &str) -> String {
    let name = match s.find(":parameter") {
        Some(at) if s.starts_with("arn:") => &s[at + ":parameter".len()..],
        _ => s,
    };
    if name.starts_with('/') || name.starts_with("arn:") {
        name.to_string()
    } else {
        format!("/{name}")
    }
}

/// `secret ENV (/param)` for the secret whose parameter is `resource`, or the parameter alone.
fn describe_secret(ctx: &Ctx<'_>, resource: &str) -> String {
    let wanted = parameter_name(resource);
    let secrets = &ctx.snap.expected.secrets;
    match secrets
        .iter()
        .find(|(_, p)| parameter_name(p) == wanted || p.as_str() == resource)
    {
        Some((env, p)) => format!("secret {env} ({})", parameter_name(p)),
        None => format!("secret {wanted}"),
    }
}

/// All the container's secrets, for a denial that names no parameter (a KMS key).
fn describe_all_secrets(ctx: &Ctx<'_>) -> String {
    let secrets = &ctx.snap.expected.secrets;
    match secrets.len() {
        0 => "its secrets".to_string(),
        1 => secrets
            .iter()
            .map(|(env, p)| format!("secret {env} ({})", parameter_name(p)))
            .collect(),
        _ => format!(
            "secrets {}",
            secrets.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

fn role<'a>(ctx: &'a Ctx<'_>, text: &'a str) -> &'a str {
    assumed_role(text).unwrap_or(if ctx.snap.expected.execution_role.is_empty() {
        "the execution role"
    } else {
        ctx.snap.expected.execution_role.as_str()
    })
}

fn access_denied(ctx: &Ctx<'_>, text: &str) -> Failure {
    let action = word_after(text, "perform: ").unwrap_or("the action");
    let resource = word_after(text, "on resource: ").unwrap_or("");
    let role = role(ctx, text);
    if action.starts_with("kms:") {
        let key = resource
            .rsplit_once(":key/")
            .map_or(resource, |(_, k)| k)
            .to_string();
        let key = if key.is_empty() {
            String::new()
        } else {
            format!(" on key {key}")
        };
        return Failure::new(
            FailureKind::SecretKms,
            format!(
                "{}'s tasks cannot decrypt {}: role {role} is not allowed {action}{key} (the KMS key that encrypts the parameter)",
                ctx.name,
                describe_all_secrets(ctx)
            ),
            "set kms_key on the Secret to that key so fgl grants the execution role kms:Decrypt on it (and check the key's policy allows the account); then run fgl apply".to_string(),
        );
    }
    if action.starts_with("ecr:") {
        return Failure::new(
            FailureKind::ImageAccess,
            format!(
                "{}'s image {} cannot be pulled: role {role} is not allowed {action}",
                ctx.name,
                image_name(ctx, text)
            ),
            "let the execution role pull from the repository: fgl grants it for an ECR image of this account; if you edited the role, run fgl apply again".to_string(),
        );
    }
    let secret = if resource.is_empty() {
        describe_all_secrets(ctx)
    } else {
        describe_secret(ctx, resource)
    };
    Failure::new(
        FailureKind::SecretAccess,
        format!(
            "{}'s tasks cannot read {secret}: role {role} is not allowed {action}",
            ctx.name
        ),
        "let the execution role read the parameter — fgl grants it; if you edited the role or the parameter's KMS key, run fgl apply again".to_string(),
    )
}

fn secret_missing(ctx: &Ctx<'_>, text: &str) -> Failure {
    let param = word_after(text, "invalid ssm parameters: ").unwrap_or("");
    let wanted = parameter_name(param);
    let env = ctx
        .snap
        .expected
        .secrets
        .iter()
        .find(|(_, p)| parameter_name(p) == wanted)
        .map(|(env, _)| format!("secret {env}: "))
        .unwrap_or_default();
    Failure::new(
        FailureKind::SecretMissing,
        format!(
            "{}'s tasks cannot read {env}parameter {wanted} does not exist",
            ctx.name
        ),
        format!(
            "set its value with fgl secret set (or aws ssm put-parameter --name {wanted} --type SecureString), then run fgl apply again"
        ),
    )
}

// ---- images ----------------------------------------------------------------------------------

/// The image from the file, else the reference in AWS's message.
fn image_name(ctx: &Ctx<'_>, text: &str) -> String {
    if !ctx.snap.expected.image.is_empty() {
        return ctx.snap.expected.image.clone();
    }
    if let Some(at) = text.find("failed to resolve ref ") {
        let rest = &text[at + "failed to resolve ref ".len()..];
        let end = rest.find(": ").unwrap_or(rest.len());
        return rest[..end].to_string();
    }
    "its image".to_string()
}

fn image(ctx: &Ctx<'_>, text: &str) -> Failure {
    let image = image_name(ctx, text);
    let status = ["401 Unauthorized", "403 Forbidden"]
        .into_iter()
        .find(|s| text.contains(s));
    let denied = status.is_some()
        || text.contains("no basic auth credentials")
        || text.contains("pull access denied")
        || text.contains("denied:")
        || text.contains("unauthorized");
    if denied {
        let why = status.unwrap_or(if text.contains("pull access denied") {
            "pull access denied: the repository does not exist or needs credentials"
        } else {
            "access denied"
        });
        let fix = if image.contains(".dkr.ecr.") {
            "check that the repository exists in this account and region (fgl grants the execution role pull rights only there), then run fgl apply again"
        } else {
            "the registry wants credentials (it answers this for a private image and for a misspelled one): check the name, or push the image to ECR in this account"
        };
        return Failure::new(
            FailureKind::ImageAccess,
            format!(
                "{}'s image {image} cannot be pulled: the registry refused access ({why})",
                ctx.name
            ),
            fix.to_string(),
        );
    }
    if text.contains("not found")
        || text.contains("manifest unknown")
        || text.contains("does not exist")
    {
        return Failure::new(
            FailureKind::ImageNotFound,
            format!(
                "{}'s image {image} does not exist: the registry has no such repository or tag",
                ctx.name
            ),
            "push the image, or correct image = \"…\" in the file, then run fgl apply again"
                .to_string(),
        );
    }
    Failure::new(
        FailureKind::ImagePull,
        format!(
            "{}'s image {image} cannot be pulled: {}",
            ctx.name,
            one_line(text)
        ),
        "fix what the registry's message names, then run fgl apply again".to_string(),
    )
}

// ---- exits and memory ------------------------------------------------------------------------

/// The container that exited: fgl's container if it has an exit code, else the first that
/// exited non-zero, else the first with an exit code.
fn exited_container<'t>(ctx: &Ctx<'_>, task: &'t StoppedTask) -> Option<&'t Container> {
    let cs = &task.containers;
    cs.iter()
        .find(|c| c.name == ctx.snap.expected.container && c.exit_code.is_some())
        .or_else(|| cs.iter().find(|c| c.exit_code.is_some_and(|e| e != 0)))
        .or_else(|| cs.iter().find(|c| c.exit_code.is_some()))
}

fn log_detail(ctx: &Ctx<'_>) -> Vec<String> {
    let tail = &ctx.snap.log_tail;
    tail[tail.len().saturating_sub(LOG_LINES)..].to_vec()
}

fn exit_meaning(code: i32) -> &'static str {
    match code {
        0 => " (it finished instead of running)",
        126 => " (the command is not executable)",
        127 => " (the command was not found)",
        137 => " (killed)",
        139 => " (it crashed: segmentation fault)",
        143 => " (it stopped on SIGTERM)",
        _ => "",
    }
}

fn container_exit(ctx: &Ctx<'_>, c: &Container) -> Failure {
    let name = if c.name.is_empty() { ctx.name } else { &c.name };
    let code = c.exit_code.unwrap_or(0);
    let detail = log_detail(ctx);
    let log = match detail.len() {
        0 => " and wrote no log".to_string(),
        1 => "; its last log line is below".to_string(),
        n => format!("; its last {n} log lines are below"),
    };
    let fix = match code {
        0 => "a service's container must keep running: make its command a long-running process (command = [...]), then run fgl apply".to_string(),
        126 | 127 => "fix command = [...] or the image's entrypoint so that it names a program in the image, then run fgl apply".to_string(),
        _ if detail.is_empty() => "run the image locally with the same environment to see why it exits, fix it, then run fgl apply again".to_string(),
        _ => "fix the error the log shows, push a new image and run fgl apply again".to_string(),
    };
    let mut f = Failure::new(
        FailureKind::ContainerExit,
        format!("{name} exited with code {code}{}{log}", exit_meaning(code)),
        fix,
    );
    f.detail = detail;
    f
}

fn out_of_memory(ctx: &Ctx<'_>, task: &StoppedTask) -> Failure {
    let e = &ctx.snap.expected;
    let c = task
        .containers
        .iter()
        .find(|c| {
            c.reason
                .as_deref()
                .is_some_and(|r| r.contains("OutOfMemory"))
        })
        .or_else(|| exited_container(ctx, task));
    let name = c.map_or(
        ctx.name,
        |c| if c.name.is_empty() { ctx.name } else { &c.name },
    );
    let code = c
        .and_then(|c| c.exit_code)
        .map_or_else(String::new, |code| format!(" (exit code {code})"));
    let fix = match next_size(e.cpu, e.memory) {
        Some((cpu, memory)) if cpu == e.cpu => format!(
            "raise memory to {memory} (the next Fargate size with cpu = {cpu}), or make the app use less; then run fgl apply"
        ),
        Some((cpu, memory)) => format!(
            "raise cpu to {cpu} and memory to {memory} (cpu = {} allows at most {} MiB), or make the app use less; then run fgl apply",
            e.cpu,
            crate::sizes::memory_sizes(e.cpu)
                .and_then(|s| s.last().copied())
                .unwrap_or(e.memory)
        ),
        None => format!(
            "make the app use less memory: {} MiB is the most Fargate gives a task",
            e.memory
        ),
    };
    let mut f = Failure::new(
        FailureKind::OutOfMemory,
        format!(
            "{name} ran out of memory: it used all of its {} MiB and was killed{code}",
            e.memory
        ),
        fix,
    );
    f.detail = log_detail(ctx);
    f
}

// ---- health checks ---------------------------------------------------------------------------

/// What the load balancer reported.
enum Health<'a> {
    Codes(&'a str),
    Timeout,
    Failed,
    Other(&'a str, &'a str),
}

impl<'a> Health<'a> {
    fn from_target(t: &'a TargetHealth) -> Self {
        let desc = t.description.as_deref().unwrap_or("");
        match t.reason.as_deref().unwrap_or("") {
            "Target.ResponseCodeMismatch" => Health::Codes(codes(desc).unwrap_or("another code")),
            "Target.Timeout" => Health::Timeout,
            "Target.FailedHealthChecks" => Health::Failed,
            other => Health::Other(other, desc),
        }
    }

    fn from_description(desc: &'a str) -> Self {
        if let Some(c) = codes(desc) {
            Health::Codes(c)
        } else if desc.starts_with("Request timed out") {
            Health::Timeout
        } else if desc.starts_with("Health checks failed") {
            Health::Failed
        } else {
            Health::Other("", desc)
        }
    }
}

/// `404` of `Health checks failed with these codes: [404]`.
fn codes(desc: &str) -> Option<&str> {
    let at = desc.find("codes: [")? + "codes: [".len();
    let rest = &desc[at..];
    let end = rest.find(']')?;
    Some(&rest[..end]).filter(|c| !c.is_empty())
}

struct HealthCheck {
    path: String,
    port: String,
    matcher: String,
}

impl HealthCheck {
    fn of(ctx: &Ctx<'_>, port: Option<u16>) -> Self {
        let e = &ctx.snap.expected;
        HealthCheck {
            path: e
                .health_check_path
                .clone()
                .unwrap_or_else(|| "/".to_string()),
            port: port
                .or(e.port)
                .map_or_else(|| "its port".to_string(), |p| p.to_string()),
            matcher: e
                .health_check_matcher
                .clone()
                .unwrap_or_else(|| "200-399".to_string()),
        }
    }

    fn generic_fix(&self, name: &str) -> String {
        format!(
            "make {name} answer {} on {} at port {}, or point health.path at a path that does; then run fgl apply",
            self.matcher, self.path, self.port
        )
    }

    fn failure(&self, name: &str, health: Health<'_>) -> Failure {
        let (cause, fix) = match health {
            Health::Codes(codes) => (
                format!(
                    "the load balancer's health check of {name} fails: GET {} on port {} answers {codes}, not {}",
                    self.path, self.port, self.matcher
                ),
                format!(
                    "make {name} answer {} on {}, or point health.path at a path that does; then run fgl apply",
                    self.matcher, self.path
                ),
            ),
            Health::Timeout => (
                format!(
                    "the load balancer's health check of {name} times out: GET {} on port {} gets no answer in time",
                    self.path, self.port
                ),
                format!(
                    "make {name} listen on 0.0.0.0:{} (not 127.0.0.1) and answer {} within health.timeout seconds (raise it if the answer is slow); then run fgl apply",
                    self.port, self.path
                ),
            ),
            Health::Failed => (
                format!(
                    "the load balancer's health check of {name} fails: connecting to port {} fails or the answer to GET {} is not HTTP",
                    self.port, self.path
                ),
                format!(
                    "make {name} serve HTTP on 0.0.0.0:{}, or set port to the port it really listens on; then run fgl apply",
                    self.port
                ),
            ),
            Health::Other(reason, desc) => {
                let what = match (reason.is_empty(), desc.is_empty()) {
                    (false, false) => format!("{reason}: {desc}"),
                    (false, true) => reason.to_string(),
                    _ => desc.to_string(),
                };
                (
                    format!(
                        "the load balancer's health check of {name} fails (GET {} on port {}): {what}",
                        self.path, self.port
                    ),
                    self.generic_fix(name),
                )
            }
        };
        Failure::new(FailureKind::HealthCheck, cause, fix)
    }
}

fn from_targets(ctx: &Ctx<'_>) -> Option<Failure> {
    let t = ctx
        .snap
        .target_health
        .iter()
        .find(|t| t.state == "unhealthy")?;
    let mut f = HealthCheck::of(ctx, t.port).failure(ctx.name, Health::from_target(t));
    if let Some(e) = unhealthy_event(ctx) {
        f.detail.push(format!("latest event: {}", e));
    }
    Some(f)
}

/// The newest "… is unhealthy in (target-group …) due to (reason …)" event.
fn unhealthy_event<'a>(ctx: &'a Ctx<'_>) -> Option<&'a str> {
    ctx.snap
        .events
        .iter()
        .map(|e| e.message.as_str())
        .find(|m| m.contains("is unhealthy in"))
}

fn health_from_events(ctx: &Ctx<'_>) -> Option<Failure> {
    let msg = unhealthy_event(ctx)?;
    let desc = msg
        .find("due to (reason ")
        .map(|at| &msg[at + "due to (reason ".len()..])
        .map(|r| r.trim_end_matches(['.', ')']).trim_end_matches(')'))
        .unwrap_or("");
    let port = msg
        .find("(port ")
        .map(|at| &msg[at + "(port ".len()..])
        .and_then(|r| r.split(')').next())
        .and_then(|p| p.parse().ok());
    let mut f = HealthCheck::of(ctx, port).failure(ctx.name, Health::from_description(desc));
    f.detail.push(format!("latest event: {msg}"));
    Some(f)
}

// ---- rollout state and events ----------------------------------------------------------------

fn from_rollout_reason(ctx: &Ctx<'_>, serving: Option<&Deployment>) -> Option<Failure> {
    let d = ctx.target?;
    if d.rollout_state != Some(RolloutState::Failed) {
        return None;
    }
    let reason = d.rollout_state_reason.as_deref().unwrap_or("").trim();
    let revision = short_revision(ctx.target_arn);
    let now = match serving {
        Some(p) => format!(
            "rolled back: {} is serving now",
            short_revision(&p.task_definition)
        ),
        None => match ctx
            .snap
            .service
            .deployments
            .iter()
            .find(|o| o.task_definition != ctx.target_arn && o.running_count > 0)
        {
            Some(o) => format!(
                "stopped it without rolling back: {} still runs {} tasks",
                short_revision(&o.task_definition),
                o.running_count
            ),
            None => format!(
                "stopped it without rolling back: {} of {} tasks run",
                d.running_count, d.desired_count
            ),
        },
    };
    let mut f = if let Some(why) = reason.strip_prefix("ECS deployment circuit breaker:") {
        Failure::new(
            FailureKind::RolledBack,
            format!(
                "ECS gave up on {revision} after its tasks kept failing ({}) and {now}",
                why.trim().trim_end_matches('.')
            ),
            format!(
                "no stopped task of {revision} shows why (ECS forgets them after about an hour): run fgl apply again and watch the cause"
            ),
        )
    } else {
        Failure::new(
            FailureKind::Unknown,
            format!(
                "the deployment of {revision} failed: {}",
                if reason.is_empty() { "ECS gave no reason" } else { reason }
            ),
            "fgl does not recognise this reason (it is AWS's own text): fix what it names, then run fgl apply again".to_string(),
        )
    };
    if let Some(e) = failure_event(ctx) {
        f.detail.push(format!("latest event: {e}"));
    }
    Some(f)
}

/// The newest event that reports a failure.
fn failure_event<'a>(ctx: &'a Ctx<'_>) -> Option<&'a str> {
    ctx.snap
        .events
        .iter()
        .map(|e| e.message.as_str())
        .find(|m| m.contains("is unhealthy in") || m.contains("unable to") || m.contains("failed"))
}

fn from_events(ctx: &Ctx<'_>) -> Option<Failure> {
    if let Some(f) = health_from_events(ctx) {
        return Some(f);
    }
    let msg = failure_event(ctx)?;
    Some(Failure::new(
        FailureKind::Unknown,
        format!(
            "the deployment of {} is stuck: {}",
            short_revision(ctx.target_arn),
            one_line(msg)
        ),
        "fgl does not recognise this event (it is AWS's own text): fix what it names, then run fgl apply again".to_string(),
    ))
}

/// AWS's text on one line (messages sometimes carry `\n\t`).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
