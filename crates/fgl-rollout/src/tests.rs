//! Precedence and edge cases of `diagnose` (the catalogue itself is in `tests/rollout/`).

use crate::*;

const TD7: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7";
const TD6: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:6";
const DENIED: &str = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/shop-web-execution/abc is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/shop/app/password because no identity-based policy allows the ssm:GetParameters action";
const OOM: &str = "OutOfMemoryError: Container killed due to memory usage";

fn deployment(td: &str, status: DeploymentStatus, state: RolloutState) -> Deployment {
    Deployment {
        id: "ecs-svc/1".into(),
        status,
        task_definition: td.into(),
        rollout_state: Some(state),
        desired_count: 2,
        ..Deployment::default()
    }
}

fn snapshot(state: RolloutState) -> Snapshot {
    Snapshot {
        expected: Expected {
            container: "web".into(),
            cpu: 256,
            memory: 512,
            port: Some(8080),
            secrets: [("PASSWORD".to_string(), "/shop/app/password".to_string())].into(),
            execution_role: "shop-web-execution".into(),
            task_definition: TD7.into(),
            ..Expected::default()
        },
        service: Service {
            deployments: vec![deployment(TD7, DeploymentStatus::Primary, state)],
            ..Service::default()
        },
        ..Snapshot::default()
    }
}

fn stopped(
    td: &str,
    reason: &str,
    code: &str,
    exit: Option<i32>,
    creason: Option<&str>,
) -> StoppedTask {
    StoppedTask {
        task_definition_arn: td.into(),
        stopped_reason: Some(reason.into()),
        stop_code: Some(code.into()),
        containers: vec![Container {
            name: "web".into(),
            exit_code: exit,
            reason: creason.map(str::to_string),
            image: None,
        }],
        ..StoppedTask::default()
    }
}

fn unhealthy() -> TargetHealth {
    TargetHealth {
        target_id: "10.0.1.23".into(),
        port: Some(8080),
        state: "unhealthy".into(),
        reason: Some("Target.ResponseCodeMismatch".into()),
        description: Some("Health checks failed with these codes: [502]".into()),
    }
}

fn failure(v: Verdict) -> Failure {
    match v {
        Verdict::Failed(f) => f,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn stopped_task_beats_target_health() {
    let mut s = snapshot(RolloutState::Failed);
    s.stopped_tasks = vec![stopped(TD7, DENIED, "TaskFailedToStart", None, None)];
    s.target_health = vec![unhealthy()];
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::SecretAccess);
}

#[test]
fn target_health_beats_rollout_reason_and_events() {
    let mut s = snapshot(RolloutState::Failed);
    s.service.deployments[0].rollout_state_reason =
        Some("ECS deployment circuit breaker: tasks failed to start.".into());
    s.target_health = vec![unhealthy()];
    s.events = vec![ServiceEvent {
        message: "(service shop-web) was unable to place a task.".into(),
        created_at: None,
    }];
    let f = failure(diagnose(&s));
    assert_eq!(f.kind, FailureKind::HealthCheck);
    assert!(f.cause.contains("answers 502"), "{}", f.cause);
}

#[test]
fn rollout_reason_beats_events_which_come_last() {
    let mut s = snapshot(RolloutState::Failed);
    s.service.deployments[0].rollout_state_reason =
        Some("ECS deployment circuit breaker: tasks failed to start.".into());
    s.events = vec![ServiceEvent {
        message: "(service shop-web) (task abc) (port 8080) is unhealthy in (target-group arn:x) due to (reason Request timed out).".into(),
        created_at: None,
    }];
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::RolledBack);
    s.service.deployments[0].rollout_state = Some(RolloutState::InProgress);
    s.timed_out = true;
    let f = failure(diagnose(&s));
    assert_eq!(f.kind, FailureKind::HealthCheck);
    assert!(f.cause.contains("times out"), "{}", f.cause);
}

#[test]
fn network_timeout_beats_the_secret_it_was_fetching() {
    let mut s = snapshot(RolloutState::Failed);
    let reason = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestError: send request failed caused by: Post \"https://ssm.eu-west-1.amazonaws.com/\": dial tcp 67.220.226.37:443: i/o timeout. Please check your task network configuration.";
    s.stopped_tasks = vec![stopped(TD7, reason, "TaskFailedToStart", None, None)];
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::Network);
}

#[test]
fn out_of_memory_beats_a_plain_exit() {
    let mut s = snapshot(RolloutState::Failed);
    s.stopped_tasks = vec![stopped(
        TD7,
        "Essential container in task exited",
        "EssentialContainerExited",
        Some(137),
        Some(OOM),
    )];
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::OutOfMemory);
    s.stopped_tasks[0].containers[0].reason = None;
    let f = failure(diagnose(&s));
    assert_eq!(f.kind, FailureKind::ContainerExit);
    assert!(f.cause.contains("code 137 (killed)"), "{}", f.cause);
}

