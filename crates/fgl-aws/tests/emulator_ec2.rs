//! The EC2 network kinds end to end (subnets, gateways, routes, addresses, NAT, security
//! groups): the real SDK against moto in server mode on 127.0.0.1, each test with its own
//! moto. Nodes are shaped like the lowered snapshots (`tests/examples/*.lowered.expected`)
//! with their references resolved.

mod common;

use aws_sdk_ec2::types::Filter;
use common::{config, node, resolved, Moto};
use fgl_aws::AwsProvider;
use fgl_plan::{ErrorClass, Live, Provider, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Value};

struct Env {
    _moto: Moto,
    provider: AwsProvider,
    ec2: aws_sdk_ec2::Client,
}

async fn env() -> Env {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    Env {
        provider: AwsProvider::new(&config),
        ec2: aws_sdk_ec2::Client::new(&config),
        _moto: moto,
    }
}

/// A node of `stack` from its kind, id, properties and (for taggable kinds) `Name` tag.
fn n(stack: &str, id: &str, kind: &str, name: Option<&str>, properties: Value) -> Resolved {
    let mut json = json!({
        "id": id, "kind": kind, "owner": "network", "owner_kind": "aws.Network",
        "properties": properties,
    });
    if let Some(name) = name {
        json["name"] = json!(name);
        json["tags"] = json!({"Name": name, STACK_TAG: stack, ID_TAG: id});
    }
    resolved(stack, &node(json))
}

/// The engine's "second plan is empty" check: no difference between node and live.
fn assert_no_diff(provider: &AwsProvider, node: &Resolved, live: &Live) {
    let spec = provider.spec(&node.kind);
    let diff = fgl_plan::diff::diff(
        &spec,
        &node.properties,
        &live.properties,
        &node.tags,
        &live.tags,
    );
    assert!(diff.is_empty(), "{}: {diff:?}\nlive: {live:?}", node.id);
}

/// Creates `node`, checks the diff is empty and `read` returns the same.
async fn create(env: &Env, node: &Resolved) -> Live {
    let live = env.provider.create(node).await.unwrap();
    assert_no_diff(&env.provider, node, &live);
    let read = env
        .provider
        .read(node)
        .await
        .unwrap()
        .expect("read after create");
    assert_eq!(read, live);
    assert!(live.owned_by(&node.stack), "{live:?}");
    assert_eq!(live.id, node.id);
    live
}

/// The physical ids `discover(stack)` lists for `kind`.
async fn discovered(env: &Env, stack: &str, kind: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = env
        .provider
        .discover(stack)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.kind == kind)
        .map(|l| (l.id, l.physical_id))
        .collect();
    found.sort();
    found
}

fn attr(live: &Live, name: &str) -> String {
    live.attrs[name]
        .as_str()
        .expect("a string attribute")
        .to_string()
}

fn vpc_node(stack: &str) -> Resolved {
    n(
        stack,
        "network/vpc",
        "AWS::EC2::VPC",
        Some("shop-network"),
        json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": true, "EnableDnsHostnames": true}),
    )
}

fn subnet_node(stack: &str, vpc: &str, i: u8) -> Resolved {
    n(
        stack,
        &format!("network/public-subnet-{i}"),
        "AWS::EC2::Subnet",
        Some(&format!("shop-network-public-{i}")),
        json!({"VpcId": vpc, "CidrBlock": format!("10.0.{}.0/20", i * 16),
               "AvailabilityZone": "us-east-1a", "MapPublicIpOnLaunch": true}),
    )
}

fn igw_node(stack: &str) -> Resolved {
    n(
        stack,
        "network/internet-gateway",
        "AWS::EC2::InternetGateway",
        Some("shop-network-igw"),
        json!({}),
    )
}

fn attachment_node(stack: &str, vpc: &str, igw: &str) -> Resolved {
    n(
        stack,
        "network/internet-gateway-attachment",
        "AWS::EC2::VPCGatewayAttachment",
        None,
        json!({"VpcId": vpc, "InternetGatewayId": igw}),
    )
}

fn table_node(stack: &str, id: &str, vpc: &str) -> Resolved {
    n(
        stack,
        id,
        "AWS::EC2::RouteTable",
        Some("shop-network-public"),
        json!({"VpcId": vpc}),
    )
}

