//! `AWS::IAM::Role`: CreateRole (tagged at creation), the trust policy, the description, inline
//! policies (PutRolePolicy/DeleteRolePolicy), tags, DeleteRole. A role's name is unique in
//! the account, so it is its identity; fgl puts a stack's roles under the path
//! `/fgl/<stack>/`, which lets discovery list exactly them.

use std::sync::Arc;

use aws_sdk_iam::types::{Role, Tag};
use aws_sdk_iam::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::IAM::Role";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["RoleName".into(), "Path".into()],
        defaults: vec![("Path".into(), json!("/"))],
        unordered: vec!["Policies".into()],
        hook: Some(Arc::new(normalize_documents)),
        ..KindSpec::default()
    }
}

/// IAM may reorder a policy's lists and turn a one-item list into its item: both sides are
/// compared with lists sorted and one-item lists unwrapped.
fn normalize_documents(properties: &mut Map<String, Value>) {
    if let Some(doc) = properties.get_mut("AssumeRolePolicyDocument") {
        canonical(doc);
    }
    if let Some(Value::Array(policies)) = properties.get_mut("Policies") {
        for policy in policies {
            if let Some(doc) = policy.get_mut("PolicyDocument") {
                canonical(doc);
            }
        }
    }
}

fn canonical(value: &mut Value) {
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(canonical);
            items.sort_by_cached_key(|item| item.to_string());
            if items.len() == 1 {
                *value = items.remove(0);
            }
        }
        Value::Object(map) => map.values_mut().for_each(canonical),
        _ => {}
    }
}

/// Every role under `/fgl/<stack>/` tagged `fgl:stack=<stack>`. ListRoles returns no tags
/// and no inline policies, so each role costs a GetRole and its policies' reads.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut pages = client
        .list_roles()
        .path_prefix(format!("/fgl/{stack}/"))
        .into_paginator()
        .items()
        .send();
    let mut names = Vec::new();
    while let Some(role) = pages.next().await {
        names.push(role.map_err(|e| sdk(&label, "ListRoles", e))?.role_name);
    }
    let mut out = Vec::new();
    for name in &names {
        if let Some(live) = by_name(client, &label, name).await? {
            if live.owned_by(stack) {
                out.push(live);
            }
        }
    }
    Ok(out)
}

/// The role named like the node, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    by_name(client, &label, name(&label, node)?).await
}

/// Creates the role with its tags, then its inline policies. A role an earlier attempt
/// created (this stack's tags) is adopted and brought to the node.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = name(&label, node)?;
    let trust = document(&label, node, "AssumeRolePolicyDocument")?;
    let role_tags = tags::desired(node)
        .iter()
        .map(|(k, v)| tag(k, v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProviderError::hard(format!("{label}: a tag: {e}")))?;
    let created = client
        .create_role()
        .role_name(name)
        .set_path(str_prop(node, "Path").map(str::to_string))
        .set_description(str_prop(node, "Description").map(str::to_string))
        .assume_role_policy_document(&trust)
        .set_tags(Some(role_tags))
        .send()
        .await;
    match created {
        Ok(_) => {}
        Err(e) if code_of(&e) == Some("EntityAlreadyExists") => {
            let existing = by_name(client, &label, name).await?;
            if !existing.as_ref().is_some_and(|l| l.owned_by(&node.stack)) {
                return Err(sdk(&label, "CreateRole", e));
            }
            set_trust(client, &label, name, &trust).await?;
            set_description(client, &label, name, node).await?;
        }
        Err(e) => return Err(sdk(&label, "CreateRole", e)),
    }
    sync_policies(client, &label, name, node).await?;
    fetch(client, &label, name).await
}

