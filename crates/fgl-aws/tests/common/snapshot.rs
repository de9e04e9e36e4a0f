//! Nodes of the lowered snapshots (`tests/examples/<example>.fgl.lowered.expected`) as the
//! engine hands them over: placeholders filled with moto's account and region, references
//! replaced by the attributes of what was created before.

use std::collections::HashMap;

use fgl_aws::AwsProvider;
use fgl_lower::Node;
use fgl_plan::{Live, Provider, Resolved};
use serde_json::Value;

use super::resolved;

/// moto's account and region, what `${aws:account}`/`${aws:region}` stand for.
pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// The values references resolve to: `(node id, attribute)` to value.
pub type Refs = HashMap<(String, String), Value>;

/// The node `id` of the lowered `tests/examples/<example>.fgl.lowered.expected`.
pub fn node(example: &str, id: &str) -> Node {
    let path = std::path::Path::new(&manifest_dir()).join(format!(
        "../../tests/examples/{example}.fgl.lowered.expected"
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let json = text.split_once("--- stdout\n").unwrap().1;
    let graph: Value = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let node = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap();
    super::node(node.clone())
}

/// The node for `stack` as the engine hands it over: placeholders filled, each
/// `{"$ref": id, "attr": a}` replaced by `refs[(id, a)]`.
pub fn desired(node: &Node, stack: &str, refs: &Refs) -> Resolved {
    let text = serde_json::to_string(&node.properties)
        .unwrap()
        .replace("${aws:account}", ACCOUNT)
        .replace("${aws:region}", REGION);
    let mut properties: Value = serde_json::from_str(&text).unwrap();
    fill(&mut properties, refs);
    Resolved {
        properties: properties.as_object().unwrap().clone(),
        ..resolved(stack, node)
    }
}

/// The webapp's node `id` for the stack `shop`, with `refs`.
pub fn webapp(id: &str, refs: &Refs) -> Resolved {
    desired(&node("webapp", id), "shop", refs)
}

fn fill(value: &mut Value, refs: &Refs) {
    if let (Some(id), Some(attr)) = (
        value.get("$ref").and_then(Value::as_str),
        value.get("attr").and_then(Value::as_str),
    ) {
        let key = (id.to_string(), attr.to_string());
        *value = refs
            .get(&key)
            .unwrap_or_else(|| panic!("no value for {key:?}"))
            .clone();
        return;
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, refs)),
        Value::Object(map) => map.values_mut().for_each(|v| fill(v, refs)),
        _ => {}
    }
}

/// Creates the webapp's `id` through the provider and records its attributes in `refs`.
pub async fn create(provider: &AwsProvider, id: &str, refs: &mut Refs) -> (Resolved, Live) {
    let node = webapp(id, refs);
    let live = provider.create(&node).await.unwrap();
    for (attr, value) in &live.attrs {
        refs.insert((id.to_string(), attr.clone()), value.clone());
    }
    (node, live)
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
