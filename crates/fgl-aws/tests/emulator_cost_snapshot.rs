//! The snapshot of `discover`: it answers a plan's reads of untaggable children without
//! calling AWS again, and never outlives a change of the provider, so a plan after an apply
//! sees what the apply did. Against moto.

use aws_config::{BehaviorVersion, Region};
use aws_sdk_ec2::config::Credentials;
use fgl_aws::{AwsProvider, CallLog};
use fgl_emulator::Moto;
use fgl_plan::{Live, Provider, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map, Value};

/// A node of `stack`; taggable ones carry their ownership tags.
fn node(stack: &str, id: &str, kind: &str, properties: Value, taggable: bool) -> Resolved {
    let mut tags = Map::new();
    if taggable {
        tags.insert(STACK_TAG.into(), json!(stack));
        tags.insert(ID_TAG.into(), json!(id));
    }
    Resolved {
        stack: stack.into(),
        id: id.into(),
        kind: kind.into(),
        name: None,
        lookup: false,
        properties: properties.as_object().cloned().unwrap(),
        tags,
    }
}

/// How many DescribeRouteTables calls so far: what reading a route costs without the snapshot.
fn table_reads(calls: &CallLog) -> usize {
    calls
        .calls()
        .iter()
        .filter(|c| c.operation == "DescribeRouteTables")
        .count()
}

/// `read` of `route`, and whether it asked AWS (true) or the snapshot answered (false).
async fn read(p: &AwsProvider, calls: &CallLog, route: &Resolved) -> (Option<Live>, bool) {
    let before = table_reads(calls);
    let live = p.read(route).await.unwrap();
    (live, table_reads(calls) > before)
}

#[tokio::test]
async fn reads_after_a_change_never_come_from_the_snapshot() {
    let moto = Moto::start();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&moto.url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let calls = CallLog::default();
    let p = AwsProvider::with_call_log(&config, calls.clone());

    // A VPC with an internet gateway and a route table, made through the provider.
    let vpc = p
        .create(&node(
            "shop",
            "network/vpc",
            "AWS::EC2::VPC",
            json!({"CidrBlock": "10.0.0.0/16"}),
            true,
        ))
        .await
        .unwrap();
    let igw = p
        .create(&node(
            "shop",
            "network/igw",
            "AWS::EC2::InternetGateway",
            json!({}),
            true,
        ))
        .await
        .unwrap();
    p.create(&node(
        "shop",
        "network/igw-attachment",
        "AWS::EC2::VPCGatewayAttachment",
        json!({"VpcId": vpc.physical_id, "InternetGatewayId": igw.physical_id}),
        false,
    ))
    .await
    .unwrap();
    let table = p
        .create(&node(
            "shop",
            "network/public",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.physical_id}),
            true,
        ))
        .await
        .unwrap();
    let route = node(
        "shop",
        "network/public-route",
        "AWS::EC2::Route",
        json!({"RouteTableId": table.physical_id, "DestinationCidrBlock": "0.0.0.0/0",
               "GatewayId": igw.physical_id}),
        false,
    );

    // Before any discover, a read asks AWS.
    assert_eq!(read(&p, &calls, &route).await, (None, true));

    // A plan: discover, then the route's read is answered by the table's listing.
    p.discover("shop").await.unwrap();
    assert_eq!(read(&p, &calls, &route).await, (None, false));

    // Apply creates the route: the snapshot that said "no route" is gone, so the very next
    // read (no discover in between) asks AWS and sees it.
    let created = p.create(&route).await.unwrap();
    let (seen, asked) = read(&p, &calls, &route).await;
    assert!(asked);
    assert_eq!(seen.as_ref(), Some(&created));

    // The plan after the apply: discover sees the route through its table, for free.
    p.discover("shop").await.unwrap();
    assert_eq!(
        read(&p, &calls, &route).await,
        (Some(created.clone()), false)
    );

    // An update (the route moved to another gateway) is seen at once too.
    let other_igw = p
        .create(&node(
            "shop",
            "network/igw-2",
            "AWS::EC2::InternetGateway",
            json!({}),
            true,
        ))
        .await
        .unwrap();
    p.create(&node(
        "shop",
        "network/igw-2-attachment",
        "AWS::EC2::VPCGatewayAttachment",
        json!({"VpcId": vpc.physical_id, "InternetGatewayId": other_igw.physical_id}),
        false,
    ))
    .await
    .unwrap();
    p.discover("shop").await.unwrap();
    let mut moved = route.clone();
    moved
        .properties
        .insert("GatewayId".into(), json!(other_igw.physical_id));
    p.update(&moved, &created, &["GatewayId".to_string()])
        .await
        .unwrap();
    let (seen, asked) = read(&p, &calls, &route).await;
    assert!(asked);
    assert_eq!(
        seen.unwrap().properties["GatewayId"],
        json!(other_igw.physical_id)
    );

    // A delete after a discover: the next read asks AWS and finds nothing.
    p.discover("shop").await.unwrap();
    let (live, asked) = read(&p, &calls, &route).await;
    assert!(!asked);
    p.delete(&live.unwrap()).await.unwrap();
    assert_eq!(read(&p, &calls, &route).await, (None, true));

    // Another stack's listing never answers for this one.
    p.discover("other").await.unwrap();
    assert_eq!(read(&p, &calls, &route).await, (None, true));
}
