//! `AWS::Route53::HostedZone` (looked up) and `AWS::Route53::RecordSet` (owned through a
//! `_fgl.<name>` TXT record) against moto, with nodes shaped like the webapp snapshot: the
//! certificate's CNAME validation record and the load balancer's A alias.

mod common;

use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord, ResourceRecordSet, RrType,
    Vpc, VpcRegion,
};
use common::check::{assert_no_diff, create_and_read, discover_counted, ids, update_checked};
use common::{node, nodes, resolved, sdk};
use fgl_plan::{ErrorClass, Provider, Resolved};
use serde_json::json;

/// The certificate's validation record in `zone`, with the name as ACM gives it (with the
/// trailing dot).
fn cname_node(stack: &str, zone: &str) -> Resolved {
    nodes::validation_record(
        stack,
        zone,
        json!("_3639ac514e785e898d2646601fa951d5.shop.example.com."),
        json!("_98d2646601fa951d5.acm-validations.aws."),
    )
}

fn alias_node(stack: &str, zone: &str, name: &str) -> Resolved {
    let id = format!("lb/alias/{name}");
    resolved(
        stack,
        &node(json!({
            "id": id, "kind": "AWS::Route53::RecordSet", "owner": "lb",
            "owner_kind": "aws.LoadBalancer",
            "properties": {
                "HostedZoneId": zone, "Name": name, "Type": "A",
                "AliasTarget": {
                    "DNSName": "shop-lb-1234567890.us-east-1.elb.amazonaws.com",
                    "HostedZoneId": "Z35SXDOTRQ7X7K", "EvaluateTargetHealth": true
                }
            },
            "tags": nodes::tags(stack, &id)
        })),
    )
}

/// The record set `name`/`rr_type` of `zone` as Route53 has it.
async fn record(
    r53: &aws_sdk_route53::Client,
    zone: &str,
    name: &str,
    rr_type: RrType,
) -> Option<ResourceRecordSet> {
    let out = r53
        .list_resource_record_sets()
        .hosted_zone_id(zone)
        .start_record_name(name)
        .start_record_type(rr_type.clone())
        .max_items(1)
        .send()
        .await
        .unwrap();
    out.resource_record_sets()
        .iter()
        .find(|r| r.name().trim_end_matches('.') == name && r.r#type() == &rr_type)
        .cloned()
}

#[tokio::test]
async fn hosted_zone_is_looked_up_never_created() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let r53 = aws_sdk_route53::Client::new(&emu.config);
    let zone_n = nodes::zone("shop", "example.com");

    assert_eq!(provider.read(&zone_n).await.unwrap(), None);
    let err = provider.create(&zone_n).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Hard);
    assert!(
        err.message.contains(
            "hosted zone example.com not found: create it (or delegate the domain) first"
        ),
        "{err:?}"
    );

    // A private zone of the same name, a zone whose name only starts alike, and the public one.
    let vpc_id = sdk::vpc(&emu.ec2, "10.0.0.0/16").await;
    r53.create_hosted_zone()
        .name("example.com")
        .caller_reference("private")
        .vpc(
            Vpc::builder()
                .vpc_id(&vpc_id)
                .vpc_region(VpcRegion::UsEast1)
                .build(),
        )
        .hosted_zone_config(HostedZoneConfig::builder().private_zone(true).build())
        .send()
        .await
        .unwrap();
    sdk::hosted_zone(&r53, "example.com.au", "au").await;
    let public = sdk::hosted_zone(&r53, "example.com", "public").await;

    let live = provider.read(&zone_n).await.unwrap().expect("zone");
    assert_eq!(live.attrs["Id"], json!(public));
    assert_eq!(live.physical_id, public);
    assert_eq!(live.id, "cert/zone");
    assert!(live.tags.is_empty());
    assert_no_diff(provider, &zone_n, &live);
    // Never listed as the stack's, never changed or deleted.
    assert!(provider.discover("shop").await.unwrap().is_empty());
    assert!(provider.delete(&live).await.is_err());
    assert!(provider.read(&zone_n).await.unwrap().is_some());
}

