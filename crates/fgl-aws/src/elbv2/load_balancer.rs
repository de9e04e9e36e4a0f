//! `AWS::ElasticLoadBalancingV2::LoadBalancer`: CreateLoadBalancer (tagged, waited until
//! `active`), SetSubnets / SetSecurityGroups / SetIpAddressType /
//! ModifyLoadBalancerAttributes, DeleteLoadBalancer. Load balancer names are unique per
//! region, so a node's load balancer is the one with its name.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types::{
    IpAddressType, LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum,
    LoadBalancerStateEnum, LoadBalancerTypeEnum,
};
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{creation_tags, is_node, logical_id, owned, req_str, str_list, top_field};
use crate::error::{code_of, gone_is_ok, sdk};

pub(crate) const KIND: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";

/// The attributes the lowering sets (`fgl-lower`'s `load_balancer.rs`): the only ones read
/// back, since ELB reports dozens more that fgl does not manage.
const MANAGED_ATTRIBUTES: &[&str] = &[
    "idle_timeout.timeout_seconds",
    "routing.http.drop_invalid_header_fields.enabled",
];

/// How long a new load balancer may take to become `active`, polled every few seconds.
const ACTIVE_POLLS: u32 = 120;
const ACTIVE_POLL_INTERVAL: Duration = Duration::from_secs(5);

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["Name".into(), "Type".into(), "Scheme".into()],
        defaults: vec![
            ("Type".into(), json!("application")),
            ("Scheme".into(), json!("internet-facing")),
            ("IpAddressType".into(), json!("ipv4")),
        ],
        unordered: vec![
            "Subnets".into(),
            "SecurityGroups".into(),
            "LoadBalancerAttributes".into(),
        ],
        ..KindSpec::default()
    }
}

/// The load balancer with the node's name, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = req_str(&label, &node.properties, "Name")?;
    match by_name(client, &label, name).await? {
        Some(lb) => {
            let arn = arn_of(&label, &lb)?;
            let tags = super::tags_of_one(client, &label, &arn).await?;
            live(client, &label, &lb, tags).await.map(Some)
        }
        None => Ok(None),
    }
}

/// Every load balancer of the region, with their ARNs (for one DescribeTags with the
/// target groups').
pub(crate) async fn list(
    client: &Client,
    label: &str,
) -> Result<(Vec<LoadBalancer>, Vec<String>), ProviderError> {
    let mut pages = client.describe_load_balancers().into_paginator().send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| sdk(label, "DescribeLoadBalancers", e))?;
        all.extend(page.load_balancers().iter().cloned());
    }
    let arns = all
        .iter()
        .filter_map(|l| l.load_balancer_arn().map(str::to_string))
        .collect();
    Ok((all, arns))
}

/// The load balancers of `all` tagged `fgl:stack=<stack>` in `tags` (by ARN).
pub(crate) async fn owned_of(
    client: &Client,
    label: &str,
    all: &[LoadBalancer],
    tags: &mut HashMap<String, Map<String, Value>>,
    stack: &str,
) -> Result<Vec<Live>, ProviderError> {
    let mut out = Vec::new();
    for lb in all {
        let lb_tags = tags.remove(&arn_of(label, lb)?).unwrap_or_default();
        if owned(&lb_tags, stack) {
            out.push(live(client, label, lb, lb_tags).await?);
        }
    }
    Ok(out)
}

