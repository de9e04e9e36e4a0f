//! `AWS::ECS::TaskDefinition`. Task definitions are immutable: each change registers a new
//! revision of the family (the node's name) and deregisters the stack's older ones. The live
//! resource is the family's latest ACTIVE revision; its ARN is the `Arn` services use.

use std::sync::Arc;

use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, CpuArchitecture, KeyValuePair, LogConfiguration, LogDriver,
    NetworkMode, OsFamily, PortMapping, RuntimePlatform, Secret, SortOrder, TaskDefinition,
    TaskDefinitionFamilyStatus, TaskDefinitionField, TaskDefinitionStatus, TransportProtocol,
};
use aws_sdk_ecs::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{desired_tags, ecs_error, object, str_prop, tag_map};
use crate::error::code_of;

pub(crate) const KIND: &str = "AWS::ECS::TaskDefinition";

/// The container fields fgl sets, and so the only ones it can send and read back.
const CONTAINER_FIELDS: &[&str] = &[
    "Name",
    "Image",
    "Essential",
    "Environment",
    "Secrets",
    "LogConfiguration",
    "PortMappings",
    "Command",
];

/// The task fields fgl sets.
const TASK_FIELDS: &[&str] = &[
    "Family",
    "Cpu",
    "Memory",
    "NetworkMode",
    "RequiresCompatibilities",
    "RuntimePlatform",
    "ExecutionRoleArn",
    "TaskRoleArn",
    "ContainerDefinitions",
];

/// DeleteTaskDefinitions takes at most this many revisions per call.
const DELETE_BATCH: usize = 10;

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        // Every other field changes by registering a new revision (`update`).
        create_only: vec!["Family".into()],
        defaults: vec![
            ("ContainerDefinitions.*.Essential".into(), json!(true)),
            (
                "ContainerDefinitions.*.PortMappings.*.Protocol".into(),
                json!("tcp"),
            ),
        ],
        unordered: vec!["RequiresCompatibilities".into()],
        // An update registers a new revision: a new ARN, which the service then moves to.
        renewed_by_update: vec!["Arn".into()],
        hook: Some(Arc::new(normalize)),
        ..KindSpec::default()
    }
}

/// What ECS stores differently: empty lists it leaves out, `Cpu`/`Memory` as strings, the host
/// port it fills with the container port (awsvpc requires them equal).
fn normalize(properties: &mut Map<String, Value>) {
    for field in ["Cpu", "Memory"] {
        if let Some(n @ Value::Number(_)) = properties.get(field) {
            let text = n.to_string();
            properties.insert(field.into(), Value::String(text));
        }
    }
    let Some(Value::Array(containers)) = properties.get_mut("ContainerDefinitions") else {
        return;
    };
    for container in containers.iter_mut().filter_map(Value::as_object_mut) {
        container.retain(|_, v| !matches!(v, Value::Array(items) if items.is_empty()));
        if let Some(Value::Array(ports)) = container.get_mut("PortMappings") {
            for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                if port.get("HostPort") == port.get("ContainerPort") {
                    port.remove("HostPort");
                }
            }
        }
    }
}

/// Every family whose latest ACTIVE revision is tagged `fgl:stack=<stack>`. fgl names
/// families `<stack>-<id>`, so only the families with that prefix are listed (one
/// ListTaskDefinitionFamilies); then one DescribeTaskDefinition (with tags) per family.
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut pages = client
        .list_task_definition_families()
        .family_prefix(family_prefix(stack))
        .status(TaskDefinitionFamilyStatus::Active)
        .into_paginator()
        .items()
        .send();
    let mut families = Vec::new();
    while let Some(family) = pages.next().await {
        families.push(family.map_err(|e| ecs_error(&label, "ListTaskDefinitionFamilies", e))?);
    }
    let mut out = Vec::new();
    for family in &families {
        if let Some(live) = latest(client, &label, family).await? {
            if live.owned_by(stack) {
                out.push(live);
            }
        }
    }
    Ok(out)
}

/// The latest ACTIVE revision of the node's family, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    latest(client, &label, str_prop(&label, node, "Family")?).await
}

/// Registers the first revision. When an earlier attempt already registered one with this
/// stack's tags and the node's properties, that one is adopted instead of adding another.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let family = str_prop(&label, node, "Family")?;
    if let Some(existing) = latest(client, &label, family).await? {
        let same = fgl_plan::diff::diff(
            &spec(),
            &node.properties,
            &existing.properties,
            &node.tags,
            &existing.tags,
        )
        .is_empty();
        if same && existing.owned_by(&node.stack) {
            return Ok(existing);
        }
    }
    register(client, &label, node).await
}

