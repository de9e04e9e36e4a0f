//! The engine against the fake provider: plan, apply, drift, replace, ownership, scheduling,
//! retries, failure and destroy. No test depends on timing: concurrency is read from the
//! fake's recorded start/finish events.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{diamond, lower_example, Ev, Fake, FakeClock};
use fgl_plan::{
    apply, destroy, plan, Action, ApplyOptions, Call, ErrorClass, Event, KindSpec, ProviderError,
    RetryPolicy, Status, MASK,
};
use serde_json::json;

fn options(concurrency: usize) -> (ApplyOptions, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::default());
    let opts = ApplyOptions {
        concurrency,
        retry: RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        },
        clock: clock.clone(),
        progress: None,
    };
    (opts, clock)
}

fn position(events: &[Ev], ev: &Ev) -> usize {
    events.iter().position(|e| e == ev).unwrap_or(usize::MAX)
}

/// The most calls in flight at once, from the events.
fn max_in_flight(events: &[Ev]) -> usize {
    let (mut now, mut max) = (0usize, 0usize);
    for e in events {
        match e {
            Ev::Start(..) => now += 1,
            Ev::Finish(..) => now = now.saturating_sub(1),
        }
        max = max.max(now);
    }
    max
}

#[tokio::test]
async fn examples_are_created_in_dependency_order_and_then_need_nothing() {
    for example in [
        "worker.fgl",
        "webapp.fgl",
        "multi-service.fgl",
        "private-network.fgl",
    ] {
        let graph = lower_example(example);
        let fake = Fake::for_graph(&graph);
        let first = plan(&*fake, &graph).await.map_err(|e| e.to_string());
        let Ok(first) = first else {
            panic!("{example}: {first:?}")
        };
        assert!(
            first.conflicts.is_empty(),
            "{example}: {:?}",
            first.conflicts
        );
        assert!(first.pending().all(|c| c.action == Action::Create));
        let (opts, _) = options(4);
        let report = apply(fake.clone(), &first, &opts).await;
        assert!(report.succeeded(), "{example}: {:?}", report.failures());
        // Every create starts after the creates of what it depends on finished.
        let events = fake.events();
        for node in graph.nodes.iter().filter(|n| !n.lookup) {
            for dep in node
                .depends_on
                .iter()
                .filter(|d| graph.node(d).is_some_and(|n| !n.lookup))
            {
                assert!(
                    position(&events, &Ev::Finish(dep.clone(), "create"))
                        < position(&events, &Ev::Start(node.id.clone(), "create")),
                    "{example}: {} before {dep}",
                    node.id
                );
            }
        }
        let second = plan(&*fake, &graph).await.map_err(|e| e.to_string());
        let Ok(second) = second else {
            panic!("{example}: {second:?}")
        };
        assert!(second.is_empty(), "{example}: second plan:\n{second}");
    }
}

#[tokio::test]
async fn drift_is_planned_and_repaired() {
    let graph = lower_example("worker.fgl");
    let fake = Fake::for_graph(&graph);
    let (opts, _) = options(4);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());

    // A deleted security group and a changed desired count.
    fake.lock()
        .resources
        .retain(|r| r.id != "worker/security-group");
    if let Some(s) = fake
        .lock()
        .resources
        .iter_mut()
        .find(|r| r.id == "worker/service")
    {
        s.properties.insert("DesiredCount".into(), json!(1));
    }
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let action = |id: &str| {
        p.changes
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.action.clone())
    };
    assert_eq!(action("worker/security-group"), Some(Action::Create));
    match action("worker/service") {
        Some(Action::Update { fields }) => {
            assert!(fields.iter().any(|f| f.path == "DesiredCount"
                && f.before == Some(json!(1))
                && f.after == Some(json!(4))));
        }
        other => panic!("service: {other:?}"),
    }
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(p.is_empty(), "{p}");
}

#[tokio::test]
async fn a_create_only_change_replaces() {
    let mut graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    fake.lock().specs.insert(
        "Fake::Thing".into(),
        KindSpec {
            create_only: vec!["Zone".into()],
            ..KindSpec::default()
        },
    );
    let (opts, _) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    graph.nodes[0].properties.insert("Zone".into(), json!("b"));
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(
        matches!(&p.changes[0].action, Action::Replace { reason, .. } if reason.contains("Zone"))
    );
    // `c` references `a`'s ARN, known only after the replace: an update.
    let c = p
        .changes
        .iter()
        .find(|c| c.id == "x/c")
        .map(|c| c.action.clone());
    assert!(matches!(c, Some(Action::Update { .. })), "{c:?}");
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(p.is_empty(), "{p}");
}

