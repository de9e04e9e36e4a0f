//! `AWS::EC2::SecurityGroup`: CreateSecurityGroup, its inline ingress and egress rules
//! (authorized and revoked to match), tags, DeleteSecurityGroup. A group is named by its
//! `GroupName` in its VPC.
//!
//! A node without a `SecurityGroupIngress` key leaves the group's ingress alone: it comes
//! from standalone `AWS::EC2::SecurityGroupIngress` nodes (a load balancer opening the tasks'
//! group). Discover cannot see the node, so the group records whether its ingress is inline
//! in the `fgl:ingress` tag, and only then reports `SecurityGroupIngress`.

use std::sync::Arc;

use aws_sdk_ec2::types::{Filter, ResourceType, SecurityGroup, Tag, TagSpecification};
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map, Value};

use super::rules::{self, Direction};
use super::{filter, label, live_id, not_in_place, pairs, required, tag, tag_filter, update_tags};
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::EC2::SecurityGroup";

/// The tag marking a group whose ingress rules are the node's inline list.
const INLINE_INGRESS_TAG: &str = "fgl:ingress";
const INLINE: &str = "inline";

const INGRESS: &str = "SecurityGroupIngress";
const EGRESS: &str = "SecurityGroupEgress";

const NOT_FOUND: &str = "InvalidGroup.NotFound";

/// What AWS gives a new group, and CloudFormation a group without egress rules: all
/// traffic out.
fn default_egress() -> Value {
    json!([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}])
}

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec![
            "GroupName".into(),
            "GroupDescription".into(),
            "VpcId".into(),
        ],
        defaults: vec![(EGRESS.into(), default_egress())],
        unordered: vec![INGRESS.into(), EGRESS.into()],
        hook: Some(Arc::new(|props: &mut Map<String, Value>| {
            rules::canonical_lists(props, &[INGRESS, EGRESS])
        })),
        ..KindSpec::default()
    }
}

/// The group named `GroupName` in the node's VPC, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    by_name(client, &label, node)
        .await?
        .map(|g| live(&label, &g))
        .transpose()
}

/// Every group tagged `fgl:stack=<stack>`.
/// Also returns them as listed, for the snapshot.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
) -> Result<(Vec<Live>, Vec<SecurityGroup>), ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let groups = describe(client, &label, vec![tag_filter(STACK_TAG, stack)]).await?;
    let lives = groups
        .iter()
        .map(|g| live(&label, g))
        .collect::<Result<_, _>>()?;
    Ok((lives, groups))
}

/// Creates the group (or adopts the one an earlier attempt created: same name and VPC, this
/// stack's tags), then makes its rules the node's.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let group_id = match by_name(client, &label, node).await? {
        Some(group) if owned_by_node(&group, node) => group_id(&label, &group)?,
        Some(group) => {
            return Err(ProviderError::hard(format!(
                "{label}: a security group named {:?} already exists in this VPC ({}) \
                 without this node's tags ({STACK_TAG}={}, {ID_TAG}={})",
                group.group_name().unwrap_or_default(),
                group.group_id().unwrap_or_default(),
                node.stack,
                node.id
            )))
        }
        None => {
            let props = &node.properties;
            let out = client
                .create_security_group()
                .group_name(required(&label, props, "GroupName")?)
                .description(required(&label, props, "GroupDescription")?)
                .vpc_id(required(&label, props, "VpcId")?)
                .tag_specifications(creation_tags(node))
                .send()
                .await
                .map_err(|e| sdk(&label, "CreateSecurityGroup", e))?;
            out.group_id().map(str::to_string).ok_or_else(|| {
                ProviderError::hard(format!("{label}: CreateSecurityGroup returned no id"))
            })?
        }
    };
    let group = by_id_or_retry(client, &label, &group_id).await?;
    if node.properties.contains_key(INGRESS) {
        reconcile(client, &label, &group, node, Direction::Ingress).await?;
    }
    reconcile(client, &label, &group, node, Direction::Egress).await?;
    let group = by_id_or_retry(client, &label, &group_id).await?;
    live(&label, &group)
}

