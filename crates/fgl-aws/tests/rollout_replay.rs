//! `fgl_aws::rollout` on recorded AWS responses, replayed through the real SDK clients by the
//! SDK's own `StaticReplayClient`: the SDK parses the bodies AWS returns (ECS and CloudWatch
//! Logs JSON, ELBv2 XML), `snapshot` fills the model, and `fgl_rollout::diagnose` must give the
//! cause and fix lines the fgl-rollout fixtures give for the same failure.
//!
//! A case is a directory `tests/recorded/rollout/<case>/` of steps, replayed in name order:
//! `NN-<service>-<Operation>[.<status>].<json|xml>` is the body AWS answers (status 200 unless
//! named), and `NN-<service>-<Operation>.request.<json|txt>` beside it the request the SDK must
//! send for it (compared by the SDK's own `assert_requests_match`: the URI, `content-type`,
//! `x-amz-target`, and the body — JSON by value, form bodies as text). Each case also checks that
//! exactly the recorded operations were called, in order (the call log). `FGL_BLESS=1` rewrites
//! the request files from what the SDK sent (review them).

use std::path::{Path, PathBuf};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ecs::config::{Credentials, SharedCredentialsProvider};
use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_runtime_api::http::{Request, Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use fgl_aws::rollout::{self, LogEvent, ServiceRef};
use fgl_aws::{CallLog, Clients};
use fgl_plan::ErrorClass;
use fgl_rollout::{diagnose, Expected, Failure, FailureKind, Snapshot, Verdict};

const REGION: &str = "eu-west-1";
const TD7: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-web:7";
const TARGET_GROUP: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/6d0ecf831eec9f09";

// ---- the replay harness ------------------------------------------------------------------------

/// One recorded call.
struct Step {
    /// The response body's file.
    file: PathBuf,
    /// The expected request body's file.
    request: PathBuf,
    /// `ecs`, `elb`, `logs`, `acm`.
    service: String,
    operation: String,
    status: u16,
}

/// How a service's requests look on the wire.
struct Wire {
    host: &'static str,
    /// The JSON protocols' `x-amz-target` prefix; `None` for the query protocol (ELBv2).
    target: Option<&'static str>,
}

fn wire(service: &str) -> Wire {
    match service {
        "ecs" => Wire {
            host: "ecs",
            target: Some("AmazonEC2ContainerServiceV20141113"),
        },
        "logs" => Wire {
            host: "logs",
            target: Some("Logs_20140328"),
        },
        "acm" => Wire {
            host: "acm",
            target: Some("CertificateManager"),
        },
        "elb" => Wire {
            host: "elasticloadbalancing",
            target: None,
        },
        other => panic!("no wire format for service {other:?}"),
    }
}

fn case_dir(case: &str) -> PathBuf {
    Path::new(&manifest_dir())
        .join("tests/recorded/rollout")
        .join(case)
}

/// The steps of a case, in order.
fn steps(case: &str) -> Vec<Step> {
    let dir = case_dir(case);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.contains(".request.")
        })
        .collect();
    files.sort();
    for entry in std::fs::read_dir(&dir).expect("the case directory") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Some((stem, _)) = name.split_once(".request.") {
            assert!(
                files.iter().any(|f| f
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("{stem}.")))),
                "{}: an orphan request file (no recorded response beside it)",
                path.display()
            );
        }
    }
    assert!(
        !files.is_empty(),
        "{}: no recorded responses",
        dir.display()
    );
    files
        .into_iter()
        .map(|file| {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 name");
            // NN-service-Operation[.status].ext
            let (stem, ext) = name.rsplit_once('.').expect("an extension");
            let (stem, status) = match stem.rsplit_once('.') {
                Some((stem, status)) => (stem, status.parse().expect("a status code")),
                None => (stem, 200),
            };
            let mut parts = stem.splitn(3, '-');
            let (_, service, operation) = (
                parts.next().expect("a step number"),
                parts.next().expect("a service"),
                parts.next().expect("an operation"),
            );
            let request_ext = if ext == "xml" { "txt" } else { "json" };
            Step {
                request: dir.join(format!("{stem}.request.{request_ext}")),
                file: file.clone(),
                service: service.to_string(),
                operation: operation.to_string(),
                status,
            }
        })
        .collect()
}

