//! The boundary between the engine and a cloud: what a provider (`fgl-aws`, or the fake of the
//! tests) must do. The engine never talks to AWS itself, so it builds and tests in seconds.

use std::fmt;
use std::future::Future;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::normalize::KindSpec;

/// The tag holding the stack that owns a resource.
pub const STACK_TAG: &str = "fgl:stack";
/// The tag holding the logical id (`web/service`) of a resource.
pub const ID_TAG: &str = "fgl:id";

/// A live resource as the provider read it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Live {
    /// The logical id, from the `fgl:id` tag (for a looked-up resource: the node's id).
    pub id: String,
    pub kind: String,
    /// The cloud's own identifier (an ARN, `sg-…`), what the provider needs to change it.
    pub physical_id: String,
    /// The managed properties, in the graph's (CloudFormation) names. Only what fgl manages:
    /// the provider leaves out what fgl never sets.
    pub properties: Map<String, Value>,
    /// Every tag. For resources the cloud cannot tag (Route53 records, wait steps) the provider
    /// fills `fgl:stack`/`fgl:id` from what stands in for tags (the TXT ownership record).
    pub tags: Map<String, Value>,
    /// The attributes references may ask for (`Arn`, `Id`, `Name`, `DNSName`, …).
    pub attrs: Map<String, Value>,
    /// The logical ids this resource uses, when the provider can tell (a service's target
    /// groups): orders the deletes of resources no longer in the graph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl Live {
    /// Whether the resource carries `fgl:stack=<stack>`: the only resources fgl ever changes
    /// or deletes.
    pub fn owned_by(&self, stack: &str) -> bool {
        self.tags.get(STACK_TAG).and_then(Value::as_str) == Some(stack)
    }
}

/// What apply-time placeholders (`${aws:account}`, `${aws:region}`, `${aws:az:N}`) stand for.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Context {
    pub account: String,
    pub region: String,
    pub zones: Vec<String>,
}

/// How to treat a failed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// Worth trying again later (throttling, eventual consistency: a role not yet assumable).
    Retryable,
    /// Trying again cannot help (access denied, invalid parameter).
    Hard,
}

/// A provider's failure: its class and the cloud's message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProviderError {
    pub class: ErrorClass,
    pub message: String,
}

impl ProviderError {
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::Retryable,
            message: message.into(),
        }
    }

    pub fn hard(message: impl Into<String>) -> Self {
        Self {
            class: ErrorClass::Hard,
            message: message.into(),
        }
    }
}

/// The provider operation that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Context,
    Discover,
    Read,
    Create,
    Update,
    Delete,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Call::Context => "context",
            Call::Discover => "discover",
            Call::Read => "read",
            Call::Create => "create",
            Call::Update => "update",
            Call::Delete => "delete",
        })
    }
}

/// A failed call, with what it was about: what the report and the CLI show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallError {
    /// The logical id (the stack's name for stack-wide calls such as discovery).
    pub id: String,
    pub call: Call,
    pub class: ErrorClass,
    pub message: String,
}

impl CallError {
    pub fn new(id: &str, call: Call, error: ProviderError) -> Self {
        Self {
            id: id.to_string(),
            call,
            class: error.class,
            message: error.message,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.call, self.id, self.message)
    }
}

impl std::error::Error for CallError {}

/// A node with its references and placeholders resolved: what create and update receive.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    /// The stack: a provider records ownership of untaggable resources with it.
    pub stack: String,
    pub id: String,
    pub kind: String,
    pub name: Option<String>,
    /// Looked up by name, never created, changed or deleted (a hosted zone).
    pub lookup: bool,
    pub properties: Map<String, Value>,
    pub tags: Map<String, Value>,
}

/// A cloud, as the engine sees it. Futures are `Send` so the scheduler can run calls
/// concurrently on any runtime; implementations are shared behind an `Arc`.
pub trait Provider: Send + Sync + 'static {
    /// How to compare and change resources of `kind`: normalization, create-only and secret
    /// fields.
    fn spec(&self, kind: &str) -> KindSpec;

    /// The account, region and zones placeholders stand for.
    fn context(&self) -> impl Future<Output = Result<Context, ProviderError>> + Send;

    /// Every resource tagged `fgl:stack=<stack>`.
    fn discover(
        &self,
        stack: &str,
    ) -> impl Future<Output = Result<Vec<Live>, ProviderError>> + Send;

    /// The live resource a node names, found by its name or identity whoever owns it (so
    /// that an unowned resource in the way is reported, and looked-up ones are found);
    /// `None` when there is none. References are resolved: the engine does not ask about a
    /// node whose references point at resources not created yet (it cannot exist).
    /// Resources AWS cannot tag (a route, a DNS record) are owned through their parent or an
    /// ownership record: the provider reports them with this node's `fgl:stack`/`fgl:id`.
    fn read(
        &self,
        node: &Resolved,
    ) -> impl Future<Output = Result<Option<Live>, ProviderError>> + Send;

    /// Creates the resource, tagged as given; returns it as read back.
    fn create(&self, node: &Resolved) -> impl Future<Output = Result<Live, ProviderError>> + Send;

    /// Changes `fields` (paths into the properties, `Tags.<key>` for tags) in place.
    fn update(
        &self,
        node: &Resolved,
        live: &Live,
        fields: &[String],
    ) -> impl Future<Output = Result<Live, ProviderError>> + Send;

    /// Deletes the resource. Deleting one that is already gone succeeds.
    fn delete(&self, live: &Live) -> impl Future<Output = Result<(), ProviderError>> + Send;
}
