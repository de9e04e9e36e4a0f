//! EC2 resources (the network), one module per kind.

pub(crate) mod vpc;

use aws_sdk_ec2::types::{Filter, Tag};
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::unsupported;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        vpc::KIND => vpc::spec(),
        _ => return None,
    })
}

/// Every EC2 resource tagged `fgl:stack=<stack>`.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    vpc::discover(&c.ec2, stack).await
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        vpc::KIND => vpc::read(&c.ec2, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        vpc::KIND => vpc::create(&c.ec2, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        vpc::KIND => vpc::update(&c.ec2, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        vpc::KIND => vpc::delete(&c.ec2, live).await,
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

/// An EC2 tag.
pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// EC2's tags as key/value pairs (a tag without a value has the empty one).
pub(crate) fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter()
        .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))))
}
