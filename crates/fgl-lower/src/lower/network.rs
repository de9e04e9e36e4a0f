//! `Network` → a VPC, an internet gateway, a public subnet per zone with a route to the
//! gateway, and, with NAT, a private subnet per zone routed through one NAT gateway (`single`)
//! or one per zone (`per_az`). Subnet `i` of the VPC's 16 equal parts is zone `i`'s public
//! subnet; part `8 + i` its private one.

use serde_json::json;

use super::{names, Cx, Owner};
use crate::cidr::Cidr;
use crate::graph::{az, reference};
use crate::model::{Kind, Nat, Network};

/// The subnets containers and load balancers are placed in (node ids), and the VPC.
#[derive(Clone, Debug, Default)]
pub struct Subnets {
    pub vpc: String,
    pub cidr: String,
    pub public: Vec<String>,
    pub private: Vec<String>,
}

pub fn lower(cx: &mut Cx<'_>, network: &Network<'_>) -> Subnets {
    let owner = Owner::of(network.res, Kind::Network);
    let stack = cx.stack;
    let label = |part: &str| {
        Some(names::derive(
            &format!("{stack}-{}-{part}", owner.id),
            names::SECURITY_GROUP,
        ))
    };
    // The rules accepted the block; a fallback keeps lowering total.
    let cidr = Cidr::parse(network.cidr).unwrap_or(Cidr {
        addr: 10 << 24,
        prefix: 16,
    });
    let zones = usize::try_from(network.az_count).unwrap_or(1).clamp(1, 6);

    let vpc = cx.add(
        owner,
        "vpc",
        "AWS::EC2::VPC",
        Some(names::base(stack, owner.id).replace('.', "-")),
        json!({ "CidrBlock": cidr.to_string(), "EnableDnsSupport": true, "EnableDnsHostnames": true }),
    );
    let igw = cx.add(
        owner,
        "internet-gateway",
        "AWS::EC2::InternetGateway",
        label("igw"),
        json!({}),
    );
    let attachment = cx.add(
        owner,
        "internet-gateway-attachment",
        "AWS::EC2::VPCGatewayAttachment",
        None,
        json!({ "VpcId": reference(&vpc, "Id"), "InternetGatewayId": reference(&igw, "Id") }),
    );
    let public_table = cx.add(
        owner,
        "public-route-table",
        "AWS::EC2::RouteTable",
        label("public"),
        json!({ "VpcId": reference(&vpc, "Id") }),
    );
    let route = cx.add(
        owner,
        "public-route",
        "AWS::EC2::Route",
        None,
        json!({
            "RouteTableId": reference(&public_table, "Id"),
            "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": reference(&igw, "Id"),
        }),
    );
    cx.depend(&route, &attachment);

    let mut public = Vec::new();
    for i in 0..zones {
        let subnet = cx.add(
            owner,
            &format!("public-subnet-{i}"),
            "AWS::EC2::Subnet",
            label(&format!("public-{i}")),
            json!({
                "VpcId": reference(&vpc, "Id"),
                "CidrBlock": cidr.subnet(i as u32).to_string(),
                "AvailabilityZone": az(i),
                "MapPublicIpOnLaunch": true,
            }),
        );
        cx.add(
            owner,
            &format!("public-subnet-{i}-route-table"),
            "AWS::EC2::SubnetRouteTableAssociation",
            None,
            json!({ "SubnetId": reference(&subnet, "Id"), "RouteTableId": reference(&public_table, "Id") }),
        );
        public.push(subnet);
    }

    let mut private = Vec::new();
    if network.nat != Nat::None {
        let gateways = if network.nat == Nat::Single { 1 } else { zones };
        let mut nats = Vec::new();
        for (j, subnet) in public.iter().take(gateways).enumerate() {
            let eip = cx.add(
                owner,
                &format!("nat-ip-{j}"),
                "AWS::EC2::EIP",
                label(&format!("nat-{j}")),
                json!({ "Domain": "vpc" }),
            );
            cx.depend(&eip, &attachment);
            let nat = cx.add(
                owner,
                &format!("nat-gateway-{j}"),
                "AWS::EC2::NatGateway",
                label(&format!("nat-{j}")),
                json!({ "AllocationId": reference(&eip, "AllocationId"), "SubnetId": reference(subnet, "Id") }),
            );
            nats.push(nat);
        }
        for i in 0..zones {
            let subnet = cx.add(
                owner,
                &format!("private-subnet-{i}"),
                "AWS::EC2::Subnet",
                label(&format!("private-{i}")),
                json!({
                    "VpcId": reference(&vpc, "Id"),
                    "CidrBlock": cidr.subnet(8 + i as u32).to_string(),
                    "AvailabilityZone": az(i),
                    "MapPublicIpOnLaunch": false,
                }),
            );
            let table = cx.add(
                owner,
                &format!("private-route-table-{i}"),
                "AWS::EC2::RouteTable",
                label(&format!("private-{i}")),
                json!({ "VpcId": reference(&vpc, "Id") }),
            );
            let nat = &nats[i.min(nats.len() - 1)];
            cx.add(
                owner,
                &format!("private-route-{i}"),
                "AWS::EC2::Route",
                None,
                json!({
                    "RouteTableId": reference(&table, "Id"),
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": reference(nat, "Id"),
                }),
            );
            cx.add(
                owner,
                &format!("private-subnet-{i}-route-table"),
                "AWS::EC2::SubnetRouteTableAssociation",
                None,
                json!({ "SubnetId": reference(&subnet, "Id"), "RouteTableId": reference(&table, "Id") }),
            );
            private.push(subnet);
        }
    }
    Subnets {
        vpc,
        cidr: cidr.to_string(),
        public,
        private,
    }
}