/// Creates the load balancer (or adopts the one an earlier attempt made), sets its
/// attributes, and waits until it is `active` so that listeners and DNS aliases can use it.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let p = &node.properties;
    let name = req_str(&label, p, "Name")?;
    let existing = match by_name(client, &label, name).await? {
        Some(lb) => {
            let arn = arn_of(&label, &lb)?;
            let tags = super::tags_of_one(client, &label, &arn).await?;
            if !is_node(&tags, node) {
                return Err(ProviderError::hard(format!(
                    "{label}: a load balancer named {name} exists and is not this stack's"
                )));
            }
            Some(arn)
        }
        None => None,
    };
    let arn = match existing {
        Some(arn) => arn,
        None => {
            let out = client
                .create_load_balancer()
                .name(name)
                .set_subnets(Some(str_list(p, "Subnets")))
                .set_security_groups(Some(str_list(p, "SecurityGroups")))
                .set_type(
                    p.get("Type")
                        .and_then(Value::as_str)
                        .map(LoadBalancerTypeEnum::from),
                )
                .set_scheme(
                    p.get("Scheme")
                        .and_then(Value::as_str)
                        .map(LoadBalancerSchemeEnum::from),
                )
                .set_ip_address_type(
                    p.get("IpAddressType")
                        .and_then(Value::as_str)
                        .map(IpAddressType::from),
                )
                .set_tags(Some(creation_tags(node)))
                .send()
                .await
                .map_err(|e| sdk(&label, "CreateLoadBalancer", e))?;
            let lb = out.load_balancers().first().ok_or_else(|| {
                ProviderError::hard(format!(
                    "{label}: CreateLoadBalancer returned no load balancer"
                ))
            })?;
            arn_of(&label, lb)?
        }
    };
    set_attributes(client, &label, &arn, node).await?;
    let lb = wait_active(client, &label, &arn).await?;
    let tags = super::tags_of_one(client, &label, &arn).await?;
    live(client, &label, &lb, tags).await
}

/// Changes subnets, security groups, IP address type, attributes and tags in place.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_lb: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = live_lb.physical_id.as_str();
    let p = &node.properties;
    let mut tops: Vec<&str> = fields.iter().map(|f| top_field(f)).collect();
    tops.sort_unstable();
    tops.dedup();
    for top in tops {
        match top {
            "Subnets" => {
                client
                    .set_subnets()
                    .load_balancer_arn(arn)
                    .set_subnets(Some(str_list(p, "Subnets")))
                    .send()
                    .await
                    .map_err(|e| sdk(&label, "SetSubnets", e))?;
            }
            "SecurityGroups" => {
                client
                    .set_security_groups()
                    .load_balancer_arn(arn)
                    .set_security_groups(Some(str_list(p, "SecurityGroups")))
                    .send()
                    .await
                    .map_err(|e| sdk(&label, "SetSecurityGroups", e))?;
            }
            "IpAddressType" => {
                client
                    .set_ip_address_type()
                    .load_balancer_arn(arn)
                    .ip_address_type(IpAddressType::from(req_str(&label, p, "IpAddressType")?))
                    .send()
                    .await
                    .map_err(|e| sdk(&label, "SetIpAddressType", e))?;
            }
            "LoadBalancerAttributes" => set_attributes(client, &label, arn, node).await?,
            "Tags" => {}
            other => {
                return Err(ProviderError::hard(format!(
                    "{label}: `{other}` cannot be changed in place"
                )))
            }
        }
    }
    super::update_tags(client, &label, arn, node, fields).await?;
    let lb = by_arn(client, &label, arn).await?;
    let tags = super::tags_of_one(client, &label, arn).await?;
    live(client, &label, &lb, tags).await
}

/// Deletes the load balancer; one already gone is success.
pub(crate) async fn delete(client: &Client, live_lb: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_lb.id);
    let result = (client.delete_load_balancer())
        .load_balancer_arn(&live_lb.physical_id)
        .send()
        .await;
    gone_is_ok(
        &label,
        "DeleteLoadBalancer",
        &["LoadBalancerNotFound"],
        result,
    )
}

/// The node's attributes, set in one ModifyLoadBalancerAttributes call.
async fn set_attributes(
    client: &Client,
    label: &str,
    arn: &str,
    node: &Resolved,
) -> Result<(), ProviderError> {
    let attrs: Vec<LoadBalancerAttribute> = node
        .properties
        .get("LoadBalancerAttributes")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|a| {
                    LoadBalancerAttribute::builder()
                        .set_key(a.get("Key").and_then(Value::as_str).map(str::to_string))
                        .set_value(a.get("Value").and_then(Value::as_str).map(str::to_string))
                        .build()
                })
                .collect()
        })
        .unwrap_or_default();
    if attrs.is_empty() {
        return Ok(());
    }
    client
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .set_attributes(Some(attrs))
        .send()
        .await
        .map_err(|e| sdk(label, "ModifyLoadBalancerAttributes", e))?;
    Ok(())
}

