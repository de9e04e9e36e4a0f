//! Carrying a plan out: the changes as a DAG, run with bounded concurrency (independent
//! branches at once), retryable failures retried with exponential backoff, and on the first
//! hard failure no new work started while calls in flight finish. Time comes from a [`Clock`]
//! so tests neither wait nor depend on timing.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::task::JoinSet;

use crate::diff::{Action, FieldDiff};
use crate::plan::Plan;
use crate::provider::{Call, CallError, ErrorClass, Live, Provider, ProviderError, Resolved};
use crate::resolve::{resolve_map, Known};

/// Sleeping and reading the time, injectable.
pub trait Clock: Send + Sync + 'static {
    /// Time since some fixed start.
    fn now(&self) -> Duration;
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The real clock (tokio's timer).
pub struct TokioClock {
    start: Instant,
}

impl Default for TokioClock {
    fn default() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (after `attempt` failures): doubling, capped.
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_delay
            .saturating_mul(factor)
            .min(self.max_delay)
    }
}

/// Progress, for the CLI to render as it happens.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Started {
        id: String,
        action: String,
    },
    Retrying {
        id: String,
        call: Call,
        attempt: u32,
        delay_ms: u64,
        message: String,
    },
    Finished {
        id: String,
        status: Status,
    },
}

pub type Progress = Arc<dyn Fn(&Event) + Send + Sync>;

pub struct ApplyOptions {
    /// Calls in flight at most (at least 1).
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub clock: Arc<dyn Clock>,
    pub progress: Option<Progress>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            retry: RetryPolicy::default(),
            clock: Arc::new(TokioClock::default()),
            progress: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Done,
    Failed {
        error: CallError,
    },
    /// Not started: `reason` says why (a failure elsewhere, a conflict).
    Skipped {
        reason: String,
    },
}

/// What happened to one change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub id: String,
    pub action: String,
    pub status: Status,
    /// Calls made, retries included.
    pub attempts: u32,
    /// By the apply's clock.
    pub started_ms: Option<u64>,
    pub finished_ms: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// One per pending change, in the plan's order.
    pub outcomes: Vec<Outcome>,
    /// The attributes of every resource known at the end (`DNSName` of a load balancer…), by
    /// logical id: what the CLI's summary shows.
    #[serde(skip)]
    pub attrs: Known,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        self.outcomes.iter().all(|o| o.status == Status::Done)
    }

    pub fn failures(&self) -> Vec<&CallError> {
        self.outcomes
            .iter()
            .filter_map(|o| match &o.status {
                Status::Failed { error } => Some(error),
                _ => None,
            })
            .collect()
    }
}

/// One unit of work handed to a task: everything resolved, nothing borrowed.
enum Op {
    Create(Resolved),
    Update(Resolved, Live, Vec<String>),
    Replace(Resolved, Live),
    Delete(Live),
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Update { .. } => "update",
        Action::Replace { .. } => "replace",
        Action::Delete => "delete",
        Action::NoOp => "no-op",
    }
}

