//! Elastic Load Balancing v2: load balancer, target groups, listeners, listener rules.
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all. Every kind is taggable at creation; ownership is
//! read with DescribeTags, batched (20 ARNs per call).

pub(crate) mod actions;
pub(crate) mod listener;
pub(crate) mod load_balancer;
pub(crate) mod rule;
pub(crate) mod target_group;

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::sdk;
use crate::tags;

/// DescribeTags takes at most this many ARNs per call.
const TAGS_PER_CALL: usize = 20;

crate::dispatch::kinds!(elb: load_balancer, target_group, listener, rule);

/// Every ELB resource tagged `fgl:stack=<stack>`. Listeners and rules are only looked for
/// under the stack's own load balancers (and their listeners). The tags of load balancers
/// and target groups come with one DescribeTags (20 ARNs a call).
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!(
        "{} and {} (stack {stack})",
        load_balancer::KIND,
        target_group::KIND
    );
    let ((all_lbs, lb_arns), (all_tgs, tg_arns)) = tokio::try_join!(
        load_balancer::list(&c.elb, &label),
        target_group::list(&c.elb, &label)
    )?;
    let arns: Vec<String> = lb_arns.into_iter().chain(tg_arns).collect();
    let mut tags = tags_of(&c.elb, &label, &arns).await?;
    let lbs = load_balancer::owned_of(&c.elb, &label, &all_lbs, &mut tags, stack).await?;
    let tgs = target_group::owned_of(&label, &all_tgs, &mut tags, stack)?;
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

pub(crate) use crate::tags::{is_node, logical_id};

/// The tags a resource is created with.
pub(crate) fn creation_tags(node: &Resolved) -> Vec<Tag> {
    tags::desired(node)
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
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
    let tags::Changes { set, unset } = tags::changes(node, fields);
    if !set.is_empty() {
        let add = set
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build());
        client
            .add_tags()
            .resource_arns(arn)
            .set_tags(Some(add.collect()))
            .send()
            .await
            .map_err(|e| sdk(label, "AddTags", e))?;
    }
    if !unset.is_empty() {
        client
            .remove_tags()
            .resource_arns(arn)
            .set_tag_keys(Some(unset))
            .send()
            .await
            .map_err(|e| sdk(label, "RemoveTags", e))?;
    }
    Ok(())
}

/// The resource a Describe call by ARN found right after a change: not there yet is eventual
/// consistency.
pub(crate) fn described<'a, T>(
    label: &str,
    call: &str,
    arn: &str,
    found: &'a [T],
) -> Result<&'a T, ProviderError> {
    found
        .first()
        .ok_or_else(|| ProviderError::retryable(format!("{label}: {call}: {arn} not found yet")))
}

/// Which of `groups` (top-level properties each) the fields of an update touch; tags are
/// left to `update_tags`, any other field cannot change in place.
pub(crate) fn in_place<const N: usize>(
    label: &str,
    fields: &[String],
    groups: [&[&str]; N],
) -> Result<[bool; N], ProviderError> {
    let mut touched = [false; N];
    for field in fields.iter().map(|f| top_field(f)).filter(|f| *f != "Tags") {
        match groups.iter().position(|g| g.contains(&field)) {
            Some(i) => touched[i] = true,
            None => {
                return Err(ProviderError::hard(format!(
                    "{label}: `{field}` cannot be changed in place"
                )))
            }
        }
    }
    Ok(touched)
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