async fn by_name(
    client: &Client,
    label: &str,
    name: &str,
) -> Result<Option<LoadBalancer>, ProviderError> {
    match client.describe_load_balancers().names(name).send().await {
        Ok(out) => Ok(out.load_balancers().first().cloned()),
        Err(e) if code_of(&e) == Some("LoadBalancerNotFound") => Ok(None),
        Err(e) => Err(sdk(label, "DescribeLoadBalancers", e)),
    }
}

async fn by_arn(client: &Client, label: &str, arn: &str) -> Result<LoadBalancer, ProviderError> {
    let out = client
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeLoadBalancers", e))?;
    out.load_balancers().first().cloned().ok_or_else(|| {
        // Just created and not visible yet: eventual consistency.
        ProviderError::retryable(format!(
            "{label}: DescribeLoadBalancers: {arn} not found yet"
        ))
    })
}

/// Polls until the load balancer is `active` (bounded); `failed` is a hard error.
async fn wait_active(
    client: &Client,
    label: &str,
    arn: &str,
) -> Result<LoadBalancer, ProviderError> {
    for _ in 0..ACTIVE_POLLS {
        let lb = by_arn(client, label, arn).await?;
        match lb.state().and_then(|s| s.code()) {
            Some(LoadBalancerStateEnum::Active) => return Ok(lb),
            Some(LoadBalancerStateEnum::Failed) => {
                let reason = lb
                    .state()
                    .and_then(|s| s.reason())
                    .unwrap_or("no reason given");
                return Err(ProviderError::hard(format!(
                    "{label}: provisioning failed: {reason}"
                )));
            }
            _ => tokio::time::sleep(ACTIVE_POLL_INTERVAL).await,
        }
    }
    Err(ProviderError::retryable(format!(
        "{label}: {arn} is not active yet"
    )))
}

fn arn_of(label: &str, lb: &LoadBalancer) -> Result<String, ProviderError> {
    lb.load_balancer_arn().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: AWS returned a load balancer without an ARN"
        ))
    })
}

/// A load balancer as the engine sees it; its attributes cost one
/// DescribeLoadBalancerAttributes call.
async fn live(
    client: &Client,
    label: &str,
    lb: &LoadBalancer,
    tags: Map<String, Value>,
) -> Result<Live, ProviderError> {
    let arn = arn_of(label, lb)?;
    let out = client
        .describe_load_balancer_attributes()
        .load_balancer_arn(&arn)
        .send()
        .await
        .map_err(|e| sdk(label, "DescribeLoadBalancerAttributes", e))?;
    let attributes: Vec<Value> = out
        .attributes()
        .iter()
        .filter(|a| a.key().is_some_and(|k| MANAGED_ATTRIBUTES.contains(&k)))
        .map(|a| json!({"Key": a.key(), "Value": a.value().unwrap_or("")}))
        .collect();
    let subnets: Vec<&str> = lb
        .availability_zones()
        .iter()
        .filter_map(|z| z.subnet_id())
        .collect();
    let mut properties = Map::new();
    properties.insert("Name".into(), json!(lb.load_balancer_name()));
    properties.insert("Type".into(), json!(lb.r#type().map(|t| t.as_str())));
    properties.insert("Scheme".into(), json!(lb.scheme().map(|s| s.as_str())));
    properties.insert(
        "IpAddressType".into(),
        json!(lb.ip_address_type().map(|t| t.as_str())),
    );
    properties.insert("Subnets".into(), json!(subnets));
    // Network load balancers may have none: then fgl sets none either.
    if !lb.security_groups().is_empty() {
        properties.insert("SecurityGroups".into(), json!(lb.security_groups()));
    }
    properties.insert("LoadBalancerAttributes".into(), Value::Array(attributes));
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("DNSName".into(), json!(lb.dns_name()));
    attrs.insert(
        "CanonicalHostedZoneID".into(),
        json!(lb.canonical_hosted_zone_id()),
    );
    attrs.insert("LoadBalancerName".into(), json!(lb.load_balancer_name()));
    Ok(Live {
        id: logical_id(&tags, &arn),
        kind: KIND.to_string(),
        physical_id: arn,
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