/// Changes the trust policy, the description, the inline policies and tags in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = live.physical_id.as_str();
    let (mut trust, mut description, mut policies) = (false, false, false);
    for field in fields.iter().filter(|f| !tags::is_tag(f)) {
        let top = field.split(['.', '[']).next().unwrap_or_default();
        match top {
            "AssumeRolePolicyDocument" => trust = true,
            "Description" => description = true,
            "Policies" => policies = true,
            _ => {
                return Err(ProviderError::hard(format!(
                    "{label}: `{field}` cannot be changed in place"
                )))
            }
        }
    }
    let tags::Changes { set, unset } = tags::changes(node, fields);
    let set = set
        .iter()
        .map(|(k, v)| tag(k, v).map_err(|e| ProviderError::hard(format!("{label}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if trust {
        let doc = document(&label, node, "AssumeRolePolicyDocument")?;
        set_trust(client, &label, name, &doc).await?;
    }
    if description {
        set_description(client, &label, name, node).await?;
    }
    if policies {
        sync_policies(client, &label, name, node).await?;
    }
    if !set.is_empty() {
        client
            .tag_role()
            .role_name(name)
            .set_tags(Some(set))
            .send()
            .await
            .map_err(|e| sdk(&label, "TagRole", e))?;
    }
    if !unset.is_empty() {
        client
            .untag_role()
            .role_name(name)
            .set_tag_keys(Some(unset))
            .send()
            .await
            .map_err(|e| sdk(&label, "UntagRole", e))?;
    }
    fetch(client, &label, name).await
}

/// Deletes the inline policies (IAM refuses to delete a role that has any), then the role;
/// a role already gone is success.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    let name = live.physical_id.as_str();
    let Some(names) = policy_names(client, &label, name).await? else {
        return Ok(());
    };
    for policy in names {
        match client
            .delete_role_policy()
            .role_name(name)
            .policy_name(&policy)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if code_of(&e) == Some("NoSuchEntity") => {}
            Err(e) => return Err(sdk(&label, "DeleteRolePolicy", e)),
        }
    }
    match client.delete_role().role_name(name).send().await {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("NoSuchEntity") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteRole", e)),
    }
}

fn name<'a>(label: &str, node: &'a Resolved) -> Result<&'a str, ProviderError> {
    str_prop(node, "RoleName")
        .ok_or_else(|| ProviderError::hard(format!("{label}: RoleName is missing or not a string")))
}

fn str_prop<'a>(node: &'a Resolved, field: &str) -> Option<&'a str> {
    node.properties.get(field).and_then(Value::as_str)
}

/// A policy document of the node as the JSON text IAM takes.
fn document(label: &str, node: &Resolved, field: &str) -> Result<String, ProviderError> {
    match node.properties.get(field) {
        Some(doc @ Value::Object(_)) => Ok(doc.to_string()),
        _ => Err(ProviderError::hard(format!(
            "{label}: {field} is missing or not an object"
        ))),
    }
}

fn tag(key: &str, value: &str) -> Result<Tag, aws_sdk_iam::error::BuildError> {
    Tag::builder().key(key).value(value).build()
}

async fn set_trust(
    client: &Client,
    label: &str,
    name: &str,
    doc: &str,
) -> Result<(), ProviderError> {
    client
        .update_assume_role_policy()
        .role_name(name)
        .policy_document(doc)
        .send()
        .await
        .map_err(|e| sdk(label, "UpdateAssumeRolePolicy", e))?;
    Ok(())
}

/// Sets the node's description (the empty one when it has none: IAM's way to clear it).
async fn set_description(
    client: &Client,
    label: &str,
    name: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    client
        .update_role()
        .role_name(name)
        .description(str_prop(node, "Description").unwrap_or_default())
        .send()
        .await
        .map_err(|e| sdk(label, "UpdateRole", e))?;
    Ok(())
}

/// Makes the inline policies exactly the node's: puts each desired one, deletes the others.
async fn sync_policies(
    client: &Client,
    label: &str,
    name: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    let mut desired = Vec::new();
    for policy in node
        .properties
        .get("Policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let policy_name = policy.get("PolicyName").and_then(Value::as_str);
        let doc = policy.get("PolicyDocument").filter(|d| d.is_object());
        match (policy_name, doc) {
            (Some(p), Some(d)) => desired.push((p, d.to_string())),
            _ => {
                return Err(ProviderError::hard(format!(
                    "{label}: a policy without PolicyName or PolicyDocument"
                )))
            }
        }
    }
    for (policy_name, doc) in &desired {
        client
            .put_role_policy()
            .role_name(name)
            .policy_name(*policy_name)
            .policy_document(doc)
            .send()
            .await
            .map_err(|e| sdk(label, "PutRolePolicy", e))?;
    }
    let existing = policy_names(client, label, name).await?.unwrap_or_default();
    for stale in existing
        .iter()
        .filter(|p| !desired.iter().any(|(d, _)| d == p))
    {
        client
            .delete_role_policy()
            .role_name(name)
            .policy_name(stale)
            .send()
            .await
            .map_err(|e| sdk(label, "DeleteRolePolicy", e))?;
    }
    Ok(())
}