#[tokio::test]
async fn an_update_that_renews_an_attribute_updates_what_references_it() {
    let mut graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    fake.lock().specs.insert(
        "Fake::Thing".into(),
        KindSpec {
            renewed_by_update: vec!["Arn".into()],
            ..KindSpec::default()
        },
    );
    let (opts, _) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    // An in-place change of `a` (a new revision, with a new ARN): `c` references that ARN, so
    // it is planned too, and applied after `a` with the new value; `d` references `c`'s.
    graph.nodes[0].properties.insert("Size".into(), json!(2));
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let pending: Vec<(&str, &str)> = p
        .pending()
        .map(|c| (c.id.as_str(), c.action.symbol()))
        .collect();
    assert_eq!(pending, [("x/a", "~"), ("x/c", "~"), ("x/d", "~")], "{p}");
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(p.is_empty(), "{p}");
}

#[tokio::test]
async fn unowned_resources_are_never_touched() {
    let graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    // Someone else's resource with the name of `x/a`, and another stack's resource.
    let foreign = fgl_plan::Live {
        id: "x/a".into(),
        kind: "Fake::Thing".into(),
        physical_id: "theirs".into(),
        properties: serde_json::from_value(json!({"Name": "s-a"})).unwrap_or_default(),
        tags: serde_json::from_value(json!({"team": "ops"})).unwrap_or_default(),
        attrs: Default::default(),
        depends_on: vec![],
    };
    let mut other = foreign.clone();
    other.id = "x/zzz".into();
    other.physical_id = "other-stack".into();
    other.tags =
        serde_json::from_value(json!({"fgl:stack": "t", "fgl:id": "x/zzz"})).unwrap_or_default();
    fake.lock()
        .resources
        .extend([foreign.clone(), other.clone()]);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert_eq!(p.conflicts.len(), 1, "{:?}", p.conflicts);
    assert!(p.conflicts[0].message.contains("not owned"));
    assert!(!p.changes.iter().any(|c| c.action == Action::Delete));
    let (opts, _) = options(2);
    let report = apply(fake.clone(), &p, &opts).await;
    assert!(report
        .outcomes
        .iter()
        .all(|o| matches!(o.status, Status::Skipped { .. })));
    assert!(fake.events().is_empty());
    assert_eq!(fake.live("x/a"), Some(foreign));
    // Destroy of the stack leaves both alone too.
    let Ok(r) = destroy(fake.clone(), "s", Some(&graph), &opts).await else {
        panic!("destroy")
    };
    assert!(r.outcomes.is_empty());
    assert_eq!(fake.lock().resources.len(), 2);
}

#[tokio::test]
async fn concurrency_is_bounded_and_branches_overlap() {
    let graph = diamond("s");
    for bound in [1, 2, 3] {
        let fake = Fake::for_graph(&graph);
        let (opts, _) = options(bound);
        let Ok(p) = plan(&*fake, &graph).await else {
            panic!("plan")
        };
        assert!(apply(fake.clone(), &p, &opts).await.succeeded());
        let events = fake.events();
        // a, b, e are independent: they overlap up to the bound, never beyond.
        assert_eq!(max_in_flight(&events), bound, "bound {bound}: {events:?}");
    }
}

#[tokio::test]
async fn retryable_errors_are_retried_with_backoff() {
    let graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    fake.fail(
        "x/c",
        "create",
        vec![
            ProviderError::retryable("role not yet assumable"),
            ProviderError::retryable("throttled"),
        ],
    );
    let (opts, clock) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let report = apply(fake.clone(), &p, &opts).await;
    assert!(report.succeeded());
    let c = report.outcomes.iter().find(|o| o.id == "x/c");
    assert_eq!(c.map(|o| o.attempts), Some(3));
    let sleeps = clock.sleeps.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(
        sleeps,
        [Duration::from_millis(100), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn a_hard_failure_stops_new_work_and_lets_calls_in_flight_finish() {
    let graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    fake.fail(
        "x/a",
        "create",
        vec![ProviderError::hard("AccessDenied: not allowed")],
    );
    let (mut opts, _) = options(2);
    // Marks in the fake's log the moment the engine learns of the failure.
    let log = fake.clone();
    opts.progress = Some(Arc::new(move |e: &Event| match e {
        Event::Finished {
            id,
            status: Status::Failed { .. },
        } => log.lock().events.push(Ev::Finish(id.clone(), "reported")),
        Event::Started { id, .. } => log.lock().events.push(Ev::Start(id.clone(), "engine")),
        _ => {}
    }));
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let report = apply(fake.clone(), &p, &opts).await;
    assert!(!report.succeeded());
    let failures = report.failures();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].id, "x/a");
    assert_eq!(failures[0].call, Call::Create);
    assert_eq!(failures[0].class, ErrorClass::Hard);
    assert!(failures[0].message.contains("AccessDenied"));
    let events = fake.events();
    // `b` was in flight beside `a`: it finished. Nothing started after `a` failed.
    assert!(events.contains(&Ev::Finish("x/b".into(), "create")));
    assert!(fake.live("x/b").is_some());
    let failed_at = position(&events, &Ev::Finish("x/a".into(), "reported"));
    assert!(failed_at < events.len());
    // The engine starts nothing once it knows; what it had started finishes.
    assert!(
        events[failed_at..]
            .iter()
            .all(|e| !matches!(e, Ev::Start(_, "engine"))),
        "{events:?}"
    );
    let started: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            Ev::Start(id, "engine") => Some(id),
            _ => None,
        })
        .collect();
    for id in started {
        assert!(
            events.contains(&Ev::Finish(id.clone(), "create")),
            "{id} did not finish"
        );
    }
    for id in ["x/c", "x/d"] {
        let o = report.outcomes.iter().find(|o| o.id == id);
        assert!(
            matches!(o.map(|o| &o.status), Some(Status::Skipped { .. })),
            "{id}"
        );
    }
}