fn bless() -> bool {
    std::env::var_os("FGL_BLESS").is_some()
}

/// SDK clients whose HTTP client answers the recorded responses of `case`, in order.
struct Replay {
    case: String,
    steps: Vec<Step>,
    http: StaticReplayClient,
    clients: Clients,
}

impl Replay {
    fn new(case: &str) -> Self {
        let steps = steps(case);
        let events = steps
            .iter()
            .map(|step| {
                let wire = wire(&step.service);
                let mut request = Request::new(if bless() {
                    SdkBody::empty()
                } else {
                    let body = std::fs::read_to_string(&step.request).unwrap_or_else(|e| {
                        panic!(
                            "{}: {e} (FGL_BLESS=1 writes it from what the SDK sends)",
                            step.request.display()
                        )
                    });
                    SdkBody::from(body.trim_end().to_string())
                });
                request
                    .set_uri(format!("https://{}.{REGION}.amazonaws.com/", wire.host))
                    .expect("a URI");
                let body = std::fs::read(&step.file).expect("a recorded response");
                let mut response = Response::new(
                    StatusCode::try_from(step.status).expect("a status code"),
                    SdkBody::from(body),
                );
                let headers = response.headers_mut();
                headers.insert("x-amzn-requestid", "9f0f3d52-7c1e-4b8a-a1d2-5e6f7a8b9c0d");
                match wire.target {
                    Some(prefix) => {
                        let target = format!("{prefix}.{}", step.operation);
                        request.headers_mut().insert("x-amz-target", target);
                        request
                            .headers_mut()
                            .insert("content-type", "application/x-amz-json-1.1");
                        headers.insert("content-type", "application/x-amz-json-1.1");
                    }
                    None => {
                        request
                            .headers_mut()
                            .insert("content-type", "application/x-www-form-urlencoded");
                        headers.insert("content-type", "text/xml");
                    }
                }
                ReplayEvent::new(request, response)
            })
            .collect();
        let http = StaticReplayClient::new(events);
        let config = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKIAREPLAY",
                "replay",
                None,
                None,
                "replay",
            )))
            // One recorded response per request: a retry would take the next step's.
            .retry_config(RetryConfig::disabled())
            .http_client(http.clone())
            .build();
        Replay {
            case: case.to_string(),
            steps,
            clients: Clients::new(&config, CallLog::default()),
            http,
        }
    }

    /// Every recorded response was asked for, by the recorded requests, in order.
    fn check_requests(&self) {
        let called: Vec<String> = self
            .clients
            .calls
            .calls()
            .into_iter()
            .map(|c| c.operation)
            .collect();
        let recorded: Vec<String> = self.steps.iter().map(|s| s.operation.clone()).collect();
        assert_eq!(called, recorded, "{}: the operations called", self.case);
        if bless() {
            for (step, request) in self.steps.iter().zip(self.http.actual_requests()) {
                let body = request.body().bytes().expect("an in-memory body");
                let text = match serde_json::from_slice::<serde_json::Value>(body) {
                    Ok(json) => serde_json::to_string_pretty(&json).expect("JSON"),
                    Err(_) => String::from_utf8(body.to_vec()).expect("a UTF-8 body"),
                };
                std::fs::write(&step.request, text + "\n").expect("write the request");
            }
            return;
        }
        self.http.assert_requests_match(&[]);
    }
}

/// The snapshot of `case` for `svc`, after checking the requests made.
async fn snapshot(case: &str, svc: &ServiceRef, expected: Expected) -> Snapshot {
    let replay = Replay::new(case);
    let snap = rollout::snapshot(&replay.clients, svc, expected)
        .await
        .unwrap_or_else(|e| panic!("{case}: {}", e.message));
    replay.check_requests();
    snap
}

// ---- what fgl knows from the file ----------------------------------------------------------------