/// Registers a revision with the node's properties, then deregisters the family's older
/// ACTIVE revisions that carry this stack's tags (services move to the new one).
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if let Some(f) = fields.iter().find(|f| f.as_str() == "Family") {
        return Err(ProviderError::hard(format!(
            "{label}: `{f}` cannot be changed in place"
        )));
    }
    let family = str_prop(&label, node, "Family")?;
    let new = register(client, &label, node).await?;
    for arn in list(client, &label, family).await? {
        if arn == new.physical_id {
            continue;
        }
        let old = describe(client, &label, &arn).await?;
        if old.as_ref().is_some_and(|o| o.owned_by(&node.stack)) || arn == live.physical_id {
            deregister(client, &label, &arn).await?;
        }
    }
    Ok(new)
}

/// Deregisters every ACTIVE revision of the family that carries this stack's tags (a
/// revision someone registered by hand is left alone), then asks ECS to delete them.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    let family = live
        .properties
        .get("Family")
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: no Family")))?;
    let stack = live
        .tags
        .get(fgl_plan::STACK_TAG)
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut arns = Vec::new();
    for arn in list(client, &label, family).await? {
        let owned = describe(client, &label, &arn)
            .await?
            .is_some_and(|revision| revision.owned_by(stack));
        if owned || arn == live.physical_id {
            arns.push(arn);
        }
    }
    for arn in &arns {
        deregister(client, &label, arn).await?;
    }
    for batch in arns.chunks(DELETE_BATCH) {
        client
            .delete_task_definitions()
            .set_task_definitions(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| ecs_error(&label, "DeleteTaskDefinitions", e))?;
    }
    Ok(())
}

/// The family prefix of a stack's task definitions (`names::ecs`: disallowed characters
/// become `-`).
fn family_prefix(stack: &str) -> String {
    let safe: String = stack
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-")
}

/// The ARNs of the family's ACTIVE revisions, newest first (ListTaskDefinitions'
/// `familyPrefix` is the full family name).
async fn list(client: &Client, label: &str, family: &str) -> Result<Vec<String>, ProviderError> {
    let mut pages = client
        .list_task_definitions()
        .family_prefix(family)
        .status(TaskDefinitionStatus::Active)
        .sort(SortOrder::Desc)
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(arn) = pages.next().await {
        out.push(arn.map_err(|e| ecs_error(label, "ListTaskDefinitions", e))?);
    }
    Ok(out)
}

/// The family's latest ACTIVE revision (DescribeTaskDefinition of a bare family), if any.
async fn latest(client: &Client, label: &str, family: &str) -> Result<Option<Live>, ProviderError> {
    describe(client, label, family)
        .await
        .map(|l| l.filter(|l| l.properties.get("Family") == Some(&json!(family))))
}

/// One revision (ARN or `family[:revision]`) with its tags; `None` when there is none or it
/// is no longer ACTIVE.
async fn describe(
    client: &Client,
    label: &str,
    which: &str,
) -> Result<Option<Live>, ProviderError> {
    let out = match client
        .describe_task_definition()
        .task_definition(which)
        .include(TaskDefinitionField::Tags)
        .send()
        .await
    {
        Ok(out) => out,
        // ECS answers an unknown family with a ClientException.
        Err(e) if code_of(&e) == Some("ClientException") => return Ok(None),
        Err(e) => return Err(ecs_error(label, "DescribeTaskDefinition", e)),
    };
    match out.task_definition() {
        Some(td) if td.status() == Some(&TaskDefinitionStatus::Active) => {
            live(label, td, out.tags()).map(Some)
        }
        _ => Ok(None),
    }
}

async fn deregister(client: &Client, label: &str, arn: &str) -> Result<(), ProviderError> {
    match client
        .deregister_task_definition()
        .task_definition(arn)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ClientException") => Ok(()),
        Err(e) => Err(ecs_error(label, "DeregisterTaskDefinition", e)),
    }
}

