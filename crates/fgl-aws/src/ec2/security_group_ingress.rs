//! `AWS::EC2::SecurityGroupIngress`: one rule added to a group that is not the node's own
//! (a load balancer opening the tasks' group): AuthorizeSecurityGroupIngress,
//! UpdateSecurityGroupRuleDescriptionsIngress, RevokeSecurityGroupIngress. Untaggable: found
//! among the group's rules and owned when the group (`GroupId`) is.

use std::sync::Arc;

use aws_sdk_ec2::types::SecurityGroup;
use aws_sdk_ec2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::rules::{self, Direction};
use super::security_group::by_id;
use super::{child, label, not_in_place, required, visible};
use crate::error::{code_of, sdk};

pub(crate) const KIND: &str = "AWS::EC2::SecurityGroupIngress";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // Everything but the description names another rule.
        create_only: std::iter::once("GroupId")
            .chain(rules::IDENTITY)
            .map(String::from)
            .collect(),
        hook: Some(Arc::new(rules::canonical)),
        ..KindSpec::default()
    }
}

/// The node's rule in its group. One DescribeSecurityGroups call.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let group_id = required(&label, &node.properties, "GroupId")?;
    match by_id(client, &label, group_id).await? {
        Some(group) => in_group(node, &group),
        None => Ok(None),
    }
}

/// The node's rule among those of `group`, its `GroupId`: what `read` and the snapshot
/// answer.
pub(crate) fn in_group(
    node: &Resolved,
    group: &SecurityGroup,
) -> Result<Option<Live>, ProviderError> {
    let label = label(KIND, &node.id);
    let group_id = required(&label, &node.properties, "GroupId")?;
    let wanted = desired_rule(&node.properties);
    let found = rules::from_permissions(group.ip_permissions(), Direction::Ingress)
        .into_iter()
        .filter_map(|v| v.as_object().cloned())
        .find(|rule| rules::same_rule(rule, &wanted));
    Ok(found.map(|mut properties| {
        properties.insert("GroupId".into(), json!(group_id));
        child(node, KIND, group_id.to_string(), properties, group.tags())
    }))
}

/// Adds the rule; one already there (an earlier attempt) is adopted, its description set.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    let group_id = required(&label, &node.properties, "GroupId")?;
    let permission = rules::to_permission(&desired_rule(&node.properties), Direction::Ingress);
    match client
        .authorize_security_group_ingress()
        .group_id(group_id)
        .ip_permissions(permission)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if code_of(&e) == Some("InvalidPermission.Duplicate") => {
            set_description(client, &label, node).await?;
        }
        Err(e) => return Err(sdk(&label, "AuthorizeSecurityGroupIngress", e)),
    }
    read_back(client, &label, node).await
}

/// Changes the description in place; every other field names another rule.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    _live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = label(KIND, &node.id);
    if let Some(other) = fields.iter().find(|f| f.as_str() != "Description") {
        return Err(not_in_place(&label, other));
    }
    set_description(client, &label, node).await?;
    read_back(client, &label, node).await
}

/// Removes the rule; one already gone (or whose group is gone) is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = label(KIND, &live.id);
    let group_id = required(&label, &live.properties, "GroupId")?;
    let permission = rules::to_permission(&desired_rule(&live.properties), Direction::Ingress);
    match client
        .revoke_security_group_ingress()
        .group_id(group_id)
        .ip_permissions(permission)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                code_of(&e),
                Some("InvalidPermission.NotFound" | "InvalidGroup.NotFound")
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(sdk(&label, "RevokeSecurityGroupIngress", e)),
    }
}

/// Sets the rule's description to the node's (none: AWS's empty one).
async fn set_description(
    client: &Client,
    label: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    let mut rule = desired_rule(&node.properties);
    rule.entry("Description").or_insert_with(|| json!(""));
    client
        .update_security_group_rule_descriptions_ingress()
        .group_id(required(label, &node.properties, "GroupId")?)
        .ip_permissions(rules::to_permission(&rule, Direction::Ingress))
        .send()
        .await
        .map_err(|e| sdk(label, "UpdateSecurityGroupRuleDescriptionsIngress", e))?;
    Ok(())
}

async fn read_back(client: &Client, label: &str, node: &Resolved) -> Result<Live, ProviderError> {
    visible(label, "rule", read(client, node).await?)
}

/// The rule in the node's properties: all but `GroupId`, canonical.
fn desired_rule(properties: &Map<String, Value>) -> Map<String, Value> {
    let mut rule = properties.clone();
    rule.remove("GroupId");
    rules::canonical(&mut rule);
    rule
}
