//! SSM Parameter Store: the secrets' parameters (existence and tags only: fgl never reads a
//! value), writing a secret's value (`fgl secret set`), and the stack lock.

pub mod lock;
pub(crate) mod parameter;
pub mod secret;

use fgl_plan::{Live, ProviderError};

use crate::clients::Clients;

crate::dispatch::kinds!(ssm: parameter);

/// Every parameter tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    parameter::discover(&c.ssm, stack).await
}
