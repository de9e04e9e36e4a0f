//! EC2 resources (the network), one module per kind.

pub(crate) mod eip;
pub(crate) mod internet_gateway;
pub(crate) mod nat_gateway;
pub(crate) mod route;
pub(crate) mod route_table;
pub(crate) mod rules;
pub(crate) mod security_group;
pub(crate) mod security_group_ingress;
pub(crate) mod subnet;
pub(crate) mod subnet_route_table_association;
pub(crate) mod vpc;
pub(crate) mod vpc_gateway_attachment;

use std::future::Future;
use std::time::Duration;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::{sdk, unsupported};
use crate::tags;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        vpc::KIND => vpc::spec(),
        subnet::KIND => subnet::spec(),
        internet_gateway::KIND => internet_gateway::spec(),
        vpc_gateway_attachment::KIND => vpc_gateway_attachment::spec(),
        route_table::KIND => route_table::spec(),
        route::KIND => route::spec(),
        subnet_route_table_association::KIND => subnet_route_table_association::spec(),
        eip::KIND => eip::spec(),
        nat_gateway::KIND => nat_gateway::spec(),
        security_group::KIND => security_group::spec(),
        security_group_ingress::KIND => security_group_ingress::spec(),
        _ => return None,
    })
}

/// Every EC2 resource tagged `fgl:stack=<stack>`, one Describe call per taggable kind, run
/// concurrently. Untaggable kinds (routes, associations, attachments, ingress rules) are
/// found through their parents by `read`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let ec2 = &c.ec2;
    let (vpcs, subnets, igws, tables, eips, nats, groups) = tokio::try_join!(
        vpc::discover(ec2, stack),
        subnet::discover(ec2, stack),
        internet_gateway::discover(ec2, stack),
        route_table::discover(ec2, stack),
        eip::discover(ec2, stack),
        nat_gateway::discover(ec2, stack),
        security_group::discover(ec2, stack),
    )?;
    Ok([vpcs, subnets, igws, tables, eips, nats, groups]
        .into_iter()
        .flatten()
        .collect())
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let ec2 = &c.ec2;
    match node.kind.as_str() {
        vpc::KIND => vpc::read(ec2, node).await,
        subnet::KIND => subnet::read(ec2, node).await,
        internet_gateway::KIND => internet_gateway::read(ec2, node).await,
        vpc_gateway_attachment::KIND => vpc_gateway_attachment::read(ec2, node).await,
        route_table::KIND => route_table::read(ec2, node).await,
        route::KIND => route::read(ec2, node).await,
        subnet_route_table_association::KIND => {
            subnet_route_table_association::read(ec2, node).await
        }
        eip::KIND => eip::read(ec2, node).await,
        nat_gateway::KIND => nat_gateway::read(ec2, node).await,
        security_group::KIND => security_group::read(ec2, node).await,
        security_group_ingress::KIND => security_group_ingress::read(ec2, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    let ec2 = &c.ec2;
    match node.kind.as_str() {
        vpc::KIND => vpc::create(ec2, node).await,
        subnet::KIND => subnet::create(ec2, node).await,
        internet_gateway::KIND => internet_gateway::create(ec2, node).await,
        vpc_gateway_attachment::KIND => vpc_gateway_attachment::create(ec2, node).await,
        route_table::KIND => route_table::create(ec2, node).await,
        route::KIND => route::create(ec2, node).await,
        subnet_route_table_association::KIND => {
            subnet_route_table_association::create(ec2, node).await
        }
        eip::KIND => eip::create(ec2, node).await,
        nat_gateway::KIND => nat_gateway::create(ec2, node).await,
        security_group::KIND => security_group::create(ec2, node).await,
        security_group_ingress::KIND => security_group_ingress::create(ec2, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let ec2 = &c.ec2;
    match node.kind.as_str() {
        vpc::KIND => vpc::update(ec2, node, live, fields).await,
        subnet::KIND => subnet::update(ec2, node, live, fields).await,
        internet_gateway::KIND => internet_gateway::update(ec2, node, live, fields).await,
        vpc_gateway_attachment::KIND => {
            vpc_gateway_attachment::update(ec2, node, live, fields).await
        }
        route_table::KIND => route_table::update(ec2, node, live, fields).await,
        route::KIND => route::update(ec2, node, live, fields).await,
        subnet_route_table_association::KIND => {
            subnet_route_table_association::update(ec2, node, live, fields).await
        }
        eip::KIND => eip::update(ec2, node, live, fields).await,
        nat_gateway::KIND => nat_gateway::update(ec2, node, live, fields).await,
        security_group::KIND => security_group::update(ec2, node, live, fields).await,
        security_group_ingress::KIND => {
            security_group_ingress::update(ec2, node, live, fields).await
        }
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    let ec2 = &c.ec2;
    match live.kind.as_str() {
        vpc::KIND => vpc::delete(ec2, live).await,
        subnet::KIND => subnet::delete(ec2, live).await,
        internet_gateway::KIND => internet_gateway::delete(ec2, live).await,
        vpc_gateway_attachment::KIND => vpc_gateway_attachment::delete(ec2, live).await,
        route_table::KIND => route_table::delete(ec2, live).await,
        route::KIND => route::delete(ec2, live).await,
        subnet_route_table_association::KIND => {
            subnet_route_table_association::delete(ec2, live).await
        }
        eip::KIND => eip::delete(ec2, live).await,
        nat_gateway::KIND => nat_gateway::delete(ec2, live).await,
        security_group::KIND => security_group::delete(ec2, live).await,
        security_group_ingress::KIND => security_group_ingress::delete(ec2, live).await,
        other => Err(unsupported(other)),
    }
}

/// A `DescribeX` filter on a tag's value.
pub(crate) fn tag_filter(key: &str, value: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{key}"))
        .values(value)
        .build()
}

/// A `DescribeX` filter on a field's value.
pub(crate) fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// An EC2 tag.
pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// EC2's tags as key/value pairs (a tag without a value has the empty one).
pub(crate) fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))))
}

