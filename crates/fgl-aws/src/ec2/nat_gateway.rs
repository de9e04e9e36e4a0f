//! `AWS::EC2::NatGateway` (public): CreateNatGateway (waits until available), tags,
//! DeleteNatGateway (waits until deleted, so its address can be released). Found by its
//! stack and logical id tags; only pending and available gateways count: deleted and
//! deleting ones (AWS lists them for an hour) are gone, and failed ones cannot be used or
//! deleted (AWS removes them itself), so the engine creates a new one.

use aws_sdk_ec2::types::{Filter, NatGateway, NatGatewayState, ResourceType};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map};

use super::{
    label, live_id, not_in_place, pairs, required, tag_filter, tag_spec, the_one, update_tags,
    wait_for,
};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::NatGateway";

const NOT_FOUND: &str = "NatGatewayNotFound";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["AllocationId".into(), "SubnetId".into()],
        ..KindSpec::default()
    }
}

/// The gateway tagged as `node`'s, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let stack = node.tags.get(STACK_TAG).and_then(|v| v.as_str());
    let nats = find(client, &label, stack, &node.id).await?;
    the_one(&label, "NAT gateways", nats, NatGateway::nat_gateway_id)?
        .map(|n| live(&label, &n))
        .transpose()
}

/// Every gateway tagged `fgl:stack=<stack>`, except deleted and deleting ones.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let nats = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    nats.iter()
        .filter(|n| has_tag(n, STACK_TAG, stack))
        .map(|n| live(&label, n))
        .collect()
}

/// Creates the gateway (or adopts the one an earlier attempt created) and waits until it is
/// available, so that routes can point at it. A gateway that failed is a hard error with
/// AWS's reason.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let existing = find(client, &label, Some(&node.stack), &node.id).await?;
    let nat_id = match the_one(&label, "NAT gateways", existing, NatGateway::nat_gateway_id)? {
        Some(nat) => physical_id(&label, &nat)?,
        None => {
            let out = client
                .create_nat_gateway()
                .allocation_id(required(&label, &node.properties, "AllocationId")?)
                .subnet_id(required(&label, &node.properties, "SubnetId")?)
                .tag_specifications(tag_spec(node, ResourceType::Natgateway))
                .send()
                .await
                .map_err(|e| sdk(&label, "CreateNatGateway", e))?;
            let nat = out.nat_gateway().ok_or_else(|| {
                ProviderError::hard(format!("{label}: CreateNatGateway returned no gateway"))
            })?;
            physical_id(&label, nat)?
        }
    };
    let nat = wait_for(&label, "available", || async {
        let nat = by_physical_id(client, &label, &nat_id).await?;
        match nat.as_ref().and_then(NatGateway::state) {
            Some(NatGatewayState::Available) => Ok(nat),
            Some(NatGatewayState::Pending) | None => Ok(None),
            Some(state) => Err(ProviderError::hard(format!(
                "{label}: {nat_id} is {state}: {}",
                nat.as_ref()
                    .and_then(NatGateway::failure_message)
                    .unwrap_or("no reason given")
            ))),
        }
    })
    .await?;
    live(&label, &nat)
}

/// Only tags change in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_nat: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let nat_id = live_nat.physical_id.as_str();
    if let Some(other) = update_tags(client, &label, nat_id, node, fields)
        .await?
        .first()
    {
        return Err(not_in_place(&label, other));
    }
    match by_physical_id(client, &label, nat_id).await? {
        Some(nat) => live(&label, &nat),
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeNatGateways: {nat_id} not found"
        ))),
    }
}

/// Deletes the gateway and waits until it is gone: until then its address stays associated
/// and its subnet keeps a network interface. One already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let nat_id = live.physical_id.as_str();
    match client
        .delete_nat_gateway()
        .nat_gateway_id(nat_id)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if code_of(&e) == Some(NOT_FOUND) => return Ok(()),
        Err(e) => return Err(sdk(&label, "DeleteNatGateway", e)),
    }
    wait_for(&label, "deleted", || async {
        let nat = by_physical_id(client, &label, nat_id).await?;
        let gone = nat
            .as_ref()
            .and_then(NatGateway::state)
            .is_none_or(|s| matches!(s, NatGatewayState::Deleted | NatGatewayState::Failed));
        Ok(gone.then_some(()))
    })
    .await
}

/// The live gateways tagged with `id` (and `stack`). The tag filters are server-side in AWS;
/// the tags are checked again here because not every EC2 emulator applies them.
async fn find(
    client: &Client,
    label: &str,
    stack: Option<&str>,
    id: &str,
) -> Result<Vec<NatGateway>, ProviderError> {
    let mut filters = vec![tag_filter(ID_TAG, id)];
    if let Some(stack) = stack {
        filters.push(tag_filter(STACK_TAG, stack));
    }
    let nats = describe(client, label, filters).await?;
    Ok(nats
        .into_iter()
        .filter(|n| has_tag(n, ID_TAG, id) && stack.is_none_or(|s| has_tag(n, STACK_TAG, s)))
        .collect())
}

/// The gateway with this id, in whatever state, `None` when there is none.
async fn by_physical_id(
    client: &Client,
    label: &str,
    nat_id: &str,
) -> Result<Option<NatGateway>, ProviderError> {
    match client
        .describe_nat_gateways()
        .nat_gateway_ids(nat_id)
        .send()
        .await
    {
        Ok(out) => Ok(out.nat_gateways().first().cloned()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(None),
        Err(e) => Err(sdk(label, "DescribeNatGateways", e)),
    }
}

/// Every pending or available gateway matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    mut filters: Vec<Filter>,
) -> Result<Vec<NatGateway>, ProviderError> {
    let live_states = ["pending", "available"];
    filters.push(
        Filter::builder()
            .name("state")
            .set_values(Some(live_states.map(String::from).to_vec()))
            .build(),
    );
    let mut pages = client
        .describe_nat_gateways()
        .set_filter(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(nat) = pages.next().await {
        out.push(nat.map_err(|e| sdk(label, "DescribeNatGateways", e))?);
    }
    Ok(out)
}

fn has_tag(nat: &NatGateway, key: &str, value: &str) -> bool {
    pairs(nat.tags()).any(|(k, v)| k == key && v == value)
}

fn physical_id(label: &str, nat: &NatGateway) -> Result<String, ProviderError> {
    nat.nat_gateway_id().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!("{label}: AWS returned a NAT gateway without an id"))
    })
}

fn live(label: &str, nat: &NatGateway) -> Result<Live, ProviderError> {
    let nat_id = physical_id(label, nat)?;
    let tags = tags::to_map(pairs(nat.tags()));
    let mut properties = Map::new();
    if let Some(allocation) = nat
        .nat_gateway_addresses()
        .iter()
        .find_map(|a| a.allocation_id())
    {
        properties.insert("AllocationId".into(), json!(allocation));
    }
    if let Some(subnet) = nat.subnet_id() {
        properties.insert("SubnetId".into(), json!(subnet));
    }
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(nat_id));
    attrs.insert("NatGatewayId".into(), json!(nat_id));
    Ok(Live {
        id: live_id(&tags, &nat_id),
        kind: KIND.to_string(),
        physical_id: nat_id,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
