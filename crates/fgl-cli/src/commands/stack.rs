//! What `plan`, `apply`, `destroy` and `secret set` share: the file's AWS resource graph
//! (through the language pipeline, diagnostics reported as `fgl check` does), the AWS
//! connection (the standard configuration chain with `--profile`/`--region`), the async
//! runtime, and the stack lock.

use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use aws_config::{BehaviorVersion, Region};
use fgl_aws::{AwsProvider, Holder, LockError};
use fgl_lower::Graph;
use fgl_plan::{ApplyOptions, Plan, Report, RetryPolicy, Status as Outcome};

use super::{Ctx, Reporter, Status};
use crate::cli::{AwsArgs, EvalInputs};
use crate::pipeline;
use crate::render::{plural, progress};

/// The file's AWS resource graph, or the status to exit with after its diagnostics.
pub fn load(file: &Path, inputs: &EvalInputs, ctx: &Ctx) -> Result<Graph, Status> {
    let Some((input, text)) = super::read_single(file, ctx) else {
        return Err(Status::Error);
    };
    let analysis = pipeline::analyze_with(&input, text, inputs, true);
    let mut reporter = Reporter::new(ctx);
    reporter.report(&analysis.files, &analysis.diagnostics);
    match analysis.lowered {
        Some(graph) if reporter.errors == 0 => Ok(graph),
        _ => {
            ctx.style.error(format!(
                "{}: nothing was sent to AWS ({})",
                input.display_name(),
                reporter.counts()
            ));
            Err(Status::Failed)
        }
    }
}

/// The runtime the AWS calls run on.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// The AWS provider on the standard configuration chain (profiles, SSO, env, including
/// `AWS_ENDPOINT_URL`), with `--profile` and `--region` on top.
pub async fn connect(aws: &AwsArgs) -> AwsProvider {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &aws.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &aws.region {
        loader = loader.region(Region::new(region.clone()));
    }
    AwsProvider::new(&loader.load().await)
}

/// Takes the stack's lock for `operation`, reporting why not when it cannot.
pub async fn lock(
    provider: &AwsProvider,
    stack: &str,
    operation: &str,
    force: bool,
    ctx: &Ctx,
) -> Result<Holder, Status> {
    let holder = fgl_aws::ssm::lock::holder(provider.clients(), operation)
        .await
        .map_err(|e| {
            ctx.style.error(&e.message);
            Status::Failed
        })?;
    match fgl_aws::ssm::lock::acquire(provider.clients(), stack, &holder, force).await {
        Ok(()) => Ok(holder),
        Err(LockError::Held { holder }) => {
            let who = match holder {
                Ok(h) => format!("{} ({} since {})", h.who, h.operation, since(h.since)),
                Err(raw) => format!("`{raw}`"),
            };
            ctx.style.error(format!(
                "stack `{stack}` is locked by {who}\n  \
                 = help: wait for it to finish; if it died, run again with --force-unlock"
            ));
            Err(Status::Failed)
        }
        Err(LockError::Call(e)) => {
            ctx.style.error(&e.message);
            Err(Status::Failed)
        }
    }
}

/// Releases the stack's lock if this run still holds it; a failure is reported but changes
/// nothing else.
pub async fn unlock(provider: &AwsProvider, stack: &str, holder: &Holder, ctx: &Ctx) {
    if let Err(e) = fgl_aws::ssm::lock::release_own(provider.clients(), stack, holder).await {
        ctx.style.warning(format!(
            "the lock of stack `{stack}` was not released: {}; the next apply needs --force-unlock",
            e.message
        ));
    }
}

/// How long ago a Unix time was, for people: `3m 12s ago`.
fn since(epoch_secs: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(epoch_secs);
    let ago = now.saturating_sub(epoch_secs);
    match ago {
        0..=59 => format!("{ago}s ago"),
        60..=3599 => format!("{}m {}s ago", ago / 60, ago % 60),
        _ => format!("{}h {}m ago", ago / 3600, (ago % 3600) / 60),
    }
}

/// Asks `question` on the terminal; true only for `yes`. `Err` when stdin is not a terminal.
pub fn confirm(question: &str) -> io::Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !io::stdin().is_terminal() {
        return Err(io::Error::other("standard input is not a terminal"));
    }
    let mut err = io::stderr().lock();
    write!(err, "{question} Only `yes` is accepted: ")?;
    err.flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == "yes")
}

/// Goes on only with consent: `--yes`, or `yes` typed on a terminal. `verb` names the command
/// in the messages (`apply`, `destroy`).
pub fn consent(yes: bool, question: &str, verb: &str, ctx: &Ctx) -> Result<(), Status> {
    if yes {
        return Ok(());
    }
    match confirm(question) {
        Ok(true) => Ok(()),
        Ok(false) => {
            ctx.style
                .note(format!("{verb}: cancelled, nothing was changed."));
            Err(Status::Failed)
        }
        Err(_) => {
            ctx.style.error(format!(
                "{verb} needs confirmation, and standard input is not a terminal\n  \
                 = help: pass --yes to {verb} without asking"
            ));
            Err(Status::Error)
        }
    }
}

/// Patient enough for AWS's eventual consistency (a role just created, a network interface a
/// deleted load balancer still holds for minutes): about seven minutes in all.
fn retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 20,
        ..RetryPolicy::default()
    }
}

/// Carries `plan` out with live progress; the report, and its time and AWS calls in words.
pub async fn execute(
    provider: &Arc<AwsProvider>,
    plan: &Plan,
    concurrency: usize,
    ctx: &Ctx,
) -> (Report, String) {
    let display = progress::Display::new(plan, ctx.style);
    let options = ApplyOptions {
        concurrency,
        retry: retry_policy(),
        progress: Some(display.callback()),
        ..ApplyOptions::default()
    };
    let started = Instant::now();
    let report = fgl_plan::apply(provider.clone(), plan, &options).await;
    let (reads, changes) = provider.call_log().counts();
    let stats = format!(
        "in {:.1}s, {} AWS calls ({reads} reads, {changes} changes)",
        started.elapsed().as_secs_f64(),
        reads + changes
    );
    (report, stats)
}

/// The failures, one line each, and what was not done because of them.
pub fn report_failure(report: &Report, ctx: &Ctx, stats: &str) {
    let failures = report.failures();
    for f in &failures {
        ctx.style
            .error(format!("{} {}: {}", f.call, f.id, f.message));
    }
    let done = report
        .outcomes
        .iter()
        .filter(|o| o.status == Outcome::Done)
        .count();
    let skipped = report
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, Outcome::Skipped { .. }))
        .count();
    ctx.style.note(format!(
        "Stopped after {}: {done} done, {skipped} not started, {stats}. Fix the cause and run again: \
         the next plan starts from what exists now.",
        plural(failures.len(), "failure")
    ));
}
