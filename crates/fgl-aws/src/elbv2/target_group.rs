//! `AWS::ElasticLoadBalancingV2::TargetGroup`: CreateTargetGroup (tagged), ModifyTargetGroup
//! for the health check, DeleteTargetGroup. Target group names are unique per region, so a
//! node's target group is the one with its name.

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types::{Matcher, ProtocolEnum, TargetGroup, TargetTypeEnum};
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{creation_tags, described, in_place, is_node, logical_id, opt_i32, owned, req_str};
use crate::error::{code_of, gone_is_ok, sdk};

pub(crate) const KIND: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";

/// The health check fields ModifyTargetGroup changes.
const HEALTH_CHECK_FIELDS: &[&str] = &[
    "HealthCheckEnabled",
    "HealthCheckProtocol",
    "HealthCheckPath",
    "HealthCheckPort",
    "HealthCheckIntervalSeconds",
    "HealthCheckTimeoutSeconds",
    "HealthyThresholdCount",
    "UnhealthyThresholdCount",
    "Matcher",
];

/// The health check (`HEALTH_CHECK_FIELDS`) from the properties `$p`, on
/// CreateTargetGroup's or ModifyTargetGroup's builder (same setters, unrelated types).
macro_rules! with_health_check {
    ($call:expr, $p:expr) => {{
        let p: &Map<String, Value> = $p;
        let s = |k: &str| p.get(k).and_then(Value::as_str);
        $call
            .set_health_check_enabled(p.get("HealthCheckEnabled").and_then(Value::as_bool))
            .set_health_check_protocol(s("HealthCheckProtocol").map(ProtocolEnum::from))
            .set_health_check_path(s("HealthCheckPath").map(str::to_string))
            .set_health_check_port(s("HealthCheckPort").map(str::to_string))
            .set_health_check_interval_seconds(opt_i32(p, "HealthCheckIntervalSeconds"))
            .set_health_check_timeout_seconds(opt_i32(p, "HealthCheckTimeoutSeconds"))
            .set_healthy_threshold_count(opt_i32(p, "HealthyThresholdCount"))
            .set_unhealthy_threshold_count(opt_i32(p, "UnhealthyThresholdCount"))
            .set_matcher(matcher(p))
    }};
}

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec![
            "Name".into(),
            "Port".into(),
            "Protocol".into(),
            "TargetType".into(),
            "VpcId".into(),
        ],
        ..KindSpec::default()
    }
}

/// The target group with the node's name, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = req_str(&label, &node.properties, "Name")?;
    match by_name(client, &label, name).await? {
        Some(tg) => with_tags(client, &label, &tg).await.map(Some),
        None => Ok(None),
    }
}

/// Every target group of the region, with their ARNs (for one DescribeTags with the load
/// balancers').
pub(crate) async fn list(
    client: &Client,
    label: &str,
) -> Result<(Vec<TargetGroup>, Vec<String>), ProviderError> {
    let mut pages = client.describe_target_groups().into_paginator().send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| sdk(label, "DescribeTargetGroups", e))?;
        all.extend(page.target_groups().iter().cloned());
    }
    let arns = all
        .iter()
        .filter_map(|t| t.target_group_arn().map(str::to_string))
        .collect();
    Ok((all, arns))
}

/// The target groups of `all` tagged `fgl:stack=<stack>` in `tags` (by ARN).
pub(crate) fn owned_of(
    label: &str,
    all: &[TargetGroup],
    tags: &mut HashMap<String, Map<String, Value>>,
    stack: &str,
) -> Result<Vec<Live>, ProviderError> {
    let mut out = Vec::new();
    for tg in all {
        let tg_tags = tags.remove(&arn_of(label, tg)?).unwrap_or_default();
        if owned(&tg_tags, stack) {
            out.push(live(label, tg, tg_tags)?);
        }
    }
    Ok(out)
}

/// Creates the target group, or adopts the one an earlier attempt made.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let p = &node.properties;
    let name = req_str(&label, p, "Name")?;
    if let Some(tg) = by_name(client, &label, name).await? {
        let existing = with_tags(client, &label, &tg).await?;
        if is_node(&existing.tags, node) {
            return Ok(existing);
        }
        return Err(ProviderError::hard(format!(
            "{label}: a target group named {name} exists and is not this stack's"
        )));
    }
    let s = |k: &str| p.get(k).and_then(Value::as_str);
    let call = client
        .create_target_group()
        .name(name)
        .set_protocol(s("Protocol").map(ProtocolEnum::from))
        .set_port(opt_i32(p, "Port"))
        .set_vpc_id(s("VpcId").map(str::to_string))
        .set_target_type(s("TargetType").map(TargetTypeEnum::from));
    let out = with_health_check!(call, p)
        .set_tags(Some(creation_tags(node)))
        .send()
        .await
        .map_err(|e| sdk(&label, "CreateTargetGroup", e))?;
    let tg = out.target_groups().first().ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: CreateTargetGroup returned no target group"
        ))
    })?;
    with_tags(client, &label, tg).await
}