#[tokio::test]
async fn record_sets_with_ownership_records() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let r53 = aws_sdk_route53::Client::new(&emu.config);
    let zone = sdk::hosted_zone(&r53, "example.com", "public").await;
    let cname_n = cname_node("shop", &zone);
    let alias_n = alias_node("shop", &zone, "shop.example.com");
    let wildcard_n = alias_node("shop", &zone, "*.shop.example.com");

    for n in [&cname_n, &alias_n, &wildcard_n] {
        assert_eq!(provider.read(n).await.unwrap(), None);
        let (live, read) = create_and_read(provider, n).await;
        assert_no_diff(provider, n, &read);
        assert!(read.owned_by("shop"), "{read:?}");
        assert_eq!(read.id, n.id);
        // A retried create overwrites its own pair instead of failing.
        let again = provider.create(n).await.unwrap();
        assert_eq!(again.physical_id, live.physical_id);
    }

    // The ownership record is in the zone, next to the record.
    let owner = record(&r53, &zone, "_fgl.shop.example.com", RrType::Txt)
        .await
        .expect("TXT");
    assert_eq!(
        owner.resource_records()[0].value(),
        "\"fgl:stack=shop,fgl:id=lb/alias/shop.example.com,fgl:type=A\""
    );

    // Discover pairs each ownership record with its record; another stack has none.
    let found = discover_counted(provider, "shop", "three records").await;
    assert_eq!(
        ids(&found),
        [
            "cert/validation-record/shop.example.com",
            "lb/alias/*.shop.example.com",
            "lb/alias/shop.example.com"
        ]
    );
    for live in &found {
        let n = [&cname_n, &alias_n, &wildcard_n]
            .into_iter()
            .find(|n| n.id == live.id)
            .unwrap();
        assert_no_diff(provider, n, live);
    }
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update in place: a new TTL and value, read back through the SDK.
    let cname = provider.read(&cname_n).await.unwrap().unwrap();
    let mut changed = cname_n.clone();
    changed.properties["TTL"] = json!(60);
    changed.properties["ResourceRecords"] = json!(["_new.acm-validations.aws."]);
    let fields = ["TTL", "ResourceRecords[0]"].map(String::from);
    update_checked(provider, &changed, &cname, &fields).await;
    let got = record(
        &r53,
        &zone,
        "_3639ac514e785e898d2646601fa951d5.shop.example.com",
        RrType::Cname,
    )
    .await
    .unwrap();
    assert_eq!(got.ttl(), Some(60));
    assert_eq!(
        got.resource_records()[0].value(),
        "_new.acm-validations.aws."
    );
    assert!(provider.spec(&cname_n.kind).forces_replace("Name"));

    // Delete removes both records; again is success.
    let alias = provider.read(&alias_n).await.unwrap().unwrap();
    provider.delete(&alias).await.unwrap();
    provider.delete(&alias).await.unwrap();
    assert_eq!(provider.read(&alias_n).await.unwrap(), None);
    assert!(record(&r53, &zone, "_fgl.shop.example.com", RrType::Txt)
        .await
        .is_none());
    for n in [&changed, &wildcard_n] {
        let live = provider.read(n).await.unwrap().unwrap();
        provider.delete(&live).await.unwrap();
    }
    assert!(provider.discover("shop").await.unwrap().is_empty());
}

#[tokio::test]
async fn records_made_outside_fgl_are_never_adopted() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let r53 = aws_sdk_route53::Client::new(&emu.config);
    let zone = sdk::hosted_zone(&r53, "example.com", "public").await;
    let set = ResourceRecordSet::builder()
        .name("shop.example.com")
        .r#type(RrType::A)
        .ttl(60)
        .resource_records(
            ResourceRecord::builder()
                .value("192.0.2.1")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let change = Change::builder()
        .action(ChangeAction::Create)
        .resource_record_set(set)
        .build()
        .unwrap();
    r53.change_resource_record_sets()
        .hosted_zone_id(&zone)
        .change_batch(ChangeBatch::builder().changes(change).build().unwrap())
        .send()
        .await
        .unwrap();

    let alias_n = alias_node("shop", &zone, "shop.example.com");
    let live = provider
        .read(&alias_n)
        .await
        .unwrap()
        .expect("the record in the way");
    assert!(live.tags.is_empty(), "{live:?}");
    assert!(!live.owned_by("shop"));
    // Creating over it fails, and leaves no ownership record behind (one atomic batch).
    assert!(provider.create(&alias_n).await.is_err());
    assert!(record(&r53, &zone, "_fgl.shop.example.com", RrType::Txt)
        .await
        .is_none());
    assert!(provider.discover("shop").await.unwrap().is_empty());
}

/// An ownership record owns the record of its type only: when fgl's A record is gone (deleted
/// by hand), another record at that name (an apex's MX) is never listed as the stack's, and
/// never deleted.
#[tokio::test]
async fn an_ownership_record_never_owns_another_type_at_its_name() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let r53 = aws_sdk_route53::Client::new(&emu.config);
    let zone = sdk::hosted_zone(&r53, "example.com", "public").await;
    let alias_n = alias_node("shop", &zone, "shop.example.com");
    let (live, _) = create_and_read(provider, &alias_n).await;
    let change = |action: ChangeAction, set: ResourceRecordSet| {
        Change::builder()
            .action(action)
            .resource_record_set(set)
            .build()
            .unwrap()
    };
    let mx = ResourceRecordSet::builder()
        .name("shop.example.com")
        .r#type(RrType::Mx)
        .ttl(300)
        .resource_records(
            ResourceRecord::builder()
                .value("10 mail.example.com")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let a = record(&r53, &zone, "shop.example.com", RrType::A)
        .await
        .expect("fgl's A record");
    r53.change_resource_record_sets()
        .hosted_zone_id(&zone)
        .change_batch(
            ChangeBatch::builder()
                .changes(change(ChangeAction::Create, mx))
                .changes(change(ChangeAction::Delete, a))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(provider.discover("shop").await.unwrap().is_empty());
    assert_eq!(provider.read(&alias_n).await.unwrap(), None);
    // Deleting what fgl thought it owned leaves the MX record alone.
    provider.delete(&live).await.unwrap();
    assert!(record(&r53, &zone, "shop.example.com", RrType::Mx)
        .await
        .is_some());
}
