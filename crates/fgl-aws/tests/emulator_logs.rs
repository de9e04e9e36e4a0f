//! `AWS::Logs::LogGroup` end to end against moto, from the node of the webapp snapshot.

mod common;

use std::collections::HashMap;

use common::check::{assert_no_diff, delete_twice, discover_counted, ids, read_unowned};
use common::snapshot::{self, Refs};
use fgl_plan::{Provider, ID_TAG, STACK_TAG};
use serde_json::json;

#[tokio::test]
async fn log_group_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&emu.config);
    let desired = snapshot::webapp("web/log-group", &Refs::new());
    let spec = provider.spec(&desired.kind);
    assert_eq!(provider.read(&desired).await.unwrap(), None);

    // A same-named group made outside fgl is read without fgl tags, never listed as the
    // stack's; then it goes away.
    logs.create_log_group()
        .log_group_name("/fgl/shop/web")
        .send()
        .await
        .unwrap();
    read_unowned(provider, &desired).await;
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
    assert_no_diff(provider, &desired, &created);
    assert_eq!(
        provider.read(&desired).await.unwrap(),
        Some(created.clone())
    );
    // A retried create adopts it.
    assert_eq!(provider.create(&desired).await.unwrap(), created);

    // Discover: the shop's group, not another stack's. The whole provider's discovery: one
    // DescribeLogGroups and one ListTagsForResource here, plus the other services' (empty)
    // listings.
    let found = discover_counted(provider, "shop", "one log group").await;
    assert_eq!(ids(&found), ["web/log-group"]);
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
    delete_twice(provider, &updated, &desired).await;
}
