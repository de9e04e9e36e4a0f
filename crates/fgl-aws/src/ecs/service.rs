//! `AWS::ECS::Service`: CreateService (tagged at creation), UpdateService for what ECS changes
//! in place, and a delete that scales to zero, deletes and waits until the service is gone.
//! A service's identity is its name in its cluster. Create and update do not wait for the
//! rollout: that is watched separately.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, DeploymentCircuitBreaker, DeploymentConfiguration,
    LaunchType, LoadBalancer, NetworkConfiguration, PropagateTags, Service, ServiceField, Tag,
};
use aws_sdk_ecs::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{
    desired_tags, ecs_error, object, refuse_others, retag, str_prop, tag_map, top, write_tags,
};
use crate::error::code_of;

pub(crate) const KIND: &str = "AWS::ECS::Service";

/// DescribeServices takes at most this many services per call.
const DESCRIBE_BATCH: usize = 10;

/// How long a delete waits for ECS to finish draining the service, in polls.
const DELETE_POLLS: u32 = 20;

/// What UpdateService changes in place.
const UPDATABLE: &[&str] = &[
    "TaskDefinition",
    "DesiredCount",
    "NetworkConfiguration",
    "LoadBalancers",
    "DeploymentConfiguration",
    "HealthCheckGracePeriodSeconds",
    "PlatformVersion",
    "PropagateTags",
    "EnableECSManagedTags",
    SECRET_VERSIONS,
];

/// The version of each secret the service's tasks read (`{"password": 3}`): fgl's own field,
/// kept in AWS as one tag per secret, `fgl:secret-version:<secret>`. Tasks read secrets when
/// they start, so a new version is a forced new deployment.
const SECRET_VERSIONS: &str = "SecretVersions";
const SECRET_VERSION_TAG: &str = "fgl:secret-version:";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["ServiceName".into(), "Cluster".into(), "LaunchType".into()],
        defaults: vec![
            // ECS's own defaults, echoed back when fgl leaves a field out.
            ("DesiredCount".into(), json!(0)),
            ("PlatformVersion".into(), json!("LATEST")),
            ("PropagateTags".into(), json!("NONE")),
            ("EnableECSManagedTags".into(), json!(false)),
            ("HealthCheckGracePeriodSeconds".into(), json!(0)),
            ("DeploymentConfiguration".into(), json!({})),
            (
                "DeploymentConfiguration.MinimumHealthyPercent".into(),
                json!(100),
            ),
            ("DeploymentConfiguration.MaximumPercent".into(), json!(200)),
            (
                "DeploymentConfiguration.DeploymentCircuitBreaker".into(),
                json!({"Enable": false, "Rollback": false}),
            ),
            (
                "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp".into(),
                json!("DISABLED"),
            ),
        ],
        arn_or_name: vec!["Cluster".into()],
        unordered: vec![
            "NetworkConfiguration.AwsvpcConfiguration.Subnets".into(),
            "NetworkConfiguration.AwsvpcConfiguration.SecurityGroups".into(),
            "LoadBalancers".into(),
        ],
        hook: Some(Arc::new(|p: &mut Map<String, Value>| {
            // No load balancers is the same as an empty list.
            if p.get("LoadBalancers") == Some(&json!([])) {
                p.remove("LoadBalancers");
            }
        })),
        ..KindSpec::default()
    }
}

/// Every active service of the stack's clusters tagged `fgl:stack=<stack>`: ListServices per
/// cluster, then DescribeServices with tags, 10 at a time.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
    clusters: &[&str],
) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut out = Vec::new();
    for cluster in clusters {
        let mut pages = client
            .list_services()
            .cluster(*cluster)
            .into_paginator()
            .items()
            .send();
        let mut arns = Vec::new();
        while let Some(arn) = pages.next().await {
            arns.push(arn.map_err(|e| ecs_error(&label, "ListServices", e))?);
        }
        for batch in arns.chunks(DESCRIBE_BATCH) {
            for service in describe(client, &label, cluster, batch).await? {
                let live = live(&label, &service)?;
                if live.owned_by(stack) {
                    out.push(live);
                }
            }
        }
    }
    Ok(out)
}

