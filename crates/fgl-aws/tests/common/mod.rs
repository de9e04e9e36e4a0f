//! What the emulator tests share: moto (from `fgl-emulator`), an SDK configuration pointing at
//! it, and nodes as the engine hands them to the provider. Submodules by concern: `check`
//! (what the engine relies on: empty second plans, ownership, discovery), `snapshot` (nodes
//! of the lowered snapshots with their placeholders and references filled), `nodes` (nodes
//! written here, shaped like the snapshots') and `sdk` (resources made outside fgl).
#![allow(dead_code)]

pub mod check;
pub mod nodes;
pub mod sdk;
pub mod snapshot;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::Credentials;
use fgl_aws::AwsProvider;
pub use fgl_emulator::Moto;
use fgl_lower::Node;
use fgl_plan::Resolved;
use serde_json::Value;

/// The SDK configuration of the emulator, built explicitly: no process environment, so tests
/// running in parallel cannot disturb each other.
pub async fn config(url: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await
}

/// A test's own moto, the SDK configuration pointing at it, a provider using it and an EC2
/// client (for the parents made outside fgl). moto stops when this is dropped.
pub struct Emulator {
    pub moto: Moto,
    pub config: SdkConfig,
    pub provider: AwsProvider,
    pub ec2: aws_sdk_ec2::Client,
}

/// Starts a moto for the calling test.
pub async fn start() -> Emulator {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    Emulator {
        provider: AwsProvider::new(&config),
        ec2: aws_sdk_ec2::Client::new(&config),
        config,
        moto,
    }
}

/// A node from its JSON (as `fgl eval --lowered` shows it).
pub fn node(json: Value) -> Node {
    serde_json::from_value(json).expect("a node's JSON")
}

/// `node` as the engine hands it to the provider, for `stack`, with references already
/// replaced by values in the JSON.
pub fn resolved(stack: &str, node: &Node) -> Resolved {
    Resolved {
        stack: stack.to_string(),
        id: node.id.clone(),
        kind: node.kind.clone(),
        name: node.name.clone(),
        lookup: node.lookup,
        properties: node.properties.clone(),
        tags: node.tags.clone(),
    }
}
