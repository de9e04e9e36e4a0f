//! Reading a rollout from AWS: one [`snapshot`] per poll fills `fgl_rollout::Snapshot` (which
//! `fgl_rollout::diagnose` turns into a verdict), plus the reads of `fgl logs`
//! ([`log_events`]) and of the certificate wait ([`certificate_status`]).
//!
//! The calls of one snapshot run one after the other, always in the same order
//! (DescribeServices, ListTasks, DescribeTasks, DescribeTargetHealth per target group,
//! GetLogEvents): a poll makes at most 4 + target groups calls and the order keeps the recorded
//! replays of the tests deterministic. Evidence that is not there (no stopped tasks, no target
//! group, a log stream that does not exist) leaves its part of the snapshot empty; an AWS error
//! is an error naming the call and AWS's message.

use aws_sdk_ecs::types::DesiredStatus;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use fgl_plan::ProviderError;
use fgl_rollout::{
    Container, Deployment, DeploymentStatus, Expected, RolloutState, Service, ServiceEvent,
    Snapshot, StoppedTask, TargetHealth, LOG_LINES,
};

use crate::clients::Clients;
use crate::error::{code_of, sdk};

/// The service events a snapshot keeps (DescribeServices returns up to 100, newest first).
const EVENTS: usize = 10;

/// The stopped tasks a snapshot reads: one ListTasks page, one DescribeTasks call.
const STOPPED_TASKS: i32 = 100;

/// Where a container's service and its evidence are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceRef {
    /// The cluster's name or ARN.
    pub cluster: String,
    /// The service's name.
    pub service: String,
    /// The container's name in the task definition.
    pub container: String,
    /// The ARNs of the target groups the service is attached to.
    pub target_groups: Vec<String>,
    /// The container's log group (`awslogs-group`).
    pub log_group: Option<String>,
    /// The container's log stream prefix (`awslogs-stream-prefix`).
    pub log_stream_prefix: Option<String>,
}

/// A log event for `fgl logs`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogEvent {
    pub id: String,
    /// Milliseconds since the epoch.
    pub timestamp_ms: i64,
    /// The log stream's name.
    pub stream: String,
    pub message: String,
}

/// One poll: DescribeServices (deployments, the 10 latest events, counts), the stopped tasks of
/// the service (ListTasks desiredStatus=STOPPED serviceName=…, DescribeTasks; newest first; at
/// most 100), target health of each target group (DescribeTargetHealth), and for a stopped task
/// whose essential container exited the last `fgl_rollout::LOG_LINES` lines of its log stream
/// `<prefix>/<container>/<task id>` (GetLogEvents, startFromHead=false). `expected` is passed
/// through into the snapshot.
pub async fn snapshot(
    c: &Clients,
    svc: &ServiceRef,
    expected: Expected,
) -> Result<Snapshot, ProviderError> {
    let (service, events) = describe_service(c, svc).await?;
    let stopped_tasks = stopped_tasks(c, svc).await?;
    let mut target_health = Vec::new();
    for arn in &svc.target_groups {
        target_health.extend(targets(c, arn).await?);
    }
    let log_tail = match exited_task(&stopped_tasks, svc, &expected) {
        Some(task_id) => log_tail(c, svc, task_id).await?,
        None => Vec::new(),
    };
    Ok(Snapshot {
        expected,
        service,
        events,
        stopped_tasks,
        target_health,
        log_tail,
        timed_out: false,
    })
}

/// Every event of `group` since `start_ms` (FilterLogEvents, all pages, oldest first), only
/// streams starting with `stream_prefix` when given.
pub async fn log_events(
    c: &Clients,
    group: &str,
    start_ms: i64,
    stream_prefix: Option<&str>,
) -> Result<Vec<LogEvent>, ProviderError> {
    let label = format!("log group {group}");
    let mut pages = c
        .logs
        .filter_log_events()
        .log_group_name(group)
        .start_time(start_ms)
        .set_log_stream_name_prefix(stream_prefix.map(str::to_string))
        .into_paginator()
        .send();
    let mut events = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| sdk(&label, "FilterLogEvents", e))?;
        events.extend(page.events().iter().map(|e| LogEvent {
            id: e.event_id().unwrap_or_default().to_string(),
            timestamp_ms: e.timestamp().unwrap_or_default(),
            stream: e.log_stream_name().unwrap_or_default().to_string(),
            message: e.message().unwrap_or_default().to_string(),
        }));
    }
    // Each page is in time order; across streams and pages the order is not promised. A
    // stable sort keeps AWS's order for events of the same millisecond.
    events.sort_by_key(|e| e.timestamp_ms);
    Ok(events)
}

/// ACM's status of a certificate (`ISSUED`, `PENDING_VALIDATION`, …).
pub async fn certificate_status(c: &Clients, arn: &str) -> Result<String, ProviderError> {
    let label = format!("certificate {arn}");
    let out = c
        .acm
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(|e| sdk(&label, "DescribeCertificate", e))?;
    out.certificate()
        .and_then(|cert| cert.status())
        .map(|s| s.as_str().to_string())
        .ok_or_else(|| {
            ProviderError::hard(format!(
                "{label}: DescribeCertificate: AWS returned no status"
            ))
        })
}