/// Changes rules and tags in place: the name, description and VPC are create-only.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_group: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let group_id = live_group.physical_id.as_str();
    let rest = update_tags(client, &label, group_id, node, fields).await?;
    let mut ingress = false;
    let mut egress = false;
    for field in rest {
        if field.starts_with(INGRESS) {
            ingress = true;
        } else if field.starts_with(EGRESS) {
            egress = true;
        } else {
            return Err(not_in_place(&label, field));
        }
    }
    let group = by_id_or_retry(client, &label, group_id).await?;
    if ingress {
        set_inline_marker(client, &label, group_id, node).await?;
        if node.properties.contains_key(INGRESS) {
            reconcile(client, &label, &group, node, Direction::Ingress).await?;
        }
    }
    if egress {
        reconcile(client, &label, &group, node, Direction::Egress).await?;
    }
    let group = by_id_or_retry(client, &label, group_id).await?;
    live(&label, &group)
}

/// Deletes the group; one already gone is success. A group still used (by network
/// interfaces, or by another group's rules) fails with DependencyViolation, which is
/// retryable: those are usually being deleted too.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    match client
        .delete_security_group()
        .group_id(&live.physical_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteSecurityGroup", e)),
    }
}

/// The group with this id, `None` when there is none: what standalone rules are read from.
pub(crate) async fn by_id(
    client: &Client,
    label: &str,
    group_id: &str,
) -> Result<Option<SecurityGroup>, ProviderError> {
    match client
        .describe_security_groups()
        .group_ids(group_id)
        .send()
        .await
    {
        Ok(out) => Ok(out.security_groups().first().cloned()),
        Err(e) if code_of(&e) == Some(NOT_FOUND) => Ok(None),
        Err(e) => Err(sdk(label, "DescribeSecurityGroups", e)),
    }
}

/// The group with this id; missing is eventual consistency (it was just created or read).
async fn by_id_or_retry(
    client: &Client,
    label: &str,
    group_id: &str,
) -> Result<SecurityGroup, ProviderError> {
    by_id(client, label, group_id).await?.ok_or_else(|| {
        ProviderError::retryable(format!(
            "{label}: DescribeSecurityGroups: {group_id} not found yet"
        ))
    })
}

/// The group named like the node's in its VPC (names are unique per VPC).
async fn by_name(
    client: &Client,
    label: &str,
    node: &Resolved,
) -> Result<Option<SecurityGroup>, ProviderError> {
    let filters = vec![
        filter(
            "group-name",
            required(label, &node.properties, "GroupName")?,
        ),
        filter("vpc-id", required(label, &node.properties, "VpcId")?),
    ];
    Ok(describe(client, label, filters).await?.into_iter().next())
}

