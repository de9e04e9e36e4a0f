//! SSM Parameter Store: the secrets' parameters (existence and tags only: fgl never reads a
//! value), writing a secret's value (`fgl secret set`), and the stack lock.

pub mod lock;
pub(crate) mod parameter;
pub mod secret;

use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::unsupported;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        parameter::KIND => parameter::spec(),
        _ => return None,
    })
}

/// Every parameter tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    parameter::discover(&c.ssm, stack).await
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        parameter::KIND => parameter::read(&c.ssm, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(_c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        parameter::KIND => parameter::create(node),
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
        parameter::KIND => parameter::update(&c.ssm, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        parameter::KIND => parameter::delete(&c.ssm, live).await,
        other => Err(unsupported(other)),
    }
}
