//! `AWS::EC2::EIP` (VPC addresses): AllocateAddress, tags, ReleaseAddress. Found by its stack
//! and logical id tags.

use aws_sdk_ec2::types::{Address, DomainType, Filter, ResourceType};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map, Value};

use super::{
    identity_filters, label, live_id, not_in_place, owned_filters, pairs, tag_filter, tag_spec,
    the_one, update_tags,
};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::EIP";

const NOT_FOUND: &str = "InvalidAllocationID.NotFound";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["Domain".into()],
        defaults: vec![("Domain".into(), json!("vpc"))],
        ..KindSpec::default()
    }
}

/// The address tagged as `node`'s, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let addresses = describe(client, &label, identity_filters(node)).await?;
    the_one(&label, "addresses", addresses, Address::allocation_id)?
        .map(|a| live(&label, &a))
        .transpose()
}

/// Every address tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let addresses = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    addresses.iter().map(|a| live(&label, a)).collect()
}

/// Allocates the address, or adopts the one an earlier attempt allocated.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let existing = describe(client, &label, owned_filters(node)).await?;
    if let Some(address) = the_one(&label, "addresses", existing, Address::allocation_id)? {
        return live(&label, &address);
    }
    let domain = node
        .properties
        .get("Domain")
        .and_then(Value::as_str)
        .unwrap_or("vpc");
    if domain != "vpc" {
        return Err(ProviderError::hard(format!(
            "{label}: Domain {domain:?} is not supported (only \"vpc\")"
        )));
    }
    let out = client
        .allocate_address()
        .domain(DomainType::Vpc)
        .tag_specifications(tag_spec(node, ResourceType::ElasticIp))
        .send()
        .await
        .map_err(|e| sdk(&label, "AllocateAddress", e))?;
    let allocation = out.allocation_id().ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: AllocateAddress returned no allocation id"
        ))
    })?;
    match by_physical_id(client, &label, allocation).await? {
        Some(address) => live(&label, &address),
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeAddresses: {allocation} not found yet"
        ))),
    }
}

/// Only tags change in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_address: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let allocation = live_address.physical_id.as_str();
    if let Some(other) = update_tags(client, &label, allocation, node, fields)
        .await?
        .first()
    {
        return Err(not_in_place(&label, other));
    }
    match by_physical_id(client, &label, allocation).await? {
        Some(address) => live(&label, &address),
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeAddresses: {allocation} not found"
        ))),
    }
}

/// Releases the address; one already gone is success. An address still associated (with a
/// NAT gateway being deleted) is a retryable error: releasing it would fail, or (some
/// emulators) silently pull it from under the gateway.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let allocation = live.physical_id.as_str();
    let Some(address) = by_physical_id(client, &label, allocation).await? else {
        return Ok(());
    };
    if let Some(association) = address.association_id() {
        if held_by_nat_gateway(client, &label, allocation).await? {
            return Err(ProviderError::retryable(format!(
                "{label}: {allocation} is still associated ({association})"
            )));
        }
        // No NAT gateway (still) uses it, yet an association is left: the one a deleted NAT
        // gateway had (AWS drops it with the gateway; moto keeps it). The address is this
        // stack's and is being deleted, so the association goes first.
        match client
            .disassociate_address()
            .association_id(association)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if code_of(&e) == Some("InvalidAssociationID.NotFound") => {}
            Err(e) => return Err(sdk(&label, "DisassociateAddress", e)),
        }
    }
    match client
        .release_address()
        .allocation_id(allocation)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(()),
        Err(e) => Err(sdk(&label, "ReleaseAddress", e)),
    }
}

/// Whether a NAT gateway that is not yet deleted uses the address.
async fn held_by_nat_gateway(
    client: &Client,
    label: &str,
    allocation: &str,
) -> Result<bool, ProviderError> {
    let out = client
        .describe_nat_gateways()
        .filter(
            Filter::builder()
                .name("state")
                .values("pending")
                .values("available")
                .values("deleting")
                .build(),
        )
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeNatGateways", e))?;
    Ok(out.nat_gateways().iter().any(|nat| {
        !matches!(
            nat.state(),
            Some(aws_sdk_ec2::types::NatGatewayState::Deleted)
                | Some(aws_sdk_ec2::types::NatGatewayState::Failed)
        ) && nat
            .nat_gateway_addresses()
            .iter()
            .any(|a| a.allocation_id() == Some(allocation))
    }))
}

/// The address with this allocation id, `None` when there is none.
async fn by_physical_id(
    client: &Client,
    label: &str,
    allocation: &str,
) -> Result<Option<Address>, ProviderError> {
    match client
        .describe_addresses()
        .allocation_ids(allocation)
        .send()
        .await
    {
        Ok(out) => Ok(out.addresses().first().cloned()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(None),
        Err(e) => Err(sdk(label, "DescribeAddresses", e)),
    }
}

/// Every address matching `filters` (DescribeAddresses is not paginated).
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<Filter>,
) -> Result<Vec<Address>, ProviderError> {
    let out = client
        .describe_addresses()
        .set_filters(Some(filters))
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeAddresses", e))?;
    Ok(out.addresses().to_vec())
}

fn live(label: &str, address: &Address) -> Result<Live, ProviderError> {
    let allocation = address.allocation_id().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: AWS returned an address without an allocation id"
        ))
    })?;
    let tags = tags::to_map(pairs(address.tags()));
    let mut properties = Map::new();
    if let Some(domain) = address.domain() {
        properties.insert("Domain".into(), json!(domain.as_str()));
    }
    let mut attrs = Map::new();
    attrs.insert("AllocationId".into(), json!(allocation));
    if let Some(ip) = address.public_ip() {
        attrs.insert("PublicIp".into(), json!(ip));
    }
    Ok(Live {
        id: live_id(&tags, &allocation),
        kind: KIND.to_string(),
        physical_id: allocation,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