fn service() -> ServiceRef {
    ServiceRef {
        cluster: "shop".into(),
        service: "shop-web".into(),
        container: "web".into(),
        target_groups: vec![TARGET_GROUP.into()],
        log_group: Some("/fgl/shop/web".into()),
        log_stream_prefix: Some("ecs".into()),
    }
}

fn expected() -> Expected {
    Expected {
        container: "web".into(),
        image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:v42".into(),
        cpu: 256,
        memory: 512,
        port: Some(8080),
        health_check_path: Some("/healthz".into()),
        health_check_matcher: Some("200-399".into()),
        secrets: [("PASSWORD".to_string(), "/shop/app/password".to_string())].into(),
        execution_role: "shop-web-execution".into(),
        public_ip: true,
        nat: false,
        task_definition: TD7.into(),
    }
}

fn failed(snap: &Snapshot) -> Failure {
    match diagnose(snap) {
        Verdict::Failed(f) => f,
        other => panic!("expected a failure, got:\n{other}"),
    }
}

const ROLLED_BACK: &str = "rolled back: shop-web:6 is serving now (shop-web:7 failed)";

// ---- the catalogue -----------------------------------------------------------------------------

#[tokio::test]
async fn secret_access_denied() {
    let mut expected = expected();
    expected
        .secrets
        .insert("API_KEY".into(), "/shop/app/api-key".into());
    let snap = snapshot("secret_access_denied", &service(), expected).await;
    assert_eq!(snap.stopped_tasks.len(), 2);
    assert_eq!(
        snap.stopped_tasks[0].stop_code.as_deref(),
        Some("TaskFailedToStart")
    );
    // Tasks that never started have no targets (those registered are the old revision's,
    // healthy) and no log (no GetLogEvents).
    assert!(snap.target_health.iter().all(|t| t.state == "healthy"));
    assert!(snap.log_tail.is_empty());
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::SecretAccess);
    assert_eq!(
        f.cause,
        "web's tasks cannot read secret PASSWORD (/shop/app/password): role shop-web-execution is not allowed ssm:GetParameters"
    );
    assert_eq!(
        f.fix,
        "let the execution role read the parameter — fgl grants it; if you edited the role or the parameter's KMS key, run fgl apply again"
    );
    assert_eq!(f.detail, [ROLLED_BACK]);
}

#[tokio::test]
async fn image_not_found() {
    // A worker: no load balancer, so no DescribeTargetHealth.
    let svc = ServiceRef {
        target_groups: Vec::new(),
        ..service()
    };
    let snap = snapshot("image_not_found", &svc, expected()).await;
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::ImageNotFound);
    assert_eq!(
        f.cause,
        "web's image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:v42 does not exist: the registry has no such repository or tag"
    );
    assert_eq!(
        f.fix,
        "push the image, or correct image = \"…\" in the file, then run fgl apply again"
    );
    // The circuit breaker stopped without rolling back: nothing else is serving.
    assert!(f.detail.is_empty(), "{:?}", f.detail);
}

#[tokio::test]
async fn no_network_path() {
    let expected = Expected {
        public_ip: false,
        nat: false,
        ..expected()
    };
    let snap = snapshot("no_network_path", &service(), expected).await;
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::Network);
    assert_eq!(
        f.cause,
        "web's tasks have no network path to ECR (api.ecr.eu-west-1.amazonaws.com) to pull its image: the connection timed out"
    );
    assert_eq!(
        f.fix,
        "tasks in private subnets need NAT to reach AWS: set nat = \"single\" on the Network, or subnets = \"public\" on web (a public IP); then run fgl apply"
    );
    assert_eq!(f.detail, [ROLLED_BACK]);
}