/// Authorizes the node's rules the group lacks and revokes those it has beyond them (a
/// description change is a revoke and an authorize). Revokes go first, so a rule that only
/// changes its description is not refused as a duplicate.
async fn reconcile(
    client: &Client,
    label: &str,
    group: &SecurityGroup,
    node: &Resolved,
    direction: Direction,
) -> Result<(), ProviderError> {
    let group_id = group_id(label, group)?;
    let (field, live) = match direction {
        Direction::Ingress => (INGRESS, group.ip_permissions()),
        Direction::Egress => (EGRESS, group.ip_permissions_egress()),
    };
    let mut properties = node.properties.clone();
    if direction == Direction::Egress && !properties.contains_key(EGRESS) {
        properties.insert(EGRESS.into(), default_egress());
    }
    let desired = rules::rules_of(&properties, field);
    let mut live: Vec<Map<String, Value>> = rules::from_permissions(live, direction)
        .into_iter()
        .filter_map(|v| v.as_object().cloned())
        .collect();
    live.iter_mut().for_each(rules::canonical);
    let extra: Vec<_> = live.iter().filter(|r| !desired.contains(r)).collect();
    let missing: Vec<_> = desired.iter().filter(|r| !live.contains(r)).collect();
    // Revokes first: see above.
    for (change, changed) in [(Change::Revoke, extra), (Change::Authorize, missing)] {
        if !changed.is_empty() {
            let permissions = changed
                .iter()
                .map(|r| rules::to_permission(r, direction))
                .collect();
            change_rules(client, label, &group_id, change, direction, permissions).await?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Change {
    Authorize,
    Revoke,
}

/// Authorizes or revokes `permissions` of the group, in `direction`.
async fn change_rules(
    client: &Client,
    label: &str,
    group_id: &str,
    change: Change,
    direction: Direction,
    permissions: Vec<aws_sdk_ec2::types::IpPermission>,
) -> Result<(), ProviderError> {
    // Four operations with the same input and unrelated builder types.
    macro_rules! call {
        ($op:ident, $name:literal) => {
            client
                .$op()
                .group_id(group_id)
                .set_ip_permissions(Some(permissions))
                .send()
                .await
                .map(drop)
                .map_err(|e| sdk(label, $name, e))
        };
    }
    match (change, direction) {
        (Change::Authorize, Direction::Ingress) => call!(
            authorize_security_group_ingress,
            "AuthorizeSecurityGroupIngress"
        ),
        (Change::Authorize, Direction::Egress) => call!(
            authorize_security_group_egress,
            "AuthorizeSecurityGroupEgress"
        ),
        (Change::Revoke, Direction::Ingress) => {
            call!(revoke_security_group_ingress, "RevokeSecurityGroupIngress")
        }
        (Change::Revoke, Direction::Egress) => {
            call!(revoke_security_group_egress, "RevokeSecurityGroupEgress")
        }
    }
}

/// The node's tags, plus the inline-ingress marker when the node lists its ingress.
fn creation_tags(node: &Resolved) -> TagSpecification {
    let mut tags: Vec<Tag> = tags::desired(node).iter().map(|(k, v)| tag(k, v)).collect();
    if node.properties.contains_key(INGRESS) {
        tags.push(tag(INLINE_INGRESS_TAG, INLINE));
    }
    TagSpecification::builder()
        .resource_type(ResourceType::SecurityGroup)
        .set_tags(Some(tags))
        .build()
}

/// Sets or removes the inline-ingress marker as the node now lists its ingress or not.
async fn set_inline_marker(
    client: &Client,
    label: &str,
    group_id: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    if node.properties.contains_key(INGRESS) {
        client
            .create_tags()
            .resources(group_id)
            .tags(tag(INLINE_INGRESS_TAG, INLINE))
            .send()
            .await
            .map_err(|e| sdk(label, "CreateTags", e))?;
    } else {
        client
            .delete_tags()
            .resources(group_id)
            .tags(Tag::builder().key(INLINE_INGRESS_TAG).build())
            .send()
            .await
            .map_err(|e| sdk(label, "DeleteTags", e))?;
    }
    Ok(())
}

/// Whether the group carries this node's stack and logical id: one an earlier create made.
fn owned_by_node(group: &SecurityGroup, node: &Resolved) -> bool {
    let tags = tags::to_map(pairs(group.tags()));
    tags::is_node(&tags, node)
}

/// Every group matching `filters`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    filters: Vec<Filter>,
) -> Result<Vec<SecurityGroup>, ProviderError> {
    let mut pages = client
        .describe_security_groups()
        .set_filters(Some(filters))
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(group) = pages.next().await {
        out.push(group.map_err(|e| sdk(label, "DescribeSecurityGroups", e))?);
    }
    Ok(out)
}

fn group_id(label: &str, group: &SecurityGroup) -> Result<String, ProviderError> {
    group.group_id().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: AWS returned a security group without an id"
        ))
    })
}

fn live(label: &str, group: &SecurityGroup) -> Result<Live, ProviderError> {
    let group_id = group_id(label, group)?;
    let tags = tags::to_map(pairs(group.tags()));
    let mut properties = Map::new();
    if let Some(name) = group.group_name() {
        properties.insert("GroupName".into(), json!(name));
    }
    if let Some(description) = group.description() {
        properties.insert("GroupDescription".into(), json!(description));
    }
    if let Some(vpc) = group.vpc_id() {
        properties.insert("VpcId".into(), json!(vpc));
    }
    if tags.get(INLINE_INGRESS_TAG).and_then(Value::as_str) == Some(INLINE) {
        let ingress = rules::from_permissions(group.ip_permissions(), Direction::Ingress);
        properties.insert(INGRESS.into(), Value::Array(ingress));
    }
    let egress = rules::from_permissions(group.ip_permissions_egress(), Direction::Egress);
    properties.insert(EGRESS.into(), Value::Array(egress));
    let mut attrs = Map::new();
    attrs.insert("GroupId".into(), json!(group_id));
    attrs.insert("Id".into(), json!(group_id));
    if let Some(vpc) = group.vpc_id() {
        attrs.insert("VpcId".into(), json!(vpc));
    }
    Ok(Live {
        id: live_id(&tags, &group_id),
        kind: KIND.to_string(),
        physical_id: group_id,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
