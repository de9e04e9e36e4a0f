//! CloudWatch Logs: the containers' log groups.
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all.

pub(crate) mod log_group;

use fgl_plan::{Live, ProviderError};

use crate::clients::Clients;

crate::dispatch::kinds!(logs: log_group);

/// Every resource of this service tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    log_group::discover(&c.logs, stack).await
}