/// The names of the role's inline policies; `None` when the role does not exist.
async fn policy_names(
    client: &Client,
    label: &str,
    name: &str,
) -> Result<Option<Vec<String>>, ProviderError> {
    let mut pages = client
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(policy) = pages.next().await {
        match policy {
            Ok(p) => out.push(p),
            Err(e) if code_of(&e) == Some("NoSuchEntity") => return Ok(None),
            Err(e) => return Err(sdk(label, "ListRolePolicies", e)),
        }
    }
    Ok(Some(out))
}

/// A role just created or changed; not visible yet is eventual consistency.
async fn fetch(client: &Client, label: &str, name: &str) -> Result<Live, ProviderError> {
    by_name(client, label, name)
        .await?
        .ok_or_else(|| ProviderError::retryable(format!("{label}: GetRole: {name} not found yet")))
}

/// The role named `name` with its inline policies, or `None`.
async fn by_name(client: &Client, label: &str, name: &str) -> Result<Option<Live>, ProviderError> {
    let role = match client.get_role().role_name(name).send().await {
        Ok(out) => match out.role {
            Some(role) => role,
            None => return Ok(None),
        },
        Err(e) if code_of(&e) == Some("NoSuchEntity") => return Ok(None),
        Err(e) => return Err(sdk(label, "GetRole", e)),
    };
    let Some(names) = policy_names(client, label, name).await? else {
        return Ok(None);
    };
    let mut policies = Vec::new();
    for policy in names {
        let out = client
            .get_role_policy()
            .role_name(name)
            .policy_name(&policy)
            .send()
            .await
            .map_err(|e| sdk(label, "GetRolePolicy", e))?;
        policies.push(json!({
            "PolicyName": policy,
            "PolicyDocument": parse_document(label, &out.policy_document)?,
        }));
    }
    live(label, &role, policies).map(Some)
}

fn live(label: &str, role: &Role, policies: Vec<Value>) -> Result<Live, ProviderError> {
    let name = role.role_name();
    let tags = tags::to_map(role.tags().iter().map(|t| (t.key(), t.value())));
    let mut properties = Map::new();
    properties.insert("RoleName".into(), json!(name));
    properties.insert("Path".into(), json!(role.path()));
    if let Some(description) = role.description().filter(|d| !d.is_empty()) {
        properties.insert("Description".into(), json!(description));
    }
    if let Some(doc) = role.assume_role_policy_document() {
        properties.insert(
            "AssumeRolePolicyDocument".into(),
            parse_document(label, doc)?,
        );
    }
    if !policies.is_empty() {
        properties.insert("Policies".into(), Value::Array(policies));
    }
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(role.arn()));
    attrs.insert("RoleId".into(), json!(role.role_id()));
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

/// A policy document as IAM returns it: URL-encoded JSON (moto sends it as is).
fn parse_document(label: &str, text: &str) -> Result<Value, ProviderError> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_str(&percent_decode(text)))
        .map_err(|e| ProviderError::hard(format!("{label}: a policy document is not JSON: {e}")))
}

/// Undoes URL encoding (`%7B` → `{`); malformed escapes stay as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_documents_and_single_item_lists_compare_equal() {
        let encoded = "%7B%22Statement%22%3A%5B%7B%22Action%22%3A%22s3%3AGet%2A%22%7D%5D%7D";
        let live = parse_document("r", encoded).unwrap();
        assert_eq!(live, json!({"Statement": [{"Action": "s3:Get*"}]}));
        let mut a = json!({"AssumeRolePolicyDocument": {"Statement": [{"Action": ["b", "a"]}]}});
        let mut b = json!({"AssumeRolePolicyDocument": {"Statement": {"Action": ["a", "b"]}}});
        normalize_documents(a.as_object_mut().unwrap());
        normalize_documents(b.as_object_mut().unwrap());
        assert_eq!(a, b);
    }
}
