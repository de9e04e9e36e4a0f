//! The AWS provider of the apply engine: `fgl_plan::Provider` on the real AWS SDK.
//!
//! The engine (`fgl-plan`) never talks to AWS; this crate does, one module per resource kind
//! (`ec2::vpc` for `AWS::EC2::VPC`), dispatched by the node's kind in [`AwsProvider`].
//! Credentials, region and endpoint come from the standard AWS configuration chain
//! (profiles, SSO, env vars, `AWS_ENDPOINT_URL`), so the same code runs against AWS and
//! against the local emulator of the tests (moto, `scripts/aws-emulator.sh`).

mod ec2;
mod error;
mod provider;
mod tags;

pub use provider::AwsProvider;