/// The active service named like the node in its cluster, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let cluster = str_prop(&label, node, "Cluster")?;
    let name = str_prop(&label, node, "ServiceName")?;
    by_name(client, &label, cluster, name).await
}

/// Creates the service with its tags. One an earlier attempt created (this stack's tags) is
/// adopted and brought to the node with UpdateService.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let cluster = str_prop(&label, node, "Cluster")?;
    let name = str_prop(&label, node, "ServiceName")?;
    if let Some(existing) = by_name(client, &label, cluster, name).await? {
        if !existing.owned_by(&node.stack) {
            return Err(ProviderError::hard(format!(
                "{label}: a service named {name} exists in the cluster and is not this stack's"
            )));
        }
        // Only what differs is sent, so a retried create starts no second deployment.
        let fields = differing(node, &existing);
        if fields.is_empty() {
            return Ok(existing);
        }
        return update(client, node, &existing, &fields).await;
    }
    let p = &node.properties;
    let out = client
        .create_service()
        .cluster(cluster)
        .service_name(name)
        .set_task_definition(
            p.get("TaskDefinition")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
        .set_desired_count(int(p.get("DesiredCount")))
        .set_launch_type(
            p.get("LaunchType")
                .and_then(Value::as_str)
                .map(LaunchType::from),
        )
        .set_platform_version(
            p.get("PlatformVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
        .set_propagate_tags(
            p.get("PropagateTags")
                .and_then(Value::as_str)
                .map(PropagateTags::from),
        )
        .set_enable_ecs_managed_tags(p.get("EnableECSManagedTags").and_then(Value::as_bool))
        .set_network_configuration(network(&label, p.get("NetworkConfiguration"))?)
        .set_deployment_configuration(p.get("DeploymentConfiguration").map(deployment))
        .set_load_balancers(p.get("LoadBalancers").map(load_balancers))
        .set_health_check_grace_period_seconds(int(p.get("HealthCheckGracePeriodSeconds")))
        .set_tags(Some(
            desired_tags(node)
                .into_iter()
                .chain(version_tags(node))
                .collect(),
        ))
        .send()
        .await
        .map_err(|e| ecs_error(&label, "CreateService", e))?;
    let created = match out.service() {
        Some(service) => live(&label, service)?,
        None => fetch(client, &label, cluster, name).await?,
    };
    // What the service came out with, compared with what was asked: anything CreateService
    // did not take (moto drops the deployment settings; AWS fills defaults in some regions)
    // is set right away, so the next plan is empty.
    let missed = differing(node, &created);
    if missed.is_empty() {
        Ok(created)
    } else {
        update(client, node, &created, &missed).await
    }
}

/// The paths where `live` differs from the node, as the engine's diff sees them.
fn differing(node: &Resolved, live: &Live) -> Vec<String> {
    fgl_plan::diff::diff(
        &spec(),
        &node.properties,
        &live.properties,
        &node.tags,
        &live.tags,
    )
    .into_iter()
    .map(|f| f.path)
    .collect()
}

/// Changes `fields` with one UpdateService call (only the changed fields are sent, so an
/// unchanged task definition starts no deployment) and tags.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    refuse_others(&label, fields, UPDATABLE)?;
    let cluster = str_prop(&label, node, "Cluster")?;
    let name = str_prop(&label, node, "ServiceName")?;
    let changed = |f: &str| fields.iter().any(|p| top(p) == f);
    let p = &node.properties;
    let get = |f: &str| p.get(f).filter(|_| changed(f));
    if UPDATABLE.iter().any(|f| changed(f)) {
        let mut call = client
            .update_service()
            .cluster(cluster)
            .service(name)
            .set_task_definition(
                get("TaskDefinition")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .set_desired_count(int(get("DesiredCount")))
            .set_platform_version(
                get("PlatformVersion")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .set_propagate_tags(
                get("PropagateTags")
                    .and_then(Value::as_str)
                    .map(PropagateTags::from),
            )
            .set_enable_ecs_managed_tags(get("EnableECSManagedTags").and_then(Value::as_bool))
            .set_network_configuration(network(&label, get("NetworkConfiguration"))?)
            .set_deployment_configuration(get("DeploymentConfiguration").map(deployment))
            .set_health_check_grace_period_seconds(int(get("HealthCheckGracePeriodSeconds")))
            .force_new_deployment(changed(SECRET_VERSIONS));
        if changed("LoadBalancers") {
            // An empty list removes them all.
            call = call.set_load_balancers(Some(
                p.get("LoadBalancers")
                    .map(load_balancers)
                    .unwrap_or_default(),
            ));
        }
        call.send()
            .await
            .map_err(|e| ecs_error(&label, "UpdateService", e))?;
    }
    retag(client, &label, &live.physical_id, node, fields).await?;
    if changed(SECRET_VERSIONS) {
        // Recorded after the deployment started: a failure in between redeploys again on the
        // next apply rather than never.
        record_versions(client, &label, &live.physical_id, node, live).await?;
    }
    fetch(client, &label, cluster, name).await
}

/// The node's secret versions as tags.
fn version_tags(node: &Resolved) -> Vec<Tag> {
    node.properties
        .get(SECRET_VERSIONS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(secret, version)| {
            Tag::builder()
                .key(format!("{SECRET_VERSION_TAG}{secret}"))
                .value(crate::tags::tag_value(version))
                .build()
        })
        .collect()
}

/// `SecretVersions` as the service's tags record it (versions are numbers, as SSM's).
fn versions_of(tags: &Map<String, Value>) -> Option<Value> {
    let versions: Map<String, Value> = tags
        .iter()
        .filter_map(|(k, v)| {
            let secret = k.strip_prefix(SECRET_VERSION_TAG)?;
            let text = v.as_str()?;
            let version = text
                .parse::<i64>()
                .map(|n| json!(n))
                .unwrap_or_else(|_| json!(text));
            Some((secret.to_string(), version))
        })
        .collect();
    (!versions.is_empty()).then_some(Value::Object(versions))
}

/// Writes the node's secret versions to the service's tags, removing those of secrets it no
/// longer reads.
async fn record_versions(
    client: &Client,
    label: &str,
    arn: &str,
    node: &Resolved,
    live: &Live,
) -> Result<(), ProviderError> {
    let set = version_tags(node);
    let unset: Vec<String> = live
        .tags
        .keys()
        .filter(|k| k.starts_with(SECRET_VERSION_TAG))
        .filter(|k| !set.iter().any(|t| t.key() == Some(k.as_str())))
        .cloned()
        .collect();
    write_tags(client, label, arn, set, unset).await
}

/// Scales the service to zero, deletes it and waits until ECS reports it INACTIVE or gone;
/// one already gone is success. Still draining after the wait is retryable.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    let cluster = live
        .properties
        .get("Cluster")
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: no Cluster")))?;
    let service = live.physical_id.as_str();
    let gone = |code: Option<&str>| {
        matches!(
            code,
            Some("ServiceNotFoundException" | "ClusterNotFoundException")
        )
    };
    match client
        .update_service()
        .cluster(cluster)
        .service(service)
        .desired_count(0)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if gone(code_of(&e)) => return Ok(()),
        // Already being deleted: carry on and wait for it.
        Err(e) if code_of(&e) == Some("ServiceNotActiveException") => {}
        Err(e) => return Err(ecs_error(&label, "UpdateService", e)),
    }
    match client
        .delete_service()
        .cluster(cluster)
        .service(service)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if gone(code_of(&e)) => return Ok(()),
        Err(e) if code_of(&e) == Some("ServiceNotActiveException") => {}
        Err(e) => return Err(ecs_error(&label, "DeleteService", e)),
    }
    wait_inactive(client, &label, cluster, service).await
}

