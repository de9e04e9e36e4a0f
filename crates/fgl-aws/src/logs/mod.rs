//! CloudWatch Logs: the containers' log groups.
//!
//! The service's dispatch: one module per resource kind, each with `KIND`, `spec`, `discover`,
//! `read`, `create`, `update` and `delete`.

use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::unsupported;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    let _ = kind;
    None
}

/// Every resource of this service tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let _ = (c, stack);
    Ok(Vec::new())
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let _ = c;
    Err(unsupported(&node.kind))
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    let _ = c;
    Err(unsupported(&node.kind))
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let _ = (c, live, fields);
    Err(unsupported(&node.kind))
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    let _ = c;
    Err(unsupported(&live.kind))
}