// ---- DescribeServices --------------------------------------------------------------------------

async fn describe_service(
    c: &Clients,
    svc: &ServiceRef,
) -> Result<(Service, Vec<ServiceEvent>), ProviderError> {
    let label = format!("service {} (cluster {})", svc.service, svc.cluster);
    let out = c
        .ecs
        .describe_services()
        .cluster(&svc.cluster)
        .services(&svc.service)
        .send()
        .await
        .map_err(|e| sdk(&label, "DescribeServices", e))?;
    // ECS answers a service it does not know with a failure, not an error: there is nothing
    // to watch, which is an error for the watcher.
    let Some(s) = out.services().first() else {
        let reason = out
            .failures()
            .first()
            .and_then(|f| f.reason())
            .unwrap_or("no such service");
        return Err(ProviderError::hard(format!(
            "{label}: DescribeServices: {reason}"
        )));
    };
    let service = Service {
        service_name: s.service_name().unwrap_or(&svc.service).to_string(),
        desired_count: count(s.desired_count()),
        running_count: count(s.running_count()),
        pending_count: count(s.pending_count()),
        deployments: s.deployments().iter().map(deployment).collect(),
    };
    let events = s
        .events()
        .iter()
        .take(EVENTS)
        .map(|e| ServiceEvent {
            message: e.message().unwrap_or_default().to_string(),
            created_at: e.created_at().and_then(text),
        })
        .collect();
    Ok((service, events))
}

fn deployment(d: &aws_sdk_ecs::types::Deployment) -> Deployment {
    Deployment {
        id: d.id().unwrap_or_default().to_string(),
        status: DeploymentStatus::from(d.status().unwrap_or_default()),
        task_definition: d.task_definition().unwrap_or_default().to_string(),
        rollout_state: d
            .rollout_state()
            .and_then(|s| RolloutState::parse(s.as_str())),
        rollout_state_reason: d.rollout_state_reason().map(str::to_string),
        desired_count: count(d.desired_count()),
        running_count: count(d.running_count()),
        pending_count: count(d.pending_count()),
        failed_tasks: count(d.failed_tasks()),
        created_at: d.created_at().and_then(text),
    }
}

/// A count from AWS (never negative).
fn count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// A timestamp as RFC 3339 text (`2026-11-27T12:02:11Z`), for display.
fn text(t: &DateTime) -> Option<String> {
    t.fmt(Format::DateTime).ok()
}

// ---- stopped tasks -----------------------------------------------------------------------------

async fn stopped_tasks(c: &Clients, svc: &ServiceRef) -> Result<Vec<StoppedTask>, ProviderError> {
    let label = format!("service {} (cluster {})", svc.service, svc.cluster);
    let listed = c
        .ecs
        .list_tasks()
        .cluster(&svc.cluster)
        .service_name(&svc.service)
        .desired_status(DesiredStatus::Stopped)
        .max_results(STOPPED_TASKS)
        .send()
        .await
        .map_err(|e| sdk(&label, "ListTasks", e))?;
    let arns = listed.task_arns();
    if arns.is_empty() {
        return Ok(Vec::new());
    }
    let described = c
        .ecs
        .describe_tasks()
        .cluster(&svc.cluster)
        .set_tasks(Some(arns.to_vec()))
        .send()
        .await
        .map_err(|e| sdk(&label, "DescribeTasks", e))?;
    // Newest first: ListTasks and DescribeTasks promise no order. A task stopped by ECS has a
    // stop time; one still stopping sorts by when it stopped being wanted, then was created.
    let mut tasks: Vec<_> = described.tasks().iter().collect();
    tasks.sort_by_key(|t| {
        std::cmp::Reverse(
            t.stopped_at()
                .or(t.stopping_at())
                .or(t.created_at())
                .map(|d| (d.secs(), d.subsec_nanos())),
        )
    });
    Ok(tasks.into_iter().map(stopped_task).collect())
}

fn stopped_task(t: &aws_sdk_ecs::types::Task) -> StoppedTask {
    StoppedTask {
        task_arn: t.task_arn().map(str::to_string),
        task_definition_arn: t.task_definition_arn().unwrap_or_default().to_string(),
        stopped_reason: t.stopped_reason().map(str::to_string),
        stop_code: t.stop_code().map(|c| c.as_str().to_string()),
        containers: t
            .containers()
            .iter()
            .map(|c| Container {
                name: c.name().unwrap_or_default().to_string(),
                exit_code: c.exit_code(),
                reason: c.reason().map(str::to_string),
                image: c.image().map(str::to_string),
            })
            .collect(),
    }
}

// ---- target health -----------------------------------------------------------------------------

