//! IAM: the task and execution roles with their inline policies.
//!
//! The service's dispatch: one module per resource kind, each with `KIND`, `spec`, `discover`,
//! `read`, `create`, `update` and `delete`.

pub(crate) mod role;

use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::unsupported;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        role::KIND => role::spec(),
        _ => return None,
    })
}

/// Every resource of this service tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    role::discover(&c.iam, stack).await
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        role::KIND => role::read(&c.iam, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        role::KIND => role::create(&c.iam, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        role::KIND => role::update(&c.iam, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        role::KIND => role::delete(&c.iam, live).await,
        other => Err(unsupported(other)),
    }
}
