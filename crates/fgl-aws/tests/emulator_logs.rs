//! `AWS::Logs::LogGroup` end to end against moto, from the node of the webapp snapshot.

mod common;

use std::collections::HashMap;

use common::{config, resolved, Moto};
use fgl_aws::AwsProvider;
use fgl_lower::Node;
use fgl_plan::{Provider, ID_TAG, STACK_TAG};
use serde_json::{json, Value};

/// The node `id` of the lowered `tests/examples/<example>.fgl.lowered.expected`.
fn snapshot_node(example: &str, id: &str) -> Node {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
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
    common::node(node.clone())
}

#[tokio::test]
async fn log_group_create_read_discover_update_delete() {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    let provider = AwsProvider::new(&config);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let node = snapshot_node("webapp", "web/log-group");
    let desired = resolved("shop", &node);
    let spec = provider.spec(&node.kind);
    assert_eq!(provider.read(&desired).await.unwrap(), None);

    // A same-named group made outside fgl is read without fgl tags, never listed as the
    // stack's; then it goes away.
    logs.create_log_group()
        .log_group_name("/fgl/shop/web")
        .send()
        .await
        .unwrap();
    let unowned = provider
        .read(&desired)
        .await
        .unwrap()
        .expect("unowned group");
    assert!(!unowned.tags.contains_key(STACK_TAG), "{unowned:?}");
    assert!(provider.discover("shop").await.unwrap().is_empty());
    logs.delete_log_group()
        .log_group_name("/fgl/shop/web")
        .send()
        .await
        .unwrap();

    // Create: tagged, with its retention, and the second plan is empty.
    let created = provider.create(&desired).await.unwrap();
    assert_eq!(created.id, "web/log-group");
    assert_eq!(created.properties["RetentionInDays"], json!(30));
    assert_eq!(created.tags[ID_TAG], json!("web/log-group"));
    assert!(created.attrs["Arn"]
        .as_str()
        .unwrap()
        .contains("log-group:/fgl/shop/web"));
    let diff = fgl_plan::diff::diff(
        &spec,
        &desired.properties,
        &created.properties,
        &desired.tags,
        &created.tags,
    );
    assert!(diff.is_empty(), "{diff:?}");
    assert_eq!(
        provider.read(&desired).await.unwrap(),
        Some(created.clone())
    );
    // A retried create adopts it.
    assert_eq!(provider.create(&desired).await.unwrap(), created);

    // Discover: the shop's group, not another stack's.
    let (reads, writes) = provider.call_log().counts();
    let found = provider.discover("shop").await.unwrap();
    let (reads_after, writes_after) = provider.call_log().counts();
    // The whole provider's discovery: one DescribeLogGroups and one ListTagsForResource here,
    // plus the other services' (empty) listings.
    eprintln!(
        "discover(shop) with one log group: {} reads",
        reads_after - reads
    );
    assert_eq!(writes_after, writes);
    assert_eq!(
        found.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["web/log-group"]
    );
    assert!(provider.discover("other").await.unwrap().is_empty());
    assert!(provider.discover("sho").await.unwrap().is_empty());

    // Update: the retention and a tag, read back through the SDK.
    let mut changed = desired.clone();
    changed
        .properties
        .insert("RetentionInDays".into(), json!(7));
    changed.tags.insert("Team".into(), json!("web"));
    let fields = ["RetentionInDays", "Tags.Team"].map(String::from);
    let updated = provider.update(&changed, &created, &fields).await.unwrap();
    assert_eq!(updated.properties["RetentionInDays"], json!(7));
    let sdk = logs
        .describe_log_groups()
        .log_group_name_prefix("/fgl/shop/web")
        .send()
        .await
        .unwrap();
    assert_eq!(sdk.log_groups()[0].retention_in_days(), Some(7));
    let tags = logs
        .list_tags_for_resource()
        .resource_arn(created.attrs["Arn"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let tags: HashMap<String, String> = tags.tags().cloned().unwrap_or_default();
    assert_eq!(tags.get("Team").map(String::as_str), Some("web"));
    assert_eq!(tags.get(STACK_TAG).map(String::as_str), Some("shop"));
    // The name is create-only.
    assert!(spec.forces_replace("LogGroupName"));

    // Delete, twice.
    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&desired).await.unwrap(), None);
    provider.delete(&updated).await.unwrap();
}
