//! `AWS::EC2::VPC`: CreateVpc, ModifyVpcAttribute (DNS support and hostnames), tags,
//! DeleteVpc. VPCs have no unique name, so a node's VPC is the one tagged with its stack and
//! logical id.

use aws_sdk_ec2::types::{
    AttributeBooleanValue, ResourceType, TagSpecification, Vpc, VpcAttributeName,
};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map, Value};

use super::{not_in_place, pairs, tag, tag_filter, update_tags};
use crate::error::sdk;
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::VPC";

/// What AWS does when fgl leaves a DNS attribute out (CloudFormation's defaults).
const DNS_SUPPORT_DEFAULT: bool = true;
const DNS_HOSTNAMES_DEFAULT: bool = false;

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // A VPC's primary CIDR block is fixed at creation.
        create_only: vec!["CidrBlock".into()],
        defaults: vec![
            ("EnableDnsSupport".into(), Value::Bool(DNS_SUPPORT_DEFAULT)),
            (
                "EnableDnsHostnames".into(),
                Value::Bool(DNS_HOSTNAMES_DEFAULT),
            ),
        ],
        ..KindSpec::default()
    }
}

/// The VPC of `node`: tagged with its logical id and, when the node names one, its stack.
/// The stack is part of the identity because two stacks may both have a `network/vpc`.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if node.lookup {
        return Err(ProviderError::hard(format!(
            "{label}: not supported yet: looking up an existing VPC"
        )));
    }
    let stack = node.tags.get(STACK_TAG).and_then(Value::as_str);
    find(client, &label, stack, &node.id).await
}

/// Every VPC tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let vpcs = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    let mut out = Vec::with_capacity(vpcs.len());
    for vpc in &vpcs {
        out.push(live(client, &label, vpc).await?);
    }
    Ok(out)
}

/// Creates the VPC, or adopts the one an earlier attempt created: the engine retries a
/// create that failed retryably, and a failure after CreateVpc (setting a DNS attribute)
/// must not leave a second, untracked VPC behind.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let cidr = node
        .properties
        .get("CidrBlock")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ProviderError::hard(format!("{label}: CidrBlock is missing or not a string"))
        })?;
    let vpc_id = match find_vpcs(client, &label, Some(&node.stack), &node.id)
        .await?
        .into_iter()
        .next()
    {
        Some(existing) => physical_id(&label, &existing)?,
        None => {
            let spec = TagSpecification::builder()
                .resource_type(ResourceType::Vpc)
                .set_tags(Some(
                    tags::desired(node).iter().map(|(k, v)| tag(k, v)).collect(),
                ))
                .build();
            let out = client
                .create_vpc()
                .cidr_block(cidr)
                .tag_specifications(spec)
                .send()
                .await
                .map_err(|e| sdk(&label, "CreateVpc", e))?;
            let vpc = out.vpc().ok_or_else(|| {
                ProviderError::hard(format!("{label}: CreateVpc returned no VPC"))
            })?;
            physical_id(&label, vpc)?
        }
    };
    set_desired_dns(client, &label, &vpc_id, node).await?;
    by_physical_id(client, &label, &vpc_id).await
}

/// Sets both DNS attributes to what the node asks for (AWS's defaults where it asks nothing).
async fn set_desired_dns(
    client: &Client,
    label: &str,
    vpc_id: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    set_dns(
        client,
        label,
        vpc_id,
        dns(&node.properties, "EnableDnsSupport", DNS_SUPPORT_DEFAULT),
        dns(
            &node.properties,
            "EnableDnsHostnames",
            DNS_HOSTNAMES_DEFAULT,
        ),
    )
    .await
}

/// Changes `fields` in place: the DNS attributes and tags (`Tags.<key>`).
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let vpc_id = live.physical_id.as_str();
    let mut dns_changed = false;
    for field in fields.iter().filter(|f| !tags::is_tag(f)) {
        match field.as_str() {
            "EnableDnsSupport" | "EnableDnsHostnames" => dns_changed = true,
            f => return Err(not_in_place(&label, f)),
        }
    }
    if dns_changed {
        set_desired_dns(client, &label, vpc_id, node).await?;
    }
    update_tags(client, &label, vpc_id, node, fields).await?;
    by_physical_id(client, &label, vpc_id).await
}

/// Deletes the VPC; one already gone is success. A VPC still holding subnets or network
/// interfaces fails with DependencyViolation, which is retryable: those are usually being
/// deleted too.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    match client.delete_vpc().vpc_id(&live.physical_id).send().await {
        Ok(_) => Ok(()),
        Err(e) if crate::error::code_of(&e) == Some("InvalidVpcID.NotFound") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteVpc", e)),
    }
}

