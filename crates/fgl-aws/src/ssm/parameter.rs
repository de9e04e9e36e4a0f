//! `AWS::SSM::Parameter`: a secret's SecureString parameter. Only its existence, metadata and
//! tags are managed here: the value is written by `fgl secret set` (see `secret.rs`) and never
//! read, so `create` cannot make one and asks for `fgl secret set` instead.

use aws_sdk_ssm::types::{ParameterMetadata, ParameterStringFilter, Tag};
use aws_sdk_ssm::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map, Value};

use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::SSM::Parameter";

/// The key SSM encrypts a SecureString with when none is named.
const DEFAULT_KEY: &str = "alias/aws/ssm";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        defaults: vec![
            ("Tier".into(), json!("Standard")),
            ("KeyId".into(), json!(DEFAULT_KEY)),
        ],
        ..KindSpec::default()
    }
}

/// Every parameter tagged `fgl:stack=<stack>` (one DescribeParameters with a tag filter, then
/// the tags of each).
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let found = describe(
        client,
        &label,
        ParameterStringFilter::builder()
            .key(format!("tag:{STACK_TAG}"))
            .values(stack)
            .build()
            .map_err(|e| ProviderError::hard(format!("{label}: {e}")))?,
    )
    .await?;
    let mut out = Vec::with_capacity(found.len());
    for meta in &found {
        out.push(to_live(client, &label, meta).await?);
    }
    Ok(out)
}

/// The parameter named by the node, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = name_of(node)?;
    match by_name(client, &label, name).await? {
        Some(meta) => to_live(client, &label, &meta).await.map(Some),
        None => Ok(None),
    }
}

/// A parameter is only ever created with its value, by `fgl secret set`; apply's preflight
/// says so before any change, this is the engine's last word if it gets here.
pub(crate) async fn create(_client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let name = node
        .properties
        .get("Name")
        .and_then(Value::as_str)
        .unwrap_or("?");
    Err(ProviderError::hard(format!(
        "{KIND} {}: the secret `{}` has no value yet ({name}): set it with `fgl secret set FILE {}`",
        node.id,
        owner_of(&node.id),
        owner_of(&node.id)
    )))
}

/// Tags change in place; the other fields can only be written together with the value.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = live.physical_id.as_str();
    if let Some(field) = fields.iter().find(|f| !tags::is_tag(f)) {
        return Err(ProviderError::hard(format!(
            "{label}: `{field}` of a secret changes only with its value: run `fgl secret set FILE {}`",
            owner_of(&node.id)
        )));
    }
    let tags::Changes { set, unset: remove } = tags::changes(node, fields);
    let add = set
        .iter()
        .map(|(k, v)| {
            let tag = Tag::builder().key(k).value(v).build();
            tag.map_err(|e| ProviderError::hard(format!("{label}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !add.is_empty() {
        client
            .add_tags_to_resource()
            .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
            .resource_id(name)
            .set_tags(Some(add))
            .send()
            .await
            .map_err(|e| sdk(&label, "AddTagsToResource", e))?;
    }
    if !remove.is_empty() {
        client
            .remove_tags_from_resource()
            .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
            .resource_id(name)
            .set_tag_keys(Some(remove))
            .send()
            .await
            .map_err(|e| sdk(&label, "RemoveTagsFromResource", e))?;
    }
    match by_name(client, &label, name).await? {
        Some(meta) => to_live(client, &label, &meta).await,
        None => Err(ProviderError::retryable(format!(
            "{label}: DescribeParameters: {name} not found yet"
        ))),
    }
}

/// Deletes the parameter (and with it the secret's value); one already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    match client
        .delete_parameter()
        .name(&live.physical_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ParameterNotFound") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteParameter", e)),
    }
}

fn name_of(node: &Resolved) -> Result<&str, ProviderError> {
    node.properties
        .get("Name")
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{KIND} {}: Name is missing", node.id)))
}

/// `password` of `password/parameter`: the secret's binding, what `fgl secret set` takes.
fn owner_of(id: &str) -> &str {
    id.split('/').next().unwrap_or(id)
}

/// The metadata of the parameter called `name`, if there is one.
pub(crate) async fn by_name(
    client: &Client,
    label: &str,
    name: &str,
) -> Result<Option<ParameterMetadata>, ProviderError> {
    let filter = ParameterStringFilter::builder()
        .key("Name")
        .option("Equals")
        .values(name)
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: {e}")))?;
    Ok(describe(client, label, filter).await?.into_iter().next())
}

async fn describe(
    client: &Client,
    label: &str,
    filter: ParameterStringFilter,
) -> Result<Vec<ParameterMetadata>, ProviderError> {
    let mut pages = client
        .describe_parameters()
        .parameter_filters(filter)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| sdk(label, "DescribeParameters", e))?;
        out.extend(page.parameters().iter().cloned());
    }
    Ok(out)
}

/// The tags of the parameter `name`.
pub(crate) async fn tags_of(
    client: &Client,
    label: &str,
    name: &str,
) -> Result<Map<String, Value>, ProviderError> {
    let out = client
        .list_tags_for_resource()
        .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
        .resource_id(name)
        .send()
        .await
        .map_err(|e| sdk(label, "ListTagsForResource", e))?;
    Ok(tags::to_map(
        out.tag_list().iter().map(|t| (t.key(), t.value())),
    ))
}

async fn to_live(
    client: &Client,
    label: &str,
    meta: &ParameterMetadata,
) -> Result<Live, ProviderError> {
    let name = meta
        .name()
        .ok_or_else(|| ProviderError::hard(format!("{label}: a parameter without a name")))?;
    let tags = tags_of(client, label, name).await?;
    let mut properties = Map::new();
    properties.insert("Name".into(), json!(name));
    if let Some(t) = meta.r#type() {
        properties.insert("Type".into(), json!(t.as_str()));
    }
    if let Some(tier) = meta.tier() {
        properties.insert("Tier".into(), json!(tier.as_str()));
    }
    if let Some(d) = meta.description() {
        properties.insert("Description".into(), json!(d));
    }
    if let Some(k) = meta.key_id() {
        properties.insert("KeyId".into(), json!(k));
    }
    let mut attrs = Map::new();
    attrs.insert("Name".into(), json!(name));
    // Services record the version their tasks read: a new one (`fgl secret set`) redeploys.
    attrs.insert("Version".into(), json!(meta.version()));
    if let Some(arn) = meta.arn() {
        attrs.insert("Arn".into(), json!(arn));
    }
    Ok(Live {
        id: crate::tags::logical_id(&tags, name),
        kind: KIND.to_string(),
        physical_id: name.to_string(),
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
