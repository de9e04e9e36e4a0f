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

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use aws_sdk_ec2::Client;
use fgl_plan::{Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::sdk;
use crate::snapshot::Generation;
use crate::tags;

crate::dispatch::kinds!(ec2:
    vpc,
    subnet,
    internet_gateway,
    vpc_gateway_attachment,
    route_table,
    route,
    subnet_route_table_association,
    eip,
    nat_gateway,
    security_group,
    security_group_ingress,
);

/// Every EC2 resource tagged `fgl:stack=<stack>`, one Describe call per taggable kind, run
/// concurrently. Untaggable kinds (routes, associations, attachments, ingress rules) are
/// found through their parents by `read`: the parents' listings go to the snapshot for that.
pub(crate) async fn discover(
    c: &Clients,
    stack: &str,
    g: Generation,
) -> Result<Vec<Live>, ProviderError> {
    let ec2 = &c.ec2;
    let (vpcs, subnets, (igws, igw_list), (tables, table_list), eips, nats, (groups, group_list)) =
        tokio::try_join!(
            vpc::discover(ec2, stack),
            subnet::discover(ec2, stack),
            internet_gateway::discover(ec2, stack),
            route_table::discover(ec2, stack),
            eip::discover(ec2, stack),
            nat_gateway::discover(ec2, stack),
            security_group::discover(ec2, stack),
        )?;
    c.snapshot.record(g, |l| {
        l.route_tables = by_id(table_list, |t| t.route_table_id());
        l.internet_gateways = by_id(igw_list, |i| i.internet_gateway_id());
        l.security_groups = by_id(group_list, |s| s.group_id());
    });
    Ok([vpcs, subnets, igws, tables, eips, nats, groups]
        .into_iter()
        .flatten()
        .collect())
}

/// `items` by their id (those without one left out).
fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> Option<&str>) -> HashMap<String, T> {
    items
        .into_iter()
        .filter_map(|i| Some((id(&i)?.to_string(), i)))
        .collect()
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

pub(crate) use crate::tags::logical_id as live_id;

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

/// An untaggable resource found in its parent (a route in its table, a rule in its group),
/// as the node's: owned when the parent is.
pub(crate) fn child(
    node: &Resolved,
    kind: &str,
    physical_id: String,
    properties: Map<String, Value>,
    parent_tags: &[Tag],
) -> Live {
    Live {
        id: node.id.clone(),
        kind: kind.to_string(),
        physical_id,
        properties,
        tags: owned_through(parent_tags, node),
        attrs: Map::new(),
        depends_on: Vec::new(),
    }
}

/// What `read` found right after a change: nothing yet is eventual consistency.
pub(crate) fn visible(label: &str, what: &str, found: Option<Live>) -> Result<Live, ProviderError> {
    found.ok_or_else(|| ProviderError::retryable(format!("{label}: the {what} is not visible yet")))
}

/// The update of a kind whose every field is create-only: the engine replaces it instead.
pub(crate) fn nothing_in_place(
    kind: &str,
    node: &Resolved,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let field = fields.first().map(String::as_str).unwrap_or("(none)");
    Err(not_in_place(&label(kind, &node.id), field))
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
    let changes = tags::changes(node, fields);
    if !changes.set.is_empty() {
        client
            .create_tags()
            .resources(resource)
            .set_tags(Some(changes.set.iter().map(|(k, v)| tag(k, v)).collect()))
            .send()
            .await
            .map_err(|e| sdk(label, "CreateTags", e))?;
    }
    if !changes.unset.is_empty() {
        let unset = changes.unset.iter().map(|k| Tag::builder().key(k).build());
        client
            .delete_tags()
            .resources(resource)
            .set_tags(Some(unset.collect()))
            .send()
            .await
            .map_err(|e| sdk(label, "DeleteTags", e))?;
    }
    Ok(fields
        .iter()
        .map(String::as_str)
        .filter(|f| !tags::is_tag(f))
        .collect())
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