/// A tag of an EC2 resource, as AWS has it.
async fn aws_tag(env: &Env, resource: &str, key: &str) -> Option<String> {
    let out = env
        .ec2
        .describe_tags()
        .filters(filter("resource-id", resource))
        .filters(filter("key", key))
        .send()
        .await
        .unwrap();
    out.tags()
        .first()
        .and_then(|t| t.value())
        .map(str::to_string)
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

#[tokio::test]
async fn subnets() {
    let env = env().await;
    let vpc = env.provider.create(&vpc_node("shop")).await.unwrap();
    let vpc_id = attr(&vpc, "Id");
    let node = subnet_node("shop", &vpc_id, 0);
    assert_eq!(env.provider.read(&node).await.unwrap(), None);

    // A subnet made outside fgl, named like the node's: never read as the node's.
    let outside = env
        .ec2
        .create_subnet()
        .vpc_id(&vpc_id)
        .cidr_block("10.0.128.0/20")
        .tag_specifications(
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(aws_sdk_ec2::types::ResourceType::Subnet)
                .tags(
                    aws_sdk_ec2::types::Tag::builder()
                        .key("Name")
                        .value("shop-network-public-0")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let outside_id = outside.subnet().unwrap().subnet_id().unwrap().to_string();
    assert_eq!(env.provider.read(&node).await.unwrap(), None);

    let live = create(&env, &node).await;
    assert!(live.physical_id.starts_with("subnet-"));
    assert_ne!(live.physical_id, outside_id);
    assert_eq!(live.properties["CidrBlock"], json!("10.0.0.0/20"));
    assert_eq!(live.properties["MapPublicIpOnLaunch"], json!(true));
    assert_eq!(live.properties["AvailabilityZone"], json!("us-east-1a"));
    assert_eq!(attr(&live, "Id"), live.physical_id);
    // A retried create adopts the subnet.
    let again = env.provider.create(&node).await.unwrap();
    assert_eq!(again.physical_id, live.physical_id);

    assert_eq!(
        discovered(&env, "shop", "AWS::EC2::Subnet").await,
        [(node.id.clone(), live.physical_id.clone())]
    );
    assert!(discovered(&env, "other", "AWS::EC2::Subnet")
        .await
        .is_empty());

    // In place: public IPs off, a tag.
    let mut changed = node.clone();
    changed
        .properties
        .insert("MapPublicIpOnLaunch".into(), json!(false));
    changed.tags.insert("Team".into(), json!("net"));
    let fields = ["MapPublicIpOnLaunch", "Tags.Team"].map(String::from);
    let updated = env.provider.update(&changed, &live, &fields).await.unwrap();
    assert_no_diff(&env.provider, &changed, &updated);
    let aws = env
        .ec2
        .describe_subnets()
        .subnet_ids(&live.physical_id)
        .send()
        .await
        .unwrap();
    let subnet = &aws.subnets()[0];
    assert_eq!(subnet.map_public_ip_on_launch(), Some(false));
    assert!(subnet
        .tags()
        .iter()
        .any(|t| t.key() == Some("Team") && t.value() == Some("net")));
    let spec = env.provider.spec("AWS::EC2::Subnet");
    assert!(spec.forces_replace("CidrBlock") && spec.forces_replace("AvailabilityZone"));

    env.provider.delete(&updated).await.unwrap();
    assert_eq!(env.provider.read(&node).await.unwrap(), None);
    env.provider.delete(&updated).await.unwrap();
}

#[tokio::test]
async fn internet_gateway_and_attachment() {
    let env = env().await;
    let vpc_id = attr(&env.provider.create(&vpc_node("shop")).await.unwrap(), "Id");
    let node = igw_node("shop");
    assert_eq!(env.provider.read(&node).await.unwrap(), None);
    let igw = create(&env, &node).await;
    let igw_id = attr(&igw, "Id");
    assert!(igw_id.starts_with("igw-"));
    assert_eq!(
        env.provider.create(&node).await.unwrap().physical_id,
        igw_id
    );
    assert_eq!(
        discovered(&env, "shop", "AWS::EC2::InternetGateway").await,
        [(node.id.clone(), igw_id.clone())]
    );
    assert!(discovered(&env, "other", "AWS::EC2::InternetGateway")
        .await
        .is_empty());

    // The attachment: read through the gateway, owned because the gateway is.
    let attach = attachment_node("shop", &vpc_id, &igw_id);
    assert_eq!(env.provider.read(&attach).await.unwrap(), None);
    let attached = create(&env, &attach).await;
    assert_eq!(attached.tags[STACK_TAG], json!("shop"));
    assert_eq!(attached.tags[ID_TAG], json!(attach.id));
    // Retried: adopted, not attached twice.
    assert_eq!(env.provider.create(&attach).await.unwrap(), attached);
    // Untaggable kinds are not discovered: they are read.
    assert!(discovered(&env, "shop", "AWS::EC2::VPCGatewayAttachment")
        .await
        .is_empty());

    // Tags change in place.
    let mut changed = node.clone();
    changed.tags.insert("Name".into(), json!("renamed"));
    let updated = env
        .provider
        .update(&changed, &igw, &["Tags.Name".to_string()])
        .await
        .unwrap();
    assert_eq!(updated.tags["Name"], json!("renamed"));
    assert_eq!(
        aws_tag(&env, &igw_id, "Name").await.as_deref(),
        Some("renamed")
    );
    assert!(updated.owned_by("shop"));

    // Deleting the gateway detaches it first; the attachment is then gone too.
    env.provider.delete(&updated).await.unwrap();
    assert_eq!(env.provider.read(&node).await.unwrap(), None);
    assert_eq!(env.provider.read(&attach).await.unwrap(), None);
    env.provider.delete(&updated).await.unwrap();
    env.provider.delete(&attached).await.unwrap();

    // A gateway made and attached outside fgl: its attachment is read without fgl tags.
    let outside = env.ec2.create_internet_gateway().send().await.unwrap();
    let outside_id = outside
        .internet_gateway()
        .unwrap()
        .internet_gateway_id()
        .unwrap()
        .to_string();
    env.ec2
        .attach_internet_gateway()
        .internet_gateway_id(&outside_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    let foreign = env
        .provider
        .read(&attachment_node("shop", &vpc_id, &outside_id))
        .await
        .unwrap()
        .expect("the outside attachment");
    assert!(foreign.tags.is_empty(), "{foreign:?}");
    // And an attachment deleted by itself is detached.
    let mut owned = env.provider.create(&node).await.unwrap();
    env.ec2
        .detach_internet_gateway()
        .internet_gateway_id(&outside_id)
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    let attach = attachment_node("shop", &vpc_id, &owned.physical_id);
    let attached = env.provider.create(&attach).await.unwrap();
    env.provider.delete(&attached).await.unwrap();
    assert_eq!(env.provider.read(&attach).await.unwrap(), None);
    owned = env.provider.read(&node).await.unwrap().unwrap();
    assert!(owned.owned_by("shop"));
}

#[tokio::test]
async fn route_tables_routes_and_associations() {
    let env = env().await;
    let vpc_id = attr(&env.provider.create(&vpc_node("shop")).await.unwrap(), "Id");
    let subnet = env
        .provider
        .create(&subnet_node("shop", &vpc_id, 0))
        .await
        .unwrap();
    let igw = env.provider.create(&igw_node("shop")).await.unwrap();
    let igw_id = attr(&igw, "Id");
    env.provider
        .create(&attachment_node("shop", &vpc_id, &igw_id))
        .await
        .unwrap();

    let table_node = table_node("shop", "network/public-route-table", &vpc_id);
    assert_eq!(env.provider.read(&table_node).await.unwrap(), None);
    let table = create(&env, &table_node).await;
    let table_id = attr(&table, "Id");
    assert!(table_id.starts_with("rtb-"));
    assert_eq!(
        env.provider.create(&table_node).await.unwrap().physical_id,
        table_id
    );
    assert_eq!(
        discovered(&env, "shop", "AWS::EC2::RouteTable").await,
        [(table_node.id.clone(), table_id.clone())]
    );
    assert!(discovered(&env, "other", "AWS::EC2::RouteTable")
        .await
        .is_empty());

    // The route to the internet gateway.
    let route_node = n(
        "shop",
        "network/public-route",
        "AWS::EC2::Route",
        None,
        json!({"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_id}),
    );
    assert_eq!(env.provider.read(&route_node).await.unwrap(), None);
    let route = create(&env, &route_node).await;
    assert_eq!(route.properties["GatewayId"], json!(igw_id));
    assert_eq!(route.tags[STACK_TAG], json!("shop"));
    // Retried: the route already there is kept.
    assert_eq!(env.provider.create(&route_node).await.unwrap(), route);

    // The subnet's association.
    let assoc_node = n(
        "shop",
        "network/public-subnet-0-route-table",
        "AWS::EC2::SubnetRouteTableAssociation",
        None,
        json!({"SubnetId": subnet.physical_id, "RouteTableId": table_id}),
    );
    assert_eq!(env.provider.read(&assoc_node).await.unwrap(), None);
    let assoc = create(&env, &assoc_node).await;
    assert!(assoc.physical_id.starts_with("rtbassoc-"), "{assoc:?}");
    assert_eq!(env.provider.create(&assoc_node).await.unwrap(), assoc);

    // Table tags in place; its VPC is create-only.
    let mut changed = table_node.clone();
    changed.tags.insert("Tier".into(), json!("public"));
    let updated = env
        .provider
        .update(&changed, &table, &["Tags.Tier".to_string()])
        .await
        .unwrap();
    assert_eq!(updated.tags["Tier"], json!("public"));
    assert_eq!(
        aws_tag(&env, &table_id, "Tier").await.as_deref(),
        Some("public")
    );
    assert!(env
        .provider
        .spec("AWS::EC2::RouteTable")
        .forces_replace("VpcId"));

    // Route and association deleted by themselves, twice.
    env.provider.delete(&route).await.unwrap();
    assert_eq!(env.provider.read(&route_node).await.unwrap(), None);
    env.provider.delete(&route).await.unwrap();
    env.provider.delete(&assoc).await.unwrap();
    assert_eq!(env.provider.read(&assoc_node).await.unwrap(), None);
    env.provider.delete(&assoc).await.unwrap();

    // Deleting a table removes its associations first.
    env.provider.create(&assoc_node).await.unwrap();
    env.provider.delete(&updated).await.unwrap();
    assert_eq!(env.provider.read(&table_node).await.unwrap(), None);
    env.provider.delete(&updated).await.unwrap();
    let aws = env
        .ec2
        .describe_route_tables()
        .filters(filter("association.subnet-id", &subnet.physical_id))
        .send()
        .await
        .unwrap();
    assert!(aws.route_tables().is_empty(), "{aws:?}");

    // A table made outside fgl: its routes and associations are read without fgl tags.
    let outside = env
        .ec2
        .create_route_table()
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    let outside_id = outside
        .route_table()
        .unwrap()
        .route_table_id()
        .unwrap()
        .to_string();
    env.ec2
        .create_route()
        .route_table_id(&outside_id)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw_id)
        .send()
        .await
        .unwrap();
    let mut foreign_route = route_node.clone();
    foreign_route
        .properties
        .insert("RouteTableId".into(), json!(outside_id));
    let foreign = env.provider.read(&foreign_route).await.unwrap().unwrap();
    assert!(foreign.tags.is_empty(), "{foreign:?}");
    assert_eq!(foreign.properties["GatewayId"], json!(igw_id));
}

#[tokio::test]
async fn addresses_and_nat_gateways() {
    let env = env().await;
    let vpc_id = attr(&env.provider.create(&vpc_node("shop")).await.unwrap(), "Id");
    let subnet = env
        .provider
        .create(&subnet_node("shop", &vpc_id, 0))
        .await
        .unwrap();
    let igw_id = attr(&env.provider.create(&igw_node("shop")).await.unwrap(), "Id");
    env.provider
        .create(&attachment_node("shop", &vpc_id, &igw_id))
        .await
        .unwrap();

    // The address.
    let eip_node = n(
        "shop",
        "network/nat-ip-0",
        "AWS::EC2::EIP",
        Some("shop-network-nat-0"),
        json!({"Domain": "vpc"}),
    );
    assert_eq!(env.provider.read(&eip_node).await.unwrap(), None);
    let eip = create(&env, &eip_node).await;
    let allocation = attr(&eip, "AllocationId");
    assert!(allocation.starts_with("eipalloc-"));
    assert_eq!(
        env.provider.create(&eip_node).await.unwrap().physical_id,
        allocation
    );
    assert_eq!(
        discovered(&env, "shop", "AWS::EC2::EIP").await,
        [(eip_node.id.clone(), allocation.clone())]
    );
    assert!(discovered(&env, "other", "AWS::EC2::EIP").await.is_empty());
    let mut changed = eip_node.clone();
    changed.tags.insert("Name".into(), json!("nat-ip"));
    let eip = env
        .provider
        .update(&changed, &eip, &["Tags.Name".to_string()])
        .await
        .unwrap();
    let aws = env
        .ec2
        .describe_addresses()
        .allocation_ids(&allocation)
        .send()
        .await
        .unwrap();
    assert!(aws.addresses()[0]
        .tags()
        .iter()
        .any(|t| t.key() == Some("Name") && t.value() == Some("nat-ip")));

    // The NAT gateway on it.
    let nat_node = n(
        "shop",
        "network/nat-gateway-0",
        "AWS::EC2::NatGateway",
        Some("shop-network-nat-0"),
        json!({"AllocationId": allocation, "SubnetId": subnet.physical_id}),
    );
    assert_eq!(env.provider.read(&nat_node).await.unwrap(), None);
    let nat = create(&env, &nat_node).await;
    let nat_id = attr(&nat, "Id");
    assert!(nat_id.starts_with("nat-"));
    assert_eq!(
        env.provider.create(&nat_node).await.unwrap().physical_id,
        nat_id
    );
    assert_eq!(
        discovered(&env, "shop", "AWS::EC2::NatGateway").await,
        [(nat_node.id.clone(), nat_id.clone())]
    );
    assert!(discovered(&env, "other", "AWS::EC2::NatGateway")
        .await
        .is_empty());
    let mut changed = nat_node.clone();
    changed.tags.insert("Team".into(), json!("net"));
    let nat = env
        .provider
        .update(&changed, &nat, &["Tags.Team".to_string()])
        .await
        .unwrap();
    assert_eq!(nat.tags["Team"], json!("net"));
    assert_eq!(aws_tag(&env, &nat_id, "Team").await.as_deref(), Some("net"));

    // A private route to it, then pointed at the internet gateway instead (in place).
    let table_id = attr(
        &env.provider
            .create(&table_node(
                "shop",
                "network/private-route-table-0",
                &vpc_id,
            ))
            .await
            .unwrap(),
        "Id",
    );
    let route_node = n(
        "shop",
        "network/private-route-0",
        "AWS::EC2::Route",
        None,
        json!({"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat_id}),
    );
    let route = create(&env, &route_node).await;
    assert_eq!(route.properties["NatGatewayId"], json!(nat_id));
    let mut to_igw = route_node.clone();
    to_igw.properties.remove("NatGatewayId");
    to_igw.properties.insert("GatewayId".into(), json!(igw_id));
    let fields = ["NatGatewayId", "GatewayId"].map(String::from);
    let route = env.provider.update(&to_igw, &route, &fields).await.unwrap();
    assert_no_diff(&env.provider, &to_igw, &route);
    let aws = env
        .ec2
        .describe_route_tables()
        .route_table_ids(&table_id)
        .send()
        .await
        .unwrap();
    let aws_route = aws.route_tables()[0]
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
        .unwrap();
    assert_eq!(aws_route.gateway_id(), Some(igw_id.as_str()));

    // The address cannot go while the gateway holds it: retryable, and left in place.
    let err = env.provider.delete(&eip).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Retryable, "{err:?}");
    assert!(env.provider.read(&eip_node).await.unwrap().is_some());

    // The gateway's delete waits until it is deleted; then it is neither read nor
    // discovered, and the address can go.
    env.provider.delete(&nat).await.unwrap();
    assert_eq!(env.provider.read(&nat_node).await.unwrap(), None);
    assert!(discovered(&env, "shop", "AWS::EC2::NatGateway")
        .await
        .is_empty());
    env.provider.delete(&nat).await.unwrap();
    // AWS frees a deleted NAT gateway's address; moto 5.2.5 leaves it associated. No live
    // gateway holds it any more, so the address's delete drops that association itself.
    let aws = env
        .ec2
        .describe_addresses()
        .allocation_ids(&allocation)
        .send()
        .await
        .unwrap();
    assert!(aws.addresses()[0].association_id().is_some());
    env.provider.delete(&eip).await.unwrap();
    assert_eq!(env.provider.read(&eip_node).await.unwrap(), None);
    env.provider.delete(&eip).await.unwrap();

    // An address allocated outside fgl is never read as the node's.
    env.ec2
        .allocate_address()
        .domain(aws_sdk_ec2::types::DomainType::Vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(env.provider.read(&eip_node).await.unwrap(), None);
}

/// What a no-op plan of a whole network costs: one discover (a Describe call per taggable
/// kind) plus one read per untaggable child, about one read call per resource.
#[tokio::test]
async fn a_no_op_plan_costs_about_one_read_per_resource() {
    let env = env().await;
    let p = &env.provider;
    let vpc_id = attr(&p.create(&vpc_node("shop")).await.unwrap(), "Id");
    let subnets = [
        p.create(&subnet_node("shop", &vpc_id, 0)).await.unwrap(),
        p.create(&subnet_node("shop", &vpc_id, 1)).await.unwrap(),
    ];
    let igw_id = attr(&p.create(&igw_node("shop")).await.unwrap(), "Id");
    let attach = attachment_node("shop", &vpc_id, &igw_id);
    p.create(&attach).await.unwrap();
    let table_id = attr(
        &p.create(&table_node("shop", "network/public-route-table", &vpc_id))
            .await
            .unwrap(),
        "Id",
    );
    let route = n(
        "shop",
        "network/public-route",
        "AWS::EC2::Route",
        None,
        json!({"RouteTableId": table_id, "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_id}),
    );
    p.create(&route).await.unwrap();
    let assoc = n(
        "shop",
        "network/public-subnet-0-route-table",
        "AWS::EC2::SubnetRouteTableAssociation",
        None,
        json!({"SubnetId": subnets[0].physical_id, "RouteTableId": table_id}),
    );
    p.create(&assoc).await.unwrap();
    let eip = n(
        "shop",
        "network/nat-ip-0",
        "AWS::EC2::EIP",
        Some("shop-network-nat-0"),
        json!({"Domain": "vpc"}),
    );
    let allocation = attr(&p.create(&eip).await.unwrap(), "AllocationId");
    let nat = n(
        "shop",
        "network/nat-gateway-0",
        "AWS::EC2::NatGateway",
        Some("shop-network-nat-0"),
        json!({"AllocationId": allocation, "SubnetId": subnets[0].physical_id}),
    );
    p.create(&nat).await.unwrap();
    let group = n(
        "shop",
        "web/security-group",
        "AWS::EC2::SecurityGroup",
        Some("shop-web"),
        json!({"GroupName": "shop-web", "GroupDescription": "tasks", "VpcId": vpc_id}),
    );
    let group_id = attr(&p.create(&group).await.unwrap(), "GroupId");
    let ingress = n(
        "shop",
        "lb/ingress/web",
        "AWS::EC2::SecurityGroupIngress",
        None,
        json!({"GroupId": group_id, "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
               "CidrIp": "10.0.0.0/16"}),
    );
    p.create(&ingress).await.unwrap();

    // The plan: discover, then read what discover cannot list.
    let calls = fgl_aws::CallLog::default();
    let config = config(&env._moto.url).await;
    let planner = AwsProvider::with_call_log(&config, calls.clone());
    let found = planner.discover("shop").await.unwrap();
    assert_eq!(found.len(), 8, "{found:?}");
    for child in [&attach, &route, &assoc, &ingress] {
        let live = planner.read(child).await.unwrap().expect("the child");
        assert!(live.owned_by("shop"), "{live:?}");
    }
    // The other services' listings (one each, empty here) are not the network's cost.
    let ec2_calls: Vec<_> = calls
        .calls()
        .into_iter()
        .filter(|c| c.service == "EC2")
        .collect();
    let writes = ec2_calls.iter().filter(|c| c.is_mutating()).count();
    let reads = ec2_calls.len() - writes;
    let resources = found.len() + 4;
    assert_eq!(writes, 0);
    // 7 Describe calls for the taggable kinds, 2 DescribeVpcAttribute for the VPC (its DNS
    // attributes), 4 reads: 13 calls for 12 resources.
    assert_eq!(reads, 13, "{ec2_calls:?}");
    assert_eq!(resources, 12);
}