/// Polls with backoff (1 s doubling to 15 s) until the service is INACTIVE or gone.
async fn wait_inactive(
    client: &Client,
    label: &str,
    cluster: &str,
    service: &str,
) -> Result<(), ProviderError> {
    let mut delay = Duration::from_secs(1);
    for _ in 0..DELETE_POLLS {
        let out = match client
            .describe_services()
            .cluster(cluster)
            .services(service)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if code_of(&e) == Some("ClusterNotFoundException") => return Ok(()),
            Err(e) => return Err(ecs_error(label, "DescribeServices", e)),
        };
        if out
            .services()
            .iter()
            .all(|s| s.status() == Some("INACTIVE"))
        {
            return Ok(());
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
    Err(ProviderError::retryable(format!(
        "{label}: DeleteService: {service} is still draining"
    )))
}

async fn by_name(
    client: &Client,
    label: &str,
    cluster: &str,
    name: &str,
) -> Result<Option<Live>, ProviderError> {
    let services = describe(client, label, cluster, &[name.to_string()]).await?;
    services
        .iter()
        .find(|s| s.service_name() == Some(name))
        .map(|s| live(label, s))
        .transpose()
}

/// A service just created or changed; not visible yet is eventual consistency.
async fn fetch(
    client: &Client,
    label: &str,
    cluster: &str,
    name: &str,
) -> Result<Live, ProviderError> {
    by_name(client, label, cluster, name).await?.ok_or_else(|| {
        ProviderError::retryable(format!("{label}: DescribeServices: {name} not found yet"))
    })
}

/// The services among `names` that are not INACTIVE (deleted ones linger as INACTIVE), with
/// their tags. A cluster that does not exist has none.
async fn describe(
    client: &Client,
    label: &str,
    cluster: &str,
    names: &[String],
) -> Result<Vec<Service>, ProviderError> {
    let out = match client
        .describe_services()
        .cluster(cluster)
        .set_services(Some(names.to_vec()))
        .include(ServiceField::Tags)
        .send()
        .await
    {
        Ok(out) => out,
        Err(e) if code_of(&e) == Some("ClusterNotFoundException") => return Ok(Vec::new()),
        Err(e) => return Err(ecs_error(label, "DescribeServices", e)),
    };
    Ok(out
        .services
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.status() != Some("INACTIVE"))
        .collect())
}

