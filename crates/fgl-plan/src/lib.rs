//! fgl-plan: the plan/apply engine, with no AWS dependency. A [`Provider`] (AWS in `fgl-aws`,
//! a fake in tests) reads and changes resources; the engine plans the changes that make live
//! state match a lowered [`fgl_lower::Graph`] and carries them out.
//!
//! - [`plan()`]: discover the stack's resources by tag, read each node, normalize, diff →
//!   a [`Plan`] of [`Change`]s (create / update / replace / delete / no-op, with fields).
//! - [`apply()`]: the plan's DAG with bounded concurrency, retries and a clean stop.
//! - [`destroy()`]: delete everything tagged with the stack, users before what they use.

pub mod destroy;
pub mod diff;
pub mod normalize;
mod order;
pub mod plan;
pub mod provider;
pub mod resolve;
pub mod schedule;

pub use destroy::{destroy, plan_destroy};
pub use diff::{Action, Change, FieldDiff, MASK};
pub use normalize::KindSpec;
pub use plan::{plan, Conflict, Plan, PlanError};
pub use provider::{
    Call, CallError, Context, ErrorClass, Live, Provider, ProviderError, Resolved, ID_TAG,
    STACK_TAG,
};
pub use schedule::{
    apply, ApplyOptions, Clock, Event, Outcome, Progress, Report, RetryPolicy, Status, TokioClock,
};