/// Changes the health check (all its fields in one ModifyTargetGroup call) and tags.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_tg: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = live_tg.physical_id.as_str();
    let [health_check] = in_place(&label, fields, [HEALTH_CHECK_FIELDS])?;
    if health_check {
        let call = client.modify_target_group().target_group_arn(arn);
        with_health_check!(call, &node.properties)
            .send()
            .await
            .map_err(|e| sdk(&label, "ModifyTargetGroup", e))?;
    }
    super::update_tags(client, &label, arn, node, fields).await?;
    let call = "DescribeTargetGroups";
    let out = client
        .describe_target_groups()
        .target_group_arns(arn)
        .send()
        .await;
    let out = out.map_err(|e| sdk(&label, call, e))?;
    let tg = described(&label, call, arn, out.target_groups())?;
    with_tags(client, &label, tg).await
}

/// Deletes the target group; one already gone is success. One still used by a listener or
/// rule being deleted fails with ResourceInUse, which is retryable.
pub(crate) async fn delete(client: &Client, live_tg: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_tg.id);
    let result = (client.delete_target_group())
        .target_group_arn(&live_tg.physical_id)
        .send()
        .await;
    gone_is_ok(
        &label,
        "DeleteTargetGroup",
        &["TargetGroupNotFound"],
        result,
    )
}

fn matcher(p: &Map<String, Value>) -> Option<Matcher> {
    let m = p.get("Matcher")?;
    Some(
        Matcher::builder()
            .set_http_code(
                m.get("HttpCode")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .set_grpc_code(
                m.get("GrpcCode")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            )
            .build(),
    )
}

async fn by_name(
    client: &Client,
    label: &str,
    name: &str,
) -> Result<Option<TargetGroup>, ProviderError> {
    match client.describe_target_groups().names(name).send().await {
        Ok(out) => Ok(out.target_groups().first().cloned()),
        Err(e) if code_of(&e) == Some("TargetGroupNotFound") => Ok(None),
        Err(e) => Err(sdk(label, "DescribeTargetGroups", e)),
    }
}

async fn with_tags(client: &Client, label: &str, tg: &TargetGroup) -> Result<Live, ProviderError> {
    let arn = arn_of(label, tg)?;
    let tags = super::tags_of_one(client, label, &arn).await?;
    live(label, tg, tags)
}

fn arn_of(label: &str, tg: &TargetGroup) -> Result<String, ProviderError> {
    tg.target_group_arn().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!(
            "{label}: AWS returned a target group without an ARN"
        ))
    })
}

/// A target group as the engine sees it: everything comes with DescribeTargetGroups.
fn live(label: &str, tg: &TargetGroup, tags: Map<String, Value>) -> Result<Live, ProviderError> {
    let arn = arn_of(label, tg)?;
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            p.insert(k.to_string(), v);
        }
    };
    put("Name", json!(tg.target_group_name()));
    put("TargetType", json!(tg.target_type().map(|t| t.as_str())));
    put("Protocol", json!(tg.protocol().map(|t| t.as_str())));
    put("Port", json!(tg.port()));
    put("VpcId", json!(tg.vpc_id()));
    put("HealthCheckEnabled", json!(tg.health_check_enabled()));
    put(
        "HealthCheckProtocol",
        json!(tg.health_check_protocol().map(|t| t.as_str())),
    );
    put("HealthCheckPath", json!(tg.health_check_path()));
    put(
        "HealthCheckIntervalSeconds",
        json!(tg.health_check_interval_seconds()),
    );
    put(
        "HealthCheckTimeoutSeconds",
        json!(tg.health_check_timeout_seconds()),
    );
    put("HealthyThresholdCount", json!(tg.healthy_threshold_count()));
    put(
        "UnhealthyThresholdCount",
        json!(tg.unhealthy_threshold_count()),
    );
    if let Some(code) = tg.matcher().and_then(|m| m.http_code()) {
        put("Matcher", json!({ "HttpCode": code }));
    }
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("TargetGroupName".into(), json!(tg.target_group_name()));
    Ok(Live {
        id: logical_id(&tags, &arn),
        kind: KIND.to_string(),
        physical_id: arn,
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
