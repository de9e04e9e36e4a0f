//! `AWS::EC2::VPCGatewayAttachment` (internet gateways): AttachInternetGateway,
//! DetachInternetGateway. Untaggable: found among the gateway's attachments and owned when
//! the gateway is.

use aws_sdk_ec2::types::{AttachmentStatus, InternetGateway};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map};

use super::internet_gateway::by_physical_id;
use super::{child, label, nothing_in_place, required, visible};
use crate::error::{code_of, sdk};

pub(crate) const KIND: &str = "AWS::EC2::VPCGatewayAttachment";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // An attachment is only its two ends: another VPC or gateway is another attachment.
        create_only: vec!["VpcId".into(), "InternetGatewayId".into()],
        ..KindSpec::default()
    }
}

/// The attachment of the node's gateway to its VPC, if the gateway is attached there (or
/// attaching). One DescribeInternetGateways call.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let igw_id = required(&label, &node.properties, "InternetGatewayId")?;
    match by_physical_id(client, &label, igw_id).await? {
        Some(igw) => in_gateway(node, &igw),
        None => Ok(None),
    }
}

/// The node's attachment among those of `igw`, its `InternetGatewayId`: what `read` and the
/// snapshot answer.
pub(crate) fn in_gateway(
    node: &Resolved,
    igw: &InternetGateway,
) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let igw_id = required(&label, &node.properties, "InternetGatewayId")?;
    let vpc_id = required(&label, &node.properties, "VpcId")?;
    let attached = igw.attachments().iter().any(|a| {
        a.vpc_id() == Some(vpc_id)
            && !matches!(
                a.state(),
                Some(AttachmentStatus::Detaching | AttachmentStatus::Detached)
            )
    });
    if !attached {
        return Ok(None);
    }
    let mut properties = Map::new();
    properties.insert("VpcId".into(), json!(vpc_id));
    properties.insert("InternetGatewayId".into(), json!(igw_id));
    let physical_id = format!("{igw_id}|{vpc_id}");
    Ok(Some(child(node, KIND, physical_id, properties, igw.tags())))
}

/// Attaches the gateway; one already attached to this VPC (an earlier attempt) is adopted.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    if let Some(existing) = read(client, node).await? {
        return Ok(existing);
    }
    client
        .attach_internet_gateway()
        .internet_gateway_id(required(&label, &node.properties, "InternetGatewayId")?)
        .vpc_id(required(&label, &node.properties, "VpcId")?)
        .send()
        .await
        .map_err(|e| sdk(&label, "AttachInternetGateway", e))?;
    visible(&label, "attachment", read(client, node).await?)
}

/// Nothing changes in place: both ends are create-only.
pub(crate) async fn update(
    _client: &Client,
    node: &Resolved,
    _live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    nothing_in_place(KIND, node, fields)
}

/// Detaches the gateway from the VPC; an attachment already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let igw_id = required(&label, &live.properties, "InternetGatewayId")?;
    let vpc_id = required(&label, &live.properties, "VpcId")?;
    detach(client, &label, igw_id, vpc_id).await
}

/// Detaches `igw_id` from `vpc_id`. Public addresses still mapped in the VPC (a NAT gateway
/// being deleted) fail with DependencyViolation, which is retryable.
pub(crate) async fn detach(
    client: &Client,
    label: &str,
    igw_id: &str,
    vpc_id: &str,
) -> Result<(), ProviderError> {
    match client
        .detach_internet_gateway()
        .internet_gateway_id(igw_id)
        .vpc_id(vpc_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                code_of(&e),
                Some(
                    "Gateway.NotAttached"
                        | "InvalidInternetGatewayID.NotFound"
                        | "InvalidVpcID.NotFound"
                )
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(sdk(label, "DetachInternetGateway", e)),
    }
}
