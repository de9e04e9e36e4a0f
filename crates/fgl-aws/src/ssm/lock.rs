//! The stack lock: one apply or destroy per stack at a time. An SSM parameter
//! `/fgl/<stack>/lock`, created with overwrite disabled (so exactly one creator wins), holding
//! who took it and when. `--force-unlock` deletes a stale one.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_ssm::types::ParameterType;
use fgl_plan::ProviderError;
use serde::{Deserialize, Serialize};

use crate::clients::Clients;
use crate::error::{code_of, sdk};

/// Who holds a lock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The caller's identity (an IAM ARN) and where it runs: `arn:…:user/ana on host (pid 4242)`.
    pub who: String,
    /// The operation: `apply`, `destroy`.
    pub operation: String,
    /// Seconds since the Unix epoch.
    pub since: u64,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Someone holds it (what the parameter says, or its raw text if unreadable).
    Held {
        holder: Result<Holder, String>,
    },
    Call(ProviderError),
}

/// The lock's parameter name.
pub fn name(stack: &str) -> String {
    format!("/fgl/{stack}/lock")
}

/// Takes the lock of `stack` for `holder`; with `force`, first removes whatever holds it.
pub async fn acquire(
    c: &Clients,
    stack: &str,
    holder: &Holder,
    force: bool,
) -> Result<(), LockError> {
    let name = name(stack);
    let label = format!("the lock {name}");
    if force {
        release(c, stack).await.map_err(LockError::Call)?;
    }
    let value = serde_json::to_string(holder)
        .map_err(|e| LockError::Call(ProviderError::hard(format!("{label}: {e}"))))?;
    let put = c
        .ssm
        .put_parameter()
        .name(&name)
        .value(value)
        .r#type(ParameterType::String)
        .description("fgl: an apply or destroy of this stack is running")
        .overwrite(false)
        .send()
        .await;
    match put {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ParameterAlreadyExists") => {
            match held_by(c, &name, &label).await.map_err(LockError::Call)? {
                // Our own put, answered too late and retried by the SDK: we hold it.
                Some(Ok(h)) if h == *holder => Ok(()),
                Some(holder) => Err(LockError::Held { holder }),
                // Released between the put and the read: try once more next time.
                None => Err(LockError::Call(ProviderError::retryable(format!(
                    "{label}: released while it was being taken; run the command again"
                )))),
            }
        }
        Err(e) => Err(LockError::Call(sdk(&label, "PutParameter", e))),
    }
}

/// Who holds the lock `name`, as its parameter says (its raw text when that is not a
/// holder); `None` when nobody does.
async fn held_by(
    c: &Clients,
    name: &str,
    label: &str,
) -> Result<Option<Result<Holder, String>>, ProviderError> {
    let out = match c.ssm.get_parameter().name(name).send().await {
        Ok(out) => out,
        Err(e) if code_of(&e) == Some("ParameterNotFound") => return Ok(None),
        Err(e) => return Err(sdk(label, "GetParameter", e)),
    };
    let text = out
        .parameter()
        .and_then(|p| p.value())
        .unwrap_or_default()
        .to_string();
    Ok(Some(
        serde_json::from_str::<Holder>(&text).map_err(|_| text),
    ))
}

/// Releases the lock of `stack` if `holder` still holds it: after a `--force-unlock` by
/// someone else, the lock is theirs and stays. Not held at all is success.
pub async fn release_own(c: &Clients, stack: &str, holder: &Holder) -> Result<(), ProviderError> {
    let name = name(stack);
    let label = format!("the lock {name}");
    match held_by(c, &name, &label).await? {
        None => Ok(()),
        Some(Ok(h)) if h == *holder => release(c, stack).await,
        Some(Ok(h)) => Err(ProviderError::hard(format!(
            "{label} is now held by {} ({}): left in place",
            h.who, h.operation
        ))),
        Some(Err(raw)) => Err(ProviderError::hard(format!(
            "{label} now holds `{raw}`: left in place"
        ))),
    }
}

/// Releases the lock of `stack`; releasing one that is not held succeeds.
pub async fn release(c: &Clients, stack: &str) -> Result<(), ProviderError> {
    let name = name(stack);
    match c.ssm.delete_parameter().name(&name).send().await {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ParameterNotFound") => Ok(()),
        Err(e) => Err(sdk(&format!("the lock {name}"), "DeleteParameter", e)),
    }
}

/// The caller's identity for a lock: the IAM ARN STS reports, the host and the process.
pub async fn holder(c: &Clients, operation: &str) -> Result<Holder, ProviderError> {
    let who = c
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| sdk("the caller", "sts:GetCallerIdentity", e))?;
    let arn = who.arn().unwrap_or("unknown caller").to_string();
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown host".into());
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(Holder {
        who: format!("{arn} on {host} (pid {})", std::process::id()),
        operation: operation.to_string(),
        since,
    })
}