/// The filters naming a taggable node's resource: its logical id and, when the node names
/// one, its stack (two stacks may both have a `network/public-subnet-0`).
pub(crate) fn identity_filters(node: &Resolved) -> Vec<Filter> {
    let mut filters = vec![tag_filter(ID_TAG, &node.id)];
    if let Some(stack) = node.tags.get(STACK_TAG).and_then(Value::as_str) {
        filters.push(tag_filter(STACK_TAG, stack));
    }
    filters
}

/// The filters naming the resource an earlier attempt at creating `node` made: its logical id
/// in the node's own stack (create adopts only what this stack owns).
pub(crate) fn owned_filters(node: &Resolved) -> Vec<Filter> {
    vec![
        tag_filter(ID_TAG, &node.id),
        tag_filter(STACK_TAG, &node.stack),
    ]
}

/// The tags of a new resource, set atomically by the create call.
pub(crate) fn tag_spec(node: &Resolved, resource: ResourceType) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource)
        .set_tags(Some(
            tags::desired(node).iter().map(|(k, v)| tag(k, v)).collect(),
        ))
        .build()
}

/// The label errors start with: `<kind> <logical id>`.
pub(crate) fn label(kind: &str, id: &str) -> String {
    format!("{kind} {id}")
}

/// A string property the node must have.
pub(crate) fn required<'a>(
    label: &str,
    properties: &'a Map<String, Value>,
    field: &str,
) -> Result<&'a str, ProviderError> {
    properties
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: {field} is missing or not a string")))
}

/// The logical id of a taggable resource: its `fgl:id` tag, or (an owned resource whose tags
/// were edited by hand) its physical id, so that destroy can still remove it.
pub(crate) fn live_id(tags: &Map<String, Value>, physical_id: &str) -> String {
    tags.get(ID_TAG)
        .and_then(Value::as_str)
        .unwrap_or(physical_id)
        .to_string()
}

/// The tags of an untaggable resource owned through its parent: this node's ownership tags
/// when the parent belongs to the node's stack, none otherwise.
pub(crate) fn owned_through(parent_tags: &[Tag], node: &Resolved) -> Map<String, Value> {
    let owned = pairs(parent_tags).any(|(k, v)| k == STACK_TAG && v == node.stack);
    let mut tags = Map::new();
    if owned {
        tags.insert(STACK_TAG.into(), Value::String(node.stack.clone()));
        tags.insert(ID_TAG.into(), Value::String(node.id.clone()));
    }
    tags
}

/// The one resource tagged as a node's; more than one is an error for a human to resolve,
/// since fgl cannot tell which is the real one.
pub(crate) fn the_one<T>(
    label: &str,
    what: &str,
    mut items: Vec<T>,
    id_of: impl Fn(&T) -> Option<&str>,
) -> Result<Option<T>, ProviderError> {
    if items.len() > 1 {
        let ids: Vec<&str> = items.iter().filter_map(&id_of).collect();
        return Err(ProviderError::hard(format!(
            "{label}: {} {what} carry its {ID_TAG} tag: {}; delete all but one",
            items.len(),
            ids.join(", ")
        )));
    }
    Ok(items.pop())
}

/// Applies the `Tags.<key>` fields of an update to `resource`, from the node's tags (which
/// always carry the ownership tags, so an update never removes them). Returns the other
/// fields, for the kind to handle.
pub(crate) async fn update_tags<'a>(
    client: &Client,
    label: &str,
    resource: &str,
    node: &Resolved,
    fields: &'a [String],
) -> Result<Vec<&'a str>, ProviderError> {
    let desired = tags::desired(node);
    let mut set = Vec::new();
    let mut unset = Vec::new();
    let mut rest = Vec::new();
    for field in fields {
        match field.strip_prefix("Tags.") {
            Some(key) => match desired.iter().find(|(k, _)| k == key) {
                Some((k, v)) => set.push(tag(k, v)),
                None => unset.push(Tag::builder().key(key).build()),
            },
            None => rest.push(field.as_str()),
        }
    }
    if !set.is_empty() {
        client
            .create_tags()
            .resources(resource)
            .set_tags(Some(set))
            .send()
            .await
            .map_err(|e| sdk(label, "CreateTags", e))?;
    }
    if !unset.is_empty() {
        client
            .delete_tags()
            .resources(resource)
            .set_tags(Some(unset))
            .send()
            .await
            .map_err(|e| sdk(label, "DeleteTags", e))?;
    }
    Ok(rest)
}

/// The error for a field that cannot change in place (the spec should have made the engine
/// replace the resource instead).
pub(crate) fn not_in_place(label: &str, field: &str) -> ProviderError {
    ProviderError::hard(format!("{label}: `{field}` cannot be changed in place"))
}

/// Polls `check` until it answers `Some`, with backoff (1 s doubling to 15 s), for about
/// ten minutes: NAT gateways take minutes to become available or to go away.
pub(crate) async fn wait_for<T, F, Fut>(
    label: &str,
    what: &str,
    mut check: F,
) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, ProviderError>>,
{
    let mut delay = Duration::from_secs(1);
    let mut waited = Duration::ZERO;
    loop {
        if let Some(done) = check().await? {
            return Ok(done);
        }
        if waited >= Duration::from_secs(600) {
            // Retryable: the engine's next attempt picks the resource up where it is.
            return Err(ProviderError::retryable(format!(
                "{label}: still not {what} after {} s",
                waited.as_secs()
            )));
        }
        tokio::time::sleep(delay).await;
        waited += delay;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}