/// Registers a revision with the node's properties and tags.
async fn register(client: &Client, label: &str, node: &Resolved) -> Result<Live, ProviderError> {
    let p = &node.properties;
    if let Some(unknown) = p.keys().find(|k| !TASK_FIELDS.contains(&k.as_str())) {
        return Err(ProviderError::hard(format!(
            "{label}: not supported yet: the task field {unknown}"
        )));
    }
    let containers = p
        .get("ContainerDefinitions")
        .and_then(Value::as_array)
        .ok_or_else(|| ProviderError::hard(format!("{label}: ContainerDefinitions is missing")))?
        .iter()
        .map(|c| container(label, c))
        .collect::<Result<Vec<_>, _>>()?;
    let text = |field: &str| {
        p.get(field)
            .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
    };
    let platform = p.get("RuntimePlatform").map(|r| {
        RuntimePlatform::builder()
            .set_operating_system_family(
                r.get("OperatingSystemFamily")
                    .and_then(Value::as_str)
                    .map(OsFamily::from),
            )
            .set_cpu_architecture(
                r.get("CpuArchitecture")
                    .and_then(Value::as_str)
                    .map(CpuArchitecture::from),
            )
            .build()
    });
    let out = client
        .register_task_definition()
        .family(str_prop(label, node, "Family")?)
        .set_cpu(text("Cpu"))
        .set_memory(text("Memory"))
        .set_network_mode(
            p.get("NetworkMode")
                .and_then(Value::as_str)
                .map(NetworkMode::from),
        )
        .set_requires_compatibilities(
            strings(p.get("RequiresCompatibilities"))
                .map(|v| v.iter().map(|c| Compatibility::from(c.as_str())).collect()),
        )
        .set_runtime_platform(platform)
        .set_execution_role_arn(text("ExecutionRoleArn"))
        .set_task_role_arn(text("TaskRoleArn"))
        .set_container_definitions(Some(containers))
        .set_tags(Some(desired_tags(node)))
        .send()
        .await
        .map_err(|e| ecs_error(label, "RegisterTaskDefinition", e))?;
    let td = out.task_definition().ok_or_else(|| {
        ProviderError::hard(format!("{label}: RegisterTaskDefinition returned nothing"))
    })?;
    if !out.tags().is_empty() {
        return live(label, td, out.tags());
    }
    // Some ECS implementations (moto) leave the tags out of the answer: read them back.
    let arn = td.task_definition_arn().unwrap_or_default();
    describe(client, label, arn).await?.ok_or_else(|| {
        ProviderError::retryable(format!(
            "{label}: DescribeTaskDefinition: {arn} not found yet"
        ))
    })
}

/// A list of strings in the node.
fn strings(value: Option<&Value>) -> Option<Vec<String>> {
    value.and_then(Value::as_array).map(|items| {
        items
            .iter()
            .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
            .collect()
    })
}

/// `[{Name, Value}]` in the node as ECS's name/value pairs.
fn pairs(value: Option<&Value>, value_key: &str) -> Vec<(String, String)> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|kv| {
            let get = |k: &str| {
                kv.get(k)
                    .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
                    .unwrap_or_default()
            };
            (get("Name"), get(value_key))
        })
        .collect()
}

/// A container definition of the node as ECS takes it.
fn container(label: &str, c: &Value) -> Result<ContainerDefinition, ProviderError> {
    let fields = c
        .as_object()
        .ok_or_else(|| ProviderError::hard(format!("{label}: a container is not an object")))?;
    if let Some(unknown) = fields
        .keys()
        .find(|k| !CONTAINER_FIELDS.contains(&k.as_str()))
    {
        return Err(ProviderError::hard(format!(
            "{label}: not supported yet: the container field {unknown}"
        )));
    }
    let secrets = pairs(c.get("Secrets"), "ValueFrom")
        .into_iter()
        .map(|(name, from)| Secret::builder().name(name).value_from(from).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProviderError::hard(format!("{label}: a secret: {e}")))?;
    let log = c
        .get("LogConfiguration")
        .map(|l| log_configuration(label, l))
        .transpose()?;
    let ports = c
        .get("PortMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            let port = m
                .get("ContainerPort")
                .and_then(Value::as_i64)
                .and_then(|p| i32::try_from(p).ok());
            PortMapping::builder()
                .set_container_port(port)
                .set_protocol(
                    m.get("Protocol")
                        .and_then(Value::as_str)
                        .map(TransportProtocol::from),
                )
                .build()
        })
        .collect();
    Ok(ContainerDefinition::builder()
        .set_name(c.get("Name").and_then(Value::as_str).map(str::to_string))
        .set_image(c.get("Image").and_then(Value::as_str).map(str::to_string))
        .set_essential(c.get("Essential").and_then(Value::as_bool))
        .set_environment(Some(
            pairs(c.get("Environment"), "Value")
                .into_iter()
                .map(|(n, v)| KeyValuePair::builder().name(n).value(v).build())
                .collect(),
        ))
        .set_secrets(Some(secrets))
        .set_log_configuration(log)
        .set_port_mappings(Some(ports))
        .set_command(strings(c.get("Command")))
        .build())
}

fn log_configuration(label: &str, l: &Value) -> Result<LogConfiguration, ProviderError> {
    let options = l.get("Options").and_then(Value::as_object).map(|o| {
        o.iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
            .collect()
    });
    LogConfiguration::builder()
        .set_log_driver(
            l.get("LogDriver")
                .and_then(Value::as_str)
                .map(LogDriver::from),
        )
        .set_options(options)
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: LogConfiguration: {e}")))
}

