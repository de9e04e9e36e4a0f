//! fgl-rollout: why a Fargate deployment is stuck or failed, in one line — with no AWS
//! dependency. The provider (`fgl-aws`) fills a [`Snapshot`] from AWS on every poll while
//! `fgl apply` watches a new deployment; [`diagnose`] turns it into a [`Verdict`]: in
//! progress (with counts and the latest event), completed, or failed with ONE cause line and
//! ONE fix line (plus detail such as the container's last log lines).
//!
//! The catalogue: a secret the execution role cannot read (SSM or KMS) or that does not
//! exist, an image that does not exist or is refused, no network path to ECR / SSM / Logs,
//! the essential container exiting, running out of memory, failing load balancer health
//! checks, and the circuit breaker's rollback. Anything else prints AWS's reason verbatim.
//! See [`diagnose`] for the order in which evidence is weighed.

mod diagnose;
pub mod model;
mod sizes;

pub use diagnose::{diagnose, Failure, FailureKind, Progress, Verdict, LOG_LINES};
pub use model::{
    family_revision, revision, short_revision, Container, Deployment, DeploymentStatus, Expected,
    RolloutState, Service, ServiceEvent, Snapshot, StoppedTask, TargetHealth,
};
pub use sizes::{memory_sizes, next_size};

#[cfg(test)]
mod tests;
