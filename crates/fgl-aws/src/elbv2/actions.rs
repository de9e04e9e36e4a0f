//! Listener and rule actions and rule conditions between the graph's JSON (CloudFormation
//! shapes) and the SDK's types. What ELB echoes beyond what fgl sends (the redirect's
//! `#{host}` defaults, a forward's `ForwardConfig`, `Order`, a condition's bare `Values`) is
//! normalised away when reading, so that a second plan is empty.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, ForwardActionConfig,
    HostHeaderConditionConfig, PathPatternConditionConfig, RedirectActionConfig,
    RedirectActionStatusCodeEnum, RuleCondition, TargetGroupTuple,
};
use fgl_plan::ProviderError;
use serde_json::{json, Map, Value};

/// Redirect fields ELB fills when left out: `(field, default)`.
const REDIRECT_DEFAULTS: &[(&str, &str)] = &[
    ("Host", "#{host}"),
    ("Path", "/#{path}"),
    ("Query", "#{query}"),
    ("Port", "#{port}"),
    ("Protocol", "#{protocol}"),
];

/// The node's actions (`DefaultActions` or `Actions`) for the SDK.
pub(crate) fn to_sdk(label: &str, actions: Option<&Value>) -> Result<Vec<Action>, ProviderError> {
    let items = actions.and_then(Value::as_array).ok_or_else(|| {
        ProviderError::hard(format!("{label}: the actions are missing or not a list"))
    })?;
    items.iter().map(|a| action_to_sdk(label, a)).collect()
}

fn action_to_sdk(label: &str, action: &Value) -> Result<Action, ProviderError> {
    let field = |k: &str| action.get(k).and_then(Value::as_str);
    let kind = field("Type")
        .ok_or_else(|| ProviderError::hard(format!("{label}: an action has no Type")))?;
    let mut b = Action::builder().r#type(ActionTypeEnum::from(kind));
    if let Some(tg) = field("TargetGroupArn") {
        b = b.target_group_arn(tg);
    }
    if let Some(order) = action.get("Order").and_then(Value::as_i64) {
        b = b.order(i32::try_from(order).unwrap_or(i32::MAX));
    }
    if let Some(r) = action.get("RedirectConfig") {
        let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
        b = b.redirect_config(
            RedirectActionConfig::builder()
                .set_protocol(s("Protocol"))
                .set_port(s("Port"))
                .set_host(s("Host"))
                .set_path(s("Path"))
                .set_query(s("Query"))
                .set_status_code(
                    s("StatusCode").map(|c| RedirectActionStatusCodeEnum::from(c.as_str())),
                )
                .build(),
        );
    }
    if let Some(f) = action.get("FixedResponseConfig") {
        let s = |k: &str| f.get(k).and_then(Value::as_str).map(str::to_string);
        b = b.fixed_response_config(
            FixedResponseActionConfig::builder()
                .set_status_code(s("StatusCode"))
                .set_content_type(s("ContentType"))
                .set_message_body(s("MessageBody"))
                .build(),
        );
    }
    if let Some(groups) = action
        .pointer("/ForwardConfig/TargetGroups")
        .and_then(Value::as_array)
    {
        let tuples = groups
            .iter()
            .map(|g| {
                TargetGroupTuple::builder()
                    .set_target_group_arn(
                        g.get("TargetGroupArn")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    )
                    .set_weight(
                        g.get("Weight")
                            .and_then(Value::as_i64)
                            .and_then(|w| i32::try_from(w).ok()),
                    )
                    .build()
            })
            .collect();
        b = b.forward_config(
            ForwardActionConfig::builder()
                .set_target_groups(Some(tuples))
                .build(),
        );
    }
    Ok(b.build())
}

/// Actions as ELB returns them, in the node's shape.
pub(crate) fn to_json(actions: &[Action]) -> Value {
    let mut sorted: Vec<&Action> = actions.iter().collect();
    // ELB numbers actions by `Order`; the list order is what fgl compares.
    sorted.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
    Value::Array(sorted.into_iter().map(action_to_json).collect())
}

fn action_to_json(action: &Action) -> Value {
    let mut out = Map::new();
    if let Some(t) = action.r#type() {
        out.insert("Type".into(), json!(t.as_str()));
    }
    match forward_target(action) {
        Some(tg) => {
            out.insert("TargetGroupArn".into(), json!(tg));
        }
        None => {
            if let Some(fc) = action.forward_config() {
                let groups: Vec<Value> = fc
                    .target_groups()
                    .iter()
                    .map(|g| {
                        let mut m = Map::new();
                        if let Some(arn) = g.target_group_arn() {
                            m.insert("TargetGroupArn".into(), json!(arn));
                        }
                        if let Some(w) = g.weight() {
                            m.insert("Weight".into(), json!(w));
                        }
                        Value::Object(m)
                    })
                    .collect();
                out.insert("ForwardConfig".into(), json!({ "TargetGroups": groups }));
            }
        }
    }
    if let Some(r) = action.redirect_config() {
        let mut m = Map::new();
        let fields = [
            ("Protocol", r.protocol()),
            ("Port", r.port()),
            ("Host", r.host()),
            ("Path", r.path()),
            ("Query", r.query()),
        ];
        for (key, value) in fields {
            let is_default = REDIRECT_DEFAULTS.contains(&(key, value.unwrap_or("")));
            if let (Some(v), false) = (value, is_default) {
                m.insert(key.into(), json!(v));
            }
        }
        if let Some(code) = r.status_code() {
            m.insert("StatusCode".into(), json!(code.as_str()));
        }
        out.insert("RedirectConfig".into(), Value::Object(m));
    }
    if let Some(f) = action.fixed_response_config() {
        let mut m = Map::new();
        for (key, value) in [
            ("StatusCode", f.status_code()),
            ("ContentType", f.content_type()),
            ("MessageBody", f.message_body()),
        ] {
            if let Some(v) = value {
                m.insert(key.into(), json!(v));
            }
        }
        out.insert("FixedResponseConfig".into(), Value::Object(m));
    }
    Value::Object(out)
}

