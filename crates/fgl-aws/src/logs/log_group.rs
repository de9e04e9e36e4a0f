//! `AWS::Logs::LogGroup`: CreateLogGroup (tagged at creation), PutRetentionPolicy, tags,
//! DeleteLogGroup. A log group's name is unique in the region, so it is its identity; fgl names
//! them `/fgl/<stack>/…`, which lets discovery list a stack's groups by prefix.

use std::collections::HashMap;

use aws_sdk_cloudwatchlogs::types::LogGroup;
use aws_sdk_cloudwatchlogs::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::Logs::LogGroup";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["LogGroupName".into()],
        ..KindSpec::default()
    }
}

/// Every log group under `/fgl/<stack>/` tagged `fgl:stack=<stack>`: one DescribeLogGroups page
/// for all of them, then one ListTagsForResource each (Logs has no tag filter).
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let groups = describe(client, &label, &format!("/fgl/{stack}/")).await?;
    let mut out = Vec::new();
    for group in &groups {
        let live = live(client, &label, group).await?;
        if live.owned_by(stack) {
            out.push(live);
        }
    }
    Ok(out)
}

/// The log group named like the node, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = name(&label, node)?;
    by_name(client, &label, name).await
}

/// Creates the group with its tags and retention; a group an earlier attempt created is
/// adopted (its retention set again), so a retried create never fails on AlreadyExists.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = name(&label, node)?;
    let tags: HashMap<String, String> = tags::desired(node).into_iter().collect();
    let mut adopted = false;
    match client
        .create_log_group()
        .log_group_name(name)
        .set_tags(Some(tags))
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if code_of(&e) == Some("ResourceAlreadyExistsException") => {
            let existing = by_name(client, &label, name).await?;
            if !existing.as_ref().is_some_and(|l| l.owned_by(&node.stack)) {
                return Err(sdk(&label, "CreateLogGroup", e));
            }
            adopted = true;
        }
        Err(e) => return Err(sdk(&label, "CreateLogGroup", e)),
    }
    // A new group keeps its logs forever until told otherwise; an adopted one may not.
    if node.properties.contains_key("RetentionInDays") || adopted {
        set_retention(client, &label, name, node).await?;
    }
    fetch(client, &label, name).await
}

/// Changes the retention and tags in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = name(&label, node)?;
    let mut retention = false;
    for field in fields.iter().filter(|f| !tags::is_tag(f)) {
        match field.as_str() {
            "RetentionInDays" => retention = true,
            f => {
                return Err(ProviderError::hard(format!(
                    "{label}: `{f}` cannot be changed in place"
                )))
            }
        }
    }
    let tags::Changes { set, unset } = tags::changes(node, fields);
    if retention {
        set_retention(client, &label, name, node).await?;
    }
    let arn = group_arn(&live.physical_id);
    if !set.is_empty() {
        client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(set.into_iter().collect()))
            .send()
            .await
            .map_err(|e| sdk(&label, "TagResource", e))?;
    }
    if !unset.is_empty() {
        client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(unset))
            .send()
            .await
            .map_err(|e| sdk(&label, "UntagResource", e))?;
    }
    fetch(client, &label, name).await
}

/// Deletes the group (and its logs); one already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    let name = live
        .properties
        .get("LogGroupName")
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: no LogGroupName")))?;
    match client.delete_log_group().log_group_name(name).send().await {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteLogGroup", e)),
    }
}

fn name<'a>(label: &str, node: &'a Resolved) -> Result<&'a str, ProviderError> {
    node.properties
        .get("LogGroupName")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ProviderError::hard(format!("{label}: LogGroupName is missing or not a string"))
        })
}

/// Sets the node's retention, or removes it (logs kept forever) when the node has none.
async fn set_retention(
    client: &Client,
    label: &str,
    name: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    match node
        .properties
        .get("RetentionInDays")
        .and_then(Value::as_i64)
    {
        Some(days) => {
            let days = i32::try_from(days).map_err(|_| {
                ProviderError::hard(format!("{label}: RetentionInDays {days} is out of range"))
            })?;
            client
                .put_retention_policy()
                .log_group_name(name)
                .retention_in_days(days)
                .send()
                .await
                .map_err(|e| sdk(label, "PutRetentionPolicy", e))?;
        }
        None => {
            client
                .delete_retention_policy()
                .log_group_name(name)
                .send()
                .await
                .map_err(|e| sdk(label, "DeleteRetentionPolicy", e))?;
        }
    }
    Ok(())
}

/// The group named exactly `name` (DescribeLogGroups matches by prefix).
async fn by_name(client: &Client, label: &str, name: &str) -> Result<Option<Live>, ProviderError> {
    let groups = describe(client, label, name).await?;
    match groups.iter().find(|g| g.log_group_name() == Some(name)) {
        Some(group) => live(client, label, group).await.map(Some),
        None => Ok(None),
    }
}

/// A group just created or changed: not listed yet is eventual consistency.
async fn fetch(client: &Client, label: &str, name: &str) -> Result<Live, ProviderError> {
    by_name(client, label, name).await?.ok_or_else(|| {
        ProviderError::retryable(format!("{label}: DescribeLogGroups: {name} not found yet"))
    })
}

/// Every group whose name starts with `prefix`, across pages.
async fn describe(
    client: &Client,
    label: &str,
    prefix: &str,
) -> Result<Vec<LogGroup>, ProviderError> {
    let mut pages = client
        .describe_log_groups()
        .log_group_name_prefix(prefix)
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(group) = pages.next().await {
        out.push(group.map_err(|e| sdk(label, "DescribeLogGroups", e))?);
    }
    Ok(out)
}

/// The ARN the tagging calls take: DescribeLogGroups' `arn` ends in `:*` (its streams).
fn group_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// A group as the engine sees it; its tags cost a ListTagsForResource call.
async fn live(client: &Client, label: &str, group: &LogGroup) -> Result<Live, ProviderError> {
    let name = group
        .log_group_name()
        .ok_or_else(|| ProviderError::hard(format!("{label}: a log group without a name")))?;
    let arn = group
        .log_group_arn()
        .or(group.arn())
        .map(group_arn)
        .ok_or_else(|| ProviderError::hard(format!("{label}: log group {name} has no ARN")))?;
    let out = client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(|e| sdk(label, "ListTagsForResource", e))?;
    let tags = tags::to_map(
        out.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let mut properties = Map::new();
    properties.insert("LogGroupName".into(), json!(name));
    if let Some(days) = group.retention_in_days() {
        properties.insert("RetentionInDays".into(), json!(days));
    }
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    Ok(Live {
        id: crate::tags::logical_id(&tags, name),
        kind: KIND.to_string(),
        physical_id: arn.to_string(),
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
