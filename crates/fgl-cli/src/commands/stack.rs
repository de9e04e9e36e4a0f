//! What `plan`, `apply`, `destroy` and `secret set` share: the file's AWS resource graph
//! (through the language pipeline, diagnostics reported as `fgl check` does), the AWS
//! connection (the standard configuration chain with `--profile`/`--region`), the async
//! runtime, and the stack lock.

use std::io;
use std::path::Path;

use aws_config::{BehaviorVersion, Region};
use fgl_aws::{AwsProvider, LockError};
use fgl_lower::Graph;

use super::{Ctx, Reporter, Status};
use crate::cli::{AwsArgs, EvalInputs};
use crate::pipeline;

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
) -> Result<(), Status> {
    let holder = fgl_aws::ssm::lock::holder(provider.clients(), operation)
        .await
        .map_err(|e| {
            ctx.style.error(&e.message);
            Status::Failed
        })?;
    match fgl_aws::ssm::lock::acquire(provider.clients(), stack, &holder, force).await {
        Ok(()) => Ok(()),
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

/// Releases the stack's lock; a failure is reported but changes nothing else.
pub async fn unlock(provider: &AwsProvider, stack: &str, ctx: &Ctx) {
    if let Err(e) = fgl_aws::ssm::lock::release(provider.clients(), stack).await {
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
