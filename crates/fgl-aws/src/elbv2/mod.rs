//! Elastic Load Balancing v2: load balancer, target groups, listeners, listener rules.
//!
//! The service's dispatch: one module per resource kind, each with `KIND`, `spec`, `discover`,
//! `read`, `create`, `update` and `delete`. Every kind is taggable at creation; ownership is
//! read with DescribeTags, batched (20 ARNs per call).

pub(crate) mod actions;
pub(crate) mod listener;
pub(crate) mod load_balancer;
pub(crate) mod rule;
pub(crate) mod target_group;

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::{sdk, unsupported};
use crate::tags;

/// DescribeTags takes at most this many ARNs per call.
const TAGS_PER_CALL: usize = 20;

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        load_balancer::KIND => load_balancer::spec(),
        target_group::KIND => target_group::spec(),
        listener::KIND => listener::spec(),
        rule::KIND => rule::spec(),
        _ => return None,
    })
}

/// Every ELB resource tagged `fgl:stack=<stack>`. Listeners and rules are only looked for
/// under the stack's own load balancers (and their listeners).
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let (lbs, tgs) = tokio::try_join!(
        load_balancer::discover(&c.elb, stack),
        target_group::discover(&c.elb, stack)
    )?;
    let lb_arns: Vec<String> = lbs.iter().map(|l| l.physical_id.clone()).collect();
    let listeners = listener::discover(&c.elb, stack, &lb_arns).await?;
    let listener_arns: Vec<String> = listeners.iter().map(|l| l.physical_id.clone()).collect();
    let rules = rule::discover(&c.elb, stack, &listener_arns).await?;
    Ok(lbs
        .into_iter()
        .chain(tgs)
        .chain(listeners)
        .chain(rules)
        .collect())
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        load_balancer::KIND => load_balancer::read(&c.elb, node).await,
        target_group::KIND => target_group::read(&c.elb, node).await,
        listener::KIND => listener::read(&c.elb, node).await,
        rule::KIND => rule::read(&c.elb, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        load_balancer::KIND => load_balancer::create(&c.elb, node).await,
        target_group::KIND => target_group::create(&c.elb, node).await,
        listener::KIND => listener::create(&c.elb, node).await,
        rule::KIND => rule::create(&c.elb, node).await,
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
        load_balancer::KIND => load_balancer::update(&c.elb, node, live, fields).await,
        target_group::KIND => target_group::update(&c.elb, node, live, fields).await,
        listener::KIND => listener::update(&c.elb, node, live, fields).await,
        rule::KIND => rule::update(&c.elb, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        load_balancer::KIND => load_balancer::delete(&c.elb, live).await,
        target_group::KIND => target_group::delete(&c.elb, live).await,
        listener::KIND => listener::delete(&c.elb, live).await,
        rule::KIND => rule::delete(&c.elb, live).await,
        other => Err(unsupported(other)),
    }
}

/// The tags of each of `arns`, by ARN, in batches of 20.
pub(crate) async fn tags_of(
    client: &Client,
    label: &str,
    arns: &[String],
) -> Result<HashMap<String, Map<String, Value>>, ProviderError> {
    let mut out = HashMap::new();
    for batch in arns.chunks(TAGS_PER_CALL) {
        let resp = client
            .describe_tags()
            .set_resource_arns(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| sdk(label, "DescribeTags", e))?;
        for desc in resp.tag_descriptions() {
            if let Some(arn) = desc.resource_arn() {
                let pairs = desc
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?, t.value().unwrap_or(""))));
                out.insert(arn.to_string(), tags::to_map(pairs));
            }
        }
    }
    Ok(out)
}

/// The tags of one resource.
pub(crate) async fn tags_of_one(
    client: &Client,
    label: &str,
    arn: &str,
) -> Result<Map<String, Value>, ProviderError> {
    let mut all = tags_of(client, label, &[arn.to_string()]).await?;
    Ok(all.remove(arn).unwrap_or_default())
}

/// Whether `tags` say `stack` owns the resource.
pub(crate) fn owned(tags: &Map<String, Value>, stack: &str) -> bool {
    tags.get(STACK_TAG).and_then(Value::as_str) == Some(stack)
}

/// Whether `tags` name the node (its stack and logical id).
pub(crate) fn is_node(tags: &Map<String, Value>, node: &Resolved) -> bool {
    owned(tags, &node.stack) && tags.get(ID_TAG).and_then(Value::as_str) == Some(&node.id)
}

/// The tags a resource is created with.
pub(crate) fn creation_tags(node: &Resolved) -> Vec<Tag> {
    tags::desired(node)
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// The logical id of a live resource: its `fgl:id`, or the ARN when hand-edited tags lost it
/// (still listed, so that destroy can remove it).
pub(crate) fn logical_id(tags: &Map<String, Value>, arn: &str) -> String {
    tags.get(ID_TAG)
        .and_then(Value::as_str)
        .unwrap_or(arn)
        .to_string()
}

/// Applies the `Tags.<key>` among `fields`: AddTags for the node's, RemoveTags for the rest.
/// The ownership tags come from the node, so they are never removed.
pub(crate) async fn update_tags(
    client: &Client,
    label: &str,
    arn: &str,
    node: &Resolved,
    fields: &[String],
) -> Result<(), ProviderError> {
    let desired = tags::desired(node);
    let mut add = Vec::new();
    let mut remove = Vec::new();
    for key in fields.iter().filter_map(|f| f.strip_prefix("Tags.")) {
        match desired.iter().find(|(k, _)| k == key) {
            Some((k, v)) => add.push(Tag::builder().key(k).value(v).build()),
            None => remove.push(key.to_string()),
        }
    }
    if !add.is_empty() {
        client
            .add_tags()
            .resource_arns(arn)
            .set_tags(Some(add))
            .send()
            .await
            .map_err(|e| sdk(label, "AddTags", e))?;
    }
    if !remove.is_empty() {
        client
            .remove_tags()
            .resource_arns(arn)
            .set_tag_keys(Some(remove))
            .send()
            .await
            .map_err(|e| sdk(label, "RemoveTags", e))?;
    }
    Ok(())
}

/// The top-level property a field path (`Subnets[1]`, `Matcher.HttpCode`) changes.
pub(crate) fn top_field(field: &str) -> &str {
    let end = field.find(['.', '[']).unwrap_or(field.len());
    &field[..end]
}

/// A string property the node must have.
pub(crate) fn req_str<'a>(
    label: &str,
    props: &'a Map<String, Value>,
    key: &str,
) -> Result<&'a str, ProviderError> {
    props
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: {key} is missing or not a string")))
}

/// An integer property, if the node has one.
pub(crate) fn opt_i32(props: &Map<String, Value>, key: &str) -> Option<i32> {
    props
        .get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

/// A list of strings property (empty when absent).
pub(crate) fn str_list(props: &Map<String, Value>, key: &str) -> Vec<String> {
    props
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}
