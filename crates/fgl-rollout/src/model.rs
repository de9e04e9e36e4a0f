//! The snapshot a provider fills from AWS, and what fgl knows from the file.
//!
//! Field names follow the AWS APIs (camelCase in JSON, like ECS's own JSON) so that the SDK →
//! model conversion is one assignment per field: `DescribeServices` (service, deployments,
//! events), `DescribeTasks` on the stopped tasks of the new deployment, `DescribeTargetHealth`
//! (flattened: target id and port, then the health), and `GetLogEvents` on the essential
//! container's log stream. Every field is optional in JSON (absent = empty/zero/unknown).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything `diagnose` looks at, read once per poll.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Snapshot {
    /// What fgl knows from the file.
    pub expected: Expected,
    /// The ECS service (`DescribeServices`).
    pub service: Service,
    /// The service's recent events, newest first (as `DescribeServices` returns them).
    pub events: Vec<ServiceEvent>,
    /// Stopped tasks of the service (`ListTasks desiredStatus=STOPPED` + `DescribeTasks`),
    /// newest first. Tasks of other revisions are ignored.
    pub stopped_tasks: Vec<StoppedTask>,
    /// Health of the targets in the container's target group (`DescribeTargetHealth`).
    pub target_health: Vec<TargetHealth>,
    /// The last lines of the essential container's CloudWatch log stream (oldest first),
    /// for the most recent stopped task; at most 20 are shown.
    pub log_tail: Vec<String>,
    /// The watcher's time limit passed: a deployment still in progress is a failure.
    pub timed_out: bool,
}

/// What the fgl file says the deployment should reach.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Expected {
    /// The container's name in fgl (and in the task definition), e.g. `web`.
    pub container: String,
    /// The image reference from the file.
    pub image: String,
    /// CPU units (256, 512, …).
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
    /// The port the container listens on, if it has one.
    pub port: Option<u16>,
    /// The load balancer health check's path (e.g. `/healthz`), when behind a load balancer.
    pub health_check_path: Option<String>,
    /// The HTTP codes the health check accepts (the target group's matcher, e.g. `200-399`).
    pub health_check_matcher: Option<String>,
    /// Secrets: environment variable name → SSM parameter name (`/shop/app/password`) or ARN.
    pub secrets: BTreeMap<String, String>,
    /// The execution role's name (the role ECS uses to pull the image and read secrets).
    pub execution_role: String,
    /// Whether tasks get a public IP (public subnets).
    pub public_ip: bool,
    /// Whether the network has NAT for its private subnets.
    pub nat: bool,
    /// The task definition ARN (`…:task-definition/family:N`) the deployment should reach.
    pub task_definition: String,
}

/// The ECS service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Service {
    pub service_name: String,
    pub desired_count: u32,
    pub running_count: u32,
    pub pending_count: u32,
    pub deployments: Vec<Deployment>,
}

/// One of the service's deployments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Deployment {
    /// `ecs-svc/…`.
    pub id: String,
    pub status: DeploymentStatus,
    /// The task definition ARN.
    pub task_definition: String,
    pub rollout_state: Option<RolloutState>,
    pub rollout_state_reason: Option<String>,
    pub desired_count: u32,
    pub running_count: u32,
    pub pending_count: u32,
    pub failed_tasks: u32,
    /// As text (the provider formats the timestamp; used only for display).
    pub created_at: Option<String>,
}

/// A deployment's status: `PRIMARY` (the newest), `ACTIVE` (older, still running or being
/// replaced) or `INACTIVE`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    Primary,
    #[default]
    Active,
    Inactive,
}

impl From<&str> for DeploymentStatus {
    fn from(s: &str) -> Self {
        match s {
            "PRIMARY" => Self::Primary,
            "INACTIVE" => Self::Inactive,
            _ => Self::Active,
        }
    }
}

/// A deployment's rollout state (`COMPLETED`, `FAILED`, `IN_PROGRESS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RolloutState {
    Completed,
    Failed,
    InProgress,
}

impl RolloutState {
    /// From the SDK's string; `None` for a value this crate does not know.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "COMPLETED" => Some(Self::Completed),
            "FAILED" => Some(Self::Failed),
            "IN_PROGRESS" => Some(Self::InProgress),
            _ => None,
        }
    }
}

/// A service event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceEvent {
    pub message: String,
    pub created_at: Option<String>,
}

/// A stopped task (`DescribeTasks`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StoppedTask {
    pub task_arn: Option<String>,
    pub task_definition_arn: String,
    pub stopped_reason: Option<String>,
    /// `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`,
    /// `ServiceSchedulerInitiated`, … (kept as AWS's text).
    pub stop_code: Option<String>,
    pub containers: Vec<Container>,
}

/// A container of a stopped task.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Container {
    pub name: String,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub image: Option<String>,
}

/// One target's health (`DescribeTargetHealth`'s `TargetHealthDescriptions`, flattened).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TargetHealth {
    /// The target's id (a task's IP address on Fargate).
    pub target_id: String,
    pub port: Option<u16>,
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`.
    pub state: String,
    /// e.g. `Target.ResponseCodeMismatch`.
    pub reason: Option<String>,
    /// e.g. `Health checks failed with these codes: [404]`.
    pub description: Option<String>,
}

/// The revision number of a task definition ARN (`…:task-definition/family:N`) or of
/// `family:N`; `None` when there is none.
pub fn revision(task_definition: &str) -> Option<u32> {
    family_revision(task_definition).map(|(_, n)| n)
}

/// `(family, N)` of a task definition ARN or of `family:N`.
pub fn family_revision(task_definition: &str) -> Option<(&str, u32)> {
    let tail = match task_definition.rfind(":task-definition/") {
        Some(at) => &task_definition[at + ":task-definition/".len()..],
        None if task_definition.starts_with("arn:") => return None,
        None => task_definition,
    };
    let (family, n) = tail.rsplit_once(':')?;
    if family.is_empty() || family.contains('/') || n.is_empty() {
        return None;
    }
    if !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((family, n.parse().ok()?))
}

/// `family:N` for display, or the text as given when it is not a task definition.
pub fn short_revision(task_definition: &str) -> String {
    match family_revision(task_definition) {
        Some((family, n)) => format!("{family}:{n}"),
        None => task_definition.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions() {
        let arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7";
        assert_eq!(family_revision(arn), Some(("shop-web", 7)));
        assert_eq!(revision(arn), Some(7));
        assert_eq!(revision("shop-web:12"), Some(12));
        assert_eq!(short_revision(arn), "shop-web:7");
        // China and GovCloud partitions have the same shape.
        assert_eq!(
            revision("arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a_b-c:3"),
            Some(3)
        );
        for bad in [
            "",
            "shop-web",
            "shop-web:",
            ":7",
            "shop-web:latest",
            "shop-web:-1",
            "shop-web:99999999999",
            "arn:aws:ecs:eu-west-1:123456789012:service/shop/shop-web",
            "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web",
        ] {
            assert_eq!(revision(bad), None, "{bad:?}");
        }
        assert_eq!(short_revision("not an arn"), "not an arn");
    }

    #[test]
    fn enums_from_sdk_strings() {
        assert_eq!(DeploymentStatus::from("PRIMARY"), DeploymentStatus::Primary);
        assert_eq!(DeploymentStatus::from("ACTIVE"), DeploymentStatus::Active);
        assert_eq!(
            RolloutState::parse("IN_PROGRESS"),
            Some(RolloutState::InProgress)
        );
        assert_eq!(RolloutState::parse("SOMETHING_NEW"), None);
    }
}
