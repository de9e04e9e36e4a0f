//! `AWS::EC2::RouteTable`: CreateRouteTable, tags, DeleteRouteTable (its subnet associations
//! removed first). Found by its stack and logical id tags.

use aws_sdk_ec2::types::{Filter, ResourceType, RouteTable};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map};

use super::{
    identity_filters, label, live_id, not_in_place, owned_filters, pairs, required, tag_filter,
    tag_spec, the_one, update_tags,
};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::RouteTable";

const NOT_FOUND: &str = "InvalidRouteTableID.NotFound";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["VpcId".into()],
        ..KindSpec::default()
    }
}

/// The route table tagged as `node`'s, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let tables = describe(client, &label, identity_filters(node)).await?;
    the_one(&label, "route tables", tables, RouteTable::route_table_id)?
        .map(|t| live(&label, &t))
        .transpose()
}

/// Every route table tagged `fgl:stack=<stack>`.
/// Also returns them as listed, for the snapshot.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
) -> Result<(Vec<Live>, Vec<RouteTable>), ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let tables = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    let lives = tables
        .iter()
        .map(|t| live(&label, t))
        .collect::<Result<_, _>>()?;
    Ok((lives, tables))
}

/// Creates the route table, or adopts the one an earlier attempt created.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let existing = describe(client, &label, owned_filters(node)).await?;
    if let Some(table) = the_one(&label, "route tables", existing, RouteTable::route_table_id)? {
        return live(&label, &table);
    }
    let out = client
        .create_route_table()
        .vpc_id(required(&label, &node.properties, "VpcId")?)
        .tag_specifications(tag_spec(node, ResourceType::RouteTable))
        .send()
        .await
        .map_err(|e| sdk(&label, "CreateRouteTable", e))?;
    let table = out.route_table().ok_or_else(|| {
        ProviderError::hard(format!("{label}: CreateRouteTable returned no route table"))
    })?;
    live(&label, table)
}

/// Only tags change in place (the VPC is create-only).
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_table: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let table_id = live_table.physical_id.as_str();
    if let Some(other) = update_tags(client, &label, table_id, node, fields)
        .await?
        .first()
    {
        return Err(not_in_place(&label, other));
    }
    match by_physical_id(client, &label, table_id).await? {
        Some(table) => live(&label, &table),
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeRouteTables: {table_id} not found"
        ))),
    }
}

/// Removes the table's subnet associations (AWS refuses to delete an associated table),
/// then deletes it; one already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let table_id = live.physical_id.as_str();
    let Some(table) = by_physical_id(client, &label, table_id).await? else {
        return Ok(());
    };
    let associations = table
        .associations()
        .iter()
        .filter(|a| a.main() != Some(true))
        .filter_map(|a| a.route_table_association_id());
    for association in associations {
        super::subnet_route_table_association::disassociate(client, &label, association).await?;
    }
    match client
        .delete_route_table()
        .route_table_id(table_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteRouteTable", e)),
    }
}

/// The route table with this id (its routes, associations and tags), `None` when there is
/// none: what routes and associations are read from.
pub(crate) async fn by_physical_id(
    client: &Client,
    label: &str,
    table_id: &str,
) -> Result<Option<RouteTable>, ProviderError> {
    match client
        .describe_route_tables()
        .route_table_ids(table_id)
        .send()
        .await
    {
        Ok(out) => Ok(out.route_tables().first().cloned()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(None),
        Err(e) => Err(sdk(label, "DescribeRouteTables", e)),
    }
}

/// Every route table matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<Filter>,
) -> Result<Vec<RouteTable>, ProviderError> {
    let mut pages = client
        .describe_route_tables()
        .set_filters(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(table) = pages.next().await {
        out.push(table.map_err(|e| sdk(label, "DescribeRouteTables", e))?);
    }
    Ok(out)
}

fn live(label: &str, table: &RouteTable) -> Result<Live, ProviderError> {
    let table_id = table.route_table_id().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!("{label}: AWS returned a route table without an id"))
    })?;
    let tags = tags::to_map(pairs(table.tags()));
    let mut properties = Map::new();
    if let Some(vpc) = table.vpc_id() {
        properties.insert("VpcId".into(), json!(vpc));
    }
    let mut attrs = Map::new();
    attrs.insert("Id".into(), json!(table_id));
    attrs.insert("RouteTableId".into(), json!(table_id));
    Ok(Live {
        id: live_id(&tags, &table_id),
        kind: KIND.to_string(),
        physical_id: table_id,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
