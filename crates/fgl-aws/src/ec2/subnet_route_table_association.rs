//! `AWS::EC2::SubnetRouteTableAssociation`: AssociateRouteTable, DisassociateRouteTable.
//! Untaggable: found among the route table's associations and owned when the table is.

use aws_sdk_ec2::types::{RouteTable, RouteTableAssociationStateCode};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map};

use super::route_table::by_physical_id;
use super::{child, label, nothing_in_place, required, visible};
use crate::error::{code_of, sdk};

pub(crate) const KIND: &str = "AWS::EC2::SubnetRouteTableAssociation";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["SubnetId".into(), "RouteTableId".into()],
        ..KindSpec::default()
    }
}

/// The association of the node's subnet with its route table. One DescribeRouteTables call.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let table_id = required(&label, &node.properties, "RouteTableId")?;
    match by_physical_id(client, &label, table_id).await? {
        Some(table) => in_table(node, &table),
        None => Ok(None),
    }
}

/// The node's association in `table`, its `RouteTableId`: what `read` and the snapshot
/// answer.
pub(crate) fn in_table(node: &Resolved, table: &RouteTable) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let table_id = required(&label, &node.properties, "RouteTableId")?;
    let subnet_id = required(&label, &node.properties, "SubnetId")?;
    Ok(association_id(table, subnet_id).map(|association| {
        let mut properties = Map::new();
        properties.insert("SubnetId".into(), json!(subnet_id));
        properties.insert("RouteTableId".into(), json!(table_id));
        let mut live = child(
            node,
            KIND,
            association.to_string(),
            properties,
            table.tags(),
        );
        live.attrs.insert("Id".into(), json!(association));
        live
    }))
}

/// Associates the subnet with the table; an association an earlier attempt made is adopted.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    if let Some(existing) = read(client, node).await? {
        return Ok(existing);
    }
    client
        .associate_route_table()
        .route_table_id(required(&label, &node.properties, "RouteTableId")?)
        .subnet_id(required(&label, &node.properties, "SubnetId")?)
        .send()
        .await
        .map_err(|e| sdk(&label, "AssociateRouteTable", e))?;
    visible(&label, "association", read(client, node).await?)
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

pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    disassociate(client, &label(KIND, &live.id), &live.physical_id).await
}

/// Removes an association; one already gone is success.
pub(crate) async fn disassociate(
    client: &Client,
    label: &str,
    association_id: &str,
) -> Result<(), ProviderError> {
    match client
        .disassociate_route_table()
        .association_id(association_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("InvalidAssociationID.NotFound") => Ok(()),
        Err(e) => Err(sdk(label, "DisassociateRouteTable", e)),
    }
}

/// The id of the table's live association with `subnet_id`.
fn association_id<'a>(table: &'a RouteTable, subnet_id: &str) -> Option<&'a str> {
    table
        .associations()
        .iter()
        .filter(|a| a.subnet_id() == Some(subnet_id))
        .filter(|a| {
            !matches!(
                a.association_state().and_then(|s| s.state()),
                Some(
                    RouteTableAssociationStateCode::Disassociating
                        | RouteTableAssociationStateCode::Disassociated
                        | RouteTableAssociationStateCode::Failed
                )
            )
        })
        .find_map(|a| a.route_table_association_id())
}