#[test]
fn other_revisions_and_normal_stops_are_not_evidence() {
    let mut s = snapshot(RolloutState::Failed);
    s.stopped_tasks = vec![
        stopped(TD6, DENIED, "TaskFailedToStart", None, None),
        stopped(
            TD7,
            "Scaling activity initiated by (deployment ecs-svc/1)",
            "ServiceSchedulerInitiated",
            Some(0),
            None,
        ),
        stopped(
            TD7,
            "Task stopped by user",
            "UserInitiated",
            Some(143),
            None,
        ),
        stopped(
            TD7,
            "Essential container in task exited",
            "EssentialContainerExited",
            Some(137),
            Some(OOM),
        ),
    ];
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::OutOfMemory);
    s.stopped_tasks.pop();
    s.service.deployments[0].rollout_state = Some(RolloutState::InProgress);
    let Verdict::InProgress(p) = diagnose(&s) else {
        panic!("normal stops are not a failure")
    };
    assert_eq!(p.problem, None);
    assert_eq!(p.revision, Some(7));
}

#[test]
fn completed_wins_and_evidence_in_progress_is_only_a_problem() {
    let mut s = snapshot(RolloutState::Completed);
    s.stopped_tasks = vec![stopped(TD7, DENIED, "TaskFailedToStart", None, None)];
    assert_eq!(diagnose(&s), Verdict::Completed);
    s.service.deployments[0].rollout_state = Some(RolloutState::InProgress);
    let Verdict::InProgress(p) = diagnose(&s) else {
        panic!("still in progress")
    };
    assert_eq!(p.problem.map(|f| f.kind), Some(FailureKind::SecretAccess));
}

#[test]
fn without_rollout_state_a_steady_single_deployment_is_completed() {
    let mut s = snapshot(RolloutState::Completed);
    let d = &mut s.service.deployments[0];
    d.rollout_state = None;
    d.running_count = 2;
    assert_eq!(diagnose(&s), Verdict::Completed);
    s.service.deployments[0].running_count = 1;
    assert!(matches!(diagnose(&s), Verdict::InProgress(_)));
}

#[test]
fn a_replaced_deployment_fails_and_names_what_serves() {
    let mut s = snapshot(RolloutState::InProgress);
    s.service.deployments = vec![deployment(
        TD6,
        DeploymentStatus::Primary,
        RolloutState::Completed,
    )];
    let f = failure(diagnose(&s));
    assert_eq!(f.kind, FailureKind::RolledBack);
    assert!(f.cause.contains("shop-web:6 is serving"), "{}", f.cause);
}

#[test]
fn unknown_reasons_are_never_empty() {
    let mut s = snapshot(RolloutState::Failed);
    let mut t = stopped(TD7, "", "TaskFailedToStart", None, None);
    t.stopped_reason = None;
    s.stopped_tasks = vec![t];
    let f = failure(diagnose(&s));
    assert_eq!(f.kind, FailureKind::Unknown);
    assert_eq!(
        f.cause,
        "web's task stopped without a reason (stop code TaskFailedToStart)"
    );
    // A failed deployment with nothing at all still says so.
    s.stopped_tasks.clear();
    let f = failure(diagnose(&s));
    assert_eq!(
        f.cause,
        "the deployment of shop-web:7 failed: ECS gave no reason"
    );
    assert!(f.render().lines().count() == 2);
}

#[test]
fn the_log_tail_is_the_last_twenty_lines() {
    let mut s = snapshot(RolloutState::Failed);
    s.log_tail = (1..=30).map(|i| format!("line {i}")).collect();
    s.stopped_tasks = vec![stopped(
        TD7,
        "Essential container in task exited",
        "EssentialContainerExited",
        Some(1),
        None,
    )];
    let f = failure(diagnose(&s));
    assert_eq!(f.detail.len(), LOG_LINES);
    assert_eq!(f.detail.first().map(String::as_str), Some("line 11"));
    assert!(!f.cause.contains('\n') && !f.fix.contains('\n'));
}

#[test]
fn an_empty_snapshot_does_not_panic() {
    assert!(matches!(
        diagnose(&Snapshot::default()),
        Verdict::InProgress(_)
    ));
    let s = Snapshot {
        timed_out: true,
        ..Snapshot::default()
    };
    assert_eq!(failure(diagnose(&s)).kind, FailureKind::TimedOut);
}

#[test]
fn verdicts_round_trip_through_serde() {
    let mut s = snapshot(RolloutState::Failed);
    s.stopped_tasks = vec![stopped(TD7, DENIED, "TaskFailedToStart", None, None)];
    for v in [
        diagnose(&s),
        Verdict::Completed,
        diagnose(&Snapshot::default()),
    ] {
        let json = serde_json::to_string(&v).unwrap_or_default();
        let back: Result<Verdict, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(v), "{json}");
    }
}
