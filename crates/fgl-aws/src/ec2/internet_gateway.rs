//! `AWS::EC2::InternetGateway`: CreateInternetGateway, tags, DeleteInternetGateway (detached
//! from its VPCs first). Found by its stack and logical id tags.

use aws_sdk_ec2::types::{Filter, InternetGateway, ResourceType};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map};

use super::{
    identity_filters, label, live_id, not_in_place, owned_filters, pairs, tag_filter, tag_spec,
    the_one, update_tags,
};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::InternetGateway";

const NOT_FOUND: &str = "InvalidInternetGatewayID.NotFound";

pub(crate) fn spec() -> KindSpec {
    KindSpec::default()
}

/// The gateway tagged as `node`'s, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let igws = describe(client, &label, identity_filters(node)).await?;
    the_one(
        &label,
        "internet gateways",
        igws,
        InternetGateway::internet_gateway_id,
    )?
    .map(|g| live(&label, &g))
    .transpose()
}

/// Every internet gateway tagged `fgl:stack=<stack>`.
/// Also returns them as listed, for the snapshot.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
) -> Result<(Vec<Live>, Vec<InternetGateway>), ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let igws = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    let lives = igws
        .iter()
        .map(|g| live(&label, g))
        .collect::<Result<_, _>>()?;
    Ok((lives, igws))
}

/// Creates the gateway, or adopts the one an earlier attempt created.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let existing = describe(client, &label, owned_filters(node)).await?;
    if let Some(igw) = the_one(&label, "internet gateways", existing, |g| {
        g.internet_gateway_id()
    })? {
        return live(&label, &igw);
    }
    let out = client
        .create_internet_gateway()
        .tag_specifications(tag_spec(node, ResourceType::InternetGateway))
        .send()
        .await
        .map_err(|e| sdk(&label, "CreateInternetGateway", e))?;
    let igw = out.internet_gateway().ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: CreateInternetGateway returned no gateway"
        ))
    })?;
    live(&label, igw)
}

/// Only tags can change: a gateway has no properties.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_igw: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let igw_id = live_igw.physical_id.as_str();
    if let Some(other) = update_tags(client, &label, igw_id, node, fields)
        .await?
        .first()
    {
        return Err(not_in_place(&label, other));
    }
    match by_physical_id(client, &label, igw_id).await? {
        Some(igw) => live(&label, &igw),
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeInternetGateways: {igw_id} not found"
        ))),
    }
}

/// Detaches the gateway from every VPC (AWS refuses to delete an attached one), then deletes
/// it; one already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let igw_id = live.physical_id.as_str();
    let Some(igw) = by_physical_id(client, &label, igw_id).await? else {
        return Ok(());
    };
    for vpc_id in igw.attachments().iter().filter_map(|a| a.vpc_id()) {
        super::vpc_gateway_attachment::detach(client, &label, igw_id, vpc_id).await?;
    }
    match client
        .delete_internet_gateway()
        .internet_gateway_id(igw_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteInternetGateway", e)),
    }
}

/// The gateway with this id, `None` when there is none.
pub(crate) async fn by_physical_id(
    client: &Client,
    label: &str,
    igw_id: &str,
) -> Result<Option<InternetGateway>, ProviderError> {
    match client
        .describe_internet_gateways()
        .internet_gateway_ids(igw_id)
        .send()
        .await
    {
        Ok(out) => Ok(out.internet_gateways().first().cloned()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(None),
        Err(e) => Err(sdk(label, "DescribeInternetGateways", e)),
    }
}

/// Every gateway matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<Filter>,
) -> Result<Vec<InternetGateway>, ProviderError> {
    let mut pages = client
        .describe_internet_gateways()
        .set_filters(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(igw) = pages.next().await {
        out.push(igw.map_err(|e| sdk(label, "DescribeInternetGateways", e))?);
    }
    Ok(out)
}

fn live(label: &str, igw: &InternetGateway) -> Result<Live, ProviderError> {
    let igw_id = igw
        .internet_gateway_id()
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderError::hard(format!("{label}: AWS returned a gateway without an id"))
        })?;
    let tags = tags::to_map(pairs(igw.tags()));
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(igw_id));
    attrs.insert("InternetGatewayId".into(), json!(igw_id));
    Ok(Live {
        id: live_id(&tags, &igw_id),
        kind: KIND.to_string(),
        physical_id: igw_id,
        properties: Map::new(),
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