#[tokio::test]
async fn destroy_deletes_only_the_stack_in_reverse_dependency_order() {
    let graph = lower_example("worker.fgl");
    let fake = Fake::for_graph(&graph);
    let (opts, _) = options(3);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    let mut stranger = fake
        .live("worker/log-group")
        .unwrap_or_else(|| panic!("log group"));
    stranger.physical_id = "someone-elses".into();
    stranger.tags = Default::default();
    fake.lock().resources.push(stranger);
    let before = fake.events().len();
    // Without the source: the order must then come from the graph given or the provider.
    let Ok(report) = destroy(fake.clone(), &graph.stack, Some(&graph), &opts).await else {
        panic!("destroy")
    };
    assert!(report.succeeded(), "{:?}", report.failures());
    assert_eq!(fake.ids(), ["worker/log-group"]);
    let events = &fake.events()[before..];
    for node in &graph.nodes {
        for dep in &node.depends_on {
            assert!(
                position(events, &Ev::Finish(node.id.clone(), "delete"))
                    < position(events, &Ev::Start(dep.clone(), "delete")),
                "{} must go before {dep}",
                node.id
            );
        }
    }
}

#[tokio::test]
async fn no_longer_desired_resources_are_deleted_after_the_rest() {
    let mut graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    let (opts, _) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    graph.nodes.retain(|n| n.id != "x/e" && n.id != "x/d");
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let deletes: Vec<&str> = p
        .pending()
        .filter(|c| c.action == Action::Delete)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(deletes, ["x/d", "x/e"]);
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    assert!(fake.live("x/e").is_none() && fake.live("x/a").is_some());
}

#[tokio::test]
async fn secrets_are_masked_in_the_plan_json_and_text() {
    let mut graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    fake.lock().specs.insert(
        "Fake::Thing".into(),
        KindSpec {
            secret: vec!["Password".into()],
            ..KindSpec::default()
        },
    );
    let (opts, _) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    graph.nodes[1]
        .properties
        .insert("Password".into(), json!("hunter2"));
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let text = format!("{}\n{}", p.to_json(), p);
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains(MASK));
    assert_eq!(p.to_json()["owners"][0]["owner"], json!("x"));
    assert_eq!(p.to_json()["summary"]["update"], json!(1));
}

#[tokio::test]
async fn a_plan_reduced_to_some_changes_applies_only_those() {
    let mut graph = diamond("s");
    let fake = Fake::for_graph(&graph);
    let (opts, _) = options(2);
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    assert!(apply(fake.clone(), &p, &opts).await.succeeded());
    // Two in-place changes, `a` and `d`; only `d` is kept, and it does not wait for `a`.
    graph.nodes[0].properties.insert("Size".into(), json!(2));
    graph.nodes[4].properties.insert("Size".into(), json!(3));
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let only_d = p.only(|c| c.id == "x/d");
    let ids: Vec<&str> = only_d.pending().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["x/d"]);
    assert!(apply(fake.clone(), &only_d, &opts).await.succeeded());
    let Ok(p) = plan(&*fake, &graph).await else {
        panic!("plan")
    };
    let left: Vec<&str> = p.pending().map(|c| c.id.as_str()).collect();
    assert_eq!(left, ["x/a"], "{p}");
}
