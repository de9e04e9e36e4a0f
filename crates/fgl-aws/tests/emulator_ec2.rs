//! The EC2 network kinds end to end (subnets, gateways, routes, addresses, NAT, security
//! groups): the real SDK against moto in server mode on 127.0.0.1, each test with its own
//! moto. Nodes are shaped like the lowered snapshots (`tests/examples/*.lowered.expected`)
//! with their references resolved.

mod common;

use aws_sdk_ec2::types::Filter;
use common::check::{self, create_checked, delete_twice, update_checked};
use common::nodes::{self, network as n};
use common::sdk;
use fgl_aws::AwsProvider;
use fgl_plan::{ErrorClass, Live, Provider, Resolved, ID_TAG, STACK_TAG};
use serde_json::json;

/// Each test's own moto.
type Env = common::Emulator;

async fn env() -> Env {
    common::start().await
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

/// `node` of a taggable kind: not there yet, then `create_checked`; a retried create adopts
/// it, and discover lists it under its attribute `id_attr` (its physical id) for its stack
/// only. Returns it and that id.
async fn create_listed(env: &Env, node: &Resolved, id_attr: &str) -> (Live, String) {
    assert_eq!(env.provider.read(node).await.unwrap(), None);
    let live = create_checked(&env.provider, node).await;
    let id = attr(&live, id_attr);
    assert_eq!(env.provider.create(node).await.unwrap().physical_id, id);
    assert_eq!(
        discovered(env, &node.stack, &node.kind).await,
        [(node.id.clone(), id.clone())]
    );
    assert!(discovered(env, "other", &node.kind).await.is_empty());
    (live, id)
}

/// `check::retag`, and AWS has the tag on `id`.
async fn retag(env: &Env, node: &Resolved, live: &Live, id: &str, key: &str, value: &str) -> Live {
    let updated = check::retag(&env.provider, node, live, key, value).await;
    assert_eq!(aws_tag(env, id, key).await.as_deref(), Some(value));
    updated
}

fn attr(live: &Live, name: &str) -> String {
    live.attrs[name]
        .as_str()
        .expect("a string attribute")
        .to_string()
}

fn subnet_node(stack: &str, vpc: &str, i: u8) -> Resolved {
    let (id, name) = (
        format!("network/public-subnet-{i}"),
        format!("shop-network-public-{i}"),
    );
    let properties = json!({"VpcId": vpc, "CidrBlock": format!("10.0.{}.0/20", i * 16),
        "AvailabilityZone": "us-east-1a", "MapPublicIpOnLaunch": true});
    n(stack, &id, "AWS::EC2::Subnet", Some(&name), properties)
}

fn igw_node(stack: &str) -> Resolved {
    let (id, kind) = ("network/internet-gateway", "AWS::EC2::InternetGateway");
    n(stack, id, kind, Some("shop-network-igw"), json!({}))
}

fn attachment_node(stack: &str, vpc: &str, igw: &str) -> Resolved {
    let (id, kind) = (
        "network/internet-gateway-attachment",
        "AWS::EC2::VPCGatewayAttachment",
    );
    let properties = json!({"VpcId": vpc, "InternetGatewayId": igw});
    n(stack, id, kind, None, properties)
}

fn table_node(stack: &str, id: &str, vpc: &str) -> Resolved {
    let properties = json!({"VpcId": vpc});
    n(
        stack,
        id,
        "AWS::EC2::RouteTable",
        Some("shop-network-public"),
        properties,
    )
}

/// The route `id` of `table` to the internet through `target` (`GatewayId` or
/// `NatGatewayId`) `to`.
fn route_node(stack: &str, id: &str, table: &str, (target, to): (&str, &str)) -> Resolved {
    let mut properties = json!({"RouteTableId": table, "DestinationCidrBlock": "0.0.0.0/0"});
    properties[target] = json!(to);
    n(stack, id, "AWS::EC2::Route", None, properties)
}

fn assoc_node(stack: &str, subnet: &str, table: &str) -> Resolved {
    let (id, kind) = (
        "network/public-subnet-0-route-table",
        "AWS::EC2::SubnetRouteTableAssociation",
    );
    let properties = json!({"SubnetId": subnet, "RouteTableId": table});
    n(stack, id, kind, None, properties)
}

fn eip_node(stack: &str) -> Resolved {
    let properties = json!({"Domain": "vpc"});
    n(
        stack,
        "network/nat-ip-0",
        "AWS::EC2::EIP",
        Some("shop-network-nat-0"),
        properties,
    )
}

fn nat_node(stack: &str, allocation: &str, subnet: &str) -> Resolved {
    let (id, kind) = ("network/nat-gateway-0", "AWS::EC2::NatGateway");
    let properties = json!({"AllocationId": allocation, "SubnetId": subnet});
    n(stack, id, kind, Some("shop-network-nat-0"), properties)
}

/// The shop's VPC, its first public subnet and an internet gateway attached to the VPC,
/// created through the provider: the VPC's id, the subnet and the gateway's id.
async fn public_network(env: &Env) -> (String, Live, String) {
    let vpc_id = attr(
        &env.provider.create(&nodes::vpc("shop")).await.unwrap(),
        "Id",
    );
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
    (vpc_id, subnet, igw_id)
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

/// The address `allocation` as AWS has it.
async fn aws_address(env: &Env, allocation: &str) -> aws_sdk_ec2::types::Address {
    let out = env
        .ec2
        .describe_addresses()
        .allocation_ids(allocation)
        .send()
        .await
        .unwrap();
    out.addresses()[0].clone()
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

#[tokio::test]
async fn subnets() {
    let env = env().await;
    let vpc = env.provider.create(&nodes::vpc("shop")).await.unwrap();
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

    // Created (a retried create adopts it), listed for the shop only.
    let (live, subnet_id) = create_listed(&env, &node, "Id").await;
    assert!(live.physical_id.starts_with("subnet-"));
    assert_ne!(live.physical_id, outside_id);
    assert_eq!(live.properties["CidrBlock"], json!("10.0.0.0/20"));
    assert_eq!(live.properties["MapPublicIpOnLaunch"], json!(true));
    assert_eq!(live.properties["AvailabilityZone"], json!("us-east-1a"));
    assert_eq!(subnet_id, live.physical_id);

    // In place: public IPs off, a tag.
    let mut changed = node.clone();
    changed
        .properties
        .insert("MapPublicIpOnLaunch".into(), json!(false));
    changed.tags.insert("Team".into(), json!("net"));
    let fields = ["MapPublicIpOnLaunch", "Tags.Team"].map(String::from);
    let updated = update_checked(&env.provider, &changed, &live, &fields).await;
    let aws = env
        .ec2
        .describe_subnets()
        .subnet_ids(&live.physical_id)
        .send()
        .await
        .unwrap();
    let subnet = &aws.subnets()[0];
    assert_eq!(subnet.map_public_ip_on_launch(), Some(false));
    let tags = subnet.tags().iter().map(|t| (t.key(), t.value()));
    assert!(sdk::has_tag(tags, "Team", "net"));
    let spec = env.provider.spec("AWS::EC2::Subnet");
    assert!(spec.forces_replace("CidrBlock") && spec.forces_replace("AvailabilityZone"));

    delete_twice(&env.provider, &updated, &node).await;
}

#[tokio::test]
async fn internet_gateway_and_attachment() {
    let env = env().await;
    let vpc_id = attr(
        &env.provider.create(&nodes::vpc("shop")).await.unwrap(),
        "Id",
    );
    let node = igw_node("shop");
    let (igw, igw_id) = create_listed(&env, &node, "Id").await;
    assert!(igw_id.starts_with("igw-"));

    // The attachment: read through the gateway, owned because the gateway is.
    let attach = attachment_node("shop", &vpc_id, &igw_id);
    assert_eq!(env.provider.read(&attach).await.unwrap(), None);
    let attached = create_checked(&env.provider, &attach).await;
    assert_eq!(attached.tags[STACK_TAG], json!("shop"));
    assert_eq!(attached.tags[ID_TAG], json!(attach.id));
    // Retried: adopted, not attached twice.
    assert_eq!(env.provider.create(&attach).await.unwrap(), attached);
    // Untaggable kinds are not discovered: they are read.
    assert!(discovered(&env, "shop", "AWS::EC2::VPCGatewayAttachment")
        .await
        .is_empty());

    // Tags change in place.
    let updated = retag(&env, &node, &igw, &igw_id, "Name", "renamed").await;
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
    let (vpc_id, subnet, igw_id) = public_network(&env).await;

    let table_node = table_node("shop", "network/public-route-table", &vpc_id);
    let (table, table_id) = create_listed(&env, &table_node, "Id").await;
    assert!(table_id.starts_with("rtb-"));

    // The route to the internet gateway.
    let route_node = route_node(
        "shop",
        "network/public-route",
        &table_id,
        ("GatewayId", &igw_id),
    );
    assert_eq!(env.provider.read(&route_node).await.unwrap(), None);
    let route = create_checked(&env.provider, &route_node).await;
    assert_eq!(route.properties["GatewayId"], json!(igw_id));
    assert_eq!(route.tags[STACK_TAG], json!("shop"));
    // Retried: the route already there is kept.
    assert_eq!(env.provider.create(&route_node).await.unwrap(), route);

    // The subnet's association.
    let assoc_node = assoc_node("shop", &subnet.physical_id, &table_id);
    assert_eq!(env.provider.read(&assoc_node).await.unwrap(), None);
    let assoc = create_checked(&env.provider, &assoc_node).await;
    assert!(assoc.physical_id.starts_with("rtbassoc-"), "{assoc:?}");
    assert_eq!(env.provider.create(&assoc_node).await.unwrap(), assoc);

    // Table tags in place; its VPC is create-only.
    let updated = retag(&env, &table_node, &table, &table_id, "Tier", "public").await;
    assert!(env
        .provider
        .spec("AWS::EC2::RouteTable")
        .forces_replace("VpcId"));

    // Route and association deleted by themselves, twice.
    delete_twice(&env.provider, &route, &route_node).await;
    delete_twice(&env.provider, &assoc, &assoc_node).await;

    // Deleting a table removes its associations first.
    env.provider.create(&assoc_node).await.unwrap();
    delete_twice(&env.provider, &updated, &table_node).await;
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
    let (vpc_id, subnet, igw_id) = public_network(&env).await;

    // The address.
    let eip_node = eip_node("shop");
    let (eip, allocation) = create_listed(&env, &eip_node, "AllocationId").await;
    assert!(allocation.starts_with("eipalloc-"));
    let eip = check::retag(&env.provider, &eip_node, &eip, "Name", "nat-ip").await;
    let address = aws_address(&env, &allocation).await;
    let tags = address.tags().iter().map(|t| (t.key(), t.value()));
    assert!(sdk::has_tag(tags, "Name", "nat-ip"));

    // The NAT gateway on it.
    let nat_node = nat_node("shop", &allocation, &subnet.physical_id);
    let (nat, nat_id) = create_listed(&env, &nat_node, "Id").await;
    assert!(nat_id.starts_with("nat-"));
    let nat = retag(&env, &nat_node, &nat, &nat_id, "Team", "net").await;

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
    let route_node = route_node(
        "shop",
        "network/private-route-0",
        &table_id,
        ("NatGatewayId", &nat_id),
    );
    let route = create_checked(&env.provider, &route_node).await;
    assert_eq!(route.properties["NatGatewayId"], json!(nat_id));
    let mut to_igw = route_node.clone();
    to_igw.properties.remove("NatGatewayId");
    to_igw.properties.insert("GatewayId".into(), json!(igw_id));
    let fields = ["NatGatewayId", "GatewayId"].map(String::from);
    update_checked(&env.provider, &to_igw, &route, &fields).await;
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
    let address = aws_address(&env, &allocation).await;
    assert!(address.association_id().is_some());
    delete_twice(&env.provider, &eip, &eip_node).await;

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
/// kind); the untaggable children are read from what it listed.
#[tokio::test]
async fn a_no_op_plan_costs_about_one_read_per_resource() {
    let env = env().await;
    let p = &env.provider;
    let (vpc_id, subnet, igw_id) = public_network(&env).await;
    p.create(&subnet_node("shop", &vpc_id, 1)).await.unwrap();
    let attach = attachment_node("shop", &vpc_id, &igw_id);
    let table_id = attr(
        &p.create(&table_node("shop", "network/public-route-table", &vpc_id))
            .await
            .unwrap(),
        "Id",
    );
    let route = route_node(
        "shop",
        "network/public-route",
        &table_id,
        ("GatewayId", &igw_id),
    );
    p.create(&route).await.unwrap();
    let assoc = assoc_node("shop", &subnet.physical_id, &table_id);
    p.create(&assoc).await.unwrap();
    let allocation = attr(&p.create(&eip_node("shop")).await.unwrap(), "AllocationId");
    p.create(&nat_node("shop", &allocation, &subnet.physical_id))
        .await
        .unwrap();
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
    let planner = AwsProvider::with_call_log(&env.config, calls.clone());
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
    // 7 Describe calls for the taggable kinds and 2 DescribeVpcAttribute for the VPC (its DNS
    // attributes); the 4 children's reads are answered from what discover listed: 9 calls
    // for 12 resources.
    assert_eq!(reads, 9, "{ec2_calls:?}");
    assert_eq!(resources, 12);
}
