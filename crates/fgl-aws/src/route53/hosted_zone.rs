//! `AWS::Route53::HostedZone`, looked up only: fgl finds the zone serving a domain by its
//! name and never creates, changes or deletes one.

use aws_sdk_route53::types::HostedZone;
use aws_sdk_route53::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{bare_zone_id, normal_name};
use crate::error::sdk;

pub(crate) const KIND: &str = "AWS::Route53::HostedZone";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        hook: Some(std::sync::Arc::new(|p: &mut Map<String, Value>| {
            if let Some(Value::String(name)) = p.get_mut("Name") {
                *name = normal_name(name);
            }
        })),
        ..KindSpec::default()
    }
}

/// The zone named exactly like the node's `Name`, a public one when there are several (a
/// private zone of the same name does not serve the internet, where ACM validates).
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let want = normal_name(&zone_name(node));
    let out = client
        .list_hosted_zones_by_name()
        .dns_name(&want)
        .send()
        .await
        .map_err(|e| sdk(&label, "ListHostedZonesByName", e))?;
    // Zones come sorted by name, so every match is on this first page.
    Ok(among(node, out.hosted_zones()))
}

/// The node's zone among `zones` (all those named like it at least): what `read` and the
/// snapshot answer.
pub(crate) fn among(node: &Resolved, zones: &[HostedZone]) -> Option<Live> {
    let want = normal_name(&zone_name(node));
    let matches: Vec<&HostedZone> = zones
        .iter()
        .filter(|z| normal_name(z.name()) == want)
        .collect();
    let is_private = |z: &HostedZone| z.config().is_some_and(|c| c.private_zone());
    let zone = matches
        .iter()
        .find(|z| !is_private(z))
        .or_else(|| matches.first());
    zone.map(|z| live(node, z))
}

/// Never created: the zone must exist before fgl can use it.
pub(crate) async fn create(_client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    Err(ProviderError::hard(format!(
        "{KIND} {}: hosted zone {} not found: create it (or delegate the domain) first",
        node.id,
        normal_name(&zone_name(node))
    )))
}

pub(crate) async fn update(
    _client: &Client,
    node: &Resolved,
    _live: &Live,
    _fields: &[String],
) -> Result<Live, ProviderError> {
    Err(never_changed(&node.id))
}

pub(crate) async fn delete(_client: &Client, live: &Live) -> Result<(), ProviderError> {
    Err(never_changed(&live.id))
}

/// A looked-up zone is not fgl's to change.
fn never_changed(id: &str) -> ProviderError {
    ProviderError::hard(format!(
        "{KIND} {id}: hosted zones are looked up, never changed or deleted by fgl"
    ))
}

/// The zone's name: the `Name` property, or the node's name.
fn zone_name(node: &Resolved) -> String {
    node.properties
        .get("Name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| node.name.clone())
        .unwrap_or_default()
}

fn live(node: &Resolved, zone: &HostedZone) -> Live {
    let id = bare_zone_id(zone.id()).to_string();
    let mut properties = Map::new();
    properties.insert("Name".into(), json!(zone.name()));
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(id));
    attrs.insert("Name".into(), json!(zone.name()));
    Live {
        id: node.id.clone(),
        kind: KIND.to_string(),
        physical_id: id,
        properties,
        // Not fgl's: a looked-up zone carries no ownership.
        tags: Map::new(),
        attrs,
        depends_on: Vec::new(),
    }
}
