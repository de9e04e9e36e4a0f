//! `AWS::EC2::Route` (IPv4, to an internet or NAT gateway): CreateRoute, ReplaceRoute,
//! DeleteRoute. Untaggable: found in its route table by destination and owned when the table
//! is.

use aws_sdk_ec2::types::{Route, RouteTable};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::route_table::by_physical_id;
use super::{child, label, not_in_place, required, visible};
use crate::error::{code_of, sdk};

pub(crate) const KIND: &str = "AWS::EC2::Route";

/// The route targets fgl sets, as CloudFormation names them.
const TARGETS: [&str; 2] = ["GatewayId", "NatGatewayId"];

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // A route is identified by its table and destination; its target can be replaced.
        create_only: vec!["RouteTableId".into(), "DestinationCidrBlock".into()],
        ..KindSpec::default()
    }
}

/// The route to the node's destination in its table. One DescribeRouteTables call.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let table_id = required(&label, &node.properties, "RouteTableId")?;
    match by_physical_id(client, &label, table_id).await? {
        Some(table) => in_table(node, &table),
        None => Ok(None),
    }
}

/// The node's route in `table`, its `RouteTableId`: what `read` and the snapshot answer.
pub(crate) fn in_table(node: &Resolved, table: &RouteTable) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let table_id = required(&label, &node.properties, "RouteTableId")?;
    let destination = required(&label, &node.properties, "DestinationCidrBlock")?;
    let Some(route) = table
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some(destination))
    else {
        return Ok(None);
    };
    let mut properties = Map::new();
    properties.insert("RouteTableId".into(), json!(table_id));
    properties.insert("DestinationCidrBlock".into(), json!(destination));
    for (field, value) in targets(route) {
        properties.insert(field.into(), json!(value));
    }
    let physical_id = format!("{table_id}|{destination}");
    Ok(Some(child(
        node,
        KIND,
        physical_id,
        properties,
        table.tags(),
    )))
}

/// Creates the route. One already there (an earlier attempt, or a leftover in this stack's
/// table) is pointed at the node's target instead.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let props = &node.properties;
    let (field, target) = target(&label, props)?;
    let call = client
        .create_route()
        .route_table_id(required(&label, props, "RouteTableId")?)
        .destination_cidr_block(required(&label, props, "DestinationCidrBlock")?);
    let call = match field {
        "NatGatewayId" => call.nat_gateway_id(target),
        _ => call.gateway_id(target),
    };
    match call.send().await {
        Ok(_) => {}
        Err(e) if code_of(&e) == Some("RouteAlreadyExists") => {
            replace(client, &label, node).await?;
        }
        Err(e) => return Err(sdk(&label, "CreateRoute", e)),
    }
    visible(&label, "route", read(client, node).await?)
}

/// Points the route at another gateway (ReplaceRoute); the table and destination are
/// create-only.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    _live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    if let Some(other) = fields.iter().find(|f| !TARGETS.contains(&f.as_str())) {
        return Err(not_in_place(&label, other));
    }
    replace(client, &label, node).await?;
    visible(&label, "route", read(client, node).await?)
}

/// Deletes the route; one already gone (or whose table is gone) is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    match client
        .delete_route()
        .route_table_id(required(&label, &live.properties, "RouteTableId")?)
        .destination_cidr_block(required(&label, &live.properties, "DestinationCidrBlock")?)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                code_of(&e),
                Some("InvalidRoute.NotFound" | "InvalidRouteTableID.NotFound")
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(sdk(&label, "DeleteRoute", e)),
    }
}

/// Points the existing route at the node's target.
async fn replace(client: &Client, label: &str, node: &Resolved) -> Result<(), ProviderError> {
    let props = &node.properties;
    let (field, target) = target(label, props)?;
    let call = client
        .replace_route()
        .route_table_id(required(label, props, "RouteTableId")?)
        .destination_cidr_block(required(label, props, "DestinationCidrBlock")?);
    let call = match field {
        "NatGatewayId" => call.nat_gateway_id(target),
        _ => call.gateway_id(target),
    };
    call.send()
        .await
        .map_err(|e| sdk(label, "ReplaceRoute", e))?;
    Ok(())
}

/// The node's one target: `(field, id)`.
fn target<'a>(
    label: &str,
    props: &'a Map<String, Value>,
) -> Result<(&'static str, &'a str), ProviderError> {
    let mut set = TARGETS
        .into_iter()
        .filter_map(|f| Some((f, props.get(f)?.as_str()?)));
    match (set.next(), set.next()) {
        (Some(one), None) => Ok(one),
        _ => Err(ProviderError::hard(format!(
            "{label}: a route needs exactly one of {}",
            TARGETS.join(", ")
        ))),
    }
}

/// The route's targets fgl manages, as `(field, id)`.
fn targets(route: &Route) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    if let Some(gateway) = route.gateway_id() {
        out.push(("GatewayId", gateway));
    }
    if let Some(nat) = route.nat_gateway_id() {
        out.push(("NatGatewayId", nat));
    }
    out
}
