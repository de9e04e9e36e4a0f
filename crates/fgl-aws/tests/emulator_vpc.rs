//! `AWS::EC2::VPC` end to end: the real SDK against moto in server mode on 127.0.0.1.
//! moto comes from `scripts/aws-emulator.sh setup`; without it this test fails (never skips).

mod common;

use aws_config::{BehaviorVersion, Region};
use common::{nodes, sdk};
use fgl_aws::AwsProvider;
use fgl_plan::Provider;
use serde_json::json;

#[tokio::test]
async fn vpc_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let node = nodes::vpc("shop");

    // Nothing yet.
    assert_eq!(provider.read(&node).await.unwrap(), None);

    // An unowned VPC (made outside fgl, no fgl tags) and one of another stack with the same
    // logical id: neither is ever the shop's.
    let unowned_id = sdk::vpc(&emu.ec2, "10.9.0.0/16").await;
    let other = provider.create(&nodes::vpc("other")).await.unwrap();
    assert_eq!(provider.read(&node).await.unwrap(), None);

    // Create, then read it back with its properties and tags.
    let created = provider.create(&node).await.unwrap();
    assert!(created.physical_id.starts_with("vpc-"), "{created:?}");
    let live = provider.read(&node).await.unwrap().expect("created VPC");
    assert_eq!(live, created);
    assert_eq!(live.id, "network/vpc");
    assert_eq!(live.properties["CidrBlock"], json!("10.0.0.0/16"));
    assert_eq!(live.properties["EnableDnsSupport"], json!(true));
    assert_eq!(live.properties["EnableDnsHostnames"], json!(true));
    assert_eq!(live.tags["Name"], json!("shop-network"));
    assert!(live.owned_by("shop"));
    assert_eq!(live.attrs["Id"], json!(live.physical_id));

    // Creating again (a retried create) adopts the VPC instead of making a second one.
    let again = provider.create(&node).await.unwrap();
    assert_eq!(again.physical_id, live.physical_id);

    // Discover lists exactly the shop's VPC: not the unowned one, the other stack's or the
    // region's default VPC.
    let found = provider.discover("shop").await.unwrap();
    let ids: Vec<&str> = found.iter().map(|l| l.physical_id.as_str()).collect();
    assert_eq!(ids, [live.physical_id.as_str()]);
    assert!(!ids.contains(&unowned_id.as_str()));

    // Update in place: DNS hostnames off, a tag changed, a tag removed.
    let mut changed = node.clone();
    changed
        .properties
        .insert("EnableDnsHostnames".into(), json!(false));
    changed.tags.insert("Team".into(), json!("web"));
    changed.tags.remove("Name");
    let fields = ["EnableDnsHostnames", "Tags.Team", "Tags.Name"].map(String::from);
    let updated = provider.update(&changed, &live, &fields).await.unwrap();
    assert_eq!(updated.properties["EnableDnsHostnames"], json!(false));
    assert_eq!(updated.tags["Team"], json!("web"));
    assert!(!updated.tags.contains_key("Name"));
    assert!(updated.owned_by("shop"));
    // The create-only CIDR block is refused, not silently ignored.
    let err = provider
        .update(&changed, &updated, &["CidrBlock".to_string()])
        .await
        .unwrap_err();
    assert!(err.message.contains("CidrBlock"), "{err:?}");

    // Delete: gone, and deleting again succeeds.
    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&node).await.unwrap(), None);
    assert!(provider.discover("shop").await.unwrap().is_empty());
    provider.delete(&updated).await.unwrap();

    // The other stack's VPC was never touched.
    let others = provider.discover("other").await.unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].physical_id, other.physical_id);
}

#[tokio::test]
async fn unknown_kinds_are_hard_errors() {
    // No AWS call happens for an unknown kind, so no emulator is needed here.
    let config = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .build();
    let provider = AwsProvider::new(&config);
    let mut node = nodes::vpc("shop");
    node.id = "site/bucket".into();
    node.kind = "AWS::S3::Bucket".into();
    let err = provider.read(&node).await.unwrap_err();
    assert_eq!(err.class, fgl_plan::ErrorClass::Hard);
    assert_eq!(err.message, "not supported yet: AWS::S3::Bucket");
}