async fn targets(c: &Clients, arn: &str) -> Result<Vec<TargetHealth>, ProviderError> {
    let out = match c
        .elb
        .describe_target_health()
        .target_group_arn(arn)
        .send()
        .await
    {
        Ok(out) => out,
        // A target group deleted since fgl read the service: no evidence, not a failure.
        Err(e) if code_of(&e) == Some("TargetGroupNotFound") => return Ok(Vec::new()),
        Err(e) => {
            return Err(sdk(
                &format!("target group {arn}"),
                "DescribeTargetHealth",
                e,
            ))
        }
    };
    Ok(out
        .target_health_descriptions()
        .iter()
        .map(|d| {
            let target = d.target();
            let health = d.target_health();
            TargetHealth {
                target_id: target.and_then(|t| t.id()).unwrap_or_default().to_string(),
                port: target
                    .and_then(|t| t.port())
                    .and_then(|p| u16::try_from(p).ok()),
                state: health
                    .and_then(|h| h.state())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reason: health
                    .and_then(|h| h.reason())
                    .map(|r| r.as_str().to_string()),
                description: health.and_then(|h| h.description()).map(str::to_string),
            }
        })
        .collect())
}

// ---- the log tail ------------------------------------------------------------------------------

/// The id of the newest stopped task of the deployed revision (any revision when `expected`
/// names none) whose container `svc.container` exited with a code, if any.
fn exited_task<'a>(
    tasks: &'a [StoppedTask],
    svc: &ServiceRef,
    expected: &Expected,
) -> Option<&'a str> {
    tasks
        .iter()
        .filter(|t| {
            expected.task_definition.is_empty() || t.task_definition_arn == expected.task_definition
        })
        .find(|t| {
            let exited = t.stop_code.as_deref() == Some("EssentialContainerExited")
                || t.stopped_reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("Essential container in task exited"));
            exited
                && t.containers
                    .iter()
                    .any(|c| c.name == svc.container && c.exit_code.is_some())
        })
        .and_then(|t| t.task_arn.as_deref())
        .and_then(|arn| arn.rsplit('/').next())
        .filter(|id| !id.is_empty())
}

/// The last [`LOG_LINES`] lines of the container's log stream of task `task_id`, oldest first;
/// empty without a log configuration or when the stream does not exist (the task died before
/// it wrote anything).
async fn log_tail(
    c: &Clients,
    svc: &ServiceRef,
    task_id: &str,
) -> Result<Vec<String>, ProviderError> {
    let (Some(group), Some(prefix)) = (&svc.log_group, &svc.log_stream_prefix) else {
        return Ok(Vec::new());
    };
    let stream = format!("{prefix}/{}/{task_id}", svc.container);
    let out = match c
        .logs
        .get_log_events()
        .log_group_name(group)
        .log_stream_name(&stream)
        .start_from_head(false)
        .limit(LOG_LINES as i32)
        .send()
        .await
    {
        Ok(out) => out,
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") => return Ok(Vec::new()),
        Err(e) => {
            return Err(sdk(
                &format!("log stream {stream} (log group {group})"),
                "GetLogEvents",
                e,
            ))
        }
    };
    // An event is usually one line; one that holds several (a multi-line pattern) is split.
    let mut lines: Vec<String> = out
        .events()
        .iter()
        .filter_map(|e| e.message())
        .flat_map(|m| m.strip_suffix('\n').unwrap_or(m).split('\n'))
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    let skip = lines.len().saturating_sub(LOG_LINES);
    lines.drain(..skip);
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(arn: &str, revision: u32, code: Option<&str>, exit: Option<i32>) -> StoppedTask {
        StoppedTask {
            task_arn: Some(arn.to_string()),
            task_definition_arn: format!(
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:{revision}"
            ),
            stop_code: code.map(str::to_string),
            containers: vec![Container {
                name: "web".into(),
                exit_code: exit,
                ..Container::default()
            }],
            ..StoppedTask::default()
        }
    }

    #[test]
    fn the_log_tail_is_read_for_the_newest_exit_of_the_deployed_revision() {
        let svc = ServiceRef {
            container: "web".into(),
            ..ServiceRef::default()
        };
        let expected = Expected {
            task_definition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7".into(),
            ..Expected::default()
        };
        let arn = |id: &str| format!("arn:aws:ecs:eu-west-1:123456789012:task/shop/{id}");
        let tasks = vec![
            task(&arn("a"), 7, Some("TaskFailedToStart"), None),
            task(&arn("b"), 6, Some("EssentialContainerExited"), Some(1)),
            task(&arn("c"), 7, Some("EssentialContainerExited"), Some(1)),
            task(&arn("d"), 7, Some("EssentialContainerExited"), Some(2)),
        ];
        assert_eq!(exited_task(&tasks, &svc, &expected), Some("c"));
        assert_eq!(exited_task(&tasks, &svc, &Expected::default()), Some("b"));
        assert_eq!(exited_task(&tasks[..2], &svc, &expected), None);
    }

    #[test]
    fn counts_are_never_negative() {
        assert_eq!(count(-1), 0);
        assert_eq!(count(3), 3);
    }
}