/// The one target group of a forward action, whether ELB put it in `TargetGroupArn` or in a
/// one-group `ForwardConfig` (it echoes both for a plain forward).
fn forward_target(action: &Action) -> Option<&str> {
    if let Some(tg) = action.target_group_arn() {
        return Some(tg);
    }
    match action.forward_config()?.target_groups() {
        [one] if one.weight().unwrap_or(1) == 1 => one.target_group_arn(),
        _ => None,
    }
}

/// The node's rule conditions for the SDK, in the `<Field>Config` shapes.
pub(crate) fn conditions_to_sdk(
    label: &str,
    conditions: Option<&Value>,
) -> Result<Vec<RuleCondition>, ProviderError> {
    let items = conditions.and_then(Value::as_array).ok_or_else(|| {
        ProviderError::hard(format!("{label}: Conditions are missing or not a list"))
    })?;
    items
        .iter()
        .map(|c| {
            let field = c
                .get("Field")
                .and_then(Value::as_str)
                .ok_or_else(|| ProviderError::hard(format!("{label}: a condition has no Field")))?;
            let values = condition_values(c);
            let b = RuleCondition::builder().field(field);
            Ok(match field {
                "host-header" => b.host_header_config(
                    HostHeaderConditionConfig::builder()
                        .set_values(Some(values))
                        .build(),
                ),
                "path-pattern" => b.path_pattern_config(
                    PathPatternConditionConfig::builder()
                        .set_values(Some(values))
                        .build(),
                ),
                _ => b.set_values(Some(values)),
            }
            .build())
        })
        .collect()
}

/// A condition's values, from its `<Field>Config` or its bare `Values`.
fn condition_values(c: &Value) -> Vec<String> {
    let config = match c.get("Field").and_then(Value::as_str) {
        Some("host-header") => c.pointer("/HostHeaderConfig/Values"),
        Some("path-pattern") => c.pointer("/PathPatternConfig/Values"),
        _ => None,
    };
    config
        .or_else(|| c.get("Values"))
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Conditions as ELB returns them (config, bare `Values`, or both), in the node's shape.
pub(crate) fn conditions_to_json(conditions: &[RuleCondition]) -> Value {
    Value::Array(
        conditions
            .iter()
            .map(|c| {
                let field = c.field().unwrap_or_default();
                let config_values = match field {
                    "host-header" => c.host_header_config().map(|h| h.values()),
                    "path-pattern" => c.path_pattern_config().map(|p| p.values()),
                    _ => None,
                };
                let values = config_values
                    .filter(|v| !v.is_empty())
                    .unwrap_or(c.values());
                match field {
                    "host-header" => {
                        json!({"Field": field, "HostHeaderConfig": {"Values": values}})
                    }
                    "path-pattern" => {
                        json!({"Field": field, "PathPatternConfig": {"Values": values}})
                    }
                    _ => json!({"Field": field, "Values": values}),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancingv2::types::TargetGroupStickinessConfig;

    #[test]
    fn echoed_forward_and_redirect_actions_read_back_as_sent() {
        let tg = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1";
        // What real ELB answers for a plain forward: the ARN, a one-group ForwardConfig and
        // an Order.
        let forward = Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .target_group_arn(tg)
            .order(1)
            .forward_config(
                ForwardActionConfig::builder()
                    .target_groups(
                        TargetGroupTuple::builder()
                            .target_group_arn(tg)
                            .weight(1)
                            .build(),
                    )
                    .target_group_stickiness_config(
                        TargetGroupStickinessConfig::builder()
                            .enabled(false)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let redirect = Action::builder()
            .r#type(ActionTypeEnum::Redirect)
            .order(2)
            .redirect_config(
                RedirectActionConfig::builder()
                    .protocol("HTTPS")
                    .port("443")
                    .host("#{host}")
                    .path("/#{path}")
                    .query("#{query}")
                    .status_code(RedirectActionStatusCodeEnum::Http301)
                    .build(),
            )
            .build();
        assert_eq!(
            to_json(&[redirect, forward]),
            json!([
                {"Type": "forward", "TargetGroupArn": tg},
                {"Type": "redirect", "RedirectConfig":
                    {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
            ])
        );
    }

    #[test]
    fn conditions_read_back_in_the_config_shape() {
        // ELB echoes a host-header condition with both the bare values and the config.
        let both = RuleCondition::builder()
            .field("host-header")
            .values("api.example.com")
            .host_header_config(
                HostHeaderConditionConfig::builder()
                    .values("api.example.com")
                    .build(),
            )
            .build();
        let bare = RuleCondition::builder()
            .field("path-pattern")
            .values("/api/*")
            .build();
        assert_eq!(
            conditions_to_json(&[both, bare]),
            json!([
                {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
                {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}
            ])
        );
    }
}