/// Applies `plan`. Refuses (every change skipped) a plan with conflicts.
pub async fn apply<P: Provider>(provider: Arc<P>, plan: &Plan, options: &ApplyOptions) -> Report {
    let clock = options.clock.clone();
    let emit = |event: Event| {
        if let Some(progress) = &options.progress {
            progress(&event);
        }
    };
    let indices: Vec<usize> = (0..plan.changes.len())
        .filter(|&i| plan.changes[i].action != Action::NoOp)
        .collect();
    let mut outcomes: HashMap<usize, Outcome> = HashMap::new();
    let mut known: Known = plan.known.clone();
    let mut done: HashSet<String> = HashSet::new();
    let mut failed: HashSet<String> = HashSet::new();
    let mut waiting: Vec<usize> = indices.clone();
    let mut running = 0usize;
    let mut stop: Option<String> = plan
        .conflicts
        .first()
        .map(|c| format!("the plan has a conflict on {}", c.id));
    let mut tasks: JoinSet<(usize, u32, Result<Option<Live>, CallError>)> = JoinSet::new();
    let bound = options.concurrency.max(1);
    let mut task_index: HashMap<tokio::task::Id, usize> = HashMap::new();

    loop {
        // Start what is ready, up to the bound, in plan order.
        let mut i = 0;
        while stop.is_none() && running < bound && i < waiting.len() {
            let index = waiting[i];
            let work = &plan.work[index];
            let change = &plan.changes[index];
            if let Some(bad) = work.after.iter().find(|d| failed.contains(*d)) {
                waiting.remove(i);
                failed.insert(change.id.clone());
                outcomes.insert(
                    index,
                    skipped(change, format!("{bad} failed or was skipped")),
                );
                continue;
            }
            if !work.after.iter().all(|d| done.contains(d)) {
                i += 1;
                continue;
            }
            waiting.remove(i);
            let started = clock.now();
            emit(Event::Started {
                id: change.id.clone(),
                action: action_name(&change.action).into(),
            });
            outcomes.insert(
                index,
                Outcome {
                    id: change.id.clone(),
                    action: action_name(&change.action).into(),
                    status: Status::Done,
                    attempts: 0,
                    started_ms: Some(millis(started)),
                    finished_ms: None,
                },
            );
            match op(plan, index, &known) {
                Ok(op) => {
                    running += 1;
                    let provider = provider.clone();
                    let retry = options.retry.clone();
                    let clock = clock.clone();
                    let progress = options.progress.clone();
                    let id = change.id.clone();
                    let handle = tasks.spawn(async move {
                        let mut attempts = 0;
                        let result = run(
                            &*provider,
                            &id,
                            op,
                            &retry,
                            &*clock,
                            &progress,
                            &mut attempts,
                        )
                        .await;
                        (index, attempts, result)
                    });
                    task_index.insert(handle.id(), index);
                }
                Err(error) => {
                    // Found before any call: nothing is in flight for it.
                    finish(&mut outcomes, index, 0, Err(error.clone()), &*clock);
                    failed.insert(change.id.clone());
                    stop.get_or_insert(format!("{} failed", change.id));
                    emit_finished(&emit, &outcomes, index);
                }
            }
        }
        if running == 0 {
            break;
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        running -= 1;
        let (index, attempts, result) = match joined {
            Ok(r) => r,
            // A panicking provider: its change is unknown; stop like a hard failure.
            Err(e) => {
                stop.get_or_insert(format!("a provider call panicked: {e}"));
                if let Some(&index) = task_index.get(&e.id()) {
                    let change = &plan.changes[index];
                    failed.insert(change.id.clone());
                    let error = CallError {
                        id: change.id.clone(),
                        call: Call::Update,
                        class: ErrorClass::Hard,
                        message: format!("the provider panicked: {e}"),
                    };
                    finish(&mut outcomes, index, 0, Err(error), &*clock);
                    emit_finished(&emit, &outcomes, index);
                }
                continue;
            }
        };
        let id = plan.changes[index].id.clone();
        match &result {
            Ok(live) => {
                if let Some(live) = live {
                    known.insert(id.clone(), live.attrs.clone());
                }
                done.insert(id);
            }
            Err(_) => {
                stop.get_or_insert(format!("{id} failed"));
                failed.insert(id);
            }
        }
        finish(&mut outcomes, index, attempts, result.map(|_| ()), &*clock);
        emit_finished(&emit, &outcomes, index);
    }

    let reason = stop.unwrap_or_else(|| "not reached".into());
    let outcomes = indices
        .iter()
        .map(|&i| {
            outcomes
                .remove(&i)
                .unwrap_or_else(|| skipped(&plan.changes[i], format!("not started: {reason}")))
        })
        .collect();
    Report {
        outcomes,
        attrs: known,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn skipped(change: &crate::diff::Change, reason: String) -> Outcome {
    Outcome {
        id: change.id.clone(),
        action: action_name(&change.action).into(),
        status: Status::Skipped { reason },
        attempts: 0,
        started_ms: None,
        finished_ms: None,
    }
}

fn finish(
    outcomes: &mut HashMap<usize, Outcome>,
    index: usize,
    attempts: u32,
    result: Result<(), CallError>,
    clock: &dyn Clock,
) {
    if let Some(o) = outcomes.get_mut(&index) {
        o.attempts = attempts;
        o.finished_ms = Some(millis(clock.now()));
        if let Err(error) = result {
            o.status = Status::Failed { error };
        }
    }
}

fn emit_finished(emit: &impl Fn(Event), outcomes: &HashMap<usize, Outcome>, index: usize) {
    if let Some(o) = outcomes.get(&index) {
        emit(Event::Finished {
            id: o.id.clone(),
            status: o.status.clone(),
        });
    }
}

/// The call(s) for change `index`, with references resolved against what exists now.
fn op(plan: &Plan, index: usize, known: &Known) -> Result<Op, CallError> {
    let change = &plan.changes[index];
    let work = &plan.work[index];
    let refuse = |call, message: String| CallError {
        id: change.id.clone(),
        call,
        class: ErrorClass::Hard,
        message,
    };
    // The engine's own guard: whatever the provider does, only this stack's resources are
    // ever changed or deleted.
    if let Some(live) = &work.live {
        if !live.owned_by(&plan.stack) {
            return Err(refuse(
                Call::Update,
                format!(
                    "`{}` is not tagged fgl:stack={}",
                    live.physical_id, plan.stack
                ),
            ));
        }
    }
    let resolved = |call| -> Result<Resolved, CallError> {
        let node = work
            .node
            .as_ref()
            .ok_or_else(|| refuse(call, "no desired node".into()))?;
        let mut missing = Vec::new();
        let properties = resolve_map(&node.properties, known, &plan.context, &mut missing);
        if !missing.is_empty() {
            return Err(refuse(call, format!("unresolved: {}", missing.join(", "))));
        }
        Ok(Resolved {
            stack: plan.stack.clone(),
            id: node.id.clone(),
            kind: node.kind.clone(),
            name: node.name.clone(),
            lookup: node.lookup,
            properties,
            tags: node.tags.clone(),
        })
    };
    let live = || {
        work.live
            .clone()
            .ok_or_else(|| refuse(Call::Delete, "no live resource".into()))
    };
    Ok(match &change.action {
        Action::Create => Op::Create(resolved(Call::Create)?),
        Action::Update { fields } => Op::Update(
            resolved(Call::Update)?,
            live()?,
            fields.iter().map(|f: &FieldDiff| f.path.clone()).collect(),
        ),
        Action::Replace { .. } => Op::Replace(resolved(Call::Create)?, live()?),
        Action::Delete => Op::Delete(live()?),
        Action::NoOp => return Err(refuse(Call::Update, "nothing to do".into())),
    })
}

/// Runs an op's calls, each retried; the live resource after it (none after a delete).
async fn run<P: Provider>(
    provider: &P,
    id: &str,
    op: Op,
    retry: &RetryPolicy,
    clock: &dyn Clock,
    progress: &Option<Progress>,
    attempts: &mut u32,
) -> Result<Option<Live>, CallError> {
    let ctx = Retry {
        id,
        retry,
        clock,
        progress,
    };
    match op {
        Op::Create(node) => ctx
            .call(Call::Create, attempts, || provider.create(&node))
            .await
            .map(Some),
        Op::Update(node, live, fields) => ctx
            .call(Call::Update, attempts, || {
                provider.update(&node, &live, &fields)
            })
            .await
            .map(Some),
        // Names are fixed by fgl, so the old resource must go before the new one can exist.
        Op::Replace(node, live) => {
            ctx.call(Call::Delete, attempts, || provider.delete(&live))
                .await?;
            ctx.call(Call::Create, attempts, || provider.create(&node))
                .await
                .map(Some)
        }
        Op::Delete(live) => ctx
            .call(Call::Delete, attempts, || provider.delete(&live))
            .await
            .map(|()| None),
    }
}

struct Retry<'a> {
    id: &'a str,
    retry: &'a RetryPolicy,
    clock: &'a dyn Clock,
    progress: &'a Option<Progress>,
}

impl Retry<'_> {
    async fn call<T, F, Fut>(
        &self,
        call: Call,
        attempts: &mut u32,
        mut f: F,
    ) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            *attempts += 1;
            match f().await {
                Ok(v) => return Ok(v),
                Err(e) if e.class == ErrorClass::Retryable && tries < self.retry.max_attempts => {
                    let delay = self.retry.delay(tries);
                    if let Some(progress) = self.progress {
                        progress(&Event::Retrying {
                            id: self.id.to_string(),
                            call,
                            attempt: tries,
                            delay_ms: millis(delay),
                            message: e.message.clone(),
                        });
                    }
                    self.clock.sleep(delay).await;
                }
                Err(e) => return Err(CallError::new(self.id, call, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        };
        let d: Vec<u128> = (1..=5).map(|a| p.delay(a).as_millis()).collect();
        assert_eq!(d, [100, 200, 400, 500, 500]);
    }
}