/// A revision as the engine sees it: the fields fgl sets, in the graph's names.
fn live(
    label: &str,
    td: &TaskDefinition,
    tags: &[aws_sdk_ecs::types::Tag],
) -> Result<Live, ProviderError> {
    let (Some(family), Some(arn)) = (td.family(), td.task_definition_arn()) else {
        return Err(ProviderError::hard(format!(
            "{label}: AWS returned a task definition without a family or ARN"
        )));
    };
    let tags = tag_map(tags);
    let mut p = Map::new();
    p.insert("Family".into(), json!(family));
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            p.insert(k.into(), v);
        }
    };
    put("Cpu", td.cpu().map(|v| json!(v)));
    put("Memory", td.memory().map(|v| json!(v)));
    put("NetworkMode", td.network_mode().map(|v| json!(v.as_str())));
    let compat: Vec<&str> = td
        .requires_compatibilities()
        .iter()
        .map(Compatibility::as_str)
        .collect();
    put(
        "RequiresCompatibilities",
        (!compat.is_empty()).then(|| json!(compat)),
    );
    put(
        "RuntimePlatform",
        td.runtime_platform().map(|r| {
            object([
                (
                    "OperatingSystemFamily",
                    r.operating_system_family().map(|os| json!(os.as_str())),
                ),
                (
                    "CpuArchitecture",
                    r.cpu_architecture().map(|c| json!(c.as_str())),
                ),
            ])
        }),
    );
    put(
        "ExecutionRoleArn",
        td.execution_role_arn().map(|v| json!(v)),
    );
    put("TaskRoleArn", td.task_role_arn().map(|v| json!(v)));
    put(
        "ContainerDefinitions",
        Some(Value::Array(
            td.container_definitions()
                .iter()
                .map(container_json)
                .collect(),
        )),
    );
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("Family".into(), json!(family));
    attrs.insert("Revision".into(), json!(td.revision()));
    Ok(Live {
        id: crate::tags::logical_id(&tags, family),
        kind: KIND.to_string(),
        physical_id: arn.to_string(),
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}

/// A container as ECS returns it, in the graph's names; empty lists are left out.
fn container_json(c: &ContainerDefinition) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    };
    put("Name", c.name().map(|v| json!(v)));
    put("Image", c.image().map(|v| json!(v)));
    put("Essential", c.essential().map(|v| json!(v)));
    let env: Vec<Value> = c
        .environment()
        .iter()
        .map(|kv| json!({"Name": kv.name(), "Value": kv.value()}))
        .collect();
    put("Environment", (!env.is_empty()).then(|| json!(env)));
    let secrets: Vec<Value> = c
        .secrets()
        .iter()
        .map(|s| json!({"Name": s.name(), "ValueFrom": s.value_from()}))
        .collect();
    put("Secrets", (!secrets.is_empty()).then(|| json!(secrets)));
    put(
        "LogConfiguration",
        c.log_configuration().map(|l| {
            object([
                ("LogDriver", Some(json!(l.log_driver().as_str()))),
                (
                    "Options",
                    l.options().filter(|o| !o.is_empty()).map(|o| json!(o)),
                ),
            ])
        }),
    );
    let ports: Vec<Value> = c
        .port_mappings()
        .iter()
        .map(|p| {
            object([
                ("ContainerPort", p.container_port().map(|n| json!(n))),
                ("HostPort", p.host_port().map(|n| json!(n))),
                ("Protocol", p.protocol().map(|v| json!(v.as_str()))),
            ])
        })
        .collect();
    put("PortMappings", (!ports.is_empty()).then(|| json!(ports)));
    put(
        "Command",
        (!c.command().is_empty()).then(|| json!(c.command())),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_ecs_fills_in_is_no_difference() {
        let desired = json!({
            "Cpu": 256, "Memory": "512", "RequiresCompatibilities": ["FARGATE"],
            "ContainerDefinitions": [{"Name": "web", "Environment": [], "Secrets": [],
                "PortMappings": [{"ContainerPort": 8080}]}]
        });
        let live = json!({
            "Cpu": "256", "Memory": "512", "RequiresCompatibilities": ["FARGATE"],
            "ContainerDefinitions": [{"Name": "web", "Essential": true,
                "PortMappings": [{"ContainerPort": 8080, "HostPort": 8080, "Protocol": "tcp"}]}]
        });
        let (desired, live) = (desired.as_object().unwrap(), live.as_object().unwrap());
        let diff = fgl_plan::diff::diff(&spec(), desired, live, &Map::new(), &Map::new());
        assert!(diff.is_empty(), "{diff:?}");
    }

    #[test]
    fn only_the_family_forces_a_new_task_definition() {
        let spec = spec();
        assert!(spec.forces_replace("Family"));
        assert!(!spec.forces_replace("ContainerDefinitions[0].Image"));
        assert!(!spec.forces_replace("Cpu"));
    }
}