/// The one VPC tagged with `id` (and `stack`); more than one is an error for a human to
/// resolve, since fgl cannot tell which is the real one.
async fn find(
    client: &Client,
    label: &str,
    stack: Option<&str>,
    id: &str,
) -> Result<Option<Live>, ProviderError> {
    let vpcs = find_vpcs(client, label, stack, id).await?;
    match vpcs.as_slice() {
        [] => Ok(None),
        [vpc] => live(client, label, vpc).await.map(Some),
        many => Err(ProviderError::hard(format!(
            "{label}: {} VPCs are tagged {ID_TAG}={id}: {}; delete all but one",
            many.len(),
            many.iter()
                .filter_map(Vpc::vpc_id)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

async fn find_vpcs(
    client: &Client,
    label: &str,
    stack: Option<&str>,
    id: &str,
) -> Result<Vec<Vpc>, ProviderError> {
    let mut filters = vec![tag_filter(ID_TAG, id)];
    if let Some(stack) = stack {
        filters.push(tag_filter(STACK_TAG, stack));
    }
    describe(client, label, filters).await
}

async fn by_physical_id(client: &Client, label: &str, vpc_id: &str) -> Result<Live, ProviderError> {
    let out = client
        .describe_vpcs()
        .vpc_ids(vpc_id)
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeVpcs", e))?;
    match out.vpcs().first() {
        Some(vpc) => live(client, label, vpc).await,
        // Just created or changed, and not visible yet: eventual consistency.
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeVpcs: {vpc_id} not found yet"
        ))),
    }
}

/// Every VPC matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<aws_sdk_ec2::types::Filter>,
) -> Result<Vec<Vpc>, ProviderError> {
    let mut pages = client
        .describe_vpcs()
        .set_filters(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(vpc) = pages.next().await {
        out.push(vpc.map_err(|e| sdk(label, "DescribeVpcs", e))?);
    }
    Ok(out)
}

fn physical_id(label: &str, vpc: &Vpc) -> Result<String, ProviderError> {
    vpc.vpc_id()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::hard(format!("{label}: AWS returned a VPC without an id")))
}

/// A VPC as the engine sees it: the DNS attributes are not part of DescribeVpcs, so each
/// costs a DescribeVpcAttribute call.
async fn live(client: &Client, label: &str, vpc: &Vpc) -> Result<Live, ProviderError> {
    let vpc_id = physical_id(label, vpc)?;
    let support = attribute(client, label, &vpc_id, VpcAttributeName::EnableDnsSupport).await?;
    let hostnames = attribute(client, label, &vpc_id, VpcAttributeName::EnableDnsHostnames).await?;
    let tags = tags::to_map(pairs(vpc.tags()));
    let mut properties = Map::new();
    if let Some(cidr) = vpc.cidr_block() {
        properties.insert("CidrBlock".into(), json!(cidr));
    }
    properties.insert("EnableDnsSupport".into(), json!(support));
    properties.insert("EnableDnsHostnames".into(), json!(hostnames));
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(vpc_id));
    attrs.insert("VpcId".into(), json!(vpc_id));
    if let Some(cidr) = vpc.cidr_block() {
        attrs.insert("CidrBlock".into(), json!(cidr));
    }
    Ok(Live {
        // An owned VPC without `fgl:id` (tags edited by hand) is still listed, under its
        // physical id, so that destroy can remove it.
        id: crate::tags::logical_id(&tags, &vpc_id),
        kind: KIND.to_string(),
        physical_id: vpc_id,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}

async fn attribute(
    client: &Client,
    label: &str,
    vpc_id: &str,
    name: VpcAttributeName,
) -> Result<bool, ProviderError> {
    let out = client
        .describe_vpc_attribute()
        .vpc_id(vpc_id)
        .attribute(name.clone())
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeVpcAttribute", e))?;
    let value = match name {
        VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
        _ => out.enable_dns_support(),
    };
    value.and_then(AttributeBooleanValue::value).ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: DescribeVpcAttribute returned no value for {name}"
        ))
    })
}

/// A DNS attribute as the node asks for it.
fn dns(properties: &Map<String, Value>, field: &str, default: bool) -> bool {
    properties
        .get(field)
        .and_then(Value::as_bool)
        .unwrap_or(default)
}

/// Sets both DNS attributes, one ModifyVpcAttribute call each (AWS takes one per call). AWS
/// refuses DNS hostnames without DNS support, so support goes on first and off last.
async fn set_dns(
    client: &Client,
    label: &str,
    vpc_id: &str,
    support: bool,
    hostnames: bool,
) -> Result<(), ProviderError> {
    let steps = if support {
        [(true, support), (false, hostnames)]
    } else {
        [(false, hostnames), (true, support)]
    };
    for (is_support, value) in steps {
        let flag = AttributeBooleanValue::builder().value(value).build();
        let call = client.modify_vpc_attribute().vpc_id(vpc_id);
        let call = if is_support {
            call.enable_dns_support(flag)
        } else {
            call.enable_dns_hostnames(flag)
        };
        call.send()
            .await
            .map_err(|e| sdk(label, "ModifyVpcAttribute", e))?;
    }
    Ok(())
}
