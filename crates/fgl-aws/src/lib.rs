//! The AWS provider of the apply engine: `fgl_plan::Provider` on the real AWS SDK.
//!
//! The engine (`fgl-plan`) never talks to AWS; this crate does. One module per AWS service
//! (`ec2`, `ecs`, `elbv2`, …), each with one module per resource kind (`ec2::vpc` for
//! `AWS::EC2::VPC`), dispatched by the node's kind in [`AwsProvider`]. Credentials, region and
//! endpoint come from the standard AWS configuration chain (profiles, SSO, env vars,
//! `AWS_ENDPOINT_URL`), so the same code runs against AWS and against the local emulator of
//! the tests (moto, `scripts/aws-emulator.sh`).

mod acm;
pub mod calls;
mod clients;
mod context;
mod dispatch;
mod ec2;
mod ecs;
mod elbv2;
mod error;
mod iam;
mod logs;
mod provider;
pub mod rollout;
mod route53;
mod snapshot;
pub mod ssm;
mod tags;

pub use calls::{ApiCall, CallLog};
pub use clients::Clients;
pub use provider::AwsProvider;
pub use ssm::lock::{Holder, LockError};
pub use ssm::secret::{SecretTarget, SecretValue, Written};