fn int(value: Option<&Value>) -> Option<i32> {
    value
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn network(
    label: &str,
    value: Option<&Value>,
) -> Result<Option<NetworkConfiguration>, ProviderError> {
    let Some(vpc) = value.and_then(|v| v.get("AwsvpcConfiguration")) else {
        return Ok(None);
    };
    let config = AwsVpcConfiguration::builder()
        .set_subnets(Some(strings(vpc.get("Subnets"))))
        .set_security_groups(Some(strings(vpc.get("SecurityGroups"))))
        .set_assign_public_ip(
            vpc.get("AssignPublicIp")
                .and_then(Value::as_str)
                .map(AssignPublicIp::from),
        )
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: NetworkConfiguration: {e}")))?;
    Ok(Some(
        NetworkConfiguration::builder()
            .awsvpc_configuration(config)
            .build(),
    ))
}

fn deployment(value: &Value) -> DeploymentConfiguration {
    let breaker = value.get("DeploymentCircuitBreaker").map(|b| {
        DeploymentCircuitBreaker::builder()
            .set_enable(b.get("Enable").and_then(Value::as_bool))
            .set_rollback(b.get("Rollback").and_then(Value::as_bool))
            .build()
    });
    DeploymentConfiguration::builder()
        .set_minimum_healthy_percent(int(value.get("MinimumHealthyPercent")))
        .set_maximum_percent(int(value.get("MaximumPercent")))
        .set_deployment_circuit_breaker(breaker)
        .build()
}

fn load_balancers(value: &Value) -> Vec<LoadBalancer> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|lb| {
            LoadBalancer::builder()
                .set_target_group_arn(
                    lb.get("TargetGroupArn")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
                .set_container_name(
                    lb.get("ContainerName")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
                .set_container_port(int(lb.get("ContainerPort")))
                .build()
        })
        .collect()
}

/// A service as the engine sees it: the fields fgl sets, in the graph's names.
fn live(label: &str, s: &Service) -> Result<Live, ProviderError> {
    let (Some(name), Some(arn), Some(cluster)) =
        (s.service_name(), s.service_arn(), s.cluster_arn())
    else {
        return Err(ProviderError::hard(format!(
            "{label}: AWS returned a service without a name, ARN or cluster"
        )));
    };
    let tags = tag_map(s.tags());
    let mut p = Map::new();
    p.insert("ServiceName".into(), json!(name));
    p.insert("Cluster".into(), json!(cluster));
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            p.insert(k.into(), v);
        }
    };
    put("TaskDefinition", s.task_definition().map(|v| json!(v)));
    put("DesiredCount", Some(json!(s.desired_count())));
    put("LaunchType", s.launch_type().map(|v| json!(v.as_str())));
    put("PlatformVersion", s.platform_version().map(|v| json!(v)));
    put(
        "PropagateTags",
        s.propagate_tags().map(|v| json!(v.as_str())),
    );
    put(
        "EnableECSManagedTags",
        Some(json!(s.enable_ecs_managed_tags())),
    );
    put(
        "NetworkConfiguration",
        s.network_configuration()
            .and_then(|n| n.awsvpc_configuration())
            .map(|v| {
                let vpc = object([
                    ("Subnets", Some(json!(v.subnets()))),
                    ("SecurityGroups", Some(json!(v.security_groups()))),
                    (
                        "AssignPublicIp",
                        v.assign_public_ip().map(|ip| json!(ip.as_str())),
                    ),
                ]);
                json!({ "AwsvpcConfiguration": vpc })
            }),
    );
    put(
        "DeploymentConfiguration",
        s.deployment_configuration().map(|d| {
            let breaker = d.deployment_circuit_breaker();
            object([
                (
                    "MinimumHealthyPercent",
                    d.minimum_healthy_percent().map(|n| json!(n)),
                ),
                ("MaximumPercent", d.maximum_percent().map(|n| json!(n))),
                (
                    "DeploymentCircuitBreaker",
                    breaker.map(|b| json!({"Enable": b.enable(), "Rollback": b.rollback()})),
                ),
            ])
        }),
    );
    let lbs: Vec<Value> = s
        .load_balancers()
        .iter()
        .map(|lb| {
            object([
                ("TargetGroupArn", lb.target_group_arn().map(|v| json!(v))),
                ("ContainerName", lb.container_name().map(|v| json!(v))),
                ("ContainerPort", lb.container_port().map(|v| json!(v))),
            ])
        })
        .collect();
    put("LoadBalancers", (!lbs.is_empty()).then(|| json!(lbs)));
    put(
        "HealthCheckGracePeriodSeconds",
        s.health_check_grace_period_seconds().map(|v| json!(v)),
    );
    put(SECRET_VERSIONS, versions_of(&tags));
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("ServiceArn".into(), json!(arn));
    attrs.insert("Name".into(), json!(name));
    Ok(Live {
        id: crate::tags::logical_id(&tags, name),
        kind: KIND.to_string(),
        physical_id: arn.to_string(),
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_ecs_echoes_back_is_no_difference() {
        let desired = json!({
            "Cluster": "arn:aws:ecs:us-east-1:1:cluster/shop",
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["b", "a"]}},
            "LoadBalancers": []
        });
        let live = json!({
            "Cluster": "shop", "DesiredCount": 0, "PlatformVersion": "LATEST",
            "PropagateTags": "NONE", "EnableECSManagedTags": false,
            "HealthCheckGracePeriodSeconds": 0,
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                "Subnets": ["a", "b"], "AssignPublicIp": "DISABLED"}},
            "DeploymentConfiguration": {"MinimumHealthyPercent": 100, "MaximumPercent": 200,
                "DeploymentCircuitBreaker": {"Enable": false, "Rollback": false}}
        });
        let (desired, live) = (desired.as_object().unwrap(), live.as_object().unwrap());
        let diff = fgl_plan::diff::diff(&spec(), desired, live, &Map::new(), &Map::new());
        assert!(diff.is_empty(), "{diff:?}");
    }
}