/// The log lines GetLogEvents returns in the recorded case (the last 20 of the stream).
const EXIT_LOG: [&str; 20] = [
    "> node dist/server.js",
    "[2026-11-27T12:03:00.100Z] info: loading module config",
    "[2026-11-27T12:03:01.137Z] info: loading module db",
    "[2026-11-27T12:03:02.174Z] info: loading module cache",
    "[2026-11-27T12:03:03.211Z] info: loading module routes",
    "[2026-11-27T12:03:04.248Z] info: loading module auth",
    "[2026-11-27T12:03:05.285Z] info: loading module metrics",
    "/app/dist/db.js:41",
    "    throw new Error(`DATABASE_URL is not set`);",
    "    ^",
    "Error: DATABASE_URL is not set",
    "    at connect (/app/dist/db.js:41:11)",
    "    at Object.<anonymous> (/app/dist/server.js:12:20)",
    "    at Module._compile (node:internal/modules/cjs/loader:1554:14)",
    "    at Object..js (node:internal/modules/cjs/loader:1706:10)",
    "    at Module.load (node:internal/modules/cjs/loader:1289:32)",
    "    at Function._load (node:internal/modules/cjs/loader:1108:12)",
    "    at TracingChannel.traceSync (node:diagnostics_channel:322:14)",
    "    at wrapModuleLoad (node:internal/modules/cjs/loader:220:24)",
    "Node.js v22.14.0",
];

#[tokio::test]
async fn essential_container_exit_with_the_log_tail() {
    // DescribeTasks answers the older task first; the log read is the newest task's stream
    // (`ecs/web/<id>`, see the GetLogEvents request file).
    let snap = snapshot("essential_container_exit", &service(), expected()).await;
    assert_eq!(
        snap.stopped_tasks[0].task_arn.as_deref(),
        Some("arn:aws:ecs:eu-west-1:123456789012:task/shop/3f9c0a7e4b1d4a6f9e2b8c5d7a1e0f42")
    );
    assert_eq!(snap.log_tail, EXIT_LOG);
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::ContainerExit);
    assert_eq!(
        f.cause,
        "web exited with code 1; its last 20 log lines are below"
    );
    assert_eq!(
        f.fix,
        "fix the error the log shows, push a new image and run fgl apply again"
    );
    let mut detail = vec![ROLLED_BACK];
    detail.extend(EXIT_LOG);
    assert_eq!(f.detail, detail);
}

#[tokio::test]
async fn essential_container_exit_without_a_log_stream() {
    // GetLogEvents: ResourceNotFoundException (the stream does not exist) is no evidence, not
    // an error.
    let snap = snapshot(
        "essential_container_exit_no_log_stream",
        &service(),
        expected(),
    )
    .await;
    assert!(snap.log_tail.is_empty());
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::ContainerExit);
    assert_eq!(f.cause, "web exited with code 1 and wrote no log");
    assert_eq!(
        f.fix,
        "run the image locally with the same environment to see why it exits, fix it, then run fgl apply again"
    );
}

#[tokio::test]
async fn out_of_memory() {
    let snap = snapshot("out_of_memory", &service(), expected()).await;
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::OutOfMemory);
    assert_eq!(
        f.cause,
        "web ran out of memory: it used all of its 512 MiB and was killed (exit code 137)"
    );
    assert_eq!(
        f.fix,
        "raise memory to 1024 (the next Fargate size with cpu = 256), or make the app use less; then run fgl apply"
    );
    assert_eq!(
        f.detail,
        [
            ROLLED_BACK,
            "[12:04:51] info: warming cache (48213 entries)",
            "[12:04:58] info: warming cache 61%",
        ]
    );
}

