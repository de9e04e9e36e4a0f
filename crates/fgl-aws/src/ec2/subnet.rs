//! `AWS::EC2::Subnet`: CreateSubnet, ModifySubnetAttribute (public IPs on launch), tags,
//! DeleteSubnet. Subnets have no unique name: a node's subnet is the one tagged with its
//! stack and logical id.

use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Subnet, SubnetState};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map, Value};

use super::{
    identity_filters, label, live_id, not_in_place, owned_filters, pairs, required, tag_filter,
    tag_spec, the_one, update_tags, wait_for,
};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::Subnet";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // A subnet's network, range and zone are fixed at creation.
        create_only: vec![
            "VpcId".into(),
            "CidrBlock".into(),
            "AvailabilityZone".into(),
        ],
        defaults: vec![("MapPublicIpOnLaunch".into(), Value::Bool(false))],
        ..KindSpec::default()
    }
}

/// The subnet tagged as `node`'s, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let subnets = describe(client, &label, identity_filters(node)).await?;
    the_one(&label, "subnets", subnets, Subnet::subnet_id)?
        .map(|s| live(&label, &s))
        .transpose()
}

/// Every subnet tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let subnets = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    subnets.iter().map(|s| live(&label, s)).collect()
}

/// Creates the subnet (or adopts the one an earlier attempt created), waits until it is
/// available and sets its public-IP attribute.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let existing = describe(client, &label, owned_filters(node)).await?;
    let subnet_id = match the_one(&label, "subnets", existing, Subnet::subnet_id)? {
        Some(subnet) => physical_id(&label, &subnet)?,
        None => {
            let props = &node.properties;
            let mut call = client
                .create_subnet()
                .vpc_id(required(&label, props, "VpcId")?)
                .cidr_block(required(&label, props, "CidrBlock")?)
                .tag_specifications(tag_spec(node, ResourceType::Subnet));
            if let Some(zone) = props.get("AvailabilityZone").and_then(Value::as_str) {
                call = call.availability_zone(zone);
            }
            let out = call
                .send()
                .await
                .map_err(|e| sdk(&label, "CreateSubnet", e))?;
            let subnet = out.subnet().ok_or_else(|| {
                ProviderError::hard(format!("{label}: CreateSubnet returned no subnet"))
            })?;
            physical_id(&label, subnet)?
        }
    };
    wait_for(&label, "available", || async {
        let subnet = by_physical_id(client, &label, &subnet_id).await?;
        Ok((subnet.state() != Some(&SubnetState::Pending)).then_some(()))
    })
    .await?;
    set_public_ips(client, &label, &subnet_id, node).await?;
    let subnet = by_physical_id(client, &label, &subnet_id).await?;
    live(&label, &subnet)
}

/// Changes `MapPublicIpOnLaunch` and tags in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_subnet: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let subnet_id = live_subnet.physical_id.as_str();
    for field in update_tags(client, &label, subnet_id, node, fields).await? {
        match field {
            "MapPublicIpOnLaunch" => set_public_ips(client, &label, subnet_id, node).await?,
            other => return Err(not_in_place(&label, other)),
        }
    }
    let subnet = by_physical_id(client, &label, subnet_id).await?;
    live(&label, &subnet)
}

/// Deletes the subnet; one already gone is success. Network interfaces still in it (a
/// NAT gateway or tasks being torn down) fail with DependencyViolation, which is retryable.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    match client
        .delete_subnet()
        .subnet_id(&live.physical_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("InvalidSubnetID.NotFound") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteSubnet", e)),
    }
}

/// Sets `MapPublicIpOnLaunch` to what the node asks for (off when it asks nothing).
async fn set_public_ips(
    client: &Client,
    label: &str,
    subnet_id: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    let wanted = node
        .properties
        .get("MapPublicIpOnLaunch")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    client
        .modify_subnet_attribute()
        .subnet_id(subnet_id)
        .map_public_ip_on_launch(AttributeBooleanValue::builder().value(wanted).build())
        .send()
        .await
        .map_err(|e| sdk(label, "ModifySubnetAttribute", e))?;
    Ok(())
}

async fn by_physical_id(
    client: &Client,
    label: &str,
    subnet_id: &str,
) -> Result<Subnet, ProviderError> {
    let out = client
        .describe_subnets()
        .subnet_ids(subnet_id)
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeSubnets", e))?;
    out.subnets().first().cloned().ok_or_else(|| {
        // Just created and not visible yet: eventual consistency.
        ProviderError::retryable(format!(
            "{label}: DescribeSubnets: {subnet_id} not found yet"
        ))
    })
}

/// Every subnet matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<Filter>,
) -> Result<Vec<Subnet>, ProviderError> {
    let mut pages = client
        .describe_subnets()
        .set_filters(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(subnet) = pages.next().await {
        out.push(subnet.map_err(|e| sdk(label, "DescribeSubnets", e))?);
    }
    Ok(out)
}

fn physical_id(label: &str, subnet: &Subnet) -> Result<String, ProviderError> {
    subnet
        .subnet_id()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::hard(format!("{label}: AWS returned a subnet without an id")))
}

fn live(label: &str, subnet: &Subnet) -> Result<Live, ProviderError> {
    let subnet_id = physical_id(label, subnet)?;
    let tags = tags::to_map(pairs(subnet.tags()));
    let mut properties = Map::new();
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(subnet_id));
    attrs.insert("SubnetId".into(), json!(subnet_id));
    if let Some(vpc) = subnet.vpc_id() {
        properties.insert("VpcId".into(), json!(vpc));
        attrs.insert("VpcId".into(), json!(vpc));
    }
    if let Some(cidr) = subnet.cidr_block() {
        properties.insert("CidrBlock".into(), json!(cidr));
    }
    if let Some(zone) = subnet.availability_zone() {
        properties.insert("AvailabilityZone".into(), json!(zone));
        attrs.insert("AvailabilityZone".into(), json!(zone));
    }
    properties.insert(
        "MapPublicIpOnLaunch".into(),
        json!(subnet.map_public_ip_on_launch().unwrap_or(false)),
    );
    Ok(Live {
        id: live_id(&tags, &subnet_id),
        kind: KIND.to_string(),
        physical_id: subnet_id,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
