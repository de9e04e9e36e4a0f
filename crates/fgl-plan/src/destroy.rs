//! Destroy: every resource tagged with the stack, deleted in reverse dependency order. Works
//! without the source (dependencies then come from what the provider reads) or with its graph.

use std::sync::Arc;

use fgl_lower::Graph;

use crate::plan::{append_deletes, discover_owned, Plan, PlanError};
use crate::provider::{Call, CallError, Provider};
use crate::resolve::Known;
use crate::schedule::{apply, ApplyOptions, Report};

/// The plan that deletes the stack: only what discovery finds tagged `fgl:stack=<stack>`
/// (looked-up resources such as hosted zones carry no tag and are never in it).
pub async fn plan_destroy<P: Provider>(
    provider: &P,
    stack: &str,
    graph: Option<&Graph>,
) -> Result<Plan, PlanError> {
    let context = provider
        .context()
        .await
        .map_err(|e| PlanError::Call(CallError::new(stack, Call::Context, e)))?;
    let mut conflicts = Vec::new();
    let owned = discover_owned(provider, stack, &mut conflicts).await?;
    let mut changes = Vec::new();
    let mut work = Vec::new();
    append_deletes(
        &mut changes,
        &mut work,
        owned.into_values().collect(),
        graph,
        Vec::new(),
    );
    Ok(Plan {
        stack: stack.to_string(),
        changes,
        // Duplicate ids do not block a destroy: both copies are the stack's.
        conflicts: Vec::new(),
        work,
        known: Known::new(),
        context,
    })
}

/// Plans and applies the destroy of `stack`.
pub async fn destroy<P: Provider>(
    provider: Arc<P>,
    stack: &str,
    graph: Option<&Graph>,
    options: &ApplyOptions,
) -> Result<Report, PlanError> {
    let plan = plan_destroy(&*provider, stack, graph).await?;
    Ok(apply(provider, &plan, options).await)
}