#[tokio::test]
async fn health_check_response_code_mismatch() {
    let mut snap = snapshot(
        "health_check_response_code_mismatch",
        &service(),
        expected(),
    )
    .await;
    assert_eq!(snap.target_health.len(), 2);
    assert_eq!(snap.target_health[0].target_id, "10.0.1.23");
    assert_eq!(snap.target_health[0].port, Some(8080));
    assert_eq!(
        snap.target_health[0].reason.as_deref(),
        Some("Target.ResponseCodeMismatch")
    );
    let cause = "the load balancer's health check of web fails: GET /healthz on port 8080 answers 404, not 200-399";
    let fix = "make web answer 200-399 on /healthz, or point health.path at a path that does; then run fgl apply";
    // ECS is still replacing the failing tasks: in progress, with the problem so far.
    match diagnose(&snap) {
        Verdict::InProgress(p) => {
            assert_eq!(
                (p.revision, p.desired, p.running, p.failed),
                (Some(7), 2, 1, 2)
            );
            let problem = p.problem.expect("the problem so far");
            assert_eq!(problem.kind, FailureKind::HealthCheck);
            assert_eq!(problem.cause, cause);
        }
        other => panic!("expected in progress, got:\n{other}"),
    }
    // The watcher's time limit passes: the same evidence is the failure.
    snap.timed_out = true;
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::HealthCheck);
    assert_eq!(f.cause, cause);
    assert_eq!(f.fix, fix);
    assert_eq!(
        f.detail,
        ["latest event: (service shop-web) (task a81d5c2e9b7f4e03b6d1c8f5e2a4b790) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/6d0ecf831eec9f09) due to (reason Health checks failed with these codes: [404])."]
    );
}

#[tokio::test]
async fn circuit_breaker_rollback() {
    // ECS no longer lists the failed tasks (ListTasks is empty, so no DescribeTasks).
    let snap = snapshot("circuit_breaker_rollback", &service(), expected()).await;
    assert!(snap.stopped_tasks.is_empty());
    let f = failed(&snap);
    assert_eq!(f.kind, FailureKind::RolledBack);
    assert_eq!(
        f.cause,
        "ECS gave up on shop-web:7 after its tasks kept failing (tasks failed to start) and rolled back: shop-web:6 is serving now"
    );
    assert_eq!(
        f.fix,
        "no stopped task of shop-web:7 shows why (ECS forgets them after about an hour): run fgl apply again and watch the cause"
    );
    assert_eq!(
        f.detail,
        ["latest event: (service shop-web) deployment ecs-svc/4862097158461820591 deployment failed: tasks failed to start."]
    );
}

#[tokio::test]
async fn in_progress() {
    // A stopped task of the previous revision (out of memory) is not this deployment's
    // problem, and its log is not read.
    let snap = snapshot("in_progress", &service(), expected()).await;
    assert_eq!(snap.stopped_tasks.len(), 1);
    assert!(snap.log_tail.is_empty());
    assert_eq!(
        diagnose(&snap).render(),
        "in progress: web revision 7: 1/2 running, 1 pending, 0 failed\n\
         latest event: (service shop-web) registered 1 targets in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/6d0ecf831eec9f09)\n"
    );
}

#[tokio::test]
async fn completed() {
    // The second target group was deleted since: TargetGroupNotFound is no evidence.
    let svc = ServiceRef {
        target_groups: vec![
            TARGET_GROUP.into(),
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web-old/0f1e2d3c4b5a6978".into(),
        ],
        ..service()
    };
    let snap = snapshot("completed", &svc, expected()).await;
    assert_eq!(diagnose(&snap), Verdict::Completed);
    // The whole model, as the SDK parsed it.
    let d = &snap.service.deployments[0];
    assert_eq!(d.id, "ecs-svc/4862097158461820591");
    assert_eq!(d.task_definition, TD7);
    assert_eq!(d.created_at.as_deref(), Some("2026-11-27T12:02:11.482Z"));
    assert_eq!(
        d.rollout_state_reason.as_deref(),
        Some("ECS deployment ecs-svc/4862097158461820591 completed.")
    );
    assert_eq!(
        (snap.service.desired_count, snap.service.running_count),
        (2, 2)
    );
    assert_eq!(snap.events.len(), 3);
    assert_eq!(
        snap.events[0].created_at.as_deref(),
        Some("2026-11-27T12:06:30.917Z")
    );
    let states: Vec<&str> = snap
        .target_health
        .iter()
        .map(|t| t.state.as_str())
        .collect();
    assert_eq!(states, ["healthy", "healthy", "draining", "draining"]);
    assert_eq!(snap.stopped_tasks.len(), 2);
    assert_eq!(
        snap.stopped_tasks[0].containers[0].exit_code,
        Some(143),
        "the newest stopped task first"
    );
}

