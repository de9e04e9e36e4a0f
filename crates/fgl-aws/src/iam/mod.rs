//! IAM: the task and execution roles with their inline policies.
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all.

pub(crate) mod role;

use fgl_plan::{Live, ProviderError};

use crate::clients::Clients;

crate::dispatch::kinds!(iam: role);

/// Every resource of this service tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    role::discover(&c.iam, stack).await
}
