//! `AWS::ElasticLoadBalancingV2::ListenerRule`: CreateRule (tagged), SetRulePriorities,
//! ModifyRule, DeleteRule. A node's rule is the one of its listener tagged with its stack and
//! logical id (the priority can change in place); failing that, the rule holding its priority,
//! whoever owns it, since that one is in the way.

use aws_sdk_elasticloadbalancingv2::types::{Rule, RulePriorityPair};
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{
    actions, creation_tags, described, in_place, is_node, logical_id, opt_i32, owned, req_str,
    tags_of,
};
use crate::error::{code_of, gone_is_ok, sdk};

pub(crate) const KIND: &str = "AWS::ElasticLoadBalancingV2::ListenerRule";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["ListenerArn".into()],
        // ELB numbers actions itself; the list order is what counts.
        ignore: vec!["Actions.*.Order".into()],
        ..KindSpec::default()
    }
}

pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let listener = req_str(&label, &node.properties, "ListenerArn")?;
    let rules = on_listener(client, &label, listener).await?;
    let arns: Vec<String> = rules
        .iter()
        .filter_map(|r| r.rule_arn().map(str::to_string))
        .collect();
    let mut tags = tags_of(client, &label, &arns).await?;
    let mut tagged: Vec<(Rule, Map<String, Value>)> = rules
        .into_iter()
        .map(|r| {
            let t = r
                .rule_arn()
                .and_then(|a| tags.remove(a))
                .unwrap_or_default();
            (r, t)
        })
        .collect();
    let priority = opt_i32(&node.properties, "Priority").map(|p| p.to_string());
    let pos = tagged
        .iter()
        .position(|(_, t)| is_node(t, node))
        .or_else(|| {
            tagged
                .iter()
                .position(|(r, _)| r.priority() == priority.as_deref())
        });
    match pos {
        Some(i) => {
            let (r, t) = tagged.swap_remove(i);
            live(&label, listener, &r, t).map(Some)
        }
        None => Ok(None),
    }
}

/// Every rule tagged `fgl:stack=<stack>` on the stack's listeners `listener_arns`.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
    listener_arns: &[String],
) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut all = Vec::new();
    for listener in listener_arns {
        for r in on_listener(client, &label, listener).await? {
            all.push((listener.as_str(), r));
        }
    }
    let arns: Vec<String> = all
        .iter()
        .filter_map(|(_, r)| r.rule_arn().map(str::to_string))
        .collect();
    let mut tags = tags_of(client, &label, &arns).await?;
    let mut out = Vec::new();
    for (listener, r) in &all {
        let r_tags = r
            .rule_arn()
            .and_then(|a| tags.remove(a))
            .unwrap_or_default();
        if owned(&r_tags, stack) {
            out.push(live(&label, listener, r, r_tags)?);
        }
    }
    Ok(out)
}

/// Creates the rule, or adopts the one an earlier attempt made.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if let Some(existing) = read(client, node).await? {
        if is_node(&existing.tags, node) {
            return Ok(existing);
        }
    }
    let p = &node.properties;
    let listener = req_str(&label, p, "ListenerArn")?;
    let out = client
        .create_rule()
        .listener_arn(listener)
        .set_priority(opt_i32(p, "Priority"))
        .set_conditions(Some(actions::conditions_to_sdk(
            &label,
            p.get("Conditions"),
        )?))
        .set_actions(Some(actions::to_sdk(&label, p.get("Actions"))?))
        .set_tags(Some(creation_tags(node)))
        .send()
        .await
        .map_err(|e| sdk(&label, "CreateRule", e))?;
    let r = out
        .rules()
        .first()
        .ok_or_else(|| ProviderError::hard(format!("{label}: CreateRule returned no rule")))?;
    let tags = super::tags_of_one(client, &label, arn_of(&label, r)?.as_str()).await?;
    live(&label, listener, r, tags)
}

/// Changes the priority (SetRulePriorities), conditions and actions (ModifyRule) and tags.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_r: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = live_r.physical_id.as_str();
    let p = &node.properties;
    let [priority, modify] = in_place(&label, fields, [&["Priority"], &["Conditions", "Actions"]])?;
    if priority {
        let pair = RulePriorityPair::builder()
            .rule_arn(arn)
            .set_priority(opt_i32(p, "Priority"))
            .build();
        client
            .set_rule_priorities()
            .rule_priorities(pair)
            .send()
            .await
            .map_err(|e| sdk(&label, "SetRulePriorities", e))?;
    }
    if modify {
        client
            .modify_rule()
            .rule_arn(arn)
            .set_conditions(Some(actions::conditions_to_sdk(
                &label,
                p.get("Conditions"),
            )?))
            .set_actions(Some(actions::to_sdk(&label, p.get("Actions"))?))
            .send()
            .await
            .map_err(|e| sdk(&label, "ModifyRule", e))?;
    }
    super::update_tags(client, &label, arn, node, fields).await?;
    let call = "DescribeRules";
    let out = client.describe_rules().rule_arns(arn).send().await;
    let out = out.map_err(|e| sdk(&label, call, e))?;
    let r = described(&label, call, arn, out.rules())?;
    let tags = super::tags_of_one(client, &label, arn).await?;
    let listener = req_str(&label, p, "ListenerArn")?;
    live(&label, listener, r, tags)
}

/// Deletes the rule; one already gone (with its listener, perhaps) is success.
pub(crate) async fn delete(client: &Client, live_r: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_r.id);
    let result = client
        .delete_rule()
        .rule_arn(&live_r.physical_id)
        .send()
        .await;
    gone_is_ok(&label, "DeleteRule", &["RuleNotFound"], result)
}

/// The rules of a listener, without its default rule (that is the listener's
/// `DefaultActions`); none when the listener is gone.
async fn on_listener(
    client: &Client,
    label: &str,
    listener: &str,
) -> Result<Vec<Rule>, ProviderError> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = match client
            .describe_rules()
            .listener_arn(listener)
            .set_marker(marker)
            .send()
            .await
        {
            Ok(page) => page,
            Err(e) if code_of(&e) == Some("ListenerNotFound") => return Ok(Vec::new()),
            Err(e) => return Err(sdk(label, "DescribeRules", e)),
        };
        out.extend(
            page.rules()
                .iter()
                .filter(|r| r.is_default() != Some(true))
                .cloned(),
        );
        marker = page.next_marker().map(str::to_string);
        if marker.is_none() {
            return Ok(out);
        }
    }
}

fn arn_of(label: &str, r: &Rule) -> Result<String, ProviderError> {
    r.rule_arn()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::hard(format!("{label}: AWS returned a rule without an ARN")))
}

/// A rule as the engine sees it. DescribeRules does not say which listener a rule is on, so
/// the caller passes the listener it asked about.
fn live(
    label: &str,
    listener: &str,
    r: &Rule,
    tags: Map<String, Value>,
) -> Result<Live, ProviderError> {
    let arn = arn_of(label, r)?;
    let mut p = Map::new();
    p.insert("ListenerArn".into(), json!(listener));
    // ELB reports priorities as strings.
    if let Some(n) = r.priority().and_then(|s| s.parse::<i64>().ok()) {
        p.insert("Priority".into(), json!(n));
    }
    p.insert(
        "Conditions".into(),
        actions::conditions_to_json(r.conditions()),
    );
    p.insert("Actions".into(), actions::to_json(r.actions()));
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("RuleArn".into(), json!(arn));
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