#[tokio::test]
async fn only_the_ten_latest_events_are_kept() {
    let snap = snapshot("many_events", &service(), expected()).await;
    assert_eq!(snap.events.len(), 10);
    assert_eq!(
        snap.events[0].message,
        "(service shop-web) has started 1 tasks: (task 0c4f3b7a9e2d4c18b6a5f1e0d9c8b7a6)."
    );
}

// ---- AWS errors ----------------------------------------------------------------------------------

#[tokio::test]
async fn an_aws_error_names_the_call_and_aws_message() {
    let replay = Replay::new("describe_services_access_denied");
    let err = rollout::snapshot(&replay.clients, &service(), expected())
        .await
        .expect_err("access denied");
    replay.check_requests();
    assert_eq!(err.class, ErrorClass::Hard);
    assert_eq!(
        err.message,
        "service shop-web (cluster shop): DescribeServices: AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecs:DescribeServices on resource: arn:aws:ecs:eu-west-1:123456789012:service/shop/shop-web because no identity-based policy allows the ecs:DescribeServices action"
    );
}

#[tokio::test]
async fn a_service_ecs_does_not_know_is_an_error() {
    let replay = Replay::new("service_missing");
    let err = rollout::snapshot(&replay.clients, &service(), expected())
        .await
        .expect_err("no such service");
    replay.check_requests();
    assert_eq!(
        err.message,
        "service shop-web (cluster shop): DescribeServices: MISSING"
    );
}

// ---- fgl logs and the certificate wait -----------------------------------------------------------

#[tokio::test]
async fn log_events_reads_every_page_oldest_first() {
    let replay = Replay::new("log_events_paging");
    let events = rollout::log_events(
        &replay.clients,
        "/fgl/shop/web",
        1_795_780_800_000,
        Some("ecs/web/"),
    )
    .await
    .expect("the log events");
    // Three pages (the second request carries the first page's nextToken, the third the
    // second's; see the request files); the last page has no nextToken.
    replay.check_requests();
    let got: Vec<(i64, &str, &str)> = events
        .iter()
        .map(|e| (e.timestamp_ms, e.stream.as_str(), e.message.as_str()))
        .collect();
    let a = "ecs/web/3f9c0a7e4b1d4a6f9e2b8c5d7a1e0f42";
    let b = "ecs/web/a81d5c2e9b7f4e03b6d1c8f5e2a4b790";
    assert_eq!(
        got,
        [
            (1_795_780_931_200, a, "listening on 0.0.0.0:8080"),
            (1_795_780_931_950, b, "listening on 0.0.0.0:8080"),
            (1_795_780_942_114, a, "GET /healthz 200 1ms"),
            (1_795_780_942_118, b, "GET /healthz 200 1ms"),
            (1_795_780_950_003, a, "POST /orders 201 18ms"),
        ]
    );
    assert_eq!(
        events[0],
        LogEvent {
            id: "39337418226781234567890123456789012345678901234567890000".into(),
            timestamp_ms: 1_795_780_931_200,
            stream: a.into(),
            message: "listening on 0.0.0.0:8080".into(),
        }
    );
}

#[tokio::test]
async fn certificate_status_is_acm_status() {
    let replay = Replay::new("certificate_status");
    let arn = "arn:aws:acm:eu-west-1:123456789012:certificate/8d3f6c2a-1b4e-4f7a-9c5d-0e2b7a6f1d38";
    let first = rollout::certificate_status(&replay.clients, arn).await;
    let second = rollout::certificate_status(&replay.clients, arn).await;
    let gone = rollout::certificate_status(&replay.clients, arn).await;
    replay.check_requests();
    assert_eq!(first.expect("a status"), "PENDING_VALIDATION");
    assert_eq!(second.expect("a status"), "ISSUED");
    assert_eq!(
        gone.expect_err("no such certificate").message,
        format!("certificate {arn}: DescribeCertificate: ResourceNotFoundException: Could not find certificate {arn}.")
    );
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
